#!/usr/bin/env python3
"""A province of C communes x P posts against one site of C x P posts, measured in one run (issue 18).

    python bench/province.py --communes 100 --posts 400 --runs 3 [--place /dev/shm/province]

Makes (once) one site of C*P posts and a province of C communes of P posts each, with the brief's
make_corpus.py (each commune its own seed; its site.yaml without title and base_url, so that the
province gives them from the official names; the communes are the first C of Lâm Đồng's 124). Then,
--runs times each, in fresh processes, the whole command timed:

- clean: ``build.py province --no-cache`` (outputs and every .cache removed first) against
  ``build.py --no-cache`` of the one big site, and against one commune built alone;
- one post edited in one commune (a different commune each time): ``build.py province``, which
  rebuilds that commune and the aggregate;
- memory: the peak of the whole process tree's proportional set size (PSS, /proc/PID/smaps_rollup,
  sampled every 20 ms: pages shared by forked processes counted once), and the largest RSS of any
  one process, for the province's clean build and for the commune built alone.

Prints the medians and the issue's targets as ratios from this same run: clean province <= 1.2 x the
big site, rebuild after one edit <= 2 s, peak memory <= 1.5 x the largest commune's own build. Also
checks that the last incremental output equals a clean build's, byte for byte.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
sys.path.insert(0, str(ROOT))

from servers import build_env  # noqa: E402  (bench/ is the script folder)


def make(place: Path, communes: int, posts: int) -> tuple[Path, Path, list]:
    from site_generator import divisions
    units = divisions.units_of(68)[:communes]
    single = place / f"single-{communes * posts}"
    if not (single / "site.yaml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(single), str(communes * posts), "--format", "site"],
                       check=True, capture_output=True)
    province = place / f"province-{communes}x{posts}"
    if not (province / "province.yaml").exists():
        listed = "".join(f"  - {{folder: {u.slug}, code: {u.code}}}\n" for u in units)
        for n, unit in enumerate(units):
            folder = province / unit.slug
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), str(posts), "--format", "site",
                            "--seed", str(n + 1)], check=True, capture_output=True)
            text = (folder / "site.yaml").read_text(encoding="utf-8")
            text = re.sub(r"^(title|base_url):.*\n", "", text, flags=re.M)
            (folder / "site.yaml").write_text(text, encoding="utf-8")
        (province / "province.yaml").write_text(
            'code: 68\ntitle: "Cổng thông tin điện tử tỉnh Lâm Đồng"\nbase_url: "https://lamdong.example.gov.vn/tong-hop/"\n'
            f'domain: "lamdong.example.gov.vn"\nsite:\n  language: vi\ncommunes:\n{listed}', encoding="utf-8")
    return single, province, units


class Sampler:
    """The peak PSS of a process and all its descendants, and the largest RSS of one of them (KiB)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.largest = pid, 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self) -> list:
        found, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        pending.extend(int(c) for c in handle.read().split())
            except OSError:
                continue
        return found

    def _run(self) -> None:
        while not self.stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as handle:
                        for line in handle:
                            if line.startswith("Pss:"):
                                total += int(line.split()[1])
                    with open(f"/proc/{pid}/status") as handle:          # VmHWM: the process's own peak RSS
                        for line in handle:
                            if line.startswith("VmHWM:"):
                                self.largest = max(self.largest, int(line.split()[1]))
                except OSError:
                    continue
            self.peak = max(self.peak, total)
            self.stop.wait(0.02)

    def done(self) -> tuple[int, int]:
        self.stop.set()
        self.thread.join()
        return self.peak, self.largest


def timed(command: list, memory: bool = False) -> tuple[float, int, int]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=build_env())
    sampler = Sampler(process.pid) if memory else None
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    peak, largest = sampler.done() if sampler else (0, 0)
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{out[-2000:]}\n{err[-2000:]}")
    return elapsed, peak, largest


def same_trees(a: Path, b: Path) -> bool:
    """Equal trees, byte for byte (the writer's spare trees and locks, ``.<name>.spare``, left aside)."""
    compared = filecmp.dircmp(a, b, ignore=[n for n in {*os.listdir(a), *os.listdir(b)} if n.startswith(".")])
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_trees(a / d, b / d) for d in compared.common_dirs)


