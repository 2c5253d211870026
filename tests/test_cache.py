"""Cached and parallel builds give exactly the bytes of a clean single-process build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import NOW, copy_sample, run, soup, write

from site_generator import sealed

SITE = """title: "Cổng thử bộ nhớ đệm"
base_url: "https://example.gov.vn/xa/"
sections:
  tin-tuc: {title: "Tin tức"}
  thong-bao: {title: "Thông báo"}
"""


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(site: Path, out: Path) -> dict:
    result = run("--site", str(site), "--output", str(out), "--now", NOW, "--no-cache", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return tree(out)


def cached_build(site: Path, out: Path, jobs: str = "2") -> dict:
    result = run("--site", str(site), "--output", str(out), "--now", NOW, "--jobs", jobs)
    assert result.returncode == 0, result.stderr
    return tree(out)


def corpus(root: Path, count: int = 240) -> Path:
    """Enough posts for the parallel path, each linking to the next by its .md file."""
    write(root / "site.yaml", SITE)
    for i in range(count):
        section = "tin-tuc" if i % 3 else "thong-bao"
        nxt = (i + 1) % count
        target = f"../{'tin-tuc' if nxt % 3 else 'thong-bao'}/bai-{nxt:03d}.md"
        write(root / "content" / section / f"bai-{i:03d}.md",
              f"---\ntitle: \"Bài số {i} về cải cách hành chính\"\ndate: 2024-01-01 08:00\nslug: bai-{i:03d}\n"
              f"tags: [CCHC, \"Thẻ {i % 7}\"]\n---\n\nĐoạn đầu của bài {i}.\n\n## Mục {i}\n\n"
              f"| Đơn vị | Điểm |\n|---|---:|\n| Tân Xuân | {i} |\n\nXem [bài sau]({target}).\n")
    return root


def test_sample_portal_cold_warm_and_parallel_are_identical(tmp_path):
    site = copy_sample(tmp_path / "site")
    reference = clean_build(site, tmp_path / "clean")
    assert cached_build(site, tmp_path / "cold") == reference
    assert list((site / ".cache").glob("bodies.pickle.*"))
    assert cached_build(site, tmp_path / "warm") == reference
    shutil.rmtree(site / ".cache")                                  # a deleted cache: only slower
    assert cached_build(site, tmp_path / "warm") == reference


def test_an_edited_inspection_updates_its_unit_record_and_data_pages(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    before = cached_build(site, out)
    follow_up = site / "content" / "ket-qua" / "2024-01-12-khac-phuc-sau-kiem-tra-attp-2023.md"
    text = follow_up.read_text(encoding="utf-8")
    follow_up.write_text(text.replace("      remedied: false\n", "      remedied: true\n"), encoding="utf-8")
    edited = cached_build(site, out)
    assert edited == clean_build(site, tmp_path / "clean")
    changed = {name for name in edited if edited[name] != before.get(name)}
    assert {"don-vi/thang-hai/index.html", "kiem-tra/atvstp-2023/index.html", "du-lieu/kiem-tra.json"} <= changed
    unit = soup(out / "don-vi" / "thang-hai" / "index.html").get_text(" ", strip=True)
    assert "Đã khắc phục" in unit or "đã khắc phục" in unit


def test_edits_keep_cached_builds_identical_to_clean_ones(tmp_path):
    site = corpus(tmp_path / "site")
    out = tmp_path / "out"

    def same() -> None:
        cached = cached_build(site, out)
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        assert cached == clean_build(site, tmp_path / "clean")

    same()                                                          # cold cache, two processes
    post = site / "content" / "tin-tuc" / "bai-001.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Đoạn đầu", "Đoạn mở đầu đã sửa"), encoding="utf-8")
    same()                                                          # a body
    post.write_text(post.read_text(encoding="utf-8").replace("Bài số 1 về", "Bài số một về"), encoding="utf-8")
    same()                                                          # a title
    post.write_text(post.read_text(encoding="utf-8").replace("slug: bai-001", "slug: bai-mot"), encoding="utf-8")
    same()                                                          # a slug that bai-000 links to
    linker = (out / "thong-bao" / "bai-000" / "index.html").read_text(encoding="utf-8")
    assert 'href="/xa/tin-tuc/bai-mot/"' in linker
    write(site / "templates" / "partials" / "banners.html", "<p class=\"banner\">Bản thử giao diện</p>\n")
    same()                                                          # a template
    assert "Bản thử giao diện" in (out / "tin-tuc" / "bai-mot" / "index.html").read_text(encoding="utf-8")
    (site / "content" / "tin-tuc" / "bai-002.md").unlink()
    result = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert result.returncode == 1 and "bai-002.md" in result.stderr   # bai-001 links to it: a broken link now
    post.write_text(post.read_text(encoding="utf-8").replace("../tin-tuc/bai-002.md", "bai-004.md"), encoding="utf-8")
    same()                                                          # a deleted post
    write(site / "content" / "tin-tuc" / "bai-moi.md", "---\ntitle: Bài mới\ndate: 2024-02-01\n---\nMới.\n")
    same()                                                          # an added post


def test_a_broken_template_is_reported_with_its_line_when_pages_render_in_parallel(tmp_path):
    site = corpus(tmp_path / "site")
    write(site / "templates" / "post.html", '{% extends "base.html" %}\n{% block content %}\n{{ post.nope }}\n'
                                            '{% endblock %}\n')
    result = run("--site", str(site), "--now", NOW, "--jobs", "2")
    assert result.returncode == 1
    assert "templates/post.html:3: lỗi trong mẫu giao diện" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "public").exists()


@pytest.mark.parametrize("template,line,error", [
    ('{% extends "post.html" %}\n', 1, "RecursionError"),
    ('{% extends "base.html" %}\n{% block content %}\n{{ 1 / 0 }}\n{% endblock %}\n', 3, "ZeroDivisionError"),
    ('{% extends "base.html" %}\n{% block content %}{% for i in range(10 ** 9) %}{% endfor %}{% endblock %}\n', 2,
     "OverflowError"),
    ('{% extends "base.html" %}\n{% block content %}\n{{ post.title + 1 }}\n{% endblock %}\n', 3, "TypeError"),
])
def test_a_template_failing_as_it_renders_is_a_problem_at_its_line(tmp_path, template, line, error):
    """Not only Jinja2's own errors: a site's template that divides by zero, loops too long or extends itself."""
    site = corpus(tmp_path / "site")
    write(site / "templates" / "post.html", template)
    result = run("--site", str(site), "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"templates/post.html:{line}: lỗi trong mẫu giao diện: {error}" in result.stderr, result.stderr[-2000:]
    assert not (site / "public").exists()


def reused(stdout: str) -> tuple[int, int]:
    """(pages, pages reused from the cache) from the build's last line."""
    import re
    pages = int(re.search(r"Đã xây dựng ([\d.]+) trang", stdout).group(1).replace(".", ""))
    match = re.search(r"([\d.]+) trang không đổi", stdout)
    return pages, int(match.group(1).replace(".", "")) if match else 0


