"""Raw HTML in a body gets what Markdown's own elements get (see :mod:`markup`).

Python-Markdown keeps raw HTML (a block of it, or a tag inside a paragraph) aside as text and
puts it back after its tree processors ran, so links, images, headings and tables written in
HTML - what an old portal's pages are made of - would skip the link rewriting, the file
checks, the heading levels and the table box. :func:`rewrite` takes one such fragment through
the same steps, tag by tag: the fragment is tokenised by the standard library's HTML parser
and written out again, with

- ``a[href]`` and ``img[src]`` passed to the body's link rewriter (the same resolution,
  sub-path and problems as ``[text](target)``);
- ``h1``-``h5`` one level down when the body has an ``h1`` (the page's title is its only one);
- each ``table`` inside the scrollable box Markdown's tables get;
- alignment (``align="center"``, ``style="text-align: right"``) as a class: the portal's
  Content-Security-Policy allows no inline style;
- text and attribute values with their entities decoded and in NFC (``tr&ocirc;̀ng`` is
  "trồng"), escaped again; comments and declarations dropped.

What the output may still hold is the sanitiser's business (:func:`markup.sanitize` runs on the
whole body afterwards): this module only makes raw HTML as good as Markdown, never safer.
"""
from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
ALIGNED = frozenset({"p", "div", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "li", "blockquote",
                     "figure", "figcaption", "span"})
ALIGNMENT_CLASSES = {"center": "can-giua", "right": "can-phai", "justify": "can-deu"}
_TEXT_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*([a-z-]+)", re.I)
_H1 = re.compile(r"<h1[\s/>]", re.I)
_TABLE = re.compile(r"<table[\s/>]", re.I)


def has_h1(fragment: str) -> bool:
    return _H1.search(fragment) is not None


def tables(fragment: str) -> int:
    return len(_TABLE.findall(fragment))


def aligned(attributes: dict) -> str | None:
    """An element's alignment (``align``, or ``text-align`` in ``style``) when it is one kept: center, right,
    justify (left is the default); else None."""
    value = (attributes.get("align") or "").strip().lower()
    match = _TEXT_ALIGN.search(attributes.get("style") or "")
    if match:
        value = match.group(1).lower()
    return value if value in ALIGNMENT_CLASSES else None


def alignment(attributes: dict) -> str | None:
    """The class for an element's alignment, or None."""
    return ALIGNMENT_CLASSES.get(aligned(attributes))


class Rewriter:
    """What :func:`rewrite` does with the tags it meets (the body's conversion supplies these)."""

    demote: bool = False                       # h1-h5 one level down

    def link(self, href: str) -> str:
        return href

    def image(self, attributes: dict) -> dict:
        return attributes

    def table_open(self) -> str:                 # what goes before <table>
        return ""

    def table_close(self) -> str:                # what goes after </table>
        return ""

    def classes(self, tag: str, attributes: dict) -> str | None:
        """The class attribute the element gets (None: none)."""
        return None


def rewrite(fragment: str, rewriter: Rewriter) -> str:
    parser = _Parser(rewriter)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _Parser(HTMLParser):
    def __init__(self, rewriter: Rewriter):
        super().__init__(convert_charrefs=True)
        self.rewriter = rewriter
        self.out: list[str] = []

    def _tag(self, tag: str) -> str:
        if self.rewriter.demote and len(tag) == 2 and tag[0] == "h" and tag[1] in "12345":
            return "h" + str(int(tag[1]) + 1)
        return tag

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes: dict = {}
        for name, value in attrs:                 # the first of a repeated attribute wins, as in browsers
            attributes.setdefault(name, nfc(value) if value is not None else "")
        rewriter = self.rewriter
        if tag == "a" and attributes.get("href"):
            attributes["href"] = rewriter.link(attributes["href"])
        elif tag == "img" and "src" in attributes:
            attributes = rewriter.image(attributes)
        if tag in ALIGNED or tag == "table":
            marked = rewriter.classes(tag, attributes)
            attributes.pop("class", None)
            if marked:
                attributes["class"] = marked
        attributes.pop("style", None)
        attributes.pop("align", None)
        if tag == "table":
            self.out.append(rewriter.table_open())
        shown = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
        self.out.append(f"<{self._tag(tag)}{shown}>")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.out.append(f"</{self._tag(tag)}>")
        if tag == "table":
            self.out.append(self.rewriter.table_close())

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(nfc(data), quote=False))

    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass
