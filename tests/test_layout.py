"""The default theme's layout in the system's Chromium, on the sample portal served by nginx under /tanduc/:
the menu (one button row on a phone, with or without JavaScript one row that never wraps), the content
and side column using a wide screen, wide tables never squeezed, and print without the page's furniture."""
from __future__ import annotations

import pytest

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]           # shared fixtures: one build and one nginx per run

MENU = "Menu chính"
HOME = ""
POST = "ket-qua/ket-qua-kiem-tra-lien-nganh-ve-an-toan-thuc-pham-trong-thang-hanh-dong-nam-2023/"
DOCUMENT = "van-ban/1520-qd-ubnd-2025/"
INSPECTION = "kiem-tra/cchc-2021/"
REGISTRY = "van-ban/"
WIDE_TABLES = {INSPECTION: "table.findings", POST: "table", REGISTRY: "table.documents"}

ITEM_TOPS = "() => Array.from(document.querySelectorAll('nav.menu li')).map(li => Math.round(li.getBoundingClientRect().top))"
HEADER_HEIGHT = "() => document.querySelector('header.site-header').getBoundingClientRect().height"


def menu_parts(page):
    nav = page.get_by_role("navigation", name=MENU)
    return nav, nav.get_by_role("button", name="Menu"), nav.get_by_role("link", name="Thông báo", exact=True)


def test_at_360px_the_menu_is_one_button_that_opens_and_closes(portal, page_at):
    page = page_at(360, 740)
    page.goto(portal.url(HOME))
    nav, button, link = menu_parts(page)
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not link.is_visible(), "the menu's links show before the button is pressed"
    height = page.evaluate(HEADER_HEIGHT)
    assert height < 120, f"the header takes {height} px at 360 px"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert link.is_visible()
    assert page.evaluate(HEADER_HEIGHT) > height, "the open menu does not take room below the button"
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not link.is_visible()
    # from the keyboard: Tab from the brand link to the button, Enter opens, Escape closes
    page.locator("header a.brand").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "menu-button"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and link.is_visible()
    page.keyboard.press("Tab")                   # into the list, its first link
    assert page.evaluate("document.activeElement.closest('#menu-chinh') !== null")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not link.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-button"
    button.press(" ")
    assert button.get_attribute("aria-expanded") == "true"
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/thong-bao/")


def test_without_javascript_the_menu_is_one_row_that_scrolls(portal, page_at):
    page = page_at(360, 740, javascript=False)
    page.goto(portal.url(HOME))
    nav, button, link = menu_parts(page)
    assert button.count() == 0 or not button.is_visible(), "a button that cannot work without JavaScript"
    tops = page.evaluate(ITEM_TOPS)
    assert len(tops) > 3 and len(set(tops)) == 1, f"the menu wraps: item tops {tops}"
    height = page.evaluate(HEADER_HEIGHT)
    assert height < 120, f"the header takes {height} px at 360 px without JavaScript"
    row = page.evaluate("""() => { const ul = document.querySelector('nav.menu ul');
        return {scroll: ul.scrollWidth, client: ul.clientWidth, overflow: getComputedStyle(ul).overflowX}; }""")
    assert row["scroll"] > row["client"] and row["overflow"] in ("auto", "scroll"), row
    last = nav.get_by_role("link").last
    last.focus()                                  # a keyboard user reaches the last item: the row scrolls to it
    box = last.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 361, box


@pytest.mark.parametrize("path", [HOME, POST, DOCUMENT, "tim-kiem/"])
def test_at_1280px_one_menu_row_and_content_with_side_column_use_the_width(portal, page_at, path):
    page = page_at(1280, 900)
    page.goto(portal.url(path))
    nav, button, link = menu_parts(page)
    assert not button.is_visible()
    tops = page.evaluate(ITEM_TOPS)
    assert len(set(tops)) == 1, f"the menu wraps at 1280 px: item tops {tops}"
    assert link.is_visible()
    boxes = page.evaluate("""() => Object.fromEntries(['main', 'aside.side'].map(s => {
        const r = document.querySelector(s).getBoundingClientRect(); return [s, [r.left, r.right, r.top]]; }))""")
    (main_left, main_right, main_top), (side_left, side_right, side_top) = boxes["main"], boxes["aside.side"]
    assert side_left >= main_right and abs(side_top - main_top) < 1, f"no side column beside the content: {boxes}"
    used = (side_right - main_left) / 1280
    assert used >= 0.85, f"content and side column use {used:.0%} of 1280 px: {boxes}"
    side = page.locator("aside.side")
    assert side.get_by_role("link", name="Sơ đồ cổng").is_visible()


