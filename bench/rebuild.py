#!/usr/bin/env python3
"""One edited post against a clean build, on disk and in RAM, measured in one run.

    python bench/rebuild.py 4000 [--runs 5] [--disk /work/scratch/bench] [--ram /dev/shm/bench]

For each place: makes N posts with the brief's make_corpus.py (once), builds it clean
(`--no-cache`, output and .cache removed first) --runs times, then warms the cache and, --runs
times, appends a sentence to one post (a different one each time, a few seconds apart so that no
file is too recent to trust) and times `python build.py` in a fresh process: the whole command,
Python's start included. Prints the medians, the ratio rebuild/clean, the issue's targets
(rebuild <= 1 s on disk, <= 0.1 x clean) and where the last rebuild spent its time (``--timings``).
Also checks that the last rebuild's output equals a clean build's, byte for byte. Builds run with Python's
bytecode kept (bench/servers.build_env), as a user's do.
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from servers import build_env  # noqa: E402  (bench/ is the script folder)

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def timed(command: list, said: list | None = None) -> float:
    """Seconds ``command`` took; what it printed goes to ``said``."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=build_env())
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    if said is not None:
        said[:] = result.stdout.splitlines()
    return elapsed


def same_trees(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_trees(a / d, b / d) for d in compared.common_dirs)


def measure(place: Path, posts: int, runs: int) -> dict:
    site = place / f"corpus-{posts}"
    if not (site / "site.yaml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), str(posts), "--format", "site"], check=True,
                       capture_output=True)
    output, clean_output = place / "www" / "public", place / "clean"
    build = [sys.executable, str(ROOT / "build.py"), "--site", str(site)]
    clean = []
    for _ in range(runs):
        shutil.rmtree(clean_output, ignore_errors=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)
        clean.append(timed(build + ["--output", str(clean_output), "--no-cache"]))
    for _ in range(2):                                     # the cache warm, and a spare tree beside the output
        timed(build + ["--output", str(output)])
        edit(site, 0)
    time.sleep(2.5)
    rebuild, said = [], []
    for run in range(runs):
        edit(site, run + 1)
        time.sleep(2.5)                                    # no input or output file changed within 2 s
        rebuild.append(timed(build + ["--output", str(output), "--timings"], said))
    shutil.rmtree(clean_output, ignore_errors=True)
    timed(build + ["--output", str(clean_output), "--no-cache"])
    return {"clean": statistics.median(clean), "rebuild": statistics.median(rebuild), "rebuilds": rebuild,
            "cleans": clean, "same": same_trees(output, clean_output),
            "stages": [line.strip() for line in said if line.startswith("  ")]}


def edit(site: Path, number: int) -> None:
    posts = sorted((site / "content").rglob("*.md"))
    post = posts[(number * 97) % len(posts)]
    post.write_text(post.read_text(encoding="utf-8") + f"\nCâu thêm số {number}.\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("posts", type=int)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--disk", type=Path, default=Path("/var/tmp/site-generator-bench"))
    parser.add_argument("--ram", type=Path, default=Path("/dev/shm/site-generator-bench"))
    args = parser.parse_args()
    with open("/proc/loadavg") as handle:
        print(f"load average before: {handle.read().split()[:3]}")
    for name, place in (("disk", args.disk), ("RAM (/dev/shm)", args.ram)):
        place.mkdir(parents=True, exist_ok=True)
        result = measure(place, args.posts, args.runs)
        ratio = result["rebuild"] / result["clean"]
        print(f"{name}: {args.posts} posts; clean build median {result['clean']:.2f} s "
              f"({', '.join(f'{t:.2f}' for t in result['cleans'])}); one-post rebuild median {result['rebuild']:.2f} s "
              f"({', '.join(f'{t:.2f}' for t in result['rebuilds'])}); ratio {ratio:.3f}; "
              f"same bytes as clean: {result['same']}")
        print(f"  the last rebuild's stages (its own clock, Python's start and imports not in it): "
              f"{'; '.join(' '.join(line.split()) for line in result['stages'])}")
        if name == "disk":
            print(f"  target rebuild <= 1 s on disk: {'PASS' if result['rebuild'] <= 1 else 'FAIL'}")
        print(f"  target rebuild <= 0.1 x clean: {'PASS' if ratio <= 0.1 else 'FAIL'}")
    with open("/proc/loadavg") as handle:
        print(f"load average after: {handle.read().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
