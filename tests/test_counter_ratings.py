"""Ratings ("Thông tin này có hữu ích không?") through the counter's HTTP API: real gunicorn processes and
real local servers on 127.0.0.1, real SQLite files and a real Redis; what is stored is read back from
the store itself (a dump before and after), and the office's CSV through the real command."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sqlite3
import subprocess
import sys
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from conftest import BUILD, ROOT
from counter_support import built, redis_server  # noqa: F401  (shared fixtures)
from counter_support import UA, CounterProcess, ThreadServer, page_paths, request, unique_ua
from site_generator.counter import ratings as ratings_module
from site_generator.counter import store_sqlite
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import FixedPages
from site_generator.counter.periods import periods
from site_generator.counter.store import open_store
from site_generator.counter.visitor import keys, parse_ip

BACKENDS = ("sqlite", "redis")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


def fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"203.{n % 200 + 1}.{n // 256 % 256}.{n // 65536 % 254 + 1}"


def rate(port, path, value, comment=None, ua=None, xff=None, body=None, headers=None):
    data = {"path": path, "value": value}
    if comment is not None:
        data["comment"] = comment
    h = {"Content-Type": "text/plain;charset=UTF-8", "User-Agent": ua or unique_ua("r")}
    if xff:
        h["X-Forwarded-For"] = xff
    h.update(headers or {})
    return request(port, "POST", "/api/rating", json.dumps(data, ensure_ascii=False) if body is None else body, h)


def counts_of(port, path, xff=None):
    status, _, body = request(port, "GET", "/api/ratings?path=" + quote(path, safe="/"),
                              headers={"User-Agent": unique_ua("g"), "X-Forwarded-For": xff or fresh_ip()})
    assert status == 200, body
    return body


@pytest.fixture(scope="module", params=BACKENDS)
def counter(request, built, redis_server, tmp_path_factory):
    server = CounterProcess(tmp_path_factory.mktemp(f"ratings-{request.param}"), built, request.param, redis_server,
                            "--proxy", "127.0.0.1", "--rate", "5", "--burst", "40")
    server.paths = [p for p in page_paths(built) if p.startswith("/tin-tuc/")]
    yield server
    server.stop()


def dumped(counter):
    store = counter.store()
    try:
        return store.dump()
    finally:
        store.close()


# ------------------------------------------------------------------ the happy path, and once a day
def test_a_rating_is_recorded_with_its_comment_and_read_back(counter):
    page = counter.paths[1]
    before = counts_of(counter.port, page)
    assert set(before) == {"path", "counts", "total", "average"} and before["path"] == page
    assert list(before["counts"]) == ["1", "2", "3", "4", "5"]
    comment = unicodedata.normalize("NFD", "  Thông tin   rất rõ ràng,\n\ncảm ơn\tỦy ban ")
    status, headers, body = rate(counter.port, page, 4, comment, xff=fresh_ip())
    assert status == 200 and headers["Content-Type"].startswith("application/json"), body
    assert body["recorded"] is True and body["value"] == 4 and body["path"] == page
    assert body["counts"]["4"] == before["counts"]["4"] + 1 and body["total"] == before["total"] + 1
    after = counts_of(counter.port, page)
    assert after == {k: v for k, v in body.items() if k not in ("recorded", "value")}
    stored = [c for c in dumped(counter).rating_comments if c[1] == page]
    assert (dumped(counter).rating_days[(stored[0][0], page, 4)] >= 1)
    assert [c[2:] for c in stored] == [(4, "Thông tin rất rõ ràng, cảm ơn Ủy ban")]       # NFC, collapsed
    assert unicodedata.is_normalized("NFC", stored[0][3])


def test_a_second_rating_the_same_day_is_refused_409_and_changes_nothing(counter):
    page = counter.paths[2]
    ua, ip = unique_ua("twice"), fresh_ip()
    assert rate(counter.port, page, 5, "lần đầu", ua=ua, xff=ip)[0] == 200
    before = dumped(counter)
    status, _, body = rate(counter.port, page, 1, "đổi ý", ua=ua, xff=ip)
    assert status == 409 and body["error"] == "already_rated" and set(body) == {"error", "message"}, body
    # (written another way, the same page is the same page)
    assert rate(counter.port, page + "index.html", 2, ua=ua, xff=ip)[0] == 409
    assert dumped(counter) == before
    # another page, or another reader, is another rating
    assert rate(counter.port, counter.paths[3], 3, ua=ua, xff=ip)[0] == 200
    assert rate(counter.port, page, 3, xff=fresh_ip())[0] == 200


def test_rotating_user_agents_from_one_address_are_capped(counter):
    """One address, a new User-Agent each time: at most 10 ratings of a page a day (--per-address)."""
    page, ip = counter.paths[4], fresh_ip()
    before = counts_of(counter.port, page)["total"]
    answers = [rate(counter.port, page, 5, ua=f"{UA} rot/{n}", xff=ip) for n in range(14)]
    assert [status for status, _, _ in answers] == [200] * 10 + [409] * 4
    assert counts_of(counter.port, page)["total"] == before + 10


def test_bots_and_automated_browsers_cannot_rate(counter):
    page = counter.paths[5]
    before = dumped(counter)
    for ua, extra in (("curl/8.5.0", {}), ("Mozilla/5.0 HeadlessChrome/124.0 Safari/537.36", {}), (UA, {"bot": True})):
        body = json.dumps({"path": page, "value": 5, **extra})
        status, _, answer = rate(counter.port, page, 5, ua=ua, xff=fresh_ip(), body=body)
        assert (status, answer["error"]) == (403, "not_a_reader"), answer
    assert dumped(counter) == before


BAD = [
    # (body, status, code)
    ({"path": "/khong-co-trang-nay/", "value": 5}, 422, "unknown_page"),
    ({"path": "https://evil.example/", "value": 5}, 400, "bad_path"),
    ({"value": 5}, 400, "bad_path"),
    ({"path": "PAGE"}, 400, "bad_value"),
    ({"path": "PAGE", "value": 0}, 400, "bad_value"),
    ({"path": "PAGE", "value": 6}, 400, "bad_value"),
    ({"path": "PAGE", "value": -1}, 400, "bad_value"),
    ({"path": "PAGE", "value": "5"}, 400, "bad_value"),
    ({"path": "PAGE", "value": 4.5}, 400, "bad_value"),
    ({"path": "PAGE", "value": 5.0}, 400, "bad_value"),
    ({"path": "PAGE", "value": True}, 400, "bad_value"),
    ({"path": "PAGE", "value": None}, 400, "bad_value"),
    ({"path": "PAGE", "value": [5]}, 400, "bad_value"),
    ({"path": "PAGE", "value": 5, "comment": "x" * 501}, 400, "comment_too_long"),
    ({"path": "PAGE", "value": 5, "comment": "ý " * 251}, 400, "comment_too_long"),
    ({"path": "PAGE", "value": 5, "comment": "tốt\x00"}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "comment": "tốt\x1b[31m"}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "comment": "tốt\x7f"}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "comment": "abc\u202egnp.exe"}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "comment": "a\ud800b"}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "comment": 5}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "comment": {"x": 1}}, 400, "bad_comment"),
    ({"path": "PAGE", "value": 5, "bot": "no"}, 400, "bad_json"),
    ('{"path": "PAGE", "value": 5', 400, "bad_json"),
    ('[5]', 400, "bad_json"),
    (b'{"path": "PAGE", "value": 5, "comment": "\xff"}', 400, "bad_json"),
    ('{"path": "PAGE", "value": 5, "comment": "' + "x" * 4200 + '"}', 413, "too_large"),
]


@pytest.mark.parametrize("body,status,code", BAD)
def test_junk_is_refused_with_a_json_reason_and_the_store_is_unchanged(counter, body, status, code):
    page = counter.paths[6]
    if isinstance(body, dict):
        body = json.dumps({k: page if v == "PAGE" else v for k, v in body.items()})      # (\ud800 as an escape)
    elif isinstance(body, str):
        body = body.replace("PAGE", page)
    else:
        body = body.replace(b"PAGE", page.encode())
    before = dumped(counter)
    got, headers, answer = rate(counter.port, page, 0, xff=fresh_ip(), body=body)
    assert (got, answer["error"]) == (status, code), answer
    assert set(answer) == {"error", "message"} and answer["message"] and headers["Content-Type"].startswith(
        "application/json")
    assert dumped(counter) == before


def test_longest_comment_is_kept_whole(counter):
    page = counter.paths[7]
    comment = "ỷ" * 500                                        # 1,500 bytes of UTF-8: within the 4 KiB body
    assert rate(counter.port, page, 2, "  " + comment + "\n", xff=fresh_ip())[0] == 200
    assert (2, comment) in [c[2:] for c in dumped(counter).rating_comments if c[1] == page]


@pytest.mark.parametrize("target,status,code", [
    ("/api/ratings", 400, "bad_path"),
    ("/api/ratings?path=/khong-co/", 422, "unknown_page"),
    ("/api/ratings?path=/&path=/tin-tuc/", 400, "bad_path"),
    ("/api/ratings?path=%ff", 400, "bad_path"),
])
def test_reading_ratings_refuses_bad_paths(counter, target, status, code):
    got, _, answer = request(counter.port, "GET", target, headers={"User-Agent": UA, "X-Forwarded-For": fresh_ip()})
    assert (got, answer["error"]) == (status, code), answer


def test_rating_and_ratings_methods(counter):
    assert request(counter.port, "GET", "/api/rating", headers={"User-Agent": UA})[0] == 405
    status, headers, _ = request(counter.port, "POST", "/api/ratings", "{}", headers={"User-Agent": UA})
    assert status == 405 and "GET" in headers["Allow"]


def test_a_flood_of_ratings_is_refused_429(counter):
    """The same token bucket as views, in the store (shared by both workers): 40 at once, then 5/s."""
    ip, ua = fresh_ip(), unique_ua("flood")
    answers = [rate(counter.port, counter.paths[n % len(counter.paths)], 3, ua=ua, xff=ip) for n in range(70)]
    refused = [(h, b) for s, h, b in answers if s == 429]
    assert refused and all(b["error"] == "rate_limited" and int(h["Retry-After"]) >= 1 for h, b in refused)
    assert {s for s, _, _ in answers} <= {200, 409, 429}


def test_concurrent_ratings_are_recorded_exactly(counter):
    """24 clients at once against both workers: 600 readers rate, each twice; exactly one of each pair
    is recorded (the other 409), and the stored counts equal the acknowledged ones, level by level."""
    pages = counter.paths[10:25]
    before = {p: counts_of(counter.port, p)["counts"] for p in pages}
    jobs = [(pages[n % len(pages)], n % 5 + 1, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", unique_ua("c"))
            for n in range(600)]
    jobs = jobs + jobs
    random.Random(7).shuffle(jobs)
    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(lambda j: (j, rate(counter.port, j[0], j[1], ua=j[3], xff=j[2])[0]), jobs))
    assert sorted({status for _, status in answers}) == [200, 409]
    recorded = [job for job, status in answers if status == 200]
    assert len(recorded) == 600 and len(set(recorded)) == 600
    for page in pages:
        now = counts_of(counter.port, page)["counts"]
        expected = {str(v): before[page][str(v)] + sum(1 for p, val, _, _ in recorded if p == page and val == v)
                    for v in ratings_module.SCALE}
        assert now == expected, page


# ------------------------------------------------------------------ the next day, and what is kept
@pytest.mark.parametrize("backend", BACKENDS)
def test_next_day_allowed_and_past_visitor_keys_deleted(backend, tmp_path, redis_server):
    """A reader rates at 23:58, is refused at 23:59, rates again at 00:01; the cleanup then deletes the
    old day's visitor keys (from the file and its WAL): nothing in the store links a rating to a
    reader, and no address or User-Agent is in it at all. Per-day counts stay for trends."""
    now = [at("2026-11-27 23:58")]
    db, key_file, prefix = tmp_path / "c.sqlite3", tmp_path / "day.key", f"q{uuid.uuid4().hex[:8]}:"
    pages = ["/", "/tin-tuc/a/"]
    ua = f"{UA} privacy/{uuid.uuid4().hex[:6]}"

    def opened():
        return open_store(db=db, redis_url=redis_server.url if backend == "redis" else None, prefix=prefix)

    app = make_app(Settings(pages=FixedPages(pages), open_store=opened, salt_file=key_file, clock=lambda: now[0],
                            cleanup_every=0, rate=0))          # (the buckets are the views' and tested with them)
    server = ThreadServer(app)
    try:
        assert rate(server.port, "/tin-tuc/a/", 5, "Bài viết hữu ích", ua=ua)[0] == 200
        key1 = bytes.fromhex(key_file.read_text().split()[1])
        old_vid, old_address = keys(key1, parse_ip("127.0.0.1"), ua)
        now[0] = at("2026-11-27 23:59")
        assert rate(server.port, "/tin-tuc/a/", 1, ua=ua)[0] == 409
        now[0] = at("2026-11-28 00:01")
        status, _, body = rate(server.port, "/tin-tuc/a/", 4, ua=ua)
        assert status == 200 and body["total"] == 2 and body["counts"]["5"] == 1 and body["counts"]["4"] == 1
    finally:
        server.stop()
    store = opened()
    try:
        store.cleanup(periods(now[0], ZONE))
        dump = store.dump()
        assert dump.rating_days == {("2026-11-27", "/tin-tuc/a/", 5): 1, ("2026-11-28", "/tin-tuc/a/", 4): 1}
        assert dump.rating_comments == [("2026-11-27", "/tin-tuc/a/", 5, "Bài viết hữu ích")]
        if backend == "sqlite":
            assert store.db.execute("SELECT DISTINCT day FROM rated").fetchall() == [("2026-11-28",)]
            columns = [r[1] for r in store.db.execute("PRAGMA table_info(rating_comment)")]
            assert columns == ["day", "page_id", "value", "comment"]              # no visitor, no time of day
            store.close()
            on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("c.sqlite3*"))
            assert "Bài viết hữu ích".encode() in on_disk                        # (the test reads the right files)
        else:
            assert not store.r.exists(store.key("rated:2026-11-27"), store.key("rated_address:2026-11-27"))
            on_disk = b"".join(redis_contents(store.r, key) for key in store.r.scan_iter(match=prefix + "*"))
            assert b"rating_comment" in on_disk
            store.close()
        for secret in (old_vid, old_address, old_vid.hex().encode(), old_address.hex().encode(), key1, key1.hex().encode()):
            assert secret not in on_disk
        for identity in (b"127.0.0.1", ua.encode(), b"privacy/"):
            assert identity not in on_disk
    finally:
        try:
            store.close()
        except Exception:
            pass


def redis_contents(r, key: bytes) -> bytes:
    """A key's name and everything in it, as bytes."""
    kind = r.type(key).decode()
    if kind == "string":
        parts = [r.get(key)]
    elif kind == "hash":
        parts = [b for pair in r.hgetall(key).items() for b in pair]
    elif kind == "set":
        parts = list(r.smembers(key))
    elif kind == "list":
        parts = r.lrange(key, 0, -1)
    elif kind == "zset":
        parts = [m for m, _ in r.zrange(key, 0, -1, withscores=True)]
    else:
        parts = []
    return b"\n".join([key, *parts])


