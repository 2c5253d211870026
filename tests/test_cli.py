"""The commands as an editor runs them: exit codes, help, new, check, drafts and future."""
from __future__ import annotations

import datetime as dt

from conftest import NOW, copy_sample, minimal_site, problem_lines, run, soup, write

PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)       # the signature is all the build checks of an image


def test_help_in_vietnamese_and_english():
    vi = run("--help")
    assert vi.returncode == 0 and "xây dựng trang vào thư mục public/" in vi.stdout
    en = run("--lang", "en", "--help")
    assert en.returncode == 0 and "build the site into public/" in en.stdout
    sub = run("build", "--help")
    assert "--drafts" in sub.stdout and "--future" in sub.stdout and "--strict" in sub.stdout


def test_wrong_usage_exits_2():
    assert run("--no-such-option").returncode == 2
    assert run("new", "tin-tuc").returncode == 2


def test_new_post_then_build(tmp_path):
    site = minimal_site(tmp_path / "site")
    created = run("new", "tin-tuc", "Đại hội Đoàn xã Tân Đức", "--site", str(site))
    assert created.returncode == 0, created.stderr
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%d")
    path = site / "content" / "tin-tuc" / f"{today}-dai-hoi-doan-xa-tan-duc.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert 'title: "Đại hội Đoàn xã Tân Đức"' in text and "slug: dai-hoi-doan-xa-tan-duc" in text
    assert "\ndraft: true " in text                   # a draft until the editor says otherwise
    again = run("new", "tin-tuc", "Đại hội Đoàn xã Tân Đức", "--site", str(site))
    assert again.returncode == 1                      # never overwrites
    built = run("--site", str(site), "--future", "--drafts")
    assert built.returncode == 0, built.stderr
    page = soup(site / "public" / "tin-tuc" / "dai-hoi-doan-xa-tan-duc" / "index.html")
    assert page.h1.get_text() == "Đại hội Đoàn xã Tân Đức"
    assert run("new", "khong-co", "Tiêu đề", "--site", str(site)).returncode == 2


def test_check_writes_nothing(tmp_path):
    site = copy_sample(tmp_path / "site")
    result = run("check", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not (site / "public").exists()
    assert not list(site.glob(".public*"))


def test_drafts_and_future_flags(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    result = run("--site", str(site), "--output", str(out), "--now", NOW, "--drafts", "--future")
    assert result.returncode == 0, result.stderr
    draft = soup(out / "tin-tuc" / "tong-ket-5-nam-xay-dung-nong-thon-moi-giai-doan-2021-2025-ban-nhap" / "index.html")
    assert "Bản nháp" in draft.find(class_="banner-draft").get_text()
    assert draft.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    future = next((out / "thong-bao").glob("lich-tiep-cong-dan-dinh-ky-thang-6-2027/index.html"))
    assert soup(future).find(class_="banner-future") is not None


def test_future_post_appears_once_its_time_has_come(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    assert run("--site", str(site), "--output", str(out), "--now", "2027-06-01 08:00").returncode == 0
    assert (out / "thong-bao" / "lich-tiep-cong-dan-dinh-ky-thang-6-2027" / "index.html").is_file()


def test_two_builds_are_byte_identical(tmp_path):
    site = copy_sample(tmp_path / "site")
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert run("--site", str(site), "--output", str(out), "--now", NOW).returncode == 0
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


def test_default_output_is_public_and_a_rebuild_replaces_it(tmp_path):
    site = copy_sample(tmp_path / "site")
    write(site / "public" / "stale.html", "old")
    assert run("--site", str(site), "--now", NOW).returncode == 0
    assert (site / "public" / "index.html").is_file()
    assert not (site / "public" / "stale.html").exists()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".cache", ".public.lock", ".public.spare"]


def test_raw_html_is_sanitised_and_titles_escaped(tmp_path):
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "a.md", """---
title: "<script>alert(1)</script> Tiêu đề <b>đậm</b>"
date: 2024-01-02 08:00
tags: ["<img src=x onerror=alert(1)>"]
summary: "Tóm tắt <i>nghiêng</i>"
---

Đoạn <script>alert('x')</script> <b onclick="alert(1)">bấm</b> <a href="javascript:alert(1)">liên kết</a>
<iframe src="https://evil.example/"></iframe> <img src="x.png" onerror="alert(1)" alt="ảnh">

[xấu](javascript:alert(2)) và <a href="https://dichvucong.gov.vn/" style="color:red">tốt</a>
""")
    (site / "content" / "tin-tuc" / "x.png").write_bytes(PNG)
    result = run("--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    html = (site / "public" / "tin-tuc" / "script-alert-1-script-tieu-de-b-dam-b" / "index.html").read_text(
        encoding="utf-8")
    page = soup(site / "public" / "tin-tuc" / "script-alert-1-script-tieu-de-b-dam-b" / "index.html")
    prose = page.find(class_="prose")
    assert prose.find("script") is None
    scripts = page.find_all("script")                   # only the theme's own files (the menu's), none inline
    assert scripts and all(s.get("src", "").startswith("/js/") and not s.string for s in scripts), scripts
    assert prose.find("iframe") is None
    assert "javascript:" not in html
    for tag in prose.find_all(True):
        assert not any(attr.startswith("on") or attr == "style" for attr in tag.attrs), tag
    assert page.h1.get_text() == "<script>alert(1)</script> Tiêu đề <b>đậm</b>"
    assert "&lt;script&gt;" in html
    assert prose.find("a", href="https://dichvucong.gov.vn/").get_text() == "tốt"
    tag_link = page.find(class_="tags").a
    assert tag_link.get_text() == "<img src=x onerror=alert(1)>"


def test_english_messages_follow_site_language(tmp_path):
    site = minimal_site(tmp_path / "site", 'title: "T"\nbase_url: "https://e.gov.vn/"\nlanguage: en\n'
                                          'sections:\n  tin-tuc: {title: "News"}\n')
    write(site / "content" / "tin-tuc" / "a.md", "---\ntitle: A\n---\nBody\n")
    result = run("--site", str(site))
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "content/tin-tuc/a.md:1: the required key `date` is missing — add a line `date: 2021-10-08 09:00` to the front matter"]
    vietnamese = run("--site", str(site), "--lang", "vi")
    assert "thiếu thông tin bắt buộc `date`" in vietnamese.stderr


