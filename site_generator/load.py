"""Stage 1: files -> raw documents that remember their source path and lines.

Bytes are decoded as UTF-8 (a failure names the byte offset), normalised to NFC,
and front matter is parsed with PyYAML's composer so that every key and value
keeps its line in the file. Values stay raw (the text the editor typed); the
validate stage gives them types, so YAML 1.1 surprises such as ``title: Yes``
becoming ``True`` cannot happen.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import inputs, messages
from .problems import Problems
from .text import nfc

try:  # the C parser is much faster; PyYAML falls back to pure Python without libyaml
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

NULL_TAG = "tag:yaml.org,2002:null"

# PyYAML's English explanations -> the reason said in the editor's language (messages.YAML_REASONS).
# The C parser (libyaml, the one that runs) and the pure-Python one word most problems differently:
# both wordings are listed. Tabs, curly quotes and characters that cannot start a value are told
# apart by the text of the line itself (see _reason).
_YAML_REASONS = (
    ("mapping values are not allowed", "colon"),                    # "... here" / "... in this context"
    ("could not find expected ':'", "no-colon"),
    ("found unexpected end of stream", "unclosed-quote"),
    ("expected ',' or ']'", "unclosed-list"),
    ("did not find expected ',' or ']'", "unclosed-list"),
    ("expected ',' or '}'", "unclosed-map"),
    ("did not find expected ',' or '}'", "unclosed-map"),
    ("did not find expected key", "indent"),
    ("expected <block end>", "indent"),
    ("found undefined alias", "star"),
    ("found unknown escape character", "backslash"),
    ("expected alphabetic or numeric character", "ampersand"),
    ("did not find expected alphabetic or numeric character", "ampersand"),
    ("found character", "bad-start"),                               # "... '%' that cannot start any token"
    ("found duplicate", "directive"),                               # "... YAML directive" / "... %YAML directive"
    ("found incompatible YAML document", "directive"),
    ("unacceptable character", "control"),                          # reader errors: both parsers
    ("control characters are not allowed", "control"),
    ("special characters are not allowed", "control"),
)
CURLY_QUOTES = "\u201c\u201d\u2018\u2019"                           # “ ” ‘ ’ as Word and phone keyboards type them


@dataclass
class Node:
    """One YAML value with its line (1-based) in the source file.

    ``value`` is a ``str`` for scalars, ``list[Node]`` for sequences and
    ``dict[str, Node]`` for mappings. ``null`` is a plain scalar such as ``~``,
    ``null`` or nothing at all.
    """
    value: Any
    line: int
    kind: str            # "scalar" | "seq" | "map"
    null: bool = False
    quoted: bool = False
    source: str = ""     # the file it was read from, when not the one its parent came from (inherit.py)

    def get(self, key: str) -> "Node | None":
        return self.value.get(key) if self.kind == "map" else None

    def plain(self) -> Any:
        """The value as plain Python data, every scalar a string (None for null)."""
        if self.kind == "map":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.plain() for v in self.value]
        return None if self.null else self.value


@dataclass
class Document:
    """A Markdown file under content/: front matter as nodes (once :func:`parse_front` has read its
    text), body as text."""
    path: str              # relative to the site folder: "content/tin-tuc/a.md"
    content_path: str      # relative to content/: "tin-tuc/a.md"
    section: str           # first folder under content/
    front: Node | None     # a mapping, or None when absent, unreadable or not parsed yet
    body: str
    body_line: int         # line number of the body's first line in the file
    raw_bytes: int = 0
    front_digest: bytes = b""  # of the front matter's text: what its validated form can be remembered by
    front_text: str | None = None   # the text between the "---" lines, until parse_front() reads it


@dataclass(frozen=True)
class Asset:
    """A file under content/ that is not Markdown (attachment, image).

    ``sha256`` and ``pages`` (PDF page count) are filled for attachments only,
    by :func:`attachment_facts`: anyone can check a download against them. ``text``: a PDF's
    pages or a Word file's text (attachtext.extract; None when not read or unreadable).
    """
    content_path: str
    size: int
    sha256: str = ""
    pages: int | None = None
    text: tuple | None = None


@dataclass
class SiteFiles:
    root: Path
    config: Node | None = None
    data: dict = field(default_factory=dict)                  # data/ file name -> Node, for the kinds' files
    documents: list[Document] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)
    folders: dict[str, bool] = field(default_factory=dict)   # first-level folder -> holds .md files
    stray: list[str] = field(default_factory=list)            # .md files directly in content/
    templates: list = field(default_factory=list)             # inputs.Found of the site's own templates/
    static: list = field(default_factory=list)                # inputs.Found of the site's own static/


def rel(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` with "/" separators (string work: pathlib's is slow for 20,000 files)."""
    base, full = str(root), str(path)
    if full.startswith(base) and full[len(base):len(base) + 1] == os.sep:
        return full[len(base) + 1:].replace(os.sep, "/")
    return os.path.relpath(full, base).replace(os.sep, "/")


