"""What a citizen does, in the system's Chromium (through Playwright) on the portal served by nginx
under /tanduc/: menu, posts, search without diacritics, small screens, weight, no JavaScript."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]           # shared fixtures: one build and one nginx per run

from browser_support import ARTIFACTS, SUB  # noqa: E402

SEED_TITLE = "Kiểm tra cải cách hành chính trên địa bàn huyện năm 2021"
SEED = "tin-tuc/kiem-tra-cchc-2021/"
MENU = "Menu chính"
SECTIONS = ("Tin tức - Sự kiện", "Thông báo", "Kết quả kiểm tra", "Văn bản", "Lịch công tác", "Giới thiệu")
PLAIN_PAGES = "trang/"               # the "Giới thiệu" pages: undated, so a result shows no date
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
WEIGHT_LIMIT = 40 * 1024
NARROW_PAGES = {                     # must be among the pages checked at 360 px
    "home": "",
    "section list": "tin-tuc/",
    "post with a table": "tin-tuc/ket-qua-tiep-cong-dan-giai-quyet-don-thu-9-thang-dau-nam-2023/",
    "inspection record": "kiem-tra/cchc-2021/",
    "unit": "don-vi/tan-thang/",
}


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def h1(page) -> str:
    return " ".join(page.locator("h1").first.inner_text().split())


# --- 2. the menu, a section, a post ---------------------------------------------------------------

@pytest.mark.parametrize("width", [360, 1280])
def test_home_menu_section_post(portal, page_at, width):
    page = page_at(width)
    response = page.goto(portal.url())
    assert response.status == 200
    menu = page.get_by_role("navigation", name=MENU)
    link = menu.get_by_role("link", name="Thông báo", exact=True)
    button = menu.get_by_role("button", name="Menu")
    if width < 960:                              # small screens: the menu is behind its button (test_layout)
        button.click()
    else:
        assert not button.is_visible()
    assert link.is_visible(), "the menu is not visible"
    link.click()
    page.wait_for_url(f"**{SUB}thong-bao/")
    assert h1(page).startswith("Thông báo")
    first = page.locator("main ul.items .item-title a").first
    title = " ".join(first.inner_text().split())
    with page.expect_navigation():
        first.click()
    assert re.fullmatch(rf"{SUB}thong-bao/[a-z0-9-]+/", path_of(page)), page.url
    assert h1(page) == title
    # back to the home page through the brand link, then a post listed there
    page.locator("header a.brand").click()
    page.wait_for_url(f"**{SUB}")
    first = page.locator("main .item-title a").first
    title = " ".join(first.inner_text().split())
    with page.expect_navigation():
        first.click()
    assert h1(page) == title


# --- 2. search without diacritics -----------------------------------------------------------------

def search(page, portal, query: str):
    page.goto(portal.url("tim-kiem/"))
    box = page.get_by_label("Từ khóa tìm kiếm")
    assert box.get_attribute("id") == "q"
    box.click()
    box.press_sequentially(query, delay=20)
    box.press("Enter")
    items = page.locator("#ket-qua-tim-kiem li")
    items.first.wait_for(state="visible", timeout=15_000)
    return items


def result_rows(items) -> list[dict]:
    rows = []
    for i in range(items.count()):
        item = items.nth(i)
        link = item.locator("a").first
        rows.append({"title": " ".join(link.inner_text().split()), "href": link.get_attribute("href"),
                     "text": " ".join(item.inner_text().split())})
    return rows


def test_search_without_diacritics_reaches_the_post(portal, page_at):
    page = page_at(1280)
    items = search(page, portal, "cai cach hanh chinh")
    rows = result_rows(items)
    assert rows, "no results"
    for row in rows:
        assert row["href"] and row["href"].startswith((SUB, portal.base)), row
        plain_page = re.sub(r"^https?://[^/]+", "", row["href"]).startswith(SUB + PLAIN_PAGES)
        assert plain_page or DATE.search(row["text"]), f"a result without its date: {row}"
        assert any(name in row["text"] for name in SECTIONS), f"a result without its section: {row}"
    assert SEED_TITLE in [row["title"] for row in rows], [row["title"] for row in rows]
    page.locator("#ket-qua-tim-kiem li a", has_text=SEED_TITLE).first.click()
    page.wait_for_url(f"**{SUB}{SEED}")
    assert path_of(page) == SUB + SEED
    assert h1(page) == SEED_TITLE


def test_search_folds_d_stroke(portal, page_at):
    """`dang ky` finds posts with "đăng ký": đ has no Unicode decomposition."""
    holders = set()
    for file in portal.html_files():
        doc = BeautifulSoup(file.read_bytes(), "html.parser")
        article = doc.find("article")
        if article and "đăng ký" in article.get_text(" ").casefold():
            holders.add(portal.page_path(file))
    assert holders, "the sample has no post with “đăng ký”"
    page = page_at(1280)
    rows = result_rows(search(page, portal, "dang ky"))
    found = {re.sub(r"^https?://[^/]+", "", row["href"]) for row in rows}
    assert found & holders, f"no post with “đăng ký” among {sorted(found)}"


# --- 3. nothing overflows at 360 px ---------------------------------------------------------------

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 0.5 && getComputedStyle(el).position !== 'fixed') {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { inScroller = true; break; }
      }
      if (!inScroller) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                                 + ' right=' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


def test_nothing_overflows_at_360px(portal, page_at):
    page = page_at(360, 740)
    paths = [portal.page_path(f) for f in portal.html_files()]
    for name, path in NARROW_PAGES.items():
        assert SUB + path in paths, f"{name} ({path}) was not built"
    overflowing = []
    for path in paths:
        page.goto(portal.origin + path)
        found = page.evaluate(OVERFLOW_JS)
        if found["scroll"] > 360:
            overflowing.append(f"{path}: scrollWidth {found['scroll']}; {found['wide']}")
    assert not overflowing, "pages wider than 360 px:\n" + "\n".join(overflowing)


def test_text_at_200_percent_does_not_overflow(portal, page_at):
    """WCAG 1.4.4: text resized to 200 % (the root font size) still fits without sideways scrolling."""
    page = page_at(1280)
    overflowing = []
    for path in ("", SEED, "tin-tuc/", "kiem-tra/cchc-2021/", "don-vi/tan-thang/", "tim-kiem/"):
        page.goto(portal.url(path))
        page.evaluate("document.documentElement.style.setProperty('font-size', '200%', 'important')")
        found = page.evaluate(OVERFLOW_JS)
        if found["scroll"] > 1280:
            overflowing.append(f"{path}: {found}")
    assert not overflowing, overflowing


# --- 4. screenshots for review --------------------------------------------------------------------

@pytest.mark.parametrize("width,height", [(360, 800), (1280, 900)])
def test_screenshots(portal, page_at, width, height):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = page_at(width, height)
    for name, path in (("home", ""), ("post", SEED)):
        page.goto(portal.url(path))
        page.wait_for_load_state("networkidle")
        target = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(target))
        assert target.stat().st_size > 5_000
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-full.png"), full_page=True)


# --- 7. light pages, no render-blocking script, works without JavaScript ---------------------------

def test_post_weighs_under_40_kb_without_images(portal, page_at):
    page = page_at(1280)
    loaded = []

    def on_response(response):
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script", "font"):
            try:
                size = len(response.body())
            except Exception:                      # a redirect has no body
                size = 0
            loaded.append((kind, response.url, size))

    page.on("response", on_response)
    page.goto(portal.url(SEED))
    page.wait_for_load_state("networkidle")
    total = sum(size for _, _, size in loaded)
    listing = "\n".join(f"  {size:>7} {kind:<10} {url}" for kind, url, size in loaded)
    assert any(kind == "document" for kind, _, _ in loaded)
    assert any(kind == "stylesheet" for kind, _, _ in loaded)
    assert total < WEIGHT_LIMIT, f"{total} bytes (limit {WEIGHT_LIMIT}):\n{listing}"
    assert not [url for kind, url, _ in loaded if kind == "font"], f"web fonts are loaded (use system fonts):\n{listing}"
    blocking = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.renderBlockingStatus === 'blocking' && e.initiatorType === 'script').map(e => e.name)""")
    assert not blocking, f"render-blocking scripts: {blocking}"
    print(f"\npost weight without images: {total} bytes\n{listing}")


