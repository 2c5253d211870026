#!/usr/bin/env python3
"""What one search downloads: build N posts, serve them, search in Chromium, add up the bytes.

    python bench/search_payload.py 4000 [--query "cai cach hanh chinh"] [--out /dev/shm/bench-search]

Counts every response the search page loads after it opened (word shards, metadata chunks
of the shown results), as transferred bytes of the bodies.
"""
from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("posts", type=int)
    parser.add_argument("--query", action="append")
    parser.add_argument("--out", type=Path, default=Path("/dev/shm/bench-search"))
    args = parser.parse_args()
    queries = args.query or ["cai cach hanh chinh", "dang ky", "kiểm tra"]
    site, public = args.out / f"corpus-{args.posts}", args.out / "public"
    if not (site / "site.yaml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), str(args.posts), "--format", "site"], check=True)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output", str(public)], check=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(public)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    index_bytes = sum(f.stat().st_size for f in (public / "tim-kiem" / "du-lieu").rglob("*") if f.is_file())
    print(f"{args.posts} posts; whole search index on disk: {index_bytes / 1024:.0f} KB")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for query in queries:
            page = browser.new_page()
            page.goto(base + "/tim-kiem/")
            sizes = []
            page.on("response", lambda r: sizes.append((r.url, len(r.body()) if r.ok else 0)))
            page.fill("#q", query)
            page.wait_for_function("document.querySelector('#trang-thai-tim-kiem').textContent.startsWith('Tìm thấy')"
                                   " || document.querySelector('#trang-thai-tim-kiem').textContent.startsWith('Không')",
                                   timeout=30000)
            page.wait_for_timeout(500)
            total = sum(size for _, size in sizes)
            print(f"query {query!r}: {page.inner_text('#trang-thai-tim-kiem')} "
                  f"downloaded {total / 1024:.0f} KB in {len(sizes)} responses")
            page.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
