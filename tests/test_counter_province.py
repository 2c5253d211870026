"""One counter for a whole province: `python build.py counter serve --province OUT` (real gunicorn on 127.0.0.1)
over three fake communes, with SQLite (one file per commune) and with a real Redis (a prefix per commune).

An Phú has a host of its own; Bình Minh and Cam Ly share one host under sub-paths, as
https://lamdong.gov.vn/hamtan/ would.
"""
from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from conftest import run
from counter_support import redis_server  # noqa: F401  (a shared fixture)
from counter_support import ProvinceProcess, fake_province, reader_ip, request, unique_ua

AN_PHU, BINH_MINH, CAM_LY = "xa-an-phu", "xa-binh-minh", "phuong-cam-ly"
COMMUNES = [
    {"key": AN_PHU, "base_url": "https://anphu.test/", "pages": ["", "tin-tuc/mot/", "chi-an-phu/"]},
    {"key": BINH_MINH, "base_url": "https://lamdong.test/binhminh/", "pages": ["", "tin-tuc/mot/"]},
    {"key": CAM_LY, "base_url": "https://lamdong.test/camly/", "pages": ["", "tin-tuc/mot/", "chi-cam-ly/"]},
]
# how a reader's browser reaches each commune: its Host, and a page's Referer (the shared host needs it)
HOST = {AN_PHU: "anphu.test", BINH_MINH: "lamdong.test", CAM_LY: "lamdong.test"}
BASE = {AN_PHU: "/", BINH_MINH: "/binhminh/", CAM_LY: "/camly/"}


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return fake_province(tmp_path_factory.mktemp("province") / "OUT", COMMUNES)


@pytest.fixture(scope="module", params=("sqlite", "redis"))
def counter(request, province, redis_server, tmp_path_factory):
    server = ProvinceProcess(tmp_path_factory.mktemp(f"province-{request.param}"), province, request.param,
                             redis_server, "--proxy", "127.0.0.1", "--online-cache", "0")
    yield server
    server.stop()


def call(counter, key_or_host: str, method: str, target: str, body=None, ua=None, ip=None, headers=None):
    host = HOST.get(key_or_host, key_or_host)
    h = {"Host": host, "User-Agent": ua or unique_ua(), "X-Forwarded-For": ip or reader_ip()}
    if key_or_host in BASE:
        h["Referer"] = f"https://{host}{BASE[key_or_host]}"
    h.update(headers or {})
    if body is not None:
        h["Content-Type"] = "text/plain;charset=UTF-8"
        body = json.dumps(body)
    return request(counter.port, method, target, body, h)


def hit(counter, key, path, ua=None, ip=None, target="/api/hit", headers=None):
    return call(counter, key, "POST", target, {"path": path}, ua, ip, headers)


def site(counter, key) -> dict:
    status, _, body = call(counter, key, "GET", "/api/site")
    assert status == 200, body
    return body


def views(counter, key, paths) -> dict:
    status, _, body = call(counter, key, "GET", "/api/views?" + urlencode([("path", p) for p in paths]))
    assert status == 200, body
    return body["views"]


def ratings(counter, key, path) -> dict:
    status, _, body = call(counter, key, "GET", "/api/ratings?" + urlencode({"path": path}))
    assert status == 200, body
    return body["counts"]


def page(key: str, rel: str = "tin-tuc/mot/") -> str:
    return BASE[key] + rel


def all_sites(counter) -> dict:
    return {key: site(counter, key) for key in BASE}


def test_a_view_counts_for_its_commune_only(counter):
    before = all_sites(counter)
    same_path = {key: views(counter, key, [page(key)])[page(key)] for key in BASE}
    status, _, body = hit(counter, AN_PHU, "/tin-tuc/mot/")
    assert status == 200 and body["counted"] is True, body
    assert body["views"] == same_path[AN_PHU] + 1
    after = all_sites(counter)
    assert after[AN_PHU]["total"] == before[AN_PHU]["total"] + 1
    assert after[AN_PHU]["today"] == before[AN_PHU]["today"] + 1
    for other in (BINH_MINH, CAM_LY):
        assert after[other]["total"] == before[other]["total"]
        assert views(counter, other, [page(other)])[page(other)] == same_path[other]
    status, _, body = hit(counter, CAM_LY, "/camly/tin-tuc/mot/")
    assert status == 200 and body["counted"] is True, body
    assert site(counter, CAM_LY)["total"] == before[CAM_LY]["total"] + 1
    assert site(counter, BINH_MINH)["total"] == before[BINH_MINH]["total"]
    assert site(counter, AN_PHU)["total"] == after[AN_PHU]["total"]


