"""`python build.py new SECTION --from tệp.docx`: a real Word file (written by python-docx) becomes a draft
post whose built page has its headings, lists, table, picture and the .docx attached; hostile or broken
files get a Vietnamese message and exit 1 or 2, never a traceback, and nothing is written."""
from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import docx
from docx.shared import Inches

from conftest import minimal_site, problem_lines, run, soup

NFD_TITLE = unicodedata.normalize("NFD", "Kết luận kiểm tra cải cách hành chính xã Tân Đức")


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (red pixels) of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(min(height, 4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def word_file(path: Path, picture: bytes | None = None, heading: str | None = NFD_TITLE) -> Path:
    document = docx.Document()
    if heading is not None:
        document.add_heading(heading, 1)
    paragraph = document.add_paragraph("Đoàn kiểm tra đã làm việc với ")
    paragraph.add_run("UBND xã Tân Đức").bold = True
    paragraph.add_run(" và ")
    paragraph.add_run("các phòng chuyên môn").italic = True
    paragraph.add_run(". 1. Không phải danh sách <b>thẻ</b> a_b *c*")
    document.add_heading("Những việc đã làm được", 2)
    document.add_paragraph("Niêm yết đầy đủ thủ tục hành chính", style="List Bullet")
    document.add_paragraph("Tiếp nhận hồ sơ trực tuyến mức độ 4", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for row, (unit, rating) in enumerate([("Đơn vị", "Xếp loại"), ("Tân Đức", "Hoàn thành tốt"),
                                          ("Tân Xuân", "Hoàn thành")]):
        table.cell(row, 0).text, table.cell(row, 1).text = unit, rating
    document.add_picture(io.BytesIO(picture or png()), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "Đoàn kiểm tra làm việc tại xã")
    document.add_paragraph("Ý kiến kết luận của Trưởng đoàn.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def rezip(source: Path, target: Path, change) -> Path:
    """A copy of a .docx with its members passed through ``change(name, data) -> [(name, data), ...]``."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            for name, data in change(info.filename, original.read(info)):
                copy.writestr(name, data)
    return target


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr.replace("— ", ""), result.stderr


def written_files(root: Path) -> set:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_a_word_file_becomes_a_draft_that_builds_with_its_table_picture_and_attachment(tmp_path):
    site = minimal_site(tmp_path / "site")
    source = word_file(tmp_path / "Kết luận 12.docx")
    created = run("new", "tin-tuc", "--from", str(source), "--site", str(site))
    assert created.returncode == 0, created.stderr
    no_traceback(created)
    posts = list((site / "content" / "tin-tuc").glob("*.md"))
    assert len(posts) == 1
    post = posts[0]
    assert post.name.endswith("-ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc.md"), post.name
    text = post.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert 'title: "Kết luận kiểm tra cải cách hành chính xã Tân Đức"' in text
    assert re.search(r"^draft: true", text, re.M)
    assert "**UBND xã Tân Đức**" in text and "*các phòng chuyên môn*" in text       # bold and italic as Markdown
    assert "## Những việc đã làm được" in text and "- Niêm yết đầy đủ thủ tục hành chính" in text
    folder = site / "content" / "files" / "ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc"
    assert sorted(p.name for p in folder.iterdir()) == ["hinh-1.png", "ket-luan-12.docx"]
    assert (folder / "hinh-1.png").read_bytes() == png()
    assert (folder / "ket-luan-12.docx").read_bytes() == source.read_bytes()
    assert "file: /files/ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc/ket-luan-12.docx" in text

    checked = run("check", "--site", str(site), "--strict")
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "out"
    assert run("build", "--site", str(site), "--output", str(out)).returncode == 0
    assert not (out / "tin-tuc" / "ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc").exists()   # a draft
    built = run("build", "--site", str(site), "--output", str(out), "--drafts", "--strict")
    assert built.returncode == 0, built.stderr
    page = soup(out / "tin-tuc" / "ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc" / "index.html")
    assert page.h1.get_text(strip=True) == "Kết luận kiểm tra cải cách hành chính xã Tân Đức"
    body = page.find(class_="prose")
    assert [h.get_text(strip=True) for h in body.find_all("h2")] == ["Những việc đã làm được"]
    assert body.find("strong").get_text() == "UBND xã Tân Đức" and body.find("em").get_text() == "các phòng chuyên môn"
    assert "1. Không phải danh sách <b>thẻ</b> a_b *c*" in body.get_text()         # Word's text stays text
    assert [li.get_text(strip=True) for li in body.find("ul").find_all("li")] == [
        "Niêm yết đầy đủ thủ tục hành chính", "Tiếp nhận hồ sơ trực tuyến mức độ 4"]
    cells = [td.get_text(strip=True) for td in body.find("table").find_all(["td", "th"])]
    assert cells == ["Đơn vị", "Xếp loại", "Tân Đức", "Hoàn thành tốt", "Tân Xuân", "Hoàn thành"]
    image = body.find("img")
    assert image["alt"] == "Đoàn kiểm tra làm việc tại xã"
    assert image["src"].endswith("/files/ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc/hinh-1.png")
    assert (out / "files" / "ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc" / "hinh-1.png").read_bytes() == png()
    links = [a["href"] for a in page.find_all("a", href=True)]
    assert any(h.endswith("/files/ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc/ket-luan-12.docx") for h in links)
    assert (out / "files" / "ket-luan-kiem-tra-cai-cach-hanh-chinh-xa-tan-duc" / "ket-luan-12.docx").is_file()
    assert body.find(string=re.compile("Ý kiến kết luận của Trưởng đoàn"))


def test_the_title_comes_from_the_argument_a_bold_paragraph_or_the_file_name(tmp_path):
    site = minimal_site(tmp_path / "site")
    given = run("new", "trang", "Giới thiệu chung", "--from", str(word_file(tmp_path / "a.docx")), "--site", str(site))
    assert given.returncode == 0, given.stderr
    page = (site / "content" / "trang" / "gioi-thieu-chung.md").read_text(encoding="utf-8")   # pages: no date
    assert 'title: "Giới thiệu chung"' in page
    assert "Kết luận kiểm tra cải cách" in unicodedata.normalize("NFC", page)      # its own heading stays in the body

    document = docx.Document()
    document.add_paragraph().add_run("THÔNG BÁO LỊCH TIẾP CÔNG DÂN").bold = True
    document.add_paragraph("Chủ tịch UBND xã tiếp công dân vào thứ Năm hằng tuần.")
    document.save(str(tmp_path / "b.docx"))
    bold = run("new", "tin-tuc", "--from", str(tmp_path / "b.docx"), "--site", str(site))
    assert bold.returncode == 0, bold.stderr
    post = next((site / "content" / "tin-tuc").glob("*-thong-bao-lich-tiep-cong-dan.md")).read_text(encoding="utf-8")
    assert 'title: "THÔNG BÁO LỊCH TIẾP CÔNG DÂN"' in post and post.count("THÔNG BÁO LỊCH") == 1

    document = docx.Document()
    document.add_paragraph("Chỉ có một đoạn văn thường.")
    document.save(str(tmp_path / "ke_hoach_2025.docx"))
    named = run("new", "tin-tuc", "--from", str(tmp_path / "ke_hoach_2025.docx"), "--site", str(site))
    assert named.returncode == 0, named.stderr
    assert list((site / "content" / "tin-tuc").glob("*-ke-hoach-2025.md"))
    assert run("check", "--site", str(site)).returncode == 0
    again = run("new", "tin-tuc", "--from", str(tmp_path / "ke_hoach_2025.docx"), "--site", str(site))
    assert again.returncode == 1 and problem_lines(again.stderr)                    # never overwrites
    no_traceback(again)


def test_title_is_required_without_from_and_the_section_must_take_posts(tmp_path):
    site = minimal_site(tmp_path / "site")
    missing = run("new", "tin-tuc", "--site", str(site))
    assert missing.returncode == 2 and "Thiếu tiêu đề" in missing.stderr
    unknown = run("new", "khong-co", "--from", str(word_file(tmp_path / "a.docx")), "--site", str(site))
    assert unknown.returncode == 2
    absent = run("new", "tin-tuc", "--from", str(tmp_path / "khong-co.docx"), "--site", str(site))
    assert absent.returncode == 2 and problem_lines(absent.stderr), absent.stderr
    no_traceback(absent)


def hostile_cases(tmp_path: Path) -> dict:
    good = word_file(tmp_path / "good" / "tot.docx")
    cases = {}
    (tmp_path / "not-zip.docx").write_bytes(b"<html><script>alert(1)</script></html>")
    cases["not-zip.docx"] = "không phải tệp Word"
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    cases["old.docx"] = "đời cũ (.doc)"
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("word/document.xml", b"\0" * (40 << 20))                   # 40 MB of zeros, ~40 KB packed
    cases["bomb.docx"] = "có thể là tệp độc hại"
    rezip(good, tmp_path / "corrupt.docx",
          lambda n, d: [(n, b"<w:document xmlns:w='x'><w:body><unclosed" if n == "word/document.xml" else d)])
    cases["corrupt.docx"] = "tệp bị hỏng"
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e0 "haha">{entities}]>'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
              '<w:t>&e9;</w:t></w:r></w:p></w:body></w:document>')
    rezip(good, tmp_path / "laughs.docx", lambda n, d: [(n, laughs.encode() if n == "word/document.xml" else d)])
    cases["laughs.docx"] = "tệp bị hỏng"                                        # a billion laughs: expat refuses
    rezip(good, tmp_path / "huge-image.docx",
          lambda n, d: [(n, png(40_000, 40_000) if n.startswith("word/media/") else d)])
    cases["huge-image.docx"] = "quá 60 triệu điểm ảnh"
    with zipfile.ZipFile(tmp_path / "truncated.docx", "w") as cut:
        cut.writestr("x", "y")
    (tmp_path / "truncated.docx").write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
    cases["truncated.docx"] = "không phải tệp Word"
    (tmp_path / "ket-luan.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    cases["ket-luan.doc"] = "đời cũ (.doc)"
    return cases


def test_hostile_or_broken_word_files_get_a_message_and_nothing_is_written(tmp_path):
    site = minimal_site(tmp_path / "site")
    before = written_files(site)
    for name, said in hostile_cases(tmp_path).items():
        result = run("new", "tin-tuc", "--from", str(tmp_path / name), "--site", str(site))
        assert result.returncode in (1, 2), (name, result.stdout, result.stderr)
        no_traceback(result)
        lines = problem_lines(result.stderr)
        assert lines and said in lines[0] and lines[0].startswith(str(tmp_path / name)), (name, result.stderr)
        assert written_files(site) == before, name


def test_a_path_like_picture_name_and_an_unpublished_picture_type_write_only_safe_names(tmp_path):
    site = minimal_site(tmp_path / "site")
    good = word_file(tmp_path / "tot.docx")

    def escape(name, data):
        if name.startswith("word/media/"):
            return [("word/media/../../../../thoat-ra.png", data)]
        if name == "word/_rels/document.xml.rels":
            return [(name, re.sub(rb'Target="media/[^"]+"', b'Target="media/../../../../thoat-ra.png"', data))]
        return [(name, data)]
    rezip(good, tmp_path / "duong-dan.docx", escape)
    result = run("new", "tin-tuc", "Ảnh có tên lạ", "--from", str(tmp_path / "duong-dan.docx"), "--site", str(site))
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    files = written_files(tmp_path)
    assert not [f for f in files if "thoat-ra" in f], files
    folder = site / "content" / "files" / "anh-co-ten-la"
    for path in folder.iterdir():
        assert re.fullmatch(r"[a-z0-9-]+\.(png|docx)", path.name), path.name

    def emf(name, data):                                   # a Word drawing: not published, left out, said
        return [(name, b"\x01\x00\x00\x00" + bytes(200) if name.startswith("word/media/") else data)]
    rezip(good, tmp_path / "hinh-ve.docx", emf)
    drawn = run("new", "tin-tuc", "Hình vẽ", "--from", str(tmp_path / "hinh-ve.docx"), "--site", str(site))
    assert drawn.returncode == 0, drawn.stderr
    assert any("cổng không đăng dạng này" in line for line in problem_lines(drawn.stderr)), drawn.stderr
    assert sorted(p.name for p in (site / "content" / "files" / "hinh-ve").iterdir()) == ["hinh-ve.docx"]
    assert run("check", "--site", str(site)).returncode == 0


def test_convert_is_a_plain_function_for_other_callers(tmp_path):
    from site_generator import wordin
    from site_generator.problems import Problems
    problems = Problems()
    converted = wordin.convert(word_file(tmp_path / "a.docx").read_bytes(), "a.docx", problems)
    assert not problems.errors
    assert converted.title == unicodedata.normalize("NFC", NFD_TITLE)
    assert [image.name for image in converted.images] == ["hinh-1.png"] and converted.images[0].data == png()
    text = converted.markdown("/files/x/")
    assert "![Đoàn kiểm tra làm việc tại xã](/files/x/hinh-1.png)" in text and "<td>" in text
    problems = Problems()
    assert wordin.convert(b"PK\x03\x04 not really", "b.docx", problems) is None
    assert [p.code for p in problems.errors] == ["word-not-docx"]
