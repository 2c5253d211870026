"""Văn bản: the registry of legal and administrative documents of a ``kind: documents`` section.

Each file is a post whose title is the trích yếu and whose ``document:`` block gives the số ký
hiệu, type, issuer, signing, effective and expiry dates, signer, field and the numbers it
replaces or is replaced by (NĐ 42/2022 Điều 4; Luật Tiếp cận thông tin 2016 Điều 17, 19). The
kind adds: the registry (newest signed first, paginated) at the section's address, static lists
by year, type, issuer and field, each document's page with every field, its files, its status and
what cites it (replacements both ways; inspection records whose decision or conclusion names its
number), the section's Atom feed, the open data (JSON, CSV, JSON Schema) and a catalogue entry.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Iterator

from .. import schema as S
from .. import urls as U
from ..feeds import atom
from ..model import CatalogueEntry, Identified, Post, Site, paginate
from ..opendata import csv_cell
from ..page import info, job, paged_title
from ..problems import WARNING, Problems
from ..text import slugify, sort_key
from . import Kind, SectionKind

STATUS_LABEL = {"in-force": "Còn hiệu lực", "expired": "Hết hiệu lực", "pending": "Chưa có hiệu lực",
                "replaced": "Đã được thay thế", "none": "Không áp dụng"}
# Documents that state facts or pass on instructions have no validity of their own: a report, a letter,
# a notice. Their status is "none" unless the editor writes one, an expiry date or a replacement.
NO_VALIDITY = frozenset({"Báo cáo", "Công văn", "Thông báo", "Tờ trình", "Công điện", "Kết luận"})
FACET_TITLE = {"year": "Năm", "type": "Loại văn bản", "issuer": "Cơ quan ban hành", "field": "Lĩnh vực"}


# ---------------------------------------------------------------------------------- the files

DOCUMENT_TYPES = ("Quyết định", "Kế hoạch", "Thông báo", "Báo cáo", "Công văn", "Chỉ thị", "Nghị quyết", "Quy chế",
                  "Quy định", "Hướng dẫn", "Chương trình", "Tờ trình", "Kết luận", "Công điện", "Văn bản khác")

DOCUMENT = S.Schema("document", {
    "number": S.Field("text", "số, ký hiệu văn bản", '"45/KH-UBND"', required=True),
    "type": S.Field("text", f"loại văn bản ({', '.join(DOCUMENT_TYPES[:8])}, ...)", '"Kế hoạch"', required=True),
    "issuer": S.Field("text", "cơ quan ban hành", '"UBND xã Hàm Tân"', required=True),
    "signed": S.Field("date", "ngày ban hành (ngày ký)", "2025-03-10", required=True),
    "effective": S.Field("date", "ngày có hiệu lực", "2025-03-10"),
    "expires": S.Field("date", "ngày hết hiệu lực", "2025-12-31"),
    "status": S.Field("choice", "hiệu lực: in-force | expired (còn hiệu lực | hết hiệu lực); mặc định theo ngày",
                    "expired", choices=("in-force", "expired"),
                    aliases=(("còn hiệu lực", "in-force"), ("con-hieu-luc", "in-force"), ("hết hiệu lực", "expired"),
                             ("het-hieu-luc", "expired"))),
    "signer": S.Field("text", "người ký (chức vụ, họ tên)", '"Phó Chủ tịch Trần Văn Bình"'),
    "field": S.Field("text", "lĩnh vực", '"Cải cách hành chính"'),
    "replaces": S.Field("texts", "số ký hiệu các văn bản bị thay thế", '["12/KH-UBND"]'),
    "replaced_by": S.Field("text", "số ký hiệu văn bản thay thế văn bản này", '"50/KH-UBND"'),
})

# A văn bản (a section with ``kind: documents``): a post whose title is the trích yếu, with its
# ``document:`` block; no inspection block.
DOCUMENT_POST = S.Schema("document file", {
    **{k: v for k, v in S.POST.fields.items() if k != "inspection"},
    "document": S.Field("map", "thông tin văn bản (số ký hiệu, loại, cơ quan, ngày ký...)", '{number: "45/KH-UBND", ...}',
                      required=True, schema=DOCUMENT),
})



@dataclass(frozen=True)
class DocumentMeta:
    """The ``document:`` block of a văn bản."""
    number: str
    type: str
    issuer: str
    signed: dt.date | None
    effective: dt.date | None
    expires: dt.date | None
    status: str                   # "in-force" | "expired" | "" (from the dates)
    signer: str
    field: str
    replaces: tuple
    replaced_by: str
    line: int
    number_line: int = 0


# Số, ký hiệu (Nghị định 30/2020/NĐ-CP, Điều 8 and Phụ lục I): "45/KH-UBND", "1520/QĐ-UBND",
# "12/2024/NQ-HĐND", "789/UBND-VP" (công văn), "15/TB-VP".
_NUMBER = re.compile(r"[0-9]{1,6}(?:/[0-9]{4})?/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ][A-ZĐ0-9]*)*")


def block(front: dict, doc, lines: dict, problems: Problems) -> DocumentMeta | None:
    """The ``document:`` block, checked: dates in order, a number shaped as the rules say (a warning)."""
    values = front.get("document")
    if not values or not values.get("number"):
        return None
    signed, effective, expires = values.get("signed"), values.get("effective"), values.get("expires")
    if signed and effective and effective < signed:
        problems.add(doc.path, lines.get("document.effective", values["_line"]), "effective-before-signed",
                     effective=effective.strftime("%d/%m/%Y"), signed=signed.strftime("%d/%m/%Y"))
    if expires and (effective or signed) and expires < (effective or signed):
        problems.add(doc.path, lines.get("document.expires", values["_line"]), "document-expires-before",
                     expires=expires.strftime("%d/%m/%Y"), start=(effective or signed).strftime("%d/%m/%Y"))
    number = values["number"]
    if not _NUMBER.fullmatch(number):
        problems.add(doc.path, lines.get("document.number", values["_line"]), "document-number-shape",
                     severity=WARNING, number=number)
    return DocumentMeta(number, values.get("type") or "", values.get("issuer") or "", signed, effective, expires,
                        values.get("status") or "", values.get("signer") or "", values.get("field") or "",
                        tuple(values.get("replaces") or ()), values.get("replaced_by") or "", values["_line"],
                        lines.get("document.number", values["_line"]))


def defaults(front: dict) -> dict:
    """A document's address by default: its number and year (45/KH-UBND of 2025: 45-kh-ubnd-2025)."""
    values = front.get("document") or {}
    if values.get("number") and values.get("signed"):
        return {"slug": slugify(f"{values['number']} {values['signed'].year}")}
    return {}