def test_an_edit_renders_again_only_the_pages_that_show_the_post(tmp_path):
    site = corpus(tmp_path / "site")
    out = tmp_path / "out"
    first = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert first.returncode == 0 and reused(first.stdout)[1] == 0
    post = site / "content" / "tin-tuc" / "bai-100.md"
    post.write_text(post.read_text(encoding="utf-8").replace("## Mục 100", "## Mục một trăm"), encoding="utf-8")
    second = run("--site", str(site), "--output", str(out), "--now", NOW)   # a new process: a new hash seed
    pages, from_cache = reused(second.stdout)
    assert 0 < pages - from_cache <= 25, second.stdout       # the post, its neighbours, its lists; not 300 pages
    assert "Mục một trăm" in (out / "tin-tuc" / "bai-100" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
    assert tree(out) == clean_build(site, tmp_path / "clean")
    tag = site / "content" / "tin-tuc" / "bai-101.md"         # a new tag: the tag index and its new page too
    tag.write_text(tag.read_text(encoding="utf-8").replace("tags: [CCHC,", "tags: [Thẻ mới, CCHC,"), encoding="utf-8")
    third = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert third.returncode == 0 and (out / "the" / "the-moi" / "index.html").is_file()
    shutil.rmtree(tmp_path / "clean")
    assert tree(out) == clean_build(site, tmp_path / "clean")


def test_nothing_changed_means_nothing_is_rebuilt_until_a_scheduled_post_is_due(tmp_path):
    site = copy_sample(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "hen-gio-thu.md",
          "---\ntitle: Bài hẹn giờ để thử\ndate: 2026-11-28 09:00\n---\nNội dung hẹn giờ.\n")
    write(site / "content" / "tin-tuc" / "anh-thieu-mo-ta.md",
          "---\ntitle: Ảnh thiếu mô tả\ndate: 2026-11-01\n---\n![](../files/doan-kiem-tra.png)\n")
    out = tmp_path / "out"
    first = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert first.returncode == 0 and "Đã xây dựng" in first.stdout, first.stderr
    before = tree(out)
    again = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert "Không có gì thay đổi" in again.stdout
    assert again.stderr == first.stderr and "anh-thieu-mo-ta.md" in again.stderr   # warnings are shown again
    assert tree(out) == before
    due = run("--site", str(site), "--output", str(out), "--now", "2026-11-28 09:30")  # the scheduled post is due
    assert "Đã xây dựng" in due.stdout
    assert (out / "tin-tuc" / "bai-hen-gio-de-thu" / "index.html").is_file()
    shutil.rmtree(out)                                                         # the output folder was removed
    assert "Đã xây dựng" in run("--site", str(site), "--output", str(out), "--now", "2026-11-28 09:30").stdout
    post = site / "content" / "tin-tuc" / "hen-gio-thu.md"                    # same size, same second: content counts
    post.write_text(post.read_text(encoding="utf-8").replace("Nội dung", "Nội-dung"), encoding="utf-8")
    changed = run("--site", str(site), "--output", str(out), "--now", "2026-11-28 09:30")
    assert "Đã xây dựng" in changed.stdout
    assert "Nội-dung hẹn giờ" in (out / "tin-tuc" / "bai-hen-gio-de-thu" / "index.html").read_text(encoding="utf-8")


def test_the_preview_fast_path_rewrites_one_post_page_in_place(tmp_path):
    import datetime as dt

    from site_generator import fastpath, pipeline

    site = corpus(tmp_path / "site", count=12)
    out = tmp_path / "out"
    now = dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc)
    report = pipeline.build(site, out, pipeline.BuildOptions(), now)
    assert report.written
    post = site / "content" / "tin-tuc" / "bai-004.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Đoạn đầu của bài 4", "Đoạn đầu đã sửa của bài 4")
                    .replace("Bài số 4 về", "Bài số bốn về"), encoding="utf-8")
    assert fastpath.update_post(site, report, post) == "tin-tuc/bai-004/index.html"
    page = soup(out / "tin-tuc" / "bai-004" / "index.html")
    assert page.h1.get_text(strip=True) == "Bài số bốn về cải cách hành chính"
    assert "Đoạn đầu đã sửa của bài 4" in page.get_text()
    pipeline.build(site, out, pipeline.BuildOptions(), now)                   # the full build that follows
    assert tree(out) == clean_build(site, tmp_path / "clean")
    original = post.read_text(encoding="utf-8")                               # a quick edit undone before the
    post.write_text(original.replace("Đoạn đầu", "Đoạn nháp"), encoding="utf-8")   # full build: that build
    assert fastpath.update_post(site, report, post)                          # must not trust its old stamp
    post.write_text(original, encoding="utf-8")
    assert not pipeline.build(site, out, pipeline.BuildOptions(), now).up_to_date
    assert "Đoạn nháp" not in (out / "tin-tuc" / "bai-004" / "index.html").read_text(encoding="utf-8")
    report = pipeline.build(site, out, pipeline.BuildOptions(cache=False), now)
    post.write_text(post.read_text(encoding="utf-8").replace("slug: bai-004", "slug: bai-bon"), encoding="utf-8")
    assert fastpath.update_post(site, report, post) is None                  # a new address needs the full build
    post.write_text(post.read_text(encoding="utf-8").replace("slug: bai-bon", "slug: bai-004\ntags: [Mới]"),
                    encoding="utf-8")
    assert fastpath.update_post(site, report, post) is None                  # so do new tags
    post.write_text(post.read_text(encoding="utf-8").replace("Xem [bài sau]", "Xem [bài sau](khong-co.md) và [x]"),
                    encoding="utf-8")
    assert fastpath.update_post(site, report, post) is None                  # and a problem to show


