"""Whole-site tests: build the sample portal and assert on the parsed output."""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, soup

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SEED = "tin-tuc/kiem-tra-cchc-2021/index.html"


def html_files(public: Path) -> list[Path]:
    """The portal's pages, not those at old addresses (aliases:), which only lead to one, nor the web
    editor's (admin/: the CMS's own page, tested in test_editor)."""
    return [p for p in sorted(public.rglob("*.html")) if b'<meta http-equiv="refresh"' not in p.read_bytes()[:2048]
            and not p.relative_to(public).as_posix().startswith("admin/")]


def reference_paragraphs() -> list[str]:
    text = (ROOT / "tests" / "reference" / "portal-article.txt").read_text(encoding="utf-8")   # copy of the brief's
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if len(line) > 200]


def test_every_page_is_vietnamese_with_one_h1_and_landmarks(sample_site):
    pages = html_files(sample_site)
    assert len(pages) > 40
    for page in pages:
        doc = soup(page)
        assert doc.html["lang"] == "vi", page
        assert len(doc.find_all("h1")) == 1, page
        assert doc.find("main", id="noi-dung") is not None, page
        assert doc.find("a", class_="skip")["href"] == "#noi-dung"
        assert doc.find("nav", attrs={"aria-label": "Menu chính"}) is not None
        text = page.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), page


def test_seed_article_shows_what_the_original_shows(sample_site):
    doc = soup(sample_site / SEED)
    assert doc.h1.get_text(strip=True) == "Kiểm tra cải cách hành chính trên địa bàn huyện năm 2021"
    meta = doc.find(class_="post-meta")
    assert meta.time.get_text() == "Thứ Sáu, 08/10/2021 09:00"
    assert meta.time["datetime"] == "2021-10-08T09:00:00+07:00"
    assert "Cập nhật:" in meta.get_text()
    assert "Lượt xem:" in meta.get_text()
    body = doc.find(class_="prose").get_text(" ")
    for paragraph in reference_paragraphs():
        assert " ".join(paragraph.split()) in " ".join(body.split())
    assert doc.find(class_="author").get_text(strip=True) == "Phòng NV"
    stats = doc.find(class_="stats")
    labels = [dt.get_text(strip=True) for dt in stats.find_all("dt")]
    assert labels == ["Đang truy cập", "Hôm nay", "Trong tuần", "Tháng hiện tại", "Tổng lượt truy cập"]
    tags = [a.get_text() for a in doc.find(class_="tags").find_all("a")]
    assert tags == ["CCHC", "ISO 9001:2015"]
    assert doc.find(class_="corrections") is not None
    related = doc.find(id="tin-cung-chuyen-muc").find_parent("section")
    assert 1 <= len(related.find_all("li")) <= 5


def test_home_lists_latest_posts_of_each_section(sample_site):
    doc = soup(sample_site / "index.html")
    for name in ("tin-tuc", "thong-bao", "ket-qua"):
        block = doc.find(id=f"cm-{name}").find_parent("section")
        items = block.find_all("li", class_="item")
        assert 1 <= len(items) <= 5
        section_list = soup(sample_site / name / "index.html")
        newest = section_list.find("li", class_="item").h2.a["href"]
        assert items[0].a["href"] == newest


def test_section_pagination(sample_site):
    first = soup(sample_site / "tin-tuc" / "index.html")
    assert len(first.find_all("li", class_="item")) == 10
    nav = first.find("nav", class_="pagination")
    assert nav.find("a", rel="next")["href"] == "/tin-tuc/trang/2/"
    second = soup(sample_site / "tin-tuc" / "trang" / "2" / "index.html")
    assert second.find("a", rel="prev")["href"] == "/tin-tuc/"
    assert second.find("a", attrs={"aria-current": "page"}).get_text() == "2"
    dates = [t["datetime"] for page in (first, second) for t in page.select("li.item time")]
    assert dates == sorted(dates, reverse=True)


def test_attachments_show_type_and_size(sample_site):
    doc = soup(sample_site / "ket-qua" / "ket-luan-kiem-tra-cong-tac-cai-cach-hanh-chinh-nam-2021-tai-06-xa-thi-tran"
               / "index.html")
    item = doc.find(class_="attachments").li
    assert item.a["href"] == "/files/ket-luan-123-kl-ubnd.pdf"
    assert re.fullmatch(r"\(PDF, \d+ trang, \d+ KB\)", item.find(class_="file-info").get_text())
    assert (sample_site / "files" / "ket-luan-123-kl-ubnd.pdf").read_bytes() == \
        (ROOT / "content" / "files" / "ket-luan-123-kl-ubnd.pdf").read_bytes()


def test_md_links_become_urls(sample_site):
    doc = soup(sample_site / "ket-qua" / "ket-luan-kiem-tra-cong-tac-cai-cach-hanh-chinh-nam-2021-tai-06-xa-thi-tran"
               / "index.html")
    hrefs = [a["href"] for a in doc.find(class_="prose").find_all("a")]
    assert not any(h.endswith(".md") for h in hrefs)
    assert "/tin-tuc/kiem-tra-cchc-2021/" in hrefs


def test_corrections_newest_first(sample_site):
    page = next(p for p in html_files(sample_site / "tin-tuc") if "dien-tap" in str(p))
    dates = [t["datetime"] for t in soup(page).find(class_="corrections").find_all("time")]
    assert len(dates) == 2 and dates == sorted(dates, reverse=True)


def all_text(public: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(public.rglob("*"))
                     if p.suffix in (".html", ".xml", ".txt"))


def test_drafts_and_future_posts_are_nowhere(sample_site):
    everything = all_text(sample_site)
    assert "Tổng kết 5 năm xây dựng nông thôn mới" not in everything
    assert "Lịch tiếp công dân định kỳ tháng 6/2027" not in everything


def test_expired_post_keeps_its_page_but_leaves_lists_and_feeds(sample_site):
    expired = [p for p in html_files(sample_site / "thong-bao") if soup(p).find(class_="banner-expired")]
    assert len(expired) == 1
    url = "/" + expired[0].parent.relative_to(sample_site).as_posix() + "/"
    lists = [sample_site / "index.html", *html_files(sample_site / "thong-bao" / "trang"),
             sample_site / "thong-bao" / "index.html", *html_files(sample_site / "the"),
             *html_files(sample_site / "luu-tru")]
    for page in lists:
        listed = {a["href"] for a in soup(page).select("li.item a")}
        assert url not in listed, page
    for feed in (sample_site / "feed.xml", sample_site / "thong-bao" / "feed.xml"):
        links = {e.find(f"{ATOM}link").get("href") for e in ET.parse(feed).getroot().findall(f"{ATOM}entry")}
        assert "https://hamtan.lamdong.example.gov.vn" + url not in links


def test_plain_pages_and_404(sample_site):
    about = soup(sample_site / "trang" / "gioi-thieu" / "index.html")
    assert about.h1.get_text(strip=True)
    assert not (sample_site / "trang" / "feed.xml").exists()
    index = soup(sample_site / "trang" / "index.html")
    assert {a["href"] for a in index.select("li.item a")} >= {"/trang/gioi-thieu/", "/trang/lien-he/"}
    missing = soup(sample_site / "404.html")
    assert missing.h1.get_text() == "Không tìm thấy trang"
    assert missing.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_tags_and_archives(sample_site):
    index = soup(sample_site / "the" / "index.html")
    links = index.select(".tag-cloud a")
    assert len(links) >= 10
    tag = soup(sample_site / "the" / "cchc" / "index.html")
    assert tag.h1.get_text().startswith("Từ khóa: CCHC")
    assert len(tag.select("li.item")) >= 3
    years = soup(sample_site / "luu-tru" / "index.html").select(".years a")
    assert [a.get_text() for a in years][:1] == ["Năm 2026"]
    for a in years:
        year = a.get_text().split()[-1]
        page = soup(sample_site / "luu-tru" / year / "index.html")
        assert all(t["datetime"].startswith(year) for t in page.select("li.item time"))


