"""The Vietnamese guides (docs/huong-dan-bien-tap.md, docs/trien-khai.md) and the list of messages.

- docs/thong-bao.md is printed from the catalogue: the committed copy must match, every code is in it,
  and a code added to the catalogue is taken in with no change to the generator;
- every relative link of the guides leads to a file that exists (and to a heading of it, for `#...`);
- every `python build.py ...` they show parses with the real command line;
- the example files of the editors' guide (each after a `<!-- tệp: PATH -->` line) make a site that the
  real CLI checks with --strict without a single problem, and that shows what the guide says of it.
"""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, problem_lines, run, soup

from site_generator import catalogue, cli, messages
from site_generator.kinds import kinds

DOCS = ROOT / "docs"
GUIDES = [DOCS / "huong-dan-bien-tap.md", DOCS / "trien-khai.md", DOCS / "tinh.md", DOCS / "tinh-trien-khai.md"]
PENDING = "cập nhật khi hoàn thành -->"      # the HTML comment that marks a section awaiting another branch
FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)
COMMAND = re.compile(r"(?:^|[\s/(])python3?(?:\.exe)?\s+(?:\S*/)?build\.py\b(.*)")
EXAMPLE = re.compile(r"<!-- tệp: (\S+) -->\n```[^\n]*\n(.*?)^```", re.S | re.M)
GUIDE_NOW = "2025-06-10 09:00"              # the examples' "today": after the remedy date of one finding


# --- the list of messages ---------------------------------------------------------------------------------

def test_message_list_is_up_to_date():
    committed = (DOCS / "thong-bao.md").read_text(encoding="utf-8")
    assert committed == catalogue.catalogue_markdown(), \
        "run: python -m site_generator.catalogue > docs/thong-bao.md"


def test_every_code_is_listed_once_with_its_words():
    text = catalogue.catalogue_markdown()
    codes = [*messages.MESSAGES, *(c for kind in kinds() for c in kind.messages if c not in messages.MESSAGES)]
    headings = re.findall(r"^### `([^`]+)`$", text, re.M)
    assert sorted(headings) == sorted(set(codes))
    for code in ("unknown-key", "schedule-bad-week"):
        what, fix = messages.render(code, {n: catalogue._Stand(n) for n in ("key", "suggestion", "known", "value")})
        assert what.split("«")[0] in text
    # every parameter became a readable stand-in: no `{name}` of a template is left in a sentence
    sentences = [line for line in text.splitlines() if line.startswith(("**Thông báo:**", "**Cách sửa:**"))]
    assert len(sentences) == 2 * len(headings)
    assert not [s for s in sentences if re.search(r"(?<!\{)\{[a-z_]+\}(?!\})", s)]
    assert "«khóa»" in text and "«tên gần giống»" in text


def test_a_new_code_is_taken_in_without_change(monkeypatch):
    added = dict(messages.MESSAGES)
    added["thu-nghiem-moi"] = {"vi": ("giá trị `{gia_tri_moi}` của {key} chưa đúng", "sửa `{gia_tri_moi}`"),
                               "en": ("value `{gia_tri_moi}` of {key} is wrong", "fix `{gia_tri_moi}`")}
    monkeypatch.setattr(messages, "MESSAGES", added)
    text = catalogue.catalogue_markdown()
    block = text.split("### `thu-nghiem-moi`", 1)[1].split("###", 1)[0]
    assert "**Thông báo:** giá trị `«gia_tri_moi»` của «khóa» chưa đúng" in block
    assert "**Cách sửa:** sửa `«gia_tri_moi»`" in block
    assert f"## {catalogue.OTHER}" in text           # no heading of messages.py holds it: the last group


# --- links ---------------------------------------------------------------------------------------------------

def _anchors(path: Path) -> set[str]:
    """The anchors GitHub, GitLab and Gitea make of a Markdown file's headings."""
    html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["fenced_code", "tables"])
    seen: dict[str, int] = {}
    out = set()
    for heading in BeautifulSoup(html, "html.parser").find_all(re.compile(r"^h[1-6]$")):
        slug = re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", heading.get_text().strip().lower()))
        out.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return out


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_relative_links_lead_to_files(guide: Path):
    html = markdown.markdown(guide.read_text(encoding="utf-8"), extensions=["fenced_code", "tables"])
    targets = [a.get("href") for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)]
    targets += [img.get("src") for img in BeautifulSoup(html, "html.parser").find_all("img", src=True)]
    relative = [t for t in targets if not urlsplit(t).scheme and not t.startswith("//")]
    assert relative, "the guide links no other document"
    broken = []
    for target in relative:
        parts = urlsplit(target)
        file = (guide.parent / unquote(parts.path)).resolve() if parts.path else guide
        if not file.exists():
            broken.append(target)
        elif parts.fragment and file.suffix == ".md" and unquote(parts.fragment) not in _anchors(file):
            broken.append(target)
    assert not broken, f"{guide.name}: links to nothing: {broken}"


# --- commands ------------------------------------------------------------------------------------------------

def _code(text: str):
    """(line number, code) of each fenced block's lines and each inline code span."""
    covered = []
    for block in FENCE.finditer(text):
        start = text.count("\n", 0, block.start(2)) + 1
        body = block.group(2).replace("\\\n", " ")         # a shell line continued with `\`
        for offset, line in enumerate(body.splitlines()):
            yield start + offset, line
        covered.append((block.start(), block.end()))
    for span in re.finditer(r"`([^`\n]+)`", text):
        if not any(a <= span.start() < b for a, b in covered):
            yield text.count("\n", 0, span.start()) + 1, span.group(1)


