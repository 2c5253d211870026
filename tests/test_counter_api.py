"""The counter's HTTP API against a real gunicorn process on 127.0.0.1, with SQLite and with Redis."""
from __future__ import annotations

import http.client
import json
import random
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from counter_support import built, redis_server  # noqa: F401  (shared fixtures)
from counter_support import (UA, CounterProcess, hit, page_paths, request, site, unique_ua,
                             views)

BACKENDS = ("sqlite", "redis")
OTHER_ORIGIN = "https://thongke.example.gov.vn"


@pytest.fixture(scope="module", params=BACKENDS)
def counter(request, built, redis_server, tmp_path_factory):
    backend = request.param
    server = CounterProcess(tmp_path_factory.mktemp(f"api-{backend}"), built, backend, redis_server,
                            "--proxy", "127.0.0.1", "--origin", OTHER_ORIGIN, "--rate", "5", "--burst", "40",
                            "--online-cache", "0")
    server.paths = page_paths(built)
    yield server
    server.stop()


def totals(counter, paths) -> tuple[dict, dict]:
    return site(counter.port), views(counter.port, paths)


def unchanged(counter, paths, before):
    after = totals(counter, paths)
    assert after[0]["total"] == before[0]["total"] and after[0]["today"] == before[0]["today"]
    assert after[1] == before[1]


def fresh_ip() -> str:
    return f"203.0.{random.randrange(256)}.{random.randrange(1, 255)}"


def test_health_and_a_counted_view(counter):
    status, headers, body = request(counter.port, "GET", "/api/health")
    assert (status, body) == (200, {"ok": True})
    page = counter.paths[3]
    before = views(counter.port, [page])[page]
    status, headers, body = hit(counter.port, page, unique_ua())
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    assert body["path"] == page and body["views"] == before + 1 and body["counted"] is True
    assert set(body["site"]) == {"online", "today", "week", "month", "total"}
    assert body["site"]["online"] >= 1
    assert body["site"]["today"] <= body["site"]["week"] <= body["site"]["month"] <= body["site"]["total"]


def test_once_per_visitor_per_page_per_day(counter):
    a, b = counter.paths[5], counter.paths[6]
    ua, ip = unique_ua(), fresh_ip()
    before = totals(counter, [a, b])
    first = hit(counter.port, a, ua, xff=ip)[2]
    again = hit(counter.port, a, ua, xff=ip)[2]
    other_page = hit(counter.port, b, ua, xff=ip)[2]
    other_visitor = hit(counter.port, a, ua, xff=fresh_ip())[2]
    assert (first["counted"], again["counted"], other_page["counted"], other_visitor["counted"]) == \
        (True, False, True, True)
    assert again["reason"] == "duplicate"
    after = totals(counter, [a, b])
    assert after[1] == {a: before[1][a] + 2, b: before[1][b] + 1}
    assert after[0]["total"] - before[0]["total"] == 3


def test_ipv6_visitor_is_its_slash_64(counter):
    page = counter.paths[7]
    ua = unique_ua()
    assert hit(counter.port, page, ua, xff="2001:db8:1:2::1")[2]["counted"] is True
    assert hit(counter.port, page, ua, xff="2001:db8:1:2:ffff::9")[2]["counted"] is False      # same /64
    assert hit(counter.port, page, ua, xff="2001:db8:1:3::1")[2]["counted"] is True             # another /64


@pytest.mark.parametrize("ua,headers,body_extra,reason", [
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}, {}, "bot"),
    ("curl/8.5.0", {}, {}, "bot"),
    ("python-requests/2.31", {}, {}, "bot"),
    ("", {}, {}, "bot"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36", {}, {}, "headless"),
    (UA, {"Sec-Purpose": "prefetch;prerender"}, {}, "prefetch"),
    (UA, {"Purpose": "prefetch"}, {}, "prefetch"),
    (UA, {"X-Moz": "prefetch"}, {}, "prefetch"),
    (UA, {}, {"bot": True}, "headless"),                     # the page script saw navigator.webdriver
])
def test_bots_prefetch_and_headless_are_not_counted(counter, ua, headers, body_extra, reason):
    page = counter.paths[8]
    before = totals(counter, [page])
    h = {"Content-Type": "text/plain", "User-Agent": ua, "X-Forwarded-For": fresh_ip(), **headers}
    status, _, body = request(counter.port, "POST", "/api/hit", json.dumps({"path": page, **body_extra}), h)
    assert status == 200 and body["counted"] is False and body["reason"] == reason
    assert body["views"] == before[1][page]                   # the numbers are still shown
    unchanged(counter, [page], before)


