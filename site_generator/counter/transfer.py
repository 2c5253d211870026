"""Baseline import (an old portal's totals) and full export/restore, as CSV.

Baseline CSV (UTF-8, header required):
    path,views
    *,1279920                          <- "*" is the site total (Tổng lượt truy cập)
    /tin-tuc/kiem-tra-cchc-2021/,392
Importing sets the baseline (it replaces an earlier import for the same rows, never adds twice).

Export CSV (everything that outlives a day; no salts, no visitor keys):
    kind,day,path,views,baseline,value,comment
    site,,,<views counted here>,<imported>,,
    page,,/tin-tuc/kiem-tra-cchc-2021/,<counted>,<imported>,,
    site_day,2026-11-27,,301,,,
    page_day,2026-11-27,/tin-tuc/kiem-tra-cchc-2021/,5,,,
    rating_day,2026-11-27,/tin-tuc/kiem-tra-cchc-2021/,<ratings>,,<value 1-5>,
    rating_comment,2026-11-27,/tin-tuc/kiem-tra-cchc-2021/,,,<value 1-5>,<comment>
An export file given to import restores it into an empty store (SQLite or Redis). Exports written
before ratings (the first five columns only) are read as well.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from .paths import normalise, spelling
from .ratings import SCALE, CommentError, clean_comment
from .store import Dump

SITE_ROW = "*"
EXPORT_HEADER = ["kind", "day", "path", "views", "baseline", "value", "comment"]
VIEWS_HEADER = EXPORT_HEADER[:5]                 # exports written before ratings


@dataclass
class Baseline:
    pages: dict
    site_total: int | None


class CSVError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


MAX_VIEWS = 10 ** 15                 # far above any portal, far below SQLite's and Redis's 2**63 - 1
TOO_LARGE = f"is too large (at most {MAX_VIEWS:,})".replace(",", ".")


def _number(text: str) -> int | None:
    """A whole number of views (``1279920``, ``1.279.920``, ``1,279,920``); None when it is not one."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{1,3}([.,\s\u00a0]\d{3})+|\d+", text, re.ASCII):
        return int(re.sub(r"\D", "", text))
    return None


def _too_large(*values: int | None) -> bool:
    return any(v is not None and v > MAX_VIEWS for v in values)


def read(text: str, name: str, known_paths=None) -> Baseline | Dump:
    """Parse a baseline or an export; every problem is reported as ``name:line: what``."""
    text = text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise CSVError([f"{name}:1: empty file — write a header line: path,views"])
    header = [cell.strip().lower() for cell in rows[0]]
    if header[:len(VIEWS_HEADER)] == VIEWS_HEADER:
        return _read_export(rows[1:], name)
    if header[:2] != ["path", "views"]:
        raise CSVError([f"{name}:1: the header must be `path,views` (baseline) or "
                        f"`{','.join(EXPORT_HEADER)}` (export), not `{','.join(rows[0])}`"])
    problems, pages, site_total = [], {}, None
    for line, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        path = row[0].strip()
        views = _number(row[1] if len(row) > 1 else "")
        if views is None:
            problems.append(f"{name}:{line}: `{row[1][:40] if len(row) > 1 else ''}` is not a whole number of views")
            continue
        if _too_large(views):
            problems.append(f"{name}:{line}: `{row[1].strip()[:40]}` {TOO_LARGE}")
            continue
        page = _page(path, known_paths)
        if path == SITE_ROW:
            site_total = views
        elif not path.startswith("/") or spelling(path) is None:
            problems.append(f"{name}:{line}: `{path[:100]}` must be a page path starting with / "
                            f"(or * for the site total)")
        elif page is None:
            problems.append(f"{name}:{line}: `{path[:100]}` is not a page of the built site — "
                            f"write the page's path as published, with the sub-path")
        elif page in pages:
            problems.append(f"{name}:{line}: `{path[:100]}` is listed twice")
        else:
            pages[page] = views
    if problems:
        raise CSVError(problems)
    return Baseline(pages=pages, site_total=site_total)


def _page(path: str, known) -> str | None:
    """The stored form of a page path: the built page it names (``known``: paths.PageSet/FixedPages),
    or, without a built site, the path in canonical spelling."""
    if known is None:
        return normalise(path) if spelling(path) is not None else None
    return known.canonical(path)


def _read_export(rows: list[list[str]], name: str) -> Dump:
    dump, problems = Dump(), []
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        kind, day, path, views, baseline, value, comment = (row + [""] * 7)[:7]
        if kind == "rating_comment":
            views = "0"
        v, b = _number(views), _number(baseline or "0")
        if v is None or b is None:
            problems.append(f"{name}:{line}: views and baseline must be whole numbers")
            continue
        if _too_large(v, b):
            problems.append(f"{name}:{line}: `{max(v, b)}` {TOO_LARGE}"[:200])
            continue
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                problems.append(f"{name}:{line}: `{day}` is not a date YYYY-MM-DD")
                continue
        if path and (spelling(path) is None or normalise(path) != path):     # "/../etc/", "/a//b/", "/%ff/"
            problems.append(f"{name}:{line}: `{path[:100]}` is not a page path as the counter stores it "
                            f"(from /, no `..` or `//`, percent-encoded as exported)")
            continue
        if kind == "site":
            dump.site_views, dump.site_baseline = v, b
        elif kind == "page" and path.startswith("/"):
            dump.pages[path] = (v, b)
        elif kind == "site_day" and day:
            dump.site_days[day] = v
        elif kind == "page_day" and day and path.startswith("/"):
            dump.page_days[(day, path)] = v
        elif kind in ("rating_day", "rating_comment") and day and path.startswith("/"):
            level = _number(value)
            if level not in SCALE:
                problems.append(f"{name}:{line}: the value of a rating must be 1 to 5, not `{value[:20]}`")
            elif kind == "rating_day":
                dump.rating_days[(day, path, level)] = v
            else:
                try:
                    text = clean_comment(comment)
                except CommentError as error:
                    problems.append(f"{name}:{line}: {error}")
                    continue
                if text:
                    dump.rating_comments.append((day, path, level, text))
        else:
            problems.append(f"{name}:{line}: unknown row `{','.join(row)}`")
    if problems:
        raise CSVError(problems)
    dump.rating_comments.sort()
    return dump


def write(dump: Dump) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(EXPORT_HEADER)
    w.writerow(["site", "", "", dump.site_views, dump.site_baseline, "", ""])
    for path, (views, baseline) in sorted(dump.pages.items()):
        w.writerow(["page", "", path, views, baseline, "", ""])
    for day, views in sorted(dump.site_days.items()):
        w.writerow(["site_day", day, "", views, "", "", ""])
    for (day, path), views in sorted(dump.page_days.items()):
        w.writerow(["page_day", day, path, views, "", "", ""])
    for (day, path, value), n in sorted(dump.rating_days.items()):
        w.writerow(["rating_day", day, path, n, "", value, ""])
    for day, path, value, comment in sorted(dump.rating_comments):
        w.writerow(["rating_comment", day, path, "", "", value, comment])
    return out.getvalue()
