#!/usr/bin/env python3
"""Time our generator side by side with Hugo, Pelican and Eleventy, in one run.

    python bench/compare.py [--sizes 4000] [--runs 5] [--anchors /tmp/anchors]
                            [--shared DIR] [--skip-setup] [--tools hugo,pelican,eleventy]
                            [--out /dev/shm/anchors] [--json out.json]

Run it with the Python that has our package installed (e.g. /tmp/v/bin/python):
that interpreter (sys.executable) runs build.py.

It uses the peer anchors in <shared>/bench/anchors (shared defaults to
<repo>/../shared): if a tool's site is missing under --anchors it runs their
`setup.sh N ...` (needs the pip and npm registries) unless --skip-setup is given.
Our site for N posts is `make_corpus.py <anchors>/sites/ours-N N --format site`,
the same posts as the peers' corpus.

Every build is timed from outside by the anchors' own timecmd.py (one warm-up, then
--runs runs; wall, user+sys CPU and peak RSS of the process tree), output in
tmpfs (--out), in this order for each size:
  hugo, pelican, eleventy   sh -c 'rm -rf OUT && exec BUILD'   (as run_builds.sh tmpfs)
  ours cold                 sh -c 'rm -rf OUT CACHE && exec PY build.py --site SITE --output OUT --no-cache'
  ours warm                 PY build.py --site SITE --output OUT  (after one untimed priming
                            build: cache and output present, nothing changed)
CACHE is the site's .cache/ folder (site_generator/cache.py: FOLDER).

Prints the table (median, min-max), the targets as ratios from this same run with
PASS/FAIL, and the machine's noise (load average before/after, CPU count).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE_FOLDER = ".cache"            # site_generator/cache.py: FOLDER, inside the site folder
PEERS = ("hugo", "pelican", "eleventy")
PEER_BUILDS = {                    # run_builds.sh, run from the tool's site folder
    "hugo": "../../bin/hugo -d {out}",
    "pelican": "../../venv/bin/pelican content -s pelicanconf.py -o {out}",
    "eleventy": "node ../../eleventy-npm/node_modules/@11ty/eleventy/cmd.cjs --quiet --output={out}",
}
STAT_LINE = re.compile(r"^(wall|cpu|peak)\s+min\s+(\S+)\s+median\s+(\S+)\s+max\s+(\S+)", re.M)


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="4000", help="comma-separated post counts (default 4000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per build, after one warm-up (default 5)")
    ap.add_argument("--anchors", type=Path, default=Path(os.environ.get("ANCHORS", "/tmp/anchors")))
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="default <repo>/../shared")
    ap.add_argument("--skip-setup", action="store_true", help="never run the anchors' setup.sh")
    ap.add_argument("--tools", default=",".join(PEERS), help="peer tools to time (default all three)")
    ap.add_argument("--out", type=Path, default=Path("/dev/shm/anchors"), help="tmpfs folder for the outputs")
    ap.add_argument("--json", type=Path, help="also write the results here")
    a = ap.parse_args(argv)
    a.sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    a.tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    unknown = set(a.tools) - set(PEERS)
    if unknown:
        ap.error(f"unknown tools: {', '.join(sorted(unknown))}")
    a.anchors = a.anchors.resolve()
    a.shared = a.shared.resolve()
    return a


# --- setup -------------------------------------------------------------------

def peer_site(anchors: Path, tool: str, n: int) -> Path:
    return anchors / "sites" / f"{tool}-{n}"


def anchors_ready(anchors: Path, tools, n: int) -> bool:
    needs = {"hugo": anchors / "bin" / "hugo", "pelican": anchors / "venv" / "bin" / "pelican",
             "eleventy": anchors / "eleventy-npm" / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"}
    return all(needs[t].exists() and peer_site(anchors, t, n).is_dir() for t in tools)


def ensure_anchors(args) -> None:
    """Run setup.sh for the sizes whose peer sites are missing (setup.sh redoes every size it is given)."""
    missing = [n for n in args.sizes if not anchors_ready(args.anchors, args.tools, n)]
    if not missing or not args.tools:
        return
    if args.skip_setup:
        sys.exit(f"anchor sites missing for N={missing} in {args.anchors} (and --skip-setup given)")
    setup = args.shared / "bench" / "anchors" / "setup.sh"
    print(f"setup: ANCHORS={args.anchors} sh {setup} {' '.join(map(str, missing))}", flush=True)
    env = dict(os.environ, ANCHORS=str(args.anchors))
    if subprocess.run(["sh", str(setup), *map(str, missing)], env=env).returncode != 0:
        sys.exit("setup.sh failed (see its output above)")


def ensure_our_site(args, n: int) -> Path:
    site = args.anchors / "sites" / f"ours-{n}"
    if not (site / "site.yaml").exists():
        make_corpus = args.shared / "bench" / "make_corpus.py"
        subprocess.run([sys.executable, str(make_corpus), str(site), str(n), "--format", "site"],
                       check=True, stdout=subprocess.DEVNULL)
    return site


# --- timing ------------------------------------------------------------------

def timecmd(args, cwd: Path, argv: list[str]) -> dict:
    """Time argv with the anchors' timecmd.py; {wall|cpu|peak: (min, median, max), ok, exit}."""
    script = args.shared / "bench" / "anchors" / "timecmd.py"
    done = subprocess.run([sys.executable, str(script), "-n", str(args.runs), "--", *argv],
                          cwd=cwd, capture_output=True, text=True)
    stats = {name: tuple(float(x) for x in xs) for name, *xs in STAT_LINE.findall(done.stdout)}
    if set(stats) != {"wall", "cpu", "peak"}:
        sys.exit(f"could not read timecmd.py output for {argv}:\n{done.stdout}{done.stderr}")
    codes = re.search(r"exit codes (\[.*\])", done.stdout)
    return {**stats, "ok": done.returncode == 0, "exit": codes.group(1) if codes else "?"}


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def time_peer(args, tool: str, n: int) -> dict:
    out = args.out / f"{tool}-{n}"
    build = PEER_BUILDS[tool].format(out=out)
    result = timecmd(args, peer_site(args.anchors, tool, n), ["sh", "-c", f"rm -rf {out} && exec {build}"])
    return {"tool": tool, "mode": "cold", "n": n, **result, "files": count_files(out)}