def test_a_page_of_another_commune_is_refused(counter):
    before = all_sites(counter)
    for key, path in ((AN_PHU, "/chi-cam-ly/"), (AN_PHU, "/camly/chi-cam-ly/"), (CAM_LY, "/camly/chi-an-phu/"),
                      (BINH_MINH, "/binhminh/chi-cam-ly/")):
        status, _, body = hit(counter, key, path)
        assert status == 422 and body["error"] == "unknown_page", (key, path, body)
    assert all_sites(counter) == before


def test_an_unknown_host_is_refused(counter):
    for method, target, body in (("POST", "/api/hit", {"path": "/"}), ("GET", "/api/site", None),
                                 ("GET", "/api/stats", None), ("GET", "/api/health", None),
                                 ("POST", "/api/rating", {"path": "/", "value": 5})):
        status, headers, answer = call(counter, "khac.test", method, target, body)
        assert status == 404 and answer["error"] == "unknown_site", (target, answer)
        assert headers["Content-Type"].startswith("application/json")
    # the shared host, and nothing that says which commune: refused too
    status, _, answer = request(counter.port, "GET", "/api/site", headers={"Host": "lamdong.test",
                                                                         "User-Agent": unique_ua()})
    assert status == 404 and answer["error"] == "unknown_site"


def test_the_host_is_read_as_browsers_and_proxies_send_it(counter):
    reference = site(counter, AN_PHU)["total"]
    for host in ("ANPHU.test", "anphu.test:443", "anphu.test."):
        status, _, body = call(counter, host, "GET", "/api/site")
        assert status == 200 and body["total"] == reference, (host, body)
    status, _, body = call(counter, "anphu.test", "GET", "/api/health")
    assert (status, body) == (200, {"ok": True})


def test_on_a_shared_host_the_page_or_the_path_or_the_referer_names_the_commune(counter):
    b, c = page(BINH_MINH), page(CAM_LY)
    before = {BINH_MINH: views(counter, BINH_MINH, [b])[b], CAM_LY: views(counter, CAM_LY, [c])[c]}
    no_referer = {"Referer": ""}
    # the page path in the body, no Referer
    status, _, body = hit(counter, "lamdong.test", c, headers=no_referer)
    assert status == 200 and body["counted"] is True and body["views"] == before[CAM_LY] + 1, body
    # the request's own path under the commune's base path: /binhminh/api/hit
    status, _, body = hit(counter, "lamdong.test", b, target="/binhminh/api/hit")
    assert status == 200 and body["views"] == before[BINH_MINH] + 1, body
    # views and ratings: the ?path= names the commune
    status, _, body = call(counter, "lamdong.test", "GET", "/api/views?" + urlencode({"path": b}))
    assert status == 200 and body["views"] == {b: before[BINH_MINH] + 1}
    # site and stats: the Referer of the page
    status, _, body = call(counter, "lamdong.test", "GET", "/api/site",
                           headers={"Referer": "https://lamdong.test/camly/tin-tuc/mot/"})
    assert status == 200 and body["total"] == site(counter, CAM_LY)["total"]
    # a page of Cam Ly sent from /binhminh/api/: Bình Minh's app refuses it
    status, _, body = hit(counter, "lamdong.test", c, target="/binhminh/api/hit")
    assert status == 422 and body["error"] == "unknown_page"


def test_a_counter_on_its_own_host_takes_the_commune_from_the_origin(counter):
    before = site(counter, AN_PHU)["total"]
    status, headers, body = hit(counter, "demso.lamdong.test", "/chi-an-phu/",
                                headers={"Origin": "https://anphu.test", "Referer": ""})
    assert status == 200 and body["counted"] is True, body
    assert headers["Access-Control-Allow-Origin"] == "https://anphu.test"
    assert site(counter, AN_PHU)["total"] == before + 1


def visitor_keys(counter, key) -> tuple[set, set]:
    """The day's stored visitor keys and address keys of a commune (what links a reader's views)."""
    store = counter.store(key)
    try:
        if counter.backend == "sqlite":
            rows = sqlite3.connect(store.path).execute("SELECT address, vids FROM seen").fetchall()
            return ({vids[i:i + 32] for _, vids in rows for i in range(0, len(vids), 32)},
                    {address.hex() for address, _ in rows})
        vids, addresses = set(), set()
        for name in store.r.scan_iter(match=store.key("seen:*")):
            vids |= {member.decode().split("|")[0] for member in store.r.smembers(name)}
        for name in store.r.scan_iter(match=store.key("address:*")):
            addresses |= {field.decode().split("|")[0] for field in store.r.hkeys(name)}
        return vids, addresses
    finally:
        store.close()


