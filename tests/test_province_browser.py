"""The provincial aggregate as a provincial inspector opens it, in Chromium, served by nginx: one search over
every commune (filtered by commune), and its pages free of WCAG 2.1 A/AA violations (axe-core)."""
from __future__ import annotations

import re
import shutil

import pytest

from browser_support import describe_violations, run_axe, start_nginx
from conftest import ROOT, free_port, run

pytest_plugins = ["browser_support"]

SUB = "/tong-hop/"


@pytest.fixture(scope="module")
def aggregate(tmp_path_factory):
    """The sample province's own three communes, built with the aggregate at 127.0.0.1:PORT/tong-hop/."""
    root = tmp_path_factory.mktemp("province-browser")
    province = root / "tinh"
    shutil.copytree(ROOT / "tinh-mau", province, ignore=shutil.ignore_patterns(".cache"))
    port = free_port()
    text = (province / "province.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^base_url: .*$", f'base_url: "http://127.0.0.1:{port}{SUB}"', text, flags=re.M)
    text = re.sub(r"^  - \{folder: \.\., .*\n", "", text, flags=re.M)          # Hàm Tân (the root sample): not here
    (province / "province.yaml").write_text(text, encoding="utf-8")
    out = root / "out"
    built = run("province", "--site", str(province), "--output", str(out), "--now", "2026-12-03 10:00")
    assert built.returncode == 0, built.stdout + built.stderr
    server = start_nginx(root / "nginx", out / "tinh", port, sub=SUB)
    yield f"http://127.0.0.1:{port}{SUB}"
    server.stop()


def test_one_search_finds_every_communes_posts_and_filters_by_commune(aggregate, page_at):
    page = page_at(1280)
    page.goto(aggregate + "tim-kiem/")
    box = page.get_by_label("Từ khóa tìm kiếm")
    box.click()
    box.press_sequentially("ke hoach cai cach hanh chinh nam 2027", delay=20)
    items = page.locator("#ket-qua-tim-kiem li")
    items.first.wait_for(state="visible", timeout=15_000)
    links = [items.nth(i).locator("h2 a").get_attribute("href") for i in range(items.count())]
    hosts = {re.match(r"https://([^/]+)/", link).group(1) for link in links}
    assert {"tanminh.lamdong.example.gov.vn", "lagi.lamdong.example.gov.vn", "sonmy.lamdong.example.gov.vn"} <= hosts
    page.select_option("#loc-muc", "Phường La Gi")
    page.wait_for_function("() => [...document.querySelectorAll('#ket-qua-tim-kiem li h2 a')]"
                           ".every(a => a.href.startsWith('https://lagi.'))", timeout=15_000)
    assert page.locator("#ket-qua-tim-kiem li").count() >= 1


@pytest.mark.parametrize("path", ["", "tim-kiem/", "du-lieu/"])
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_violation(aggregate, page_at, path, width):
    page = page_at(width)
    page.goto(aggregate + path)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