def time_ours(args, n: int) -> list[dict]:
    site = ensure_our_site(args, n)
    py, build = shlex.quote(sys.executable), shlex.quote(str(REPO / "build.py"))
    cold_out, warm_out = args.out / f"ours-{n}-cold", args.out / f"ours-{n}-warm"
    cache = site / CACHE_FOLDER
    cold = timecmd(args, site, ["sh", "-c", f"rm -rf {shlex.quote(str(cold_out))} {shlex.quote(str(cache))} && exec "
                                            f"{py} {build} --site {shlex.quote(str(site))} "
                                            f"--output {shlex.quote(str(cold_out))} --no-cache"])
    rows = [{"tool": "ours", "mode": "cold", "n": n, **cold, "files": count_files(cold_out)}]
    warm_cmd = [sys.executable, str(REPO / "build.py"), "--site", str(site), "--output", str(warm_out)]
    subprocess.run(["rm", "-rf", str(warm_out), str(cache)], check=True)
    priming = subprocess.run(warm_cmd, cwd=site, capture_output=True, text=True)   # fills .cache/ and OUT
    if priming.returncode != 0:
        print(f"warning: priming build exited {priming.returncode}:\n{priming.stderr[-2000:]}", file=sys.stderr)
    warm = timecmd(args, site, warm_cmd)
    rows.append({"tool": "ours", "mode": "warm", "n": n, **warm, "files": count_files(warm_out)})
    return rows


# --- report ------------------------------------------------------------------

def print_table(rows: list[dict]) -> None:
    head = f"{'tool/mode':15s} {'N':>6s}  {'wall median (min-max) s':>25s}  {'CPU s':>7s}  {'peak MiB':>8s}  {'files':>6s}"
    print(head)
    print("-" * len(head))
    for r in rows:
        lo, med, hi = r["wall"]
        wall = f"{med:7.3f} ({lo:.3f}-{hi:.3f})"
        flag = "" if r["ok"] else f"  FAILED, exit codes {r['exit']}"
        print(f"{r['tool'] + ' ' + r['mode']:15s} {r['n']:6d}  {wall:>25s}  {r['cpu'][1]:7.3f}  "
              f"{r['peak'][1]:8.1f}  {r['files']:6d}{flag}")