# ------------------------------------------------------------------ export for the office, dump and restore
def counter_cmd(*args, env=None):
    import os
    return subprocess.run([sys.executable, str(BUILD), "counter", "--site", str(ROOT), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env=dict(os.environ, **(env or {})))


def test_export_ratings_csv_for_excel_and_the_dump_round_trip(tmp_path, redis_server):
    db = tmp_path / "c.sqlite3"
    store = open_store(db=db)
    d1, d2 = periods(at("2026-11-27 09:00"), ZONE), periods(at("2026-12-01 15:00"), ZONE)
    given = [(d1, "/tin-tuc/a/", 5, "Rất rõ, cảm ơn Ủy ban"), (d1, "/tin-tuc/a/", 5, None), (d1, "/tin-tuc/a/", 2, None),
             (d2, "/tin-tuc/a/", 1, "=HYPERLINK(\"http://evil\",\"x\")"), (d2, "/van-ban/b/", 3, "Thiếu tệp, \"PDF\"")]
    for n, (p, path, value, comment) in enumerate(given):
        assert store.rate(uuid.uuid4().bytes, bytes([n]) * 12, path, value, comment, p).recorded
    store.record(b"v" * 16, b"a" * 12, "/tin-tuc/a/", d1)
    store.close()

    out = tmp_path / "danh-gia.csv"
    result = counter_cmd("export-ratings", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "5 lượt đánh giá (3 góp ý)" in result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")                                 # the BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Ngày", "Trang", "Mức đánh giá", "Góp ý"],
        ["27/11/2026", "/tin-tuc/a/", "2", ""],
        ["27/11/2026", "/tin-tuc/a/", "5", "Rất rõ, cảm ơn Ủy ban"],
        ["27/11/2026", "/tin-tuc/a/", "5", ""],
        ["01/12/2026", "/tin-tuc/a/", "1", "'=HYPERLINK(\"http://evil\",\"x\")"],       # never run as a formula
        ["01/12/2026", "/van-ban/b/", "3", "Thiếu tệp, \"PDF\""],
    ]
    # the full export carries the ratings: restored into Redis, the same export and the same office file
    exported = counter_cmd("export", "--db", str(db))
    assert exported.returncode == 0 and "rating_day,2026-11-27,/tin-tuc/a/,2,,5," in exported.stdout.splitlines()
    export_file = tmp_path / "export.csv"
    export_file.write_text(exported.stdout, encoding="utf-8")
    env = {"COUNTER_REDIS_PREFIX": f"x{uuid.uuid4().hex[:8]}:"}
    assert counter_cmd("import-baseline", str(export_file), "--redis", redis_server.url, env=env).returncode == 0
    assert counter_cmd("export", "--redis", redis_server.url, env=env).stdout == exported.stdout
    again = tmp_path / "redis.csv"
    assert counter_cmd("export-ratings", str(again), "--redis", redis_server.url, env=env).returncode == 0
    assert again.read_bytes() == data
    # and into a new SQLite file
    db2 = tmp_path / "c2.sqlite3"
    result = counter_cmd("import-baseline", str(export_file), "--db", str(db2))
    assert result.returncode == 0, result.stderr
    assert counter_cmd("export", "--db", str(db2)).stdout == exported.stdout


