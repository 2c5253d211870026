"""GET stats (the office's statistics) against a real gunicorn process, with SQLite and with Redis: the windows
of days and months, top pages, ratings per page and per month, exactly; junk refused with a JSON reason and
nothing changed; rate-limited like ``site``. And ``counter export-monthly``: the office's monthly CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from conftest import BUILD, ROOT
from counter_support import built, redis_server  # noqa: F401  (shared fixtures)
from counter_support import CounterProcess, hit, page_paths, reader_ip, request, unique_ua
from site_generator.counter.store import Dump

BACKENDS = ("sqlite", "redis")


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def month_of(day: dt.date, back: int) -> str:
    """The month ``back`` months before ``day``'s, as YYYY-MM."""
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def history(paths: list[str]) -> tuple[Dump, dict]:
    """A store's past (as an export restores it) and what GET stats must answer for it, worked out by hand."""
    t = today()
    d = lambda n: (t - dt.timedelta(days=n)).isoformat()            # noqa: E731
    a, b, c = paths[3], paths[4], paths[5]
    old = f"{month_of(t, 13)}-15"                                   # before the 12 months: in no window
    dump = Dump(
        site_views=1000, site_baseline=500_000,
        pages={a: (700, 1000), b: (250, 0), c: (50, 0)},
        site_days={d(0): 7, d(5): 20, d(29): 30, d(31): 40, f"{month_of(t, 11)}-02": 100, old: 803},
        page_days={(d(0), a): 5, (d(0), b): 2, (d(5), a): 20, (d(29), b): 30, (d(31), c): 40,
                   (f"{month_of(t, 11)}-02", a): 100, (old, a): 575, (old, b): 218, (old, c): 10},
        rating_days={(d(0), a, 5): 3, (d(0), a, 4): 1, (d(5), b, 2): 2, (old, c, 1): 4},
        rating_comments=[(d(0), a, 5, "Rất rõ ràng")])
    days = {d(n): 0 for n in range(30)}
    days.update({d(0): 7, d(5): 20, d(29): 30})
    months = {month_of(t, n): 0 for n in range(12)}
    for day, views in dump.site_days.items():
        if day[:7] in months:
            months[day[:7]] += views
    rating_months = {month_of(t, n): (0, None) for n in range(12)}
    for day, value in ((d(0), None), (d(5), None)):
        rating_months[day[:7]] = (0, None)
    per_month: dict = {}
    for (day, _, value), n in dump.rating_days.items():
        if day[:7] in rating_months:
            per_month.setdefault(day[:7], []).extend([value] * n)
    for month, values in per_month.items():
        rating_months[month] = (len(values), round(sum(values) / len(values), 2))
    expected = {
        "today": t.isoformat(),
        "days": [{"day": day, "views": days[day]} for day in sorted(days)],
        "months": [{"month": m, "views": months[m]} for m in sorted(months)],
        "top": [{"path": a, "views": 1700}, {"path": b, "views": 250}, {"path": c, "views": 50}],
        "ratings": [
            {"path": a, "counts": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 3}, "total": 4, "average": 4.75},
            {"path": c, "counts": {"1": 4, "2": 0, "3": 0, "4": 0, "5": 0}, "total": 4, "average": 1.0},
            {"path": b, "counts": {"1": 0, "2": 2, "3": 0, "4": 0, "5": 0}, "total": 2, "average": 2.0}],
        "rating_months": [{"month": m, "total": rating_months[m][0], "average": rating_months[m][1]}
                          for m in sorted(rating_months)],
    }
    return dump, expected


@pytest.fixture(scope="module", params=BACKENDS)
def counter(request, built, redis_server, tmp_path_factory):
    backend = request.param
    server = CounterProcess(tmp_path_factory.mktemp(f"stats-{backend}"), built, backend, redis_server,
                            "--proxy", "127.0.0.1", "--rate", "2", "--burst", "20")
    server.paths = page_paths(built)
    server.dump, server.expected = history(server.paths)
    store = server.store()
    store.restore(server.dump)
    store.close()
    yield server
    server.stop()


def stats(counter, target="/api/stats", method="GET", address=None):
    return request(counter.port, method, target, headers={"User-Agent": unique_ua("stats"),
                                                         "X-Forwarded-For": address or reader_ip()})


