"""The sample portal in real Chromium (Debian's /usr/bin/chromium, driven by Playwright):
live numbers with the endpoint; with it absent, stopped, slow, failing or answering garbage, and with
JavaScript off: no error, no shift, and the view count and the statistics box not shown at all (no dashes)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_support import browser  # noqa: F401 (the fixture)
from counter_support import ThreadServer, build_sample, page_paths, require_chromium, static_app
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import PageSet
from site_generator.counter.store import open_store

REAL_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
WATCHED = "[data-views], .stats, .stats dd, .post-meta, .prose, .site-footer, h1"
SHIFTS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 100);
})"""
BOXES = f"""() => Array.from(document.querySelectorAll({WATCHED!r})).map(e => {{
  const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }})"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    require_chromium()
    return build_sample(tmp_path_factory.mktemp("site") / "public")


@pytest.fixture(scope="module")
def post_path(built):
    return next(p for p in page_paths(built) if p.startswith("/tin-tuc/") and p.count("/") == 3
                and "/trang/" not in p)


def watch(page) -> list:
    problems = []
    page.on("pageerror", lambda error: problems.append(("pageerror", str(error), "")))
    page.on("console", lambda m: problems.append((m.type, m.text, m.location.get("url", "")))
            if m.type in ("error", "warning") else None)
    return problems


def texts(page) -> dict:
    return page.evaluate("""() => ({
      views: (document.querySelector('[data-views]') || {}).textContent,
      stats: Object.fromEntries(Array.from(document.querySelectorAll('[data-stat]'))
                                 .map(e => [e.dataset.stat, e.textContent]))})""")


VISIBLE = """() => Array.from(document.querySelectorAll('[data-views-box], section.stats'))
  .filter(e => e.getClientRects().length > 0).map(e => e.className)"""


def nothing_shown(page) -> None:
    """Neither the view count nor the box is on screen, none is half-filled, and no dash is anywhere."""
    assert page.evaluate(VISIBLE) == []
    assert page.locator("[data-views-box]").evaluate_all("els => els.every(e => e.hidden)")
    assert page.locator("section.stats").evaluate("e => e.hidden")
    assert "–" not in page.locator("body").inner_text()


class Switch:
    """The counter behind the static server, changed while it runs (a counter stopped, as nginx then says 502)."""

    def __init__(self, counter):
        self.counter = counter
        self.stop_maintenance = getattr(counter, "stop_maintenance", None)

    def __call__(self, environ, start_response):
        if self.counter is None:
            start_response("502 Bad Gateway", [("Content-Type", "text/html")])
            return [b"<html><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"]
        return self.counter(environ, start_response)


def shown(opener, url: str, filled: str) -> dict:
    """Open ``url`` in a new page of ``opener`` (browser or context), wait until ``filled`` has a number,
    check nothing moved and nothing was logged, and return the numbers shown."""
    page = opener.new_page()
    problems = watch(page)
    page.goto(url)
    # (expect(), not wait_for_function: the pages' Content-Security-Policy forbids the eval it uses)
    expect(page.locator(filled).first).to_be_visible()
    expect(page.locator(filled).first).to_have_text(re.compile(r"^[0-9]{1,3}(\.[0-9]{3})*$"))
    expect(page.locator("section.stats")).to_be_visible()
    numbers = texts(page)
    assert page.evaluate(SHIFTS) == 0
    assert problems == []
    page.close()
    return numbers


def test_live_numbers_with_the_endpoint(built, browser, post_path, tmp_path):
    store = open_store(db=tmp_path / "c.sqlite3")
    store.set_baseline({post_path: 1234}, 1279920)
    store.close()
    def fresh_store():
        opened = open_store(db=tmp_path / "c.sqlite3")
        opened.online_cache = 0                             # "online" is otherwise cached for 10 s
        return opened

    switch = Switch(make_app(Settings(pages=PageSet(built), open_store=fresh_store)))
    server = ThreadServer(static_app(built, switch))
    try:
        url = f"http://127.0.0.1:{server.port}{post_path}"
        # Playwright's Chromium is headless and automated: shown the numbers, not counted.
        assert shown(browser, url, "[data-stat=total]") == {
            "views": "1.234", "stats": {"online": "0", "today": "0", "week": "0", "month": "0", "total": "1.279.920"}}
        # A reader's browser (normal User-Agent, not automated) is counted once.
        context = browser.new_context(user_agent=REAL_UA)
        context.add_init_script("Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false})")
        for _ in range(2):                                  # a reload does not count twice
            assert shown(context, url, "[data-views]") == {
                "views": "1.235", "stats": {"online": "1", "today": "1", "week": "1", "month": "1", "total": "1.279.921"}}
        page = context.new_page()                           # the home page: the box only, and it counts too
        page.goto(f"http://127.0.0.1:{server.port}/")
        expect(page.locator("[data-stat=total]")).to_have_text("1.279.922")
        assert page.locator("[data-views]").count() == 0
        # The counter stopped (nginx answers 502): the next page shows neither the count nor the box.
        switch.counter = None
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")             # its request answered (or aborted by the script)
        nothing_shown(page)
        context.close()
    finally:
        switch.counter = None
        server.stop()


def slow(seconds):
    def app(environ, start_response):
        time.sleep(seconds)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"path": "/", "views": 5, "site": {"online": 1, "today": 1, "week": 1, "month": 1, "total": 1}}']
    return app


def failing(environ, start_response):
    start_response("500 Internal Server Error", [("Content-Type", "text/html")])
    return [b"<h1>Internal Server Error</h1>"]


def garbage(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"views": "<b>x</b>", "site": {"total": -1}'] 


def half(environ, start_response):
    """Valid JSON, but not all the numbers: a view count as text, one figure of the box missing, one negative."""
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"path": "/", "views": "12", "site": {"online": 1, "today": 2, "week": 3, "month": -4}}']


def stopped(environ, start_response):
    start_response("502 Bad Gateway", [("Content-Type", "text/html")])
    return [b"<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"]


@pytest.mark.parametrize("endpoint", ["absent", "stopped", "failing", "garbage", "half", "slow"])
def test_without_a_working_endpoint_pages_show_no_error_and_do_not_move(built, browser, post_path, endpoint):
    counter = {"absent": None, "stopped": stopped, "failing": failing, "garbage": garbage, "half": half,
               "slow": slow(4.5)}[endpoint]
    server = ThreadServer(static_app(built, counter))
    try:
        for path in (post_path, "/"):
            page = browser.new_page()
            problems = watch(page)
            page.goto(f"http://127.0.0.1:{server.port}{path}", wait_until="domcontentloaded")
            before = page.evaluate(BOXES)
            page.wait_for_load_state("networkidle")         # the script's requests answered, or aborted at its
                                                            # timeout: 500 ms without a request
            after = page.evaluate(BOXES)
            assert before == after
            assert page.evaluate(SHIFTS) == 0
            shown = texts(page)
            assert set(shown["stats"].values()) == {""} and len(shown["stats"]) == 5
            assert shown["views"] == ("" if path == post_path else None)
            nothing_shown(page)
            # The page's own script logs nothing and throws nothing. Chromium itself reports a refused
            # request ("Failed to load resource: ... 404/500") in its console; that line is the browser's
            # network log, cannot be silenced by a page, and must be about the counter's URL only.
            for kind, text, where in problems:
                assert kind == "error" and text.startswith("Failed to load resource") and "/api/" in where, \
                    (kind, text, where)
            page.close()
    finally:
        server.stop()


def test_javascript_off_shows_neither_count_nor_box(built, browser, post_path, tmp_path):
    counter = make_app(Settings(pages=PageSet(built), open_store=lambda: open_store(db=tmp_path / "c.sqlite3")))
    server = ThreadServer(static_app(built, counter))                 # the endpoint works: the script is off
    try:
        context = browser.new_context(java_script_enabled=False)
        for path in (post_path, "/"):
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.port}{path}")
            nothing_shown(page)
            assert page.locator("h1").first.is_visible()
        context.close()
    finally:
        server.stop()
