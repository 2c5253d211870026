"""The text of attached PDF and Word files: real files written here, read by attachtext and by whole builds."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import unicodedata
import zipfile
import zlib
from pathlib import Path

import docx

from conftest import NOW, run, write
from test_cache import cached_build, clean_build
from site_generator import attachtext, pipeline

SITE = """title: "Cổng thử tệp đính kèm"
base_url: "https://example.gov.vn/xa/"
sections:
  thong-bao: {title: "Thông báo"}
"""
WHEN = dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc)


def pdf(pages: list, decomposed: bool = False, image: bool = False) -> bytes:
    """A real PDF: each page shows its lines of text in a font whose /ToUnicode maps one byte per character
    (so any Vietnamese letter can be written); ``decomposed``: the map gives letters as base + combining marks
    (NFD), as some PDF writers do. An empty page list item gives a page with no text; ``image``: every page
    also paints a small grey image (what a scanner makes), and a page with no lines paints only that."""
    chars = sorted({c for lines in pages for line in lines for c in line})
    assert len(chars) < 255
    code = {c: i + 1 for i, c in enumerate(chars)}
    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <00> <FF> endcodespacerange"]
    for start in range(0, len(chars), 100):
        block = chars[start:start + 100]
        cmap.append(f"{len(block)} beginbfchar")
        for c in block:
            target = unicodedata.normalize("NFD", c) if decomposed else c
            cmap.append(f"<{code[c]:02X}> <{target.encode('utf-16-be').hex().upper()}>")
        cmap.append("endbfchar")
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                  b"/ToUnicode 4 0 R >>",
               5: b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream"}
    stream = "\n".join(cmap).encode()
    objects[4] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    kids = []
    for number, lines in enumerate(pages):
        ops = [b"q 400 0 0 500 100 150 cm /Im1 Do Q"] if image else []
        for row, line in enumerate(lines):
            shown = "".join(f"{code[c]:02X}" for c in line).encode()
            ops.append(b"BT /F1 12 Tf 72 %d Td <%s> Tj ET" % (760 - 16 * row, shown))
        content = b"\n".join(ops)
        page, body = 10 + 2 * number, 11 + 2 * number
        objects[body] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objects[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                         b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 5 0 R >> >> >>" % body)
        kids.append(b"%d 0 R" % page)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def word(paragraphs: list) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def saved(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


VIETNAMESE = ["Quyết định về việc công khai", "dự toán ngân sách xã năm 2026", "Chủ tịch UBND xã Tân Xuân"]


def test_each_page_of_a_pdf_gives_its_text_in_nfc_with_diacritics(tmp_path):
    for decomposed in (False, True):
        file = saved(tmp_path, f"qd-{decomposed}.pdf", pdf([VIETNAMESE, ["Trang hai:  đường\tliên  thôn"]],
                                                            decomposed=decomposed))
        text = attachtext.extract(file, "PDF")
        assert text == ("Quyết định về việc công khai dự toán ngân sách xã năm 2026 Chủ tịch UBND xã Tân Xuân",
                        "Trang hai: đường liên thôn"), (decomposed, text)
        assert all(unicodedata.is_normalized("NFC", page) for page in text)
    assert attachtext.extract(file, "PDF") == attachtext.extract(file, "pdf") == text      # same bytes, same text


def test_control_and_invisible_characters_are_dropped():
    assert attachtext.clean("a\x00b\u200bc\ufeffd\x07 \ue000e\n\nf") == "a b c d e f"
    assert attachtext.clean("Nghi\u0300 đi\u0323nh") == "Nghì định"


def test_a_scan_gives_empty_pages_and_an_unreadable_file_gives_none(tmp_path):
    scan = saved(tmp_path, "scan.pdf", pdf([[], []], image=True))
    assert attachtext.extract(scan, "PDF") == ("", "")
    good = pdf([VIETNAMESE, VIETNAMESE])
    assert attachtext.extract(saved(tmp_path, "rac.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 20), "PDF") is None
    assert attachtext.extract(saved(tmp_path, "ngan.pdf", good[:60]), "PDF") is None
    for cut in range(0, len(good), 23):           # every truncation: text, or None, never an exception
        found = attachtext.extract(saved(tmp_path, "cut.pdf", good[:cut]), "PDF")
        assert found is None or (isinstance(found, tuple) and all(isinstance(p, str) for p in found)), cut
    assert attachtext.extract(saved(tmp_path, "gia.docx", good), "DOCX") is None
    assert attachtext.extract(tmp_path / "khong-co.pdf", "PDF") is None
    assert attachtext.extract(tmp_path, "PDF") is None                   # a folder
    assert attachtext.extract(saved(tmp_path, "a.png", good), "PNG") is None


def test_limits_on_pages_characters_and_file_size(tmp_path, monkeypatch):
    many = attachtext.extract(saved(tmp_path, "dai.pdf", pdf([["trang"]] * (attachtext.MAX_PAGES + 30))), "PDF")
    assert many == ("trang",) * attachtext.MAX_PAGES
    line = "chữ " * 60
    pages = [[line] * 40] * 30                     # 30 pages of 9,600 characters
    monkeypatch.setattr(attachtext, "MAX_CHARS", 50_000)
    text = attachtext.extract(saved(tmp_path, "nhieu-chu.pdf", pdf(pages)), "PDF")
    assert sum(map(len, text)) == 50_000 and len(text) == 6 and len(text[-1]) < len(text[0])
    monkeypatch.setattr(attachtext, "MAX_CONTENT_BYTES", 100)          # each page's stream: 42 bytes
    assert attachtext.extract(saved(tmp_path, "ba.pdf", pdf([["trang"]] * 3)), "PDF") == ("trang", "trang")
    monkeypatch.setattr(attachtext, "MAX_FILE_BYTES", 1_000)
    assert attachtext.extract(saved(tmp_path, "lon.pdf", pdf([VIETNAMESE])), "PDF") is None


def test_a_word_file_is_one_page_and_a_zip_bomb_is_refused(tmp_path):
    data = word(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phiếu   đăng ký\tdự tuyển"])
    file = saved(tmp_path, "phieu.docx", data)
    assert attachtext.extract(file, "DOCX") == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Phiếu đăng ký dự tuyển",)

    bomb = io.BytesIO()                           # the same document with a 30 MB member packed into 30 KB
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("word/media/rong.bin", b"\0" * (30 << 20))
    assert len(bomb.getvalue()) < 100_000
    assert attachtext.extract(saved(tmp_path, "bom.docx", bomb.getvalue()), "DOCX") is None

    lying = bytearray(zlib.compress(b"x"))       # a zip that is not one, and a truncated one
    assert attachtext.extract(saved(tmp_path, "hong.docx", bytes(lying)), "DOCX") is None
    assert attachtext.extract(saved(tmp_path, "cut.docx", data[: len(data) // 2]), "DOCX") is None


def site_with(tmp_path: Path, files: dict, posts: dict) -> Path:
    site = tmp_path / "site"
    write(site / "site.yaml", SITE)
    for name, data in files.items():
        (site / "content" / "files").mkdir(parents=True, exist_ok=True)
        (site / "content" / "files" / name).write_bytes(data)
    for name, text in posts.items():
        write(site / "content" / "thong-bao" / name, text)
    return site


POST = ("---\ntitle: \"Công khai dự toán\"\ndate: 2026-11-02 08:00\nattachments:\n"
        "  - file: /files/du-toan.pdf\n    title: Dự toán\n"
        "  - file: /files/phieu.docx\n"
        "  - file: /files/ban-quet.pdf\n    title: Bản quét\n---\n\nNội dung.\n")
DRAFT = "---\ntitle: \"Nháp\"\ndate: 2026-11-03\ndraft: true\nattachments:\n  - file: /files/nhap.pdf\n---\n\nNháp.\n"


def texts(report) -> dict:
    return {a.file: a.text for post in report.site.posts for a in post.attachments}


def test_a_build_puts_the_text_in_the_model_and_warns_of_a_scan_at_its_line(tmp_path):
    site = site_with(tmp_path, {"du-toan.pdf": pdf([VIETNAMESE, ["Phụ lục"]]), "phieu.docx": word(["Họ và tên"]),
                                "ban-quet.pdf": pdf([[], []], image=True), "nhap.pdf": pdf([["Bản nháp"]])},
                     {"du-toan.md": POST, "nhap.md": DRAFT})
    result = run("--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert ("content/thong-bao/du-toan.md:8: cảnh báo: tệp đính kèm `files/ban-quet.pdf` là bản quét, không có lớp "
            "chữ: người đọc bằng trình đọc màn hình và ô tìm kiếm không đọc được nội dung — đính kèm thêm bản PDF có "
            "chữ (xuất từ Word) hoặc chạy nhận dạng chữ (OCR) trước khi đăng") in said, said
    assert said.count("bản quét") == 1 and "Traceback" not in said
    html = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html"))
    assert "files/du-toan.pdf" in html and "ngân sách xã năm 2026" not in html       # the text is never shown

    report = pipeline.build(site, tmp_path / "out2", pipeline.BuildOptions(cache=False, jobs=1), WHEN)
    assert texts(report) == {
        "files/du-toan.pdf": ("Quyết định về việc công khai dự toán ngân sách xã năm 2026 Chủ tịch UBND xã Tân Xuân",
                              "Phụ lục"),
        "files/phieu.docx": ("Họ và tên",), "files/ban-quet.pdf": ("", "")}       # drafts are not in the model


def test_cached_builds_keep_the_text_of_the_bytes_a_file_has_now(tmp_path, monkeypatch):
    site = site_with(tmp_path, {"du-toan.pdf": pdf([VIETNAMESE]), "phieu.docx": word(["Họ và tên"]),
                                "ban-quet.pdf": pdf([[]], image=True)}, {"du-toan.md": POST})
    calls = []
    extract = attachtext.extract
    monkeypatch.setattr(attachtext, "extract", lambda path, kind: calls.append(path.name) or extract(path, kind))

    def both() -> dict:
        """The model of a build that uses .cache/ and of one that does not (no output: a written, unchanged
        site is up to date and builds no model), and the output trees of both (test_cache's helpers)."""
        cached = pipeline.build(site, tmp_path / "out", pipeline.BuildOptions(write=False, jobs=1), WHEN)
        clean = pipeline.build(site, tmp_path / "out", pipeline.BuildOptions(write=False, cache=False, jobs=1), WHEN)
        assert texts(cached) == texts(clean)
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        assert cached_build(site, tmp_path / "out") == clean_build(site, tmp_path / "clean")
        return texts(cached)

    assert both()["files/du-toan.pdf"] == (" ".join(VIETNAMESE),)
    assert (site / ".cache" / "attachment-text.pickle").is_file()
    calls.clear()
    both()
    assert sorted(calls) == ["ban-quet.pdf", "du-toan.pdf", "phieu.docx"]       # the clean build alone read them

    calls.clear()
    (site / "content" / "files" / "du-toan.pdf").write_bytes(pdf([["Dự toán đã sửa"], ["trang mới"]]))
    (site / "content" / "files" / "ban-quet.pdf").write_bytes(pdf([["Đã nhận dạng chữ"]], image=True))
    found = both()
    assert found["files/du-toan.pdf"] == ("Dự toán đã sửa", "trang mới")
    assert found["files/ban-quet.pdf"] == ("Đã nhận dạng chữ",)
    assert sorted(calls) == ["ban-quet.pdf", "ban-quet.pdf", "du-toan.pdf", "du-toan.pdf", "phieu.docx"]

    calls.clear()                                # another version of the extractor (or of pypdf): read again
    monkeypatch.setattr(attachtext, "version", lambda: "khac")
    both()
    assert sorted(calls) == ["ban-quet.pdf", "ban-quet.pdf", "du-toan.pdf", "du-toan.pdf", "phieu.docx", "phieu.docx"]


def test_files_read_in_worker_processes_give_what_one_process_gives(tmp_path):
    files = [(saved(tmp_path, "a.pdf", pdf([VIETNAMESE, ["hai"]])), "PDF"),
             (saved(tmp_path, "b.docx", word(["Họ tên"])), "DOCX"),
             (saved(tmp_path, "c.pdf", b"%PDF-1.4 hong"), "PDF"),
             (saved(tmp_path, "d.pdf", pdf([[]], image=True)), "PDF")]
    assert attachtext.extract_all(files, 2) == attachtext.extract_all(files, 1) == [
        (" ".join(VIETNAMESE), "hai"), ("Họ tên",), None, ("",)]
    site = site_with(tmp_path, {"du-toan.pdf": pdf([VIETNAMESE]), "phieu.docx": word(["Họ và tên"]),
                                "ban-quet.pdf": pdf([[]], image=True)}, {"du-toan.md": POST})
    parallel = pipeline.build(site, None, pipeline.BuildOptions(write=False, cache=False, jobs=2), WHEN)
    single = pipeline.build(site, None, pipeline.BuildOptions(write=False, cache=False, jobs=1), WHEN)
    assert texts(parallel) == texts(single) and texts(single)["files/phieu.docx"] == ("Họ và tên",)
    assert parallel.problems.sorted() == single.problems.sorted()
