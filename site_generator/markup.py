"""Markdown -> safe HTML for one body, with links to .md files rewritten to URLs.

Python-Markdown converts (tables, footnotes, heading anchors with Vietnamese
slugs); a tree processor rewrites links and image sources written as paths
to files; nh3 (the Rust ``ammonia`` sanitiser) removes anything a body must not
carry: scripts, event handlers, ``javascript:`` and ``data:`` URLs, styles other
than text alignment.

What a body cannot do to the page around it, or to the build:

- **Size.** Above ``BODY_WARN_BYTES`` (512 KB of Markdown, UTF-8) of text a body is
  converted with a warning (the page and both feeds carry all of it); above
  ``BODY_MAX_BYTES`` (4 MB) it is an error and is not converted at all.
- **Depth.** More than ``MAX_DEPTH`` (32) levels of nesting on a line (quotes ``>``,
  list markers, 4-space indents), of square brackets open in one paragraph, or of
  HTML elements open at once is an error found before conversion, by a linear scan:
  Python-Markdown recurses (``RecursionError``) or takes quadratic time there, and the
  HTML parser takes quadratic time on deep trees. Any exception left from converting
  or sanitising one body becomes that document's problem, never a crash.
- **Look official.** Only the classes Markdown and this module produce (footnotes,
  ``toc``, ``language-*``; ``bang`` on the tables it wraps) survive: a body cannot
  wear ``banner banner-withdrawn``. Ids come only from Markdown (headings, ``{#id}``, footnotes,
  ``<div markdown="1" id>``), each one unique and none equal to an id of the page
  templates (:func:`reserved_ids`; a heading "Nội dung" gets ``noi-dung_1``); ids written
  in raw HTML are dropped, and so are ``role``, ``tabindex`` and ``aria-label``
  except on the table wrapper this module makes (no forged landmarks).
- **Load from elsewhere.** An image from another host becomes a plain link to it
  (nothing loads without the reader's click; the portal's CSP is ``img-src 'self'``)
  with a warning; an image embedded as ``data:`` is an error.
"""
from __future__ import annotations

import difflib
import gc
import html
import math
import posixpath
import re
import secrets
import unicodedata
import xml.etree.ElementTree as etree
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, fields
from pathlib import Path
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.treeprocessors import Treeprocessor

from . import rawhtml
from . import urls as U
from .problems import ERROR, WARNING, Problem, problem
from .text import (Text, format_number, format_size, nfc, plain_summary, plain_text, search_words, slugify_heading,
                   without_controls)

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
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "div": {"tabindex", "role", "aria-label"},
    "time": {"datetime"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# The classes a body may carry: the ones Markdown's extensions make, and "bang" where this module
# wraps a table. The theme styles many more (banner, banner-withdrawn, lead, visually-hidden...):
# a body must not wear them.
ALLOWED_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref", "toc", "toctitle"})
# The classes this module sets itself (marked, so raw HTML cannot forge them): the table box, alignment.
MADE_CLASSES = frozenset({"bang", *rawhtml.ALIGNMENT_CLASSES.values()})
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]+\Z")       # fenced code blocks: ```python
# No element of a body may take an id of the page around it: every id the default templates
# (theme/templates/**/*.html) write, read from them once per process (``id="tep-{{ loop.index }}"``
# reserves every ``tep-...``), and the preview's problem panel (serve.py). No template id holds "_":
# an id made unique with "_1" (_Ids) is never reserved, so that loop ends.
TEMPLATES = Path(__file__).resolve().parent / "theme" / "templates"
PREVIEW_IDS = frozenset({"loi-xem-truoc"})
_TEMPLATE_ID = re.compile(r'\sid="([^"]+)"')
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@lru_cache(maxsize=1)
def reserved_ids() -> tuple[frozenset, re.Pattern]:
    """(ids the templates write as they are, one pattern for those made from a value)."""
    literal, patterns = set(PREVIEW_IDS), set()
    for template in sorted(TEMPLATES.rglob("*.html")):
        for value in _TEMPLATE_ID.findall(template.read_text(encoding="utf-8")):
            if _TEMPLATE_CODE.search(value):
                parts = _TEMPLATE_CODE.split(value)
                patterns.add("[a-z0-9-]+".join(re.escape(part) for part in parts))
            else:
                literal.add(value)
    return frozenset(literal), re.compile("(?:" + "|".join(sorted(patterns)) + r")\Z" if patterns else r"(?!)")


