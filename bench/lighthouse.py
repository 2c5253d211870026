#!/usr/bin/env python3
"""Lighthouse scores of the sample portal as citizens get it: built under /tanduc/, served by nginx.

    npm ci --ignore-scripts --prefix bench/lighthouse     # once (Lighthouse 12.2.3; 13 needs Node 22)
    python bench/lighthouse.py [--runs 3] [--keep DIR]

Builds the sample portal with base_url http://127.0.0.1:PORT/tanduc/, serves it with the system's
nginx (the same configuration as tests/browser_support.py), runs Lighthouse with its default mobile
settings (Moto G Power screen, simulated slow 4G, 4x CPU slowdown; with --desktop its desktop preset:
1350x940, no CPU slowdown) in the system's Chromium (CHROME_PATH=/usr/bin/chromium) on the home page, a post,
a document and the search page, RUNS times each, and prints the median
performance / accessibility / best-practices / SEO scores. Targets: 95 / 100 / 95 / 100.
The portal's own view counter runs too (`build.py counter serve --server dev`, a temporary SQLite
file) behind nginx at /api/, as deployed, so that the pages' counter calls succeed (--no-counter: nginx
answers them 404, which Lighthouse reports as console errors under best practices).
Exit status 1 when a median misses its target. Not a test: figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (CHROMIUM, CHROMIUM_ARGS, SUB, wait_port,  # noqa: E402
                             build_under_sub_path, free_port, start_nginx)

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
PAGES = {"home": "", "post": "tin-tuc/kiem-tra-cchc-2021/", "document": "van-ban/1520-qd-ubnd-2025/",
         "search": "tim-kiem/"}


def lighthouse(url: str, out: Path, desktop: bool = False) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
               *(["--preset=desktop"] if desktop else [])]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse: {report['runtimeError']}")
    return report


def failing_audits(report: dict, category: str) -> list[str]:
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
            found.append(f"{ref['id']} ({audit['score']:.2f}): {audit.get('displayValue') or audit['title']}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the site, the nginx files and the reports here")
    parser.add_argument("--no-counter", action="store_true", help="do not run the view counter behind /api/")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset instead of mobile")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: npm ci --ignore-scripts --prefix bench/lighthouse")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium (or bash .ci/browser.sh)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    public = build_under_sub_path(work, origin)
    counter = counter_port = None
    if not args.no_counter:
        counter_port = free_port()
        log = work / "counter.log"
        with open(log, "wb") as out:
            counter = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "counter", "serve", "--server", "dev",
                                        "--port", str(counter_port), "--db", str(work / "counter.sqlite3"),
                                        "--pages", str(public), "--proxy", "127.0.0.1", "--origin", origin],
                                       stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_port(counter_port, counter, log)
    server = start_nginx(work / "nginx", public, port, counter_port=counter_port)
    medians, ok = {}, True
    try:
        for name, path in PAGES.items():
            url = origin + SUB + path
            scores = {c: [] for c in CATEGORIES}
            last = None
            for run in range(args.runs):
                last = lighthouse(url, work / f"{name}-{run + 1}.json", args.desktop)
                for c in CATEGORIES:
                    scores[c].append(round(last["categories"][c]["score"] * 100))
            medians[name] = {c: statistics.median(v) for c, v in scores.items()}
            print(f"{name}: {url}")
            for c in CATEGORIES:
                hit = medians[name][c] >= TARGETS[c]
                ok &= hit
                print(f"  {c:<15} median {medians[name][c]:>5}  runs {scores[c]}  target {TARGETS[c]}"
                      f"{'' if hit else '  MISSED'}")
                if medians[name][c] < 100:
                    for line in failing_audits(last, c):
                        print(f"      {line}")
            metrics = last["audits"]
            print("  last run: FCP {} · LCP {} · TBT {} · CLS {} · transfer {}".format(
                *(metrics[k].get("displayValue", "?") for k in
                  ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                   "cumulative-layout-shift", "total-byte-weight"))))
    finally:
        server.stop()
        if counter is not None:
            counter.terminate()
            counter.wait(timeout=10)
    print(json.dumps(medians))
    print("Lighthouse", last["lighthouseVersion"], "·", last["environment"]["hostUserAgent"].split(") ")[-1],
          "· form factor", last["configSettings"]["formFactor"], "· throttling", last["configSettings"]["throttlingMethod"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
