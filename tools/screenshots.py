"""Screenshots of the sample portal for docs/screenshots/: the home page, a post, a document and the
search page at 360, 768 and 1280 px, in the system's Chromium (/usr/bin/chromium) through Playwright.

It builds the sample portal (this repository's site.yaml and content/) into a temporary folder, serves it
on 127.0.0.1 (a free port, Python's own HTTP server: the links are root-relative, so the base_url's host
does not matter), and writes ``docs/screenshots/<page>-<width>.png``: the whole page, cut at 2,000 px high
on a phone and at 1,500 and 1,400 px at 768 and 1280 px (wide pictures weigh more) to keep the files small.
Run from anywhere: ``python tools/screenshots.py [--out DIR]``.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
NOW = "2026-11-27 12:00"             # the tests' fixed "now": the sample's scheduled posts stay scheduled
WIDTHS = {360: (780, 2000), 768: (1000, 1500), 1280: (900, 1400)}   # width -> first screen's height, cut at
PAGES = {
    "home": "",
    "post": "ket-qua/ket-qua-kiem-tra-lien-nganh-ve-an-toan-thuc-pham-trong-thang-hanh-dong-nam-2023/",
    "document": "van-ban/1520-qd-ubnd-2025/",
    "search": "tim-kiem/",
}
QUERY = "kiem tra"                   # typed into the search page, so that it shows results


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def build(public: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(ROOT), "--output", str(public),
                             "--now", NOW, "--no-cache"], capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        sys.exit(f"the sample portal did not build:\n{result.stderr}")


def shoot(origin: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for width, (height, cut) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
            page = context.new_page()
            for name, path in PAGES.items():
                response = page.goto(f"{origin}/{path}")
                if response is None or response.status != 200:
                    sys.exit(f"/{path}: {response.status if response else 'no answer'}")
                page.wait_for_load_state("networkidle")
                if name == "search":
                    box = page.locator("input[type=search]").first
                    box.fill(QUERY)
                    box.press("Enter")
                    try:
                        page.locator("#ket-qua-tim-kiem li").first.wait_for(timeout=10_000)
                    except Exception:                # the page as it is, results or not
                        pass
                    page.evaluate("document.activeElement && document.activeElement.blur()")
                full = page.evaluate("document.documentElement.scrollHeight")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": min(full, cut)})
                written.append(target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        public = Path(temp) / "public"
        build(public)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(public)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            written = shoot(f"http://127.0.0.1:{server.server_address[1]}", args.out)
        finally:
            server.shutdown()
            server.server_close()
    total = sum(p.stat().st_size for p in written)
    for p in written:
        print(f"{p.stat().st_size:>9,} {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")
    print(f"{total:>9,} in {len(written)} files")


if __name__ == "__main__":
    main()