# Attributes that survive sanitising only when this module set them (a value starting with the
# mark, which is random per process and stripped by the sanitiser): raw HTML cannot forge them.
# A marked class ("bang") is kept as set; other classes must be in ALLOWED_CLASSES.
_MARKED_ATTRIBUTES = frozenset({"id", "role", "tabindex", "aria-label"})
_MARK = "m" + secrets.token_hex(8) + "-"

BODY_WARN_BYTES = 512 * 1024         # a page this heavy is slow on a phone: warn
BODY_MAX_BYTES = 4 * 1024 * 1024     # the page and both feeds would carry it: refuse
MAX_DEPTH = 32                       # levels of nesting of one kind; real posts use a handful
SUGGEST_MAX = 20                     # broken links of one body that get a "did you mean" (each compares all posts)
EXTERNAL_IMAGE_TEXT = "Ảnh từ trang khác"
GENERATED_SUFFIXES = (".xml", ".ics", ".json", ".csv", ".txt")   # files the build writes: feeds, open data...

_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_TAG = re.compile(r"<[^>]+>")
_IMG_OR_LINK = re.compile(r"<img\b[^>]*>|<a\b[^>]*>|</a>")      # on the sanitiser's output, where values escape ">"
_DATA_IMAGE = re.compile(r"""<img\b[^<>]*?\ssrc\s*=\s*["']?\s*(data:[^"'\s>]{0,40})""", re.I)


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
    addresses: tuple = ()        # (target, site path, line): links to pages written as addresses (checks.addresses)

    def __reduce__(self):
        """Pickled as its fields in order: the body cache of a big portal loads in two thirds of the time."""
        return Body, tuple(getattr(self, name) for name in _BODY_FIELDS)


_BODY_FIELDS = tuple(f.name for f in fields(Body))


class _LinkRewriter(Treeprocessor):
    """Rewrites ``a[href]`` and ``img[src]`` that name files under content/; wraps tables; alignment as
    classes. Raw HTML (kept aside by Markdown as text) goes through the same steps (:mod:`rawhtml`)."""

    def __init__(self, md, owner):
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        job = self.owner.job
        stash = self.md.htmlStash.rawHtmlBlocks
        raw = [number for number, block in enumerate(stash) if isinstance(block, str)]
        has_h1 = any(el.tag == "h1" for el in root.iter()) or any(rawhtml.has_h1(stash[n]) for n in raw)
        tables = [(parent, index, el) for parent in root.iter() for index, el in enumerate(parent)
                  if el.tag == "table"]
        boxes = _TableBoxes(len(tables) + sum(rawhtml.tables(stash[n]) for n in raw))
        for parent, index, table in tables:              # a scrollable, focusable box on phones
            wrap = etree.Element("div", boxes.attributes())
            parent.remove(table)
            wrap.append(table)
            parent.insert(index, wrap)
        for el in root.iter():
            if has_h1 and el.tag in ("h1", "h2", "h3", "h4", "h5"):
                el.tag = "h" + str(int(el.tag[1]) + 1)
            if "style" in el.attrib or "align" in el.attrib:   # Markdown's table columns; md_in_html's divs
                aligned = rawhtml.alignment(el.attrib)
                el.attrib.pop("style", None)
                el.attrib.pop("align", None)
                if aligned:
                    el.set("class", _MARK + aligned)
            if el.tag == "a" and el.get("href"):
                el.set("href", job.rewrite(el.get("href"), is_image=False))
            elif el.tag == "img" and el.get("src") is not None:
                if not (el.get("alt") or "").strip() and not job.offsite(el.get("src")):
                    job.warn_alt(el.get("src"))        # name the path as the editor wrote it
                el.set("src", job.rewrite(el.get("src"), is_image=True))
                el.set("loading", "lazy")
                el.set("decoding", "async")
        if raw:
            rewriter = _RawRewriter(job, has_h1, boxes)
            for number in raw:
                stash[number] = rawhtml.rewrite(stash[number], rewriter)


