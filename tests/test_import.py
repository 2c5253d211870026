"""`python build.py import`: real saved pages of a district portal, JSON, CSV and WordPress exports,
end to end: import, build under a sub-path, every page, image and attachment there, no word lost,
no combining mark left, every old address redirected; a second run never overwrites an editor."""
from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT, minimal_site, run, soup, write

from site_generator.text import search_words

REAL = ROOT / "tests" / "fixtures" / "import" / "real"     # origins in its README.md
SITE_YAML = """title: "Cổng thông tin xã Thuận An"
base_url: "https://tinh.example.gov.vn/thuanan/"
sections:
  tin-tuc: {title: "Tin tức"}
  thong-bao: {title: "Thông báo"}
  trang: {title: "Giới thiệu", kind: pages}
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_site(tmp_path: Path) -> Path:
    return minimal_site(tmp_path / "site", SITE_YAML)


def build(root: Path):
    result = run("--site", str(root), "--output", str(root / "public"))
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "public"


def pages(public: Path) -> dict:
    """Title -> parsed page of every post built."""
    found = {}
    for path in public.glob("*/*/index.html"):
        doc = soup(path)
        if doc.select_one("article .prose") is not None or doc.select_one(".post-header"):
            found[doc.h1.get_text(strip=True)] = (path, doc)
    return found


def no_combining_marks(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def words(text: str) -> list:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


# ---------------------------------------------------------------- real pages of a former district portal

def test_real_saved_pages_import_build_and_keep_every_word_under_a_sub_path(tmp_path):
    root = new_site(tmp_path)
    config = write(tmp_path / "import.yaml", "preset: sharepoint-lacviet\nbase_url: http://daksong.daknong.gov.vn/\n"
                                             "sections:\n  Tin Kinh tế - Đời sống: tin-tuc\n"
                                             "  Văn bản pháp luật: thong-bao\n")
    result = run("import", str(REAL), "--site", str(root), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Đã nhập 2 bài" in result.stdout and "thiếu tệp" in result.stdout      # the PDF was not mirrored
    assert (root / ".import" / "bao-cao.txt").read_text(encoding="utf-8") in result.stdout
    public = build(root)
    built = pages(public)
    assert set(built) == {"1 ha trồng dưa chuột lấy hạt, thu hơn 500 triệu đồng",
                          "Thông báo về lịch tiếp công dân của Lãnh đạo UBND huyện 6 tháng đầu năm 2020"}
    source = BeautifulSoup((REAL / "01-daksong-tin-kinh-te.html").read_text(encoding="utf-8"), "html.parser")
    before = words(source.select_one("#part1 div[class^=ExternalClass]").get_text(" "))
    path, doc = built["1 ha trồng dưa chuột lấy hạt, thu hơn 500 triệu đồng"]
    after = words(doc.select_one(".prose").get_text(" "))
    lost = sum(max(0, before.count(w) - after.count(w)) for w in set(before))
    assert len(before) > 300 and lost <= len(before) // 100, lost
    html = path.read_text(encoding="utf-8")
    assert no_combining_marks(html) and "&ocirc;" not in html
    assert doc.select(".prose .can-giua") and doc.select(".prose .can-phai")      # centred captions, the byline
    assert not doc.select(".prose [style]")
    assert doc.select(".prose div.bang table")
    assert doc.select_one("time").get_text(strip=True) == "Thứ Sáu, 08/11/2019"     # no time was given
    stub = soup(public / "01-daksong-tin-kinh-te.html")                           # the old address
    assert stub.find("link", rel="canonical")["href"] == "https://tinh.example.gov.vn/thuanan" + \
        path.relative_to(public).as_posix().removesuffix("index.html").join(["/", ""])


# ---------------------------------------------------------------- JSON, with files and links between pages

def json_source(tmp_path: Path, long_title: str) -> Path:
    folder = tmp_path / "xuat"
    (folder / "anh").mkdir(parents=True)
    (folder / "anh" / "Đoàn kiểm tra.png").write_bytes(PNG)
    (folder / "tep").mkdir()
    (folder / "tep" / "Kết luận 12-KL.pdf").write_bytes(PDF)
    os.symlink("/etc/passwd", folder / "tep" / "matkhau.pdf")
    nfd = unicodedata.normalize("NFD", "Trồng rừng")
    records = [
        {"title": "Kiểm tra c&ocirc;ng vụ năm 2019", "date": "08/10/2019 14:30", "url": "http://huyen.gov.vn/tin/1.html",
         "category": "Tin hoạt động", "author": "Văn phòng", "summary": "Đoàn kiểm tra làm việc tại xã.",
         "body_html": f"<p>Đoàn kiểm tra {nfd} đã làm việc.</p><p><img src='anh/Đoàn kiểm tra.png' alt='Đoàn'></p>"
                      "<p>Xem <a href='http://huyen.gov.vn/tb/2.html'>thông báo</a> và "
                      "<a href='tep/Kết luận 12-KL.pdf'>kết luận</a>, <a href='file:///D:/vb.doc'>bản gốc</a>.</p>",
         "files": ["tep/Kết luận 12-KL.pdf", "tep/matkhau.pdf"]},
        {"title": "Thông báo lịch tiếp công dân", "date": "2020-01-13T01:30:00Z", "url": "http://huyen.gov.vn/tb/2.html",
         "category": "Thông báo", "body_html": "<p>Lịch tiếp công dân <b>tháng 1</b>.</p><ul><li>Thứ Hai</li></ul>"},
        {"title": long_title, "date": "ngày 5 tháng 3", "url": "http://huyen.gov.vn/Pages/x.aspx?ItemID=18746&CateID=0",
         "body_html": ""},
        {"date": "01/01/2020", "body_html": "<p>Không có tiêu đề.</p>"},
    ]
    write(folder / "bai.json", json.dumps(records, ensure_ascii=False))
    return folder / "bai.json"


LONG = ("Thông báo kết quả kiểm tra công tác cải cách hành chính, thực hiện quy chế dân chủ ở cơ sở và "
        "công tác tiếp công dân, giải quyết khiếu nại, tố cáo của Ủy ban nhân dân các xã, thị trấn trên địa bàn "
        "huyện trong năm 2019 và kế hoạch khắc phục những tồn tại, hạn chế đã được chỉ ra")


def test_json_import_copies_files_links_pages_reads_dates_and_caps_long_titles(tmp_path):
    assert len(LONG) > 250
    root = new_site(tmp_path)
    source = json_source(tmp_path, LONG)
    config = write(tmp_path / "import.yaml", "sections:\n  Tin hoạt động: tin-tuc\n  Thông báo: thong-bao\n"
                                             "default_section: tin-tuc\n")
    result = run("import", str(source), "--site", str(root), "--config", str(config))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Đã nhập 3 bài" in out and "không có tiêu đề" in out and "không đọc được ngày" in out
    assert "file:///D:/vb.doc" in out and "thân bài trống" in out and "matkhau.pdf" in out
    files = sorted(p.relative_to(root / "content").as_posix() for p in (root / "content" / "files").rglob("*"))
    assert files == ["files/nhap", "files/nhap/doan-kiem-tra.png", "files/nhap/ket-luan-12-kl.pdf"]
    first = next((root / "content" / "tin-tuc").glob("2019-10-08-*.md")).read_text(encoding="utf-8")
    assert "title: Kiểm tra công vụ năm 2019\n" in first and "date: 2019-10-08 14:30\n" in first
    assert "](/thong-bao/2020-01-13-thong-bao-lich-tiep-cong-dan.md)" in first     # Markdown: nothing lost
    assert "attachments" not in first                                            # the PDF is linked in the body
    second = (root / "content" / "thong-bao" / "2020-01-13-thong-bao-lich-tiep-cong-dan.md").read_text(encoding="utf-8")
    assert "date: 2020-01-13 08:30\n" in second and "**tháng 1**" in second and "- Thứ Hai" in second
    [long_file] = [p for p in (root / "content" / "tin-tuc").glob("*.md") if "draft: true" in p.read_text("utf-8")]
    assert len(long_file.name) <= 100 and long_file.name.endswith(".md")
    public = build(root)
    built = pages(public)
    _, doc = built["Kiểm tra công vụ năm 2019"]
    assert doc.select_one(".prose img")["src"] == "/thuanan/files/nhap/doan-kiem-tra.png"
    hrefs = [a["href"] for a in doc.select(".prose a")]
    assert hrefs == ["/thuanan/thong-bao/thong-bao-lich-tiep-cong-dan/", "/thuanan/files/nhap/ket-luan-12-kl.pdf"]
    assert "Trồng rừng" in doc.select_one(".prose").get_text()
    assert (public / "files/nhap/doan-kiem-tra.png").read_bytes() == PNG
    assert not list(public.rglob("matkhau*"))
    assert (public / "tin" / "1.html").is_file()                                  # old addresses
    nginx = (public / "redirects.nginx.conf").read_text(encoding="utf-8")
    assert '"/Pages/x.aspx?ItemID=18746&CateID=0"' not in nginx                    # a draft is not published
    assert '"/tb/2.html" "https://tinh.example.gov.vn/thuanan/thong-bao/thong-bao-lich-tiep-cong-dan/"' in nginx


def test_a_second_run_updates_only_what_it_wrote_and_never_an_editors_change(tmp_path):
    root = new_site(tmp_path)
    source = json_source(tmp_path, LONG)
    assert run("import", str(source), "--site", str(root)).returncode == 0
    again = run("import", str(source), "--site", str(root))
    assert "Đã nhập 0 bài, cập nhật 0, giữ nguyên 3" in again.stdout, again.stdout
    edited = next((root / "content" / "tin-tuc").glob("2019-10-08-*.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nBiên tập viên thêm.\n", encoding="utf-8")
    records = json.loads(source.read_text(encoding="utf-8"))
    records[0]["summary"] = "Tóm tắt mới."
    records[1]["summary"] = "Tóm tắt mới."
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    third = run("import", str(source), "--site", str(root))
    assert "cập nhật 1" in third.stdout and "Không ghi đè 1 tệp" in third.stdout, third.stdout
    assert "Biên tập viên thêm." in edited.read_text(encoding="utf-8")
    assert "Tóm tắt mới." in next((root / "content").rglob("2020-01-13-*.md")).read_text(encoding="utf-8")
    assert len(list((root / "content").rglob("*.md"))) == 3


def test_csv_import(tmp_path):
    root = new_site(tmp_path)
    source = write(tmp_path / "bai.csv", "title,date,url,category,body_html\n"
                                         "Họp dân thôn 3,15/06/2021,http://xa.gov.vn/a.html,,<p>Nội dung họp.</p>\n")
    result = run("import", str(source), "--site", str(root))
    assert result.returncode == 0 and "Đã nhập 1 bài" in result.stdout, result.stdout + result.stderr
    public = build(root)
    assert "Họp dân thôn 3" in pages(public)


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Xã cũ</title>
<item><title>Tổ chức Ngày hội Đại đoàn kết</title><link>http://xacu.gov.vn/2021/11/ngay-hoi/</link>
<dc:creator>admin</dc:creator><category domain="category" nicename="tin-tuc">Tin tức</category>
<content:encoded><![CDATA[Ngày hội diễn ra tại nhà văn hóa.

Bà con tham gia đông đủ.]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_date>2021-11-18 08:15:00</wp:post_date><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Bản nháp</title><content:encoded><![CDATA[x]]></content:encoded>
<wp:post_date>2021-11-19 08:15:00</wp:post_date><wp:status>trash</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


def test_wordpress_export_import_and_an_entity_bomb_is_refused_without_a_traceback(tmp_path):
    root = new_site(tmp_path)
    source = write(tmp_path / "xuat.xml", WXR)
    result = run("import", str(source), "--site", str(root))
    assert result.returncode == 0 and "Đã nhập 1 bài" in result.stdout and "trash" in result.stdout, result.stdout
    text = next((root / "content/tin-tuc").glob("2021-11-18-*.md")).read_text(encoding="utf-8")
    assert "date: 2021-11-18 08:15\n" in text and "Ngày hội diễn ra tại nhà văn hóa.\n\nBà con" in text
    bomb = write(tmp_path / "bom.xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                                       '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item>'
                                       "<title>&b;</title></item></channel></rss>")
    refused = run("import", str(bomb), "--site", str(root))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and "bom.xml" in refused.stderr


WORDPRESS_PAGE = """<!doctype html><html lang="vi"><head><title>Tin | Xã cũ</title>
<link rel="canonical" href="http://xacu.gov.vn/2022/03/hop-dan/"></head><body>
<nav><a href="/">Trang chủ</a></nav><article><h1 class="entry-title">Họp d&acirc;n th&ocirc;n 2</h1>
<span class="cat-links"><a href="/c/tin-tuc/">Tin tức</a></span><span class="byline"><a href="/u/1">Văn phòng</a></span>
<time class="entry-date" datetime="2022-03-05T07:30:00+07:00">05/03/2022</time>
<div class="entry-content"><p>Nội dung <strong>họp dân</strong> thôn 2.</p>
<p><a href="/2022/03/thong-bao/">Thông báo kèm theo</a></p></div></article></body></html>"""
JOOMLA_PAGE = """<!doctype html><html><head><title>Thông báo</title></head><body><div class="item-page">
<div class="page-header"><h2 itemprop="headline">Thông báo lịch tiêm chủng</h2></div>
<dl><dd class="category-name"><a href="/thong-bao">Thông báo</a></dd>
<dd><time itemprop="datePublished" datetime="2021-08-02T09:00:00+00:00">02 Tháng 8 2021</time></dd></dl>
<div itemprop="articleBody"><p style="text-align: center;"><strong>LỊCH TIÊM</strong></p>
<table><tr><td>Thôn 1</td><td>Thứ Hai</td></tr></table></div></div></body></html>"""


def test_wordpress_and_joomla_presets_read_their_saved_pages(tmp_path):
    for preset, page, title in (("wordpress", WORDPRESS_PAGE, "Họp dân thôn 2"),
                                ("joomla", JOOMLA_PAGE, "Thông báo lịch tiêm chủng")):
        root = new_site(tmp_path / preset)
        mirror = tmp_path / preset / "mirror"
        write(mirror / "bai" / "index.html", page)
        write(mirror / "khac.html", "<html><body><p>Không phải bài</p></body></html>")
        config = write(tmp_path / preset / "import.yaml", f"preset: {preset}\nbase_url: http://xacu.gov.vn/\n"
                                                          "sections: {Tin tức: tin-tuc, Thông báo: thong-bao}\n")
        result = run("import", str(mirror), "--site", str(root), "--config", str(config))
        assert result.returncode == 0 and "Đã nhập 1 bài" in result.stdout and "khac.html" in result.stdout, \
            result.stdout + result.stderr
        public = build(root)
        path, doc = pages(public)[title]
        if preset == "wordpress":
            assert path.parent.parent.name == "tin-tuc" and "Văn phòng" in doc.get_text()
            assert doc.select_one("time").get_text(strip=True).startswith("Thứ Bảy, 05/03/2022 07:30")
            assert (public / "2022/03/hop-dan/index.html").is_file()           # the canonical old address
            assert [a["href"] for a in doc.select(".prose a")] == ["http://xacu.gov.vn/2022/03/thong-bao/"]
        else:
            assert path.parent.parent.name == "thong-bao"
            assert doc.select_one("time").get_text(strip=True).startswith("Thứ Hai, 02/08/2021 16:00")
            assert doc.select(".prose .can-giua") and doc.select(".prose div.bang table")
            assert (public / "bai/index.html").is_file()


def test_hostile_records_import_without_a_traceback_and_build(tmp_path):
    root = new_site(tmp_path)
    source = write(tmp_path / "x.json", json.dumps([
        {"title": "Sâu", "date": "01/02/2020", "body_html": "<div>" * 50000 + "chữ cuối"},     # the build refuses > 32
        {"title": "\u0000Điều\u0007 khiển", "date": "99/99/9999", "url": "javascript:alert(1)",
         "body_html": '<img src="../../../etc/passwd"><script>alert(1)</script><p onclick="x()">Chữ</p>'},
    ], ensure_ascii=False))
    result = run("import", str(source), "--site", str(root))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "lồng hơn 32 lớp" in result.stdout and "99/99/9999" in result.stdout
    texts = {p.name: p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md")}
    deep = next(t for n, t in texts.items() if n.startswith("2020-02-01"))
    assert "chữ cuối" in deep and "<div>" not in deep
    odd = next(t for n, t in texts.items() if not n.startswith("2020"))
    assert "title: Điều khiển\n" in odd and "aliases" not in odd and "script" not in odd and "onclick" not in odd
    assert "passwd" not in odd
    build(root)