def forget_caches(province: Path, units: list) -> None:
    shutil.rmtree(province / ".cache", ignore_errors=True)
    for unit in units:
        shutil.rmtree(province / unit.slug / ".cache", ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--place", type=Path, default=Path("/dev/shm/province-bench"))
    args = parser.parse_args()
    place = args.place.resolve()
    place.mkdir(parents=True, exist_ok=True)
    single, province, units = make(place, args.communes, args.posts)
    build = [sys.executable, str(ROOT / "build.py")]
    now = ["--now", "2026-12-03 10:00"]
    out, clean_out, single_out, alone_out = place / "out", place / "out-clean", place / "single-out", place / "alone"

    big, whole, whole_peak, whole_largest, alone, alone_peak, alone_largest = [], [], [], [], [], [], []
    for _ in range(args.runs):
        shutil.rmtree(single_out, ignore_errors=True)
        shutil.rmtree(single / ".cache", ignore_errors=True)
        big.append(timed(build + ["--site", str(single), "--output", str(single_out), "--no-cache", *now])[0])
        shutil.rmtree(clean_out, ignore_errors=True)
        forget_caches(province, units)
        seconds, peak, largest = timed(build + ["province", "--site", str(province), "--output", str(clean_out),
                                                "--no-cache", *now], memory=True)
        whole.append(seconds), whole_peak.append(peak), whole_largest.append(largest)
        shutil.rmtree(alone_out, ignore_errors=True)
        seconds, peak, largest = timed(build + ["--site", str(province / units[0].slug), "--province", str(province),
                                                "--output", str(alone_out), "--no-cache", *now], memory=True)
        alone.append(seconds), alone_peak.append(peak), alone_largest.append(largest)

    shutil.rmtree(out, ignore_errors=True)
    forget_caches(province, units)
    for _ in range(2):                                   # the caches warm, a spare tree beside each output
        timed(build + ["province", "--site", str(province), "--output", str(out), *now])
    edits = []
    for n in range(args.runs):
        unit = units[(n * 7) % len(units)]
        post = sorted((province / unit.slug / "content").rglob("*.md"))[n]
        with open(post, "a", encoding="utf-8") as handle:
            handle.write(f"\nĐoạn bổ sung lần {n + 1} để đo thời gian xây dựng lại.\n")
        time.sleep(2.5)                                  # no file too recent for the stamp to trust
        edits.append(timed(build + ["province", "--site", str(province), "--output", str(out), *now])[0])
    shutil.rmtree(clean_out, ignore_errors=True)
    forget_caches(province, units)
    timed(build + ["province", "--site", str(province), "--output", str(clean_out), "--no-cache", *now])
    forget_caches(province, units)
    same = same_trees(out, clean_out)

    median = statistics.median
    print(f"{args.communes} communes x {args.posts} posts ({args.communes * args.posts:,} posts), {args.runs} runs, "
          f"medians, load average {os.getloadavg()[0]:.2f}")
    print(f"  one site of {args.communes * args.posts:,} posts, clean   {median(big):8.2f} s")
    print(f"  the province, clean                    {median(whole):8.2f} s   peak PSS {median(whole_peak) / 1024:7.0f} MiB"
          f"   largest process RSS {median(whole_largest) / 1024:5.0f} MiB")
    print(f"  one commune alone, clean               {median(alone):8.2f} s   peak PSS {median(alone_peak) / 1024:7.0f} MiB"
          f"   largest process RSS {median(alone_largest) / 1024:5.0f} MiB")
    print(f"  one post edited in one commune         {median(edits):8.2f} s   (runs: "
          f"{', '.join(f'{e:.2f}' for e in edits)})")
    ratio = median(whole) / median(big)
    memory = median(whole_peak) / median(alone_peak)
    print(f"  clean province / one big site   {ratio:5.2f}  (target <= 1.2)  {'PASS' if ratio <= 1.2 else 'FAIL'}")
    print(f"  rebuild after one edit          {median(edits):5.2f} s (target <= 2 s) {'PASS' if median(edits) <= 2 else 'FAIL'}")
    print(f"  peak PSS province / one commune {memory:5.2f}  (target <= 1.5)  {'PASS' if memory <= 1.5 else 'FAIL'}")
    print(f"  incremental output equals a clean build: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