BAD = [
    # (method, target, body, headers, status, code)
    ("POST", "/api/hit", '{"path": "/khong-co-trang-nay/"}', {}, 422, "unknown_page"),
    ("POST", "/api/hit", '{"path": "/tin-tuc/../../etc/passwd"}', {}, 422, "unknown_page"),
    ("POST", "/api/hit", '{"path": "https://evil.example/"}', {}, 400, "bad_path"),
    ("POST", "/api/hit", '{"path": 12}', {}, 400, "bad_path"),
    ("POST", "/api/hit", '{"path": "/", ', {}, 400, "bad_json"),
    ("POST", "/api/hit", '["/"]', {}, 400, "bad_json"),
    ("POST", "/api/hit", b'{"path": "/\xff"}', {}, 400, "bad_json"),
    ("POST", "/api/hit", '{"path": "/", "pad": "' + "x" * 2000 + '"}', {}, 413, "too_large"),
    ("POST", "/api/hit", '{"path": "/"}', {"Content-Type": "application/x-www-form-urlencoded"}, 415, "media_type"),
    ("GET", "/api/hit", None, {}, 405, "method"),
    ("PUT", "/api/hit", '{"path": "/"}', {}, 405, "method"),
    ("DELETE", "/api/site", None, {}, 405, "method"),
    ("POST", "/api/site", '{"path": "/"}', {}, 405, "method"),
    ("GET", "/api/admin", None, {}, 404, "not_found"),
    ("POST", "/api/hit", '{"path": "/"}', {"Origin": "https://evil.example"}, 403, "origin"),
    ("POST", "/api/hit", '{"path": "/"}', {"Origin": "null"}, 403, "origin"),
    ("GET", "/api/views?path=/khong-co/", None, {}, 422, "unknown_page"),
    ("GET", "/api/views", None, {}, 400, "bad_path"),
    ("GET", "/api/views?" + "&".join(["path=/"] * 51), None, {}, 400, "too_many_paths"),
]


@pytest.mark.parametrize("method,target,body,headers,status,code", BAD)
def test_bad_requests_get_4xx_json_and_change_nothing(counter, method, target, body, headers, status, code):
    watched = ["/", counter.paths[9]]
    before = totals(counter, watched)
    h = {"Content-Type": "text/plain", "User-Agent": unique_ua(), "X-Forwarded-For": fresh_ip(), **headers}
    got, response_headers, answer = request(counter.port, method, target, body, h)
    assert (got, answer["error"]) == (status, code), answer
    assert set(answer) == {"error", "message"} and answer["message"]
    if status == 405:
        assert "Allow" in response_headers
    unchanged(counter, watched, before)


def test_allowed_other_origin_gets_cors_headers(counter):
    page = counter.paths[10]
    status, headers, body = hit(counter.port, page, unique_ua(), xff=fresh_ip(), headers={"Origin": OTHER_ORIGIN})
    assert status == 200 and body["counted"] is True
    assert headers["Access-Control-Allow-Origin"] == OTHER_ORIGIN and "Origin" in headers["Vary"]
    status, headers, _ = request(counter.port, "GET", "/api/site", headers={"User-Agent": unique_ua()})
    assert "Access-Control-Allow-Origin" not in headers          # same origin: no CORS headers at all


def test_same_origin_request_is_accepted(counter):
    page = counter.paths[11]
    origin = f"http://127.0.0.1:{counter.port}"
    status, _, body = hit(counter.port, page, unique_ua(), xff=fresh_ip(), headers={"Origin": origin})
    assert status == 200 and body["counted"] is True


