#!/usr/bin/env python3
"""What one search downloads: build N posts, serve them, search in Chromium, add up the bytes.

    python bench/search_payload.py 4000 [--query "cai cach hanh chinh"] [--out /dev/shm/bench-search]

Counts every byte the server sends after the search page has loaded (word shards, metadata
chunks of the shown results): bodies as served, and what a server that gzips text would send.
The helpers below (corpus, build, counting server, browser, one timed search) are shared with
``search_compare.py``, which runs the same searches against Pagefind.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = next((p for p in (ROOT.parent / "shared" / "bench" / "make_corpus.py",         # beside the repo,
                     ROOT.parents[1] / "shared" / "bench" / "make_corpus.py")   # or beside a worktree's folder
                    if p.exists()), ROOT.parent / "shared" / "bench" / "make_corpus.py")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TEXT_TYPES = (".json", ".js", ".html", ".css", ".svg", ".xml")     # what a server gzips on the fly


def build(posts: int, out: Path) -> tuple[Path, Path]:
    """The corpus of ``posts`` posts (made once) and our clean build of it: (site, public)."""
    site, public = out / f"corpus-{posts}", out / "public"
    if not (site / "site.yaml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), str(posts), "--format", "site"], check=True)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--output", str(public),
                    "--no-cache"], check=True)
    return site, public


@dataclass
class Traffic:
    """Bytes the server sent since the last ``reset()``, and whether a request is still being answered."""
    sent: int = 0
    gzipped: int = 0
    responses: int = 0
    busy: int = 0
    last: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _gz: dict = field(default_factory=dict)

    def reset(self) -> None:
        with self.lock:
            self.sent = self.gzipped = self.responses = 0

    def add(self, path: str, body: bytes) -> None:
        if path not in self._gz:
            self._gz[path] = len(gzip.compress(body, 6)) if path.endswith(TEXT_TYPES) else len(body)
        with self.lock:
            self.sent += len(body)
            self.gzipped += min(self._gz[path], len(body))
            self.responses += 1

    def settle(self, quiet: float = 0.3, limit: float = 15.0) -> None:
        """Waits until no request has been in flight for ``quiet`` seconds."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if not self.busy and time.monotonic() - self.last >= quiet:
                return
            time.sleep(0.05)


class Counting(SimpleHTTPRequestHandler):
    traffic: Traffic

    def log_message(self, *args):
        pass

    def handle_one_request(self):
        with self.traffic.lock:
            self.traffic.busy += 1
        try:
            super().handle_one_request()
        finally:
            with self.traffic.lock:
                self.traffic.busy -= 1
                self.traffic.last = time.monotonic()

    def copyfile(self, source, outputfile):
        body = source.read()
        self.traffic.add(self.path.split("?")[0], body)
        outputfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):     # a closed page's aborted download: not news
            super().handle_error(request, client_address)


def serve(public: Path) -> tuple[ThreadingHTTPServer, str, Traffic]:
    """Serves ``public`` on a free port in a thread: (server, base URL, its traffic counter)."""
    traffic = Traffic()
    handler = type("Handler", (Counting,), {"traffic": traffic})
    server = Server(("127.0.0.1", 0), functools.partial(handler, directory=str(public)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", traffic


def launch(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)


@dataclass(frozen=True)
class SearchPage:
    """A search page driven by typing into ``#q``: where it is, its result links, and the element whose
    text starts with ``nothing_text`` once it found nothing."""
    name: str
    path: str
    links: str
    nothing: str
    nothing_text: str


OURS = SearchPage("ours", "/tim-kiem/", "#ket-qua-tim-kiem ol li a", "#trang-thai-tim-kiem", "Không")

_CLOCK = """links => {
  if (window.__bench) return;
  const bench = window.__bench = {typed: 0, first: 0};
  document.addEventListener("input", () => { bench.typed = performance.now(); bench.first = 0; }, true);
  const look = () => { if (bench.typed && !bench.first && document.querySelector(links)) bench.first = performance.now(); };
  new MutationObserver(look).observe(document.documentElement, {childList: true, subtree: true});
}"""


_DONE = """([nothing, text]) => window.__bench.first
  || ((document.querySelector(nothing) || {}).textContent || "").trim().startsWith(text)"""


_CLEARED = """([links, nothing, text]) => !document.querySelector(links)
  && !((document.querySelector(nothing) || {}).textContent || "").trim().startsWith(text)"""


def open_page(browser, base: str, tool: SearchPage):
    """A fresh page (its own context: empty cache) on the tool's search page, loaded and quiet."""
    page = browser.new_page()
    page.goto(base + tool.path, wait_until="networkidle")
    page.evaluate(_CLOCK, tool.links)
    return page


def search(page, tool: SearchPage, traffic: Traffic, query: str, delay: int = 30) -> dict:
    """Types ``query`` into an empty ``#q`` (``delay`` ms a key) and waits for result links.

    Returns the bytes the server sent for it (as served and gzipped), the time from the last
    keystroke to the first result link in the DOM (ms, measured in the page; None when none
    came), and the shown links' addresses, in order."""
    from playwright.sync_api import TimeoutError
    box = page.locator("#q")
    if box.input_value():
        box.fill("")
        page.wait_for_function(_CLEARED, arg=[tool.links, tool.nothing, tool.nothing_text], timeout=10000)
    traffic.settle()
    traffic.reset()
    page.evaluate("() => { window.__bench.typed = 0; window.__bench.first = 0; }")
    box.press_sequentially(query, delay=delay)
    try:
        page.wait_for_function(_DONE, arg=[tool.nothing, tool.nothing_text], timeout=20000)
    except TimeoutError:                          # a page that never answers: no results, no time
        pass
    traffic.settle()
    clock = page.evaluate("() => window.__bench")
    hrefs = page.eval_on_selector_all(tool.links, "links => links.map(a => a.href)")
    return {"bytes": traffic.sent, "gzipped": traffic.gzipped, "responses": traffic.responses,
            "ms": clock["first"] - clock["typed"] if clock["first"] else None, "links": hrefs}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("posts", type=int)
    parser.add_argument("--query", action="append")
    parser.add_argument("--out", type=Path, default=Path("/dev/shm/bench-search"))
    args = parser.parse_args()
    queries = args.query or ["cai cach hanh chinh", "dang ky", "kiểm tra"]
    _, public = build(args.posts, args.out)
    server, base, traffic = serve(public)
    index_bytes = sum(f.stat().st_size for f in (public / "tim-kiem" / "du-lieu").rglob("*") if f.is_file())
    print(f"{args.posts} posts; whole search index on disk: {index_bytes / 1024:.0f} KB")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch(p)
        for query in queries:
            page = open_page(browser, base, OURS)
            found = search(page, OURS, traffic, query)
            print(f"query {query!r}: {len(found['links'])} results shown, downloaded {found['bytes'] / 1024:.0f} KB "
                  f"({found['gzipped'] / 1024:.0f} KB gzipped) in {found['responses']} responses")
            page.context.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
