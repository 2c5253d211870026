"""A Word document (.docx) as a draft post: ``python build.py new SECTION --from ket-luan.docx``.

Beside the pipeline (the pipeline never imports it). :func:`convert` is a plain function, bytes in,
Markdown and images out, so that other tools (a web editor's backend) can call it too;
:func:`write_post` puts its result into a site: the post in ``content/SECTION/`` with ``draft: true``,
the images in ``content/files/<slug>/`` under ASCII names, and the original ``.docx`` beside them,
listed under ``attachments:``.

A .docx comes from anyone's computer, so it is untrusted: before mammoth (the converter) reads it,
the zip's table of contents is checked (entries, declared sizes: Python's zip reader never yields
more than a member declares, and a member whose bytes do not match its checksum is an error), and
each image is checked again by its bytes (its real type, its size, its pixels). What cannot be
used is a problem (a value, with a Vietnamese and an English text in :mod:`messages`), never a
traceback. Vietnamese text comes out in NFC.
"""
from __future__ import annotations

import functools
import io
import json
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import inputs
from .problems import WARNING, Problems
from .text import nfc, plain_text, slugify

MAX_DOCX_BYTES = 64 << 20            # the .docx itself (a scanned report is a PDF, not a Word file)
MAX_MEMBERS = 5_000                  # files inside the zip
MAX_UNPACKED_BYTES = 256 << 20       # all of them, unpacked, as the zip declares them
MAX_PART_BYTES = 32 << 20            # one XML part (document.xml) unpacked: mammoth holds it in memory
MAX_RATIO = 200                      # unpacked / packed for a member over 1 MB: more is a zip bomb
MAX_IMAGE_BYTES = 20 << 20           # one image
MAX_IMAGE_PIXELS = 60_000_000        # width × height: a phone decodes it into memory
MAX_IMAGES = 500
MAX_TITLE = 300                      # characters

IMAGE_TYPES = {                      # extension -> how its bytes start (inputs.PUBLISHED's images)
    "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
_PLACEHOLDER = "wordin-hinh-{}-7d1c"  # an image's src until the post's folder is known
_PLACEHOLDER_RE = re.compile(r"wordin-hinh-(\d+)-7d1c")
_KEPT_SCHEMES = ("http://", "https://", "mailto:", "tel:")
TABLE_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "p", "br", "strong", "em", "b", "i",
              "u", "s", "sub", "sup", "ul", "ol", "li", "a", "img"}
TABLE_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


@dataclass(frozen=True)
class Image:
    name: str                        # hinh-1.png: ASCII, its extension from its bytes
    data: bytes
    alt: str


@dataclass
class Converted:
    """A converted document: its title (None when it has none), its blocks and images."""
    title: str | None
    blocks: list = field(default_factory=list)      # Markdown or sanitised HTML, images as placeholders
    images: list = field(default_factory=list)      # Image

    def markdown(self, images_at: str = "") -> str:
        """The body, each image linked at ``images_at + image.name`` (``/files/<slug>/``)."""
        names = {str(number): image.name for number, image in enumerate(self.images, 1)}
        text = "\n\n".join(self.blocks)
        text = _PLACEHOLDER_RE.sub(lambda m: images_at + names.get(m.group(1), ""), text)
        return text.strip() + "\n" if text.strip() else ""


def convert(data: bytes, source: str, problems: Problems, drop_title: str | None = None) -> Converted | None:
    """A .docx's bytes as Markdown (tables as sanitised HTML) and images; None, with problems naming
    ``source``, when it cannot be read. The title is its first heading, else its first paragraph that
    is all bold (that block is left out of the body); ``drop_title``, when given, is the title instead
    and its heading is left out only when it says the same."""
    if not _usable_zip(data, source, problems):
        return None
    import mammoth
    images: list[Image] = []

    def image(element) -> list:
        kept = _image(element, source, len(images) + 1, problems) if len(images) < MAX_IMAGES else None
        if kept is None:
            if len(images) >= MAX_IMAGES:
                problems.add(source, 0, "word-too-many-images", WARNING, limit=MAX_IMAGES)
            return []
        images.append(kept)
        return [mammoth.html.element("img", {"src": _PLACEHOLDER.format(len(images)), "alt": kept.alt})]

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=image, external_file_access=False)
        html = nfc(result.value)
    except Exception as err:                 # a corrupt document: mammoth's own errors, zip, XML, recursion...
        problems.add(source, 0, "word-corrupt", detail=type(err).__name__)
        return None
    if problems.errors:                       # an image too large: the editor makes it smaller first
        return None
    try:
        return _blocks(html, images, source, problems, drop_title)
    except RecursionError:
        problems.add(source, 0, "word-corrupt", detail="RecursionError")
        return None


