"""The static search index: built from the model, read by a small script, no server code.

Words are folded the way readers type them: tone marks dropped and ``đ`` -> ``d``
("cai cach" finds "cải cách", "dang ky" finds "Đăng ký"), and words joined by an
apostrophe, a hyphen or a slash are also kept joined ("nam njang" finds "Nâm N'Jang",
"45/KH-UBND" is one word). What can be found: listed posts and plain pages, and each
attachment with a text layer (a hit in a file names the file and its page).

For each folded word the index keeps the entries that hold it, in the title or number
(ranked first) or elsewhere (summary, body, tags, inspection units, attachment titles),
as gaps between entry numbers. The sorted vocabulary is cut into shard files of about
``SHARD_BYTES``; ``meta.json`` names the first word of each, so the page script finds a
word's shard, and every word that starts with what the reader is still typing, in one
or two files. Per entry, ``meta.json`` also keeps its section, kind and year (one
character each: the filters), metadata chunks ``t<k>.json`` its address, title, date and
number, and ``x/<n>.json`` its text, fetched only for the results shown (the snippet).
"""
from __future__ import annotations

import hashlib
import json
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from . import urls as U
from .kinds import section_kind
from .model import Post, Site
from .text import Text, plain_text
from .text import search_words as words

FOLDER = "tim-kiem/du-lieu"
VERSION = 2
DOCS_PER_CHUNK = 10            # results fetch the chunks they fall in: small chunks, little waste
SHARD_BYTES = 16_000            # aim: one shard file about this big
TEXT_CHARS = 3_000              # of a post's text kept for snippets
FILE_PAGE_CHARS = 1_500         # of each page of an attachment
FILE_CHARS = 24_000             # of an attachment in all
CODE = 48                       # the filters' characters: chr(CODE + index)
NO_YEAR = "/"
INSPECTION, FILE = "Kiểm tra", "Tệp đính kèm"


@dataclass(frozen=True)
class Entry:
    """One thing search can find: a post or page, or an attachment of one (``file`` set)."""
    post: Post
    file: object = None         # model.Attachment

    @property
    def kind(self) -> str:
        if self.file is not None:
            return FILE
        if self.post.meta.inspection is not None:
            return INSPECTION
        return section_kind(self.post.section.config.kind).label or "Bài viết"


def documents(site: Site) -> list[Post]:
    """What can be found: listed posts (newest first) and plain pages; never drafts or scheduled posts."""
    return [p for p in site.posts if (p.listed or p.kind == "page") and not (p.draft or p.future)]


def entries(site: Site) -> list[Entry]:
    """Every post and page, then every attachment with text, in the posts' order."""
    posts = documents(site)
    return [Entry(p) for p in posts] + [Entry(p, a) for p in posts for a in p.attachments if _file_text(a)]


@dataclass(frozen=True)
class Filters:
    """What the search page offers to narrow results by (the same lists as meta.json's)."""
    sections: tuple
    kinds: tuple
    years: tuple                # newest first


def filters(site: Site) -> Filters:
    return _filters(entries(site))


def _filters(found: list) -> Filters:
    return Filters(tuple(sorted({e.post.section.title for e in found})), tuple(sorted({e.kind for e in found})),
                   tuple(sorted({e.post.date.at.year for e in found if e.post.date and e.post.kind != "page"},
                                reverse=True)))


def number(post: Post) -> str:
    """The number a post is shown with and found by exactly: a document's number, an inspection's id."""
    of_kind = section_kind(post.section.config.kind).number
    if of_kind is not None and of_kind(post):
        return of_kind(post)
    return post.meta.inspection.id if post.meta.inspection is not None else ""


def _numbers(post: Post) -> str:
    """What ranks like a title: the number, and an inspection's decision ("Quyết định số 612/QĐ-UBND ...")."""
    decision = post.meta.inspection.decision if post.meta.inspection is not None else ""
    return f"{number(post)} {decision}".strip()


def other_text(post: Post) -> str:
    parts = [post.summary, " ".join(t.name for t in post.tags),
             " ".join(a.title for a in post.attachments)]
    if post.meta.inspection is not None:
        parts += [" ".join(post.meta.inspection.units), post.meta.inspection.subject]
    more = section_kind(post.section.config.kind).words
    if more is not None:
        parts.append(more(post))
    return " ".join(p for p in parts if p)


def _file_text(attachment) -> tuple:
    return tuple(page for page in getattr(attachment, "text", ()) if page.strip())


def _sources(entry: Entry) -> tuple:
    """All text an entry's words and snippet are made from (see :func:`_made`)."""
    if entry.file is not None:
        return ("file", entry.file.title, *entry.file.text)
    post = entry.post
    return ("post", post.title, _numbers(post), post.body_words, other_text(post), post.summary, post.html)