def decode(data: bytes, path: str, problems: Problems) -> str | None:
    """UTF-8 bytes -> NFC text with ``\\n`` line ends; None (and a problem) when not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problems.add(path, line, "not-utf8", offset=err.start, nth=err.start + 1)
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text)


def parse_yaml(text: str, path: str, first_line: int, problems: Problems) -> Node | None:
    """YAML text -> Node tree; ``first_line`` is the file line of the text's first line."""
    loader = None
    try:
        loader = _Loader(text)                  # the pure-Python reader checks characters here already
        root = loader.get_single_node()
    except RecursionError:
        problems.add(path, first_line, "yaml-too-deep", depth=MAX_YAML_DEPTH)
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        _syntax(problems, path, text, first_line, mark.line if mark else 0, mark.column if mark else -1,
                err.problem or str(err))
        return None
    except yaml.YAMLError as err:  # reader errors (control characters): a position in the text, no mark
        position = getattr(err, "position", None)
        line = text.count("\n", 0, position) if isinstance(position, int) else 0
        column = position - (text.rfind("\n", 0, position) + 1) if isinstance(position, int) else -1
        _syntax(problems, path, text, first_line, line, column, str(err).splitlines()[0])
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return Node({}, first_line, "map")
    return _convert(root, path, first_line, problems, set(), 0)


def _syntax(problems: Problems, path: str, text: str, first_line: int, line: int, column: int, detail: str) -> None:
    """One YAML syntax error, said in the editor's words: a Tab or curly quotes on the line are named as
    such (the parser's own words send an editor who typed “...” to add quotes they think are there)."""
    lines = text.split("\n")
    here = lines[line] if 0 <= line < len(lines) else ""
    char = here[column] if 0 <= column < len(here) else ""
    where = dict(column=column + 1 if column >= 0 else 0, col=column + 1 if column >= 0 else 0)
    reason = _reason(detail)
    if char == "\t" or (reason in ("bad-start", "indent", "no-colon") and "\t" in here[:len(here) - len(here.lstrip())]):
        problems.add(path, first_line + line, "yaml-tab", **where)
    elif any(c in here for c in CURLY_QUOTES):
        problems.add(path, first_line + line, "yaml-curly-quotes", **where)
    elif reason:
        shown = "Tab" if char == "\t" else (char if char.isprintable() else f"U+{ord(char):04X}") if char else "?"
        problems.add(path, first_line + line, "yaml-syntax", reason=reason, char=shown, detail=detail, **where)
    else:
        problems.add(path, first_line + line, "yaml-syntax-other", detail=detail, **where)


def _reason(detail: str) -> str:
    """The key of messages.YAML_REASONS for one of PyYAML's messages (either parser); "" for one we do not know."""
    for english, reason in _YAML_REASONS:
        if detail.startswith(english):
            return reason
    return ""


MAX_YAML_DEPTH = 12    # site.yaml's deepest field is 3 levels down; inspections' findings 4


def _convert(node: yaml.Node, path: str, first_line: int, problems: Problems, seen: set, depth: int) -> Node:
    """YAML nodes -> Node tree. An alias (``*name``, the composer gives the same node again) is refused
    rather than copied: aliases of aliases grow a 400-byte text into billions of values."""
    line = first_line + node.start_mark.line
    if id(node) in seen:
        problems.add(path, line, "yaml-alias")
        return Node("", line, "scalar", null=True)
    if depth > MAX_YAML_DEPTH:
        problems.add(path, line, "yaml-too-deep", depth=MAX_YAML_DEPTH)
        return Node("", line, "scalar", null=True)
    if not isinstance(node, yaml.ScalarNode):
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key_line = first_line + key_node.start_mark.line
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in items:
                problems.add(path, key_line, "duplicate-key", key=key)
            value = _convert(value_node, path, first_line, problems, seen, depth + 1)
            value.line = key_line      # messages about a key point at the key's line
            items[key] = value
        return Node(items, line, "map")
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, path, first_line, problems, seen, depth + 1) for v in node.value], line, "seq")
    return Node(node.value, line, "scalar", null=node.tag == NULL_TAG and node.style is None,
                quoted=node.style in ("'", '"'))


def split_front_matter(text: str, path: str, problems: Problems) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, body's first line number)."""
    end = text.find("\n")
    if (text if end < 0 else text[:end]).rstrip() != "---":
        problems.add(path, 1, "no-front-matter")
        return None, text, 1
    start, number = end + 1, 2                       # the front matter's first line, and its number
    at = start
    while end >= 0:
        end = text.find("\n", at)
        line = text[at:] if end < 0 else text[at:end]
        if line.rstrip() in ("---", "..."):
            return text[start:max(at - 1, start)], "" if end < 0 else text[end + 1:], number + 1
        at, number = end + 1, number + 1
    problems.add(path, 1, "front-matter-unclosed")
    return None, "", number


