"""The output swap: at every instant public/ is the whole last site or the whole new one.

Builds run in real processes and are killed (SIGKILL, through write._crash_point) at each
step of writing and swapping, with the atomic exchange and with the two-rename fallback;
the output is then one of the two complete sites, and the next build repairs everything.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from conftest import BUILD, NOW, copy_sample, run, write

STEPS = ["writing", "before-swap", "after-swap"]


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean(site, folder):
    result = run("--site", str(site), "--output", str(folder), "--now", NOW, "--no-cache")
    assert result.returncode == 0, result.stderr
    return tree(folder)


def build(site, out, **env):
    return subprocess.run([sys.executable, str(BUILD), "--site", str(site), "--output", str(out), "--now", NOW],
                          capture_output=True, text=True, encoding="utf-8", env={**os.environ, **env}, timeout=300)


def edit(site, text):
    post = site / "content" / "tin-tuc" / "2021-06-18-tap-huan-iso-9001-2015.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def beside(out):
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_build_killed_at_any_step_leaves_a_whole_site_and_the_next_build_repairs_it(tmp_path, exchange):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "www" / "public"
    env = {} if exchange else {"SITE_GENERATOR_NO_EXCHANGE": "1"}
    assert build(site, out, **env).returncode == 0
    steps = STEPS + ([] if exchange else ["between-renames"])
    for number, step in enumerate(steps):
        before = tree(out)
        edit(site, f"Đoạn thêm lần {number}.")
        after = clean(site, tmp_path / f"clean-{number}")
        killed = build(site, out, SITE_GENERATOR_KILL_AT=step, **env)
        assert killed.returncode == -signal.SIGKILL, (step, killed.stdout, killed.stderr)
        if step == "between-renames":           # the fallback's gap: the output is missing until the next build
            assert not out.exists()
        else:
            assert tree(out) in (before, after), step
        repaired = build(site, out, **env)
        assert repaired.returncode == 0, repaired.stderr
        assert tree(out) == after, step
        assert beside(out) == [".public.lock", ".public.spare"], step


def test_the_output_is_never_missing_while_builds_swap(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "public"
    assert build(site, out).returncode == 0
    missing, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            for name in ("index.html", "404.html", "tin-tuc/index.html"):
                if not (out / name).is_file():
                    missing.append(name)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for number in range(4):
            edit(site, f"Lần sửa {number}.")
            assert build(site, out).returncode == 0
    finally:
        stop.set()
        watcher.join()
    assert missing == []


def test_leftovers_of_killed_builds_are_removed(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "public"
    for name in (".public.building-12345", ".public.old-999"):      # what builds before this writer left
        write(tmp_path / name / "index.html", "cũ")
    assert build(site, out).returncode == 0
    assert beside(out) == [".public.lock"]                 # the first build has no spare yet
    edit(site, "Sửa một đoạn.")
    assert build(site, out).returncode == 0 and beside(out) == [".public.lock", ".public.spare"]


def test_files_added_or_changed_in_the_output_by_hand_do_not_survive_a_build(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "public"
    for number in range(2):
        assert build(site, out).returncode == 0
        edit(site, f"Lần {number}.")
    want = clean(site, tmp_path / "clean")
    write(out / "la.html", "tệp lạ")                         # added by hand into the live site
    write(out / "tin-tuc" / "la" / "index.html", "tệp lạ")
    (out / "the" / "index.html").unlink()                     # deleted by hand
    page = out / "index.html"                                  # changed in place (same size)
    data = bytearray(page.read_bytes())
    data[100] = ord("X") if data[100] != ord("X") else ord("Y")
    page.write_bytes(bytes(data))
    for _ in range(2):                                         # both trees take their turn as the output
        assert build(site, out).returncode == 0
        assert tree(out) == want


def test_an_output_folder_holding_other_files_is_refused_and_kept(tmp_path):
    site = copy_sample(tmp_path / "site")
    web_root = tmp_path / "var-www"
    write(web_root / "khac" / "ung-dung.php", "<?php // another application")
    write(web_root / "index.html", "trang khác")
    result = run("--site", str(site), "--output", str(web_root), "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "không phải do công cụ này tạo ra" in result.stderr
    assert (web_root / "khac" / "ung-dung.php").is_file() and (web_root / "index.html").read_text() == "trang khác"
    for target in (site, site / "content", site.parent):       # the site folder itself, or above it
        result = run("--site", str(site), "--output", str(target), "--now", NOW)
        assert result.returncode == 1 and "Traceback" not in result.stderr, target
    assert (site / "site.yaml").is_file() and (site / "content" / "tin-tuc").is_dir()


def _write_site(out, state, files, early=None):
    """One build of ``files`` (path -> bytes) by the writer itself, as the pipeline drives it."""
    from site_generator.cache import content_key
    from site_generator.write import Writer
    with Writer(out, state, owned=True, early=early) as writer:
        for relative, data in files.items():
            if not writer.has(relative, content_key(data)):
                writer.write(relative, data)
        writer.commit()
    return writer


def test_the_spare_checked_early_is_used_only_when_no_build_changed_it_meanwhile(tmp_path):
    """prefetch() checks the spare while the build loads, without the lock: its answer is taken when the manifest
    is the one it checked (and what it found missing is written again), never after another build."""
    from site_generator.write import prefetch
    out, state = tmp_path / "www" / "public", tmp_path / "state"
    sites = [{f"trang-{n}/index.html": f"<p>Trang {n}, bản {version}</p>".encode() for n in range(30)}
             for version in range(3)]
    sites[1]["chi-ban-1/index.html"] = "<p>Chỉ bản 1</p>".encode()
    for files in (sites[0], sites[1], sites[0]):
        _write_site(out, state, files)
    spare = out.parent / ".public.spare"
    (spare / "trang-3" / "index.html").unlink()                # gone from the spare before the check
    early = prefetch(out, state)
    writer = _write_site(out, state, sites[1], early)
    assert writer.prefetched and tree(out) == sites[1]

    early = prefetch(out, state)
    _write_site(out, state, sites[2])                          # another build while this one loads
    writer = _write_site(out, state, sites[0], early)
    assert not writer.prefetched and tree(out) == sites[0]

    early = prefetch(out, state)
    _write_site(out, state, sites[2], prefetch(out, state))    # this one took its own answer...
    writer = _write_site(out, state, sites[1], early)          # ... and this one's is of a spare gone by
    assert not writer.prefetched and tree(out) == sites[1]


@pytest.mark.parametrize("relative", ["../ra-ngoai/index.html", "a/../../ra-ngoai.html", "/tmp/ra-ngoai.html",
                                      "a//b.html", "./a.html", "a\\..\\b.html", "", "a/\0.html"])
def test_no_path_leaves_the_output_folder_whatever_made_it(tmp_path, relative):
    """The writer's last guard: slugs are checked before, but a path that would leave the output is never written,
    and the build stops with the last good output in place."""
    from site_generator.write import OutsideOutput
    out, state = tmp_path / "www" / "public", tmp_path / "state"
    _write_site(out, state, {"index.html": b"<p>ok</p>"})
    with pytest.raises(OutsideOutput):
        _write_site(out, state, {"trang/index.html": b"<p>new</p>", relative: b"<p>outside</p>"})
    assert tree(out) == {"index.html": b"<p>ok</p>"}
    assert not [p for p in tmp_path.rglob("ra-ngoai*")] and not os.path.exists("/tmp/ra-ngoai.html")