def test_front_matter_is_cached_but_its_problems_are_reported_every_time(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    assert run("--site", str(site), "--output", str(out), "--now", NOW).returncode == 0
    assert (site / ".cache" / "front-matter.pickle").is_file()
    bad = write(site / "content" / "tin-tuc" / "trung-khoa.md",
                "---\ntitle: Bài một\ntitle: Bài hai\ndate: 2026-11-01\n---\nNội dung.\n")
    first = run("--site", str(site), "--output", str(out), "--now", NOW)
    second = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert first.returncode == second.returncode == 1
    assert "content/tin-tuc/trung-khoa.md:3:" in second.stderr and first.stderr == second.stderr
    bad.write_text(bad.read_text(encoding="utf-8").replace("title: Bài hai\n", ""), encoding="utf-8")
    fixed = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert fixed.returncode == 0, fixed.stderr
    assert soup(out / "tin-tuc" / "bai-mot" / "index.html").h1.get_text(strip=True) == "Bài một"


def test_the_stale_pages_the_issue_found_are_rendered_again(tmp_path):
    """Issue 12's cases: a date, an attachment title and a pinned-slug title, each shown on many pages."""
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "out"
    cached_build(site, out)
    notice = site / "content" / "thong-bao" / "2025-05-26-ke-hoach-kiem-tra-tiep-cong-dan-2025.md"
    text = notice.read_text(encoding="utf-8")
    assert "date: 2025-05-26 14:00" in text
    edits = [("date: 2025-05-26 14:00", "date: 2025-05-26 17:45")]
    attachment = next(line for line in text.splitlines() if line.strip().startswith("title:") and line.startswith("    "))
    edits.append((attachment, attachment.replace('title: "', 'title: "Bản sửa: ')))
    for old, new in edits:
        notice.write_text(notice.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        assert cached_build(site, out) == clean_build(site, tmp_path / f"clean-{len(old)}")
    for page in ("thong-bao", "luu-tru/2025", "the/kiem-tra", "kiem-tra/tiep-cong-dan-2025"):
        assert "17:45" in (out / page / "index.html").read_text(encoding="utf-8"), page
    assert "Bản sửa: " in (out / "kiem-tra" / "tiep-cong-dan-2025" / "index.html").read_text(encoding="utf-8")
    pinned = site / "content" / "tin-tuc" / "2021-06-18-tap-huan-iso-9001-2015.md"
    from site_generator.text import slugify
    original = pinned.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title:"))
    slug = slugify(title.split(":", 1)[1].strip().strip('"'))
    pinned.write_text(original.replace(title, f'title: "Tập huấn ISO (tiêu đề mới)"\nslug: {slug}'), encoding="utf-8")
    assert cached_build(site, out) == clean_build(site, tmp_path / "clean-title")
    assert "Tập huấn ISO (tiêu đề mới)" in (out / "luu-tru" / "2021" / "index.html").read_text(encoding="utf-8")


def test_a_finding_falling_due_is_shown_overdue_on_the_home_page(tmp_path):
    """Issue 12's second case: the same inputs, a later --now past a finding's remedy date."""
    site = copy_sample(tmp_path / "site")
    units = site / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "- name: Ea Tiêu\n  kind: xã\n", encoding="utf-8")
    write(site / "content" / "thong-bao" / "2025-06-01-kiem-tra-ea-tieu.md",
          "---\ntitle: Thông báo kiểm tra xã Ea Tiêu\ndate: 2025-06-01 08:00\ninspection:\n  id: ea-tieu-2025\n"
          "  stage: notice\n  units: [Ea Tiêu]\n  period: {start: 2025-06-02, end: 2025-06-05}\n---\nThông báo.\n")
    write(site / "content" / "ket-qua" / "2025-06-10-ket-luan-ea-tieu.md",
          "---\ntitle: Kết luận kiểm tra xã Ea Tiêu\ndate: 2025-06-10 08:00\ninspection:\n  id: ea-tieu-2025\n"
          "  stage: result\n  conclusion: Kết luận số 9/KL-UBND\n  signed: 2025-06-09\n  findings:\n"
          "    - unit: Ea Tiêu\n      rating: Chưa đạt\n      issues: [Chưa niêm yết thủ tục]\n"
          "      remedy_by: 2025-07-10\n---\nKết luận.\n")
    out = tmp_path / "out"
    for now, overdue in (("2025-07-01 08:00", False), ("2025-07-11 08:00", True)):
        result = run("--site", str(site), "--output", str(out), "--now", now)
        assert result.returncode == 0, result.stderr
        home = soup(out / "index.html").select_one(".home-units")
        item = next(li for li in home.select("li") if "Ea Tiêu" in li.get_text())
        assert ("1 quá hạn" in item.get_text()) is overdue, now
        clean = run("--site", str(site), "--output", str(tmp_path / "clean"), "--now", now, "--no-cache")
        assert clean.returncode == 0 and tree(out) == tree(tmp_path / "clean"), now


def test_every_page_of_the_sample_can_be_reused(tmp_path):
    """Nothing our templates read escapes the page cache: no page is rendered every build."""
    import datetime as dt

    from site_generator import pipeline

    site = copy_sample(tmp_path / "site")
    now = dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc)
    first = pipeline.build(site, tmp_path / "out", pipeline.BuildOptions(jobs=1), now)
    assert first.written and first.unmatched == 0
    post = site / "content" / "tin-tuc" / "2021-06-18-tap-huan-iso-9001-2015.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nThêm một đoạn.\n", encoding="utf-8")
    second = pipeline.build(site, tmp_path / "out", pipeline.BuildOptions(jobs=1), now)
    assert second.unmatched == 0 and second.pages - second.reused <= 3, (second.pages, second.reused)


