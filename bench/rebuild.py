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

    python bench/rebuild.py 4000 --against /tmp/before    # after: git worktree add /tmp/before <commit>

measures another checkout of the project too, on its own copy of the corpus, its runs alternating with
this one's: on a shared, noisy machine, compare the two in the same run.
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


def measure(place: Path, posts: int, runs: int, checkouts: list) -> list[dict]:
    """The figures of each checkout (its build.py), on its own copy of one corpus; their runs alternate, so
    that the machine's load weighs on all of them alike."""
    corpus = place / f"corpus-{posts}"
    if not (corpus / "site.yaml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), str(posts), "--format", "site"], check=True,
                       capture_output=True)
    runs_of = []
    for number, checkout in enumerate(checkouts):
        site = corpus if number == 0 else place / f"corpus-{posts}-against-{number}"
        if number:
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(corpus, site, ignore=shutil.ignore_patterns(".cache"))
        suffix = f"-{number}" if number else ""
        runs_of.append({"site": site, "build": [sys.executable, str(checkout / "build.py"), "--site", str(site)],
                        "output": place / f"www{suffix}" / "public", "clean_output": place / f"clean{suffix}",
                        "clean": [], "rebuild": [], "said": []})
    for _ in range(runs):
        for one in runs_of:
            shutil.rmtree(one["clean_output"], ignore_errors=True)
            shutil.rmtree(one["site"] / ".cache", ignore_errors=True)
            one["clean"].append(timed(one["build"] + ["--output", str(one["clean_output"]), "--no-cache"]))
    for one in runs_of:
        for _ in range(2):                                 # the cache warm, and a spare tree beside the output
            timed(one["build"] + ["--output", str(one["output"])])
            edit(one["site"], 0)
    time.sleep(2.5)
    for run in range(runs):
        for one in runs_of:
            edit(one["site"], run + 1)
        time.sleep(2.5)                                    # no input or output file changed within 2 s
        for one in runs_of:
            one["rebuild"].append(timed(one["build"] + ["--output", str(one["output"]), "--timings"], one["said"]))
    results = []
    for one in runs_of:
        shutil.rmtree(one["clean_output"], ignore_errors=True)
        timed(one["build"] + ["--output", str(one["clean_output"]), "--no-cache"])
        results.append({"clean": statistics.median(one["clean"]), "rebuild": statistics.median(one["rebuild"]),
                        "rebuilds": one["rebuild"], "cleans": one["clean"],
                        "same": same_trees(one["output"], one["clean_output"]),
                        "stages": [line.strip() for line in one["said"] if line.startswith("  ")]})
    return results


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
    parser.add_argument("--against", type=Path, action="append", default=[], metavar="CHECKOUT",
                        help="another checkout of this project (git worktree add DIR REV), measured in the same run")
    args = parser.parse_args()
    checkouts = [ROOT] + [path.resolve() for path in args.against]
    with open("/proc/loadavg") as handle:
        print(f"load average before: {handle.read().split()[:3]}")
    for name, place in (("disk", args.disk), ("RAM (/dev/shm)", args.ram)):
        place.mkdir(parents=True, exist_ok=True)
        for checkout, result in zip(checkouts, measure(place, args.posts, args.runs, checkouts)):
            ratio = result["rebuild"] / result["clean"]
            print(f"{name}{'' if checkout == ROOT else f' [{checkout}]'}: {args.posts} posts; clean build median "
                  f"{result['clean']:.2f} s ({', '.join(f'{t:.2f}' for t in result['cleans'])}); one-post rebuild "
                  f"median {result['rebuild']:.2f} s ({', '.join(f'{t:.2f}' for t in result['rebuilds'])}); "
                  f"ratio {ratio:.3f}; same bytes as clean: {result['same']}")
            print(f"  the last rebuild's stages (its own clock, Python's start and imports not in it): "
                  f"{'; '.join(' '.join(line.split()) for line in result['stages'])}")
            if checkout != ROOT:
                continue
            if name == "disk":
                print(f"  target rebuild <= 1 s on disk: {'PASS' if result['rebuild'] <= 1 else 'FAIL'}")
            print(f"  target rebuild <= 0.1 x clean: {'PASS' if ratio <= 0.1 else 'FAIL'}")
    with open("/proc/loadavg") as handle:
        print(f"load average after: {handle.read().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
