"""Markdown -> safe HTML for one body, with links to .md files rewritten to URLs.

Python-Markdown converts (tables, footnotes, heading anchors with Vietnamese
slugs); a tree processor rewrites links and image sources written as paths
to files; nh3 (the Rust ``ammonia`` sanitiser) removes anything a body must not
carry: scripts, event handlers, ``javascript:`` URLs, styles other than
text alignment.
"""
from __future__ import annotations

import difflib
import gc
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.treeprocessors import Treeprocessor

from . import urls as U
from .problems import WARNING, Problem, problem
from .text import plain_summary, plain_text, search_words, slugify_heading

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup",
    "mark", "small", "abbr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "code", "pre", "kbd", "a", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "div", "span", "figure", "figcaption", "q",
    "cite", "time",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "div": {"tabindex", "role", "aria-label"},
    "time": {"datetime"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_TAG = re.compile(r"<[^>]+>")
_IMG = re.compile(r"<img\b[^>]*>")


@dataclass
class Links:
    """What a body's links may point to, for one build."""
    urls: U.Urls
    posts: dict                 # content path of a published .md -> site path of its page
    unpublished: frozenset      # content paths of drafts and scheduled posts
    planned: dict               # content path of an unpublished .md -> the path it will have
    assets: frozenset           # content paths of attachments and images


@dataclass
class Body:
    html: str
    summary: str
    problems: list = field(default_factory=list)
    resolutions: tuple = ()      # (target, is_image, href, problems): what the body's links became
    words: str = ""              # the folded words of the text, sorted, space-separated (search index)


class _LinkRewriter(Treeprocessor):
    """Rewrites ``a[href]`` and ``img[src]`` that name files under content/."""

    def __init__(self, md, owner):
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        job = self.owner.job
        has_h1 = any(el.tag == "h1" for el in root.iter())
        tables = [(parent, index, el) for parent in root.iter() for index, el in enumerate(parent)
                  if el.tag == "table"]
        for number, (parent, index, table) in enumerate(tables, 1):   # a scrollable, focusable box on phones
            label = "Bảng" if len(tables) == 1 else f"Bảng {number}"      # landmarks need distinct names
            wrap = etree.Element("div", {"class": "bang", "tabindex": "0", "role": "region", "aria-label": label})
            parent.remove(table)
            wrap.append(table)
            parent.insert(index, wrap)
        for el in root.iter():
            if has_h1 and el.tag in ("h1", "h2", "h3", "h4", "h5"):
                el.tag = "h" + str(int(el.tag[1]) + 1)
            if el.tag == "a" and el.get("href"):
                el.set("href", job.rewrite(el.get("href"), is_image=False))
            elif el.tag == "img" and el.get("src") is not None:
                if not (el.get("alt") or "").strip():
                    job.warn_alt(el.get("src"))        # name the path as the editor wrote it
                el.set("src", job.rewrite(el.get("src"), is_image=True))
                el.set("loading", "lazy")
                el.set("decoding", "async")


class _Job:
    """The state of one conversion: which document, its links, its problems."""

    def __init__(self, path: str, content_path: str, body: str, body_line: int, links: Links):
        self.path, self.content_path, self.body, self.body_line, self.links = (
            path, content_path, body, body_line, links)
        self.problems: list[Problem] = []
        self.resolutions: list[tuple] = []
        self._body_lines = body.split("\n")

    def line_of(self, needle: str) -> int:
        for index, text in enumerate(self._body_lines):
            if needle in text:
                return self.body_line + index
        return self.body_line

    def rewrite(self, target: str, is_image: bool) -> str:
        """Resolve one link, remembering the outcome so a cached body can be checked against new links."""
        before = len(self.problems)
        href = self._rewrite(target, is_image)
        self.resolutions.append((target, is_image, href, tuple(self.problems[before:])))
        return href

    def _rewrite(self, target: str, is_image: bool) -> str:
        links = self.links
        if not target or target.startswith("#") or U.is_external(target):
            return target
        fragment = ""
        if "#" in target:
            target_path, fragment = target.split("#", 1)
            fragment = "#" + fragment
        else:
            target_path = target
        resolved = U.resolve(self.content_path, unquote(target_path))
        if resolved is None:
            self.problems.append(problem(self.path, self.line_of(target), "outside-content", target=target))
            return target
        if resolved.endswith(".md"):
            if resolved in links.posts:
                return links.urls.link(links.posts[resolved]) + fragment
            if resolved in links.unpublished:
                self.problems.append(problem(self.path, self.line_of(target), "link-to-unpublished",
                                             severity=WARNING, target=target))
                return links.urls.link(links.planned.get(resolved, "")) + fragment
            close = difflib.get_close_matches(resolved, list(links.posts) + list(links.unpublished), n=1)
            self.problems.append(problem(self.path, self.line_of(target), "broken-link", target=target,
                                         suggestion=_relative(self.content_path, close[0]) if close else ""))
            return target
        if resolved in links.assets:
            return links.urls.link(U.asset(resolved)) + fragment
        last = resolved.rsplit("/", 1)[-1]
        if not is_image and (target_path.endswith("/") or "." not in last):
            # a portal address written by hand (/thong-bao/, /the/cchc/): keep it under the sub-path
            return links.urls.link(resolved.rstrip("/") + "/" if resolved != "." else "") + fragment
        close = difflib.get_close_matches(resolved, list(links.assets), n=1)
        self.problems.append(problem(self.path, self.line_of(target), "missing-file", target=target,
                                     suggestion=_relative(self.content_path, close[0]) if close else ""))
        return target

    def warn_alt(self, src: str) -> None:
        self.problems.append(problem(self.path, self.line_of(src or "!["), "image-no-alt", severity=WARNING,
                                     src=src or "?"))


def _relative(from_content_path: str, to_content_path: str) -> str:
    import posixpath
    return posixpath.relpath(to_content_path, posixpath.dirname(from_content_path) or ".")


class _Ext(Extension):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md):
        md.treeprocessors.register(_LinkRewriter(md, self.owner), "portal-links", 8)


