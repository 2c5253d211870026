"""Hostile requests against the real endpoint (gunicorn on 127.0.0.1, real SQLite files, a real Redis):
spellings of a page, rotated User-Agents, floods across workers, malformed HTTP, slow clients,
bad start-up settings, absurd baselines. Each test sends the attack and checks what is stored."""
from __future__ import annotations

import os
import random
import select
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import BUILD, ROOT
from counter_support import built, redis_server  # noqa: F401  (shared fixtures)
from counter_support import (UA, CounterProcess, ThreadServer, hit, page_paths, raw,
                             read_answer, read_only, request, site, unique_ua, views)
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import FixedPages
from site_generator.counter.store import open_store

BACKENDS = ("sqlite", "redis")
PAGE = "/ket-qua/"
SPELLINGS = ["/ket-qua/", "/k%65t-qua/", "/%6Bet-qua/", "/%6bet-qua/", "/ket%2Dqua/", "/%6B%65%74%2D%71%75%61/",
             "//ket-qua//", "/./ket-qua/./", "/ket-qua/index.html", "/ket-qua", "/tin-tuc/../ket-qua/",
             "/%2e%2e/ket-qua/", "/ket-qua/?utm_source=zalo", "/ket-qua/#top", "/ket-qua//index.html"]
NOT_PAGES = ["/k%2565t-qua/", "/ket-qua/%3F", "/KET-QUA/", "/ket-qua/x/", "/%ff/", "/ket-qua%00/", "/ket-qua/%0a",
             "/\\ket-qua/", "/ket-qua/index.htm", "/%c0%ae%c0%ae/ket-qua/", "/" + "a/" * 400, "/ket-qua/\u200b",
             "/ket-qua/%E2%80%8B", "/admin/", "/admin/index.html"]       # the web editor counts nothing


@pytest.fixture(scope="module", params=BACKENDS)
def counter(request, built, redis_server, tmp_path_factory):
    """No rate limit (as the bench), the default cap of 10 views per page per address per day."""
    server = CounterProcess(tmp_path_factory.mktemp(f"hostile-{request.param}"), built, request.param, redis_server,
                            "--proxy", "127.0.0.1", "--rate", "0")
    server.paths = page_paths(built)
    yield server
    server.stop()


def stored_paths(counter) -> set:
    store = counter.store()
    try:
        if counter.backend == "redis":
            return {k.decode() for k in store.r.hkeys(store.key("page"))}
        return {row[0] for row in store.db.execute("SELECT path FROM page")}
    finally:
        store.close()


def fresh_ip() -> str:
    return f"203.0.{random.randrange(256)}.{random.randrange(1, 255)}"


# ------------------------------------------------------------------ one page, however it is spelled
def test_spellings_of_a_page_are_one_page_and_one_view(counter):
    before = views(counter.port, [PAGE])[PAGE]
    ua, ip = unique_ua(), fresh_ip()
    answers = [hit(counter.port, spelling, ua, xff=ip) for spelling in SPELLINGS]
    assert [status for status, _, _ in answers] == [200] * len(SPELLINGS), answers
    assert [body["counted"] for _, _, body in answers] == [True] + [False] * (len(SPELLINGS) - 1)
    assert {body["path"] for _, _, body in answers} == {PAGE}
    assert views(counter.port, [PAGE])[PAGE] == before + 1
    # another reader, each spelling once: still one view more, and only published paths are stored
    other = [hit(counter.port, spelling, unique_ua(), xff=fresh_ip())[2]["counted"] for spelling in SPELLINGS]
    assert all(other) and views(counter.port, SPELLINGS) == {s: before + 1 + len(SPELLINGS) for s in SPELLINGS}
    assert stored_paths(counter) <= set(counter.paths)


def test_what_is_not_a_page_is_refused_and_stores_nothing(counter):
    rows = stored_paths(counter)
    for path in NOT_PAGES:
        status, headers, body = hit(counter.port, path, unique_ua(), xff=fresh_ip())
        assert status in (400, 422) and body["error"] in ("bad_path", "unknown_page"), (path, status, body)
        assert headers["Content-Type"].startswith("application/json")
    status, _, body = request(counter.port, "GET", "/api/views?path=/k%252565t-qua/",
                              headers={"User-Agent": unique_ua(), "X-Forwarded-For": fresh_ip()})
    assert (status, body["error"]) == (422, "unknown_page")
    assert stored_paths(counter) == rows