PLACEHOLDER = "Tóm tắt nội dung chính của văn bản (không bắt buộc)."


def new(title: str, slug: str, now, cfg=None) -> tuple[str, str]:
    """``build.py new van-ban "trích yếu"``: a văn bản with its block to fill in. It builds as it is (a draft
    whose unfilled keys are a warning or commented out), so one editor's new file never stops the build."""
    issuer = ((cfg.contact.agency or cfg.author) if cfg is not None else "").replace('"', "'")
    return f"{now:%Y-%m-%d}-{slug}.md", f"""---
title: "{title}"        # trích yếu
date: {now:%Y-%m-%d %H:%M}
draft: true             # bản nháp: chưa đăng. Khi xong, đổi thành draft: false (hoặc xóa dòng này)
document:
  number: "/KH-UBND"    # số, ký hiệu: 45/KH-UBND
  type: "Kế hoạch"      # {", ".join(DOCUMENT_TYPES[:6])}...
  issuer: "{issuer}"    # cơ quan ban hành
  signed: {now:%Y-%m-%d}    # ngày ban hành
  # effective: {now:%Y-%m-%d}
  # expires: {now.year}-12-31
  signer: ""            # người ký: chức vụ, họ tên
  field: ""             # lĩnh vực
  # replaces: ["12/KH-UBND"]
# attachments:          # toàn văn: chép tệp vào content/files/van-ban/ rồi bỏ dấu # ở ba dòng này
#   - file: /files/van-ban/ten-tep.pdf
#     title: "Toàn văn (bản ký số)"
---

{PLACEHOLDER}
"""


