"""What the counter keeps, and for how long, on real SQLite files and a real Redis; what /api/health says
when the storage is read-only, full or damaged; a clock stepped back. Real servers on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import BUILD, ROOT
from counter_support import built, redis_server  # noqa: F401  (shared fixtures)
from counter_support import (UA, CounterProcess, Redis, ThreadServer, hit, read_only, request, site,
                             unique_ua)
from site_generator.counter import salt as salt_module
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import FixedPages
from site_generator.counter.store import open_store
from site_generator.counter.visitor import parse_ip, visitor_key

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PAGES = ["/", "/tin-tuc/a/", "/tin-tuc/b/"]


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


def files_bytes(db: Path) -> bytes:
    """The database as it is on disk: the file, its WAL and its shared-memory index."""
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
                    if p.exists())


def health(port: int):
    return request(port, "GET", "/api/health")


def wait_for(condition, seconds: float = 20.0, what: str = ""):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        time.sleep(0.1)


# ------------------------------------------------------------------ the day's key
def test_the_days_key_is_kept_apart_from_the_visitor_keys(built, tmp_path):
    """gunicorn, 2 workers, default settings: the key is in a 0600 file in memory (tmpfs), the same for
    both workers, never in the database; the database alone holds only hashes that need it."""
    server = CounterProcess(tmp_path, built, "sqlite", None, "--proxy", "127.0.0.1", salt_file=None)
    key_file = salt_module.default_path(str(server.db.resolve()))
    try:
        ip, ua = "198.51.100.77", unique_ua("privacy")
        pages = sorted(p for p in (built / "tin-tuc").iterdir() if (p / "index.html").is_file())[:6]
        answers = [hit(server.port, f"/tin-tuc/{p.name}/", ua, xff=ip) for p in pages]       # both workers
        assert all(status == 200 and body["counted"] for status, _, body in answers)
        assert all(not hit(server.port, f"/tin-tuc/{p.name}/", ua, xff=ip)[2]["counted"] for p in pages)
        info = key_file.stat()
        assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_uid == os.geteuid()
        mounts = {line.split()[1]: line.split()[2] for line in Path("/proc/mounts").read_text().splitlines()}
        folder = str(key_file.parent)
        assert mounts.get(folder) == "tmpfs" or mounts.get(folder.rsplit("/", 1)[0]) == "tmpfs", (folder, mounts)
        day, key_hex = key_file.read_text().split()
        key = bytes.fromhex(key_hex)
        on_disk = files_bytes(server.db)
        assert key not in on_disk and key_hex.encode() not in on_disk
        with sqlite3.connect(server.db) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            rows = [r[0] for r in db.execute("SELECT vids FROM seen")]             # one row per page here
            stored = [bytes.fromhex(row[n:n + 32]) for row in rows for n in range(0, len(row), 32)]
        assert "salt" not in tables
        assert visitor_key(key, parse_ip(ip), ua) in stored            # only with the file can a key be tested
        assert len(stored) == len(pages) == 6 and len(set(stored)) == 1          # one reader, six pages
        assert ip.encode() not in on_disk and ua.encode() not in on_disk
    finally:
        server.stop()
        key_file.unlink(missing_ok=True)


@pytest.mark.parametrize("backend", ("sqlite", "redis"))
def test_keys_rotate_and_expire_on_time_without_traffic(backend, tmp_path, redis_server):
    """No request after midnight: within a few cleanup periods the key file holds the new day's key
    (the old one cannot be computed back from it), and the old day's visitor keys, presence and
    buckets are deleted, from the database file and its WAL too."""
    now = [at("2026-11-27 23:58")]
    key_file = tmp_path / "day.key"
    prefix = f"p{uuid.uuid4().hex[:8]}:"
    db = tmp_path / "c.sqlite3"

    def opened():
        store = open_store(db=db, redis_url=redis_server.url if backend == "redis" else None, prefix=prefix)
        if hasattr(store, "online_cache"):
            store.online_cache = 0
        return store

    app = make_app(Settings(pages=FixedPages(PAGES), open_store=opened, salt_file=key_file, clock=lambda: now[0],
                            cleanup_every=0.2, rate=2, burst=30))
    server = ThreadServer(app)
    try:
        for n in range(5):                                  # five readers (127.0.0.1: no proxy here)
            assert hit(server.port, PAGES[n % 3], f"{UA} k/{n}")[2]["counted"] is True
        day1, key1_hex = key_file.read_text().split()
        key1 = bytes.fromhex(key1_hex)
        assert day1 == "2026-11-27" and stat.S_IMODE(key_file.stat().st_mode) == 0o600
        old_vid = visitor_key(key1, parse_ip("127.0.0.1"), f"{UA} k/0")
        store = opened()
        if backend == "sqlite":
            assert any(old_vid.hex() in r[0] for r in store.db.execute("SELECT vids FROM seen"))
        else:
            assert store.r.sismember(store.key("seen:2026-11-27"), old_vid.hex() + "|/")
        now[0] = at("2026-11-28 00:10")                  # 12 minutes later, a new day, and not one request

        def rotated():
            return key_file.read_text().split()[0] == "2026-11-28"
        wait_for(rotated, what="the key file rotated")
        key2 = bytes.fromhex(key_file.read_text().split()[1])
        assert key2 == salt_module.next_key(key1) != key1

        if backend == "sqlite":
            def purged():
                counts = [store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("seen", "presence",
                                                                                                "bucket")]
                wal = db.with_name(db.name + "-wal")
                return counts == [0, 0, 0] and (not wal.exists() or wal.stat().st_size == 0)
            wait_for(purged, what="old keys, presence and buckets deleted, the WAL truncated")
            store.close()
            assert old_vid not in files_bytes(db) and key1 not in files_bytes(db)
        else:
            wait_for(lambda: not store.r.exists(store.key("seen:2026-11-27"), store.key("address:2026-11-27"))
                     and store.r.zcard(store.key("online")) == 0, what="old keys and presence deleted")
            store.close()
        answer = hit(server.port, PAGES[0], f"{UA} k/0")[2]        # the same reader, a new day: counted again
        assert answer["counted"] is True and answer["site"]["today"] == 1 and answer["site"]["online"] == 1
    finally:
        server.stop()


def test_every_gunicorn_worker_cleans_up_by_time(built, tmp_path):
    """Leftovers of a stopped server (an old day's visitor keys, presence of an hour ago, full buckets):
    gone a few seconds after the next start, before and without any request."""
    db = tmp_path / "c.sqlite3"
    open_store(db=db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO page (path) VALUES ('/')")
        conn.executemany("INSERT INTO seen VALUES (?, ?, 1, ?)",
                         [((dt.date.today() - dt.timedelta(days=2)).isoformat(), os.urandom(12), os.urandom(16).hex())
                          for _ in range(50)])
        conn.executemany("INSERT INTO presence VALUES (?, ?, ?)",
                         [(int(time.time() - 3600) // 60, os.urandom(16), int(time.time() - 3600)) for _ in range(50)])
        conn.executemany("INSERT INTO bucket VALUES (?, 3, ?)", [(os.urandom(12), time.time() - 600) for _ in range(50)])
    server = CounterProcess(tmp_path, built, "sqlite", None, "--cleanup", "0.5", db=db)

    def leftovers():
        with sqlite3.connect(db) as conn:
            return [conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("seen", "presence",
                                                                                            "bucket")]
    try:
        wait_for(lambda: leftovers() == [0, 0, 0], what="the workers' cleanup")
    finally:
        server.stop()


# ------------------------------------------------------------------ health: the real state, in JSON
@pytest.fixture
def sqlite_counter(built, tmp_path):
    server = CounterProcess(tmp_path, built, "sqlite", None, "--proxy", "127.0.0.1", "--rate", "0")
    yield server
    server.stop()


def some_hits(server, n=20):
    return [hit(server.port, page, unique_ua(), xff=f"10.9.{random.randrange(256)}.{random.randrange(1, 255)}")
            for page in ["/", "/ket-qua/", "/tin-tuc/", "/trang/"] * (n // 4)]


def assert_json_503(answer, words=""):
    status, headers, body = answer
    assert status == 503 and headers["Content-Type"].startswith("application/json"), answer
    assert body["error"] == "unavailable" and words in body["message"], body


def test_health_says_when_the_database_is_read_only(sqlite_counter):
    assert health(sqlite_counter.port)[:3:2] == (200, {"ok": True})
    some_hits(sqlite_counter)
    undo = read_only(sqlite_counter.db)
    try:
        assert_json_503(health(sqlite_counter.port), "read-only")
        for status, headers, body in some_hits(sqlite_counter, 8):      # answered, in JSON, whatever they get
            assert status in (200, 503) and headers["Content-Type"].startswith("application/json")
    finally:
        undo()
    assert health(sqlite_counter.port)[:3:2] == (200, {"ok": True})
    with sqlite3.connect(sqlite_counter.db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_health_says_when_the_disk_is_full(built, tmp_path):
    """The database on a 4 MB tmpfs of its own (a mount namespace: `unshare`), filled up while it runs."""
    if not shutil.which("unshare"):
        pytest.fail("unshare (util-linux) is missing")
    disk = tmp_path / "disk"
    disk.mkdir()
    wrap = ("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
            'mount -t tmpfs -o size=4m tmpfs "$0" && exec "$@"', str(disk))
    probe = subprocess.run([*wrap, "true"], capture_output=True, text=True)
    if probe.returncode:
        pytest.fail(f"cannot mount a small tmpfs in a user namespace here ({probe.stderr.strip()}); "
                    f"this test needs unprivileged user namespaces or root")
    server = CounterProcess(tmp_path, built, "sqlite", None, "--proxy", "127.0.0.1", "--rate", "0",
                            db=disk / "c.sqlite3", wrap=wrap)
    inside = Path(f"/proc/{server.process.pid}/root") / str(disk).lstrip("/")
    try:
        acknowledged = sum(body["counted"] for _, _, body in some_hits(server, 40))
        assert health(server.port)[0] == 200
        filler = inside / "filler"
        with filler.open("wb") as out:                              # fill the disk to the last byte
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        assert_json_503(health(server.port), "full")
        for status, headers, body in some_hits(server, 40):
            assert status in (200, 503) and headers["Content-Type"].startswith("application/json")
            acknowledged += status == 200 and body["counted"]
        filler.unlink()
        assert health(server.port)[:3:2] == (200, {"ok": True})
        acknowledged += sum(body["counted"] for _, _, body in some_hits(server, 8))
        assert site(server.port)["total"] == acknowledged
        copy = tmp_path / "copy"                   # (SQLite would resolve /proc/PID/root to our own "/")
        copy.mkdir()
        for name in ("c.sqlite3", "c.sqlite3-wal"):
            if (inside / name).exists():
                shutil.copyfile(inside / name, copy / name)
        with sqlite3.connect(copy / "c.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("SELECT views FROM site_day WHERE day = 'total'").fetchone()[0] == acknowledged
    finally:
        server.stop()


def test_a_database_damaged_while_running_is_503_json(sqlite_counter):
    some_hits(sqlite_counter)
    assert health(sqlite_counter.port)[0] == 200
    with sqlite3.connect(sqlite_counter.db) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sqlite_counter.db.stat().st_size
    with sqlite_counter.db.open("r+b") as f:                       # every page after the header page: garbage
        f.seek(4096)
        f.write(random.Random(5).randbytes(size - 4096))
    assert_json_503(health(sqlite_counter.port), "damaged")
    answers = some_hits(sqlite_counter, 8) + [request(sqlite_counter.port, "GET", f"/api/{what}",
                                                      headers={"User-Agent": unique_ua()})
                                              for what in ("site", "views?path=/")]
    for answer in answers:
        assert_json_503(answer)


def test_redis_refusing_writes_is_unhealthy(built, tmp_path):
    redis = Redis(tmp_path)                                         # its own: its settings are changed here
    server = CounterProcess(tmp_path, built, "redis", redis, "--proxy", "127.0.0.1")
    import redis as redis_py
    client = redis_py.Redis.from_url(redis.url)
    try:
        assert health(server.port)[:3:2] == (200, {"ok": True})
        client.config_set("min-replicas-to-write", 1)               # no replica: every write is refused
        assert_json_503(health(server.port), "Redis")
        for answer in some_hits(server, 4):
            assert_json_503(answer)
        start = subprocess.run([sys.executable, str(BUILD), "counter", "--site", str(ROOT), "--pages", str(built),
                                "--redis", redis.url, "--port", "1", "--salt-file", str(tmp_path / "k.key")],
                               capture_output=True, text=True, encoding="utf-8", timeout=60)
        assert start.returncode == 2 and len(start.stderr.strip().splitlines()) == 1, start.stderr
        assert "không dùng được Redis" in start.stderr                # and nothing served (port 1 untouched)
        client.config_set("min-replicas-to-write", 0)
        assert health(server.port)[:3:2] == (200, {"ok": True})
        assert all(status == 200 for status, _, _ in some_hits(server, 4))
    finally:
        client.close()
        server.stop()
        redis.stop()


# ------------------------------------------------------------------ a clock stepped back
@pytest.mark.parametrize("backend", ("sqlite", "redis"))
def test_a_clock_stepped_back_locks_nobody_out(backend, tmp_path, redis_server):
    now = [at("2026-11-27 15:00")]
    prefix = f"c{uuid.uuid4().hex[:8]}:"

    def opened():
        store = open_store(db=tmp_path / "c.db", redis_url=redis_server.url if backend == "redis" else None,
                           prefix=prefix)
        if hasattr(store, "online_cache"):
            store.online_cache = 0
        return store

    app = make_app(Settings(pages=FixedPages(PAGES), open_store=opened, clock=lambda: now[0], rate=2, burst=5))
    server = ThreadServer(app)
    try:
        answers = [hit(server.port, PAGES[n % 3], UA) for n in range(6)]
        assert [status for status, _, _ in answers] == [200] * 5 + [429]
        assert [body["counted"] for _, _, body in answers[:5]] == [True, True, True, False, False]
        now[0] -= 3600                                              # NTP steps the clock back an hour
        assert hit(server.port, PAGES[0], UA)[0] == 429             # no refill for time that went backwards...
        now[0] += 1.0
        status, _, body = hit(server.port, PAGES[0], UA)            # ...but one second later, a token again
        assert status == 200 and body["counted"] is False           # and still the same day's duplicate
        assert body["site"]["online"] == 1 and body["site"]["today"] == 3
        now[0] += 3
        assert all(hit(server.port, PAGES[1], UA)[0] == 200 for _ in range(5))
    finally:
        server.stop()