class _TableBoxes:
    """The scroll boxes of one body's tables, Markdown's and raw HTML's: landmarks need distinct names."""

    def __init__(self, count: int):
        self.count, self.made = count, 0

    def attributes(self) -> dict:
        self.made += 1
        label = "Bảng" if self.count == 1 else f"Bảng {self.made}"
        return {"class": _MARK + "bang", "tabindex": _MARK + "0", "role": _MARK + "region",
                "aria-label": _MARK + label}


class _RawRewriter(rawhtml.Rewriter):
    def __init__(self, job: "_Job", demote: bool, boxes: _TableBoxes):
        self.job, self.demote, self.boxes = job, demote, boxes

    def link(self, href: str) -> str:
        return self.job.rewrite(href, is_image=False)

    def image(self, attributes: dict) -> dict:
        attributes["src"] = self.job.rewrite(attributes["src"], is_image=True)   # alt: told after sanitising
        attributes.setdefault("loading", "lazy")
        attributes.setdefault("decoding", "async")
        return attributes

    def table_open(self) -> str:
        shown = "".join(f' {name}="{html.escape(value)}"' for name, value in self.boxes.attributes().items())
        return f"<div{shown}>"

    def table_close(self) -> str:
        return "</div>"

    def classes(self, tag: str, attributes: dict) -> str | None:
        aligned = rawhtml.alignment(attributes)
        return _MARK + aligned if aligned else None


class _Ids(Treeprocessor):
    """Last: every id Markdown made is unique and none is the page's; each is marked as ours.

    The sanitiser keeps only marked ids, so the ids of raw HTML (which never enters this
    tree) are dropped. Headings already avoid the reserved ids (``_heading_slug``); this
    catches ``{#noi-dung}``, ``<div markdown="1" id=...>`` and ids repeated by hand.
    """

    def run(self, root: etree.Element) -> None:
        taken: set = set()
        counters: dict = {}
        for el in root.iter():
            value = el.get("id")
            if value is None:
                continue
            if value in taken or _reserved_id(value):
                number = counters.get(value, 0)
                while True:
                    number += 1
                    candidate = f"{value}_{number}"
                    if candidate not in taken and not _reserved_id(candidate):
                        break
                counters[value] = number
                value = candidate
            taken.add(value)
            el.set("id", _MARK + value)


def _reserved_id(value: str) -> bool:
    literal, pattern = reserved_ids()
    return value in literal or pattern.match(value) is not None


