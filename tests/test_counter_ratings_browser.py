"""The rating form ("Thông tin này có hữu ích không?") of the built sample portal: in the HTML (hidden, under
posts, documents and inspection records, nothing without counter.url) and in real Chromium with the real
endpoint and store behind the same origin: shown only when the endpoint answers, a choice recorded and
said, a second one told it was already counted, keyboard and 360 px, axe-core; hidden without it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import browser, describe_violations, run_axe  # noqa: F401 (browser: the fixture)
from conftest import copy_sample, soup
from counter_support import ThreadServer, build_sample, page_paths, require_chromium, static_app
from site_generator.counter.app import Settings, make_app
from site_generator.counter.paths import PageSet
from site_generator.counter.ratings import LABELS, SCALE
from site_generator.counter.store import open_store

REAL_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
FORM = "form[data-rating]"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("site") / "public")


@pytest.fixture(scope="module")
def pages(built):
    paths = page_paths(built)
    return {
        "post": next(p for p in paths if p.startswith("/tin-tuc/") and p.count("/") == 3 and "/trang/" not in p),
        "document": next(p for p in paths if p.startswith("/van-ban/") and p.count("/") == 3
                         and soup(built / p.strip("/") / "index.html").select_one(".document-fields")),
        "inspection": next(p for p in paths if p.startswith("/kiem-tra/") and p.count("/") == 3
                           and soup(built / p.strip("/") / "index.html").select_one(".record-page")),
    }


def reader(browser, **options):
    """A reader's browser: a normal User-Agent, navigator.webdriver false (Playwright's is automated)."""
    context = browser.new_context(user_agent=REAL_UA, **options)
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false})")
    return context


# ------------------------------------------------------------------ the HTML
def test_the_form_is_under_posts_documents_and_inspections_hidden(built, pages):
    for kind, path in pages.items():
        html = soup(built / path.strip("/") / "index.html")
        forms = html.select(FORM)
        assert len(forms) == 1, kind
        form = forms[0]
        assert form.has_attr("hidden") and form.find_parent("article") is not None, kind
        assert form.select_one("fieldset > legend").get_text(strip=True) == "Thông tin này có hữu ích không?"
        buttons = form.select("fieldset button")
        assert [(b["type"], b["name"], int(b["value"]), b.get_text(strip=True)) for b in buttons] == \
            [("submit", "value", v, LABELS[v]) for v in SCALE]                     # the endpoint's own scale
        textarea = form.select_one("textarea")
        assert form.select_one(f"label[for={textarea['id']}]") is not None and textarea["maxlength"] == "500"
        status = form.select_one("[data-rating-status]")
        assert status["role"] == "status" and status["aria-live"] == "polite" and status.get_text() == ""
        assert not form.select("script, style, [style]") and not form.has_attr("action")
    home = soup(built / "index.html")
    assert home.select(FORM) == []                                                # not on lists and the home page


def test_without_counter_url_there_is_no_form(tmp_path):
    site = copy_sample(tmp_path / "site")
    config = site / "site.yaml"
    config.write_text(re.sub(r"(?m)^counter:\n(  .*\n)+", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    out = build_sample(tmp_path / "out", site=site)
    for page in out.glob("*/*/index.html"):
        assert "data-rating" not in page.read_text(encoding="utf-8")


# ------------------------------------------------------------------ in Chromium
@pytest.fixture
def live(built, tmp_path):
    db = tmp_path / "c.sqlite3"
    counter = make_app(Settings(pages=PageSet(built), open_store=lambda: open_store(db=db)))
    server = ThreadServer(static_app(built, counter))
    server.db = db
    yield server
    server.stop()


def stored(db):
    store = open_store(db=db)
    try:
        return store.dump()
    finally:
        store.close()


def test_a_click_records_a_rating_and_a_second_is_told_it_was_counted(browser, live, pages):
    context = reader(browser)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    path = pages["post"]
    page.goto(f"http://127.0.0.1:{live.port}{path}")
    form = page.locator(FORM)
    expect(form).to_be_visible()
    status = form.locator("[data-rating-status]")
    form.get_by_label("Góp ý thêm").fill("Bài viết rõ ràng, xin đăng thêm\n\ntệp   PDF")
    form.get_by_role("button", name="Hữu ích", exact=True).click()
    expect(status).to_have_text("Cảm ơn bạn. Đánh giá của bạn đã được ghi nhận.")
    expect(form.get_by_label("Góp ý thêm")).to_have_value("")
    dump = stored(live.db)
    assert list(dump.rating_days.values()) == [1] and [k[1:] for k in dump.rating_days] == [(path, 4)]
    assert [c[1:] for c in dump.rating_comments] == [(path, 4, "Bài viết rõ ràng, xin đăng thêm tệp PDF")]
    # the same reader, the same day, another choice: told plainly, nothing more stored
    form.get_by_role("button", name="Rất hữu ích").click()
    expect(status).to_contain_text("Bạn đã đánh giá trang này hôm nay")
    assert stored(live.db) == dump
    # a reload shows the form again (nothing is kept in the browser) and says the same
    page.reload()
    expect(form).to_be_visible()
    form.get_by_role("button", name="Bình thường").click()
    expect(status).to_contain_text("Bạn đã đánh giá trang này hôm nay")
    assert stored(live.db) == dump
    # the page's script logs and throws nothing; Chromium's own network log reports each 409 (a page
    # cannot silence that line): only those are allowed
    assert problems == ["Failed to load resource: the server responded with a status of 409 (Conflict)"] * 2, problems
    context.close()


def test_a_refused_comment_is_said_in_vietnamese(browser, live, pages):
    context = reader(browser)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{live.port}{pages['document']}")
    form = page.locator(FORM)
    expect(form).to_be_visible()
    form.get_by_label("Góp ý thêm").evaluate("(box, text) => { box.removeAttribute('maxlength'); box.value = text; }",
                                              "ý" * 501)
    form.get_by_role("button", name="Bình thường").click()
    expect(form.locator("[data-rating-status]")).to_contain_text("Góp ý dài quá 500 ký tự")
    assert stored(live.db).rating_days == {}
    context.close()


def test_keyboard_360_px_targets_focus_and_axe(browser, live, pages):
    context = reader(browser, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{live.port}{pages['inspection']}")
    form = page.locator(FORM)
    expect(form).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for box in [b.bounding_box() for b in form.locator("button").all()] + [form.locator("textarea").bounding_box()]:
        assert box["height"] >= 44 and box["width"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    # keyboard only: from the comment box, Tab reaches the first level; its focus is visible; Enter sends it
    form.locator("textarea").focus()
    page.keyboard.type("Cần bổ sung kết luận")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return [e.value, s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
    assert focused[0] == "1" and focused[1] == "solid" and focused[2] == "3px" and focused[3] != "none", focused
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                                            # "Không hữu ích"
    expect(form.locator("[data-rating-status]")).to_have_text("Cảm ơn bạn. Đánh giá của bạn đã được ghi nhận.")
    assert [k[2] for k in stored(live.db).rating_days] == [2]
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    context.close()


def failing(environ, start_response):
    start_response("502 Bad Gateway", [("Content-Type", "text/html")])
    return [b"<h1>502 Bad Gateway</h1>"]


def garbage(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"views": 3, "total": "x"}']


@pytest.mark.parametrize("endpoint", ["stopped", "failing", "garbage"])
def test_without_a_working_endpoint_the_form_stays_hidden(browser, built, pages, endpoint):
    server = ThreadServer(static_app(built, {"stopped": None, "failing": failing, "garbage": garbage}[endpoint]))
    try:
        context = reader(browser)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.port}{pages['post']}")
        page.wait_for_load_state("networkidle")       # its requests answered, or aborted at the script's timeout
        assert page.locator(FORM).count() == 1 and not page.locator(FORM).is_visible()
        assert page.locator(FORM).get_attribute("hidden") is not None
        context.close()
        off = browser.new_context(java_script_enabled=False)
        page = off.new_page()
        page.goto(f"http://127.0.0.1:{server.port}{pages['post']}")
        assert not page.locator(FORM).is_visible()
        off.close()
    finally:
        server.stop()