def test_replaying_every_lookup_at_once_gives_what_replaying_each_gives(tmp_path):
    """Replay.digest_all's shortcut for texts, None and booleans returns, lookup by lookup, the digest that
    Digests.of gives what the attribute holds: on every lookup the sample's pages made, and on values the shortcut must not take
    (a text subclass, 1 and 0 beside True and False, an attribute that raises, an object the model lacks)."""
    import datetime as dt
    from dataclasses import dataclass

    from markupsafe import Markup

    from site_generator import cache, jobs, pipeline, tracking
    from site_generator.pagecache import PageCache
    from site_generator.text import Text

    site = copy_sample(tmp_path / "site")
    now = dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc)
    report = pipeline.build(site, tmp_path / "out", pipeline.BuildOptions(jobs=1), now)
    assert report.written
    table = PageCache.open(cache.output_state(site, tmp_path / "out") / "pages.pickle", cache.code_version()).table
    assert len(table) > 1000 and len(list(jobs.jobs(report.site))) > 100

    @dataclass(eq=False)
    class Probe:
        IDENTITY = "name"
        name: str
        plain: str = "Thứ Sáu"
        marked: str = Markup("<b>đậm</b>")
        text: str = Text("Văn bản")
        one: int = 1
        zero: int = 0
        yes: bool = True
        no: bool = False
        nothing: None = None

        @property
        def broken(self):
            raise ValueError("hỏng")

    probe = Probe("x")
    known = tracking.index(report.site) | {("Probe", "x"): probe}
    reads = list(table) + [(("Probe", "x"), ("attr", name)) for name in
                           ("plain", "marked", "text", "one", "zero", "yes", "no", "nothing", "broken", "absent")]
    reads.append((("Probe", "gone"), ("attr", "plain")))
    def one(read):                       # the general path: Digests.of what the attribute holds now
        ident, operation = read
        if operation[0] != "attr":
            return tracking.Replay(report.env, known).digest(read)
        try:
            value = getattr(known[ident], operation[1])
        except Exception:                  # noqa: BLE001 - gone or raising: matches nothing
            return tracking.unmatched()
        return tracking.Digests(known).of(value)

    at_once = tracking.Replay(report.env, known).digest_all(reads)
    one_by_one = [one(read) for read in reads]
    assert len(at_once) == len(reads)
    for read, a, b in zip(reads, at_once, one_by_one):
        assert a == b or (tracking.is_unmatched(a) and tracking.is_unmatched(b)), read
    assert len({at_once[-11 + i] for i in range(8)}) == 8          # "Thứ Sáu", Markup, Text, 1, 0, True, False, None


