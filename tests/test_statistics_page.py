"""/thong-ke/, the office's statistics page, of the built sample portal: in the HTML (noindex, not in the
sitemap, the build-time charts' numbers equal to the model's, SVG with title and description, a table of the
same numbers), and in real Chromium with a real counter behind the same origin: the live charts drawn from
GET stats, tables equal to the bars, axe-core without violations; without the counter, one sentence and no
half-drawn chart."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from browser_support import browser, describe_violations, run_axe  # noqa: F401 (browser: the fixture)
from conftest import NOW, ROOT, soup
from counter_support import ThreadServer, build_sample, page_paths, require_chromium, static_app
from site_generator import pipeline
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import PageSet
from site_generator.counter.store import Dump, open_store
from site_generator.text import format_number

LIVE = ("bieu-do-ngay", "bieu-do-thang", "bieu-do-trang", "bieu-do-danh-gia", "bieu-do-xu-huong")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("site") / "public")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    now = dt.datetime.strptime(NOW, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    report = pipeline.build(ROOT, tmp_path_factory.mktemp("model") / "public",
                            pipeline.BuildOptions(cache=False, jobs=1), now)
    assert report.site is not None
    return report.site


def table_of(figure) -> list[list[str]]:
    return [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in figure.select("table tbody tr")]


# ------------------------------------------------------------------ the HTML, at build time
def test_the_page_is_noindex_and_not_in_the_sitemap(built):
    html = soup(built / "thong-ke" / "index.html")
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    assert html.select_one("h1").get_text(strip=True) == "Thống kê cổng thông tin"
    assert "thong-ke" not in (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "/thong-ke/" in page_paths(built)                                # the counter counts it like a page
    live = html.select_one("[data-stats-live]")
    assert live.has_attr("hidden") and live.select("svg, table") == []     # drawn only by the script
    assert html.select_one("script[src$='js/statistics.js']").has_attr("defer")
    assert not html.select("script:not([src]), style, [style]")


def test_inspections_per_year_match_the_model(built, model):
    figure = soup(built / "thong-ke" / "index.html").select_one("figure#bieu-do-kiem-tra")
    expected: dict = {}
    for inspection in model.records.inspections:
        row = expected.setdefault(str(inspection.year), [0, 0, 0])
        row[0] += 1
        row[1] += len([f for f in inspection.findings if f.state == "remedied"])
        row[2] += len([f for f in inspection.findings if f.state == "overdue"])
    assert len(expected) >= 2 and sum(r[2] for r in expected.values()) >= 1     # the sample has overdue findings
    assert table_of(figure) == [[year, *map(format_number, row)] for year, row in sorted(expected.items())]
    assert [th.get_text(strip=True) for th in figure.select("thead th")] == \
        ["Năm", "Cuộc kiểm tra", "Đã khắc phục", "Quá hạn khắc phục"]
    bars = [int(r["data-value"]) for r in figure.select("svg rect")]
    assert bars == [v for _, row in sorted(expected.items()) for v in row]    # the chart holds the table's numbers
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and svg.select_one("title").get_text() == "Cuộc kiểm tra theo năm"
    assert svg["aria-labelledby"] == f"{svg.title['id']} {svg.desc['id']}" and svg.desc.get_text(strip=True)
    assert all(float(r["height"]) >= 0 and float(r["y"]) + float(r["height"]) == pytest.approx(224, abs=0.2)
               for r in figure.select("svg rect"))                          # every bar stands on the axis


def test_documents_per_type_and_year_match_the_model(built, model):
    figure = soup(built / "thong-ke" / "index.html").select_one("figure#bieu-do-van-ban")
    counts: dict = {}
    for registry in model.registries.values():
        for filed in registry.documents:
            counts[(filed.signed.year, filed.type)] = counts.get((filed.signed.year, filed.type), 0) + 1
    types = [th.get_text(strip=True) for th in figure.select("thead th")][1:]
    assert sorted(types) == sorted({t for _, t in counts}) and len(types) >= 3
    rows = table_of(figure)
    assert [r[0] for r in rows] == [str(y) for y in sorted({y for y, _ in counts})]
    for row in rows:
        assert row[1:] == [format_number(counts.get((int(row[0]), t), 0)) for t in types]
    assert sum(int(r["data-value"]) for r in figure.select("svg rect")) == sum(counts.values())
    assert [li.get_text(strip=True) for li in figure.select(".chart-legend li")] == types


# ------------------------------------------------------------------ in Chromium, with a real counter
def history(paths: list[str]) -> Dump:
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    d = lambda n: (today - dt.timedelta(days=n)).isoformat()                # noqa: E731
    a, b = paths[3], paths[4]
    return Dump(site_views=1279, site_baseline=1_278_641, pages={a: (1200, 0), b: (79, 0)},
                site_days={d(0): 12, d(3): 1234, d(40): 33},
                page_days={(d(0), a): 12, (d(3), a): 1188, (d(3), b): 46, (d(40), b): 33},
                rating_days={(d(0), a, 5): 3, (d(0), a, 4): 1, (d(3), b, 2): 2})


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    db = tmp_path_factory.mktemp("counter") / "c.sqlite3"
    store = open_store(db=db)
    store.restore(history(page_paths(built)))
    store.close()
    counter = make_app(Settings(pages=PageSet(built), open_store=lambda: open_store(db=db)))
    server = ThreadServer(static_app(built, counter))
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


def read_chart(page, figure_id: str) -> dict:
    return page.evaluate("""id => { const f = document.getElementById(id);
      return {bars: Array.from(f.querySelectorAll('svg rect')).map(r => r.getAttribute('data-value')),
              rows: Array.from(f.querySelectorAll('tbody tr')).map(tr =>
                      Array.from(tr.children).map(c => c.textContent)),
              title: (f.querySelector('svg > title') || {}).textContent,
              desc: (f.querySelector('svg > desc') || {}).textContent,
              labelled: (f.querySelector('svg') || {getAttribute: () => null}).getAttribute('aria-labelledby')}; }""",
                         figure_id)


def test_live_charts_from_the_counter_with_tables_equal_to_bars_and_no_axe_violation(built, browser, served):
    page = browser.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(served + "/thong-ke/")
    expect(page.locator("[data-stats-live]")).to_be_visible()
    expect(page.locator("[data-stats-status]")).to_contain_text("Số liệu của bộ đếm lượt xem đến ngày")
    paths = page_paths(built)
    charts = {figure: read_chart(page, figure) for figure in LIVE}
    for figure, chart in charts.items():
        assert chart["title"] and chart["desc"] and chart["labelled"] == f"{figure}-t {figure}-d", figure
    days = charts["bieu-do-ngay"]
    assert len(days["bars"]) == len(days["rows"]) == 30
    assert [int(b) for b in days["bars"]] == [int(r[1].replace(".", "")) for r in days["rows"]]
    assert days["bars"][-1] == "12" and days["bars"][-4] == "1234" and days["rows"][-4][1] == "1.234"
    assert sum(int(b) for b in days["bars"]) == 1246
    months = charts["bieu-do-thang"]
    assert len(months["bars"]) == 12 and [int(b) for b in months["bars"]] == \
        [int(r[1].replace(".", "")) for r in months["rows"]]
    assert sum(int(b) for b in months["bars"]) == 1279                       # 12 + 1.234 + 33 (40 days ago)
    top = charts["bieu-do-trang"]
    assert top["rows"] == [[paths[3], "1.200"], [paths[4], "79"]] and top["bars"] == ["1200", "79"]
    rated = charts["bieu-do-danh-gia"]
    assert rated["rows"] == [[paths[3], "4", "4,75", "0", "0", "0", "1", "3"],
                             [paths[4], "2", "2,00", "0", "2", "0", "0", "0"]]
    assert rated["bars"] == ["4", "2"]
    trend = charts["bieu-do-xu-huong"]
    assert len(trend["rows"]) == 12
    for bar, row in zip(trend["bars"], trend["rows"]):
        assert (bar == "") == (row[2] == "chưa có") and (bar == "" or float(bar) == float(row[2].replace(",", ".")))
    assert sum(int(r[1]) for r in trend["rows"]) == 6
    # the build-time charts are there too, and the page's own text has no dash placeholder
    assert page.locator("figure#bieu-do-kiem-tra svg rect").count() > 0
    assert "–" not in page.locator("[data-stats-live]").inner_text()
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    page.set_viewport_size({"width": 360, "height": 740})
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    assert problems == []
    page.close()


def garbage(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"today": "2026-01-01", "days": [{"day": "x", "views": -1}]}']


@pytest.mark.parametrize("endpoint", ["absent", "garbage"])
def test_without_the_counter_one_sentence_and_no_live_chart(built, browser, endpoint):
    server = ThreadServer(static_app(built, {"absent": None, "garbage": garbage}[endpoint]))
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/thong-ke/")
        expect(page.locator("[data-stats-status]")).to_contain_text("Bộ đếm lượt xem không trả lời")
        assert page.locator("[data-stats-live]").is_hidden()
        assert page.locator("[data-stats-live] svg, [data-stats-live] table").count() == 0
        assert page.locator("figure#bieu-do-van-ban svg rect").count() > 0     # the open data needs no counter
        violations = run_axe(page)
        assert violations == [], describe_violations(violations)
        page.close()
    finally:
        server.stop()
