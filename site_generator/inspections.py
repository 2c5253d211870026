"""Inspection records and inspected units: pure data built from the published posts.

One :class:`Inspection` per ``inspection.id`` gathers its notice, results and
follow-ups into a timeline, with a status a citizen understands; one
:class:`Unit` per entry of ``data/units.yaml`` gathers every inspection that
covered it and the fate of each of its findings. No I/O; ``today`` is passed in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import urls as U
from .model import Identified, Post, Site, paginate
from .text import slugify, sort_key
from .validate import Finding, InspectionMeta, UnitMeta

STAGE_ORDER = {"notice": 0, "result": 1, "follow-up": 2}
STAGE_LABEL = {"notice": "Thông báo kiểm tra", "result": "Kết quả kiểm tra", "follow-up": "Báo cáo khắc phục"}
STATUS_LABEL = {
    "announced": "Đã thông báo",
    "in-progress": "Đang kiểm tra",
    "awaiting": "Đã kiểm tra, chờ kết luận",
    "concluded": "Đã có kết luận",
    "remedied": "Đã khắc phục xong",
}
STATE_LABEL = {
    "remedied": "Đã khắc phục",
    "overdue": "Quá hạn khắc phục",
    "in-progress": "Đang khắc phục",
    "pending": "Trong hạn khắc phục",
    "none": "Không có tồn tại phải khắc phục",
}


@dataclass(eq=False, repr=False)
class Unit(Identified):
    IDENTITY = "slug"
    meta: UnitMeta
    path: str
    url: str
    feed_path: str
    feed_url: str
    inspections: list = field(default_factory=list)     # Inspection, newest first
    findings: list = field(default_factory=list)        # FindingStatus of this unit, newest inspection first

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def posts(self) -> list:
        """The listed posts of every inspection that covered this unit, newest first (its feed)."""
        seen, out = set(), []
        for inspection in self.inspections:
            for step in inspection.timeline:
                if step.post.listed and id(step.post) not in seen:
                    seen.add(id(step.post))
                    out.append(step.post)
        return sorted(out, key=lambda p: (-p.date.at.timestamp(), p.source))

    @property
    def overdue(self) -> list:
        return [f for f in self.findings if f.state == "overdue"]


@dataclass(frozen=True)
class Step:
    """One post in an inspection's timeline; a result also says how long it must stay listed."""
    post: Post
    stage: str
    meta: InspectionMeta
    listed_until: dt.date | None = None      # results: published + disclosure.min_days

    @property
    def label(self) -> str:
        return STAGE_LABEL[self.stage]

    @property
    def findings(self) -> tuple:
        return self.meta.findings


@dataclass(eq=False, repr=False)
class FindingStatus(Identified):
    """A finding of a result, and what became of it."""
    IDENTITY = "id"
    id: str                          # "<inspection id>/<unit slug>": stable, used in the open data
    inspection: "Inspection"
    unit: Unit | None
    unit_name: str
    finding: Finding
    result: Post
    follow_up: Post | None
    report: Finding | None           # the follow-up's entry for this unit
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABEL[self.state]


@dataclass(eq=False, repr=False)
class Inspection(Identified):
    IDENTITY = "id"
    id: str
    slug: str
    path: str
    url: str
    abs_url: str
    subject: str
    decision: str
    period: tuple | None
    units: list                      # Unit (or None for names not in data/units.yaml: reported as errors)
    unit_names: tuple
    timeline: list                   # Step, oldest first
    findings: list                   # FindingStatus
    status: str
    conclusion: str = ""
    signed: dt.date | None = None
    published: dt.date | None = None
    listed_until: dt.date | None = None
    documents: list = field(default_factory=list)   # kinds.documents.Reference of registry documents it names

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    @property
    def notice(self) -> Post | None:
        return next((s.post for s in self.timeline if s.stage == "notice"), None)

    @property
    def results(self) -> list:
        return [s.post for s in self.timeline if s.stage == "result"]

    def step_of(self, post: Post) -> Step | None:
        return next((s for s in self.timeline if s.post is post), None)

    @property
    def year(self) -> int:
        if self.period:
            return self.period[0].year
        return self.timeline[0].post.date.at.year

    @property
    def start(self) -> dt.datetime:
        """When the record began: its notice, else its first post (for sorting)."""
        return self.timeline[0].post.date.at


@dataclass(eq=False)
class Filter:
    """A pre-built filtered view of the inspection index (by year or by unit): works without JavaScript."""
    title: str
    path: str
    url: str
    inspections: list


@dataclass(eq=False, repr=False)
class Records(Identified):
    inspections: list                # newest first
    units: list                      # Vietnamese alphabetical order
    by_year: list                    # Filter
    by_unit: list                    # Filter
    index_path: str = ""
    index_url: str = ""
    units_path: str = ""
    units_url: str = ""
    pages: list = field(default_factory=list)

    def unit(self, name: str) -> Unit | None:
        return next((u for u in self.units if u.name == name), None)