class _Lines:
    """Where strings are in one body: the offset of one near a place, the line of an offset."""

    def __init__(self, body: str, first_line: int):
        self.body, self.first_line = body, first_line
        self._starts: list | None = None       # offsets where lines begin, made on the first lookup
        self._work, self._index = 0, None      # characters searched so far; the token index, once made

    def find(self, needle: str, near: int) -> int:
        """The offset of ``needle`` near ``near``, ahead first (-1: nowhere in the body).

        Windows around ``near`` double until one holds it: the work is about the distance to
        the answer, so strings looked up in the order they are written (or in reverse) cost
        one pass over the body in all. Lookups in no order (reference links defined shuffled)
        would cost a pass each: past four passes in all, an index of the body's path-like
        words answers the rest.
        """
        if "\n" in needle:                     # a line never holds it
            return -1
        if self._index is None and self._work > 4 * len(self.body) + 65536:
            self._index = _path_words(self.body)
        offsets = self._index.get(needle) if self._index is not None else None
        if offsets is not None:
            ahead = bisect_left(offsets, near)
            return offsets[ahead] if ahead < len(offsets) else offsets[-1]
        return self._around(needle, near)

    def _around(self, needle: str, near: int) -> int:
        size, width, length = len(self.body), 1024, len(needle)
        while True:
            self._work += 2 * width
            ahead = self.body.find(needle, near, near + width + length)
            if ahead >= 0:
                return ahead
            behind = self.body.rfind(needle, max(0, near - width), near + length - 1)
            if behind >= 0:
                return behind
            if near + width >= size and near - width <= 0:
                return -1
            width *= 2

    def line_at(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [0] + [match.end() for match in re.finditer("\n", self.body)]
        return self.first_line + bisect_right(self._starts, offset) - 1


_WORD = re.compile(r"""[^\s()<>"'\[\]]+""")


def _path_words(body: str) -> dict:
    """Every word of the body with a "." or "/" in it (what a link target is) -> its offsets, in order."""
    index: dict = {}
    for match in _WORD.finditer(body):
        word = match.group()
        if "." in word or "/" in word:
            index.setdefault(word, []).append(match.start())
    return index


class _Cursor:
    """Looks strings up in document order: each search starts just after the last one found.

    A body's links are rewritten in the order they are written, so finding all of them is one
    pass over the body (it was one pass per link: 20,000 broken links took minutes), and a
    target written twice is found on each of its lines. For a string written once, the line
    is the one every lookup gave before: the first that holds it.
    """

    def __init__(self, lines: _Lines):
        self.lines, self.at = lines, 0

    def line_of(self, needle: str) -> int:
        found = self.lines.find(needle, self.at)
        if found < 0:
            return self.lines.first_line
        self.at = found + 1
        return self.lines.line_at(found)


class _Job:
    """The state of one conversion: which document, its links, its problems."""

    def __init__(self, path: str, content_path: str, body: str, body_line: int, links: Links):
        self.path, self.content_path, self.body, self.body_line, self.links = (
            path, content_path, body, body_line, links)
        self.problems: list[Problem] = []
        self.resolutions: list[tuple] = []
        self.addresses: list[tuple] = []            # (target, site path, line) of links written as addresses
        self.lines = _Lines(body, body_line)
        self.link_lines = _Cursor(self.lines)      # problems of links: the same calls when a cached body is checked
        self.image_lines = _Cursor(self.lines)     # warnings about images, independent of what links resolve to
        self.suggestions = 0
        self._host = urlsplit(links.urls.base_url).hostname

    def rewrite(self, target: str, is_image: bool) -> str:
        """Resolve one link, remembering the outcome so a cached body can be checked against new links."""
        before = len(self.problems)
        href = self._rewrite(target, is_image)
        self.resolutions.append((target, is_image, href, tuple(self.problems[before:])))
        return href

    def _rewrite(self, target: str, is_image: bool) -> str:
        links = self.links
        if target[:5].lower() == "file:":                # a file on the writer's own computer (file:///D:/...)
            self._report("local-file-link", target=target)
            return target
        if not target or target.startswith("#") or _external(target):
            return target
        fragment = ""
        if "#" in target:
            target_path, fragment = target.split("#", 1)
            fragment = "#" + fragment
        else:
            target_path = target
        if target_path == "/":                              # the home page
            return self._address(target, "", fragment)
        resolved = U.resolve(self.content_path, unquote(target_path))
        if resolved is None:
            self._report("outside-content", target=target)
            return target
        resolved = _same_name(resolved, links)
        if resolved.endswith(".md"):
            if resolved in links.posts:
                return links.urls.link(links.posts[resolved]) + fragment
            if resolved in links.unpublished:
                self._report("link-to-unpublished", severity=WARNING, target=target)
                return links.urls.link(links.planned.get(resolved, "")) + fragment
            self._report("broken-link", target=target,
                         suggestion=self._suggest(resolved, lambda: [*links.posts, *links.unpublished]))
            return target
        if resolved in links.assets:
            return links.urls.link(U.asset(resolved)) + fragment
        last = resolved.rsplit("/", 1)[-1]
        if not is_image and (target_path.endswith("/") or "." not in last):
            # a portal address written by hand (/thong-bao/, /the/cchc/): keep it under the sub-path
            return self._address(target, resolved.rstrip("/") + "/", fragment)
        if not is_image and last.lower().endswith(GENERATED_SUFFIXES):   # /tin-tuc/rss.xml, /lich-cong-tac.ics
            return self._address(target, resolved, fragment)
        self._report("missing-file", target=target, suggestion=self._suggest(resolved, lambda: list(links.assets)))
        return target

    def _address(self, target: str, path: str, fragment: str) -> str:
        """A page or file the build makes, named by its address: checked once the site is written."""
        self.addresses.append((target, path, self.link_lines.line_of(target)))
        return self.links.urls.link(path) + fragment

    def _report(self, code: str, severity: str = ERROR, **params) -> None:
        line = self.link_lines.line_of(params["target"])
        self.problems.append(problem(self.path, line, code, severity=severity, **params))

    def _suggest(self, resolved: str, candidates) -> str:
        """The closest existing path, for the first ``SUGGEST_MAX`` broken links of the body only."""
        if self.suggestions >= SUGGEST_MAX:
            return ""
        self.suggestions += 1
        close = difflib.get_close_matches(resolved, candidates(), n=1)
        return _relative(self.content_path, close[0]) if close else ""

    def warn_alt(self, src: str) -> None:
        self.problems.append(problem(self.path, self.image_lines.line_of(src or "!["), "image-no-alt",
                                     severity=WARNING, src=src or "?"))

    def offsite(self, src: str) -> bool:
        """An image address on another host: the reader's browser would ask that host for it."""
        try:
            parts = urlsplit(src.strip())
            host = parts.hostname or ""
        except ValueError:                        # "http://[oops": no host to trust
            return src.strip().lower().startswith(("http:", "https:", "//"))
        if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc:
            return False
        return host != self._host


def _same_name(resolved: str, links: Links) -> str:
    """The file's own spelling of a name written in the other Unicode form (NFD from a Mac, NFC typed):
    the two look the same, so telling the editor "did you mean" the same-looking name helps no one."""
    if resolved in links.assets or resolved in links.posts or resolved in links.unpublished or resolved.isascii():
        return resolved
    for form in ("NFC", "NFD"):
        other = unicodedata.normalize(form, resolved)
        if other in links.assets or other in links.posts or other in links.unpublished:
            return other
    return resolved


def _external(target: str) -> bool:
    try:
        return U.is_external(target)
    except ValueError:                            # a scheme with a broken host ("http://[oops"): left as written
        return True


def _relative(from_content_path: str, to_content_path: str) -> str:
    return posixpath.relpath(to_content_path, posixpath.dirname(from_content_path) or ".")


class _Ext(Extension):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md):
        md.treeprocessors.register(_LinkRewriter(md, self.owner), "portal-links", 8)
        md.treeprocessors.register(_Ids(md), "portal-ids", 1)          # after attr_list (8) and toc (5)