def test_forwarded_for_is_read_only_from_a_configured_proxy(counter):
    page = counter.paths[12]
    ua = unique_ua()
    # From 127.0.0.1 (the configured proxy), X-Forwarded-For tells the visitors apart...
    assert hit(counter.port, page, ua, xff="198.51.100.1")[2]["counted"] is True
    assert hit(counter.port, page, ua, xff="198.51.100.2")[2]["counted"] is True
    # ...and the right-most address that is not a proxy is the client (the left part can be forged).
    assert hit(counter.port, page, ua, xff="9.9.9.9, 198.51.100.2")[2]["counted"] is False
    # From 127.0.0.2 (not a proxy) the header is ignored: one visitor whatever it claims.
    results = [hit(counter.port, page, ua, xff=f"198.51.100.{n}", source="127.0.0.2")[2]["counted"]
               for n in range(10, 15)]
    assert results == [True, False, False, False, False]


def test_flood_from_one_visitor_is_refused(counter):
    ua, ip = unique_ua("flood"), fresh_ip()
    pages = counter.paths[:100]
    before = site(counter.port)
    answers = [hit(counter.port, pages[n % len(pages)], ua, xff=ip) for n in range(140)]
    refused = [(s, h, b) for s, h, b in answers if s == 429]
    counted = sum(1 for s, _, b in answers if s == 200 and b["counted"])
    assert refused, "a flood must be refused"
    assert all(b == {"error": "rate_limited", "message": b["message"]} and int(h["Retry-After"]) >= 1
               for _, h, b in refused)
    assert all(s in (200, 429) for s, _, _ in answers)
    assert site(counter.port)["total"] - before["total"] == counted
    assert counted < len(answers)


def test_views_and_site_read_without_counting(counter):
    a, b = counter.paths[13], counter.paths[14]
    before = totals(counter, [a, b])
    status, _, body = request(counter.port, "GET", f"/api/views?path={a}&path={b}", headers={"User-Agent": UA})
    assert status == 200 and set(body["views"]) == {a, b}
    for _ in range(3):
        site(counter.port)
    unchanged(counter, [a, b], before)


def test_many_concurrent_clients_are_counted_exactly(counter):
    """32 clients at once, 1,600 views from distinct visitors: stored == acknowledged == sent."""
    pages = counter.paths[:40]
    before = totals(counter, pages)
    jobs = [(pages[n % len(pages)], f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}") for n in range(1600)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda job: hit(counter.port, job[0], unique_ua("c"), xff=job[1]), jobs))
    assert [s for s, _, _ in answers] == [200] * len(jobs)
    assert all(b["counted"] for _, _, b in answers)
    after = totals(counter, pages)
    assert after[0]["total"] - before[0]["total"] == len(jobs)
    assert after[0]["today"] - before[0]["today"] == len(jobs)
    expected = {p: before[1][p] + sum(1 for page, _ in jobs if page == p) for p in pages}
    assert after[1] == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_during_load_loses_no_acknowledged_view(backend, built, redis_server, tmp_path):
    server = CounterProcess(tmp_path, built, backend, redis_server, "--proxy", "127.0.0.1", "--workers", "2")
    paths = page_paths(built)[:30]
    sent, acknowledged, lock, stop = [0], [0], threading.Lock(), threading.Event()

    def client(number: int):
        n = 0
        while not stop.is_set():
            n += 1
            with lock:
                sent[0] += 1
            try:
                status, _, body = hit(server.port, paths[n % len(paths)], UA, xff=f"10.{number}.{n // 256 % 256}.{n % 256}")
            except (OSError, http.client.HTTPException):
                return                                      # the server is gone
            if status == 200 and body and body.get("counted"):
                with lock:
                    acknowledged[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while acknowledged[0] < 300 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill9()                                          # master and workers, mid-load
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert acknowledged[0] >= 300
    if backend == "sqlite":
        with sqlite3.connect(server.db) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = server.store()
    try:
        stored = store.dump().site_views
    finally:
        store.close()
    assert acknowledged[0] <= stored <= sent[0]