def test_without_javascript_pages_and_menu_work(portal, page_at):
    page = page_at(360, 740, javascript=False)
    page.goto(portal.url())
    assert h1(page)
    page.get_by_role("navigation", name=MENU).get_by_role("link", name="Tin tức - Sự kiện").click()
    page.wait_for_url(f"**{SUB}tin-tuc/")
    assert h1(page).startswith("Tin tức - Sự kiện")
    next_page = page.locator("main a[href$='/tin-tuc/trang/2/']").first
    assert next_page.count(), "no link to page 2 of the section"
    first = page.locator("main ul.items .item-title a").first
    title = " ".join(first.inner_text().split())
    with page.expect_navigation():
        first.click()
    assert h1(page) == title
    assert page.locator("article .prose, article").first.inner_text().strip()
    page.goto(portal.url(SEED))
    assert h1(page) == SEED_TITLE
    assert "Ngay từ đầu năm" in page.locator("article").inner_text()


def test_without_javascript_search_says_it_needs_javascript(portal, page_at):
    page = page_at(1280, javascript=False)
    page.goto(portal.url("tim-kiem/"))
    message = page.locator("main").get_by_text(re.compile("JavaScript"))
    assert message.count() >= 1 and message.first.is_visible(), page.locator("main").inner_text()

