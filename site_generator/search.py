"""The static search index: Pagefind, fed from the model (not by crawling HTML).

Each listed post and plain page becomes one Pagefind record: its title,
summary, the lead of its body, tags, inspection units and attachment titles. Pagefind
folds tone marks itself ("cai cach" finds "cải cách") and ranks exact
diacritics first, but ``đ`` has no Unicode decomposition, so "da nang" would
miss "Đà Nẵng": every word with đ is added once more in folded form
(``dang``), which the reader never sees.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

from .model import Post, Site
from .text import fold

OUTPUT_FOLDER = "pagefind"
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def d_stroke_words(text: str) -> str:
    """The folded form of every distinct word that holds đ/Đ: "Đà Nẵng đăng" -> "da dang"."""
    words = dict.fromkeys(fold(w) for w in _WORD.findall(text) if "đ" in w or "Đ" in w)
    return " ".join(words)


LEAD_CHARACTERS = 400        # of the body, after the summary: enough for excerpts, keeps index chunks small


def record(post: Post, site_path: str) -> dict:
    """What one post contributes: its title (the page's h1), summary, lead, tags, units, attachments.

    Not the whole body: Pagefind stores every word position, and on a 4,000-post portal the
    common words of whole bodies make one query download about 1 MB instead of a few hundred KB.
    """
    body = plain_text(post.html)
    lead = body if len(body) <= LEAD_CHARACTERS else body[:LEAD_CHARACTERS].rsplit(" ", 1)[0]
    parts = [post.summary, lead, " ".join(t.name for t in post.tags), " ".join(a.title for a in post.attachments)]
    if post.meta.inspection is not None:
        parts.append(" ".join(post.meta.inspection.units))
        parts.append(post.meta.inspection.subject)
    content = " ".join(p for p in parts if p)
    return {
        "path": site_path,
        "title": post.title,
        "content": content,
        "folded": d_stroke_words(post.title + " " + content),
        "date": post.date.at.strftime("%d/%m/%Y") if post.date else "",
        "sort": post.date.at.isoformat() if post.date else "",
        "section": post.section.title,
    }


def records(site: Site) -> list[dict]:
    """One record per listed post and per plain page, in a fixed order."""
    chosen = [p for p in site.posts if (p.listed or p.kind == "page") and not (p.draft or p.future)]
    return [record(p, p.path) for p in chosen]


def source_page(item: dict) -> str:
    """What Pagefind reads for one record: a bare page, never published."""
    e = html.escape
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{t}</title></head><body>'
            '<main data-pagefind-body><h1>{t}</h1>'
            '<span data-pagefind-meta="date:{d}" data-pagefind-sort="date:{o}"></span>'
            '<span data-pagefind-meta="section:{s}"></span><p>{c}</p><p>{f}</p></main></body></html>\n').format(
        t=e(item["title"]), d=e(item["date"]), s=e(item["section"]), o=e(item["sort"]), c=e(item["content"]),
        f=e(item["folded"]))


def write_index(items: list[dict], output: Path) -> None:
    """Write the records as bare pages in a scratch folder and run Pagefind over them once.

    (Pagefind's Python API answers one request per 0.1 s, far too slow for thousands of
    records; its command line indexes a folder in one run.) Pagefind's binary ships inside
    the ``pagefind-bin`` wheel.
    """
    scratch = output.parent / f".{output.name}.search-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        for item in items:
            target = scratch / item["path"] / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source_page(item), encoding="utf-8")
        result = subprocess.run([str(_binary()), "--site", str(scratch), "--output-path", str(output / OUTPUT_FOLDER),
                                 "--force-language", "vi", "--quiet"], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"pagefind failed: {result.stdout}{result.stderr}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _binary() -> Path:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RuntimeError("the Pagefind binary is missing: pip install 'pagefind[extended]'")
    return binary