def _heading_slug(text: str, separator: str = "-") -> str:
    """A heading's id: never one of the page's own (a heading "Nội dung" gets ``noi-dung_1``)."""
    slug = slugify_heading(text, separator)
    return slug + "_1" if _reserved_id(slug) else slug


TOC_CONFIG = {"slugify": _heading_slug, "permalink": False}


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
        job = _Job(path, content_path, body, body_line, links)
        if not _admissible(job):                # too big or too deep: not converted at all
            return Body("", "", job.problems)
        checked = len(job.problems)
        try:
            self.job = job
            raw = self.markdown_for(body).reset().convert(body)
            self.job = None
            safe = without_controls(nfc(sanitize(raw)))    # NFC again: the sanitiser decodes entities (&ocirc;̀,
                                                            # &#11;); control characters pasted from Word go
            shown = _images(job, raw, safe)
        except Exception as err:                # RecursionError included: one body's failure is its own problem
            self.job = None
            self._instances.clear()             # an instance stopped half way is not reused
            detail = "RecursionError" if isinstance(err, RecursionError) else f"{type(err).__name__}: {err}"[:200]
            broken = problem(path, body_line, "body-unconvertible", detail=detail)
            return Body("", "", [*job.problems[:checked], broken])
        job.problems.extend(pasted_from_word(path, body, body_line))
        return Body(Text(shown), first_paragraph(safe), job.problems, tuple(job.resolutions),     # Text: with their
                    Text(" ".join(sorted(search_words(plain_text(safe))))), tuple(job.addresses))  # digests (tracking)