def build_records(site: Site, today: dt.date, min_days: int) -> Records:
    urls = site.urls
    units = [Unit(meta, U.unit(meta.slug), urls.link(U.unit(meta.slug)), U.unit_feed(meta.slug),
                  urls.absolute(U.unit_feed(meta.slug))) for meta in site.units]
    by_name = {u.name: u for u in units}
    inspections = []
    for record_id, members in sorted(site.inspections.items()):
        steps = sorted((Step(post, meta.stage, meta,
                              post.date.date + dt.timedelta(days=min_days) if meta.stage == "result" else None)
                         for post, meta in members),
                       key=lambda s: (STAGE_ORDER[s.stage], s.post.date.at, s.post.source))
        metas = {id(post): meta for post, meta in members}
        notice = next((metas[id(s.post)] for s in steps if s.stage == "notice"), None)
        first = notice or metas[id(steps[0].post)]
        slug = slugify(record_id) or "kiem-tra"
        inspection = Inspection(
            id=record_id, slug=slug, path=U.inspection(slug), url=urls.link(U.inspection(slug)),
            abs_url=urls.absolute(U.inspection(slug)), subject=_first(metas.values(), "subject") or first.subject,
            decision=_first(metas.values(), "decision"), period=notice.period if notice else first.period,
            units=[], unit_names=notice.units if notice else first.units, timeline=steps, findings=[],
            status="announced")
        inspection.units = [by_name.get(name) for name in inspection.unit_names]
        results = [(s.post, metas[id(s.post)]) for s in steps if s.stage == "result"]
        follow_ups = [(s.post, metas[id(s.post)]) for s in steps if s.stage == "follow-up"]
        if results:
            post, meta = results[-1]
            inspection.conclusion, inspection.signed = meta.conclusion, meta.signed
            inspection.published = post.date.date
            inspection.listed_until = post.date.date + dt.timedelta(days=min_days)
        for post, meta in results:
            for finding in meta.findings:
                report, reporter = None, None
                for follow_post, follow_meta in follow_ups:          # the latest report wins
                    for entry in follow_meta.findings:
                        if entry.unit == finding.unit:
                            report, reporter = entry, follow_post
                unit = by_name.get(finding.unit)
                inspection.findings.append(FindingStatus(
                    id=f"{record_id}/{unit.slug if unit else slugify(finding.unit)}", inspection=inspection,
                    unit=unit, unit_name=finding.unit, finding=finding, result=post, follow_up=reporter,
                    report=report, state=finding_state(finding, report, today)))
        inspection.status = status(inspection, today)
        inspections.append(inspection)
        for step in steps:
            step.post.record = inspection

    inspections.sort(key=lambda i: (-i.start.timestamp(), i.id))
    for inspection in inspections:
        for unit in dict.fromkeys(u for u in inspection.units if u is not None):
            unit.inspections.append(inspection)
        for finding in inspection.findings:
            if finding.unit is not None:
                finding.unit.findings.append(finding)

    years = sorted({i.year for i in inspections}, reverse=True)
    by_year = [Filter(f"Năm {y}", U.inspections_by_year(y), urls.link(U.inspections_by_year(y)),
                      [i for i in inspections if i.year == y]) for y in years]
    unit_list = sorted(units, key=lambda u: sort_key(u.name))
    by_unit = [Filter(u.name, U.inspections_by_unit(u.slug), urls.link(U.inspections_by_unit(u.slug)), u.inspections)
               for u in unit_list if u.inspections]
    return Records(inspections, unit_list, by_year, by_unit, U.inspections_index(), urls.link(U.inspections_index()),
                   U.units_index(), urls.link(U.units_index()),
                   paginate(inspections, max(site.config.per_page, 20), U.inspections_page, urls))


def _first(metas, key: str) -> str:
    return next((getattr(m, key) for m in metas if getattr(m, key)), "")


def finding_state(finding: Finding, report: Finding | None, today: dt.date) -> str:
    if report is not None and report.remedied:
        return "remedied"
    if not finding.issues and finding.remedy_by is None:
        return "none"
    if finding.remedy_by is not None and finding.remedy_by < today:
        return "overdue"
    return "in-progress" if report is not None else "pending"


def status(inspection: Inspection, today: dt.date) -> str:
    if inspection.results:
        needing = [f for f in inspection.findings if f.state != "none"]
        if needing and all(f.state == "remedied" for f in needing):
            return "remedied"
        return "concluded"
    if inspection.period:
        start, end = inspection.period
        if start <= today <= end:
            return "in-progress"
        if today > end:
            return "awaiting"
    return "announced"