def test_stats_answer_the_windows_exactly(counter):
    status, headers, body = stats(counter)
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json") and headers["Cache-Control"] == "no-store"
    assert body == counter.expected
    assert len(body["days"]) == 30 and len(body["months"]) == 12 and len(body["rating_months"]) == 12
    # nothing about visitors, and no comment
    assert "Rất rõ ràng" not in str(body) and set(body) == {"today", "days", "months", "top", "ratings",
                                                             "rating_months"}


def test_a_view_today_is_in_the_day_the_month_and_the_top(counter):
    page = counter.paths[5]
    before = stats(counter)[2]
    status, _, answer = hit(counter.port, page, unique_ua(), xff=reader_ip())
    assert status == 200 and answer["counted"] is True
    after = stats(counter)[2]
    assert after["days"][-1]["views"] == before["days"][-1]["views"] + 1
    assert after["months"][-1]["views"] == before["months"][-1]["views"] + 1
    assert after["days"][:-1] == before["days"][:-1]
    top = {entry["path"]: entry["views"] for entry in after["top"]}
    assert top[page] == {entry["path"]: entry["views"] for entry in before["top"]}[page] + 1


@pytest.mark.parametrize("target, method, code, status", [
    ("/api/stats?days=400", "GET", "bad_query", 400),
    ("/api/stats?", "GET", None, 200),                       # an empty query is no query
    ("/api/stats?path=/", "GET", "bad_query", 400),
    ("/api/stats", "POST", "method", 405),
    ("/api/stats", "DELETE", "method", 405),
    ("/api/stats/", "GET", "not_found", 404),
    ("/api/statsx", "GET", "not_found", 404),
])
def test_junk_is_refused_with_a_json_reason_and_changes_nothing(counter, target, method, code, status):
    before = counter.store().dump()
    got, headers, body = stats(counter, target, method)
    assert got == status, body
    if code:
        assert body["error"] == code and isinstance(body["message"], str) and body["message"]
    else:
        assert set(body) >= {"days", "months"}
    assert counter.store().dump() == before


def test_stats_are_rate_limited_like_site(counter):
    address = reader_ip()
    answers = [stats(counter, address=address) for _ in range(30)]         # burst 20, 2 per second
    refused = [(s, h, b) for s, h, b in answers if s == 429]
    assert refused, [s for s, _, _ in answers]
    status, headers, body = refused[0]
    assert body["error"] == "rate_limited" and int(headers["Retry-After"]) >= 1
    assert stats(counter)[0] == 200                                        # another address is not held


# ------------------------------------------------------------------ the monthly CSV
def test_export_monthly_csv(counter, tmp_path):
    out = tmp_path / "bao-cao.csv"
    backend = ["--redis", counter.redis.url] if counter.backend == "redis" else ["--db", str(counter.db)]
    import os
    result = subprocess.run([sys.executable, str(BUILD), "counter", "export-monthly", str(out), "--site", str(ROOT),
                             *backend], capture_output=True, text=True, encoding="utf-8", timeout=120,
                            env=dict(os.environ, COUNTER_REDIS_PREFIX=counter.prefix))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stderr and "Đã xuất" in result.stderr
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Tháng", "Trang", "Lượt xem", "Số lượt đánh giá", "Điểm trung bình"]
    dump = counter.store().dump()                          # (the views of the tests above are in it)
    expected_views: dict = {}
    for (day, path), n in dump.page_days.items():
        key = (f"{day[5:7]}/{day[:4]}", path)
        expected_views[key] = expected_views.get(key, 0) + n
    got = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert {k: int(v[0]) for k, v in got.items() if int(v[0])} == expected_views
    t = today()
    a, b, c = counter.paths[3], counter.paths[4], counter.paths[5]
    this_month = f"{t.month:02d}/{t.year}"
    assert got[(this_month, a)][1:] == ["4", "4,75"]                       # 3 × 5 and 1 × 4
    old = month_of(t, 13)
    assert got[(f"{old[5:]}/{old[:4]}", c)] == ["10", "4", "1,00"]
    assert got[(f"{old[5:]}/{old[:4]}", b)] == ["218", "0", ""]            # views, no rating
    months = [(r[0][3:], r[0][:2], r[1]) for r in rows[1:]]
    assert months == sorted(months)                                        # by month, then page