def test_at_360px_one_column_with_the_side_column_after_the_content(portal, page_at):
    page = page_at(360, 740)
    page.goto(portal.url(POST))
    boxes = page.evaluate("""() => ['main', 'aside.side'].map(s => {
        const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.width, r.top, r.bottom]; })""")
    (main_left, main_width, _, main_bottom), (side_left, side_width, side_top, _) = boxes
    assert side_top >= main_bottom and abs(main_left - side_left) < 1 and abs(main_width - side_width) < 1, boxes


# A table's natural width: a copy laid out at max-content, outside any column (CSSOM styles: the CSP allows them).
TABLES_JS = """selector => Array.from(document.querySelectorAll('main ' + selector)).map(table => {
  const wrap = table.parentElement, main = document.querySelector('main');
  const copy = table.cloneNode(true);
  Object.assign(copy.style, {position: 'absolute', left: '0', top: '0', width: 'max-content', minWidth: '0', visibility: 'hidden'});
  main.appendChild(copy);
  const natural = copy.getBoundingClientRect().width;
  copy.remove();
  return {table: table.getBoundingClientRect().width, natural, scroll: table.scrollWidth, wrapClient: wrap.clientWidth,
          wrapScroll: wrap.scrollWidth, overflow: getComputedStyle(wrap).overflowX,
          main: main.clientWidth - parseFloat(getComputedStyle(main).paddingLeft) - parseFloat(getComputedStyle(main).paddingRight),
          region: wrap.getAttribute('role'), label: wrap.getAttribute('aria-label'), tabindex: wrap.getAttribute('tabindex')};
})"""
READABLE = 512          # px (32rem): a wide table is never laid out narrower than this, even on a phone


@pytest.mark.parametrize("width", [360, 768, 1280])
@pytest.mark.parametrize("path", WIDE_TABLES, ids=["findings", "post with tables", "documents registry"])
def test_wide_tables_are_never_squeezed(portal, page_at, path, width):
    """A wide table gets the width it needs, up to the content column (not the text's measure) and never
    under 32rem: it fits its container or scrolls in a focusable, named region."""
    page = page_at(width, 900)
    page.goto(portal.url(path))
    tables = page.evaluate(TABLES_JS, WIDE_TABLES[path])
    assert tables, f"no {WIDE_TABLES[path]} on {path}"
    for found in tables:
        assert found["region"] == "region" and found["label"] and found["tabindex"] == "0", found
        fits = found["scroll"] <= found["wrapClient"] + 1
        scrolls = found["wrapScroll"] > found["wrapClient"] and found["overflow"] in ("auto", "scroll")
        assert fits or scrolls, f"{path} at {width} px: the table is cut off: {found}"
        needed = min(found["natural"], max(found["main"] * 0.9, READABLE))
        assert found["table"] >= needed - 1, f"{path} at {width} px: the table is squeezed: {found}"


def test_print_hides_menu_side_column_footer_links_and_forms(portal, page_at):
    page = page_at(1280, 900)
    for path in (POST, REGISTRY, "tim-kiem/"):
        page.goto(portal.url(path))
        page.emulate_media(media="print")
        shown = page.evaluate("""() => Array.from(document.querySelectorAll(
              'nav.menu, aside.side, .footer-links, form, .menu-button'))
            .filter(e => e.getClientRects().length > 0).map(e => e.tagName + '.' + e.className)""")
        assert shown == [], f"{path}: shown in print: {shown}"
        assert page.locator("main h1").is_visible()
        main = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
        assert main > 0.9 * page.evaluate("document.documentElement.clientWidth") - 1, "print keeps a side column's room"
        page.emulate_media(media="screen")


def test_the_statistics_box_appearing_does_not_push_the_footer(portal, page_at):
    """On a short page at 1280 px the side column keeps the room of the Thống kê truy cập box, which counter.js
    shows only once the counter answers: the footer does not move when it appears (no layout shift)."""
    page = page_at(1280, 900, javascript=False)        # the box stays hidden: the test shows it itself
    page.goto(portal.url("tim-kiem/"))
    moved = page.evaluate("""() => {
        const box = document.querySelector('aside.side section.stats'), footer = document.querySelector('footer');
        const before = footer.getBoundingClientRect().top;
        box.hidden = false;
        box.querySelectorAll('dd').forEach(dd => { dd.textContent = '1.279.920'; });
        return [before, footer.getBoundingClientRect().top, box.getBoundingClientRect().height];
    }""")
    before, after, height = moved
    assert height > 100, moved
    assert abs(after - before) < 1, f"the footer moved by {after - before:.1f} px when the statistics box appeared"
