"""Hostile files in a site: links out of it, devices, pipes, script-carrying types, huge files.

Each case builds a real site (the sample portal, or a minimal one) with the hostile file in
place and asserts the outcome: a ``path: what — fix`` problem naming the file, exit status 1,
nothing of it in the output, and the last good output untouched. One build reports every
problem at once.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, NOW, copy_sample, minimal_site, problem_lines, run, write

from site_generator import inputs

POST = "---\ntitle: Bài thử\ndate: 2026-11-01\n---\nNội dung.\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)


def build(site: Path, out: Path):
    return run("--site", str(site), "--output", str(out), "--now", NOW)


def lines_about(result, path: str) -> list[str]:
    return [line for line in problem_lines(result.stderr) if line.startswith(path + ":")]


@pytest.fixture
def site(tmp_path) -> Path:
    root = minimal_site(tmp_path / "site")
    write(root / "content" / "tin-tuc" / "2026-11-01-bai.md", POST)
    return root


def test_every_hostile_file_is_refused_in_one_run_and_nothing_is_published(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).returncode == 0            # the last good output
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    elsewhere = write(tmp_path / "elsewhere" / "bai.md", POST)
    files = site / "content" / "files"
    files.mkdir()
    hostile = {
        "content/files/passwd.txt": lambda p: p.symlink_to("/etc/passwd"),
        "content/tin-tuc/lien-ket.md": lambda p: p.symlink_to(elsewhere),
        "content/files/zero.pdf": lambda p: p.symlink_to("/dev/zero"),
        "content/files/khong-co.pdf": lambda p: p.symlink_to(tmp_path / "missing.pdf"),
        "content/files/vong": lambda p: p.symlink_to(files),                       # a folder loop
        "content/files/ngoai": lambda p: p.symlink_to(tmp_path / "elsewhere"),     # a folder outside
        "content/files/ong.pdf": lambda p: os.mkfifo(p),
        "content/files/trang.html": lambda p: p.write_text("<script>alert(1)</script>"),
        "content/files/anh.svg": lambda p: p.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        "content/files/du-lieu.xml": lambda p: p.write_text('<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>'),
        "content/files/a.xhtml": lambda p: p.write_text("x"),
        "content/files/a.htm": lambda p: p.write_text("x"),
        "content/js/counter.js": lambda p: p.write_text("alert(1)"),
        "content/files/kieu.css": lambda p: p.write_text("body{}"),
        "content/files/chay.exe": lambda p: p.write_bytes(b"MZ"),
        "content/files/khong-duoi": lambda p: p.write_text("x"),
        "content/files/gia.jpg": lambda p: p.write_text("<html><script>alert(1)</script></html>"),
        "content/files/gia.pdf": lambda p: p.write_text("<html>không phải PDF</html>"),
        "content/files/to.pdf": lambda p: os.truncate(_touch(p), inputs.MAX_FILE_BYTES + 1),   # sparse: no disk used
        "content/tin-tuc/2026-11-02-to.md": lambda p: os.truncate(_touch(p), inputs.MAX_TEXT_BYTES + 1),
    }
    for relative, make in hostile.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(files / "o.sock"))
    hostile["content/files/o.sock"] = None
    deep = site / "content" / "files" / "/".join(["c"] * (inputs.MAX_DEPTH + 1))
    deep.mkdir(parents=True)
    write(deep / "a.pdf", "%PDF-1.4")
    try:
        result = build(site, out)
    finally:
        server.close()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for relative in hostile:
        assert lines_about(result, relative), f"no problem names {relative}:\n{result.stderr}"
    assert [line for line in problem_lines(result.stderr) if "/c/c/c/" in line and "24" in line]
    after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert after == before, "a refused build changed the output"
    assert "root:" not in "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())


def _touch(path: Path) -> Path:
    path.touch()
    return path


def test_a_link_to_a_file_inside_content_is_published_as_that_file(site, tmp_path):
    target = site / "content" / "files" / "goc" / "ke-hoach.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"%PDF-1.4 ke hoach\n%%EOF\n")
    (site / "content" / "files" / "ke-hoach-2026.pdf").symlink_to(target)
    out = tmp_path / "out"
    result = build(site, out)
    assert result.returncode == 0, result.stderr
    copied = out / "files" / "ke-hoach-2026.pdf"
    assert not copied.is_symlink() and copied.read_bytes() == target.read_bytes()


def test_a_content_file_never_takes_a_theme_file_s_place(site, tmp_path):
    (site / "static" / "img").mkdir(parents=True)
    (site / "static" / "img" / "logo.png").write_bytes(PNG)
    (site / "content" / "img").mkdir()
    (site / "content" / "img" / "logo.png").write_bytes(PNG + b"other")
    result = build(site, tmp_path / "out")
    assert result.returncode == 1
    [line] = lines_about(result, "content/img/logo.png")
    assert "/img/logo.png" in line and "static/" in line


@pytest.mark.parametrize("where", ["site.yaml", "data/units.yaml", "templates/base.html", "static/css/site.css"])
def test_links_out_of_the_site_s_other_folders_are_refused(site, tmp_path, where):
    path = site / where
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = write(tmp_path / "secret.txt", "title: BI MAT\n")
    if path.exists():
        path.unlink()
    path.symlink_to(secret)
    result = build(site, tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert lines_about(result, where), result.stderr
    assert not (tmp_path / "out").exists() or "BI MAT" not in "".join(
        p.read_text(errors="replace") for p in (tmp_path / "out").rglob("*") if p.is_file())


def test_devices_in_place_of_the_configuration_are_never_read(site, tmp_path):
    (site / "data").mkdir()
    (site / "data" / "units.yaml").symlink_to("/dev/zero")      # a link out: refused before any read
    os.mkfifo(site / "data" / "more.yaml")
    result = build(site, tmp_path / "out")                      # would hang on the FIFO if it were opened
    assert result.returncode == 1 and lines_about(result, "data/units.yaml")


def test_names_with_control_characters_or_bad_bytes_are_refused(site, tmp_path):
    files = site / "content" / "files"
    files.mkdir()
    (files / "a\nb.pdf").write_bytes(b"%PDF-1.4")
    os.close(os.open(os.fsencode(files) + b"/t\xe9t.pdf", os.O_CREAT | os.O_WRONLY))   # Latin-1, not UTF-8
    result = build(site, tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    shown = lines_about(result, "content/files")
    assert len(shown) == 2, result.stderr


def test_a_cloned_sample_with_a_planted_link_keeps_its_output(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    (site / "content" / "files" / "passwd.txt").symlink_to("/etc/passwd")
    result = build(site, out)
    assert result.returncode == 1 and lines_about(result, "content/files/passwd.txt")
    assert not (out / "files" / "passwd.txt").exists()


class _Planted:
    """A pickle that, when loaded, writes a marker file: what a planted .cache/ would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def test_a_planted_cache_never_runs_code(tmp_path):
    import io
    import marshal
    import pickle

    import jinja2.bccache

    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    marker = tmp_path / "ran"
    planted = 0
    for file in (site / ".cache").rglob("*"):
        if not file.is_file():
            continue
        if file.parent.name == "jinja":       # a valid Jinja2 bytecode file for the current template
            data = file.read_bytes()
            data = data[data.index(jinja2.bccache.bc_magic):]
            stream = io.BytesIO(data[len(jinja2.bccache.bc_magic):])
            checksum = pickle.load(stream)
            code = compile(f"open({str(marker)!r}, 'w').write('ran')", "<planted>", "exec")
            file.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))
        else:
            file.write_bytes(pickle.dumps(_Planted(marker)))
        planted += 1
    assert planted >= 8, "the cache should hold bodies, front matter, metas, digests, pages, trees, stamp, templates"
    first = site / "content" / "tin-tuc"
    post = sorted(first.glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    result = build(site, out)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a planted cache file ran code"
    clean = tmp_path / "clean"
    assert run("--site", str(site), "--output", str(clean), "--now", NOW, "--no-cache").returncode == 0
    assert _tree(out) == _tree(clean)


def _tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


SCRIPT_ADDRESSES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\\tscript:alert(1)",
    "java\\nscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd", "jar:https://e.vn/a.jar!/", "https:", "blob:https://e.vn/x",
]


