"""Storage rules on real SQLite files and a real Redis server: days, weeks, months, the day's key,
migrations, baseline import and export (through the real `python build.py counter` command)."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest

from conftest import BUILD, ROOT
from counter_support import built, redis_server  # noqa: F401  (shared fixtures)
from counter_support import UA, hit, page_paths
from site_generator.counter import store_sqlite
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import FixedPages
from site_generator.counter.periods import periods
from site_generator.counter.ratelimit import Limits
from site_generator.counter.salt import DailySalt
from site_generator.counter.server import dev_server
from site_generator.counter.store import StoreError, open_store
from site_generator.counter.visitor import address_key, parse_ip, visitor_key

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> float:
    """Local time in Asia/Ho_Chi_Minh -> Unix time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


@pytest.fixture(params=("sqlite", "redis"))
def store(request, tmp_path, redis_server):
    if request.param == "redis":
        s = open_store(redis_url=redis_server.url, prefix=f"s{uuid.uuid4().hex[:8]}:")
    else:
        s = open_store(db=tmp_path / "c.sqlite3")
    yield s
    s.close()


SALTS = DailySalt()                 # this process's keys of the day (the endpoint shares them through a file)
NO_LIMITS = Limits(rate=0, per_address=0)


def vid(p, ip="203.0.113.7", ua=UA):
    return visitor_key(SALTS.for_day(p.today), parse_ip(ip), ua)


def record(store, p, path="/a/", ip="203.0.113.7", ua=UA, limits=NO_LIMITS):
    """One view, keyed as the app keys it."""
    salt = SALTS.for_day(p.today)
    return store.record(visitor_key(salt, parse_ip(ip), ua), address_key(salt, parse_ip(ip)), path, p, limits)


def test_periods_are_calendar_periods_in_ho_chi_minh():
    p = periods(at("2026-11-30 00:30"), ZONE)                  # Monday 00:30 local = Sunday 17:30 UTC
    assert (p.today, p.week_start, p.month_start) == ("2026-11-30", "2026-11-30", "2026-11-01")
    p = periods(at("2026-12-06 23:59"), ZONE)                  # Sunday
    assert (p.today, p.week_start, p.month_start) == ("2026-12-06", "2026-11-30", "2026-12-01")


def test_today_week_month_total(store):
    days = ["2026-11-28 10:00", "2026-11-29 10:00", "2026-11-30 10:00", "2026-12-01 10:00", "2026-12-02 10:00"]
    for n, day in enumerate(days):
        p = periods(at(day), ZONE)
        for visitor in range(n + 1):                            # 1, 2, 3, 4, 5 views on those days
            assert record(store, p, ip=f"10.0.0.{visitor}").counted
    s = store.site(periods(at("2026-12-02 23:00"), ZONE))
    # week from Monday 30/11: 3 + 4 + 5; month from 01/12: 4 + 5; total 15
    assert (s.today, s.week, s.month, s.total) == (5, 12, 9, 15)
    assert store.views(["/a/", "/b/"]) == {"/a/": 15, "/b/": 0}


def test_a_new_day_counts_again_and_the_cleanup_deletes_the_old_keys(store):
    day1, day2 = periods(at("2026-11-27 23:59"), ZONE), periods(at("2026-11-28 00:01"), ZONE)
    assert record(store, day1).counted
    assert not record(store, day1).counted
    assert vid(day2) != vid(day1)
    assert record(store, day2).counted
    assert store.views(["/a/"]) == {"/a/": 2}
    store.cleanup(day2)
    if isinstance(store, store_sqlite.SQLiteStore):
        assert store.db.execute("SELECT DISTINCT day FROM seen").fetchall() == [("2026-11-28",)]
        assert [r[0] for r in store.db.execute("SELECT name FROM sqlite_master")].count("salt") == 0
    else:
        assert not store.r.exists(store.key("seen:2026-11-27"), store.key("address:2026-11-27"))
        assert not list(store.r.scan_iter(match=store.key("salt:*")))
        ttl = store.r.ttl(store.key("seen:2026-11-28"))
        assert 0 < ttl <= 24 * 3600 + 3600 + 120                 # gone shortly after the day ends


def test_online_means_distinct_visitors_in_the_last_5_minutes(store):
    if hasattr(store, "online_cache"):
        store.online_cache = 0
    t = at("2026-11-27 10:00")
    p = periods(t, ZONE)
    record(store, p, "/a/", "10.0.0.1")
    record(store, p, "/b/", "10.0.0.1")
    record(store, p, "/a/", "10.0.0.2")
    assert store.site(p).online == 2
    later = periods(t + 240, ZONE)
    record(store, later, "/a/", "10.0.0.3")
    assert store.site(later).online == 3
    assert store.site(periods(t + 301, ZONE)).online == 1


