"""What the build gives the counter: published paths (with base_url's sub-path), the page parts, privacy text."""
from __future__ import annotations

import re

from conftest import copy_sample, soup
from counter_support import build_sample
from site_generator.counter.paths import PageSet, base_path_of, published_paths


def test_paths_of_the_sample_portal(tmp_path):
    built = build_sample(tmp_path / "public")
    paths = published_paths(built)
    assert "/" in paths and "/tin-tuc/" in paths and "/kiem-tra/" in paths
    assert all(p.startswith("/") and p.endswith("/") for p in paths)
    assert "/404.html" not in paths and not any("index.html" in p for p in paths)
    assert len(paths) == sum(1 for page in built.rglob("index.html") if page.parent != built / "admin")
    assert "/admin/" not in paths                                  # the web editor counts nothing
    post = soup(next(built.glob("tin-tuc/*/index.html")))
    # Rendered hidden and empty (js/counter.js shows them once the endpoint answered): never a dash.
    box = post.select_one("[data-views-box]")
    assert box.has_attr("hidden") and box.select_one("[data-views]").get_text() == ""
    assert post.select_one("section.stats").has_attr("hidden")
    assert [dd.get_text() for dd in post.select(".stats dd")] == [""] * 5
    assert "–" not in post.select_one("section.stats").get_text() + box.get_text()
    assert [dt.get_text() for dt in post.select(".stats dt")] == \
        ["Đang truy cập", "Hôm nay", "Trong tuần", "Tháng hiện tại", "Tổng lượt truy cập"]
    script = post.select_one("script[src$='js/counter.js']")
    assert script is not None and script.has_attr("defer") and script.parent.name == "head"
    assert post.select_one('meta[name="counter"]')["content"] == "/api/"
    assert (built / "js" / "counter.js").is_file()


def test_sub_path_is_read_from_canonical_links_and_counter_url_is_kept_as_written(tmp_path):
    site = copy_sample(tmp_path / "site")
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('base_url: "https://hamtan.lamdong.example.gov.vn/"', 'base_url: "https://example.gov.vn/hamtan/"')
    config.write_text(text, encoding="utf-8")
    built = build_sample(tmp_path / "out", site=site)
    assert base_path_of(built) == "/hamtan/"
    paths = published_paths(built)
    assert "/hamtan/" in paths and "/hamtan/tin-tuc/" in paths and "/tin-tuc/" not in paths
    assert published_paths(built, "/other/") >= {"/other/", "/other/tin-tuc/"}
    home = soup(built / "index.html")
    assert home.select_one(".stats")["data-counter"] == "/api/"            # no sub-path added
    assert home.select_one("script[src$='counter.js']")["src"] == "/hamtan/js/counter.js"
    pages = PageSet(built)
    assert "/hamtan/tin-tuc/" in pages and "/hamtan/khong-co/" not in pages


def test_without_counter_url_nothing_is_rendered(tmp_path):
    site = copy_sample(tmp_path / "site")
    config = site / "site.yaml"
    config.write_text(re.sub(r"(?m)^counter:\n(  .*\n)+", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    built = build_sample(tmp_path / "out", site=site)
    for page in [built / "index.html", next(built.glob("tin-tuc/*/index.html"))]:
        html = page.read_text(encoding="utf-8")
        assert "data-counter" not in html and "data-views" not in html and "counter.js" not in html
        assert "Lượt xem" not in html and "Thống kê truy cập" not in html


def test_privacy_page_renders_with_one_h1(tmp_path):
    from jinja2 import Environment, FileSystemLoader

    from conftest import ROOT
    env = Environment(loader=FileSystemLoader(str(ROOT / "site_generator" / "theme" / "templates")), autoescape=True)
    assert env.get_template("privacy.html") is not None        # parses (the lead's pipeline renders it)
    source = (ROOT / "site_generator" / "theme" / "templates" / "privacy.html").read_text(encoding="utf-8")
    assert source.count("<h1") == 1 and '{% extends "base.html" %}' in source
    for words in ("địa chỉ IP", "cookie", "hết ngày", "5 phút", "User-Agent"):
        assert words in source