def words(post: Post) -> str:
    """Search finds a document by its number, type, issuer, signer and field too."""
    meta = post.meta.data
    return " ".join((meta.number, meta.type, meta.issuer, meta.signer, meta.field)) if meta else ""


def number(post: Post) -> str:
    return post.meta.data.number if post.meta.data else ""


@dataclass(frozen=True)
class Reference:
    """A number named by a document, and the page of the document that holds it ("" when none does)."""
    number: str
    url: str = ""
    title: str = ""


@dataclass(eq=False, repr=False)
class Filed(Identified):
    """One document of the registry: its ``document:`` block, its status today, what it replaces and cites it."""
    IDENTITY = "source"
    source: str
    post: Post
    meta: DocumentMeta
    status: str
    replaces: list = field(default_factory=list)          # Reference
    replaced_by: Reference | None = None
    cited_by: list = field(default_factory=list)          # (title, url) of inspection records naming it

    number = property(lambda self: self.meta.number)
    type = property(lambda self: self.meta.type)
    issuer = property(lambda self: self.meta.issuer)
    signed = property(lambda self: self.meta.signed)
    effective = property(lambda self: self.meta.effective)
    expires = property(lambda self: self.meta.expires)
    signer = property(lambda self: self.meta.signer)
    field = property(lambda self: self.meta.field)

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]


@dataclass(eq=False, repr=False)
class Facet(Identified):
    """The documents of one year, type, issuer or field."""
    IDENTITY = "path"
    facet: str
    title: str
    path: str
    url: str
    documents: list = field(default_factory=list)
    pages: list = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Registry(Identified):
    IDENTITY = "name"
    name: str
    section: object
    documents: list                    # Filed, newest signed first
    facets: dict                       # facet -> [Facet]
    pages: list                        # Pager list of the registry
    by_number: dict = field(default_factory=dict)


def _key(number: str) -> str:
    return number.upper().replace(" ", "")


def status_of(meta, today: dt.date, replaced: bool) -> str:
    """Its status today: the editor's ``status:`` if given, else from the replacement and the dates."""
    if meta.status:
        return meta.status
    if replaced:
        return "replaced"
    if meta.expires is not None and meta.expires < today:
        return "expired"
    if meta.effective is not None and meta.effective > today:
        return "pending"
    if meta.type in NO_VALIDITY and meta.expires is None:
        return "none"
    return "in-force"


# ---------------------------------------------------------------------------------- before the model

def check(cfg, documents: list, metas: dict, data: dict, now: dt.datetime, problems: Problems) -> None:
    """Registry-wide rules: one number per issuer, replacements that exist, no expired document in force."""
    kinds = {s.name for s in cfg.sections if s.kind == "documents"}
    filed = [(doc, metas[doc.path].data) for doc in documents
             if doc.section in kinds and doc.path in metas and metas[doc.path].data is not None]
    seen: dict = {}
    for doc, meta in filed:
        key = (_key(meta.number), meta.issuer.casefold())
        if key in seen:
            problems.add(doc.path, meta.number_line, "document-duplicate", number=meta.number, issuer=meta.issuer,
                         other=seen[key])
        else:
            seen[key] = doc.path
    numbers = {_key(meta.number) for _, meta in filed}
    known = sorted({meta.number for _, meta in filed})
    today = now.date()
    for doc, meta in filed:
        lines = metas[doc.path].lines
        named = [("document.replaced_by", meta.replaced_by)] if meta.replaced_by else []
        named += [("document.replaces", number) for number in meta.replaces]
        for key, number in named:
            if _key(number) not in numbers:
                close = difflib.get_close_matches(number, known, n=1)
                problems.add(doc.path, lines.get(key, meta.line), "document-unknown", key=key.split(".", 1)[1],
                             number=number, suggestion=close[0] if close else "")
        if meta.status == "in-force":
            why = ""
            if meta.expires is not None and meta.expires < today:
                why = f"đã hết hiệu lực từ {meta.expires.strftime('%d/%m/%Y')}"
            elif meta.replaced_by:
                why = f"đã được thay thế bởi văn bản số {meta.replaced_by}"
            if why:
                problems.add(doc.path, lines.get("document.status", meta.line), "document-expired-in-force", why=why)