def title_of(converted: Converted, source: str) -> str:
    """The title: the document's, else its file name without the extension."""
    if converted.title:
        return converted.title
    stem = Path(source.replace("\\", "/").rsplit("/", 1)[-1]).stem
    return _one_line(stem.replace("_", " ").replace("-", " ")) or "Bài viết mới"


def _usable_zip(data: bytes, source: str, problems: Problems) -> bool:
    if len(data) > MAX_DOCX_BYTES:
        problems.add(source, 0, "word-too-large", size=_mb(len(data)), limit=_mb(MAX_DOCX_BYTES))
        return False
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        problems.add(source, 0, "word-old-doc")
        return False
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        problems.add(source, 0, "word-not-docx")
        return False
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        problems.add(source, 0, "word-not-docx")
        return False
    total = sum(m.file_size for m in members)
    bomb = len(members) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or any(
        m.file_size > 1 << 20 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members) or any(
        m.file_size > MAX_PART_BYTES for m in members if not m.filename.startswith("word/media/"))
    if bomb:
        problems.add(source, 0, "word-bomb", members=len(members), size=_mb(total), limit=_mb(MAX_UNPACKED_BYTES))
        return False
    return True


def _image(element, source: str, number: int, problems: Problems) -> Image | None:
    """The image's bytes when they are a PNG, JPEG, GIF or WebP of a sane size; else None and a problem: an error
    for an image too large (the office makes it smaller), a warning for a type the portal does not publish (a
    Word drawing, EMF/WMF: it is left out and the editor told)."""
    alt = _one_line(nfc(element.alt_text or ""))
    try:
        with element.open() as handle:
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except Exception as err:               # a missing or corrupt part, a link to a file outside the document
        problems.add(source, 0, "word-image-unreadable", WARNING, number=number, detail=type(err).__name__)
        return None
    if len(data) > MAX_IMAGE_BYTES:
        problems.add(source, 0, "word-image-too-large", number=number, limit=_mb(MAX_IMAGE_BYTES))
        return None
    kind = _sniff(data)
    if kind is None:
        shown = (element.content_type or "?").split("/")[-1][:20]
        problems.add(source, 0, "word-image-type", WARNING, number=number, type=shown)
        return None
    size = inputs.pixel_size(data)
    if size is None or size[0] * size[1] > MAX_IMAGE_PIXELS or 0 in size:
        problems.add(source, 0, "word-image-pixels", number=number,
                     size=f"{size[0]}×{size[1]}" if size else "?", limit=f"{MAX_IMAGE_PIXELS // 1_000_000}")
        return None
    return Image(f"hinh-{number}.{kind}", data, alt)


def _sniff(data: bytes) -> str | None:
    for kind, signatures in IMAGE_TYPES.items():
        if any(data.startswith(s) for s in signatures) and (kind != "webp" or data[8:12] == b"WEBP"):
            assert kind in inputs.PUBLISHED                     # only what the build publishes
            return kind
    return None


def _blocks(html: str, images: list, source: str, problems: Problems, drop_title: str | None) -> Converted:
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html.parser")
    for anchor in soup.find_all("a"):
        href = (anchor.get("href") or "").strip()
        if not href.lower().startswith(_KEPT_SCHEMES):
            # bookmarks, footnote anchors, file:/// links to the writer's own computer: the words stay
            if href.lower().startswith("file:"):
                problems.add(source, 0, "word-local-link", WARNING, target=href[:120])
            anchor.unwrap()
        else:
            anchor.attrs = {"href": href}
    top = [child for child in soup.children if getattr(child, "name", None)]
    title, used = None, None
    for element in top:
        text = _one_line(element.get_text())
        if not text:
            continue
        if element.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            title, used = text, element
        elif element.name == "p" and _all_bold(element):
            title, used = text, element
        break
    if title is None:                         # no heading first: the first heading anywhere
        heading = soup.find(["h1", "h2", "h3", "h4", "h5", "h6"])
        if heading is not None and _one_line(heading.get_text()):
            title, used = _one_line(heading.get_text()), heading
    if drop_title is not None and (title is None or _one_line(drop_title) != title):
        used = None
    if used is not None:
        used.decompose()
    blocks = []
    for element in soup.children:
        if not getattr(element, "name", None):
            continue
        if element.name != "table" and not element.get_text(strip=True) and not element.find("img"):
            continue
        blocks.append(_block(element))
    return Converted(title[:MAX_TITLE] if title else None, [b for b in blocks if b], images)


def _all_bold(paragraph) -> bool:
    words = "".join(s for s in paragraph.find_all(string=True)).strip()
    bold = "".join(s for tag in paragraph.find_all(["strong", "b"]) for s in tag.find_all(string=True)).strip()
    return bool(words) and words == bold


def _block(element) -> str:
    """One top-level element as Markdown when that says the same words, else as sanitised HTML."""
    if element.name != "table":
        text = _converter().convert(str(element))
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip()
        if _same_words(text, element):
            return text
    return _html(str(element))