def test_the_same_reader_counts_once_per_commune_and_cannot_be_followed_across(counter):
    ua, ip = unique_ua("reader"), reader_ip()
    first = hit(counter, AN_PHU, "/chi-an-phu/", ua, ip)[2]
    again = hit(counter, AN_PHU, "/chi-an-phu/", ua, ip)[2]
    elsewhere = hit(counter, BINH_MINH, page(BINH_MINH, ""), ua, ip)[2]
    third = hit(counter, CAM_LY, page(CAM_LY, "chi-cam-ly/"), ua, ip)[2]
    assert (first["counted"], again["counted"], elsewhere["counted"], third["counted"]) == (True, False, True, True)
    assert again["reason"] == "duplicate"
    stored = {key: visitor_keys(counter, key) for key in BASE}
    assert all(vids and addresses for vids, addresses in stored.values())
    for one, other in ((AN_PHU, BINH_MINH), (AN_PHU, CAM_LY), (BINH_MINH, CAM_LY)):
        assert not stored[one][0] & stored[other][0], "the same visitor key in two communes"
        assert not stored[one][1] & stored[other][1], "the same address key in two communes"


def test_ratings_are_per_commune(counter):
    ua, ip = unique_ua("rater"), reader_ip()
    before = {key: ratings(counter, key, page(key)) for key in BASE}
    status, _, body = call(counter, AN_PHU, "POST", "/api/rating", {"path": "/tin-tuc/mot/", "value": 5}, ua, ip)
    assert status == 200 and body["recorded"] is True, body
    status, _, body = call(counter, AN_PHU, "POST", "/api/rating", {"path": "/tin-tuc/mot/", "value": 4}, ua, ip)
    assert status == 409 and body["error"] == "already_rated"
    status, _, body = call(counter, BINH_MINH, "POST", "/api/rating", {"path": page(BINH_MINH), "value": 2}, ua, ip)
    assert status == 200 and body["recorded"] is True, body
    after = {key: ratings(counter, key, page(key)) for key in BASE}
    assert after[AN_PHU] == {**before[AN_PHU], "5": before[AN_PHU]["5"] + 1}
    assert after[BINH_MINH] == {**before[BINH_MINH], "2": before[BINH_MINH]["2"] + 1}
    assert after[CAM_LY] == before[CAM_LY]


def test_statistics_are_per_commune(counter):
    for key in BASE:
        assert hit(counter, key, page(key))[0] == 200
    for key in BASE:
        status, _, body = call(counter, key, "GET", "/api/stats")
        assert status == 200, body
        top = [entry["path"] for entry in body["top"]]
        assert page(key) in top, (key, top)
        if key == AN_PHU:
            assert not any(path.startswith(("/binhminh/", "/camly/")) for path in top), top
        else:
            assert all(path.startswith(BASE[key]) for path in top), top
        assert body["days"][-1]["views"] == site(counter, key)["today"]
        assert all(entry["path"].startswith(BASE[key]) or key == AN_PHU for entry in body["ratings"])


def test_concurrent_hits_are_exact(counter):
    readers = 30
    before = {key: site(counter, key)["total"] for key in BASE}
    page_before = {key: views(counter, key, [page(key, "")])[page(key, "")] for key in BASE}
    jobs = [(key, unique_ua(f"c{n}"), reader_ip()) for n in range(readers) for key in BASE]
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda job: hit(counter, job[0], page(job[0], ""), job[1], job[2]), jobs))
    assert all(status == 200 and body["counted"] is True for status, _, body in answers), answers
    for key in BASE:
        assert site(counter, key)["total"] == before[key] + readers
        assert views(counter, key, [page(key, "")])[page(key, "")] == page_before[key] + readers
        store = counter.store(key)
        try:
            assert store.views([page(key, "")])[page(key, "")] == page_before[key] + readers
        finally:
            store.close()