# ---------------------------------------------------------------------------------- the model

def build(site: Site) -> None:
    """One Registry per documents section, cross-linked, with its lists by year, type, issuer, field."""
    urls, today = site.urls, site.now.date()
    for section in site.sections:
        if not section.is_documents:
            continue
        documents = [Filed(p.source, p, p.meta.data, "")
                     for p in site.posts if p.section is section and p.meta.data is not None]
        documents.sort(key=lambda d: (-(d.signed or dt.date.min).toordinal(), sort_key(d.number)))
        filed_by = {_key(d.number): d for d in documents}
        named_as_newer: dict = {}                      # number -> documents whose replaced_by names it
        replacing: dict = {}                           # number -> the first document whose replaces names it
        for d in documents:
            meta = d.meta
            if meta.replaced_by:
                named_as_newer.setdefault(_key(meta.replaced_by), []).append(d)
            for n in meta.replaces:
                replacing.setdefault(_key(n), d)
        for document in documents:
            meta, key = document.meta, _key(document.number)
            document.replaces = [_reference(n, filed_by) for n in meta.replaces]
            listed = {_key(r.number) for r in document.replaces}
            document.replaces += [Reference(d.number, d.post.url, d.post.title) for d in named_as_newer.get(key, ())
                                  if _key(d.number) not in listed]
            newer = meta.replaced_by or (replacing[key].number if key in replacing else "")
            document.replaced_by = _reference(newer, filed_by) if newer else None
            document.status = status_of(meta, today, bool(document.replaced_by and document.replaced_by.url))
        if site.records is not None:
            for inspection in site.records.inspections:
                for number in _NUMBER.findall(f"{inspection.decision} {inspection.conclusion}"):
                    if _key(number) in filed_by and all(r.number != number for r in inspection.documents):
                        filed_by[_key(number)].cited_by.append((inspection.subject or inspection.id, inspection.url))
                        inspection.documents.append(_reference(number, filed_by))
        facets = {name: _facets(section.name, name, documents, site) for name in U.DOCUMENT_FACETS}
        pages = paginate(documents, max(section.config.per_page, 20), lambda n, s=section.name: U.section(s, n), urls)
        site.registries[section.name] = Registry(section.name, section, documents, facets, pages, filed_by)


def _reference(number: str, filed_by: dict) -> Reference:
    found = filed_by.get(_key(number))
    return Reference(number, found.post.url, found.post.title) if found else Reference(number)


def _facets(section: str, name: str, documents: list, site: Site) -> list:
    values: dict = {}
    for document in documents:
        value = str(document.signed.year) if name == "year" and document.signed else getattr(document, name, "")
        if value:
            values.setdefault(value, []).append(document)
    order = sorted(values, reverse=True) if name == "year" else sorted(values, key=sort_key)
    out = []
    for value in order:
        slug = slugify(value) or "khac"
        path = U.document_facet(section, name, slug)
        facet = Facet(name, value, path, site.urls.link(path), values[value])
        facet.pages = paginate(facet.documents, max(site.config.per_page, 20),
                               lambda n, s=slug: U.document_facet(section, name, s, n), site.urls)
        out.append(facet)
    return out


# ---------------------------------------------------------------------------------- pages and files

def pages(site: Site) -> Iterator[tuple]:
    for registry in site.registries.values():
        section = registry.section
        newest = registry.documents[0].post.last_modified if registry.documents else None
        for pager in registry.pages:
            yield job("documents.html", info(site, "documents", paged_title(section.title, pager), pager.path,
                                             section.config.description, feed_url=section.feed_url,
                                             feed_title=section.title, sitemap=pager.number == 1,
                                             lastmod=newest.at.isoformat() if newest and pager.number == 1 else ""),
                      heading=section.title, registry=registry, pager=pager, facet=None,
                      filter_index=site.urls.link(U.document_index(registry.name)) if pager.number == 1 else "",
                      filter_script=site.urls.link("js/documents.js"))
        for name, facets in registry.facets.items():
            for facet in facets:
                heading = f"{section.title}: {FACET_TITLE[name].lower()} {facet.title}"
                for pager in facet.pages:
                    yield job("documents.html", info(site, "documents", paged_title(heading, pager), pager.path,
                                                     sitemap=pager.number == 1),
                              heading=heading, registry=registry, pager=pager, facet=facet, filter_index="",
                              filter_script="")
        for document in registry.documents:
            yield document_job(site, registry, document)


