"""Ratings of a page ("Thông tin này có hữu ích không?"): the scale, the comment rules, the answers, the
office's CSV.

The scale has five levels, as the state's satisfaction surveys (SIPAS, "Chỉ số hài lòng") do, worded
for the question asked (the page's usefulness); docs/counter.md says why. The value is 1 (lowest) to 5.

A comment is optional: Unicode NFC, whitespace runs collapsed to one space, at most MAX_COMMENT
characters after that; control characters (other than tab and line breaks, which are collapsed),
lone surrogates and the bidirectional controls that can make a text read otherwise than it is
stored ("Trojan source") are refused, not dropped: the citizen is told, nothing is stored.
Comments are stored without any visitor key, never published by the pages, and exported for the
office by `python build.py counter export-ratings FILE.csv`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

SCALE = (1, 2, 3, 4, 5)
LABELS = {1: "Hoàn toàn không hữu ích", 2: "Không hữu ích", 3: "Bình thường", 4: "Hữu ích", 5: "Rất hữu ích"}
MAX_COMMENT = 500                   # characters, after NFC and whitespace collapsing
MAX_BODY = 4096                     # bytes of a rating's JSON body (500 Vietnamese characters are ~1,500 bytes)
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
OFFICE_HEADER = ["Ngày", "Trang", "Mức đánh giá", "Góp ý"]


class CommentError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def valid_value(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in SCALE


def clean_comment(raw) -> str | None:
    """The comment as stored (None: none given, or only whitespace); CommentError when refused."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise CommentError("bad_comment", "comment must be text")
    for char in raw:
        if char in "\t\n\r":
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS:
            raise CommentError("bad_comment", f"the comment holds a control character (U+{ord(char):04X})")
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(text) > MAX_COMMENT:
        raise CommentError("comment_too_long", f"the comment may have at most {MAX_COMMENT} characters "
                                               f"(it has {len(text)})")
    return text or None


def summary(path: str, counts: dict) -> dict:
    """The answer of GET ratings: counts of every level (0 included), how many in all, the mean."""
    counts = {value: int(counts.get(value, 0)) for value in SCALE}
    total = sum(counts.values())
    average = round(sum(v * n for v, n in counts.items()) / total, 2) if total else None
    return {"path": path, "counts": {str(v): n for v, n in counts.items()}, "total": total, "average": average}


def _cell(text: str) -> str:
    """A spreadsheet must not run a citizen's text as a formula (=, +, -, @, tab, CR first)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def office_csv(dump) -> str:
    """One row per rating: Ngày (dd/mm/yyyy), Trang, Mức đánh giá (1-5), Góp ý; ordered by day, page, level
    (never by the order they came in). UTF-8 with a BOM, so that Excel reads Vietnamese."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(OFFICE_HEADER)
    comments: dict = {}
    for day, path, value, comment in dump.rating_comments:
        comments.setdefault((day, path, value), []).append(comment)
    for (day, path, value), n in sorted(dump.rating_days.items()):
        date = dt.date.fromisoformat(day).strftime("%d/%m/%Y")
        texts = sorted(comments.get((day, path, value), []))[:n]
        for comment in texts + [""] * (n - len(texts)):
            w.writerow([date, path, value, _cell(comment)])
    return "\ufeff" + out.getvalue()
