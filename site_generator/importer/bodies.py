"""An imported body: clean Markdown where that loses nothing, sanitised HTML where it would.

Links and images are resolved against the old page's address: a link to another imported
page becomes a link to its ``.md`` file, a file found in the source is copied (by
:class:`Files`) and linked at ``/files/...``, anything else on the old host keeps its full old
address (and is reported). Markdown is chosen only when the body holds nothing Markdown cannot
say (alignment, tables, spans, attributes) *and* converting it back gives the same words; the
HTML kept otherwise keeps alignment and tables, which the build turns into classes and boxes
(:mod:`site_generator.rawhtml`).
"""
from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from html import escape
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import nh3

from .. import inputs, markup
from ..text import fold, nfc, plain_text, search_words
from .sources import SourceError, read_file

DROPPED = ("script", "style", "iframe", "object", "embed", "form", "input", "button", "select", "textarea",
           "noscript", "template", "link", "meta")
MARKDOWN_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "a", "img", "ul", "ol", "li", "h1", "h2", "h3",
                           "h4", "h5", "h6", "blockquote", "hr", "code", "pre"})
MARKDOWN_ATTRIBUTES = frozenset({"href", "src", "alt", "title"})
KEPT_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
             "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
             "caption", "div", "span", "figure", "figcaption", "code", "pre"}
