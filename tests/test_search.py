"""The search index is a function of the model: folding, what goes in, what stays out, how it is split."""
from __future__ import annotations

import bisect
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_generator.search import Item, _gaps, _postings, patched, words


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


def test_words_joined_by_apostrophes_hyphens_and_slashes_are_also_one_word():
    assert {"njang", "nam", "n", "jang"} <= words("xã Nâm N'Jang")
    assert {"njang", "hleo", "eahleo"} <= words("Nâm N’Jang, Ea-H'leo")         # typographic apostrophe too
    assert {"45khubnd", "45", "kh", "ubnd"} <= words("Kế hoạch 45/KH-UBND")
    assert not any(len(w) > 40 for w in words("/".join(["abcdefghij"] * 20)))      # a long path is no word


def load(public, name):
    return json.loads((public / "tim-kiem" / "du-lieu" / name).read_text(encoding="utf-8"))


def shard(meta, word) -> int:
    """As the page script: the shard whose first word is the last one not after WORD."""
    return bisect.bisect_right(meta["bounds"], word)


def lookup(public, word):
    meta = load(public, "meta.json")
    entry = load(public, f"s{shard(meta, word)}.json").get(word)
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


def test_the_vocabulary_is_cut_in_order_so_a_word_start_is_in_one_place(sample_site):
    meta = load(sample_site, "meta.json")
    assert meta["bounds"] == sorted(meta["bounds"])
    seen = []
    for n in range(len(meta["bounds"]) + 1):
        shard_words = list(load(sample_site, f"s{n}.json"))
        assert shard_words == sorted(shard_words)
        assert all(shard(meta, w) == n for w in shard_words)
        seen += shard_words
    assert seen == sorted(seen) and len(seen) == len(set(seen))


def test_numbers_rank_like_titles_and_every_entry_has_its_filters_and_text(sample_site):
    meta = load(sample_site, "meta.json")
    in_title, _ = lookup(sample_site, "18khubnd")                   # document 18/KH-UBND, by its number
    assert titles(sample_site, in_title) == ["Kế hoạch cải cách hành chính nhà nước năm 2021 trên địa bàn huyện Hàm Tân",
                                             "Kế hoạch số 18/KH-UBND (bản ký số)"]      # the document, then its file
    count = meta["documents"]
    assert len(meta["section"]) == len(meta["kind"]) == len(meta["year"]) == count
    kinds = {meta["kinds"][ord(c) - 48] for c in meta["kind"]}
    assert {"Bài viết", "Văn bản", "Kiểm tra", "Trang"} <= kinds
    row = load(sample_site, f"t{in_title[0] // meta['chunk']}.json")[in_title[0] % meta["chunk"]]
    assert row[3] == "18/KH-UBND"
    assert meta["year0"] + ord(meta["year"][in_title[0]]) - 48 == 2021
    text = load(sample_site, f"x/{in_title[0]}.json")
    assert text[0].startswith("Kế hoạch xác định sáu nhóm nhiệm vụ") and len(text[0]) <= 3000
    page = titles(sample_site, [n for n in range(count) if meta["year"][n] == "/"])
    assert page and all(meta["kinds"][ord(meta["kind"][n]) - 48] == "Trang"
                        for n in range(count) if meta["year"][n] == "/")


# ---------------------------------------------------------------- the last build's postings, patched

_WORDS = st.sampled_from(["ke", "hoach", "kiem", "tra", "tiep", "cong", "dan", "2025", "45/kh-ubnd", "nam", "njang"])
_ENTRY = st.tuples(st.frozensets(_WORDS, max_size=4), st.lists(_WORDS, max_size=6, unique=True))   # distinct, as Item says


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(_ENTRY, max_size=12), st.data())
def test_patched_postings_are_the_postings_made_anew(entries, data):
    """search.patched() on the last build's postings gives exactly what _postings() makes from the new entries,
    whatever entries changed and how (a word moved between title and body, lost, gained, every word gone)."""
    items = [Item(title, other, [], "", "", None) for title, other in entries]
    table = _postings(items)
    changes, after = [], list(items)
    if items:
        for n in data.draw(st.lists(st.integers(0, len(items) - 1), unique=True)):
            title, other = data.draw(_ENTRY)
            changes.append((n, (items[n].title_words, items[n].other_words), (title, other)))
            after[n] = Item(title, other, [], "", "", None)
    assert patched(table, changes) == _postings(after)
    assert table == _postings(items)                       # the last build's postings are left as they were


