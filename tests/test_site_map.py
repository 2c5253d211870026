"""The readable site map, "Sơ đồ cổng" (/so-do-cong/), on the built sample portal (parsed HTML): every
section of site.yaml, every plain page built, each posts section's count as its own list pages show it,
the look-up pages, the footer's link on every page and its place in sitemap.xml."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT, soup

MAP = "so-do-cong/index.html"


def _links(element) -> dict[str, str]:
    """link text -> href of the links directly in each item (not those of its nested list)."""
    found = {}
    for item in element.select("li"):
        link = item.find("a", recursive=False)
        if link is not None:
            found[" ".join(link.get_text().split())] = link["href"]
    return found


def _listed(public: Path, section: str) -> int:
    """How many posts a section's list pages show, page 1 and every /trang/N/."""
    files = [public / section / "index.html", *sorted((public / section / "trang").glob("*/index.html"))]
    return sum(len(soup(f).select("main ul.items > li")) for f in files if f.is_file())


def test_the_site_map_lists_every_section_and_plain_page(sample_site):
    config = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    page = soup(sample_site / MAP)
    assert page.find("h1").get_text(strip=True) == "Sơ đồ cổng"
    tree = page.select_one("main .site-map")
    links = _links(tree)
    for name, section in config["sections"].items():
        assert links.get(section["title"]) == f"/{name}/", f"section {name} ({section['title']}) is not in the site map"
    plain = [d for name, s in config["sections"].items() if s.get("kind") == "pages"
             for d in sorted((sample_site / name).glob("*/index.html"))]
    assert plain, "the sample has no plain pages"
    for file in plain:
        title = " ".join(soup(file).find("h1").get_text().split())
        href = "/" + file.parent.relative_to(sample_site).as_posix() + "/"
        item = tree.find("a", href=href)
        assert item is not None and " ".join(item.get_text().split()) == title, f"{href} ({title}) is not listed"
        assert item.find_parent("ul").find_parent("li") is not None, f"{href} is not under its section"
    for name, section in config["sections"].items():
        if section.get("kind", "posts") != "posts":
            continue
        item = tree.find("a", href=f"/{name}/").parent
        count = re.search(r"\((\d+) bài viết\)", item.get_text())
        assert count and int(count.group(1)) == _listed(sample_site, name), f"{name}: {item.get_text(' ', strip=True)}"
    for title, href in {"Lưu trữ theo năm": "/luu-tru/", "Từ khóa": "/the/", "Hồ sơ kiểm tra": "/kiem-tra/",
                        "Đơn vị được kiểm tra": "/don-vi/", "Dữ liệu mở về kiểm tra": "/du-lieu/",
                        "Danh mục thông tin công khai": "/danh-muc-thong-tin/", "Tìm kiếm": "/tim-kiem/",
                        "Thống kê truy cập": "/thong-ke/", "Lãnh đạo": "/lanh-dao/"}.items():
        assert links.get(title) == href, f"{title} ({href}) is not in the site map: {links}"
    for href in set(links.values()):
        assert (sample_site / href.lstrip("/")).exists() or (sample_site / href.lstrip("/") / "index.html").is_file(), \
            f"the site map links to {href}, which was not built"


def test_every_page_links_the_site_map_from_its_footer_and_sitemap_xml_has_it(sample_site):
    missing = [str(f.relative_to(sample_site)) for f in sorted(sample_site.rglob("*.html"))
               if b'http-equiv="refresh"' not in f.read_bytes()[:2048] and not str(f.relative_to(sample_site)).startswith("admin/")
               and soup(f).select_one("footer a[href='/so-do-cong/']") is None]
    assert not missing, f"pages without the site map in their footer: {missing[:5]}"
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://hamtan.lamdong.example.gov.vn/so-do-cong/</loc>" in sitemap