def test_export_and_baseline_name_one_commune(counter, tmp_path):
    hit(counter, CAM_LY, page(CAM_LY, "chi-cam-ly/"))
    result = counter.command("export", "--site-key", CAM_LY)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "kind,day,path,views,baseline,value,comment"
    paths = {row.split(",")[2] for row in rows[1:] if row.split(",")[2]}
    assert "/camly/chi-cam-ly/" in paths and all(path.startswith("/camly/") for path in paths), paths
    result = counter.command("export")
    assert result.returncode == 2 and "--site-key" in result.stderr and "Traceback" not in result.stderr
    result = counter.command("export", "--site-key", "xa-khong-co")
    assert result.returncode == 2 and "xa-khong-co" in result.stderr and "Traceback" not in result.stderr
    before = all_sites(counter)
    baseline = tmp_path / "so-lieu-cu.csv"
    baseline.write_text("path,views\n*,1000\n/camly/chi-cam-ly/,7\n", encoding="utf-8")
    result = counter.command("import-baseline", str(baseline), "--site-key", CAM_LY)
    assert result.returncode == 0, result.stderr
    after = all_sites(counter)
    assert after[CAM_LY]["total"] == before[CAM_LY]["total"] + 1000
    assert after[AN_PHU]["total"] == before[AN_PHU]["total"] and after[BINH_MINH] == before[BINH_MINH]
    baseline.write_text("path,views\n/chi-an-phu/,7\n", encoding="utf-8")      # An Phú's page, not Cam Ly's
    result = counter.command("import-baseline", str(baseline), "--site-key", CAM_LY)
    assert result.returncode == 1 and "/chi-an-phu/" in result.stderr


def test_the_communes_keep_their_own_files(counter):
    if counter.backend != "sqlite":
        store = counter.store(AN_PHU)
        try:
            names = {name.decode() for name in store.r.scan_iter(match=f"{counter.prefix}*")}
        finally:
            store.close()
        assert names and all(name.split(":")[1] in BASE for name in names), sorted(names)[:5]
        return
    assert sorted(p.name for p in counter.db.glob("*.sqlite3")) == sorted(f"{key}.sqlite3" for key in BASE)


BAD = [
    ("not json", "{", "JSON"),
    ("version", {"version": 2, "sites": []}, "version"),
    ("no sites", {"version": 1, "sites": []}, "sites"),
    ("bad key", {"version": 1, "sites": [{"key": "Xã A", "base_url": "https://a.test/", "pages": "a"}]}, "key"),
    ("reserved key", {"version": 1, "sites": [{"key": "page", "base_url": "https://a.test/", "pages": "a"}]}, "key"),
    ("base_url", {"version": 1, "sites": [{"key": "a", "base_url": "ftp://a.test/", "pages": "a"}]}, "base_url"),
    ("outside", {"version": 1, "sites": [{"key": "a", "base_url": "https://a.test/", "pages": "../a"}]}, "pages"),
    ("no pages", {"version": 1, "sites": [{"key": "b", "base_url": "https://a.test/", "pages": "b"}]}, "index.html"),
    ("twice", {"version": 1, "sites": [{"key": "a", "base_url": "https://a.test/", "pages": "a"},
                                       {"key": "a", "base_url": "https://b.test/", "pages": "a"}]}, "trùng"),
    ("same url", {"version": 1, "sites": [{"key": "a", "base_url": "https://a.test/", "pages": "a"},
                                          {"key": "c", "base_url": "https://A.test/", "pages": "a"}]}, "trùng"),
    ("zone", {"version": 1, "sites": [{"key": "a", "base_url": "https://a.test/", "pages": "a",
                                       "timezone": "Mars/Olympus"}]}, "Mars/Olympus"),
]


@pytest.mark.parametrize("name,content,said", BAD, ids=[b[0] for b in BAD])
def test_a_bad_sites_json_stops_the_start_with_one_line(tmp_path, name, content, said):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "sites.json").write_text(content if isinstance(content, str) else json.dumps(content),
                                         encoding="utf-8")
    result = run("counter", "serve", "--province", str(tmp_path), "--db", str(tmp_path / "db"), "--server", "dev",
                 "--salt-file", str(tmp_path / "k.key"))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("counter: ") and said in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_garbage_in_host_origin_or_referer_is_refused_in_json(counter):
    cases = [("a" * 400, {}), ("[::", {}), ("xn--", {}), ("..", {}), ("khac.test", {"Origin": "http://["}),
             ("khac.test", {"Referer": "http://[::1"}), ("lamdong.test", {"Referer": "http://["}),
             ("lamdong.test", {"Referer": "https://lamdong.test/%ff/"})]
    for host, headers in cases:
        status, _, body = request(counter.port, "GET", "/api/site",
                                  headers={"Host": host, "User-Agent": unique_ua(), **headers})
        assert status == 404 and body["error"] == "unknown_site", (host, headers, body)
    # a known commune, a POST without Origin and with a Referer that is no URL
    status, _, body = hit(counter, AN_PHU, "/", headers={"Referer": "http://["})
    assert status == 403 and body["error"] == "origin", body