def failed(body: Body) -> bool:
    """A body whose conversion raised: converted again by the next build, never kept."""
    return any(p.code == "body-unconvertible" for p in body.problems)


# ---------------------------------------------------------------- text pasted from Word

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
_NOT_PROSE_START = re.compile(r"^ {0,3}(?:[|<>#]|\[[^\]]*\]:|!\[)| {4}")
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_SENTENCE_END = re.compile(r"[.!?:;…][”\"’')\]]*$")
_PARAGRAPH_MARK = re.compile(r"^(?:\d{1,3}[.)]|[a-zđ][.)]|[-+•*–])[ \t]")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
LONG_LINE = 120              # longer than anyone wraps Markdown by hand: a whole paragraph on one line
_CODE_LIKE = re.compile(r"[{}<>=$`|\\]|^\s*[A-Za-z_][\w.-]*\s*[:=(]")


def pasted_from_word(path: str, body: str, body_line: int) -> list[Problem]:
    """Warnings for prose pasted from Word: paragraphs one per line with no blank line between them, which
    Markdown joins into one run-on paragraph; a paragraph indented by a Tab, which Markdown shows as code.

    Only prose blocks are looked at: not fenced code, indented code that looks like code, lists (and what is
    indented under them), tables, quotes, headings, HTML. A line break counts as a lost paragraph when its
    line ends a sentence and the next starts one (a capital, ``1.``, ``-``); a block is a run-on only when every
    break is such a break, and there are two of them or a line is longer than anyone wraps by hand, so
    hand-wrapped Markdown is left alone."""
    lines = body.split("\n")
    run_on, tabbed = [], []
    fence, block, after_list = None, [], False

    def close(block: list, after_list: bool) -> bool:
        """Look at one block of lines; returns whether the next indented block still belongs to a list."""
        first = block[0][1]
        if _LIST_ITEM.match(first):
            return True
        if first.startswith("\t") or first.startswith("    "):
            if not after_list and first.startswith("\t") and _prose("\n".join(t for _, t in block)):
                tabbed.append(block[0][0])
            return after_list
        if _NOT_PROSE_START.match(first) or any("|" in t or _UNDERLINE.match(t) for _, t in block[1:]):
            return False
        sentences = others = 0
        for (_, this), (_, following) in zip(block, block[1:]):
            if this.endswith(("  ", "\\")) or this.rstrip().lower().endswith(("<br>", "<br/>", "<br />")):
                continue                                    # a line break the writer asked for
            if _ends_paragraph(this.strip()) and _starts_paragraph(following.strip()):
                sentences += 1
            else:
                others += 1
        if sentences and not others and (sentences >= 2 or max(len(_LINK_TARGET.sub("]", t)) for _, t in block) > LONG_LINE):
            run_on.append(block[0][0])
        return False

    for number, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened:
            if block:
                after_list = close(block, after_list)
                block = []
            fence = opened.group(1)[:3]
            continue
        if not line.strip():
            if block:
                after_list = close(block, after_list)
                block = []
            continue
        if not block and not line.startswith((" ", "\t")) and not _LIST_ITEM.match(line):
            after_list = False
        block.append((body_line + number, line))
    if block:
        close(block, after_list)
    found = []
    if run_on:
        found.append(problem(path, run_on[0], "pasted-line-breaks", severity=WARNING, count=len(run_on)))
    if tabbed:
        found.append(problem(path, tabbed[0], "tab-indented-paragraph", severity=WARNING, count=len(tabbed)))
    return found


