#!/usr/bin/env python3
"""What the văn bản registry, the work schedule and the leaders cost: clean builds of N posts, of N posts
+ N documents, and of those + ten years of weekly schedules + ten leaders, in one run.

    python bench/documents.py 4000 [--runs 3] [--place /var/tmp/site-generator-bench]

Makes N posts with the brief's make_corpus.py (once), then a copy of that site with a
`kind: documents` section of N generated documents (numbers, types, issuers, fields, signing dates
over ten years; one in twenty replaces the one before it). Times `python build.py --no-cache` --runs times on
each (alternating, so both see the same machine), prints the medians and their ratio, and the
size of the registry's filter index (chi-muc.json) raw and gzipped: what a phone downloads when a
reader first types in the filter box. The third site adds 520 week files (eight items each, their
pages and iCalendar files) and data/leaders.yaml with ten leaders.
"""
from __future__ import annotations

import argparse
import gzip
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from servers import build_env  # noqa: E402  (bench/ is the script folder)

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
TYPES = [("Quyết định", "QĐ"), ("Kế hoạch", "KH"), ("Thông báo", "TB"), ("Báo cáo", "BC"), ("Công văn", ""),
         ("Chỉ thị", "CT"), ("Nghị quyết", "NQ")]
ISSUERS = [("UBND huyện Hàm Tân", "UBND"), ("HĐND huyện Hàm Tân", "HĐND"), ("Văn phòng HĐND và UBND huyện", "VP")]
FIELDS = ["Cải cách hành chính", "Đất đai", "Giáo dục", "Y tế", "Tài chính", "Nội vụ", "Chuyển đổi số", "Tiếp công dân"]
SUBJECTS = ["triển khai công tác", "kiểm tra việc thực hiện", "tăng cường quản lý", "ban hành quy chế về",
            "tổng kết tình hình", "phê duyệt kế hoạch về"]


def timed(command: list) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=build_env())
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-2000:]}")
    return time.perf_counter() - started


def add_section(site: Path, name: str, declaration: str) -> Path:
    """Declare a section first in site.yaml; its content folder."""
    config = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(config.replace("sections:\n", f"sections:\n  {name}: {declaration}\n", 1),
                                    encoding="utf-8")
    folder = site / "content" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def add_documents(site: Path, count: int) -> None:
    folder = add_section(site, "van-ban", '{title: "Văn bản", kind: documents}')
    rng = random.Random(4000)
    suffix = ""
    for n in range(count):
        kind, short = rng.choice(TYPES)
        issuer, issuer_short = rng.choice(ISSUERS)
        year = 2016 + n * 10 // count
        signed = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        number = f"{n + 1}/{short + '-' if short else ''}{issuer_short}"
        previous, suffix = (suffix if n else ""), number.split("/", 1)[1]
        field = rng.choice(FIELDS)
        replaced = n % 20 == 1                      # one in twenty replaces the document before it
        extra = f'  replaces: ["{n}/{previous}"]\n' if replaced else ""
        title = f"{kind} {rng.choice(SUBJECTS)} {field.lower()} năm {year} (số {n + 1})"
        (folder / f"{signed}-vb-{n:05d}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {signed} 08:00\ndocument:\n  number: "{number}"\n  type: "{kind}"\n'
            f'  issuer: "{issuer}"\n  signed: {signed}\n  field: "{field}"\n{extra}---\n'
            f"{title}. Văn bản gồm các nội dung chính về {field.lower()}, phân công thực hiện và thời hạn báo cáo.\n",
            encoding="utf-8")


def add_schedule_and_leaders(site: Path) -> None:
    folder = add_section(site, "lich-cong-tac", '{title: "Lịch công tác", kind: schedule}')
    rng = random.Random(520)
    days = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu"]
    for n in range(520):
        year, week = 2016 + n // 52, n % 52 + 1
        items = "".join(f'  - day: {days[i % 5]}\n    time: "{rng.choice(["07:30", "14:00 - 16:30", "Sáng", "Chiều"])}"\n'
                        f'    content: "{rng.choice(SUBJECTS).capitalize()} {rng.choice(FIELDS).lower()}"\n'
                        f'    chair: "Chủ tịch UBND"\n    place: "Phòng họp số {rng.randint(1, 3)}"\n' for i in range(8))
        (folder / f"{year}-w{week:02d}.md").write_text(f"---\nweek: {year}-W{week:02d}\nitems:\n{items}---\n",
                                                        encoding="utf-8")
    leaders = "".join(f'- name: "Lãnh đạo số {n + 1}"\n  position: "{"Chủ tịch" if n == 0 else "Phó Chủ tịch"} UBND"\n'
                      f'  bio: "Sinh năm {1965 + n}."\n  duties: ["{rng.choice(FIELDS)}"]\n' for n in range(10))
    (site / "data").mkdir(exist_ok=True)
    (site / "data" / "leaders.yaml").write_text(leaders, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--place", type=Path, default=Path("/var/tmp/site-generator-bench"))
    args = parser.parse_args()
    args.place.mkdir(parents=True, exist_ok=True)
    posts = args.place / f"corpus-{args.count}"
    if not (posts / "site.yaml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(posts), str(args.count), "--format", "site"], check=True,
                       capture_output=True)
    both = args.place / f"corpus-{args.count}-documents"
    if not (both / "content" / "van-ban").exists():
        shutil.rmtree(both, ignore_errors=True)
        shutil.copytree(posts, both, ignore=shutil.ignore_patterns(".cache"))
        add_documents(both, args.count)
    every = args.place / f"corpus-{args.count}-all-kinds"
    if not (every / "content" / "lich-cong-tac").exists():
        shutil.rmtree(every, ignore_errors=True)
        shutil.copytree(both, every, ignore=shutil.ignore_patterns(".cache"))
        add_schedule_and_leaders(every)
    times: dict = {posts: [], both: [], every: []}
    for _ in range(args.runs):
        for site in (posts, both, every):
            out = args.place / "out"
            shutil.rmtree(out, ignore_errors=True)
            times[site].append(timed([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output",
                                      str(out), "--no-cache"]))
    index = (args.place / "out" / "van-ban" / "chi-muc.json").read_bytes()
    c = statistics.median(times[every])
    a, b = statistics.median(times[posts]), statistics.median(times[both])
    print(f"{args.count} posts: clean build median {a:.2f} s ({', '.join(f'{t:.2f}' for t in times[posts])})")
    print(f"{args.count} posts + {args.count} documents: median {b:.2f} s ({', '.join(f'{t:.2f}' for t in times[both])});"
          f" ratio {b / a:.2f}")
    print(f"  + 520 weeks of schedule and 10 leaders: median {c:.2f} s ({', '.join(f'{t:.2f}' for t in times[every])});"
          f" ratio {c / a:.2f} to posts only, {c / b:.2f} to posts + documents")
    print(f"filter index chi-muc.json: {len(index) / 1024:.0f} KB, gzipped {len(gzip.compress(index, 6)) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