def read_document(root: Path, file: Path, problems: Problems, parsed=None, source: Path | None = None) -> Document | None:
    """One .md file (``source``: the file to read when ``file`` is a link to it), its front matter parsed
    (:func:`parse_front`, with ``parsed``)."""
    document = _document(rel(root, file), rel(root / "content", file), source or file, problems)
    if document is not None:
        parse_front(document, problems, parsed)
    return document


def _document(path: str, content_path: str, source, problems: Problems) -> Document | None:
    data = _read(source, path, problems)
    text = None if data is None else decode(data, path, problems)
    if text is None:
        return None
    front_text, body, body_line = split_front_matter(text, path, problems)
    section = content_path.split("/", 1)[0] if "/" in content_path else ""
    digest = b"" if front_text is None else \
        hashlib.sha256(front_text.encode("utf-8", "surrogatepass")).digest()[:16]
    return Document(path, content_path, section, None, body, body_line, len(data), digest, front_text)


def parse_front(document: Document, problems: Problems, parsed=None) -> Node | None:
    """The document's front matter as nodes (a mapping), or None with its problems. ``parsed``
    (optional: ``get(key)``/``put(key, node)``) remembers front matter already parsed, by the digest
    of its text; only front matter that parsed without a problem is kept."""
    text, document.front_text = document.front_text, None
    if text is None:
        return document.front
    front = parsed.get(document.front_digest) if parsed is not None else None
    if front is None:
        before = len(problems.items)
        front = parse_yaml(text, document.path, 2, problems)
        if parsed is not None and front is not None and len(problems.items) == before:
            parsed.put(document.front_digest, front)
    if front is not None and front.kind != "map":
        problems.add(document.path, front.line, "not-a-mapping", what="front matter")
        front = None
    document.front = front
    return front


def read_yaml_file(root: Path, name: str, problems: Problems) -> Node | None:
    """``site.yaml`` or ``data/units.yaml``: None when absent, refused (see inputs.single) or unreadable."""
    file = inputs.single(root, name, problems)
    data = None if file is None else _read(file, name, problems)
    text = None if data is None else decode(data, name, problems)
    return None if text is None else parse_yaml(text, name, 1, problems)


def _read(file: Path, path: str, problems: Problems) -> bytes | None:
    try:
        return inputs.read(file)
    except OSError as err:
        problems.add(path, 0, "input-unreadable", detail=messages.os_reason(err))
        return None


def load(root: Path, problems: Problems, data: tuple = (), province: Path | None = None) -> SiteFiles:
    """Read site.yaml (under what ``province`` gives every commune: inherit.py), the ``data`` files named
    (data/units.yaml, data/leaders.yaml...) and every file under content/ (documents' front matter left
    for parse_front); check what templates/ and static/ hold (see inputs)."""
    files = SiteFiles(root)
    files.config = load_config_only(root, problems, province)
    files.data = {name: read_yaml_file(root, f"data/{name}", problems) for name in data}
    for top in ("templates", "static"):
        setattr(files, top, inputs.scan(root, top, problems))
    for found in inputs.scan(root, "content", problems):
        content_path = found.relative
        first = content_path.split("/", 1)[0] if "/" in content_path else ""
        if content_path.endswith(".md"):
            if not first:
                files.stray.append(f"content/{content_path}")
                continue
            files.folders[first] = True
            document = _document(f"content/{content_path}", content_path, found.path, problems)
            if document is not None:
                files.documents.append(document)
            continue
        if first:
            files.folders.setdefault(first, False)
        if content_path.lower().endswith(".md.txt"):        # "bai moi.md" saved by Notepad: Windows hides ".txt"
            problems.add(f"content/{content_path}", 0, "markdown-as-text", name=content_path.rsplit("/", 1)[-1],
                         fixed=content_path.rsplit("/", 1)[-1][:-4])
        elif not inputs.publishable(content_path):
            problems.add(f"content/{content_path}", 0, "file-type-refused", ext=inputs.extension(content_path) or "?")
        elif not inputs.looks_like_its_type(found.path, content_path):
            problems.add(f"content/{content_path}", 0, "file-type-mismatch", ext=inputs.extension(content_path))
        else:
            files.assets[content_path] = Asset(content_path, found.size)
    return files


def attachment_facts(root: Path, asset: Asset) -> Asset:
    """Hash an attachment and count a PDF's pages (None when the PDF cannot be read)."""
    import hashlib

    file = root / "content" / asset.content_path
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    pages = pdf_pages(file) if asset.content_path.lower().endswith(".pdf") else None
    return Asset(asset.content_path, asset.size, digest.hexdigest(), pages)


def pdf_pages(file: Path) -> int | None:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return len(PdfReader(file).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None


def load_config_only(root: Path, problems: Problems, province: Path | None = None) -> Node | None:
    """site.yaml alone (for commands that do not read the content), over ``province``'s defaults."""
    from . import inherit
    config = read_yaml_file(root, "site.yaml", problems)
    if config is None and not os.path.lexists(root / "site.yaml"):
        problems.add("site.yaml", 0, "missing-site-config")
    return inherit.site_config(config, root, province, problems) if province is not None else config