def _ends_paragraph(line: str) -> bool:
    """A sentence's end, or a heading typed in capitals (``I. MỤC ĐÍCH, YÊU CẦU``)."""
    letters = [c for c in line if c.isalpha()]
    return bool(_SENTENCE_END.search(line)) or (len(letters) >= 2 and all(c.isupper() for c in letters))


def _starts_paragraph(line: str) -> bool:
    """A capital letter (after an opening quote or bracket), or what Word's lists start with: ``1.``, ``a)``, ``-``."""
    if _PARAGRAPH_MARK.match(line):
        return True
    text = line.lstrip("“\"‘'([")
    return bool(text) and text[0].isupper()


def _prose(text: str) -> bool:
    """Vietnamese sentences rather than code: letters with diacritics, several words, no code punctuation."""
    return (any(ord(c) > 127 and c.isalpha() for c in text) and len(text.split()) >= 4
            and not any(_CODE_LIKE.search(line) for line in text.split("\n")))


# ---------------------------------------------------------------- what is refused before converting

_CONTAINERS = re.compile(r"^(?:[ ]{4}|\t|[ ]{0,3}>|[ ]{0,3}(?:[-*+]|[0-9]{1,9}[.)])[ \t]){%d}" % (MAX_DEPTH + 1), re.M)
_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1)+[ \t]*\Z")          # - - - - (a rule)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"(?<!\\)[\[\]]")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")
# Elements that never hold the ones after them open: void ones, and those an end tag may be left off
# (a new <p>, <li>, <td> closes the last one).
_FLAT_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb", "rt", "rtc",
    "rp", "colgroup", "caption", "html", "head", "body",
})


def _admissible(job: _Job) -> bool:
    """Size and depth, checked in time linear in the body; problems go to the job."""
    body = job.body
    size = len(body) if len(body) * 4 <= BODY_WARN_BYTES else len(body.encode("utf-8"))
    if size > BODY_WARN_BYTES:
        too_big = size > BODY_MAX_BYTES
        limit = BODY_MAX_BYTES if too_big else BODY_WARN_BYTES
        job.problems.append(problem(job.path, job.body_line, "body-too-large" if too_big else "body-large",
                                    severity=ERROR if too_big else WARNING,
                                    size=_size_text(size), limit=format_size(limit)))
        if too_big:
            return False
    for code, find in (("body-too-deep", _container_depth), ("body-brackets-too-deep", _bracket_depth),
                       ("body-html-too-deep", _html_depth)):
        offset = find(body)
        if offset is not None:
            job.problems.append(problem(job.path, job.lines.line_at(offset), code, limit=MAX_DEPTH))
            return False
    return True


def _size_text(size: int) -> str:
    """``600 KB``, ``4,1 MB``: rounded up, so a size over a limit never reads as the limit."""
    if size < 1024 * 1024:
        return f"{format_number(-(-size // 1024))} KB"
    return f"{format_number(math.ceil(size * 10 / (1024 * 1024)) / 10)} MB"


def _container_depth(body: str) -> int | None:
    """The offset of the first line nested more than MAX_DEPTH deep in quotes, lists and indents."""
    for match in _CONTAINERS.finditer(body):
        end = body.find("\n", match.start())
        line = body[match.start():end if end >= 0 else len(body)]
        if match.group().strip(" \t") and not _THEMATIC_BREAK.match(line):   # indentation alone is code
            return match.start()
    return None


