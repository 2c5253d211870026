"""Where imported pages come from: a folder of saved pages, a WordPress export, a JSON or CSV list.

Each reader yields :class:`Item` records (plain text as found; the importer cleans it) and
:class:`Skipped` notes. Nothing here follows a symbolic link, opens a device or reads past a
size limit: the source is an old portal's mirror, as untrusted as any content.
"""
from __future__ import annotations

import csv
import io
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

MAX_PAGE_BYTES = 8 << 20           # one saved page or one export file's item
MAX_SOURCE_BYTES = 512 << 20       # a JSON, CSV or WXR file
MAX_PAGES = 200_000

# CSS selectors of the platforms we recognise (the config may name its own).
PRESETS = {
    "sharepoint-lacviet": {           # SharePoint 2010 portals with LacViet news web parts (many district portals)
        "title": "#part1 p.Title", "date": "td.Time", "category": "td.FolderTitle",
        "summary": "#part1 b.lv_description_mode1", "body": "#part1 div[class^=ExternalClass]",
        "attachments": "#part1 a.htvb_ahref[href]",
    },
    "wordpress": {
        "title": "h1.entry-title", "date": "time.entry-date[datetime], time[datetime]",
        "category": ".cat-links a", "author": ".author a, .byline a", "body": "div.entry-content",
        "summary": "", "attachments": "",
    },
    "joomla": {
        "title": "[itemprop=headline], .page-header h2, .item-page h2", "date": "time[itemprop=datePublished]",
        "category": "[itemprop=genre], .category-name a", "author": "[itemprop=author] [itemprop=name]",
        "body": "[itemprop=articleBody]", "summary": "", "attachments": "",
    },
}


@dataclass
class Item:
    """One page of the old portal, as read."""
    origin: str                        # where it was found (a file, "file.json #3"): for the report
    title: str = ""
    date: str = ""
    url: str = ""                      # the old address
    category: str = ""
    author: str = ""
    summary: str = ""
    body_html: str = ""
    files: list = field(default_factory=list)     # paths relative to ``base`` (JSON, CSV) or URLs (pages)
    base: Path | None = None           # the folder ``files`` and local links are found in
    draft: bool = False


@dataclass(frozen=True)
class Skipped:
    origin: str
    reason: str


class SourceError(Exception):
    """The source as a whole cannot be read (the message is for the user)."""


def read_file(path: Path, limit: int) -> bytes:
    """A regular file's bytes, never through a link, never past ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise SourceError(f"không mở được {path}: {err.strerror}") from err
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path} không phải tệp thường")
        if info.st_size > limit:
            raise SourceError(f"{path} lớn quá {limit >> 20} MB")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"{path} lớn quá {limit >> 20} MB")
    return data


def text_of(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):       # old Vietnamese pages: UTF-8, rarely Windows-1258
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def detect(source: Path) -> str:
    if source.is_dir():
        return "html"
    suffix = source.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv":
        return "csv"
    if suffix == ".xml":
        return "wxr"
    raise SourceError(f"không nhận ra dạng của {source.name}: ghi --format html|wxr|json|csv")


# ------------------------------------------------------------------------ JSON and CSV

FIELDS = ("title", "date", "url", "category", "author", "summary", "body_html", "files")


def from_json(source: Path):
    try:
        records = json.loads(text_of(read_file(source, MAX_SOURCE_BYTES)))
    except json.JSONDecodeError as err:
        raise SourceError(f"{source.name}: JSON sai ở dòng {err.lineno}: {err.msg}") from err
    if not isinstance(records, list):
        raise SourceError(f"{source.name}: cần một mảng JSON các bài ([{{...}}, ...])")
    yield from _records(source, records, lambda n: f"{source.name} #{n}")


def from_csv(source: Path):
    rows = list(csv.DictReader(io.StringIO(text_of(read_file(source, MAX_SOURCE_BYTES)))))
    for row in rows:
        files = row.get("files") or ""
        row["files"] = [f.strip() for f in files.replace("|", ";").split(";") if f.strip()]
    yield from _records(source, rows, lambda n: f"{source.name} dòng {n + 1}")


def _records(source: Path, records: list, where):
    for number, record in enumerate(records[:MAX_PAGES], 1):
        if not isinstance(record, dict):
            yield Skipped(where(number), "không phải một đối tượng {...}")
            continue
        values = {k: record.get(k) for k in FIELDS}
        files = values.pop("files") or []
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            yield Skipped(where(number), "`files` phải là danh sách đường dẫn")
            continue
        texts = {k: v if isinstance(v, str) else "" if v is None else str(v) for k, v in values.items()}
        yield Item(where(number), files=files, base=source.parent, **texts)


# ------------------------------------------------------------------------ WordPress (WXR)

def from_wxr(source: Path):
    from defusedxml import ElementTree        # no entity expansion, no external entities: an export is untrusted
    try:
        root = ElementTree.fromstring(read_file(source, MAX_SOURCE_BYTES))
    except (ElementTree.ParseError, ValueError) as err:
        raise SourceError(f"{source.name}: XML sai: {err}") from err
    except Exception as err:                  # defusedxml refuses entity declarations
        raise SourceError(f"{source.name}: tệp xuất WordPress không hợp lệ ({type(err).__name__})") from err
    ns = {"wp": _namespace(root, "wp"), "content": "http://purl.org/rss/1.0/modules/content/",
          "excerpt": _namespace(root, "excerpt"), "dc": "http://purl.org/dc/elements/1.1/"}
    for number, item in enumerate(root.iter("item"), 1):
        where = f"{source.name} mục {number}"
        kind = item.findtext("wp:post_type", "", ns)
        status = item.findtext("wp:status", "", ns)
        if kind not in ("post", "page"):
            if kind != "attachment":
                yield Skipped(where, f"loại `{kind}` không phải bài viết")
            continue
        if status in ("trash", "auto-draft", "inherit"):
            yield Skipped(where, f"trạng thái `{status}`")
            continue
        categories = [c.text or "" for c in item.findall("category") if c.get("domain") == "category"]
        yield Item(where, title=item.findtext("title", ""), date=item.findtext("wp:post_date", "", ns),
                   url=item.findtext("link", ""), category=categories[0] if categories else "",
                   author=item.findtext("dc:creator", "", ns), summary=item.findtext("excerpt:encoded", "", ns),
                   body_html=_paragraphs(item.findtext("content:encoded", "", ns)), base=source.parent,
                   draft=status != "publish")


def _namespace(root, prefix: str) -> str:
    """WXR's wp: and excerpt: namespaces change with WordPress versions (…/export/1.2/)."""
    for element in root.iter():
        tag = element.tag
        if tag.startswith("{") and f"/{prefix}" in tag:
            uri = tag[1:].split("}")[0]
            if (prefix == "wp" and "wordpress.org/export" in uri) or (prefix == "excerpt" and "excerpt" in uri):
                return uri
    return f"http://wordpress.org/export/1.2/{prefix}/" if prefix == "excerpt" else "http://wordpress.org/export/1.2/"