TOC_CONFIG = {"slugify": slugify_heading, "permalink": False}


class _HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids, without the table of contents it builds for every body.

    Upstream ``run`` renders, serialises and post-processes a contents list even when no
    ``[TOC]`` marker asks for one; that was a tenth of our Markdown time. Bodies with the
    marker go through upstream's code unchanged; the others get the same ids by the same
    steps (tests/test_markup.py compares both on every sample body).
    """
    owner = None

    def run(self, doc: etree.Element) -> None:
        job = self.owner.job if self.owner is not None else None
        if job is None or (self.marker and self.marker in job.body) or self.use_anchors or self.use_permalinks:
            return super().run(doc)
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                    el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)
                el.attrib.pop("data-toc-label", None)


# The dialect: Python-Markdown with "extra" (these seven), sane_lists and toc. An extension
# can only act on a body that contains its syntax, so a body without, say, "[^" is
# converted by an instance without footnotes: the same HTML, less work per line.
# tests/test_markup.py checks both give the same bytes.
EXTRA = {
    "abbr": lambda body: "*[" in body,
    "attr_list": lambda body: "{" in body,
    "def_list": lambda body: _DEFINITION.search(body) is not None,
    "fenced_code": lambda body: "```" in body or "~~~" in body,
    "footnotes": lambda body: "[^" in body,
    "md_in_html": lambda body: "<" in body,
    "tables": lambda body: "|" in body,
}
_DEFINITION = re.compile(r"^[ \t]*:", re.M)
# Likewise for inline patterns: each needs one of these in the text to match at all. Python-Markdown
# tries every pattern on every piece of text, so leaving out the ones that cannot match is
# a quarter of its time on plain news text. Patterns not named here always stay.
INLINE_TRIGGERS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  \n",), "em_strong": ("*", "_"),
}
MAX_INSTANCES = 64
EXTENSION_CONFIGS = {
    "toc": TOC_CONFIG,
    "footnotes": {"BACKLINK_TITLE": "Quay lại chỗ chú thích {} trong bài", "SEPARATOR": "-"},
}


class Converter:
    """Reusable Markdown instances (reset between bodies: much cheaper than new ones).

    ``complete=True`` keeps one instance with every extension, for comparison.
    """

    def __init__(self, complete: bool = False):
        self.job: _Job | None = None
        self.complete = complete
        self._instances: dict[frozenset, markdown.Markdown] = {}

    def markdown_for(self, body: str) -> markdown.Markdown:
        if self.complete:
            needed, inline = frozenset(EXTRA), frozenset(INLINE_TRIGGERS)
        else:
            needed = frozenset(n for n, used in EXTRA.items() if used(body))
            inline = frozenset(n for n, triggers in INLINE_TRIGGERS.items() if any(t in body for t in triggers))
        md = self._instances.get((needed, inline))
        if md is None:
            if len(self._instances) >= MAX_INSTANCES:      # many odd mixes of syntax: start over
                self._instances.clear()
            md = self._instances[(needed, inline)] = self._new(needed, inline)
        return md

    def _new(self, needed: frozenset, inline: frozenset) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=[*sorted(needed), "sane_lists", "toc", _Ext(self)],
            extension_configs={k: v for k, v in EXTENSION_CONFIGS.items() if k in needed or k == "toc"},
            output_format="html",
        )
        headings = _HeadingIds(md, TocExtension(**TOC_CONFIG).getConfigs())
        headings.owner = self
        md.treeprocessors.register(headings, "toc", 5)     # replaces upstream's, same place
        for name in INLINE_TRIGGERS:
            if name not in inline and name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        return md

    def convert(self, path: str, content_path: str, body: str, body_line: int, links: Links) -> Body:
        self.job = _Job(path, content_path, body, body_line, links)
        try:
            raw = self.markdown_for(body).reset().convert(body)
        finally:
            job, self.job = self.job, None
        safe = sanitize(raw)
        for tag in _IMG.findall(safe):
            if ' alt="' not in tag and "alt=" not in tag:
                job.warn_alt(_attr(tag, "src"))
        return Body(safe, first_paragraph(safe), job.problems, tuple(job.resolutions), " ".join(sorted(search_words(plain_text(safe)))))


def still_valid(body: Body, path: str, content_path: str, source: str, body_line: int, links: Links) -> bool:
    """True when every link of a cached body resolves today exactly as it did then."""
    job = _Job(path, content_path, source, body_line, links)
    for target, is_image, href, problems in body.resolutions:
        before = len(job.problems)
        if job._rewrite(target, is_image) != href or tuple(job.problems[before:]) != problems:
            return False
    return True


# ---------------------------------------------------------------- many bodies: cache and both cores

PARALLEL_MIN = 200           # below this, starting worker processes costs more than it saves
_WORKER: dict = {}


def _convert_chunk(chunk: list) -> list:
    converter, links = _WORKER.setdefault("converter", Converter()), _WORKER["links"]
    return [converter.convert(path, content_path, body, line, links) for path, content_path, body, line in chunk]


def convert_all(jobs: list, links: Links, cache, workers: int, progress=None) -> dict:
    """Convert ``jobs`` [(path, content_path, body, body_line)] -> {path: Body}, reusing the cache.

    Misses are converted in ``workers`` processes (forked, so they share ``links``) when there
    are enough of them; the result is the same, byte for byte, as a single-process build.
    """
    from . import cache as cache_module

    results, misses = {}, []
    for job in jobs:
        path, content_path, body, line = job
        key = cache_module.body_key(links.urls.base_url, content_path, body, line)
        hit = cache.get(key)
        if hit is not None and still_valid(hit, path, content_path, body, line, links):
            results[path] = hit
        else:
            misses.append((key, job))
    converted = _convert_misses([job for _, job in misses], links, workers, progress or (lambda *_: None))
    for (key, job), body in zip(misses, converted):
        results[job[0]] = body
        cache.put(key, body)
    return results


def _convert_misses(jobs: list, links: Links, workers: int, progress) -> list:
    import multiprocessing

    if workers > 1 and len(jobs) >= PARALLEL_MIN and "fork" in multiprocessing.get_all_start_methods():
        size = max(1, -(-len(jobs) // (workers * 16)))     # small chunks: no core idles at the end
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        _WORKER.clear()
        _WORKER["links"] = links
        try:
            with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
                out = []
                for chunk in pool.imap(_convert_chunk, chunks):       # in order: same result as one process
                    out.extend(chunk)
                    progress("markdown", len(out), len(jobs))
                return out
        finally:
            _WORKER.clear()
    converter = Converter()
    out = []
    for path, content_path, body, line in jobs:
        out.append(converter.convert(path, content_path, body, line, links))
        if len(out) % 50 == 0:
            progress("markdown", len(out), len(jobs))
    return out


def _attr(tag: str, name: str) -> str:
    match = re.search(name + r'="([^"]*)"', tag)
    return html.unescape(match.group(1)) if match else ""


def sanitize(fragment: str) -> str:
    return _cleaner().clean(fragment)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Built once: passing the allow-lists to nh3.clean() converts them again on every call."""
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                       link_rel=None, filter_style_properties={"text-align"}, strip_comments=True)


def first_paragraph(fragment: str) -> str:
    """The plain text of the first paragraph with words in it, cut to 300 characters."""
    for match in _FIRST_PARAGRAPH.finditer(fragment):
        text = html.unescape(_TAG.sub("", _FOOTNOTE_REF.sub("", match.group(1)))).strip()
        if text:
            return plain_summary(text)
    return ""
