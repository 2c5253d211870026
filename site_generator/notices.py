"""What site.yaml puts on every page besides the content: planned-downtime notices, the evaluator's
monitoring script and the footer's trust marks; the rules they follow.

- A downtime notice (``maintenance:``) is on every page from ``announced`` until it is over
  (:attr:`validate.Maintenance.over`); both moments are moments the output changes by itself
  (``model.plan`` ends the build stamp's window there, ``build.py list next`` names them).
  NĐ 224/2026 Art. 13(1)(a): it must be announced at least 7 working days ahead. Working days are
  Monday to Friday except Vietnam's public holidays, from the ``holidays`` package (maintained,
  lunar-calendar Tết and Giỗ Tổ Hùng Vương, the substitute days off the government announces); the
  days counted are those strictly between the day of the announcement and the day of the start.
- A trust mark's image is a file under content/ (PNG, JPG, GIF, WebP): the pages load images from
  the portal only (headers.py), and its size is read from the image so the footer does not shift.

The module reads only the trust marks' images (their first bytes) and the calendar; the model takes
what it found.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path

from . import inputs
from . import urls as U
from .problems import WARNING, Problems
from .text import format_date, format_datetime
from .validate import Config

NOTICE_DAYS = 7                         # working days between the announcement and the start, at least
_FAR = dt.timedelta(days=40)            # more calendar days than this always hold 7 working days (Tết is ~9)
IMAGE_TYPES = ("png", "jpg", "jpeg", "gif", "webp")
_HEAD = 256 * 1024                      # bytes read to find an image's size (a JPEG's frame header may follow Exif)


@functools.lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset:
    import holidays                     # imported here: only sites with a downtime notice need the calendar
    return frozenset(holidays.country_holidays("VN", years=year))


def working_day(day: dt.date) -> bool:
    """Monday to Friday and not a public holiday (or substitute day off) in Vietnam."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_days_between(first: dt.date, last: dt.date) -> int:
    """The working days strictly after ``first`` and strictly before ``last``."""
    count, day = 0, first + dt.timedelta(days=1)
    while day < last:
        count += working_day(day)
        day += dt.timedelta(days=1)
    return count


def latest_announcement(start: dt.date) -> dt.date:
    """The last day an announcement may be made for a downtime starting on ``start``."""
    day, found = start, 0
    while found < NOTICE_DAYS:
        day -= dt.timedelta(days=1)
        found += working_day(day)
    return day - dt.timedelta(days=1)


def earliest_start(announced: dt.date) -> dt.date:
    """The first day a downtime announced on ``announced`` may start."""
    day, found = announced, 0
    while found < NOTICE_DAYS:
        day += dt.timedelta(days=1)
        found += working_day(day)
    return day + dt.timedelta(days=1)


def check(root: Path, cfg: Config, assets: dict, now: dt.datetime, problems: Problems) -> Config:
    """The rules of site.yaml's notices; the configuration with each trust mark's width and height."""
    for notice in cfg.maintenance:
        if notice.over <= now:
            continue                    # over: nothing to say any more
        start, announced = notice.start.date(), notice.announced.date()
        if notice.start - notice.announced > _FAR:
            continue
        days = working_days_between(announced, start)
        if days < NOTICE_DAYS:
            problems.add("site.yaml", notice.announced_line, "maintenance-short-notice", severity=WARNING,
                         start=format_datetime(notice.start), announced=format_datetime(notice.announced),
                         days=days, latest=format_date(latest_announcement(start)),
                         earliest=format_date(earliest_start(announced)))
    marks = []
    for mark in cfg.trust_marks:
        target = U.resolve("", mark.image)
        if target is None or target not in assets:
            problems.add("site.yaml", mark.image_line, "trust-mark-missing", target=mark.image)
            continue
        size = None
        if target.rsplit(".", 1)[-1].lower() in IMAGE_TYPES:
            size = image_size(root / "content" / target)
        if size is None and (mark.width is None or mark.height is None):
            problems.add("site.yaml", mark.image_line, "trust-mark-not-image", target=mark.image)
            continue
        width, height = mark.width, mark.height
        if size is not None:             # one side given: the other keeps the image's proportions
            if width is None and height is None:
                width, height = size
            elif width is None:
                width = max(1, round(size[0] * height / size[1]))
            elif height is None:
                height = max(1, round(size[1] * width / size[0]))
        marks.append(replace(mark, image=target, width=width, height=height))
    return replace(cfg, trust_marks=tuple(marks))


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, WebP or JPEG, from its first bytes; None when they do not say."""
    try:
        with open(path, "rb") as file:
            head = file.read(_HEAD)
    except OSError:
        return None
    size = inputs.pixel_size(head)
    return size if size and 0 < size[0] <= 100_000 and 0 < size[1] <= 100_000 else None


def shown(cfg: Config, now: dt.datetime) -> tuple:
    """The downtime notices on the pages at ``now``: announced and not over."""
    return tuple(n for n in cfg.maintenance if n.announced <= now < n.over)


def moments(cfg: Config, now: dt.datetime) -> list:
    """(moment, "maintenance-shown" | "maintenance-over", notice) of each change the notices make after now."""
    found = []
    for notice in cfg.maintenance:
        if notice.announced > now:
            found.append((notice.announced, "maintenance-shown", notice))
        if notice.over > now:
            found.append((notice.over, "maintenance-over", notice))
    return found