def test_unicode_spellings_are_one_page(tmp_path):
    """NFC and NFD, raw or percent-encoded: one page (the sample has only ASCII paths: given pages here)."""
    app = make_app(Settings(pages=FixedPages(["/", "/the/cải-cách/"]), open_store=lambda: open_store(db=tmp_path / "c.db"),
                            rate=0))
    server = ThreadServer(app)
    try:
        spellings = ["/the/cải-cách/", "/the/ca\u0309i-ca\u0301ch/", "/the/c%E1%BA%A3i-c%C3%A1ch/",
                     "/the/ca%CC%89i-ca%CC%81ch/"]
        answers = [hit(server.port, path)[2] for path in spellings]
        assert [a["counted"] for a in answers] == [True, False, False, False]
        assert {a["path"] for a in answers} == {"/the/c%E1%BA%A3i-c%C3%A1ch/"}
        assert hit(server.port, "/the/ca%CC%89i/")[0] == 422
    finally:
        server.stop()
    store = open_store(db=tmp_path / "c.db")
    assert [r[0] for r in store.db.execute("SELECT path FROM page")] == ["/the/c%E1%BA%A3i-c%C3%A1ch/"]
    store.close()


# ------------------------------------------------------------------ one address, many User-Agents
def visitors_online(counter) -> int:
    """What "Đang truy cập" counts now, read from the store (not the server's answer, cached for seconds)."""
    from zoneinfo import ZoneInfo

    from site_generator.counter.periods import periods
    store = counter.store()
    try:
        return store.site(periods(float(int(time.time())), ZoneInfo("Asia/Ho_Chi_Minh"))).online
    finally:
        store.close()


def test_rotating_user_agents_do_not_inflate_counts(counter):
    """2,000 hits from one address, each with its own User-Agent, from 16 connections at once (both
    workers): 10 views (the cap per address per page per day), not 2,000."""
    page = counter.paths[20]
    before, online = views(counter.port, [page])[page], visitors_online(counter)
    ip = fresh_ip()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda n: hit(counter.port, page, f"{UA} v/{n}", xff=ip), range(2000)))
    assert {status for status, _, _ in answers} == {200}
    assert sum(body["counted"] for _, _, body in answers) == 10
    assert {body.get("reason") for _, _, body in answers if not body["counted"]} == {"duplicate"}
    assert views(counter.port, [page])[page] == before + 10
    assert visitors_online(counter) - online <= 10          # "Đang truy cập" is not inflated either
    # IPv6: the /64 is the address, whatever the interface identifier
    answers = [hit(counter.port, page, f"{UA} w/{n}", xff=f"2001:db8:77:{n % 3}::{n:x}")[2] for n in range(300)]
    assert sum(a["counted"] for a in answers) == 30                          # three /64s, 10 each
    assert views(counter.port, [page])[page] == before + 40
    # other pages, and other addresses, are not affected by this address's cap
    assert hit(counter.port, counter.paths[21], f"{UA} v/1", xff=ip)[2]["counted"] is True
    assert hit(counter.port, page, f"{UA} v/1", xff=fresh_ip())[2]["counted"] is True


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_rate_limit_is_per_address_and_shared_by_the_workers(backend, built, redis_server, tmp_path):
    """One address, 400 requests with 400 User-Agents on 400 connections spread over 2 workers: at most
    the burst plus what the rate refills, for the endpoint as a whole (not per worker). The rate is slow
    (one token per 10 s) so that a busy machine's pauses cannot refill the bucket before the last check."""
    server = CounterProcess(tmp_path, built, backend, redis_server, "--proxy", "127.0.0.1", "--rate", "0.1",
                            "--burst", "30", "--workers", "2")
    paths = page_paths(built)
    ip = fresh_ip()
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda n: hit(server.port, paths[n % 50], f"{UA} r/{n}", xff=ip), range(400)))
        elapsed = time.monotonic() - started
        allowed = [body for status, _, body in answers if status == 200]
        refused = [(headers, body) for status, headers, body in answers if status == 429]
        assert len(allowed) + len(refused) == 400
        assert 30 <= len(allowed) <= 30 + 0.1 * elapsed + 1, (len(allowed), elapsed)
        assert all(body["error"] == "rate_limited" and int(headers["Retry-After"]) >= 1 for headers, body in refused)
        assert sum(body["counted"] for body in allowed) == site(server.port)["total"]
        # reading is limited too, by the same bucket; another address is not
        status, _, body = request(server.port, "GET", "/api/site", headers={"User-Agent": unique_ua(),
                                                                           "X-Forwarded-For": ip})
        assert (status, body["error"]) == (429, "rate_limited")
        assert hit(server.port, paths[1], unique_ua(), xff=fresh_ip())[0] == 200
    finally:
        server.stop()


# ------------------------------------------------------------------ malformed HTTP: always JSON
HEAD = b"Host: 127.0.0.1\r\nUser-Agent: " + UA.encode() + b"\r\n"
MALFORMED = [
    # (what, raw request, status, error code)
    ("request line too long", b"GET /api/health?" + b"x" * 5000 + b" HTTP/1.1\r\n" + HEAD + b"\r\n", 414, "too_long"),
    ("too many headers", b"GET /api/health HTTP/1.1\r\n" + HEAD + b"".join(b"X-%d: y\r\n" % n for n in range(60))
     + b"\r\n", 431, "headers_too_large"),
    ("a header too long", b"GET /api/health HTTP/1.1\r\n" + HEAD + b"X-Big: " + b"y" * 9000 + b"\r\n\r\n", 431,
     "headers_too_large"),
    ("headers never ending", b"GET /api/health HTTP/1.1\r\n" + b"X-Pad: " + b"y" * 70000, 431, "headers_too_large"),
    ("garbage", b"GARBAGE\r\n\r\n", 400, "bad_request"),
    ("bare line feeds", b"GET /api/site HTTP/1.1\nHost: 127.0.0.1\n\n", 400, "bad_request"),
    ("a space before a header's colon", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Length\t: 100\r\n"
     b"Content-Length: 20\r\n\r\n" + b'{"path":"/tin-tuc/"}', 400, "bad_request"),
    ("Content-Length with a space before its colon", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Length : 5\r\n"
     b"\r\n", 400, "bad_request"),
    ("binary", bytes(range(1, 256)) + b"\r\n\r\n", 400, "bad_request"),
    ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "bad_request"),
    ("space in a header name", b"GET /api/health HTTP/1.1\r\n" + HEAD + b"Bad Header: x\r\n\r\n", 400, "bad_request"),
    ("NUL in the target", b"GET /api/he\x00alth HTTP/1.1\r\n" + HEAD + b"\r\n", 400, "bad_request"),
    ("negative Content-Length", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Length: -1\r\n\r\n{}", 400,
     "bad_request"),
    ("two Content-Lengths", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
     400, "bad_request"),
    ("unknown Transfer-Encoding", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Transfer-Encoding: gzip\r\n\r\n", 400,
     "bad_request"),
    ("huge Content-Length", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Length: 99999999999\r\n\r\n", 413,
     "too_large"),
    ("JSON nested 1,000 deep", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Type: text/plain\r\n"
     b"Content-Length: 1019\r\n\r\n" + b'{"path":' + b"[" * 1011, 400, "bad_json"),
    ("chunked body", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Transfer-Encoding: chunked\r\n\r\n"
     + b"800\r\n" + b"x" * 2048 + b"\r\n0\r\n\r\n", 411, "length_required"),
    ("chunked body that looks finished", b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Transfer-Encoding: chunked\r\n"
     b"\r\n5\r\nab0\r\n\r\n", 411, "length_required"),
]