def test_atom_feeds(sample_site):
    for feed_file in (sample_site / "feed.xml", *(sample_site / s / "feed.xml" for s in ("tin-tuc", "thong-bao", "ket-qua"))):
        feed = ET.parse(feed_file).getroot()
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert feed.find(f"{ATOM}{required}") is not None
        entries = feed.findall(f"{ATOM}entry")
        assert 1 <= len(entries) <= 20
        updated = [e.find(f"{ATOM}published").text for e in entries]
        assert updated == sorted(updated, reverse=True)
        for entry in entries:
            link = entry.find(f"{ATOM}link").get("href")
            assert link.startswith("https://hamtan.lamdong.example.gov.vn/")
            page = sample_site / link.removeprefix("https://hamtan.lamdong.example.gov.vn/") / "index.html"
            assert page.is_file()
            content = entry.find(f"{ATOM}content").text
            assert 'href="/' not in content and 'src="/' not in content
    assert len(ET.parse(sample_site / "feed.xml").getroot().findall(f"{ATOM}entry")) == 20


def test_sitemap_and_robots(sample_site):
    urls = [u.find(f"{SITEMAP}loc").text for u in ET.parse(sample_site / "sitemap.xml").getroot()]
    assert "https://hamtan.lamdong.example.gov.vn/tin-tuc/kiem-tra-cchc-2021/" in urls
    for url in urls:
        path = url.removeprefix("https://hamtan.lamdong.example.gov.vn/")
        assert (sample_site / path / "index.html").is_file(), url
    robots = (sample_site / "robots.txt").read_text()
    assert "Sitemap: https://hamtan.lamdong.example.gov.vn/sitemap.xml" in robots


def test_withdrawn_post_has_banner_and_link_to_replacement(sample_site):
    pages = [p for p in html_files(sample_site / "thong-bao") if soup(p).find(class_="banner-withdrawn")]
    assert len(pages) == 1
    link = soup(pages[0]).find(class_="banner-withdrawn").a["href"]
    assert (sample_site / link.strip("/") / "index.html").is_file()


@pytest.mark.parametrize("name", ["css/site.css", "favicon.svg", "files/doan-kiem-tra.png"])
def test_static_and_attachments_copied(sample_site, name):
    assert (sample_site / name).is_file()


def front_matter(path: Path) -> dict:
    import yaml
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))       # one sample file is NFD
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n")) or {}


def test_the_former_district_portals_archive_keeps_its_old_addresses(sample_site):
    """The sample is a commune's portal since 01/07/2025: every post published before that day came
    from the former district portal, says so in its author, and its old address leads to it."""
    nginx = (sample_site / "redirects.nginx.conf").read_text(encoding="utf-8")
    redirects = dict(re.findall(r'^    "(/[^"]+)" "([^"]+)";$', nginx, re.M))
    cutoff = "2025-07-01"
    old, new = [], []
    for path in sorted((ROOT / "content").glob("*/*.md")):
        meta = front_matter(path)
        if path.parent.name == "trang" or meta.get("draft") or str(meta["date"]) >= "2026-11-27":
            continue
        (old if str(meta["date"]) < cutoff else new).append((path, meta))
    assert len(old) > 40 and len(new) >= 4
    for path, meta in old:
        assert meta.get("aliases"), path
        assert "(cũ)" in meta["author"] or meta["author"] == "Phòng NV", path    # the seed: as the original printed it
        for alias in meta["aliases"]:
            assert alias.startswith("http://hamtan.binhthuan.gov.vn/"), alias
            target = redirects[alias.removeprefix("http://hamtan.binhthuan.gov.vn")]
            assert target.startswith("https://hamtan.lamdong.example.gov.vn/")
            page = soup(sample_site / target.removeprefix("https://hamtan.lamdong.example.gov.vn/") / "index.html")
            if "title" in meta:
                assert page.h1.get_text(strip=True) == meta["title"], path
    for path, meta in new:
        assert not meta.get("aliases") and "(cũ)" not in meta.get("author", ""), path
    stub = soup(sample_site / "lich-cong-tac" / "2025" / "tuan-24.html")      # an old .html path: a page that leads on
    assert stub.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith("/lich-cong-tac/2025-w24/")
    archive = soup(sample_site / "trang" / "luu-tru-cong-thong-tin-huyen-ham-tan-cu" / "index.html")
    assert archive.h1.get_text(strip=True) == "Lưu trữ cổng thông tin huyện Hàm Tân (cũ)"
    about = soup(sample_site / "trang" / "gioi-thieu" / "index.html")
    assert about.select_one('.prose a[href="/trang/luu-tru-cong-thong-tin-huyen-ham-tan-cu/"]') is not None
    assert "1671/NQ-UBTVQH15" in about.select_one(".prose").get_text()
