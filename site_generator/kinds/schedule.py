"""Lịch công tác: the leaders' weekly work schedule, in a section of ``kind: schedule``.

One file per week (``week: 2025-W23``, or ``start:`` a day of that week), each item with its day,
time, content, who chairs, who attends, where, who prepares, and what was changed ("điều chỉnh")
or postponed. The kind adds: this week's schedule at the section's own address (a stable URL that
always shows the current week), a page per week, the list of every week, the current week's
remaining items on the home page, and iCalendar files (RFC 5545) of each week and of the current
schedule (the last four weeks and every later one) that staff subscribe to in their calendar.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator

from .. import schema as S
from .. import urls as U
from ..model import CatalogueEntry, Identified, Post, Site
from ..page import info, job
from ..problems import Problems
from ..text import fold, format_date, format_datetime
from . import Kind, SectionKind

ARCHIVE = "cac-tuan"                # /lich-cong-tac/cac-tuan/: every week
CURRENT_ICS = "lich-cong-tac.ics"   # /lich-cong-tac/lich-cong-tac.ics: the schedule to subscribe to
SUBSCRIBED_PAST_WEEKS = 4           # the subscribed calendar keeps this many past weeks
HOME_ITEMS = 8

# Office hours of a Vietnamese People's Committee (Quyết định 1278/QĐ-UBND and the like: 07:00/07:30
# to 11:30, 13:30 to 17:00): what "Sáng" or "Chiều" means in a calendar.
PARTS_OF_DAY = {"sang": (dt.time(7, 30), dt.time(11, 30)), "chieu": (dt.time(13, 30), dt.time(17, 0)),
                "toi": (dt.time(19, 0), dt.time(21, 0))}
ALL_DAY = ("ca ngay", "ca tuan", "")
_DAY_NAMES = {"thu hai": 0, "thu 2": 0, "t2": 0, "thu ba": 1, "thu 3": 1, "t3": 1, "thu tu": 2, "thu 4": 2, "t4": 2,
              "thu nam": 3, "thu 5": 3, "t5": 3, "thu sau": 4, "thu 6": 4, "t6": 4, "thu bay": 5, "thu 7": 5,
              "t7": 5, "chu nhat": 6, "cn": 6}
_CLOCK = r"(\d{1,2})\s*(?::|h|g|giờ|gio)\s*(\d{2})?"
_TIME = re.compile(rf"^{_CLOCK}(?:\s*(?:-|–|—|đến|den)\s*{_CLOCK})?$", re.I)
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I)
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MARKED = {"true", "yes", "có", "co", "x"}


# ---------------------------------------------------------------------------------- the files

ITEM = S.Schema("schedule item", {
    "day": S.Field("text", "ngày: 2025-06-02, 02/06/2025 hoặc thứ trong tuần (Thứ Hai ... Chủ nhật)", '"Thứ Hai"',
                   required=True),
    "time": S.Field("text", "giờ: 07:30, 7h30, 14:00 - 16:30, Sáng, Chiều, Tối hoặc Cả ngày (mặc định)", '"07:30"'),
    "content": S.Field("text", "nội dung công việc", '"Họp giao ban lãnh đạo UBND xã"', required=True),
    "chair": S.Field("text", "người chủ trì", '"Chủ tịch UBND xã"'),
    "attendees": S.Field("text", "thành phần tham dự", '"Các Phó Chủ tịch; Chánh Văn phòng"'),
    "place": S.Field("text", "địa điểm", '"Phòng họp số 1"'),
    "prepare": S.Field("text", "đơn vị chuẩn bị", '"Văn phòng HĐND và UBND"'),
    "changed": S.Field("text", "điều chỉnh so với lịch đã đăng: ghi nội dung điều chỉnh (hoặc true)",
                       '"Chuyển từ 14:00 sang 15:00"'),
    "cancelled": S.Field("bool", "hoãn, không tổ chức (vẫn hiện trên lịch, có ghi hoãn)", "true", default=False),
})

SCHEDULE_POST = S.Schema("schedule file", {
    **{k: v for k, v in S.POST.fields.items() if k not in ("inspection", "date", "title", "image")},
    "title": S.Field("text", "tiêu đề (mặc định: Lịch công tác tuần 23 (02/06 - 08/06/2025))",
                     '"Lịch công tác tuần 23 năm 2025"'),
    "date": S.Field("datetime", "ngày giờ đăng (không bắt buộc; để trống: đăng ngay)", "2025-05-30 16:00"),
    "week": S.Field("text", "tuần theo ISO 8601 (tuần bắt đầu thứ Hai): năm-Wsố tuần", "2025-W23"),
    "start": S.Field("date", "hoặc một ngày bất kỳ của tuần (thay cho week)", "2025-06-02"),
    "items": S.Field("maps", "các việc trong tuần", "- {day: Thứ Hai, time: \"07:30\", content: ...}", schema=ITEM),
})


@dataclass(frozen=True)
class Item:
    day: dt.date
    time: str                      # as shown: "07:30", "14:00 - 16:30", "Sáng", "Cả ngày"
    start: dt.time | None          # None: all day
    end: dt.time | None
    content: str
    chair: str
    attendees: str
    place: str
    prepare: str
    changed: str                   # the note of what changed ("Có điều chỉnh" when only marked)
    cancelled: bool
    line: int


@dataclass(frozen=True)
class WeekMeta:
    """The week a file is for, and its items in the order of the day."""
    year: int                      # ISO year and week number
    number: int
    start: dt.date                 # its Monday
    items: tuple
    line: int

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def slug(self) -> str:
        return f"{self.year}-w{self.number:02d}"


YEARS = range(1900, 3000)          # weeks a schedule may be for (a typo like 0202 or 9999 is refused)


def _week_of(front: dict) -> tuple[int, int] | None:
    if front.get("week"):
        match = _WEEK.match(front["week"].strip())
        if match and int(match.group(1)) in YEARS and \
                1 <= int(match.group(2)) <= dt.date(int(match.group(1)), 12, 28).isocalendar()[1]:
            return int(match.group(1)), int(match.group(2))
        return None
    if front.get("start"):
        year, number, _ = front["start"].isocalendar()
        return (year, number) if year in YEARS else None
    return None


def _day(text: str, monday: dt.date) -> dt.date | None:
    match = _DATE.match(text.strip())
    if match:
        y, m, d, d2, m2, y2 = match.groups()
        try:
            return dt.date(int(y), int(m), int(d)) if y else dt.date(int(y2), int(m2), int(d2))
        except ValueError:
            return None
    name = " ".join(fold(text).replace(",", " ").split())
    return monday + dt.timedelta(days=_DAY_NAMES[name]) if name in _DAY_NAMES else None


def _clock(hour: str, minute: str | None) -> dt.time | None:
    hour_n, minute_n = int(hour), int(minute or 0)
    return dt.time(hour_n, minute_n) if hour_n < 24 and minute_n < 60 else None


def parse_time(text: str) -> tuple[str, dt.time | None, dt.time | None] | None:
    """(as shown, start, end) of a ``time:`` value; None when it is not one we read."""
    folded = " ".join(fold(text).split())
    if folded in ALL_DAY:
        return ("Cả ngày" if folded != "ca tuan" else "Cả tuần"), None, None
    if folded in PARTS_OF_DAY:
        return text.strip().capitalize(), *PARTS_OF_DAY[folded]
    match = _TIME.match(text.strip())
    if not match:
        return None
    start = _clock(match.group(1), match.group(2))
    end = _clock(match.group(3), match.group(4)) if match.group(3) else None
    if start is None or (match.group(3) and (end is None or end <= start)):
        return None
    shown = f"{start:%H:%M}" + (f" - {end:%H:%M}" if end else "")
    return shown, start, end


def block(front: dict, doc, lines: dict, problems: Problems) -> WeekMeta | None:
    """The week and its items, checked: a week that exists, days inside it, times that can be read."""
    week = _week_of(front)
    line = lines.get("week", lines.get("start", 1))
    if week is None:
        if front.get("week") or front.get("start"):
            problems.add(doc.path, line, "schedule-bad-week", value=front.get("week") or front["start"].isoformat())
        else:
            problems.add(doc.path, 1, "schedule-no-week")
        return None
    monday = dt.date.fromisocalendar(week[0], week[1], 1)
    if front.get("week") and front.get("start") and front["start"].isocalendar()[:2] != week:
        problems.add(doc.path, lines.get("start", line), "schedule-start-elsewhere", week=front["week"],
                     start=format_date(front["start"]))
    items = []
    for position, values in enumerate(front.get("items") or ()):
        if not values.get("day") or not values.get("content"):
            continue                                    # the schema said which is missing
        day = _day(values["day"], monday)
        if day is None or not monday <= day <= monday + dt.timedelta(days=6):
            problems.add(doc.path, values["_line"], "schedule-bad-day", value=values["day"],
                         start=format_date(monday), end=format_date(monday + dt.timedelta(days=6)))
            continue
        time = parse_time(values.get("time") or "")
        if time is None:
            problems.add(doc.path, values["_line"], "schedule-bad-time", value=values["time"])
            continue
        changed = (values.get("changed") or "").strip()
        if changed.casefold() in _MARKED:
            changed = "Có điều chỉnh"
        elif changed.casefold() in ("false", "no", "không", "khong"):
            changed = ""
        items.append((day, time[1] or dt.time(0), position, Item(
            day, time[0], time[1], time[2], values["content"], values.get("chair") or "",
            values.get("attendees") or "", values.get("place") or "", values.get("prepare") or "", changed,
            bool(values.get("cancelled")), values["_line"])))
    items.sort(key=lambda t: t[:3])
    return WeekMeta(week[0], week[1], monday, tuple(t[3] for t in items), line)


def defaults(front: dict) -> dict:
    """``Lịch công tác tuần 23 (02/06 - 08/06/2025)`` at ``2025-w23``."""
    week = _week_of(front)
    if week is None:
        return {}
    monday = dt.date.fromisocalendar(week[0], week[1], 1)
    sunday = monday + dt.timedelta(days=6)
    return {"title": f"Lịch công tác tuần {week[1]} ({monday:%d/%m} - {format_date(sunday)})",
            "slug": f"{week[0]}-w{week[1]:02d}"}


def new(title: str, slug: str, now: dt.datetime, cfg=None) -> tuple[str, str]:
    """``build.py new lich-cong-tac "..."``: next week's file, with one item to copy."""
    year, number, _ = (now.date() + dt.timedelta(days=7 - now.weekday())).isocalendar()
    return f"{year}-w{number:02d}.md", f"""---
week: {year}-W{number:02d}
# title: "{title}"      # mặc định: Lịch công tác tuần {number} (từ thứ Hai đến Chủ nhật)
date: {now:%Y-%m-%d %H:%M}
draft: true                    # bản nháp: chưa đăng. Khi xong, đổi thành draft: false (hoặc xóa dòng này)
items:
  - day: Thứ Hai
    time: "07:30"              # 07:30, 14:00 - 16:30, Sáng, Chiều, Cả ngày
    content: "Giao ban lãnh đạo"
    chair: "Chủ tịch UBND"
    attendees: "Các Phó Chủ tịch UBND; Chánh Văn phòng"
    place: "Phòng họp số 1"
    prepare: "Văn phòng HĐND và UBND"
#   changed: "Chuyển từ 14:00 sang 15:00"   # khi điều chỉnh lịch đã đăng
#   cancelled: true                          # khi hoãn
---
"""