@pytest.mark.parametrize("what,data,status,code", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_http_is_refused_in_json(counter, what, data, status, code):
    before = site(counter.port)
    got, headers, body = raw(counter.port, data)
    assert (got, body["error"] if isinstance(body, dict) else body) == (status, code), what
    assert headers["content-type"].startswith("application/json") and body["message"]
    assert site(counter.port)["total"] == before["total"]


HEAD_REQUESTS = [("/api/nothing", 404), ("/api/hit", 405), ("/api/views", 400), ("/api/stats?x=1", 400)]


def test_refusals_to_head_requests_are_a_status_and_headers_only(counter, tmp_path):
    """A body after the answer to a HEAD is read by the client as the start of the next answer (and gunicorn
    logs each one): refusals carry none either, from gunicorn and from the dev server."""
    app = make_app(Settings(pages=FixedPages(["/"]), open_store=lambda: open_store(db=tmp_path / "c.db")))
    server = ThreadServer(app)
    try:
        for port in (counter.port, server.port):
            for target, status in HEAD_REQUESTS:
                got, headers, body = raw(port, b"HEAD " + target.encode() + b" HTTP/1.1\r\n" + HEAD + b"\r\n")
                assert (got, body) == (status, ""), (port, target, body)
                assert headers["content-type"].startswith("application/json")
    finally:
        server.stop()


def test_the_dev_server_never_reads_an_unbounded_body(tmp_path):
    """The standard library's server hands Content-Length over as written: "-1" once read the stream
    to its end. Here the client keeps its connection open: answers must come without waiting for it."""
    app = make_app(Settings(pages=FixedPages(["/"]), open_store=lambda: open_store(db=tmp_path / "c.db")))
    server = ThreadServer(app)
    try:
        for length, status, code in (("-1", 400, "bad_request"), ("+13", 400, "bad_request"),
                                     ("1_3", 400, "bad_request"), ("0x0d", 400, "bad_request"),
                                     ("99999999999999999999", 413, "too_large"), ("2000", 413, "too_large")):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Length: " + length.encode()
                             + b"\r\n\r\n" + b'{"path": "/"}')             # and the connection stays open
                got, headers, body = read_answer(sock)
            assert (got, body["error"]) == (status, code), length
        for data, status in ((b"GET /api/site?" + b"x" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
                             (b"GARBAGE\r\n\r\n", 400), (b"GET /api/site HTTP/9.9\r\n\r\n", 505),
                             (b"GET /api/site HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431)):
            got, headers, body = raw(server.port, data)
            assert got == status and headers["content-type"].startswith("application/json") and body["message"]
    finally:
        server.stop()


def test_the_dev_server_refuses_bodies_it_cannot_read_whole(tmp_path, monkeypatch, capfd):
    """wsgiref neither decodes a chunked body nor notices a short one: they are refused (411, 400, 408), never
    taken for a storage failure, and a client silent in its headers gets a 408 without its address in the log."""
    from site_generator.counter import server as counter_server
    monkeypatch.setattr(counter_server._QuietHandler, "timeout", 1)
    app = make_app(Settings(pages=FixedPages(["/tin-tuc/"]), open_store=lambda: open_store(db=tmp_path / "c.db"),
                            proxies=(), rate=0))
    server = ThreadServer(app)
    start = b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Type: text/plain\r\n"
    body = b'{"path":"/tin-tuc/"}'
    try:
        got, _, answer = raw(server.port, start + b"Transfer-Encoding: chunked\r\n\r\n14\r\n" + body + b"\r\n0\r\n\r\n")
        assert (got, answer["error"]) == (411, "length_required")
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(start + b"Content-Length: 25\r\n\r\n" + body)
            sock.shutdown(socket.SHUT_WR)                      # five bytes short, and no more coming
            got, _, answer = read_answer(sock)
        assert (got, answer["error"]) == (400, "bad_request")
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(start + b"Content-Length: 25\r\n\r\n" + body)      # and the connection stays open
            got, _, answer = read_answer(sock)
        assert (got, answer["error"]) == (408, "timeout")
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"GET /api/site HTTP/1.1\r\nHost: x\r\n")          # then silence
            got, headers, answer = read_answer(sock)
        assert (got, answer["error"]) == (408, "timeout") and headers["content-type"].startswith("application/json")
        assert site(server.port)["total"] == 0
    finally:
        server.stop()
    logged = capfd.readouterr()
    assert "127.0.0.1" not in logged.err + logged.out and "storage" not in logged.err


# ------------------------------------------------------------------ slow clients
def test_slow_clients_do_not_block_the_endpoint(built, tmp_path):
    """40 clients sending their request one byte a second (more than any pool of workers or threads),
    one that never reads its answer, one that sends nothing: ordinary requests are still answered, and
    the slow requests are answered 408 once their time is up."""
    server = CounterProcess(tmp_path, built, "sqlite", None, "--proxy", "127.0.0.1", "--rate", "0",
                            "--workers", "2")
    paths = page_paths(built)
    stop = threading.Event()
    slow_answers = []
    request_bytes = (b"POST /api/hit HTTP/1.1\r\n" + HEAD + b"Content-Type: text/plain\r\nContent-Length: 20\r\n"
                     b"X-Padding: " + b"p" * 40 + b"\r\n\r\n" + b'{"path": "/"}       ')

    def dribble():
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            for byte in request_bytes:
                sock.sendall(bytes([byte]))
                if stop.is_set() or select.select([sock], [], [], 1.0)[0]:     # one byte a second, until answered
                    break
            slow_answers.append(read_answer(sock))

    silent = socket.create_connection(("127.0.0.1", server.port))
    deaf = socket.create_connection(("127.0.0.1", server.port))
    deaf.sendall(b"GET /api/site HTTP/1.1\r\n" + HEAD + b"\r\n")           # and never reads nor closes
    threads = [threading.Thread(target=dribble) for _ in range(40)]
    try:
        for t in threads:
            t.start()
        time.sleep(2)
        for n in range(10):
            status, _, body = hit(server.port, paths[n], unique_ua(), xff=fresh_ip())
            assert status == 200 and body["counted"] is True
        for t in threads:
            t.join(timeout=30)
        # each slow request ran out of time (10 s) before its last byte (~100 s): 408, in JSON
        assert len(slow_answers) == 40
        assert all(status == 408 and body["error"] == "timeout" for status, _, body in slow_answers), slow_answers[:3]
        assert hit(server.port, paths[11], unique_ua(), xff=fresh_ip())[0] == 200
    finally:
        stop.set()
        silent.close()
        deaf.close()
        server.stop()


def test_slow_clients_do_not_block_waitress(built, tmp_path):
    """waitress (where gunicorn cannot run) reads whole requests before its 8 threads see them."""
    server = CounterProcess(tmp_path, built, "sqlite", None, "--proxy", "127.0.0.1", "--rate", "0",
                            server="waitress")
    paths = page_paths(built)
    slow = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(30)]
    try:
        for second in range(3):
            for sock in slow:
                sock.sendall(b"POST /api/hit HTTP/1.1\r\n"[second:second + 1])
            time.sleep(1)
        for n in range(10):
            status, _, body = hit(server.port, paths[n], unique_ua(), xff=fresh_ip())
            assert status == 200 and body["counted"] is True
    finally:
        for sock in slow:
            sock.close()
        server.stop()


# ------------------------------------------------------------------ start-up with bad settings
def counter_cmd(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, str(BUILD), "counter", "--site", str(ROOT), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, env=dict(os.environ, **(env or {})))


def test_bad_storage_at_start_is_one_line_in_vietnamese(built, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("không phải cơ sở dữ liệu\n" * 200, encoding="utf-8")
    locked_db = tmp_path / "read-only.sqlite3"
    open_store(db=locked_db).close()
    undo = read_only(locked_db)
    loose_key = tmp_path / "loose.key"
    loose_key.write_text("2026-11-27 " + "ab" * 32 + "\n")
    loose_key.chmod(0o644)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    cases = [
        (["--db", str(tmp_path / "khong-co" / "c.sqlite3")], "không dùng được cơ sở dữ liệu", "không mở được tệp"),
        (["--db", str(folder)], "không dùng được cơ sở dữ liệu", "không mở được tệp"),
        (["--db", str(text_file)], "không dùng được cơ sở dữ liệu", "không phải cơ sở dữ liệu SQLite"),
        (["--db", str(locked_db)], "không dùng được cơ sở dữ liệu", "chỉ đọc"),
        (["--redis", f"redis://127.0.0.1:{closed.getsockname()[1]}/0"], "không dùng được Redis", "không kết nối được"),
        (["--salt-file", str(loose_key)], "không dùng được tệp khóa", "chmod 600"),
        (["--salt-file", str(tmp_path / "khong-co" / "c.key")], "không dùng được tệp khóa", "--salt-file"),
    ]
    try:
        for args, *words in cases:
            port = str(random.randrange(20000, 60000))
            result = counter_cmd("--pages", str(built), "--server", "gunicorn", "--port", port,
                                 *(["--db", str(tmp_path / "ok.sqlite3")] if "--db" not in args else []),
                                 *(["--salt-file", str(tmp_path / "ok.key")] if "--salt-file" not in args else []),
                                 *args)
            assert result.returncode == 2, (args, result.stdout, result.stderr)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in result.stderr, (args, result.stderr)
            assert all(word in lines[0] for word in words), (args, lines[0])
        (tmp_path / "x.csv").write_text("path,views\n*,5\n")
        for action in ("export", "import-baseline"):                 # the other commands say it the same way
            result = counter_cmd(action, str(tmp_path / ("x.csv" if action == "import-baseline" else "out.csv")),
                                 "--db", str(text_file))
            assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert "không phải cơ sở dữ liệu SQLite" in result.stderr
    finally:
        undo()
        closed.close()


def test_absurd_baselines_are_refused_by_line(built, tmp_path):
    db = tmp_path / "c.sqlite3"
    baseline = tmp_path / "old.csv"
    baseline.write_text("path,views\n*,12345678901234567890\n/ket-qua/,99999999999999999999\n/trang/,5\n"
                        "/tin-tuc/,1.000.000.000.000.001\n/du-lieu/,-3\n", encoding="utf-8")
    result = counter_cmd("import-baseline", str(baseline), "--db", str(db), "--pages", str(built))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in lines] == ["2", "3", "5", "6"]
    assert "too large" in lines[0] and "too large" in lines[1]
    export = tmp_path / "export.csv"
    export.write_text("kind,day,path,views,baseline\nsite,,,1,99999999999999999999\n"
                      "page_day,2026-11-27,/ket-qua/,18446744073709551616,\n", encoding="utf-8")
    result = counter_cmd("import-baseline", str(export), "--db", str(db))
    assert result.returncode == 1 and [line.split(": ")[0].rsplit(":", 1)[1]
                                       for line in result.stderr.strip().splitlines()] == ["2", "3"]
    assert "site,,,0,0,," in counter_cmd("export", "--db", str(db)).stdout.splitlines()
    export.write_text("kind,day,path,views,baseline,value,comment\npage,,/khong-con/,5,7,,\n"
                      "page_day,2026-12-01,/../etc/,3,,,\nrating_day,2026-12-01,/a//b/,2,,5,\n"
                      "page,,/k%65t-qua/,1,,,\n", encoding="utf-8")      # a page gone since is history: kept
    result = counter_cmd("import-baseline", str(export), "--db", str(db))
    assert result.returncode == 1 and [line.split(": ")[0].rsplit(":", 1)[1]
                                       for line in result.stderr.strip().splitlines()] == ["3", "4", "5"]
    assert "site,,,0,0,," in counter_cmd("export", "--db", str(db)).stdout.splitlines()
    # a page written another way is the page itself
    baseline.write_text("path,views\n/k%65t-qua/,5\n/trang,7\n", encoding="utf-8")
    assert counter_cmd("import-baseline", str(baseline), "--db", str(db), "--pages", str(built)).returncode == 0
    exported = counter_cmd("export", "--db", str(db)).stdout.splitlines()
    assert "page,,/ket-qua/,0,5,," in exported and "page,,/trang/,0,7,," in exported
    assert not any("%65" in line for line in exported)
