"""``python build.py import``: an old portal's pages into content files (beside the pipeline, never in it).

    python build.py import SOURCE --site DIR [--format html|wxr|json|csv] [--config import.yaml]

Reads items from the source (:mod:`.sources`), then for each: a section from its old category
(the config's ``sections`` map, else ``default_section``, else the site's first section of
posts), a date read day-first (``08/10/2021 14:30``, or ISO 8601, shown in Vietnam time), NFC
text with entities decoded, a Vietnamese slug capped at a word boundary, the lead as
``summary``, the body (:mod:`.bodies`), files copied into ``content/files/nhap/``, and the old
address in ``aliases`` (the build redirects it). What it wrote is remembered in
``.import/state.json`` (by old address): a second run rewrites only files it wrote and nobody
changed since, and never touches an editor's file. The report (printed, and written to
``.import/bao-cao.txt``) lists what was imported, skipped and why, and what needs a person.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from ..text import nfc, plain_summary, slugify
from . import bodies, sources
from .sources import Item, Skipped, SourceError

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
STATE = Path(".import") / "state.json"
REPORT = Path(".import") / "bao-cao.txt"
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*[:hg]\s*(\d{2})")
_ISO = re.compile(r"\s*\d{4}-\d{2}-\d{2}")


@dataclass
class Report:
    imported: list = field(default_factory=list)      # (origin, file)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    kept: list = field(default_factory=list)          # (origin, file): changed by an editor, left alone
    skipped: list = field(default_factory=list)       # (origin, reason)
    notes: list = field(default_factory=list)         # (origin, file, what needs a person)
    files: int = 0

    def text(self) -> str:
        lines = [f"Đã nhập {len(self.imported)} bài, cập nhật {len(self.updated)}, giữ nguyên {self.unchanged}, "
                 f"bỏ qua {len(self.skipped)}; chép {self.files} tệp."]
        if self.kept:
            lines.append(f"\nKhông ghi đè {len(self.kept)} tệp đã được sửa tay sau lần nhập trước:")
            lines += [f"  {file} ({origin})" for origin, file in self.kept]
        if self.skipped:
            lines.append(f"\nBỏ qua {len(self.skipped)} trang:")
            lines += [f"  {origin}: {reason}" for origin, reason in self.skipped]
        if self.notes:
            lines.append(f"\nCần người xem ({len(self.notes)}):")
            lines += [f"  {file}: {what} (từ {origin})" for origin, file, what in self.notes]
        return "\n".join(lines) + "\n"


class ImportError_(Exception):
    """Wrong usage or an unreadable source: the message is for the user."""


def run(source: Path, site: Path, fmt: str | None = None, config: Path | None = None,
        now: dt.datetime | None = None) -> Report:
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZONE)
    settings = _settings(config)
    sections = _sections(site)
    default = settings.get("default_section") or next(iter(sections), None)
    if default not in sections:
        raise ImportError_(f"mục `{default}` không có trong site.yaml (ghi `default_section:` trong tệp cấu hình)")
    try:
        items = list(_items(source, fmt or sources.detect(source), settings))
    except SourceError as err:
        raise ImportError_(str(err)) from err
    report = Report()
    report.skipped += [(s.origin, s.reason) for s in items if isinstance(s, Skipped)]
    state = _load_state(site)
    content = site / "content"
    planned = _plan([i for i in items if isinstance(i, Item)], settings, sections, default, state, content, now,
                    report)
    hosts = {urlsplit(p.item.url).hostname or "" for p in planned} | set(settings.get("hosts") or ())
    hosts.discard("")
    pages = {bodies.normal(p.item.url): p.path for p in planned if p.item.url}
    files = bodies.Files(content)
    resolver = bodies.Resolver(pages, files, source if source.is_dir() else None, hosts)
    for plan in planned:
        _write(plan, resolver, content, state, report)
    report.files = files.copied
    (site / STATE).parent.mkdir(exist_ok=True)
    (site / STATE).write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    (site / REPORT).write_text(report.text(), encoding="utf-8")
    return report


def _settings(config: Path | None) -> dict:
    if config is None:
        return {}
    try:
        values = yaml.safe_load(sources.text_of(sources.read_file(config, 1 << 20))) or {}
    except (yaml.YAMLError, SourceError) as err:
        raise ImportError_(f"{config}: không đọc được tệp cấu hình: {err}") from err
    if not isinstance(values, dict):
        raise ImportError_(f"{config}: cần các khóa preset, selectors, sections, default_section")
    preset = values.get("preset")
    if preset and preset not in sources.PRESETS:
        raise ImportError_(f"{config}: không có preset `{preset}` (có: {', '.join(sources.PRESETS)})")
    selectors = dict(sources.PRESETS.get(preset, {}))
    selectors.update(values.get("selectors") or {})
    values["selectors"] = selectors
    return values


def _sections(site: Path) -> dict:
    try:
        config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ImportError_(f"{site / 'site.yaml'}: không đọc được ({err})") from err
    found = config.get("sections") if isinstance(config, dict) else None
    if not isinstance(found, dict) or not found:
        raise ImportError_(f"{site / 'site.yaml'}: chưa có `sections:` để đặt bài nhập vào")
    return {name: (value or {}) for name, value in found.items() if isinstance(name, str)}


def _items(source: Path, fmt: str, settings: dict):
    if fmt == "json":
        return sources.from_json(source)
    if fmt == "csv":
        return sources.from_csv(source)
    if fmt == "wxr":
        return sources.from_wxr(source)
    if fmt == "html":
        if not source.is_dir():
            raise SourceError(f"{source}: dạng html cần một thư mục các trang đã lưu")
        selectors = settings.get("selectors") or {}
        if not selectors.get("title") or not selectors.get("body"):
            raise SourceError("dạng html cần `preset:` hoặc `selectors: {title: ..., body: ...}` trong --config")
        return sources.from_pages(source, selectors, settings.get("base_url") or "")
    raise SourceError(f"không có dạng `{fmt}` (html, wxr, json, csv)")


# ------------------------------------------------------------------------ one item

@dataclass
class _Plan:
    item: Item
    key: str
    path: str                  # content path of its .md
    title: str
    date: dt.datetime
    draft: bool
    notes: list


def _plan(items: list, settings: dict, sections: dict, default: str, state: dict, content: Path,
          now: dt.datetime, report: Report) -> list:
    """Decide each item's file (its old one, for an item imported before) before any body is converted:
    bodies link to each other's new files."""
    mapping = {_clean(k).lower(): v for k, v in (settings.get("sections") or {}).items()}
    taken = {entry["file"] for entry in state.values()}
    planned, seen = [], set()
    for item in items:
        title = _clean(item.title)
        if not title:
            report.skipped.append((item.origin, "không có tiêu đề"))
            continue
        key = bodies.normal(item.url) if item.url else f"{item.origin}"
        if key in seen:
            report.skipped.append((item.origin, f"trùng địa chỉ cũ với một trang khác ({item.url})"))
            continue
        seen.add(key)
        notes = []
        date = read_date(item.date)
        draft = item.draft
        if date is None:
            said = f"không đọc được ngày `{_clean(item.date)[:40]}`" if item.date.strip() else "không có ngày đăng"
            notes.append(f"{said}: bài để ở dạng nháp, ghi ngày rồi bỏ `draft`")
            date, draft = now.replace(second=0, microsecond=0), True
        section = mapping.get(_clean(item.category).lower(), default)
        if section not in sections:
            notes.append(f"mục `{section}` của chuyên mục `{item.category}` không có trong site.yaml: đặt vào `{default}`")
            section = default
        elif item.category and _clean(item.category).lower() not in mapping and mapping:
            notes.append(f"chuyên mục cũ `{_clean(item.category)}` chưa có trong `sections:`: đặt vào `{default}`")
        if key in state:
            path = state[key]["file"]
        else:
            stem = f"{section}/{date:%Y-%m-%d}-{slugify(title) or 'bai'}"
            path, number = f"{stem}.md", 1
            while path in taken or (content / path).exists():
                number += 1
                path = f"{stem}-{number}.md"
            taken.add(path)
        planned.append(_Plan(item, key, path, title, date, draft, notes))
    return planned


