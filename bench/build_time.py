#!/usr/bin/env python3
"""Time clean builds: the sample portal, or N posts from the brief's make_corpus.py.

    python bench/build_time.py sample [--runs 5]
    python bench/build_time.py 1000 [--runs 5] [--out /dev/shm/bench]

Each run is `python build.py --site SITE --output OUT` in a fresh process with the
output folder removed first (a clean, cold build); prints min / median / max wall time.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers import build_env  # noqa: E402  (bench/ is the script folder)

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", help="'sample' or a number of posts")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--warm", action="store_true", help="keep .cache/ between runs (default: --no-cache)")
    args = parser.parse_args()
    scratch = args.out or Path(tempfile.mkdtemp(prefix="bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    if args.what == "sample":
        site = ROOT
    else:
        site = scratch / f"corpus-{args.what}"
        if not (site / "site.yaml").exists():
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), args.what, "--format", "site"], check=True)
    output = scratch / "public"
    times = []
    for _ in range(args.runs):
        shutil.rmtree(output, ignore_errors=True)
        started = time.perf_counter()
        command = [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output", str(output)]
        result = subprocess.run(command + ([] if args.warm else ["--no-cache"]), capture_output=True, text=True,
                                env=build_env())
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
            return 1
    pages = sum(1 for _ in output.rglob("*.html"))
    print(f"{args.what} ({'warm cache' if args.warm else 'no cache'}): {pages} pages; wall min {min(times):.2f} s, median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
