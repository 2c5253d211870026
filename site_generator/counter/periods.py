"""Calendar periods in the site's time zone: today, this week (from Monday), this month."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ONLINE_SECONDS = 300            # "Đang truy cập": distinct visitors seen in the last 5 minutes
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class Periods:
    now: float                  # Unix time of the request
    today: str                  # "2026-11-27"
    week_start: str             # the Monday of this week
    month_start: str            # the first of this month
    seconds_left: int           # until the end of today (local): how long per-day secrets may live

    @property
    def online_since(self) -> float:
        return self.now - ONLINE_SECONDS


def periods(now: float, zone: ZoneInfo) -> Periods:
    local = dt.datetime.fromtimestamp(now, zone)
    day = local.date()
    week_start = day - dt.timedelta(days=day.weekday())
    tomorrow = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    return Periods(now=now, today=day.isoformat(), week_start=week_start.isoformat(),
                   month_start=day.replace(day=1).isoformat(),
                   seconds_left=max(1, int(tomorrow.timestamp() - now) + 1))


def days_between(start: str, end: str) -> list[str]:
    """Every day from start to end inclusive, as ISO dates (at most 31 for a month)."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