def test_the_property_test_catches_a_cache_that_forgets_a_lookup(tmp_path, monkeypatch):
    """The harness of test_cache_property can fail: a recorder that drops reads of `title` is caught."""
    import datetime as dt

    import editor_ops
    from site_generator import tracking

    real = tracking.Recorder.saw

    def forgetful(self, obj, operation, value):
        if operation == ("attr", "title"):
            return value
        return real(self, obj, operation, value)

    def news_post_retitled(seed: int) -> bool:   # a post whose title other pages show (lists, neighbours)
        trial = copy_sample(tmp_path / f"trial-{seed}")
        said = editor_ops.apply(trial, editor_ops.edit_title, seed, {})
        name = said.removeprefix("title of ").split(" = ", 1)[0]
        return "slug kept" in said and (trial / "content" / "tin-tuc" / name).exists()

    seed = next(s for s in range(1, 60) if news_post_retitled(s))
    builds = editor_ops.Builds(copy_sample(tmp_path / "site"), tmp_path, dt.datetime(2026, 11, 27, 5,
                                                                                     tzinfo=dt.timezone.utc))
    monkeypatch.setattr(tracking.Recorder, "saw", forgetful)
    assert builds.check() is None                    # a first build: nothing to be stale yet
    said = editor_ops.apply(builds.site, editor_ops.edit_title, seed, builds.state)
    assert "slug kept" in said
    problem = builds.check()
    assert problem is not None and "differ from a clean build" in problem