def _made(sources: tuple) -> tuple:
    """(title words, the other words joined by spaces, the snippet text as JSON) of an entry's ``sources``:
    a pure function of them, so it is kept between builds by their digest (the slow part of the index)."""
    if sources[0] == "file":
        title, pages = sources[1], sources[2:]
        snippet, left = [], FILE_CHARS
        for page in pages:
            snippet.append(page[:min(FILE_PAGE_CHARS, max(left, 0))])
            left -= len(snippet[-1])
        return words(title), " ".join(words(" ".join(pages))), _json(snippet)
    _, title, numbers, body_words, other, summary, html = sources
    found = set(body_words.split())
    found.update(words(other))
    body = plain_text(html)
    text = body if summary and body.startswith(summary[:40]) else f"{summary} {body}".strip()
    return words(title) | words(numbers), " ".join(found), _json([text[:TEXT_CHARS]])


def _gaps(numbers: list) -> str:
    """Ascending entry numbers as hexadecimal gaps: [0, 1, 5] -> "0,0,3"."""
    if not numbers:
        return ""
    gaps = [b - a - 1 for a, b in zip([-1, *numbers[:-1]], numbers)]
    return ",".join(map("%x".__mod__, gaps))


def _numbers_of(gaps: str) -> list:
    """The entry numbers of :func:`_gaps`' text: "0,0,3" -> [0, 1, 5]."""
    numbers, at = [], -1
    for gap in gaps.split(",") if gaps else ():
        at += int(gap, 16) + 1
        numbers.append(at)
    return numbers


def _postings(items: list) -> dict:
    """word -> [gaps of the entries that have it in their title, gaps of those that have it elsewhere]."""
    in_title: dict[str, array] = defaultdict(lambda: array("I"))       # entry numbers, 4 bytes each
    elsewhere: dict[str, array] = defaultdict(lambda: array("I"))
    for n, item in enumerate(items):
        title = item.title_words
        for word in title:
            in_title[word].append(n)
        for word in _listed(item.other_words):
            if word not in title:                  # found by its title: ranked there only
                elsewhere[word].append(n)
    return {w: [_gaps(in_title.get(w, ())), _gaps(elsewhere.get(w, ()))] for w in set(in_title) | set(elsewhere)}


def _listed(words):
    """An entry's other words: a collection, or the text that lists them, split by spaces."""
    return words.split() if type(words) is str else words


def _placed(title_words, other_words) -> tuple:
    """(the words an entry is found by in its title, those it is found by elsewhere), as _postings places them."""
    title = set(title_words)
    return title, set(_listed(other_words)) - title


def patched(table: dict, changes: list) -> dict:
    """``table`` (:func:`_postings` of some items) with ``changes`` made: (entry number, title words and other
    words before, the same after) each. The result is the postings of the changed items: each word's entries
    are a set, and a changed entry leaves the words it lost and joins those it gained, in order. ValueError when
    ``table`` does not hold what ``changes`` say was there."""
    table = dict(table)
    touched: dict = {}                          # word -> [title numbers, elsewhere numbers] being changed
    for n, before, after in changes:
        for place, old, new in zip((0, 1), _placed(*before), _placed(*after)):
            for word, joins in [(w, False) for w in old - new] + [(w, True) for w in new - old]:
                lists = touched.get(word)
                if lists is None:
                    gaps = table.get(word, ("", ""))
                    lists = touched[word] = [_numbers_of(gaps[0]), _numbers_of(gaps[1])]
                numbers = lists[place]
                at = bisect_left(numbers, n)
                if (at < len(numbers) and numbers[at] == n) == joins:
                    raise ValueError(f"the postings of {word!r} do not hold what the changes say")
                if joins:
                    numbers.insert(at, n)
                else:
                    del numbers[at]
    for word, (title, elsewhere) in touched.items():
        if title or elsewhere:
            table[word] = [_gaps(title), _gaps(elsewhere)]
        else:
            table.pop(word, None)
    return table


PATCHED_AT_MOST = 8                # of a site's entries' words patched into the last postings (1/8), else made anew


def _kept_postings(items: list, kept, last) -> dict | None:
    """The postings of ``items``: the last build's, patched (:func:`patched`) when only a few entries' words
    changed (and the same number of entries); None when they must be made anew. The result is kept in ``last``."""
    keys = [item.key for item in items]
    if last is None or kept is None or None in keys:
        return None
    before = last.get("postings")
    table = None
    if before is not None and len(before[0]) == len(keys):
        changed = [n for n, (old, new) in enumerate(zip(before[0], keys)) if old != new]
        olds = [kept.peek(before[0][n]) for n in changed] if len(changed) * PATCHED_AT_MOST <= len(keys) else [None]
        if None not in olds:
            try:
                table = patched(before[1], [(n, (old[0], old[1]), (items[n].title_words, items[n].other_words))
                                            for n, old in zip(changed, olds)])
            except (ValueError, TypeError, AttributeError, IndexError):     # a kept table that is not what it says
                table = None
    if table is None:
        table = _postings(items)
    last.put("postings", (keys, table))
    return table


