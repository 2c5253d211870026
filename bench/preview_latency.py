#!/usr/bin/env python3
"""How long after an editor saves a post its new page is on disk, while `serve` runs.

    python bench/preview_latency.py 4000 [--edits 15] [--out /dev/shm/bench]
    python bench/preview_latency.py sample

Starts `python build.py serve` on the corpus (made by make_corpus.py when missing),
waits for the first build, then edits one post at a time: appends a paragraph with a
unique marker, and polls the post's page in the preview folder every millisecond
until the marker is there (the "page on disk" time). It then waits for the full
rebuild that follows (the terminal's "built" line) before the next edit, and reports
min / median / max of both. The edited files are restored at the end.
"""
from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from servers import free_port, wait_port  # noqa: E402  (bench/ is the script folder)
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def page_of(site: Path, post: Path) -> str:
    """The output file of a post, found the way the build finds it (front matter slug, section)."""
    from site_generator import load, urls, validate
    from site_generator.problems import Problems

    problems = Problems()
    files = load.load(site, problems)
    cfg = validate.config(files.config, problems)
    doc = load.read_document(site, post, problems)
    meta = validate.document(doc, cfg, problems)
    return urls.Urls.output_file(urls.post(doc.section, meta.slug))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", help="'sample' or a number of posts")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--out", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    scratch = args.out or Path(tempfile.mkdtemp(prefix="bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    if args.what == "sample":
        site = scratch / "sample"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(".git", ".venv", "public", ".cache", ".preview",
                                                                   "bench", "tests", "node_modules"))
    else:
        site = scratch / f"corpus-{args.what}"
        if not (site / "site.yaml").exists():
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), args.what, "--format", "site"], check=True)
    output = scratch / "preview"
    posts = sorted(p for p in (site / "content").rglob("*.md") if "tin-tuc" in p.parts or "thong-bao" in p.parts)
    posts = posts[:: max(1, len(posts) // args.edits)][:args.edits]
    originals = {p: p.read_bytes() for p in posts}
    pages = {p: output / page_of(site, p) for p in posts}

    port = free_port()
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--output", str(output),
               "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()
    page_times, full_times = [], []
    try:
        wait_for_built(lines, timeout=600)
        wait_port(port, server, "the preview")
        time.sleep(1.0)                                   # the watcher is in place
        for number, post in enumerate(posts):
            marker = f"mốc-đo-{number}-{time.time_ns()}"
            with open(post, "ab") as handle:
                handle.write(f"\n\nĐoạn thêm để đo thời gian {marker}.\n".encode("utf-8"))
            saved = time.perf_counter()
            page_times.append(wait_for_marker(pages[post], marker.encode("utf-8")) - saved)
            full_times.append(wait_for_built(lines, timeout=120) - saved)
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(10)
        for post, data in originals.items():
            post.write_bytes(data)
    print(f"{len(posts)} edits on {site.name} (serve, output {output}):")
    show("edited post's page on disk", page_times)
    show("full rebuild done", full_times)
    return 0


def wait_for_built(lines: queue.Queue, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        if "Đã xây dựng" in line or "Không có gì thay đổi" in line:
            return time.perf_counter()
        if "lỗi" in line.lower() and ":" in line:
            print(line, end="", file=sys.stderr)
    raise SystemExit("the preview did not finish a build in time")


def wait_for_marker(page: Path, marker: bytes, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if marker in page.read_bytes():
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.001)
    raise SystemExit(f"{page} never showed the edit")


def show(label: str, seconds: list) -> None:
    ms = sorted(s * 1000 for s in seconds)
    print(f"  {label}: median {statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f})")


if __name__ == "__main__":
    sys.exit(main())