KEPT_ATTRIBUTES = {"*": {"style", "title"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
                   "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
MAX_FILE_NAME = 80
MAX_DEPTH = markup.MAX_DEPTH        # elements open at once: what the build accepts


@dataclass
class Note:
    """Something a person must look at."""
    what: str


@dataclass
class Body:
    text: str                          # what goes below the front matter
    markdown: bool
    linked: set = field(default_factory=set)       # /files/... the body links to
    notes: list = field(default_factory=list)


class Files:
    """Files copied from the source into ``content/files/nhap/``, each once, under a safe name."""

    def __init__(self, content: Path, folder: str = "files/nhap"):
        self.content, self.folder = content, folder
        self.by_digest: dict[str, str] = {}
        self.taken: set[str] = set()
        self.copied = 0

    def copy(self, source: Path, name: str) -> str:
        """Copy ``source`` (refusing what the portal may not publish); returns its content path."""
        extension = inputs.extension(name)
        if not inputs.publishable(name):
            raise SourceError(f"loại tệp .{extension or '?'} không được đăng trên cổng (gửi dạng PDF hoặc ZIP)")
        if not inputs.looks_like_its_type(source, name):
            raise SourceError(f"nội dung tệp không phải tệp .{extension}")
        data = read_file(source, inputs.MAX_FILE_BYTES)
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.by_digest:
            return self.by_digest[digest]
        stem = re.sub(r"[^a-z0-9]+", "-", fold(nfc(name.rsplit(".", 1)[0]))).strip("-")[:MAX_FILE_NAME].strip("-")
        stem = stem or "tep"
        relative = f"{self.folder}/{stem}.{extension}"
        number = 1
        while relative in self.taken or ((self.content / relative).exists()
                                         and hashlib.sha256((self.content / relative).read_bytes()).hexdigest() != digest):
            number += 1
            relative = f"{self.folder}/{stem}-{number}.{extension}"
        target = self.content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(data)
            self.copied += 1
        self.taken.add(relative)
        self.by_digest[digest] = relative
        return relative


class Resolver:
    """Where an old link leads now: an imported page's .md, a copied file, or its full old address."""

    def __init__(self, pages: dict, files: Files, source: Path | None, hosts: set):
        self.pages = pages                 # old URL (normalised) -> content path of its .md
        self.files, self.source, self.hosts = files, source, hosts

    def resolve(self, value: str, page_url: str, base: Path | None, notes: list) -> str:
        value = value.strip()
        if not value or value.startswith(("#", "mailto:", "tel:")):
            return value
        if value.lower().startswith("file:"):
            notes.append(Note(f"liên kết tới tệp trên máy người soạn `{value}` đã bỏ (cần tệp thật)"))
            return ""
        if value.lower().startswith(("javascript:", "data:", "vbscript:")):
            return ""
        absolute = urljoin(page_url, value) if page_url else value
        parts = urlsplit(absolute)
        page = self.pages.get(normal(absolute))
        if page is not None:
            return "/" + page + (f"#{parts.fragment}" if parts.fragment else "")
        local = not parts.scheme or (parts.hostname or "") in self.hosts
        if not local:
            return absolute
        found = self._file(parts.path, value, base)
        if found is not None:
            try:
                return "/" + self.files.copy(found, unquote(posixpath.basename(parts.path)) or found.name)
            except SourceError as err:
                notes.append(Note(f"tệp `{value}` không chép được: {err}"))
                return absolute if parts.scheme else ""
        is_file = inputs.publishable(parts.path)
        notes.append(Note(f"{'thiếu tệp' if is_file else 'liên kết tới trang chưa nhập'} `{value}`"
                          + ("" if parts.scheme else " (không biết địa chỉ cũ: đã bỏ liên kết)")))
        return absolute if parts.scheme else ""

    def _file(self, path: str, value: str, base: Path | None) -> Path | None:
        candidates = []
        if base is not None and not urlsplit(value).scheme and not value.startswith("/"):
            candidates.append(base / unquote(value.split("?")[0].split("#")[0]))
        if self.source is not None:
            candidates.append(self.source / unquote(path).lstrip("/"))
        root = (self.source or base).resolve() if candidates else None
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except (OSError, RuntimeError):
                continue
            if resolved.is_relative_to(root) and candidate.is_file() and not candidate.is_symlink() \
                    and inputs.publishable(candidate.name):
                return candidate
        return None


def normal(url: str) -> str:
    """An old address as a key: no scheme, host lowercase, no fragment, no trailing "index.html"."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path)
    if path.endswith(("/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0] + "/"
    return f"{(parts.hostname or '').lower()}{path}{'?' + parts.query if parts.query else ''}"


def convert(html: str, page_url: str, base: Path | None, resolver: Resolver) -> Body:
    from bs4 import BeautifulSoup, Comment
    soup = BeautifulSoup(nfc(html), "html.parser")
    notes: list = []
    if _depth(soup) > MAX_DEPTH:          # the build refuses such a body, and tidying it takes quadratic time
        notes.append(Note(f"thân bài lồng hơn {MAX_DEPTH} lớp thẻ: chỉ giữ chữ, thành các đoạn"))
        text = [nfc(line.strip()) for line in soup.get_text("\n").splitlines() if line.strip()]
        soup = BeautifulSoup("".join(f"<p>{escape(line)}</p>" for line in text), "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in soup.find_all(DROPPED):
        element.decompose()
    linked: set = set()
    for element in soup.find_all(["a", "img"]):
        attribute = "href" if element.name == "a" else "src"
        if element.get(attribute) is None:
            continue
        new = resolver.resolve(element[attribute], page_url, base, notes)
        if new:
            element[attribute] = new
            if new.startswith("/files/"):
                linked.add(new)
        elif element.name == "a":
            element.unwrap()
        else:
            element.decompose()
    _tidy(soup)
    for text in soup.find_all(string=True):           # entities are decoded by the parser: NFC again
        if not unicodedata.is_normalized("NFC", text):
            text.replace_with(nfc(str(text)))
    words = search_words(plain_text(str(soup)))
    if not words:
        notes.append(Note("thân bài trống"))
    if _says_in_markdown(soup):
        text = _markdown(str(soup))
        if _same_words(text, words):
            return Body(text, True, linked, notes)
    return Body(_html(str(soup)), False, linked, notes)


def _depth(soup) -> int:
    """How many elements are open at once at the deepest place (without recursion)."""
    deepest, stack = 0, [(soup, 0)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element.children if getattr(child, "name", None))
    return deepest


def _tidy(soup) -> None:
    """What old editors leave: styles that say nothing but alignment, bare spans, empty paragraphs."""
    from .. import rawhtml
    for element in soup.find_all(True):
        aligned = rawhtml.aligned(element.attrs)
        for name in ("class", "id", "style", "align"):
            element.attrs.pop(name, None)
        if aligned:
            element["style"] = f"text-align: {aligned}"
    for span in soup.find_all(["span", "font"]):
        if not span.attrs or span.name == "font":
            span.unwrap()
    for element in soup.find_all(["p", "div"]):
        if not element.get_text(strip=True) and not element.find(["img", "table", "hr"]):
            element.decompose()


def _says_in_markdown(soup) -> bool:
    for element in soup.find_all(True):
        if element.name not in MARKDOWN_TAGS or set(element.attrs) - MARKDOWN_ATTRIBUTES:
            return False
    return True


def _markdown(html: str) -> str:
    from markdownify import markdownify
    text = markdownify(html, heading_style="ATX", bullets="-", escape_underscores=True, escape_asterisks=True)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip() + "\n"


def _same_words(text: str, words) -> bool:
    import markdown
    return search_words(plain_text(markdown.markdown(text))) == words


def _html(html: str) -> str:
    """Sanitised HTML that keeps alignment (the build makes classes of it), in one block Markdown leaves alone."""
    clean = nh3.clean(html, tags=KEPT_TAGS, attributes=KEPT_ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                      link_rel=None, filter_style_properties={"text-align"}, strip_comments=True)
    clean = re.sub(r"\n\s*\n", "\n", clean.strip())      # a blank line would end Markdown's raw block
    return f"<div>\n{clean}\n</div>\n" if clean else ""