def find(rows, tool, mode, n):
    return next((r for r in rows if (r["tool"], r["mode"], r["n"]) == (tool, mode, n) and r["ok"]), None)


def targets(rows: list[dict], sizes: list[int]) -> list[dict]:
    """The issue's targets, each as ours / reference against a limit (medians of this run)."""
    checks = []

    def check(label, n, ours, ref, metric, limit, strict=False):
        if ours is None or ref is None:
            checks.append({"target": label, "n": n, "result": "n/a (not measured)"})
            return
        a, b = ours[metric][1], ref[metric][1]
        ratio = a / b
        ok = ratio < limit if strict else ratio <= limit
        checks.append({"target": label, "n": n, "ours": a, "ref": b, "ratio": ratio,
                       "limit": f"{'<' if strict else '<='} {limit}", "result": "PASS" if ok else "FAIL"})

    for n in sizes:
        cold, warm = find(rows, "ours", "cold", n), find(rows, "ours", "warm", n)
        check("cold ours < eleventy (wall)", n, cold, find(rows, "eleventy", "cold", n), "wall", 1.0, strict=True)
        check("cold ours <= 0.5 x pelican (wall)", n, cold, find(rows, "pelican", "cold", n), "wall", 0.5)
        check("warm ours <= 0.75 x hugo (wall)", n, warm, find(rows, "hugo", "cold", n), "wall", 0.75)
        check("peak RSS ours cold <= hugo", n, cold, find(rows, "hugo", "cold", n), "peak", 1.0)
    if 4000 in sizes and 20000 in sizes:
        check("cold ours(20000) <= 5.5 x ours(4000)", 20000, find(rows, "ours", "cold", 20000),
              find(rows, "ours", "cold", 4000), "wall", 5.5)
    return checks


def print_targets(checks: list[dict]) -> None:
    for c in checks:
        if "ratio" in c:
            print(f"{c['result']:4s}  {c['target']:38s} N={c['n']:<6d} {c['ours']:8.3f} / {c['ref']:8.3f}"
                  f" = {c['ratio']:5.2f}  (target {c['limit']})")
        else:
            print(f"n/a   {c['target']:38s} N={c['n']:<6d} {c['result']}")


def revision() -> str:
    def git(*a):
        return subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True).stdout.strip()
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "site_generator") else ""
    return f"{git('rev-parse', '--short', 'HEAD') or '?'}{dirty}"


def main(argv=None) -> int:
    args = parse_args(argv)
    ensure_anchors(args)
    args.out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    rows = []
    for n in args.sizes:
        for tool in args.tools:
            print(f"timing {tool} N={n} ...", file=sys.stderr, flush=True)
            rows.append(time_peer(args, tool, n))
        print(f"timing ours N={n} (cold, warm) ...", file=sys.stderr, flush=True)
        rows.extend(time_ours(args, n))
    load_after = os.getloadavg()
    checks = targets(rows, args.sizes)

    print(f"\nruns {args.runs} (+1 warm-up) each, output in {args.out}; ours: {REPO} @ {revision()}, "
          f"python {sys.executable}")
    print_table(rows)
    print("\ntargets (medians of this run):")
    print_targets(checks)
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\nmachine: nproc {affinity} (cpu_count {os.cpu_count()}); load average 1/5/15 min "
          f"before {' '.join(f'{x:.2f}' for x in load_before)}, after {' '.join(f'{x:.2f}' for x in load_after)}")
    if args.json:
        args.json.write_text(json.dumps({"sizes": args.sizes, "runs": args.runs, "revision": revision(),
                                         "nproc": affinity, "load_before": load_before, "load_after": load_after,
                                         "rows": rows, "targets": checks}, indent=2), encoding="utf-8")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