def test_a_changed_file_behind_a_symbolic_link_is_not_up_to_date(tmp_path):
    site = copy_sample(tmp_path / "site")         # a link inside content/ to a file inside it is read through
    outside = write(site / "content" / "_nguon" / "bai.md",
                    "---\ntitle: Bài qua liên kết\ndate: 2026-11-01\n---\nLần một.\n")
    (site / "content" / "tin-tuc" / "lien-ket.md").symlink_to(outside)
    out = tmp_path / "out"
    first = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert first.returncode == 0, first.stderr
    outside.write_text(outside.read_text(encoding="utf-8").replace("Lần một", "Lần hai"), encoding="utf-8")
    second = run("--site", str(site), "--output", str(out), "--now", NOW)
    assert second.returncode == 0 and "Không có gì thay đổi" not in second.stdout, second.stdout + second.stderr
    assert "Lần hai" in (out / "tin-tuc" / "bai-qua-lien-ket" / "index.html").read_text(encoding="utf-8")


def _cache_files(site: Path) -> dict:
    folder = site / ".cache"
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.pickle*")}


def test_one_edited_post_rewrites_a_small_part_of_the_cache(tmp_path):
    """A build's own saves grow with what changed: of the bodies and of the search words, the shard that
    loses the old entry and the one that gains the new; the page cache's file of changes; the validated
    front matter is not even read (and not parsed)."""
    site = corpus(tmp_path / "site")
    out = tmp_path / "out"
    cached_build(site, out)
    before = _cache_files(site)
    assert sum(name.startswith("bodies.pickle.") for name in before) > 1
    post = site / "content" / "tin-tuc" / "bai-001.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nMột câu thêm vào cuối bài.\n", encoding="utf-8")
    rebuilt = cached_build(site, out)
    after = _cache_files(site)
    changed = {name for name, stamp in after.items() if before.get(name) != stamp}
    assert 1 <= len([n for n in changed if n.startswith("bodies.pickle.")]) <= 2 < len(before), changed
    assert 1 <= len([n for n in changed if n.startswith("search.pickle.")]) <= 2, changed
    state = next(n.split("/")[0] for n in after if n.endswith("/pages.pickle"))
    assert f"{state}/pages.changes.pickle" in changed and f"{state}/pages.pickle" not in changed
    assert "front-matter.pickle" not in changed and "metas.pickle" not in changed
    assert "Một câu thêm vào cuối bài." in (out / "tin-tuc" / "bai-001" / "index.html").read_text(encoding="utf-8")
    assert rebuilt == clean_build(site, tmp_path / "clean")


