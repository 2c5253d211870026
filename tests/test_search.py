"""The search index is a function of the model: what goes in, what stays out, and đ folding."""
from __future__ import annotations

from conftest import ROOT

from site_generator.search import d_stroke_words, plain_text, source_page


def test_words_with_d_stroke_get_a_folded_copy():
    assert d_stroke_words("Đà Nẵng: đăng ký, Đăng ký lại; cải cách") == "da dang"
    assert d_stroke_words("cải cách hành chính") == ""


def test_source_page_escapes_and_carries_meta():
    page = source_page({"path": "tin-tuc/a/", "title": "<b>Đăng ký</b>", "content": "x < y", "folded": "dang",
                        "date": "08/10/2021", "sort": "2021-10-08T09:00:00+07:00", "section": "Tin tức"})
    assert "<b>" not in page and "&lt;b&gt;Đăng ký&lt;/b&gt;" in page
    assert 'data-pagefind-meta="date:08/10/2021"' in page and 'data-pagefind-meta="section:Tin tức"' in page
    assert "<p>dang</p>" in page


def test_plain_text_drops_markup():
    assert plain_text("<p>Một <b>hai</b></p>\n<ul><li>ba &amp; bốn</li></ul>") == "Một hai ba & bốn"


def test_built_site_has_an_index_and_a_search_page_that_works_without_js(sample_site):
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert list((sample_site / "pagefind").glob("pagefind.vi_*.pf_meta"))
    page = (sample_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert '<label for="q">Từ khóa tìm kiếm</label>' in page
    assert "Tìm kiếm cần bật JavaScript" in page
    assert 'src="/js/search.js" defer' in page
    assert ROOT.joinpath("static", "js", "search.js").is_file()