def _pending_lines(text: str) -> set[int]:
    """The lines of the sections marked as waiting for another engineer's work."""
    lines = text.splitlines()
    out = set()
    for index, line in enumerate(lines):
        if PENDING not in line:
            continue
        start = max((i for i in range(index + 1) if lines[i].startswith("#")), default=0)
        level = len(lines[start]) - len(lines[start].lstrip("#")) or 7
        end = next((i for i in range(index + 1, len(lines))
                    if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level), len(lines))
        out.update(range(start + 1, end + 1))
    return out


def _commands() -> list:
    found = []
    for guide in GUIDES:
        text = guide.read_text(encoding="utf-8")
        pending = _pending_lines(text)
        for number, code in _code(text):
            for match in COMMAND.finditer(code):
                words = []
                for word in shlex.split(match.group(1), comments=True):
                    if word in ("&&", "||", ";", "|", ">", ">>", "<") or word.startswith((">", "|")):
                        break
                    words.append(word)
                found.append(pytest.param(words, number in pending, id=f"{guide.name}:{number}:{' '.join(words)}"))
    return found


COMMANDS = _commands()


def test_the_guides_show_commands():
    shown = {tuple(p.values[0][:1]) for p in COMMANDS}
    assert {("serve",), ("check",), ("new",), ("import",), ("counter",), ()} <= shown


@pytest.mark.parametrize("words, pending", COMMANDS)
def test_each_command_shown_is_real(words: list, pending: bool, capsys):
    if pending and words and not words[0].startswith("-") and words[0] not in cli.COMMANDS:
        pytest.skip(f"`{words[0]}` is another branch's work, in a section marked to update when it lands")
    argv = list(words)
    if not argv or (argv[0] not in cli.COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")                     # as cli.main does
    try:
        cli.parser("vi").parse_args(argv)
    except SystemExit as exit_:
        assert exit_.code == 0, f"python build.py {' '.join(words)}: {capsys.readouterr().err}"


# --- the editors' guide's examples -------------------------------------------------------------------------

def _example_site(root: Path) -> dict[str, str]:
    text = GUIDES[0].read_text(encoding="utf-8")
    files = {path: body for path, body in EXAMPLE.findall(text)}
    for path, body in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(body, encoding="utf-8")
    sample = ROOT / "content" / "files"
    real = {".pdf": sample / "ket-luan-123-kl-ubnd.pdf", ".png": sample / "doan-kiem-tra.png",
            ".xlsx": sample / "danh-muc-tthc-truc-tuyen-2022.xlsx", ".docx": sample / "phieu-dang-ky-du-tuyen-2022.docx"}
    for name in set(re.findall(r"/files/[\w./-]+\.\w+", "\n".join(files.values()))):
        target = root / "content" / name.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        suffix = target.suffix.lower()
        if suffix in (".jpg", ".jpeg"):
            target.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64) + b"\xff\xd9")
        else:
            shutil.copyfile(real[suffix], target)
    return files


def test_the_examples_make_a_site_without_problems(tmp_path):
    site = tmp_path / "xa"
    files = _example_site(site)
    assert {"site.yaml", "data/units.yaml", "data/leaders.yaml"} <= set(files)
    assert len([f for f in files if f.startswith("content/")]) >= 8
    checked = run("check", "--strict", "--site", str(site), "--now", GUIDE_NOW)
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert not problem_lines(checked.stderr + checked.stdout)

    built = run("--site", str(site), "--now", GUIDE_NOW, "--strict")
    assert built.returncode == 0, built.stderr
    public = site / "public"
    # "sau ngày 05/6/2025, Trạm Y tế xã hiện 'Quá hạn khắc phục' ... cho tới khi có bài khắc phục"
    record = soup(public / "kiem-tra" / "pccc-2025" / "index.html")
    rows = {row.th.get_text(strip=True): row for row in record.select("table.findings tbody tr")}
    assert "Quá hạn khắc phục" in rows["Trạm Y tế xã Hàm Tân"].get_text()
    assert "Đã khắc phục" in rows["Chợ Hàm Tân"].get_text()
    # the draft is nowhere; the post's attachment and image are published
    assert not list(public.rglob("*tuyen-dung*"))
    assert (public / "files" / "thong-bao-ket-luan-giao-ban-thang-6.pdf").is_file()
    post = soup(public / "tin-tuc" / "hop-giao-ban-cong-tac-thang-6-nam-2025" / "index.html")
    assert post.find("img", alt="Quang cảnh cuộc họp giao ban") is not None
    # the document's address is made of its number and year; the week's title is made for it
    assert (public / "van-ban" / "45-kh-ubnd-2025" / "index.html").is_file()
    week = soup(public / "lich-cong-tac" / "2025-w24" / "index.html")
    assert "Lịch công tác tuần 24 (09/06 - 15/06/2025)" in week.h1.get_text()


@pytest.mark.parametrize("name", ["huong-dan-bien-tap.md", "trien-khai.md", "thong-bao.md"])
def test_the_guides_are_nfc_text(name: str):
    import unicodedata
    text = (DOCS / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text) and "\r" not in text and "\t" not in text