def words(post: Post) -> str:
    """Search finds a week by what its items say."""
    meta = post.meta.data
    return " ".join(f"{i.content} {i.chair} {i.attendees} {i.place} {i.prepare}" for i in meta.items) if meta else ""


def check(cfg, documents: list, metas: dict, data: dict, now: dt.datetime, problems: Problems) -> None:
    """One file per week in a section."""
    seen: dict = {}
    owned = {s.name for s in cfg.sections if s.kind == "schedule"}
    for doc in documents:
        meta = metas.get(doc.path)
        if doc.section not in owned or meta is None or meta.data is None:
            continue
        key = (doc.section, meta.data.year, meta.data.number)
        if key in seen:
            problems.add(doc.path, meta.data.line, "schedule-duplicate-week", week=f"{key[1]}-W{key[2]:02d}",
                         other=seen[key])
        else:
            seen[key] = doc.path


# ---------------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class Day:
    date: dt.date
    label: str                     # "Thứ Hai, 02/06/2025"
    items: tuple
    today: bool = False


@dataclass(eq=False, repr=False)
class Week(Identified):
    """One week's schedule."""
    IDENTITY = "source"
    source: str
    post: Post
    meta: WeekMeta
    days: list                     # Day, Monday first, only days with items
    ics_path: str
    ics_url: str
    changed: int = 0               # items marked as changed or postponed
    older: "Week | None" = None
    newer: "Week | None" = None

    year = property(lambda self: self.meta.year)
    number = property(lambda self: self.meta.number)
    start = property(lambda self: self.meta.start)
    end = property(lambda self: self.meta.end)

    @property
    def label(self) -> str:
        return f"Tuần {self.number} ({self.start:%d/%m} - {format_date(self.end)})"