def document_job(site: Site, registry: Registry, document: Filed) -> tuple:
    from .posts import post_job
    template, page_info, context = post_job(site, document.post)
    return "document.html", page_info, {**context, "document": document, "registry": registry}


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    for registry in site.registries.values():
        section = registry.section
        listed = [d.post for d in registry.documents if d.post.listed]
        yield section.feed_path, atom(site, f"{section.title} - {site.config.title}", section.feed_path,
                                      section.path, sorted(listed, key=lambda p: -p.date.at.timestamp()))
        rows = [record(site, d) for d in registry.documents]
        yield U.open_data(f"{registry.name}.json"), _json({
            "$schema": site.urls.absolute(U.open_data(f"{registry.name}.schema.json")),
            "title": f"{section.title} - {site.config.title}", "documents": rows})
        yield U.open_data(f"{registry.name}.csv"), _csv(rows)
        yield U.open_data(f"{registry.name}.schema.json"), _json(SCHEMA)
        yield U.document_index(registry.name), filter_index(registry)


def filter_index(registry: Registry) -> bytes:
    """What the registry's filter box searches (documents.js): one short row per document, newest first.
    The page's own table is the list without JavaScript; this only narrows it down as one types."""
    rows = [[d.number, d.signed.strftime("%d/%m/%Y") if d.signed else "", d.post.title, d.type, d.issuer, d.field,
             d.status, d.post.url] for d in registry.documents]
    return (json.dumps({"columns": ["number", "signed", "title", "type", "issuer", "field", "status", "url"],
                        "status": STATUS_LABEL, "rows": rows}, ensure_ascii=False, separators=(",", ":"))
            + "\n").encode("utf-8")


def record(site: Site, document: Filed) -> dict:
    """One document as open data (absolute URLs, ISO dates, numbers as written)."""
    iso = lambda d: d.isoformat() if d else None   # noqa: E731
    origin = site.urls.origin
    return {
        "number": document.number, "type": document.type, "issuer": document.issuer,
        "title": document.post.title, "signed": iso(document.signed), "effective": iso(document.effective),
        "expires": iso(document.expires), "status": document.status, "signer": document.signer or None,
        "field": document.field or None, "url": document.post.abs_url,
        "replaces": [r.number for r in document.replaces],
        "replaced_by": document.replaced_by.number if document.replaced_by else None,
        "files": [{"title": a.title, "url": origin + a.url if a.url.startswith("/") else a.url, "size": a.size,
                   "sha256": a.sha256 or None, "pages": a.pages} for a in document.post.attachments],
    }


CSV_COLUMNS = ("number", "type", "issuer", "title", "signed", "effective", "expires", "status", "signer", "field",
               "url", "replaces", "replaced_by")


def _csv(rows: list) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell("; ".join(v) if isinstance(v, list) else ("" if v is None else v))
                         for v in (row[c] for c in CSV_COLUMNS)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")        # BOM: Excel opens UTF-8 as such


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_DATE = {"type": ["string", "null"], "format": "date"}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Sổ văn bản", "type": "object", "required": ["title", "documents"],
    "properties": {"$schema": {"type": "string"}, "title": {"type": "string"}, "documents": {"type": "array", "items": {
        "type": "object",
        "required": ["number", "type", "issuer", "title", "signed", "status", "url", "replaces", "replaced_by", "files"],
        "properties": {
            "number": {"type": "string", "description": "Số, ký hiệu"},
            "type": {"type": "string", "description": "Loại văn bản"},
            "issuer": {"type": "string", "description": "Cơ quan ban hành"},
            "title": {"type": "string", "description": "Trích yếu"},
            "signed": _DATE, "effective": _DATE, "expires": _DATE,
            "status": {"enum": list(STATUS_LABEL)},
            "signer": {"type": ["string", "null"]}, "field": {"type": ["string", "null"]},
            "url": {"type": "string", "format": "uri"},
            "replaces": {"type": "array", "items": {"type": "string"}},
            "replaced_by": {"type": ["string", "null"]},
            "files": {"type": "array", "items": {"type": "object", "required": ["title", "url", "size"], "properties": {
                "title": {"type": "string"}, "url": {"type": "string", "format": "uri"}, "size": {"type": "integer"},
                "sha256": {"type": ["string", "null"]}, "pages": {"type": ["integer", "null"]}}}},
        }}}},
}


