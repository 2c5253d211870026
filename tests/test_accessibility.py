"""WCAG 2.1 A/AA in the system's Chromium: axe-core injected into every page type served by nginx,
plus the checks axe leaves to people: one h1, a skip link that works, visible keyboard focus."""
from __future__ import annotations

import pytest

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]           # shared fixtures: one build and one nginx per run

from browser_support import describe_violations, run_axe  # noqa: E402

PAGES = {
    "home": "",
    "section list": "tin-tuc/",
    "section page 2": "tin-tuc/trang/2/",
    "post": "tin-tuc/kiem-tra-cchc-2021/",
    "post with tables": "ket-qua/ket-qua-kiem-tra-lien-nganh-ve-an-toan-thuc-pham-trong-thang-hanh-dong-nam-2023/",
    "plain page": "trang/gioi-thieu/",
    "pages index": "trang/",
    "tag index": "the/",
    "tag": "the/cchc/",
    "archive index": "luu-tru/",
    "year archive": "luu-tru/2021/",
    "search": "tim-kiem/",
    "404": "khong-co-trang-nay/",
    "inspections index": "kiem-tra/",
    "inspection": "kiem-tra/cchc-2021/",
    "inspections by unit": "kiem-tra/don-vi/tan-thang/",
    "inspections by year": "kiem-tra/nam/2021/",
    "units index": "don-vi/",
    "unit": "don-vi/tan-thang/",
    "catalogue": "danh-muc-thong-tin/",
    "open data": "du-lieu/",
    "documents registry": "van-ban/",
    "document": "van-ban/1520-qd-ubnd-2025/",
    "schedule": "lich-cong-tac/",
    "schedule week": "lich-cong-tac/2025-w24/",
    "leaders": "lanh-dao/",
    "site map": "so-do-cong/",
}
# Best-practice rules behind the "landmarks, one h1, heading order, skip link".
STRUCTURE = ["landmark-one-main", "page-has-heading-one", "heading-order", "region", "skip-link", "bypass",
             "landmark-unique", "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo",
             "empty-heading", "image-redundant-alt"]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_wcag21_aa(portal, page_at, path, width):
    page = page_at(width)
    response = page.goto(portal.url(path))
    assert response.status == (404 if path.startswith("khong-co") else 200)
    page.wait_for_load_state("networkidle")
    violations = run_axe(page)
    assert not violations, f"{path} at {width} px:\n{describe_violations(violations)}"
    button = page.locator("nav.menu .menu-button")
    if button.is_visible():                      # small screens: the menu opened is checked too
        button.click()
        violations = run_axe(page)
        assert not violations, f"{path} at {width} px, menu open:\n{describe_violations(violations)}"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_structure(portal, page_at, path):
    page = page_at(1280)
    page.goto(portal.url(path))
    violations = run_axe(page, rules=STRUCTURE)
    assert not violations, f"{path}:\n{describe_violations(violations)}"
    assert page.locator("h1").count() == 1, f"{path}: {page.locator('h1').count()} h1 elements"
    assert page.locator("main").count() == 1


def test_search_results_are_accessible(portal, page_at):
    page = page_at(1280)
    page.goto(portal.url("tim-kiem/"))
    page.get_by_label("Từ khóa tìm kiếm").fill("cai cach hanh chinh")
    page.get_by_label("Từ khóa tìm kiếm").press("Enter")
    page.locator("#ket-qua-tim-kiem li").first.wait_for(timeout=15_000)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    status = page.locator("[role=status], [aria-live]")
    assert status.count() and status.first.inner_text().strip(), "the result count is not announced"


FOCUS_JS = """() => {
  const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
  return {tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none',
          visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth};
}"""


@pytest.mark.parametrize("path", ["", "tin-tuc/kiem-tra-cchc-2021/"])
def test_skip_link_is_first_visible_on_focus_and_works(portal, page_at, path):
    page = page_at(1280)
    page.goto(portal.url(path))
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_JS)
    assert focus["tag"] == "A" and focus["href"] == "#noi-dung", focus
    assert focus["visible"], f"the skip link stays hidden when focused: {focus}"
    assert focus["outline"] or focus["shadow"], f"no visible focus indicator: {focus}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    page.keyboard.press("Tab")                       # the next stop is inside the main content
    assert page.evaluate("!!document.activeElement.closest('main')"), page.evaluate(FOCUS_JS)


def test_every_link_and_control_shows_focus(portal, page_at):
    """Tab through the home page and a post: each focused element draws an outline or a shadow."""
    page = page_at(1280)
    missing = []
    for path in ("", "tin-tuc/kiem-tra-cchc-2021/", "tim-kiem/"):
        page.goto(portal.url(path))
        for _ in range(60):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_JS)
            if focus["tag"] == "BODY":
                break
            if not (focus["outline"] or focus["shadow"]):
                missing.append(f"{path}: {focus['tag']} {focus['text'][:40]!r}")
    assert not missing, "no focus indicator:\n" + "\n".join(missing)


def test_no_moving_or_blinking_content(portal, page_at):
    page = page_at(1280)
    for path in ("", "tin-tuc/kiem-tra-cchc-2021/"):
        page.goto(portal.url(path))
        assert page.locator("marquee, blink").count() == 0
        running = page.evaluate("""() => document.getAnimations()
            .filter(a => a.effect && a.effect.getTiming().iterations === Infinity).length""")
        assert running == 0, f"{path}: {running} endless animations"