def test_addresses_in_site_yaml_that_could_run_script_are_refused(tmp_path):
    menu = "".join(f'  - {{title: "M{i}", url: "{url}"}}\n' for i, url in enumerate(SCRIPT_ADDRESSES))
    site = minimal_site(tmp_path / "site", with_config(menu=menu, email="javascript:alert(1)//@x.vn",
                                                                     phone="javascript:alert(1)",
                                                                     counter="javascript:alert(1)"))
    write(site / "content" / "tin-tuc" / "2026-11-01-bai.md", POST)
    result = build(site, tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    shown = lines_about(result, "site.yaml")
    assert len(shown) == len(SCRIPT_ADDRESSES) + 3, "\n".join(shown)
    assert not (tmp_path / "out").exists()


def test_the_addresses_an_office_uses_are_accepted(tmp_path):
    menu = "".join(f'  - {{title: "M{i}", url: "{url}"}}\n' for i, url in enumerate(
        ["https://dichvucong.gov.vn/", "http://vbpl.vn/", "/gioi-thieu/", "trang/", "mailto:ubnd@e.gov.vn",
         "tel:02523848123"]))
    site = minimal_site(tmp_path / "site", with_config(menu=menu, email="vanphong.ubnd@hamtan.gov.vn",
                                                                     phone="(0252) 3.848.123 - 0912 345 678",
                                                                     counter="/api/"))
    write(site / "content" / "tin-tuc" / "2026-11-01-bai.md", POST)
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("field", ["image", "attachment"])
def test_file_fields_take_paths_only(tmp_path, field):
    site = minimal_site(tmp_path / "site")
    values = [*SCRIPT_ADDRESSES, "https://other.example.com/a.pdf", "//other.example.com/a.pdf", "C:\\\\tai-lieu\\\\a.pdf"]
    for i, value in enumerate(values):
        front = (f'image: "{value}"\n' if field == "image" else f'attachments:\n  - file: "{value}"\n    title: "T"\n')
        write(site / "content" / "tin-tuc" / f"2026-11-{i + 1:02d}-bai.md",
              f"---\ntitle: Bài {i}\ndate: 2026-11-{i + 1:02d}\n{front}---\nNội dung.\n")
    result = build(site, tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    named = {line.split(":", 1)[0] for line in problem_lines(result.stderr)}
    assert len(named) == len(values), result.stderr


def with_config(menu: str, email: str, phone: str, counter: str) -> str:
    return MINIMAL_SITE + f'''menu:
{menu}contact:
  email: "{email}"
  phone: "{phone}"
counter:
  url: "{counter}"
'''


def test_files_of_drafts_and_scheduled_posts_wait_for_their_post(site, tmp_path):
    files = site / "content" / "files"
    files.mkdir()
    for name in ("du-thao.pdf", "anh-du-thao.png", "bang-du-thao.pdf", "lich.pdf", "chung.pdf", "rieng.pdf"):
        (files / name).write_bytes(PNG if name.endswith(".png") else b"%PDF-1.4 " + name.encode())
    write(site / "content" / "tin-tuc" / "2026-11-03-du-thao.md",
          "---\ntitle: Dự thảo\ndate: 2026-11-03\ndraft: true\nimage: /files/anh-du-thao.png\n"
          "attachments:\n  - file: /files/du-thao.pdf\n  - file: /files/chung.pdf\n---\n"
          "Xem [bảng](../files/bang-du-thao.pdf).\n")
    write(site / "content" / "tin-tuc" / "2027-01-05-lich.md",        # scheduled after NOW
          "---\ntitle: Lịch\ndate: 2027-01-05\n---\n<a href=\"/files/lich.pdf\">Lịch</a>\n")
    write(site / "content" / "tin-tuc" / "2026-11-04-cong-khai.md",
          "---\ntitle: Công khai\ndate: 2026-11-04\nattachments:\n  - file: /files/chung.pdf\n---\nNội dung.\n")
    out = tmp_path / "out"
    result = build(site, out)
    assert result.returncode == 0, result.stderr
    published = {p.name for p in (out / "files").iterdir()}
    assert published == {"chung.pdf", "rieng.pdf"}, published      # named by a published post, or by nobody
    drafts = run("--site", str(site), "--output", str(tmp_path / "preview"), "--now", NOW, "--drafts", "--future")
    assert drafts.returncode == 0, drafts.stderr
    assert len(list((tmp_path / "preview" / "files").iterdir())) == 6


BILLION_LAUGHS = """---
title: Bài thử
date: 2026-11-01
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
Nội dung.
"""


def test_yaml_bombs_and_deep_nesting_are_problems_not_hangs(site, tmp_path):
    news = site / "content" / "tin-tuc"
    write(news / "2026-11-02-cuoi.md", BILLION_LAUGHS)
    write(news / "2026-11-03-sau.md", "---\ntitle: Sâu\ndate: 2026-11-03\nx:\n" +
          "".join("  " * i + "- \n" for i in range(1, 1500)) + "---\nNội dung.\n")
    write(news / "2026-11-04-ngoac.md", "---\ntitle: Ngoặc\ndate: 2026-11-04\nx: " + "[" * 5000 + "\n---\nx\n")
    write(site / "data" / "units.yaml", "- &u {name: A}\n- *u\n")
    result = build(site, tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for name in ("content/tin-tuc/2026-11-02-cuoi.md", "content/tin-tuc/2026-11-03-sau.md",
                 "content/tin-tuc/2026-11-04-ngoac.md", "data/units.yaml"):
        assert lines_about(result, name), f"{name}:\n{result.stderr}"
    assert "*tên" in result.stderr


def test_an_output_that_cannot_be_written_is_a_problem_not_a_traceback(site, tmp_path):
    blocker = write(tmp_path / "tep-thuong", "không phải thư mục")
    result = build(site, blocker / "public")              # as root too: a file cannot hold a folder
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = problem_lines(result.stderr)
    assert "không ghi được" in line and "đã có một tệp cùng tên ở đó" in line