@dataclass(eq=False, repr=False)
class Schedule(Identified):
    IDENTITY = "name"
    name: str
    section: object
    weeks: list                    # newest first
    current: Week | None           # the week of today, when it has a file
    nearest: Week | None           # what the section's page shows when this week has none: the next, or the last
    by_year: list                  # (year, [Week])
    archive_path: str
    archive_url: str
    ics_path: str
    ics_url: str
    ics_abs_url: str
    coming: list = field(default_factory=list)   # today's and the rest of this week's items: (Day, Item)
    ahead: bool = False                          # ``nearest`` is a week to come (else the last one past)


def build(site: Site) -> None:
    urls, today = site.urls, site.now.date()
    schedules = site.by_kind.setdefault("schedule", {})
    for section in site.sections:
        if section.config.kind != "schedule":
            continue
        weeks = []
        for post in section.posts:
            meta = post.meta.data
            if meta is None:
                continue
            days: dict = {}
            for item in meta.items:
                days.setdefault(item.day, []).append(item)
            ics = f"{section.name}/{meta.slug}.ics"
            weeks.append(Week(post.source, post, meta,
                              [Day(d, format_datetime(dt.datetime.combine(d, dt.time(0)), with_time=False),
                                   tuple(items), d == today) for d, items in sorted(days.items())],
                              ics, urls.link(ics), sum(1 for i in meta.items if i.changed or i.cancelled)))
        weeks.sort(key=lambda w: w.start, reverse=True)
        for newer, older in zip(weeks, weeks[1:]):
            newer.older, older.newer = older, newer
        current = next((w for w in weeks if w.start <= today <= w.end), None)
        upcoming = [w for w in weeks if w.start > today]
        nearest = current or (upcoming[-1] if upcoming else next((w for w in weeks if w.end < today), None))
        by_year: dict = {}
        for week in weeks:
            by_year.setdefault(week.year, []).append(week)
        archive = U.section(section.name) + f"{ARCHIVE}/"
        ics = f"{section.name}/{CURRENT_ICS}"
        coming = [(day, item) for day in (current.days if current else ()) if day.date >= today
                  for item in day.items][:HOME_ITEMS]
        schedules[section.name] = Schedule(section.name, section, weeks, current, nearest, list(by_year.items()),
                                           archive, urls.link(archive), ics, urls.link(ics), urls.absolute(ics),
                                           coming, nearest is not None and nearest.start > today)


