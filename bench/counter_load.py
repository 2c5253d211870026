"""Load benchmark of the view counter under its production server (gunicorn), driven by wrk.

    python bench/counter_load.py [--runs 5] [--seconds 10] [--connections 16] [--workers 2] [--backend sqlite|redis]

Each run: a fresh database, `python build.py counter` (gunicorn) on 127.0.0.1 with the rate limit off
(`--rate 0`: every request comes from 127.0.0.1, the bench's "proxy"), wrk POSTing hits from distinct
simulated visitors (bench/counter_hits.lua), then the stored counts are checked against the views wrk
saw acknowledged. After each run, nginx serves a small static file (the size of a hit's answer, 2
workers, access log off) to the same wrk script, GETs with the same headers: the ratio of recorded
views/s to nginx's requests/s is printed with the median (target >= 0.5). A last scenario kills the
server with SIGKILL during load and checks that no acknowledged view is lost. Reports recorded views/s
and p50/p99 latency (median over runs). Only 127.0.0.1 is ever contacted. Needs: wrk and nginx
(Debian), gunicorn, the built sample site.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from servers import free_port, wait_port  # noqa: E402  (bench/ is the script folder)

TARGET_RATE, TARGET_P99_MS, TARGET_RATIO = 3000, 20.0, 0.5
NGINX_CONF = """worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-tmp; proxy_temp_path {work}/nginx-tmp; fastcgi_temp_path {work}/nginx-tmp;
  uwsgi_temp_path {work}/nginx-tmp; scgi_temp_path {work}/nginx-tmp;
  types {{ application/json json; }}
  server {{ listen 127.0.0.1:{port}; root {work}/static; }}
}}
"""


def start_nginx(work: Path, workers: int):
    """nginx serving static/answer.json (the size of a hit's answer) on a free port of 127.0.0.1."""
    port = free_port()
    (work / "static").mkdir(exist_ok=True)
    (work / "nginx-tmp").mkdir(exist_ok=True)
    (work / "static" / "answer.json").write_text(
        '{"path":"/tin-tuc/2026/11/bai-viet/","views":1234,"counted":true,"site":{"online":12,"today":345,'
        '"week":2345,"month":12345,"total":1279920}}')
    work.chmod(0o711)                           # nginx's workers run as another user when started as root
    (work / "static").chmod(0o755)
    (work / "static" / "answer.json").chmod(0o644)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, work=work, port=port))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_port(port, process, "nginx")
    return process, port


def start_counter(work: Path, pages: Path, backend: str, workers: int, redis_url: str, prefix: str):
    port = free_port()
    db = work / f"bench-{port}.sqlite3"
    args = [sys.executable, str(ROOT / "build.py"), "counter", "--site", str(ROOT), "--pages", str(pages),
            "--db", str(db), "--port", str(port), "--server", "gunicorn", "--workers", str(workers),
            "--proxy", "127.0.0.1", "--rate", "0", "--salt-file", str(work / f"day-{port}.key")]
    if backend == "redis":
        args += ["--redis", redis_url]
    env = dict(os.environ, COUNTER_REDIS_PREFIX=prefix)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=(work / f"counter-{port}.log").open("w"),
                               env=env, start_new_session=True)
    wait_port(port, process, "the counter")
    return process, port, db


def stop(process, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def stored_views(backend: str, db: Path, redis_url: str, prefix: str) -> int:
    from site_generator.counter.store import open_store
    store = open_store(db=db, redis_url=redis_url if backend == "redis" else None, prefix=prefix)
    try:
        return store.dump().site_views
    finally:
        store.close()


def wrk(port: int, seconds: float, connections: int, threads: int, paths_file: Path, budget: int = 0,
        static: str | None = None) -> dict:
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", str(ROOT / "bench" / "counter_hits.lua"), f"http://127.0.0.1:{port}/",
                          "--", str(paths_file), str(budget), *([static] if static else [])],
                         capture_output=True, text=True,
                         timeout=seconds + 60)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