def _paragraphs(text: str) -> str:
    """WordPress stores bodies with blank lines for paragraphs (wpautop): make them <p>s."""
    if "<p" in text.lower():
        return text
    return "".join(f"<p>{part.strip()}</p>\n" for part in text.split("\n\n") if part.strip())


# ------------------------------------------------------------------------ saved pages (wget, HTTrack)

def from_pages(source: Path, selectors: dict, base_url: str):
    """Each saved page with a title and a body under the selectors is an Item."""
    from bs4 import BeautifulSoup
    for path in _walk(source):
        relative = path.relative_to(source).as_posix()
        try:
            text = text_of(read_file(path, MAX_PAGE_BYTES))
        except SourceError as err:
            yield Skipped(relative, str(err))
            continue
        doc = BeautifulSoup(text, "html.parser")
        body = _first(doc, selectors.get("body"))
        title = _first(doc, selectors.get("title"))
        if body is None or title is None:
            yield Skipped(relative, "không có tiêu đề hoặc thân bài theo bộ chọn CSS (không phải trang bài viết?)")
            continue
        for remove in selectors.get("remove") or ():
            for element in body.select(remove):
                element.decompose()
        url = _page_url(doc, relative, base_url)
        date = _first(doc, selectors.get("date"))
        attachments = [a.get("href") for a in _all(doc, selectors.get("attachments")) if a.get("href")]
        yield Item(relative, title=title.get_text(" "), date=(date.get("datetime") or date.get_text(" ")) if date else "",
                   url=url, category=_text(_first(doc, selectors.get("category"))),
                   author=_text(_first(doc, selectors.get("author"))), summary=_text(_first(doc, selectors.get("summary"))),
                   body_html=body.decode_contents(), files=[urljoin(url, a) for a in attachments],
                   base=source)


def _walk(source: Path):
    count = 0
    for folder, dirs, files in os.walk(source):          # os.walk does not follow links to folders
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            if name.lower().endswith((".html", ".htm", ".aspx", ".php", ".asp")) or ".aspx?" in name.lower():
                path = Path(folder) / name
                if not path.is_symlink():
                    count += 1
                    if count > MAX_PAGES:
                        return
                    yield path


def _first(doc, selector: str | None):
    return doc.select_one(selector) if selector else None


def _all(doc, selector: str | None):
    return doc.select(selector) if selector else []


def _text(element) -> str:
    return element.get_text(" ") if element is not None else ""


def _page_url(doc, relative: str, base_url: str) -> str:
    """The page's old address: its canonical link, else where it sat in the mirror under the old base."""
    canonical = doc.find("link", rel="canonical")
    if canonical is not None and urlsplit(canonical.get("href") or "").scheme in ("http", "https"):
        return canonical["href"]
    base = doc.find("base", href=True)
    root = base_url or (base["href"] if base is not None and urlsplit(base["href"]).scheme in ("http", "https")
                        else "")
    if relative.endswith("/index.html") or relative == "index.html":
        relative = relative[: -len("index.html")]
    return urljoin(root, relative) if root else "/" + relative