def _schedules(site: Site) -> list:
    return list(site.by_kind.get("schedule", {}).values())


# ---------------------------------------------------------------------------------- pages and files

def pages(site: Site) -> Iterator[tuple]:
    for schedule in _schedules(site):
        section = schedule.section
        shown = schedule.nearest
        yield job("schedule.html", info(site, "schedule", section.title, section.path,
                                        section.config.description or "Lịch công tác tuần này của lãnh đạo",
                                        sitemap=True),
                  schedule=schedule, week=shown, heading=section.title, current=True)
        yield job("schedule_weeks.html", info(site, "schedule-weeks", f"{section.title}: các tuần",
                                              schedule.archive_path, sitemap=True),
                  schedule=schedule, heading=f"{section.title}: các tuần")
        for week in schedule.weeks:
            modified = week.post.last_modified
            yield job("schedule.html", info(site, "schedule", week.post.title, week.post.path,
                                            f"{section.title} {week.label}", sitemap=True,
                                            lastmod=modified.at.isoformat() if modified else ""),
                      schedule=schedule, week=week, heading=week.post.title, current=False)


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    for schedule in _schedules(site):
        for week in schedule.weeks:
            yield week.ics_path, calendar(site, f"{schedule.section.title} {week.label}", [week])
        today = site.now.date()
        since = today - dt.timedelta(days=today.weekday() + 7 * SUBSCRIBED_PAST_WEEKS)
        yield schedule.ics_path, calendar(site, f"{schedule.section.title} - {site.config.title}",
                                          [w for w in schedule.weeks if w.start >= since])