def catalogue(site: Site) -> list:
    return [CatalogueEntry(f"{r.section.title} (sổ văn bản)", r.section.url,
                           "Danh sách văn bản có số ký hiệu, trích yếu, ngày ban hành, hiệu lực và toàn văn; lọc theo "
                           "năm, loại, cơ quan, lĩnh vực; dữ liệu mở JSON, CSV; nguồn tin Atom",
                           r.section.config.frequency or "Trong 05 ngày làm việc kể từ ngày ban hành",
                           r.section.config.retention or "Lưu trữ lâu dài; văn bản hết hiệu lực vẫn giữ để tra cứu")
            for r in site.registries.values()]


MESSAGES = {
    "effective-before-signed": {
        "vi": ("ngày có hiệu lực {effective} trước ngày ban hành {signed}",
               "sửa `effective:` hoặc `signed:` theo đúng văn bản"),
        "en": ("effective on {effective}, before it was signed on {signed}",
               "correct `effective:` or `signed:` as the document says")},
    "document-expires-before": {
        "vi": ("ngày hết hiệu lực {expires} trước ngày bắt đầu hiệu lực {start}",
               "sửa `expires:` theo đúng văn bản"),
        "en": ("expires on {expires}, before it takes effect on {start}",
               "correct `expires:` as the document says")},
    "document-number-shape": {
        "vi": ("số ký hiệu `{number}` không theo dạng `số/VIẾT TẮT LOẠI-VIẾT TẮT CƠ QUAN`",
               "viết như `45/KH-UBND`, `1520/QĐ-UBND`, `12/2024/NQ-HĐND` hoặc `789/UBND-VP` (Nghị định 30/2020/NĐ-CP, "
               "Phụ lục I); viết hoa, không dấu cách"),
        "en": ("the number `{number}` is not of the form `number/TYPE-ISSUER`",
               "write it like `45/KH-UBND`, `1520/QĐ-UBND`, `12/2024/NQ-HĐND` or `789/UBND-VP` (Decree 30/2020/NĐ-CP, "
               "Appendix I); capitals, no spaces")},
    "document-duplicate": {
        "vi": ("số ký hiệu `{number}` của {issuer} đã có ở `{other}`",
               "mỗi văn bản một tệp: xóa bản trùng hoặc sửa lại số ký hiệu"),
        "en": ("the number `{number}` of {issuer} is already given in `{other}`",
               "one file per document: delete the duplicate or correct the number")},
    "document-unknown": {
        "vi": ("`{key}` nêu văn bản số `{number}` nhưng sổ văn bản không có số này",
               "kiểm tra số ký hiệu, hoặc thêm văn bản đó vào chuyên mục văn bản{suggestion}"),
        "en": ("`{key}` names the document `{number}`, which the registry does not hold",
               "check the number, or add that document to the documents section{suggestion}")},
    "document-expired-in-force": {
        "vi": ("văn bản ghi `status: in-force` (còn hiệu lực) nhưng {why}",
               "sửa `status:` thành `expired`, hoặc xóa dòng `status:` để cổng tự tính theo ngày"),
        "en": ("the document says `status: in-force` but {why}",
               "set `status: expired`, or delete the `status:` line so the portal works it out from the dates")},
}

KIND = Kind("documents", pages, files, catalogue, build=build, check=check, sections=(
    SectionKind("documents", "Văn bản (chuyên mục kind: documents)", "sổ văn bản", DOCUMENT_POST, "document",
                block=block, defaults=defaults, reserved=frozenset(U.DOCUMENT_FACETS.values()), words=words,
                number=number, label="Văn bản", new=new, placeholders=(PLACEHOLDER,)),),
            messages=MESSAGES)
