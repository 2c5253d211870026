"""The registry's filter box in Chromium: typing without diacritics narrows the table to the
matching documents, clearing it brings the page back; without JavaScript the box stays hidden and
the static table and lists are all there is."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]

from browser_support import start_nginx  # noqa: E402
from conftest import NOW, free_port, run  # noqa: E402
from test_documents import SITE, registry_site  # noqa: E402


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    root = tmp_path_factory.mktemp("registry-browser")
    port = free_port()
    site = registry_site(root / "site")
    (site / "site.yaml").write_text(SITE.replace("https://example.gov.vn/xa/", f"http://127.0.0.1:{port}/xa/"),
                                    encoding="utf-8")
    public = root / "public"
    result = run("--site", str(site), "--output", str(public), "--now", NOW)
    assert result.returncode == 0, result.stderr
    server = start_nginx(root / "nginx", public, port, sub="/xa/")
    yield f"http://127.0.0.1:{port}/xa/van-ban/"
    server.stop()


def numbers(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("#danh-sach-van-ban tr td:first-child").all_inner_texts()]


def test_typing_without_diacritics_filters_the_registry(registry, page_at):
    page = page_at(360)
    messages: list = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.goto(registry, wait_until="networkidle")
    box = page.get_by_label("Tìm trong sổ văn bản", exact=False)
    assert box.is_visible()
    before = numbers(page)
    assert len(before) == 4
    box.fill("ke hoach nam 2025")
    expect(page.locator("#ket-qua-loc")).to_contain_text("1 văn bản")   # (no wait_for_function: the CSP forbids eval)
    assert numbers(page) == ["45/KH-UBND"]
    box.fill("hdnd")
    expect(page.locator("#danh-sach-van-ban tr td").first).to_have_text("30/2026/NQ-HĐND")
    expect(page.locator("#danh-sach-van-ban tr")).to_have_count(1)
    assert numbers(page) == ["30/2026/NQ-HĐND"]
    box.fill("khong co van ban nay")
    expect(page.locator("#ket-qua-loc")).to_contain_text("Không có")
    assert numbers(page) == []
    box.fill("")
    expect(page.locator("#danh-sach-van-ban tr")).to_have_count(4)
    assert numbers(page) == before and messages == []


def test_without_javascript_the_table_and_lists_are_all_there(registry, page_at):
    page = page_at(1280, javascript=False)
    page.goto(registry)
    assert not page.locator("form.doc-filter").is_visible()
    assert len(numbers(page)) == 4
    page.get_by_role("link", name="Nghị quyết", exact=True).click()
    assert numbers(page) == ["30/2026/NQ-HĐND"]
