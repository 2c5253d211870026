"""Raw HTML in a body is as good as Markdown: links, files, headings, tables, alignment, NFC, addresses."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from conftest import minimal_site, problem_lines, run, soup, write

POST = "content/tin-tuc/2025-06-01-bai-html.md"


def site(tmp_path: Path, body: str, base_url: str = "https://example.gov.vn/xa/") -> Path:
    root = minimal_site(tmp_path / "site", f"""title: "Cổng thử nghiệm"
base_url: "{base_url}"
sections:
  tin-tuc: {{title: "Tin tức"}}
  trang: {{title: "Giới thiệu", kind: pages}}
""")
    write(root / "content/files/anh.png", "")
    (root / "content/files/anh.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    write(root / "content/files/ket-luan.pdf", "%PDF-1.4\n%%EOF\n")
    write(root / "content/tin-tuc/2025-05-01-khac.md", "---\ntitle: Bài khác\ndate: 2025-05-01\n---\nChữ.\n")
    write(root / POST, f"---\ntitle: Bài HTML\ndate: 2025-06-01 08:00\n---\n{body}")
    return root


def build(root: Path):
    return run("--site", str(root), "--output", str(root / "public"))


def page(root: Path):
    return soup(root / "public/tin-tuc/bai-html/index.html").select_one(".prose")


def test_raw_links_and_images_are_rewritten_under_the_sub_path(tmp_path):
    root = site(tmp_path, '<p><img src="/files/anh.png" alt="Ảnh"> <a href="../files/ket-luan.pdf">Kết luận</a>'
                          ' <a href="2025-05-01-khac.md#muc">bài khác</a> <a href="/tin-tuc/">tin</a>'
                          ' <a href="/">trang chủ</a></p>\n')
    result = build(root)
    assert result.returncode == 0, result.stderr
    body = page(root)
    assert body.img["src"] == "/xa/files/anh.png" and body.img["loading"] == "lazy"
    hrefs = [a["href"] for a in body.find_all("a")]
    assert hrefs == ["/xa/files/ket-luan.pdf", "/xa/tin-tuc/bai-khac/#muc", "/xa/tin-tuc/", "/xa/"]
    assert (root / "public/files/anh.png").is_file() and (root / "public/files/ket-luan.pdf").is_file()


def test_raw_missing_files_md_links_and_local_files_are_errors_at_their_lines(tmp_path):
    root = site(tmp_path, '<p>Mở đầu.</p>\n<p><img src="/files/thieu.png" alt="x"></p>\n'
                          '<p><a href="/files/thieu.pdf">tệp</a></p>\n<p><a href="khong-co.md">bài</a></p>\n'
                          '<p><a href="file:///D:/Van%20ban/qd.doc">máy</a></p>\n')
    (root / "public").mkdir()
    write(root / "public/index.html", "cũ")
    result = build(root)
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    assert [line.split(":")[1] for line in lines] == ["6", "7", "8", "9"], lines
    assert "thieu.png" in lines[0] and "thieu.pdf" in lines[1] and "khong-co.md" in lines[2]
    assert "file:///D:/Van%20ban/qd.doc" in lines[3] and "máy tính" in lines[3]
    assert (root / "public/index.html").read_text(encoding="utf-8") == "cũ"     # nothing written


def test_addresses_no_page_has_are_errors_in_markdown_and_raw_html(tmp_path):
    root = site(tmp_path, 'Xem [tin](/tin-tuc/), [nguồn](/tin-tuc/feed.xml), [hỏng](/tin-tuc/khong-co-bai-nay/)'
                          ' và <a href="/thong-bao/">thông báo</a>.\n')
    result = build(root)
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    assert len(lines) == 2, lines
    assert all(line.startswith(POST + ":5:") for line in lines)
    assert "`/thong-bao/`" in lines[0] and "`/tin-tuc/khong-co-bai-nay/`" in lines[1]
    assert not (root / "public").exists()
    check = run("check", "--site", str(root))
    assert check.returncode == 1 and problem_lines(check.stderr) == lines


def test_raw_h1_is_demoted_and_tables_get_the_scroll_box(tmp_path):
    root = site(tmp_path, "<h1>Phần một</h1>\n<p>Đoạn một.</p>\n<h2>Mục</h2>\n"
                          "<table><tr><td>1</td><td>2</td></tr></table>\n\n| A | B |\n|---|---|\n| 3 | 4 |\n")
    assert build(root).returncode == 0
    body = page(root)
    assert [h.name for h in body.find_all(["h1", "h2", "h3"])] == ["h2", "h3"]
    assert body.h2.get_text() == "Phần một"
    boxes = body.select("div.bang")
    assert len(boxes) == 2 and all(box.table is not None for box in boxes)
    assert sorted(box["aria-label"] for box in boxes) == ["Bảng 1", "Bảng 2"]
    assert all(box["role"] == "region" and box["tabindex"] == "0" for box in boxes)


def test_alignment_becomes_classes_and_no_style_survives(tmp_path):
    root = site(tmp_path, '<p style="text-align: center">Giữa</p>\n<p align="right">Phải</p>\n'
                          '<p style="color:red;text-align:justify">Đều</p>\n<p style="text-align:left">Trái</p>\n\n'
                          "| A | B |\n|:-:|--:|\n| 1 | 2 |\n")
    assert build(root).returncode == 0
    body = page(root)
    assert [p.get("class") for p in body.find_all("p")] == [["can-giua"], ["can-phai"], ["can-deu"], None]
    assert [c.get("class") for c in body.find_all(["th", "td"])] == [["can-giua"], ["can-phai"]] * 2
    assert not body.select("[style], [align]")
    html = (root / "public/tin-tuc/bai-html/index.html").read_text(encoding="utf-8")
    assert "style-src-attr" not in html and "unsafe-inline" not in html
    css = (root / "public/css/site.css").read_text(encoding="utf-8")             # published minified
    assert ".can-giua{text-align:center}" in css and ".can-phai{text-align:right}" in css


def test_text_is_nfc_after_entities_in_markdown_and_raw_html(tmp_path):
    root = site(tmp_path, "Tr&ocirc;\u0300ng c&acirc;y.\n\n<p>Tr&ocirc;\u0300ng <b>r&#x1EEB;ng</b> &amp; gi\u01b0\u0303</p>\n")
    assert build(root).returncode == 0
    text = page(root).get_text()
    assert "Trồng cây." in text and "Trồng rừng & giữ" in text
    raw = (root / "public/tin-tuc/bai-html/index.html").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    feed = (root / "public/feed.xml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", feed) and "Trồng cây" in feed


def test_a_file_name_written_in_the_other_unicode_form_is_the_same_file(tmp_path):
    nfd = unicodedata.normalize("NFD", "Kết luận thanh tra.pdf")
    root = site(tmp_path, f'Tải [kết luận](/files/{unicodedata.normalize("NFC", "Kết luận thanh tra.pdf")}) và'
                          f' <a href="/files/{nfd}">bản HTML</a>.\n')
    (root / "content/files" / nfd).write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = build(root)
    assert result.returncode == 0, result.stderr
    hrefs = {a["href"] for a in page(root).find_all("a")}
    assert len(hrefs) == 1


def test_an_empty_post_is_published_with_a_warning(tmp_path):
    root = site(tmp_path, "\n\n")
    result = build(root)
    assert result.returncode == 0
    assert [line.split(": ", 1)[0] for line in problem_lines(result.stderr)] == [f"{POST}:5"]        # the body's first line
    assert "không có nội dung" in result.stderr
    assert run("--site", str(root), "--output", str(root / "public"), "--strict").returncode == 1


def test_entities_in_a_yaml_title_and_summary_are_decoded_to_nfc(tmp_path):
    root = site(tmp_path, "Chữ.\n")
    post = root / POST
    post.write_text(post.read_text(encoding="utf-8").replace(
        "title: Bài HTML", 'title: "Bài HTML: tr&ocirc;\u0300ng c&acirc;y &amp; r&#7915;ng"\n'
                           'summary: "Tóm t&#7855;t"\nslug: bai-html'), encoding="utf-8")
    assert build(root).returncode == 0
    doc = soup(root / "public/tin-tuc/bai-html/index.html")
    assert doc.h1.get_text(strip=True) == "Bài HTML: trồng cây & rừng"
    assert doc.find("meta", attrs={"name": "description"})["content"] == "Tóm tắt"


def test_entities_in_the_author_tags_and_corrections_are_decoded_too(tmp_path):
    """An imported page's author or tag (Ph&ograve;ng) reads as written, not as `&amp;ograve;`."""
    root = site(tmp_path, "Chữ.\n")
    post = root / POST
    post.write_text(post.read_text(encoding="utf-8").replace(
        "title: Bài HTML", 'title: Bài HTML\nslug: bai-html\nauthor: "Ph&ograve;ng N&#7897;i v&#7909;"\n'
                           'tags: ["C&#7843;i c&aacute;ch"]\ncorrections:\n'
                           '  - {date: 2025-06-03, note: "S&#7917;a ng&agrave;y &lt;h&#7885;p&gt;"}'), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stderr
    text = soup(root / "public/tin-tuc/bai-html/index.html").get_text(" ", strip=True)
    for shown in ("Phòng Nội vụ", "Cải cách", "Sửa ngày <họp>"):
        assert shown in text, shown
    assert "&ograve;" not in text and "&#" not in text and "&lt;" not in text