def start_redis(work: Path):
    port = free_port()
    process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(work)],
                               stdout=subprocess.DEVNULL, start_new_session=True)
    wait_port(port, process, "the counter")
    return process, f"redis://127.0.0.1:{port}/0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=("sqlite", "redis"), default="sqlite")
    parser.add_argument("--pages", type=Path, help="a built site (default: build the sample portal)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install {tool} (.ci/services.sh)")
    work = Path(tempfile.mkdtemp(prefix="counter-bench-"))
    pages = args.pages
    if pages is None:
        pages = work / "public"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(ROOT), "--output", str(pages),
                        "--now", "2026-11-27 12:00"], check=True, capture_output=True)
    from site_generator.counter.paths import published_paths
    paths_file = work / "paths.txt"
    paths_file.write_text("\n".join(sorted(published_paths(pages))) + "\n")
    redis_process, redis_url = start_redis(work) if args.backend == "redis" else (None, "")
    print(f"# {args.backend}, gunicorn -w {args.workers} (the counter's buffering sync worker), wrk -t{args.threads} -c{args.connections} "
          f"-d{args.seconds:g}s, {os.cpu_count()} CPUs, {len(published_paths(pages))} pages")
    results, ok = [], True
    try:
        for run in range(1, args.runs + 1):
            prefix = f"bench{run}:"
            process, port, db = start_counter(work, pages, args.backend, args.workers, redis_url, prefix)
            try:
                r = wrk(port, args.seconds, args.connections, args.threads, paths_file)
            finally:
                stop(process)
            stored = stored_views(args.backend, db, redis_url, prefix)
            nginx, nginx_port = start_nginx(work, args.workers)
            try:
                n = wrk(nginx_port, args.seconds, args.connections, args.threads, paths_file, static="/answer.json")
            finally:
                stop(nginx, signal.SIGQUIT)
            nginx_rate = n["acked"] / (n["duration_us"] / 1e6)
            rate = r["acked"] / (r["duration_us"] / 1e6)
            exact = stored == r["acked"]
            inflight = stored - r["acked"]
            results.append((rate, r["p50_us"] / 1000, r["p99_us"] / 1000, nginx_rate, rate / nginx_rate))
            print(f"run {run}: nginx {nginx_rate:7.0f} static files/s (p99 {n['p99_us'] / 1000:5.2f} ms), counter "
                  f"{rate:7.0f} recorded views/s = {rate / nginx_rate:.3f} x nginx  p50 {r['p50_us'] / 1000:5.2f} ms  "
                  f"p99 {r['p99_us'] / 1000:5.2f} ms  max {r['max_us'] / 1000:6.1f} ms  acknowledged {r['acked']}  "
                  f"stored {stored}  sent {r['sent']}  non-200 {r['status_errors']}  socket errors "
                  f"{r['socket_errors']}  {'stored == acknowledged' if exact else f'stored, unanswered when wrk stopped: {inflight}'}")
            # wrk stops with at most one request in flight per connection: those may be stored, unanswered
            ok &= r["acked"] <= stored <= min(r["sent"], r["acked"] + args.connections) and r["status_errors"] == 0
            if r["status_errors"]:
                print((work / f"counter-{port}.log").read_text()[-3000:])
        rate, p50, p99, nginx_rate, ratio = (statistics.median(x) for x in zip(*results))
        print(f"median of {len(results)} runs: {rate:.0f} recorded views/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms "
              f"(target >= {TARGET_RATE}/s, p99 < {TARGET_P99_MS:g} ms): "
              f"{'MET' if rate >= TARGET_RATE and p99 < TARGET_P99_MS else 'NOT MET'}")
        print(f"nginx, same client, same runs: {nginx_rate:.0f} static files/s; counter / nginx {ratio:.3f} "
              f"(target >= {TARGET_RATIO:g}): {'MET' if ratio >= TARGET_RATIO else 'NOT MET'}")

        # exactness: a fixed number of views per wrk thread, then only health checks until wrk stops
        budget = 20000
        process, port, db = start_counter(work, pages, args.backend, args.workers, redis_url, "bench-exact:")
        try:
            r = wrk(port, 20, args.connections, args.threads, paths_file, budget)
        finally:
            stop(process)
        stored = stored_views(args.backend, db, redis_url, "bench-exact:")
        # (wrk builds one request per thread at start-up that it never sends: hence "about")
        exact = stored == r["acked"] and r["acked"] >= (budget - 1) * args.threads and r["status_errors"] == 0
        print(f"exactness: about {budget * args.threads} views from wrk, acknowledged {r['acked']}, stored {stored}: "
              f"{'stored == acknowledged' if exact else 'MISMATCH'}")
        ok &= exact

        # kill -9 during load: every acknowledged view must be stored
        prefix = "bench-kill:"
        process, port, db = start_counter(work, pages, args.backend, args.workers, redis_url, prefix)
        load = subprocess.Popen(["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", "6s",
                                 "-s", str(ROOT / "bench" / "counter_hits.lua"), f"http://127.0.0.1:{port}/",
                                 "--", str(paths_file)], stdout=subprocess.PIPE, text=True)
        time.sleep(3)
        stop(process, signal.SIGKILL)
        output = load.communicate(timeout=60)[0]
        line = next(l for l in output.splitlines() if l.startswith("RESULT "))
        r = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
        stored = stored_views(args.backend, db, redis_url, prefix)
        integrity = "ok"
        if args.backend == "sqlite":
            with sqlite3.connect(db) as conn:
                integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        kill_ok = r["acked"] <= stored <= r["sent"] and integrity == "ok"
        print(f"kill -9 after 3 s of load: acknowledged {r['acked']}, stored {stored}, sent {r['sent']}, "
              f"integrity {integrity}: {'no acknowledged view lost' if kill_ok else 'LOST VIEWS'}")
        ok &= kill_ok
    finally:
        if redis_process:
            stop(redis_process)
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