def test_patched_postings_refuse_changes_the_table_does_not_hold():
    """A kept table that does not match what it is said to be built from is refused (the build makes it anew)."""
    table = _postings([Item(frozenset({"ke"}), ["hoach"], [], "", "", None)])
    with pytest.raises(ValueError):
        patched(table, [(0, (frozenset(), ["kiem"]), (frozenset(), []))])
    with pytest.raises(ValueError):
        patched(table, [(0, (frozenset(), []), (frozenset({"ke"}), []))])


class _Kept:
    """What cache.KeptValues offers _kept_postings: values by key, and whether a value was asked for."""

    def __init__(self, values=None):
        self.values = dict(values or {})

    def peek(self, key):
        return self.values.get(key)

    def get(self, key):
        return self.values.get(key)

    def put(self, key, value):
        self.values[key] = value


def _entries_of(words: list) -> tuple[list, _Kept]:
    """Items with a key each (their words), and the search cache holding those words by key."""
    items, kept = [], _Kept()
    for n, (title, other) in enumerate(words):
        key = repr((sorted(title), other)).encode()
        items.append(Item(frozenset(title), list(other), [], "", "", None, None, key))
        kept.put(key, (frozenset(title), " ".join(other)))
    return items, kept


_SITE = [({"ke", "hoach"}, ["kiem", "tra"]), ({"tiep"}, ["cong", "dan"]), ({"nam"}, ["2025"])] + \
        [({f"w{n}"}, [f"o{n}"]) for n in range(13)]


@pytest.mark.parametrize("change", ["one entry", "entries swapped", "an entry more", "an entry less", "most entries",
                                    "old words forgotten", "damaged table", "no table", "keys unknown"])
def test_the_kept_postings_are_always_the_postings_made_anew(change, monkeypatch):
    from site_generator import search
    from site_generator.search import _kept_postings
    before, kept = _entries_of(_SITE)
    last = _Kept()
    assert _kept_postings(before, kept, last) == _postings(before)
    words = list(_SITE)
    if change == "one entry":
        words[1] = ({"tiep", "dan"}, ["moi"])
    elif change == "entries swapped":
        words[0], words[2] = words[2], words[0]
    elif change == "an entry more":
        words.append(({"them"}, ["bai"]))
    elif change == "an entry less":
        del words[4]
    elif change == "most entries":
        words = [({f"x{n}"}, [f"y{n}"]) for n in range(len(words))]
    else:
        words[1] = ({"tiep", "dan"}, ["moi"])
    after, new_kept = _entries_of(words)
    new_kept.values.update(kept.values)                     # the cache still knows the old entries' words
    if change == "old words forgotten":
        new_kept.values = {item.key: new_kept.values[item.key] for item in after}
    elif change == "damaged table":
        keys, table = last.values["postings"]
        last.values["postings"] = (keys, {word: ["zz", gaps[1]] for word, gaps in table.items()})
    elif change == "no table":
        last.values.clear()
    elif change == "keys unknown":
        after[3] = Item(after[3].title_words, after[3].other_words, [], "", "", None, None, None)
        assert _kept_postings(after, new_kept, last) is None
        return
    made = []
    monkeypatch.setattr(search, "_postings", lambda items: made.append(1) or _postings(items))
    assert _kept_postings(after, new_kept, last) == _postings(after)
    assert last.values["postings"][1] == _postings(after)  # what the next build starts from
    assert bool(made) == (change not in ("one entry", "entries swapped"))     # patched, or made anew
