"""The search index is a function of the model: folding, what goes in, what stays out, how it is split."""
from __future__ import annotations

import json

from conftest import ROOT

from site_generator.search import _gaps, shard_of, words


def decode(gaps: str) -> list:
    out, last = [], -1
    for gap in gaps.split(",") if gaps else []:
        last += int(gap, 16) + 1
        out.append(last)
    return out


def test_words_are_folded_like_readers_type_them():
    assert words("Đà Nẵng: ĐĂNG KÝ, cải cách") == {"da", "nang", "dang", "ky", "cai", "cach"}


def test_gaps_round_trip():
    for numbers in ([], [0], [0, 1, 2], [5, 17, 300, 301]):
        assert decode(_gaps(numbers)) == numbers


def test_shard_hash_matches_the_page_script():
    # FNV-1a 32-bit of the UTF-8 bytes, as static/js/search.js computes it
    assert shard_of("a", 1 << 32) == 0xE40C292C                # the published FNV-1a test vector
    assert shard_of("", 1 << 32) == 0x811C9DC5
    script = (ROOT / "site_generator" / "theme" / "static" / "js" / "search.js").read_text(encoding="utf-8")
    assert "0x811c9dc5" in script and "0x01000193" in script


def load(public, name):
    return json.loads((public / "tim-kiem" / "du-lieu" / name).read_text(encoding="utf-8"))


def lookup(public, word):
    meta = load(public, "meta.json")
    entry = load(public, f"s{shard_of(word, meta['shards'])}.json").get(word)
    if entry is None:
        return [], []
    return decode(entry[0]), decode(entry[1])


def titles(public, numbers):
    meta = load(public, "meta.json")
    return [load(public, f"t{n // meta['chunk']}.json")[n % meta["chunk"]][1] for n in numbers]


def test_index_finds_folded_words_and_leaves_out_drafts(sample_site):
    in_title, elsewhere = lookup(sample_site, "dang")
    found = titles(sample_site, in_title + elsewhere)
    assert any("đăng ký" in t.lower() or "Đăng" in t for t in found) or elsewhere
    seed_title = "Kiểm tra cải cách hành chính trên địa bàn huyện năm 2021"
    common = set.intersection(*(set(sum(lookup(sample_site, w), [])) for w in ("cai", "cach", "hanh", "chinh")))
    assert seed_title in titles(sample_site, sorted(common))
    units = sum(lookup(sample_site, "xuan"), [])                    # inspection units are searchable
    assert units
    assert not any("bản nháp" in t for t in titles(sample_site, range(load(sample_site, "meta.json")["documents"])))


def test_search_page_works_without_js_and_loads_no_blocking_script(sample_site):
    page = (sample_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert '<label for="q">Từ khóa tìm kiếm</label>' in page
    assert "Tìm kiếm cần bật JavaScript" in page
    assert 'src="/js/search.js" defer' in page
    assert 'data-index="/tim-kiem/du-lieu/"' in page
