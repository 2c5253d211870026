"""The office's statistics (``GET stats``) and the monthly report (``counter export-monthly``).

Only counts that outlive a day: site views per day, page totals, ratings per page, day and level.
No visitor key, address or comment is read here.

    GET stats -> {"today": "2026-05-20",
                  "days":   [{"day": "2026-04-21", "views": n}, ... 30, oldest first, today last],
                  "months": [{"month": "2025-06", "views": n}, ... 12, this month last],
                  "top":    [{"path": PATH, "views": n}, ... at most 10, most viewed first (baseline included)],
                  "ratings": [{"path": PATH, "counts": {"1": n, .. "5": n}, "total": n, "average": x}, ... at most 10,
                              most rated first],
                  "rating_months": [{"month": "2025-06", "total": n, "average": x or null}, ... 12]}
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from .ratings import SCALE, summary

DAYS = 30
MONTHS = 12
TOP = 10
MONTHLY_HEADER = ["Tháng", "Trang", "Lượt xem", "Số lượt đánh giá", "Điểm trung bình"]


def window(today: str) -> tuple[list[str], list[str]]:
    """The last DAYS days (today last) and the last MONTHS months ("YYYY-MM", this month last)."""
    day = dt.date.fromisoformat(today)
    days = [(day - dt.timedelta(days=n)).isoformat() for n in range(DAYS - 1, -1, -1)]
    months = []
    year, month = day.year, day.month
    for _ in range(MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days, months[::-1]


def first_day(months: list[str]) -> str:
    return months[0] + "-01"


def answer(today: str, site_days: dict, page_totals: dict, rating_totals: dict, rating_days: dict) -> dict:
    """``site_days`` {day: views} (at least the window), ``page_totals`` {path: views with baseline},
    ``rating_totals`` {(path, value): n} (all days), ``rating_days`` {(day, value): n} (at least the window)."""
    days, months = window(today)
    by_month: dict = {}
    for day, views in site_days.items():
        by_month[day[:7]] = by_month.get(day[:7], 0) + int(views)
    top = sorted(((path, int(v)) for path, v in page_totals.items() if int(v) > 0), key=lambda e: (-e[1], e[0]))
    per_page: dict = {}
    for (path, value), n in rating_totals.items():
        if int(n) > 0:
            per_page.setdefault(path, {})[int(value)] = int(n)
    rated = sorted((summary(path, counts) for path, counts in per_page.items()), key=lambda s: (-s["total"], s["path"]))
    trend: dict = {}
    for (day, value), n in rating_days.items():
        trend.setdefault(day[:7], {}).setdefault(int(value), 0)
        trend[day[:7]][int(value)] += int(n)
    rating_months = []
    for month in months:
        s = summary("", trend.get(month, {}))
        rating_months.append({"month": month, "total": s["total"], "average": s["average"]})
    return {"today": today,
            "days": [{"day": day, "views": int(site_days.get(day, 0))} for day in days],
            "months": [{"month": month, "views": by_month.get(month, 0)} for month in months],
            "top": [{"path": path, "views": views} for path, views in top[:TOP]],
            "ratings": rated[:TOP],
            "rating_months": rating_months}


def monthly_rows(dump) -> list[list]:
    """(month, page, views, ratings, average) for every page and month with a view or a rating; ordered by
    month then page. Views are those counted that month (a baseline imported from an old portal has no month)."""
    views: dict = {}
    for (day, path), n in dump.page_days.items():
        views[(day[:7], path)] = views.get((day[:7], path), 0) + n
    ratings: dict = {}
    for (day, path, value), n in dump.rating_days.items():
        ratings.setdefault((day[:7], path), {}).setdefault(value, 0)
        ratings[(day[:7], path)][value] += n
    rows = []
    for month, path in sorted(set(views) | set(ratings)):
        s = summary(path, ratings.get((month, path), {}))
        rows.append([month, path, views.get((month, path), 0), s["total"], s["average"]])
    return rows


def monthly_csv(dump) -> str:
    """The office's monthly report: UTF-8 with a BOM (Excel reads Vietnamese), ``Tháng`` as mm/yyyy, the average
    with a decimal comma (as Vietnamese Excel expects; empty without ratings)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(MONTHLY_HEADER)
    for month, path, views, total, average in monthly_rows(dump):
        w.writerow([f"{month[5:]}/{month[:4]}", path, views, total,
                    "" if average is None else f"{average:.2f}".replace(".", ",")])
    return "\ufeff" + out.getvalue()


__all__ = ["SCALE", "answer", "monthly_csv", "monthly_rows", "window"]
