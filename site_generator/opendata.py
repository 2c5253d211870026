"""Open data of the inspection records: kiem-tra.json (+ its JSON Schema) and kiem-tra.csv.

A function of the model. Ids are stable (the editors' ``inspection.id`` and
``<id>/<unit slug>`` for findings), dates are ISO 8601, URLs absolute, and
every attachment carries its SHA-256 so a downloaded file can be checked.
The CSV is UTF-8 with a byte-order mark so that Excel shows Vietnamese right, and no cell
of it is a formula there: text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (or their full-width forms) gets a leading ``'``, as OWASP advises against CSV
injection; numbers and ISO dates are left alone.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterator

from . import urls as U
from .inspections import FindingStatus, Inspection
from .model import Post, Site

SCHEMA_ID = "kiem-tra.schema.json"
CSV_COLUMNS = ("inspection_id", "finding_id", "subject", "status", "unit_slug", "unit_name", "rating", "issues",
               "remedy_by", "state", "remedied", "conclusion", "signed", "published", "result_url",
               "follow_up_url", "inspection_url", "attachments_sha256")


# What Excel and LibreOffice take as the start of a formula (U+FF1D and the others: full-width forms
# that some input methods type and Excel reads as the ASCII ones).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?\Z")


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as the text it is, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.at.isoformat() if hasattr(value, "at") else value.isoformat()


def _post(post: Post, stage: str) -> dict:
    withdrawn = post.meta.withdrawn
    return {
        "stage": stage,
        "title": post.title,
        "url": post.abs_url,
        "published": _iso(post.date),
        "updated": _iso(post.updated),
        "withdrawn": {"date": _iso(withdrawn.date), "reason": withdrawn.reason} if withdrawn else None,
        "attachments": [{"title": a.title, "url": _absolute(post, a.url), "type": a.kind,
                         "size": a.size, "sha256": a.sha256, "pages": a.pages} for a in post.attachments],
    }


def _absolute(post: Post, link: str) -> str:
    # links are root-relative with the sub-path; the origin comes from the post's own absolute URL
    origin = post.abs_url[: len(post.abs_url) - len(post.url)]
    return origin + link


def _finding(item: FindingStatus) -> dict:
    f = item.finding
    return {
        "id": item.id,
        "unit": item.unit.slug if item.unit else None,
        "unit_name": item.unit_name,
        "rating": f.rating or None,
        "issues": list(f.issues),
        "remedy_by": _iso(f.remedy_by),
        "state": item.state,
        "remedied": item.report.remedied if item.report is not None else None,
        "follow_up_note": item.report.note if item.report is not None and item.report.note else None,
        "result_url": item.result.abs_url,
        "follow_up_url": item.follow_up.abs_url if item.follow_up else None,
    }


def record(inspection: Inspection) -> dict:
    return {
        "id": inspection.id,
        "url": inspection.abs_url,
        "subject": inspection.subject,
        "decision": inspection.decision or None,
        "period": {"start": _iso(inspection.period[0]), "end": _iso(inspection.period[1])} if inspection.period else None,
        "status": inspection.status,
        "units": [{"slug": u.slug, "name": u.name, "kind": u.meta.kind or None} for u in inspection.units if u],
        "conclusion": {"document": inspection.conclusion or None, "signed": _iso(inspection.signed),
                       "published": _iso(inspection.published),
                       "listed_until_at_least": _iso(inspection.listed_until)} if inspection.results else None,
        "posts": [_post(step.post, step.stage) for step in inspection.timeline],
        "findings": [_finding(item) for item in inspection.findings],
    }


def data_json(site: Site) -> bytes:
    records = site.records
    newest = max((step.post.last_modified.at for i in records.inspections for step in i.timeline), default=None)
    document = {
        "$schema": site.urls.absolute(U.open_data(SCHEMA_ID)),
        "publisher": site.config.contact.agency or site.config.title,
        "site": site.config.base_url,
        "updated": newest.isoformat() if newest else None,
        "inspections": [record(i) for i in records.inspections],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def data_csv(site: Site) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for inspection in site.records.inspections:
        hashes = " ".join(a.sha256 for step in inspection.timeline for a in step.post.attachments if a.sha256)
        base = {"inspection_id": inspection.id, "subject": inspection.subject, "status": inspection.status,
                "conclusion": inspection.conclusion, "signed": _iso(inspection.signed) or "",
                "published": _iso(inspection.published) or "", "inspection_url": inspection.abs_url,
                "attachments_sha256": hashes}
        rows = [_finding(item) for item in inspection.findings] or [None]
        for finding in rows:
            row = dict(base)
            if finding is not None:
                row.update(finding_id=finding["id"], unit_slug=finding["unit"] or "", unit_name=finding["unit_name"],
                           rating=finding["rating"] or "", issues=" | ".join(finding["issues"]),
                           remedy_by=finding["remedy_by"] or "", state=finding["state"],
                           remedied="" if finding["remedied"] is None else str(finding["remedied"]).lower(),
                           result_url=finding["result_url"], follow_up_url=finding["follow_up_url"] or "")
            writer.writerow([csv_cell(row.get(column, "")) for column in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def schema(site: Site) -> bytes:
    date = {"type": ["string", "null"], "format": "date"}
    moment = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?$"}
    url = {"type": "string", "format": "uri", "pattern": "^https?://"}
    text_or_null = {"type": ["string", "null"]}
    attachment = {"type": "object", "additionalProperties": False,
                  "required": ["title", "url", "type", "size", "sha256", "pages"],
                  "properties": {"title": {"type": "string"}, "url": url, "type": {"type": "string"},
                                 "size": {"type": "integer", "minimum": 0},
                                 "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                 "pages": {"type": ["integer", "null"], "minimum": 1}}}
    post = {"type": "object", "additionalProperties": False,
            "required": ["stage", "title", "url", "published", "updated", "withdrawn", "attachments"],
            "properties": {"stage": {"enum": ["notice", "result", "follow-up"]}, "title": {"type": "string"},
                           "url": url, "published": moment, "updated": moment,
                           "withdrawn": {"type": ["object", "null"],
                                         "properties": {"date": moment, "reason": {"type": "string"}}},
                           "attachments": {"type": "array", "items": attachment}}}
    finding = {"type": "object", "additionalProperties": False,
               "required": ["id", "unit", "unit_name", "rating", "issues", "remedy_by", "state", "remedied",
                            "follow_up_note", "result_url", "follow_up_url"],
               "properties": {"id": {"type": "string"}, "unit": text_or_null, "unit_name": {"type": "string"},
                              "rating": text_or_null, "issues": {"type": "array", "items": {"type": "string"}},
                              "remedy_by": date,
                              "state": {"enum": ["remedied", "overdue", "in-progress", "pending", "none"]},
                              "remedied": {"type": ["boolean", "null"]}, "follow_up_note": text_or_null,
                              "result_url": url, "follow_up_url": {"type": ["string", "null"]}}}
    inspection = {"type": "object", "additionalProperties": False,
                  "required": ["id", "url", "subject", "decision", "period", "status", "units", "conclusion", "posts",
                               "findings"],
                  "properties": {
                      "id": {"type": "string", "minLength": 1}, "url": url, "subject": {"type": "string"},
                      "decision": text_or_null,
                      "period": {"type": ["object", "null"], "required": ["start", "end"],
                                 "properties": {"start": date, "end": date}},
                      "status": {"enum": ["announced", "in-progress", "awaiting", "concluded", "remedied"]},
                      "units": {"type": "array", "items": {
                          "type": "object", "required": ["slug", "name", "kind"],
                          "properties": {"slug": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                                         "name": {"type": "string"}, "kind": text_or_null}}},
                      "conclusion": {"type": ["object", "null"], "properties": {
                          "document": text_or_null, "signed": date, "published": date,
                          "listed_until_at_least": date}},
                      "posts": {"type": "array", "minItems": 1, "items": post},
                      "findings": {"type": "array", "items": finding}}}
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": site.urls.absolute(U.open_data(SCHEMA_ID)),
        "title": "Hồ sơ kiểm tra công khai",
        "description": "Mỗi đợt kiểm tra: thông báo, kết quả, khắc phục; mỗi kết luận theo từng đơn vị.",
        "type": "object", "additionalProperties": False,
        "required": ["$schema", "publisher", "site", "updated", "inspections"],
        "properties": {"$schema": {"type": "string"}, "publisher": {"type": "string"}, "site": url,
                       "updated": moment, "inspections": {"type": "array", "items": inspection}},
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    yield U.open_data("kiem-tra.json"), data_json(site)
    yield U.open_data("kiem-tra.csv"), data_csv(site)
    yield U.open_data(SCHEMA_ID), schema(site)