def test_views_per_address_are_capped_and_readers_counted_once(store):
    p = periods(at("2026-11-27 10:00"), ZONE)
    capped = Limits(rate=0, per_address=3)
    readers = [os.urandom(16) for _ in range(6)]
    assert [store.record(v, b"a" * 12, "/a/", p, capped).counted for v in readers] == [True] * 3 + [False] * 3
    assert not any(store.record(v, b"a" * 12, "/a/", p, capped).counted for v in readers)
    assert store.record(readers[5], b"b" * 12, "/a/", p, capped).counted            # another address
    assert store.record(readers[5], b"a" * 12, "/b/", p, capped).counted            # another page
    assert all(store.record(os.urandom(16), b"c" * 12, "/a/", p, NO_LIMITS).counted for _ in range(30))
    assert store.views(["/a/", "/b/"]) == {"/a/": 34, "/b/": 1}


def test_buckets_are_shared_and_survive_a_clock_going_back(store, tmp_path, redis_server):
    limits = Limits(rate=1, burst=3, per_address=0)
    t = at("2026-11-27 10:00")
    assert [store.allow(b"a" * 12, periods(t, ZONE), limits) for _ in range(4)][:3] == [0, 0, 0]
    # another process's connection sees the same bucket, empty
    other = open_store(redis_url=redis_server.url, prefix=store.prefix) if hasattr(store, "prefix") \
        else open_store(db=store.path)
    try:
        assert other.allow(b"a" * 12, periods(t, ZONE), limits) > 0
        assert other.allow(b"b" * 12, periods(t, ZONE), limits) == 0              # another address: full
    finally:
        other.close()
    assert store.allow(b"a" * 12, periods(t - 3600, ZONE), limits) > 0        # an hour back: no refill...
    assert store.allow(b"a" * 12, periods(t - 3600 + 1.01, ZONE), limits) == 0  # ...a second later: a token
    hit = store.record(os.urandom(16), b"a" * 12, "/a/", periods(t - 3600 + 1.02, ZONE), limits)
    assert hit.wait > 0 and not hit.counted and store.views(["/a/"]) == {"/a/": 0}


def test_baseline_adds_to_totals_and_is_idempotent(store):
    p = periods(at("2026-11-27 10:00"), ZONE)
    record(store, p)
    store.set_baseline({"/a/": 392, "/b/": 10}, 1279920)
    store.set_baseline({"/a/": 392, "/b/": 10}, 1279920)
    assert store.views(["/a/", "/b/"]) == {"/a/": 393, "/b/": 10}
    s = store.site(p)
    assert (s.today, s.total) == (1, 1279921)