def _bracket_depth(body: str) -> int | None:
    """The offset of the ``[`` that is the (MAX_DEPTH + 1)th open at once in one paragraph.

    Python-Markdown scans from each ``[`` to its ``]`` (or the paragraph's end): the time is
    the paragraph's length times this depth. Only paragraphs with enough ``[`` are looked into.
    """
    if body.count("[") <= MAX_DEPTH:
        return None
    start = 0
    for end in [*(match.start() for match in _PARAGRAPH_END.finditer(body)), len(body)]:
        if body.count("[", start, end) > MAX_DEPTH:
            depth = 0
            for match in _BRACKET.finditer(body, start, end):
                depth = depth + 1 if match.group() == "[" else max(0, depth - 1)
                if depth > MAX_DEPTH:
                    return match.start()
        start = end
    return None


def _html_depth(body: str) -> int | None:
    """The offset of the HTML start tag that is the (MAX_DEPTH + 1)th element open at once."""
    if body.count("<") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _HTML_TAG.finditer(body):
        if match.group(2).lower() in _FLAT_ELEMENTS:
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
    return None


# ---------------------------------------------------------------- images, after sanitising

def _images(job: _Job, raw: str, safe: str) -> str:
    """Warn about images without alt text (raw HTML's), refuse ``data:`` ones, turn other hosts' into links."""
    job.image_lines.at = 0
    for match in _DATA_IMAGE.finditer(raw):          # the sanitiser drops the address; say so
        start = match.group(1)
        job.problems.append(problem(job.path, job.image_lines.line_of(start), "data-image",
                                    src=start[:30] + "…"))
    job.image_lines.at = 0
    out, last, inside_link = [], 0, 0
    for match in _IMG_OR_LINK.finditer(safe):
        tag = match.group()
        if not tag.startswith("<img"):
            inside_link = max(0, inside_link + (-1 if tag == "</a>" else 1))
            continue
        src = _attr(tag, "src")
        if src and job.offsite(src):
            job.problems.append(problem(job.path, job.image_lines.line_of(src), "external-image", severity=WARNING,
                                        src=src.strip()))
            out += [safe[last:match.start()], _image_link(tag, inside_link)]
            last = match.end()
        elif " alt=" not in tag:                     # raw HTML's: Markdown's were told in the tree
            job.warn_alt(src)
    if not out:
        return safe
    out.append(safe[last:])
    return "".join(out)


def _image_link(tag: str, inside_link: bool) -> str:
    """A link to the image in place of the image (or only its text, inside another link)."""
    text = html.escape(_attr(tag, "alt").strip() or EXTERNAL_IMAGE_TEXT, quote=False)
    if inside_link:
        return text
    raw_src = re.search(r'\ssrc="([^"]*)"', tag).group(1)       # as the sanitiser escaped it
    return f'<a href="{raw_src}">{text}</a>'


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
        if not failed(body):
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
    match = re.search(r"\s" + name + r'="([^"]*)"', tag)
    return html.unescape(match.group(1)) if match else ""


def sanitize(fragment: str) -> str:
    return _cleaner().clean(fragment)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Built once: passing the allow-lists to nh3.clean() converts them again on every call."""
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                       link_rel=None, strip_comments=True,
                       attribute_filter=_attribute)


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Classes from ALLOWED_CLASSES only; ids, roles and the like only when this module set them."""
    if name == "class":
        if value.startswith(_MARK):
            return value[len(_MARK):]
        kept = [c for c in value.split() if c in ALLOWED_CLASSES or _LANGUAGE_CLASS.match(c)]
        return " ".join(kept) if kept else None
    if name in _MARKED_ATTRIBUTES:
        return value[len(_MARK):] if value.startswith(_MARK) else None
    return value


def first_paragraph(fragment: str) -> str:
    """The plain text of the first paragraph with words in it, cut to 300 characters."""
    for match in _FIRST_PARAGRAPH.finditer(fragment):
        text = html.unescape(_TAG.sub("", _FOOTNOTE_REF.sub("", match.group(1)))).strip()
        if text:
            return plain_summary(text)
    return ""
