"""Search as a citizen uses it, in Chromium: results while typing, snippets with the words marked,
place names with apostrophes, document numbers, filters, a query in the address."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_support import SUB, build_under_sub_path, start_nginx
from conftest import free_port
from site_generator.text import search_words
from test_search import decode

pytest_plugins = ["browser_support"]

PLACE_POST = """---
title: "Giao lưu văn hóa cồng chiêng với đồng bào xã Nâm N'Jang (cũ)"
date: 2026-05-12 09:00
summary: "Đoàn nghệ nhân của xã đến thăm và biểu diễn cùng đồng bào M'Nông."
---
Sáng 12/5, đoàn nghệ nhân cồng chiêng của xã đã đến giao lưu với đồng bào xã Nâm N'Jang cũ (nay thuộc xã
Trường Xuân, tỉnh Lâm Đồng, theo sắp xếp đơn vị hành chính năm 2025). Các nghệ nhân
M'Nông và Ê-đê đã trình diễn nhiều bài chiêng cổ truyền.
"""


@dataclass
class Served:
    base: str             # http://127.0.0.1:PORT/tanduc/
    public: Path          # the folder nginx serves there


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    """The sample portal, with a post naming a Central Highlands commune (Nâm N'Jang, Đắk Song, merged into
    Trường Xuân in 2025), served by nginx."""
    root = tmp_path_factory.mktemp("search-portal")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    public = build_under_sub_path(root, origin, extra={"content/tin-tuc/2026-05-12-giao-luu-cong-chieng.md": PLACE_POST})
    server = start_nginx(root / "nginx", public, port)
    yield Served(origin + SUB, public)
    server.stop()


def typed(page, base: str, text: str, enter: bool = False):
    """Open the search page and type TEXT as a reader does, without pressing Enter; the result items."""
    page.goto(base + "tim-kiem/")
    box = page.get_by_label("Từ khóa tìm kiếm")
    box.click()
    box.press_sequentially(text, delay=30)
    if enter:
        box.press("Enter")
    items = page.locator("#ket-qua-tim-kiem li")
    items.first.wait_for(state="visible", timeout=15_000)
    return items


def titles(items) -> list[str]:
    return [" ".join(items.nth(i).locator("h2 a").inner_text().split()) for i in range(items.count())]


def test_results_come_while_the_last_word_is_half_typed(searchable, page_at):
    page = page_at(1280)
    items = typed(page, searchable.base, "ke hoach cai cach hanh chinh nha nu")      # "nu" of "nước", still typing
    assert "Kế hoạch cải cách hành chính nhà nước năm 2021 trên địa bàn huyện Hàm Tân" in titles(items)
    assert "Không tìm thấy" not in page.locator("#trang-thai-tim-kiem").inner_text()
    assert parse_qs(urlsplit(page.url).query)["q"] == ["ke hoach cai cach hanh chinh nha nu"]   # shareable


def test_snippets_mark_the_words_with_and_without_diacritics(searchable, page_at):
    page = page_at(1280)
    items = typed(page, searchable.base, "thu tuc hanh chinh")
    first = items.first
    marks = [m.lower() for m in first.locator("mark").all_inner_texts()]
    assert marks, "no word is marked in the first result"
    assert set(marks) <= {"thủ", "tục", "hành", "chính", "thu", "tuc", "hanh", "chinh"}, marks
    snippet = first.locator(".item-snippet")
    assert snippet.count() == 1 and "thủ tục hành chính" in snippet.inner_text().lower()


@pytest.mark.parametrize("query", ["nam njang", "Nâm N'Jang", "nam n'jang", "mnong"])
def test_place_names_with_apostrophes_are_found_as_readers_type_them(searchable, page_at, query):
    page = page_at(1280)
    items = typed(page, searchable.base, query, enter=True)
    assert titles(items)[0] == "Giao lưu văn hóa cồng chiêng với đồng bào xã Nâm N'Jang (cũ)", titles(items)
    marked = " ".join(items.first.locator("mark").all_inner_texts())
    assert re.search(r"N'Jang|M'Nông|Nâm", marked), marked


def test_a_document_number_is_found_exactly_and_first(searchable, page_at):
    page = page_at(1280)
    items = typed(page, searchable.base, "18/KH-UBND", enter=True)
    assert titles(items)[0] == "Kế hoạch cải cách hành chính nhà nước năm 2021 trên địa bàn huyện Hàm Tân"
    assert "18/KH-UBND" in items.first.locator(".item-meta").inner_text()


def test_filters_narrow_results_and_travel_in_the_address(searchable, page_at):
    page = page_at(1280)
    items = typed(page, searchable.base, "cai cach", enter=True)
    everything = items.count()
    kinds = page.get_by_label("Loại")
    assert kinds.is_visible()
    kinds.select_option("Văn bản")
    page.wait_for_function("() => new URL(location.href).searchParams.get('loai') === 'Văn bản'")
    page.wait_for_function("""() => [...document.querySelectorAll('#ket-qua-tim-kiem li .item-meta')]
        .every(e => e.textContent.includes('Văn bản'))""")
    metas = page.locator("#ket-qua-tim-kiem li .item-meta").all_inner_texts()
    assert metas and all("Văn bản" in m for m in metas)
    assert len(metas) <= everything
    shared = page.url                                # the same results from the address alone
    other = page_at(360)
    other.goto(shared)
    other.locator("#ket-qua-tim-kiem li").first.wait_for(timeout=15_000)
    assert other.get_by_label("Loại").input_value() == "Văn bản"
    assert other.get_by_label("Từ khóa tìm kiếm").input_value() == "cai cach"
    assert all("Văn bản" in m for m in other.locator("#ket-qua-tim-kiem li .item-meta").all_inner_texts())


def test_nothing_found_says_what_to_try(searchable, page_at):
    page = page_at(1280)
    page.goto(searchable.base + "tim-kiem/?q=xyzzyq+khongco")
    status = page.locator("#trang-thai-tim-kiem")
    status.filter(has_text="Không tìm thấy").wait_for(timeout=15_000)
    assert "không dấu" in status.inner_text()



def only_in_a_file(public: Path) -> tuple[str, int]:
    """A word the index holds for one attachment alone: (word, the page of the file where it first is)."""
    folder = public / "tim-kiem" / "du-lieu"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    file_kind = meta["kinds"].index("Tệp đính kèm")
    holders = {}
    for shard in sorted(folder.glob("s*.json")):
        for word, (in_title, elsewhere) in json.loads(shard.read_text(encoding="utf-8")).items():
            entries = decode(in_title) + decode(elsewhere)
            if len(entries) == 1 and word.isalpha() and len(word) >= 6 \
                    and ord(meta["kind"][entries[0]]) - 48 == file_kind:
                holders[word] = entries[0]
    assert holders, "no word of the sample is in one attachment alone"
    word = sorted(holders)[0]
    pages = json.loads((folder / "x" / f"{holders[word]}.json").read_text(encoding="utf-8"))
    return word, next(n for n, text in enumerate(pages, 1) if word in search_words(text))


def test_a_word_inside_an_attached_pdf_leads_to_its_post_naming_the_file_and_page(searchable, page_at):
    word, number = only_in_a_file(searchable.public)
    page = page_at(1280)
    first = typed(page, searchable.base, word, enter=True).first
    where = first.locator(".item-file")
    assert where.count() == 1, first.inner_text()
    assert f"trang {number}" in where.inner_text()
    href = where.locator("a").get_attribute("href")
    assert href.split("#")[0].endswith(".pdf") and (f"#page={number}" in href) == (number > 1)
    assert "/files/" not in first.locator("h2 a").get_attribute("href")          # the title leads to the post
    assert first.locator(".item-snippet mark").count() >= 1


def test_results_follow_the_typing_and_more_are_shown_on_demand(searchable, page_at):
    page = page_at(1280)
    items = typed(page, searchable.base, "kiem tra")
    status = page.locator("#trang-thai-tim-kiem")
    wide = int(re.search(r"Tìm thấy ([\d.]+) kết quả", status.inner_text()).group(1).replace(".", ""))
    assert wide > 10 and items.count() == 10                   # ten at first, the count of all said
    page.get_by_role("button", name="Xem thêm kết quả").click()
    page.wait_for_function("() => document.querySelectorAll('#ket-qua-tim-kiem li').length > 10")
    assert items.count() == min(20, wide)
    box = page.get_by_label("Từ khóa tìm kiếm")
    box.press("End")
    box.press_sequentially(" phong chay", delay=30)          # no Enter: the results narrow as one types
    page.wait_for_function("""() => /cho “kiem tra phong chay”/.test(
        document.getElementById('trang-thai-tim-kiem').textContent)""")
    narrow = int(re.search(r"Tìm thấy ([\d.]+) kết quả", status.inner_text()).group(1).replace(".", ""))
    assert 0 < narrow < wide
    assert parse_qs(urlsplit(page.url).query)["q"] == ["kiem tra phong chay"]