def test_an_export_of_the_previous_release_still_restores(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("kind,day,path,views,baseline\nsite,,,3,10\npage,,/a/,3,10\nsite_day,2026-11-27,,3,\n"
                   "page_day,2026-11-27,/a/,3,\n", encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    result = counter_cmd("import-baseline", str(old), "--db", str(db))
    assert result.returncode == 0, result.stderr
    lines = counter_cmd("export", "--db", str(db)).stdout.splitlines()
    assert lines[1:] == ["site,,,3,10,,", "page,,/a/,3,10,,", "site_day,2026-11-27,,3,,,", "page_day,2026-11-27,/a/,3,,,"]


def test_bad_rating_rows_in_an_export_are_reported_by_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,day,path,views,baseline,value,comment\nrating_day,2026-11-27,/a/,2,,9,\n"
                   "rating_comment,2026-11-27,/a/,,,5,\"a\x00b\"\nrating_comment,2026-11-27,/a/,,,5," + "x" * 600 + "\n",
                   encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    result = counter_cmd("import-baseline", str(bad), "--db", str(db))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in result.stderr.strip().splitlines()] == ["2", "3", "4"]
    assert "rating" not in counter_cmd("export", "--db", str(db)).stdout


def test_sqlite_migrates_from_schema_3_keeping_the_views(tmp_path):
    path = tmp_path / "v3.sqlite3"
    with sqlite3.connect(path) as db:
        for version in (1, 2, 3):
            for statement in store_sqlite._statements(store_sqlite.MIGRATIONS[version]):
                db.execute(statement)
        db.execute("INSERT INTO page (path) VALUES ('/a/')")
        db.execute("INSERT INTO page_day VALUES (1, '2026-11-27', 4), (1, 'total', 4)")
        db.execute("UPDATE site_day SET views = 4 WHERE day = 'total'")
        db.execute("INSERT INTO site_day VALUES ('2026-11-27', 4)")
        db.execute("PRAGMA user_version = 3")
    store = open_store(db=path)
    try:
        assert store.schema_version() == 4
        assert store.views(["/a/"]) == {"/a/": 4}
        p = periods(at("2026-11-27 10:00"), ZONE)
        assert store.rate(b"w" * 16, b"a" * 12, "/a/", 3, None, p).recorded
        assert store.ratings("/a/") == {3: 1}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
