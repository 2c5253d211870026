"""The static search index: built from the model, read by a small script, no server code.

Words are folded the way readers type them: tone marks dropped and ``đ`` -> ``d``
("cai cach" finds "cải cách", "dang ky" finds "Đăng ký"). For each folded word
the index keeps the posts that hold it, in the title or elsewhere (summary,
body, tags, inspection units, attachment titles), as gaps between post numbers:
no word positions, so even a word that every post holds costs a few KB. Words
are spread over shard files by a hash, so one query downloads only the shards of
its words and the few metadata chunks of the results it shows. Results whose
titles carry the exact diacritics typed rank first.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterator

from . import urls as U
from .kinds import section_kind
from .model import Post, Site
from .text import search_words as words

FOLDER = "tim-kiem/du-lieu"
DOCS_PER_CHUNK = 10            # results fetch the chunks they fall in: small chunks, little waste
SHARD_BYTES = 16_000            # aim: one shard file about this big
def shard_of(word: str, shards: int) -> int:
    """FNV-1a (32 bit) of the word's UTF-8 bytes: the page script computes the same."""
    value = 0x811C9DC5
    for byte in word.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def documents(site: Site) -> list[Post]:
    """What can be found: listed posts (newest first) and plain pages; never drafts or scheduled posts."""
    return [p for p in site.posts if (p.listed or p.kind == "page") and not (p.draft or p.future)]


def other_text(post: Post) -> str:
    parts = [post.summary, " ".join(t.name for t in post.tags),
             " ".join(a.title for a in post.attachments)]
    if post.meta.inspection is not None:
        parts += [" ".join(post.meta.inspection.units), post.meta.inspection.subject]
    more = section_kind(post.section.config.kind).words
    if more is not None:
        parts.append(more(post))
    return " ".join(p for p in parts if p)


def _gaps(numbers: list) -> str:
    """Ascending post numbers as hexadecimal gaps: [0, 1, 5] -> "0,0,3"."""
    if not numbers:
        return ""
    gaps = [b - a - 1 for a, b in zip([-1, *numbers[:-1]], numbers)]
    return ",".join(map("%x".__mod__, gaps))


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The index files: ``meta.json``, metadata chunks ``t<k>.json`` and word shards ``s<n>.json``."""
    docs = documents(site)
    in_title: dict[str, list] = defaultdict(list)
    elsewhere: dict[str, list] = defaultdict(list)
    for number, post in enumerate(docs):
        title_words = words(post.title)
        for word in title_words:
            in_title[word].append(number)
        rest = set(post.body_words.split())
        rest.update(words(other_text(post)))
        rest.difference_update(title_words)
        for word in rest:
            elsewhere[word].append(number)
    vocabulary = sorted(set(in_title) | set(elsewhere))
    entries = {w: [_gaps(in_title.get(w, ())), _gaps(elsewhere.get(w, ()))] for w in vocabulary}
    size = sum(len(w) + len(a) + len(b) + 10 for w, (a, b) in entries.items())
    shards = max(1, -(-size // SHARD_BYTES))
    buckets: list[dict] = [{} for _ in range(shards)]
    for word in vocabulary:
        buckets[shard_of(word, shards)][word] = entries[word]
    yield U.search_data("meta.json"), _json({"documents": len(docs), "chunk": DOCS_PER_CHUNK, "shards": shards})
    for start in range(0, len(docs), DOCS_PER_CHUNK):
        chunk = [[p.url, p.title, p.date.at.strftime("%d/%m/%Y") if p.date and p.kind != "page" else "",
                  p.section.title] for p in docs[start:start + DOCS_PER_CHUNK]]
        yield U.search_data(f"t{start // DOCS_PER_CHUNK}.json"), _json(chunk)
    for number, bucket in enumerate(buckets):
        yield U.search_data(f"s{number}.json"), _json(bucket)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