def test_damaged_or_foreign_cache_files_are_only_misses(tmp_path):
    site = corpus(tmp_path / "site", 30)
    out = tmp_path / "out"
    cached_build(site, out)
    post = site / "content" / "thong-bao" / "bai-003.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Đoạn đầu", "Đoạn mở đầu"), encoding="utf-8")
    cached_build(site, out)
    for file in (site / ".cache").rglob("*.pickle*"):
        if file.name.startswith(("pages.changes", "bodies.pickle.1", "search.pickle.2")):
            file.write_bytes(sealed.MAGIC + b"\0" * 40 + b"not a pickle")     # our magic, a wrong tag
    post.write_text(post.read_text(encoding="utf-8").replace("Đoạn mở đầu", "Đoạn thứ nhất"), encoding="utf-8")
    assert cached_build(site, out) == clean_build(site, tmp_path / "clean")


def test_front_matter_no_section_validates_is_still_checked(tmp_path):
    """Front matter is parsed when its document is validated; the documents that are not (outside every
    section, or all of them when site.yaml is broken) still have their YAML problems said in the same run."""
    site = corpus(tmp_path / "site", 3)
    write(site / "content" / "lac-loai" / "bai.md", "---\ntitle: [chưa đóng\n---\nNội dung.\n")
    result = run("--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW)
    assert result.returncode == 1
    assert "content/lac-loai/bai.md:3:" in result.stderr and "content/lac-loai" in result.stderr
    write(site / "site.yaml", SITE.replace("sections:", "sections: [\n"))
    broken = run("--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW)
    assert broken.returncode == 1
    assert "site.yaml:" in broken.stderr and "content/lac-loai/bai.md:3:" in broken.stderr


def test_temporary_files_of_killed_builds_are_removed_from_the_cache(tmp_path):
    """A build killed while it saved a cache file leaves ``.NAME.PID``; a later build removes it once it is an
    hour old and its process is gone, and leaves a live process's (or a recent) one alone."""
    import os
    import subprocess
    import sys
    import time
    site = corpus(tmp_path / "site", 3)
    out = tmp_path / "out"
    cached_build(site, out)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    folder = site / ".cache"
    state = next(p for p in folder.iterdir() if p.name.startswith("output-"))
    old = time.time() - 7200
    planted = {"stale": folder / f".bodies.pickle.3.{dead}", "stale-state": state / f".pages.pickle.{dead}",
               "stale-jinja": folder / "jinja" / f".__jinja2_x.cache.{dead}",
               "live": folder / f".search.pickle.{os.getpid()}", "recent": folder / f".metas.pickle.{dead}"}
    for name, file in planted.items():
        file.write_bytes(b"half written")
        if name != "recent":
            os.utime(file, (old, old))
    post = site / "content" / "tin-tuc" / "bai-001.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    assert cached_build(site, out) == clean_build(site, tmp_path / "clean")
    assert {name for name, file in planted.items() if file.exists()} == {"live", "recent"}
