"""Cached and parallel builds give exactly the bytes of a clean single-process build."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import NOW, copy_sample, run, write

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
    assert (site / ".cache" / "bodies.pickle").is_file()
    assert cached_build(site, tmp_path / "warm") == reference


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