def _write(plan: _Plan, resolver: bodies.Resolver, content: Path, state: dict, report: Report) -> None:
    item = plan.item
    body = bodies.convert(item.body_html, item.url, item.base, resolver)
    attachments = []
    for reference in item.files:
        notes: list = []
        linked = resolver.resolve(reference, item.url, item.base, notes)
        plan.notes += [n.what for n in notes]
        if linked.startswith("/files/") and linked not in body.linked:
            attachments.append({"file": linked, "title": _clean(Path(linked).stem.replace("-", " "))})
    plan.notes += [n.what for n in body.notes if not (n.what == "thân bài trống" and attachments)]
    moment = f"{plan.date:%Y-%m-%d}" if (plan.date.hour, plan.date.minute) == (0, 0) else f"{plan.date:%Y-%m-%d %H:%M}"
    front = {"title": plan.title, "date": moment}
    if item.author.strip():
        front["author"] = _clean(item.author)
    summary = plain_summary(_clean(item.summary)) if item.summary.strip() else ""
    if summary:
        front["summary"] = summary
    if attachments:
        front["attachments"] = attachments
    if plan.draft:
        front["draft"] = True
    if item.url and urlsplit(item.url).scheme in ("http", "https", ""):
        front["aliases"] = [item.url.strip()]
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + body.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    target = content / plan.path
    kept = state.get(plan.key)
    for what in plan.notes:
        report.notes.append((item.origin, f"content/{plan.path}", what))
    if kept is not None and target.exists():
        if hashlib.sha256(target.read_bytes()).hexdigest() != kept["sha256"]:
            report.kept.append((item.origin, f"content/{plan.path}"))
            return
        if kept["sha256"] == digest:
            report.unchanged += 1
            return
        report.updated.append((item.origin, f"content/{plan.path}"))
    elif kept is not None:
        report.kept.append((item.origin, f"content/{plan.path} (đã bị xóa: không tạo lại)"))
        return
    else:
        report.imported.append((item.origin, f"content/{plan.path}"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    state[plan.key] = {"file": plan.path, "sha256": digest}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """One line of plain text: entities decoded, NFC, no control characters, spaces collapsed."""
    return " ".join(_CONTROL.sub("", nfc(html.unescape(text or ""))).split())


def read_date(text: str) -> dt.datetime | None:
    """``08/11/2019``, ``08/11/2019 14:30``, ``14h30 ngày 08/11/2019``, ISO 8601 (with a zone: shown in Vietnam time)."""
    text = (text or "").strip()
    if not text:
        return None
    if _ISO.match(text):
        try:
            value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return value.astimezone(ZONE) if value.tzinfo else value.replace(tzinfo=ZONE)
    day = _DAY_FIRST.search(text)
    if day is None:
        return None
    rest = text[:day.start()] + " " + text[day.end():]
    clock = _TIME.search(rest)
    try:
        return dt.datetime(int(day.group(3)), int(day.group(2)), int(day.group(1)),
                           int(clock.group(1)) if clock else 0, int(clock.group(2)) if clock else 0, tzinfo=ZONE)
    except ValueError:
        return None


def _load_state(site: Path) -> dict:
    try:
        found = json.loads((site / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(v, dict) and isinstance(v.get("file"), str)
            and isinstance(v.get("sha256"), str) and not v["file"].startswith(("/", "..")) and ".." not in v["file"]}