def test_relative_and_absolute_paths_and_site_links(tmp_path):
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "files" / "a b.pdf", "%PDF-1.4")
    (site / "content" / "tin-tuc" / "anh.png").write_bytes(PNG)
    write(site / "content" / "tin-tuc" / "b.md", "---\ntitle: B\ndate: 2024-01-01\n---\nB\n")
    write(site / "content" / "tin-tuc" / "a.md", """---
title: A
date: 2024-01-02
image: anh.png
attachments:
  - file: ../files/a b.pdf
---
[b](b.md#muc-1) [tệp](/files/a%20b.pdf) ![Ảnh](anh.png) [chuyên mục](/tin-tuc/) [ngoài](https://e.gov.vn/x)
""")
    result = run("--site", str(site))
    assert result.returncode == 0, result.stderr
    page = soup(site / "public" / "tin-tuc" / "a" / "index.html")
    hrefs = [a["href"] for a in page.find(class_="prose").find_all("a")]
    assert hrefs[0] == "/tin-tuc/b/#muc-1"
    assert hrefs[2:] == ["/tin-tuc/", "https://e.gov.vn/x"]
    assert page.find(class_="prose").img["src"] == "/tin-tuc/anh.png"
    assert page.find(class_="attachments").a["href"] == "/files/a%20b.pdf"
    assert (site / "public" / "files" / "a b.pdf").is_file()


def test_a_python_without_our_libraries_installs_them_once_and_builds(tmp_path):
    """`python3 build.py` on a fresh machine: the libraries go into .venv/ beside build.py, then it builds."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", ".preview", "public", "tests", "bench", "node_modules", "*.egg-info", "__pycache__"))
    bare = [sys.executable, "-S"]                     # no site-packages: no jinja2, babel... as on a fresh machine
    assert subprocess.run([*bare, "-c", "import jinja2"], capture_output=True).returncode != 0
    environment = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    first = subprocess.run([*bare, "build.py", "--now", NOW], cwd=clone, capture_output=True, text=True,
                           encoding="utf-8", env=environment, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Lần chạy đầu" in first.stderr and "Đã xây dựng" in first.stdout
    assert (clone / "public" / "index.html").is_file() and (clone / ".venv").is_dir()
    again = subprocess.run([*bare, "build.py", "--now", NOW], cwd=clone, capture_output=True, text=True,
                           encoding="utf-8", env=environment, timeout=120)
    assert again.returncode == 0 and "Lần chạy đầu" not in again.stderr     # installed once
    assert "Không có gì thay đổi" in again.stdout


def test_a_long_build_shows_where_it_is_on_a_terminal_and_nothing_in_a_log(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    from conftest import BUILD

    site = copy_sample(tmp_path / "site")
    env = {**os.environ, "SITE_GENERATOR_PROGRESS_AFTER": "0"}          # "long" from the first moment
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, str(BUILD), "--site", str(site), "--now", NOW, "--no-cache"],
                               stdin=follower, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    terminal = seen.decode("utf-8", "replace")
    assert process.returncode == 0
    assert "Dựng trang" in terminal and "/" in terminal and "\r" in terminal, terminal
    assert "Traceback" not in terminal
    logged = run("--site", str(site), "--now", NOW, "--no-cache")            # stderr is a pipe: no progress line
    assert logged.returncode == 0 and "\r" not in logged.stderr and "Dựng trang" not in logged.stderr
