"""How close any Python endpoint can come to nginx: the ceiling behind counter_load.py's "x nginx" ratio.

    python bench/counter_ceiling.py [--runs 3] [--seconds 5] [--connections 16] [--workers 2]

Under the same wrk script as counter_load.py (bench/counter_hits.lua: every request a new visitor), each
run measures, one after the other on this machine:

- nginx serving the small static file counter_load.py compares with (``--workers`` workers);
- ``noop``: a Python asyncio server (``--workers`` processes on one port) that parses each request and
  answers a fixed JSON, recording nothing: what Python's HTTP handling alone costs;
- ``lean``: an idealised Python counter, one asyncio process (one writer: SQLite's best case), that does
  only the work a recorded view needs and none of the checks: the visitor's and the address's keys
  (HMAC-SHA256), the same ``seen`` and ``presence`` upserts as the counter, page and site counts added
  up per batch, and one transaction per turn of the event loop (group commit) before any answer of the
  turn is sent. No origin, size, path or rate checks, no maintenance, no ratings: a bound from above
  for the real counter, not a server to deploy.

Prints each one's requests/s and its ratio to nginx, and the medians. Only 127.0.0.1 is contacted.
Needs wrk and nginx (Debian).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from counter_load import start_nginx, stop, wrk  # noqa: E402  (bench/ is the script folder)
from servers import free_port, wait_port  # noqa: E402

ANSWER = (b'{"path":"/tin-tuc/2026/11/bai-viet/","views":1234,"counted":true,"site":{"online":12,"today":345,'
          b'"week":2345,"month":12345,"total":1279920}}')
SCHEMA = """
CREATE TABLE IF NOT EXISTS page (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS seen (day TEXT, address BLOB, page_id INTEGER, vids TEXT,
                                 PRIMARY KEY (day, address, page_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_day (page_id INTEGER, day TEXT, views INTEGER, PRIMARY KEY (page_id, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS site_day (day TEXT PRIMARY KEY, views INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS presence (minute INTEGER, vid BLOB, last_seen INTEGER, PRIMARY KEY (minute, vid)) WITHOUT ROWID;
"""


class Requests(asyncio.Protocol):
    """Whole requests out of a keep-alive connection: ``handle(transport, head lines, body)`` for each."""

    def __init__(self, handle):
        self.handle, self.data = handle, b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.data += data
        while True:
            end = self.data.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.data[:end].split(b"\r\n")
            fields = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                fields[name.strip().lower()] = value.strip()
            length = int(fields.get(b"content-length", b"0"))
            if len(self.data) < end + 4 + length:
                return
            body, self.data = self.data[end + 4:end + 4 + length], self.data[end + 4 + length:]
            self.handle(self.transport, fields, body)


def answer(body: bytes) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body


class Lean:
    """The idealised counter (see the module docstring)."""

    def __init__(self, db: str):
        self.db = sqlite3.connect(db, isolation_level=None, timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.key, self.pages, self.pending, self.loop = os.urandom(32), {}, [], None

    def handle(self, transport, fields, body):
        visitor = fields.get(b"x-forwarded-for", b"") + b"\0" + fields.get(b"user-agent", b"")
        self.pending.append((transport, json.loads(body)["path"],
                             hmac.digest(self.key, visitor, "sha256")[:16],
                             hmac.digest(self.key, fields.get(b"x-forwarded-for", b""), "sha256")[:16]))
        if len(self.pending) == 1:
            self.loop.call_soon(self.commit)

    def commit(self):
        batch, self.pending = self.pending, []
        day, now = time.strftime("%Y-%m-%d"), int(time.time())
        execute, counted, added = self.db.execute, [], {}
        execute("BEGIN IMMEDIATE")
        for _, path, vid, address in batch:
            page = self.pages.get(path)
            if page is None:
                execute("INSERT OR IGNORE INTO page (path) VALUES (?)", (path,))
                page = self.pages[path] = execute("SELECT id FROM page WHERE path = ?", (path,)).fetchone()[0]
            new = execute("INSERT INTO seen VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET vids = vids || "
                          "excluded.vids WHERE instr(vids, excluded.vids) = 0",
                          (day, address, page, vid.hex())).rowcount == 1
            execute("INSERT INTO presence VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen",
                    (now // 60, vid, now))
            counted.append((page, new))
            if new:
                added[page] = added.get(page, 0) + 1
        execute("INSERT INTO site_day VALUES (?1, ?2), ('total', ?2) ON CONFLICT DO UPDATE SET views = views + ?2",
                (day, sum(added.values())))
        views = {}
        for page, n in added.items():
            views[page] = execute("INSERT INTO page_day VALUES (?1, 'total', ?2) ON CONFLICT DO UPDATE SET "
                                  "views = views + ?2 RETURNING views", (page, n)).fetchone()[0]
        today, total = (row[0] for row in execute("SELECT views FROM site_day WHERE day IN (?, 'total') ORDER BY day",
                                                  (day,)).fetchall())
        execute("COMMIT")
        for (transport, path, _, _), (page, new) in zip(batch, counted):
            if page not in views:
                views[page] = execute("SELECT COALESCE((SELECT views FROM page_day WHERE page_id = ? AND "
                                      "day = 'total'), 0)", (page,)).fetchone()[0]
            transport.write(answer(json.dumps({"path": path, "views": views[page], "counted": new, "site": {
                "today": today, "total": total}}, separators=(",", ":")).encode()))


def serve(kind: str, port: int, workers: int, db: str) -> None:
    """Run ``noop`` or ``lean`` on 127.0.0.1:``port`` until killed."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(2048)
    listener.setblocking(False)
    for _ in range(workers - 1):
        if os.fork() == 0:
            break
    fixed = answer(ANSWER)
    lean = Lean(db) if kind == "lean" else None

    async def main():
        loop = asyncio.get_running_loop()
        if lean is not None:
            lean.loop = loop
        handle = lean.handle if lean is not None else (lambda transport, fields, body: transport.write(fixed))
        server = await loop.create_server(lambda: Requests(handle), sock=listener)
        await server.serve_forever()

    asyncio.run(main())


def start(kind: str, work: Path, workers: int):
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", kind, str(port), str(workers),
                                str(work / f"{kind}-{port}.sqlite3")], start_new_session=True)
    wait_port(port, process, kind)
    return process, port, work / f"{kind}-{port}.sqlite3"


def rate(result: dict) -> float:
    return result["acked"] / (result["duration_us"] / 1e6)


def main() -> int:
    if len(sys.argv) == 6 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install {tool} (.ci/services.sh)")
    work = Path(tempfile.mkdtemp(prefix="counter-ceiling-"))
    paths_file = work / "paths.txt"
    paths_file.write_text("".join(f"/tin-tuc/2026/11/bai-viet-{n}/\n" for n in range(200)))
    print(f"# wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, {os.cpu_count()} CPUs; nginx and noop "
          f"{args.workers} workers, lean 1 (one SQLite writer)")
    rows = []
    try:
        for run in range(1, args.runs + 1):
            nginx, port = start_nginx(work, args.workers)
            try:
                base = rate(wrk(port, args.seconds, args.connections, args.threads, paths_file, static="/answer.json"))
            finally:
                stop(nginx, signal.SIGQUIT)
            found = [base]
            for kind, workers in (("noop", args.workers), ("lean", 1)):
                process, port, db = start(kind, work, workers)
                try:
                    result = wrk(port, args.seconds, args.connections, args.threads, paths_file)
                finally:
                    stop(process)
                if result["status_errors"] or result["socket_errors"]:
                    raise SystemExit(f"{kind}: {result}")
                found.append(rate(result))
            with sqlite3.connect(db) as conn:           # the lean counter's: it records what it acknowledges
                stored = conn.execute("SELECT views FROM site_day WHERE day = 'total'").fetchone()[0]
            rows.append(found)
            print(f"run {run}: nginx {base:7.0f}/s  noop {found[1]:7.0f}/s = {found[1] / base:.3f} x nginx  "
                  f"lean counter {found[2]:7.0f} recorded views/s = {found[2] / base:.3f} x nginx "
                  f"(acknowledged {result['acked']}, stored {stored})")
        base, noop, lean = (statistics.median(x) for x in zip(*rows))
        ratios = [row[2] / row[0] for row in rows]
        print(f"median of {len(rows)} runs: nginx {base:.0f}/s, noop {noop:.0f}/s, lean counter {lean:.0f} recorded "
              f"views/s; lean / nginx {statistics.median(ratios):.3f} (counter_load.py's target: >= 0.5)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