def test_day_rollover_through_the_http_api(tmp_path):
    """The real WSGI app on a real local server; only the clock is the test's."""
    now = [at("2026-11-27 23:58")]
    settings = Settings(pages=FixedPages(["/", "/tin-tuc/a/"]), open_store=lambda: open_store(db=tmp_path / "c.db"),
                        clock=lambda: now[0])
    server = dev_server(make_app(settings), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        assert hit(port, "/tin-tuc/a/")[2]["counted"] is True
        assert hit(port, "/tin-tuc/a/")[2]["counted"] is False
        now[0] = at("2026-11-28 00:01")
        answer = hit(port, "/tin-tuc/a/")[2]
        assert answer["counted"] is True and answer["views"] == 2
        assert (answer["site"]["today"], answer["site"]["week"], answer["site"]["total"]) == (1, 2, 2)
    finally:
        server.shutdown()
        server.server_close()


def test_sqlite_migrates_from_schema_1(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:                          # a database written by the first release
        db.executescript(store_sqlite.SCHEMA_V1)
        db.executemany("INSERT INTO page_day VALUES (?, ?, ?)",
                       [("/a/", "2026-11-26", 4), ("/a/", "2026-11-27", 2), ("/b/", "2026-11-27", 1)])
        db.executemany("INSERT INTO site_day VALUES (?, ?)", [("2026-11-26", 4), ("2026-11-27", 3)])
        db.execute("INSERT INTO salt VALUES ('2026-11-27', ?)", (b"s" * 32,))
        db.execute("INSERT INTO seen VALUES ('2026-11-27', ?, '/a/')", (b"v" * 16,))
        db.execute("PRAGMA user_version = 1")
    store = open_store(db=path)
    try:
        assert store.schema_version() == store_sqlite.SCHEMA_VERSION == 4
        assert store.views(["/a/", "/b/"]) == {"/a/": 6, "/b/": 1}
        p = periods(at("2026-11-27 12:00"), ZONE)
        s = store.site(p)
        assert (s.today, s.month, s.total) == (3, 7, 7)
        # The stored salt is gone, and with it the visitor keys made with it (a copy of the old file
        # would otherwise still link them): the WAL is truncated and the file holds neither.
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "salt" not in tables and store.db.execute("SELECT COUNT(*) FROM seen").fetchone()[0] == 0
        assert b"s" * 32 not in path.read_bytes() and b"v" * 16 not in path.read_bytes()
        assert not path.with_name(path.name + "-wal").exists() or path.with_name(path.name + "-wal").stat().st_size == 0
        assert store.record(b"w" * 16, b"a" * 12, "/a/", p).counted
        assert not store.record(b"w" * 16, b"a" * 12, "/a/", p).counted
        assert store.views(["/a/"]) == {"/a/": 7}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()


def test_sqlite_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        open_store(db=path)


# ------------------------------------------------------------------ the command: import-baseline and export
def counter_cmd(*args, env=None):
    import os
    return subprocess.run([sys.executable, str(BUILD), "counter", "--site", str(ROOT), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env=dict(os.environ, **(env or {})))


def test_baseline_import_and_export_round_trip_sqlite_to_redis(built, tmp_path, redis_server):
    paths = page_paths(built)
    csv_file = tmp_path / "old-portal.csv"
    csv_file.write_text(f"path,views\n*,1.279.920\n{paths[1]},392\n{paths[2]},\"1,234\"\n", encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    result = counter_cmd("import-baseline", str(csv_file), "--db", str(db), "--pages", str(built))
    assert result.returncode == 0, result.stderr
    result = counter_cmd("import-baseline", str(csv_file), "--db", str(db), "--pages", str(built))   # again: same
    assert result.returncode == 0, result.stderr
    store = open_store(db=db)
    p = periods(at("2026-11-27 10:00"), ZONE)
    store.record(b"x" * 16, b"a" * 12, paths[1], p)
    store.close()

    exported = counter_cmd("export", "--db", str(db)).stdout
    lines = exported.splitlines()
    assert lines[0] == "kind,day,path,views,baseline,value,comment"          # (value, comment: of ratings)
    assert "site,,,1,1279920,," in lines
    assert f"page,,{paths[1]},1,392,," in lines and f"page,,{paths[2]},0,1234,," in lines
    assert f"site_day,2026-11-27,,1,,," in lines and f"page_day,2026-11-27,{paths[1]},1,,," in lines

    export_file = tmp_path / "export.csv"
    export_file.write_text(exported, encoding="utf-8")
    prefix = f"r{uuid.uuid4().hex[:8]}:"
    env = {"COUNTER_REDIS_PREFIX": prefix}
    result = counter_cmd("import-baseline", str(export_file), "--redis", redis_server.url, env=env)
    assert result.returncode == 0, result.stderr
    again = counter_cmd("export", "--redis", redis_server.url, env=env)
    assert again.returncode == 0 and again.stdout == exported
    refused = counter_cmd("import-baseline", str(export_file), "--redis", redis_server.url, env=env)
    assert refused.returncode != 0 and "not empty" in refused.stderr      # a restore never adds twice


def test_bad_baseline_is_reported_by_line_and_changes_nothing(built, tmp_path):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("path,views\n/khong-co/,5\ntin-tuc,3\n/,many\n", encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    result = counter_cmd("import-baseline", str(csv_file), "--db", str(db), "--pages", str(built))
    assert result.returncode == 1
    problems = result.stderr.splitlines()
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in problems] == ["2", "3", "4"]
    assert "site,,,0,0,," in counter_cmd("export", "--db", str(db)).stdout.splitlines()


def test_the_days_key_file_is_shared_ratcheted_and_never_rewritten_backwards(tmp_path):
    """Two processes' views of one key file (real file, 0600): the same key; the next day's key is a
    one-way hash of today's; a clock set back derives a key and writes nothing."""
    from site_generator.counter.salt import next_key
    path = tmp_path / "day.key"
    first, second = DailySalt(path), DailySalt(path)
    today = first.for_day("2026-11-27")
    assert second.for_day("2026-11-27") == today and oct(path.stat().st_mode & 0o777) == "0o600"
    assert first.for_day("2026-11-29") == next_key(next_key(today))          # two days later
    assert path.read_text().split() == ["2026-11-29", next_key(next_key(today)).hex()]
    assert today.hex() not in path.read_text()
    written = path.read_bytes()
    earlier = DailySalt(path).for_day("2026-11-28")                          # the clock went back
    assert earlier not in (today, next_key(today), next_key(next_key(today))) and path.read_bytes() == written
    assert DailySalt(path).for_day("2026-11-28") == earlier                 # but every process agrees