_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([-+#>]|\d+(?=[.)]))")
_MARKUP = re.compile(r"([\\`\[\]!])")


@functools.cache
def _converter():
    """markdownify, escaping Word's text for Python-Markdown: ``<`` and entity-like ``&`` as entities (a
    backslash does not escape them there), backquotes, brackets, and what would start a list, heading or
    quote (``1.``, ``-``, ``#``, ``>``)."""
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        def escape(self, text, parent_tags):
            if not text or "_noformat" in parent_tags:
                return text or ""
            text = _MARKUP.sub(r"\\\1", text)
            text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
            text = _LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                           else "\\" + m.group(2)), text)
            return text.replace("*", r"\*").replace("_", r"\_")

    return Converter(heading_style="ATX", bullets="-")


def _same_words(text: str, element) -> bool:
    import markdown
    def letters(fragment: str) -> str:            # every character a reader sees, spacing aside
        return "".join(plain_text(fragment).split())
    return letters(markdown.markdown(text)) == letters(str(element))


def _html(fragment: str) -> str:
    """Sanitised HTML in one block (no blank line: that would end Markdown's raw block)."""
    import nh3
    clean = nh3.clean(fragment, tags=TABLE_TAGS, attributes=TABLE_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "tel"}, link_rel=None, strip_comments=True)
    clean = re.sub(r"\n\s*\n", "\n", clean.strip())
    return f"<div>\n{clean}\n</div>" if clean else ""


def _one_line(text: str) -> str:
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


def _mb(size: int) -> str:
    tenths = -(-size * 10 // (1 << 20))
    return f"{tenths // 10},{tenths % 10} MB"


# --- into a site ------------------------------------------------------------------------------


@dataclass
class Written:
    post: str                           # content/SECTION/....md, relative to the site
    files: list = field(default_factory=list)


def read_source(path: Path, problems: Problems) -> bytes | None:
    """The .docx file's bytes (a regular file within the limit), or None with a problem."""
    shown = str(path)
    if inputs.extension(path.name) != "docx":
        problems.add(shown, 0, "word-old-doc" if inputs.extension(path.name) == "doc" else "word-not-docx")
        return None
    try:
        return inputs.read(path, MAX_DOCX_BYTES)
    except OSError as err:
        if path.is_file() and path.stat().st_size > MAX_DOCX_BYTES:
            problems.add(shown, 0, "word-too-large", size=_mb(path.stat().st_size), limit=_mb(MAX_DOCX_BYTES))
        else:
            from . import messages
            problems.add(shown, 0, "word-unreadable", detail=messages.os_reason(err))
        return None


def write_post(root: Path, section: str, pages: bool, source: Path, data: bytes, title: str | None, now,
               problems: Problems) -> Written | None:
    """Convert ``data`` (the bytes of ``source``) and write the draft, its images and the .docx into the site
    at ``root``; None (problems said) when the document cannot be used or the post's file already exists."""
    converted = convert(data, str(source), problems, drop_title=title)
    if converted is None:
        return None
    title = _one_line(nfc(title)) if title else title_of(converted, source.name)
    slug = slugify(title) or slugify(source.stem) or "bai-viet"
    content = root / "content"
    name = f"{slug}.md" if pages else f"{now:%Y-%m-%d}-{slug}.md"
    target = content / section / name
    if target.exists():
        problems.add(target.relative_to(root).as_posix(), 0, "word-post-exists")
        return None
    folder, number = f"files/{slug}", 1
    while (content / folder).exists():
        number += 1
        folder = f"files/{slug}-{number}"
    stem = slugify(source.stem)[:80].strip("-") or "van-ban"
    original = f"{folder}/{stem}.docx"
    body = converted.markdown(f"/{folder}/")
    written = Written(target.relative_to(root).as_posix())
    (content / folder).mkdir(parents=True)
    for image in converted.images:
        (content / folder / image.name).write_bytes(image.data)
        written.files.append(f"content/{folder}/{image.name}")
    (content / original).write_bytes(data)
    written.files.append(f"content/{original}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(FRONT_MATTER.format(title=_quoted(title), date=f"{now:%Y-%m-%d %H:%M}", slug=slug,
                                          file=f"/{original}", file_title=_quoted(f"Tệp Word gốc: {source.name}"))
                      + "\n" + body, encoding="utf-8")
    return written


def _quoted(text: str) -> str:
    return json.dumps(nfc(text), ensure_ascii=False)        # a YAML double-quoted string


FRONT_MATTER = """---
title: {title}
date: {date}
slug: {slug}
draft: true            # bản nháp chuyển từ tệp Word: xem lại nội dung, rồi xóa dòng này để đăng
summary: ""            # tóm tắt một hai câu (để trống: lấy đoạn đầu bài)
tags: []               # ví dụ: [CCHC, "Chuyển đổi số"]
attachments:
  - file: {file}
    title: {file_title}
---
"""