def _row(entry: Entry) -> list:
    post = entry.post
    date = post.date.at.strftime("%d/%m/%Y") if post.date and post.kind != "page" else ""
    if entry.file is not None:
        return [post.url, entry.file.title, date, "", post.title, entry.file.url]
    return [post.url, post.title, date, number(post)]


def _code(index: int) -> str:
    return chr(CODE + index)


@dataclass(frozen=True)
class Item:
    """One entry as the index keeps it: the words it is found by, its row, its filters, its snippet text."""
    title_words: frozenset | tuple
    other_words: frozenset | set | list | str   # distinct words, or them joined by spaces (split when the postings
                                                # are made: most builds only patch them); index_files leaves the title's out
    row: list                   # [address, title, date, number] (+ [post title, file address] for a file)
    section: str
    kind: str
    year: int | None
    text: list | bytes | None = None    # (bytes: as JSON already) None: no x/<n>.json (meta.json says "notext")
    key: bytes | None = None    # the digest of what its words were made from (None: not known)


def _item(entry: Entry, kept=None) -> Item:
    post = entry.post
    sources = _sources(entry)
    made = key = None
    if kept is not None:
        digest = hashlib.sha256()
        for part in sources:                   # each with its length: no two lists of texts give one key
            if type(part) is Text:             # a body's HTML and words: by the digest made with them
                digest.update(b"#" + part.digest)
                continue
            data = part.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data))
            digest.update(data)
        key = digest.digest()[:16]
        made = kept.get(key)
    if made is None:
        made = _made(sources)
        if kept is not None:
            kept.put(key, made)
    return Item(made[0], made[1], _row(entry), post.section.title, entry.kind,
                post.date.at.year if post.date and post.kind != "page" else None, made[2], key)


def files(site: Site, kept=None, last=None) -> Iterator[tuple[str, bytes]]:
    """The index files: ``meta.json``, metadata chunks ``t<k>.json``, word shards ``s<n>.json``, texts ``x/<n>.json``.
    ``kept`` (``get``/``put``, by key): what :func:`_made` gave in earlier builds; ``last`` (the same, one key):
    the postings of the last build, patched where its entries' words differ (:func:`patched`)."""
    found = entries(site)
    offered = _filters(found)
    items = [_item(e, kept) for e in found]
    yield from index_files(items, offered, U.search_data, _kept_postings(items, kept, last))


def index_files(items: list, offered: Filters, path=U.search_data, table: dict | None = None) -> Iterator[tuple[str, bytes]]:
    """The index of ``items`` (in the order results are shown when they rank alike), as files named by ``path``;
    ``table``: their :func:`postings`, when the caller has them."""
    postings = table if table is not None else _postings(items)
    vocabulary = sorted(postings)
    shards: list[dict] = [{}]
    bounds, size = [], 0
    for word in vocabulary:
        cost = len(word) + len(postings[word][0]) + len(postings[word][1]) + 10
        if size and size + cost > SHARD_BYTES:
            shards.append({})
            bounds.append(word)
            size = 0
        shards[-1][word] = postings[word]
        size += cost

    sections, kinds = list(offered.sections), list(offered.kinds)
    first_year = min(offered.years, default=0)
    meta = {"v": VERSION, "documents": len(items), "chunk": DOCS_PER_CHUNK, "bounds": bounds,
            "sections": sections, "kinds": kinds, "year0": first_year,
            "section": "".join(_code(sections.index(i.section)) for i in items),
            "kind": "".join(_code(kinds.index(i.kind)) for i in items),
            "year": "".join(_code(i.year - first_year) if i.year is not None else NO_YEAR for i in items)}
    if items and all(i.text is None for i in items):
        meta["notext"] = True
    yield path("meta.json"), _json(meta)
    for start in range(0, len(items), DOCS_PER_CHUNK):
        yield path(f"t{start // DOCS_PER_CHUNK}.json"), _json([i.row for i in items[start:start + DOCS_PER_CHUNK]])
    for n, shard in enumerate(shards):
        yield path(f"s{n}.json"), _json(shard)
    for n, item in enumerate(items):
        if item.text is not None:
            yield path(f"x/{n}.json"), item.text if type(item.text) is bytes else _json(item.text)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