def calendar(site: Site, name: str, weeks: list) -> bytes:
    """The weeks' items as one iCalendar file: times in UTC (no VTIMEZONE needed, exact for a zone
    without summer time), each item's UID stable while its week, day and place in the day stay."""
    import icalendar                     # here, not at the top: 40-90 ms of every build's start, for a schedule only
    cal = icalendar.Calendar()
    cal.add("prodid", "-//site-generator//Lich cong tac//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.config.timezone)
    host = site.urls.origin.split("//", 1)[-1] or "localhost"
    zone = site.config.tz
    for week in sorted(weeks, key=lambda w: w.start):
        stamp = week.post.last_modified.at if week.post.last_modified else \
            dt.datetime.combine(week.start, dt.time(0), tzinfo=zone)
        for day in week.days:
            for n, item in enumerate(day.items, 1):
                event = icalendar.Event()
                event.add("uid", f"{week.year}-w{week.number:02d}-{day.date:%m%d}-{n}@{host}")
                event.add("dtstamp", stamp.astimezone(dt.timezone.utc))
                if item.start is None:
                    event.add("dtstart", day.date)
                    event.add("dtend", day.date + dt.timedelta(days=1))
                else:
                    start = dt.datetime.combine(day.date, item.start, tzinfo=zone)
                    event.add("dtstart", start.astimezone(dt.timezone.utc))
                    if item.end is not None:
                        event.add("dtend", dt.datetime.combine(day.date, item.end, tzinfo=zone)
                                  .astimezone(dt.timezone.utc))
                event.add("summary", ("HOÃN: " if item.cancelled else "") + item.content)
                if item.place:
                    event.add("location", item.place)
                notes = [f"{label}: {value}" for label, value in (
                    ("Chủ trì", item.chair), ("Thành phần", item.attendees), ("Chuẩn bị", item.prepare),
                    ("Điều chỉnh", item.changed)) if value]
                if notes:
                    event.add("description", "\n".join(notes))
                event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
                event.add("url", week.post.abs_url)
                cal.add_component(event)
    return cal.to_ical()


def home(site: Site) -> dict:
    """This week's schedule on the home page (the first schedule section; None when the site has none)."""
    found = _schedules(site)
    return {"schedule": found[0] if found else None}


def catalogue(site: Site) -> list:
    return [CatalogueEntry(s.section.title, s.section.url,
                           "Lịch công tác tuần của lãnh đạo: thời gian, nội dung, chủ trì, thành phần, địa điểm; "
                           "tệp iCalendar (.ics) để đăng ký vào lịch",
                           s.section.config.frequency or "Hằng tuần, trước ngày làm việc đầu tuần; "
                                                          "điều chỉnh đăng ngay khi có thay đổi",
                           s.section.config.retention or "Lưu trữ trên Cổng, xem lại theo từng tuần")
            for s in _schedules(site)]


MESSAGES = {
    "schedule-no-week": {
        "vi": ("tệp lịch công tác không ghi tuần nào",
               "thêm `week: 2025-W23` (năm-W số tuần) hoặc `start: 2025-06-02` (một ngày của tuần) vào phần đầu tệp"),
        "en": ("the schedule file does not say which week it is for",
               "add `week: 2025-W23` (year-W week number) or `start: 2025-06-02` (a day of that week) to the front matter")},
    "schedule-bad-week": {
        "vi": ("`week: {value}` không phải một tuần",
               "viết năm, chữ W và số tuần (1 đến 52 hoặc 53), ví dụ `week: 2025-W23`"),
        "en": ("`week: {value}` is not a week",
               "write the year, W and the week number (1 to 52 or 53), e.g. `week: 2025-W23`")},
    "schedule-start-elsewhere": {
        "vi": ("`start: {start}` không thuộc tuần `{week}`",
               "giữ một trong hai khóa `week:` hoặc `start:`, hoặc sửa cho khớp nhau"),
        "en": ("`start: {start}` is not in the week `{week}`",
               "keep one of `week:` and `start:`, or make them agree")},
    "schedule-bad-day": {
        "vi": ("ngày `{value}` không thuộc tuần từ {start} đến {end}",
               "ghi ngày trong tuần (ví dụ `2025-06-02` hoặc `02/06/2025`) hoặc thứ (`Thứ Hai` ... `Chủ nhật`)"),
        "en": ("the day `{value}` is not in the week from {start} to {end}",
               "write a date of that week (e.g. `2025-06-02` or `02/06/2025`) or a weekday (`Thứ Hai` ... `Chủ nhật`)")},
    "schedule-bad-time": {
        "vi": ("không đọc được giờ `{value}`",
               "viết như `07:30`, `7h30`, `14:00 - 16:30`, `Sáng`, `Chiều`, `Tối` hoặc `Cả ngày`"),
        "en": ("cannot read the time `{value}`",
               "write it like `07:30`, `7h30`, `14:00 - 16:30`, `Sáng`, `Chiều`, `Tối` or `Cả ngày`")},
    "schedule-duplicate-week": {
        "vi": ("tuần {week} đã có lịch ở `{other}`",
               "mỗi tuần một tệp: gộp hai tệp làm một (ghi điều chỉnh bằng `changed:`)"),
        "en": ("the week {week} already has a schedule in `{other}`",
               "one file per week: merge the two (mark changes with `changed:`)")},
}

KIND = Kind("schedule", pages, files, catalogue, build=build, check=check, home=home, sections=(
    SectionKind("schedule", "Lịch công tác (chuyên mục kind: schedule, mỗi tệp một tuần)", "lịch công tác tuần",
                SCHEDULE_POST, "schedule", block=block, defaults=defaults, reserved=frozenset({ARCHIVE}),
                on_home=False, words=words, label="Lịch công tác", new=new, file_name="{{week}}",
                identifier="week"),),
            messages=MESSAGES)
