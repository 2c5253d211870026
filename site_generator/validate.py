"""Stage 2: raw front matter + schema -> typed, frozen metadata, and problems.

Nothing here raises for an editor's mistake: every wrong value becomes a
Problem with its file and line, and validation goes on so that one run
reports everything.
"""
from __future__ import annotations

import datetime as dt
import html
import difflib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LINK_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_EMAIL = re.compile(r"[^@\s<>\"'(),;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+")
_PHONE = re.compile(r"(?=(?:[^0-9]*[0-9]){3})[0-9 .()+\-/,;]+")     # digits and their punctuation, 3 digits at least


def _scheme(text: str) -> str | None:
    """The scheme a browser would see (lower case), or None for a path."""
    match = _SCHEME.match(text.lstrip())
    return match.group(1).lower() if match and "/" not in match.group(1) else None


def _unsafe_characters(text: str) -> bool:
    """Control characters (tab, new line...) inside an address hide a scheme from a reader: browsers drop them
    (``java\tscript:`` is ``javascript:``)."""
    return any(ord(c) < 32 or ord(c) == 127 for c in text)
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import redirects
from . import schema as S
from . import urls as U
from .kinds import kinds, section_kind
from .load import Document, Node
from .problems import WARNING, Problems
from .text import SLUG_MAX, format_datetime, nfc, slugify, without_controls

_MISSING = object()
_CURLY_OPEN, _CURLY_CLOSE = "\u201c\u2018\u201d", "\u201d\u2019\u201c"     # “ ‘ ” and ” ’ “ (Word's quotes, either way round)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?$")
_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$")
_TRUE = {"true", "yes", "on", "có", "co"}
_FALSE = {"false", "no", "off", "không", "khong"}
RESERVED_SECTIONS = U.reserved_folders()


# --------------------------------------------------------------------------- typed metadata

@dataclass(frozen=True, order=True)
class Moment:
    """A point in time in the site's zone; ``has_time`` is False for a plain date."""
    at: dt.datetime
    has_time: bool = True

    @property
    def date(self) -> dt.date:
        return self.at.date()


@dataclass(frozen=True)
class AttachmentRef:
    file: str
    title: str
    line: int


@dataclass(frozen=True)
class Correction:
    date: Moment
    note: str


@dataclass(frozen=True)
class Withdrawal:
    date: Moment
    reason: str


@dataclass(frozen=True)
class Finding:
    unit: str
    rating: str
    issues: tuple
    remedy_by: dt.date | None
    remedied: bool | None
    note: str
    line: int


@dataclass(frozen=True)
class InspectionMeta:
    id: str
    stage: str
    subject: str
    units: tuple
    period: tuple | None          # (start, end) dates
    decision: str
    conclusion: str
    signed: dt.date | None
    findings: tuple
    line: int
    unit_lines: tuple = ()        # line of each name in ``units``


@dataclass(frozen=True)
class Meta:
    """Validated front matter of one post or page."""
    title: str
    date: Moment | None
    updated: Moment | None
    slug: str
    summary: str
    author: str
    tags: tuple
    draft: bool
    expires: Moment | None
    image: str
    attachments: tuple
    corrections: tuple
    withdrawn: Withdrawal | None
    superseded_by: str
    inspection: InspectionMeta | None
    aliases: tuple = ()           # redirects.Alias: the post's addresses on the old portal
    data: object = None           # what the section's kind reads from the file (kinds: SectionKind.block)
    lines: dict = field(default_factory=dict, compare=False, hash=False)

    def line(self, key: str, default: int = 1) -> int:
        return self.lines.get(key, default)


@dataclass(frozen=True)
class SectionConfig:
    name: str
    title: str
    kind: str
    per_page: int
    description: str
    in_menu: bool
    frequency: str = ""
    retention: str = ""


@dataclass(frozen=True)
class Contact:
    """Shown in every page's footer (who runs the portal, as Vietnamese rules ask)."""
    agency: str = ""
    responsible: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class EditorConfig:
    """site.yaml's ``editor:``: where the web editor (/admin/) reads and saves the content."""
    backend: str = "gitlab"
    repo: str = ""
    branch: str = "main"
    api_root: str = ""
    base_url: str = ""
    app_id: str = ""


@dataclass(frozen=True)
class Maintenance:
    """One planned downtime (site.yaml ``maintenance:``): announced on every page from ``announced`` until ``over``."""
    start: dt.datetime
    end: dt.datetime
    restore: dt.datetime            # when the portal is expected back (``end`` unless said)
    announced: dt.datetime
    reason: str
    line: int
    announced_line: int

    @property
    def over(self) -> dt.datetime:
        """The banner leaves the pages then: the later of the end and the restore time."""
        return max(self.end, self.restore)


@dataclass(frozen=True)
class Monitoring:
    """The evaluating agency's monitoring script (site.yaml ``monitoring:``): an external script on every page."""
    script: str                     # https://host/path.js
    id: str = ""

    @property
    def origin(self) -> str:
        parts = urlsplit(self.script)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class TrustMarkRef:
    """One trust mark of the footer as site.yaml gives it (its image is checked against content/ later)."""
    image: str                      # as written: /files/tin-nhiem-mang.png
    alt: str
    link: str                       # https://
    width: int | None
    height: int | None
    line: int
    image_line: int


@dataclass(frozen=True)
class Config:
    title: str
    description: str
    base_url: str
    language: str
    timezone: str
    author: str
    per_page: int
    home_per_section: int
    feed_limit: int
    sections: tuple               # SectionConfig, in menu order
    menu: tuple                   # (title, url) pairs
    contact: Contact
    min_days: int
    publish_within_days: int
    counter_url: str
    counter_origins: tuple
    editor: "EditorConfig | None" = None      # the web editor at /admin/ (None: not published)
    maintenance: tuple = ()                   # Maintenance, as listed
    monitoring: "Monitoring | None" = None
    trust_marks: tuple = ()                   # TrustMarkRef (the build fills width and height from the image)
    province: tuple = ()                      # (title, url) of the provincial portal this one is part of

    @property
    def tz(self) -> dt.tzinfo:
        return ZoneInfo(self.timezone)

    def section(self, name: str) -> SectionConfig | None:
        return next((s for s in self.sections if s.name == name), None)


@dataclass(frozen=True)
class UnitMeta:
    name: str
    kind: str
    slug: str
    description: str
    line: int


# --------------------------------------------------------------------------- the engine

class Checker:
    """Applies a Schema to a Node tree for one file, collecting problems."""

    def __init__(self, path: str, problems: Problems, tz: dt.tzinfo):
        self.path, self.problems, self.tz = path, problems, tz
        self.lines: dict[str, int] = {}

    def mapping(self, node: Node, schema: S.Schema, prefix: str = "", item: bool = False) -> dict:
        """``item``: the mapping is one item of a list at the top of a data file (a missing key is at its line)."""
        values: dict = {}
        if node.kind != "map":
            self.problems.add(self.path, node.line, "not-a-mapping", what=prefix.rstrip(".") or schema.name)
            return values
        for key, child in node.value.items():
            own, self.path = self.path, child.source or self.path      # a value province.yaml gave (inherit.py)
            try:
                self.lines[prefix + key] = child.line
                spec = schema.fields.get(key)
                if spec is None:
                    self.unknown_key(key, child.line, schema)
                    continue
                value = self.value(child, spec, prefix + key)
                if value is not _MISSING:
                    values[key] = value
            finally:
                self.path = own
        for key, spec in schema.fields.items():
            if key not in values:
                if spec.required and key not in node.value:
                    self.problems.add(self.path, node.line if prefix or item else 1, "missing-key", key=prefix + key,
                                      example=f"{key}: {spec.example}")
                values.setdefault(key, spec.default)
        return values

    def unknown_key(self, key: str, line: int, schema: S.Schema) -> None:
        if schema is S.PAGE and key == "inspection":
            self.problems.add(self.path, line, "inspection-in-page")
            return
        close = difflib.get_close_matches(key.lower(), list(schema.fields), n=1, cutoff=0.6)
        if close:
            self.problems.add(self.path, line, "unknown-key", key=key, suggestion=close[0], known=schema.known())
        else:
            self.problems.add(self.path, line, "unknown-key-nosugg", key=key, known=schema.known())

    def value(self, node: Node, spec: S.Field, key: str):
        if node.kind == "scalar" and node.null:
            if spec.required:
                self.problems.add(self.path, node.line, "empty-value", key=key, example=spec.example)
            return _MISSING
        handler = getattr(self, "as_" + spec.type)
        return handler(node, spec, key)

    def wrong(self, node: Node, spec: S.Field, key: str, expected: str):
        self.problems.add(self.path, node.line, "wrong-type", key=key, expected=expected,
                          example=f"{key.rsplit('.', 1)[-1]}: {spec.example}")
        return _MISSING

    def as_text(self, node: Node, spec: S.Field, key: str):
        if node.kind != "scalar":
            return self.wrong(node, spec, key, "text")
        text = without_controls(node.value).strip()     # "\e" and "\x0b" in a quoted YAML text: invisible
        if not text and spec.required:
            self.problems.add(self.path, node.line, "empty-value", key=key, example=spec.example)
            return _MISSING
        self.curly(node, text, key)
        return text

    def curly(self, node: Node, text: str, key: str) -> None:
        """A value typed in Word's curly quotes (``title: “Kế hoạch”``): YAML keeps them as text, on the page."""
        if not node.quoted and len(text) >= 2 and text[0] in _CURLY_OPEN and text[-1] in _CURLY_CLOSE:
            self.problems.add(self.path, node.line, "curly-quoted-value", severity=WARNING, key=key,
                              value=text[1:-1].strip().replace('"', '\\"'))

    def as_url(self, node: Node, spec: S.Field, key: str):
        text = self.as_text(node, spec, key)
        if text is _MISSING:
            return text
        url = base_url(text)
        if url is None:
            self.problems.add(self.path, node.line, "bad-base-url", value=text, key=key)
            return _MISSING
        return url

    def as_link(self, node: Node, spec: S.Field, key: str):
        """An address a reader may follow: web, mail or phone, or a path in the portal; nothing that runs."""
        text = self.as_text(node, spec, key)
        if text is _MISSING or not text:
            return text
        scheme = _scheme(text)
        if _unsafe_characters(text) or (scheme is not None and scheme not in LINK_SCHEMES) or \
                (scheme in ("http", "https") and not urlsplit(text).netloc):
            self.problems.add(self.path, node.line, "bad-link", key=key, value=text, schemes=", ".join(LINK_SCHEMES))
            return _MISSING
        return text

    def as_https(self, node: Node, spec: S.Field, key: str):
        """A full ``https://host/...`` address: a script or a link the portal itself names (no http, no path)."""
        text = self.as_text(node, spec, key)
        if text is _MISSING or not text:
            return text
        try:
            parts = urlsplit(text)
        except ValueError:
            parts = None
        if (parts is None or parts.scheme.lower() != "https" or not parts.hostname or _unsafe_characters(text)
                or any(c in text for c in " \"'<>`") or parts.username or parts.password):
            self.problems.add(self.path, node.line, "not-https", key=key, value=text[:200], example=spec.example)
            return _MISSING
        return text

    def as_path(self, node: Node, spec: S.Field, key: str):
        """A file under content/, relative to the post or from content/ (``/files/a.pdf``): no scheme, no host."""
        text = self.as_text(node, spec, key)
        if text is _MISSING or not text:
            return text
        if _unsafe_characters(text) or _scheme(text) is not None or text.startswith("//") or "\\" in text:
            self.problems.add(self.path, node.line, "bad-path", key=key, value=text, example=spec.example)
            return _MISSING
        return text

    def as_email(self, node: Node, spec: S.Field, key: str):
        return self._shaped(node, spec, key, _EMAIL, "bad-email")

    def as_phone(self, node: Node, spec: S.Field, key: str):
        return self._shaped(node, spec, key, _PHONE, "bad-phone")

    def _shaped(self, node: Node, spec: S.Field, key: str, shape: re.Pattern, code: str):
        """A text that must match ``shape`` whole; ``code`` names the problem when it does not."""
        text = self.as_text(node, spec, key)
        if text and text is not _MISSING and not shape.fullmatch(text):
            self.problems.add(self.path, node.line, code, key=key, value=text)
            return _MISSING
        return text

    def as_texts(self, node: Node, spec: S.Field, key: str):
        if node.kind == "scalar":
            return tuple(t.strip() for t in without_controls(node.value).split(",") if t.strip())
        if node.kind != "seq":
            return self.wrong(node, spec, key, "list")
        out = []
        for item in node.value:
            if item.kind != "scalar" or item.null:
                self.wrong(item, spec, key, "texts")
                continue
            text = without_controls(item.value).strip()
            if text:
                self.curly(item, text, key)
                out.append(text)
        return tuple(out)

    def as_bool(self, node: Node, spec: S.Field, key: str):
        if node.kind == "scalar" and node.value.strip().lower() in _TRUE:
            return True
        if node.kind == "scalar" and node.value.strip().lower() in _FALSE:
            return False
        return self.wrong(node, spec, key, "bool")

    def as_int(self, node: Node, spec: S.Field, key: str):
        text = node.value.strip() if node.kind == "scalar" else ""
        if not text.isdigit() or int(text) < 1:
            self.problems.add(self.path, node.line, "bad-number", key=key, value=text or "…")
            return _MISSING
        if int(text) > MAX_NUMBER:
            self.problems.add(self.path, node.line, "number-too-large", key=key, value=text[:30], max=MAX_NUMBER)
            return _MISSING
        return int(text)

    def as_choice(self, node: Node, spec: S.Field, key: str):
        text = node.value.strip().lower() if node.kind == "scalar" else ""
        text = dict(spec.aliases).get(text, text)
        if text not in spec.choices:
            self.problems.add(self.path, node.line, "bad-choice", key=key, value=node.value if node.kind == "scalar"
                              else "…", choices=" | ".join(spec.choices))
            return _MISSING
        return text

    def as_datetime(self, node: Node, spec: S.Field, key: str):
        moment = parse_moment(node.value.strip(), self.tz) if node.kind == "scalar" else None
        if moment is None:
            self.problems.add(self.path, node.line, "bad-date", key=key,
                              value=node.value if node.kind == "scalar" else "…")
            return _MISSING
        return moment

    def as_date(self, node: Node, spec: S.Field, key: str):
        moment = self.as_datetime(node, spec, key)
        return moment if moment is _MISSING else moment.date

    def as_yaml(self, node: Node, spec: S.Field, key: str):
        """A mapping checked by whoever reads it (province.yaml's ``site:``: by each commune's site.yaml)."""
        return node if node.kind == "map" else self.wrong(node, spec, key, "map")

    def as_map(self, node: Node, spec: S.Field, key: str):
        values = self.mapping(node, spec.schema, key + ".")
        values["_line"] = node.line
        return values

    def as_maps(self, node: Node, spec: S.Field, key: str):
        if node.kind == "map":           # one item written without "-"
            node = Node([node], node.line, "seq")
        if node.kind != "seq":
            return self.wrong(node, spec, key, "maps")
        out = []
        for index, item in enumerate(node.value):
            values = self.mapping(item, spec.schema, f"{key}.{index}.")
            values["_line"] = item.line
            out.append(values)
        return out

    def as_dict(self, node: Node, spec: S.Field, key: str):
        if node.kind != "map":
            return self.wrong(node, spec, key, "dict")
        out = {}
        for name, item in node.value.items():
            item_node = item if item.kind == "map" else Node({}, item.line, "map")
            if item.kind != "map":
                self.wrong(item, spec, f"{key}.{name}", "map")
                continue
            values = self.mapping(item_node, spec.schema, f"{key}.{name}.")
            values["_line"] = item.line
            out[name] = values
        return out


def base_url(text: str) -> str | None:
    """A full ``http(s)://host/path/`` address (with its final ``/``), or None: site.yaml's ``base_url`` and
    the ``--base-url`` option."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or _unsafe_characters(text.strip()):
        return None
    text = text.strip()
    return text if text.endswith("/") else text + "/"


MAX_NUMBER = 1_000_000          # a whole number in front matter or site.yaml (days, pixels, a commune's code)
YEARS = range(1800, 2200)       # of a date: older or later ones are typing mistakes (and 9999-12-31 + 15 days overflows)


def parse_moment(text: str, tz: dt.tzinfo) -> Moment | None:
    """``2021-10-08``, ``2021-10-08 09:00``, ``2021-10-08T09:00:00+07:00`` or ``08/10/2021 09:00``; None when
    not a date, or not one of YEARS."""
    match = _ISO.match(text)
    written = match or _VN.match(text)
    if written is None or int(written.group(1 if match else 3)) not in YEARS:
        return None
    try:
        if match:
            year, month, day, hour, minute, second, offset = match.groups()
            if hour is None:
                return Moment(dt.datetime(int(year), int(month), int(day), tzinfo=tz), has_time=False)
            value = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
            if offset:
                if offset == "Z":
                    zone = dt.timezone.utc
                else:
                    sign = -1 if offset[0] == "-" else 1
                    digits = offset[1:].replace(":", "")
                    zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
                return Moment(value.replace(tzinfo=zone).astimezone(tz))
            return Moment(value.replace(tzinfo=tz))
        day, month, year, hour, minute = written.groups()
        if hour is None:
            return Moment(dt.datetime(int(year), int(month), int(day), tzinfo=tz), has_time=False)
        return Moment(dt.datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=tz))
    except ValueError:
        return None


# --------------------------------------------------------------------------- per kind

def config(node: Node | None, problems: Problems) -> Config | None:
    """site.yaml -> Config (None when it is unusable)."""
    if node is None:
        return None
    path = "site.yaml"
    zone = _zone_of(node)           # the times site.yaml gives (maintenance:) are in the site's zone
    try:
        tz = ZoneInfo(zone or "Asia/Ho_Chi_Minh")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("Asia/Ho_Chi_Minh")
    checker = Checker(path, problems, tz)
    values = checker.mapping(node, S.site_schema())
    zone = values.get("timezone") or "Asia/Ho_Chi_Minh"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(path, checker.lines.get("timezone", 1), "bad-timezone", value=zone)
        zone = "Asia/Ho_Chi_Minh"
    reserved = RESERVED_SECTIONS + tuple(f for kind in kinds() for f in kind.folders)
    sections = []
    for name, section in (values.get("sections") or {}).items():
        line = section.get("_line", 1)
        if not _SLUG.match(name):
            problems.add(path, line, "bad-section-name", name=name)
            continue
        if name in reserved:
            problems.add(path, line, "reserved-section", name=name, reserved=", ".join(reserved))
            continue
        sections.append(SectionConfig(name, section.get("title") or name, section.get("kind") or "posts",
                                      section.get("per_page") or values.get("per_page") or 10,
                                      section.get("description") or "", section.get("in_menu", True) is not False,
                                      section.get("frequency") or "", section.get("retention") or ""))
    if not values.get("title") or not values.get("base_url") or "sections" not in values:
        return None
    disclosure = values.get("disclosure") or {}
    counter = values.get("counter") or {}
    monitoring = values.get("monitoring")
    contact = Contact(**{k: v for k, v in (values.get("contact") or {}).items() if not k.startswith("_") and v})
    return Config(
        title=values["title"], description=values.get("description") or "", base_url=values["base_url"],
        language=values.get("language") or "vi", timezone=zone, author=values.get("author") or "",
        per_page=values.get("per_page") or 10, home_per_section=values.get("home_per_section") or 5,
        feed_limit=values.get("feed_limit") or 20, sections=tuple(sections),
        menu=tuple((m["title"], m["url"]) for m in values.get("menu") or () if m.get("title") and m.get("url")),
        contact=contact, min_days=disclosure.get("min_days") or 15,
        publish_within_days=disclosure.get("publish_within_days") or 10,
        counter_url=counter.get("url") or "", counter_origins=tuple(counter.get("origins") or ()),
        editor=_editor(values.get("editor")), maintenance=_maintenance(values.get("maintenance"), checker, problems),
        monitoring=Monitoring(monitoring["script"], monitoring.get("id") or "")
        if monitoring and monitoring.get("script") else None,
        trust_marks=tuple(TrustMarkRef(m["image"], m["alt"], m["link"], m.get("width"), m.get("height"), m["_line"],
                                       checker.lines.get(f"trust_marks.{i}.image", m["_line"]))
                          for i, m in enumerate(values.get("trust_marks") or ())
                          if m.get("image") and m.get("alt") and m.get("link")),
        province=(values["province"]["title"], values["province"]["url"])
        if (values.get("province") or {}).get("title") and values["province"].get("url") else ())


def _zone_of(node: Node) -> str:
    found = node.get("timezone") if node.kind == "map" else None
    return str(found.value).strip() if found is not None and found.kind == "scalar" and not found.null else ""


def _maintenance(items, checker: Checker, problems: Problems) -> tuple:
    """site.yaml ``maintenance:`` -> Maintenance, each with its times in order."""
    out = []
    for index, item in enumerate(items or ()):
        start, end, announced = item.get("start"), item.get("end"), item.get("announced")
        if start is None or end is None or announced is None:
            continue                                      # a missing key is already a problem
        restore = item.get("restore") or end
        line = item["_line"]
        key = f"maintenance.{index}."
        odd = [(name, m) for name, m in (("start", start), ("end", end), ("restore", restore), ("announced", announced))
               if not 2000 <= m.at.year <= 2100]     # a typo of the year; and the calendar needs bounds
        if odd:
            name, moment = odd[0]
            problems.add(checker.path, checker.lines.get(key + name, line), "bad-date", key=key + name,
                         value=moment.at.strftime("%Y-%m-%d %H:%M"))
            continue
        if end.at <= start.at:
            problems.add(checker.path, checker.lines.get(key + "end", line), "maintenance-reversed",
                         start=format_datetime(start.at), end=format_datetime(end.at))
            continue
        if restore.at < start.at:
            problems.add(checker.path, checker.lines.get(key + "restore", line), "maintenance-restore-early",
                         start=format_datetime(start.at), restore=format_datetime(restore.at))
            continue
        out.append(Maintenance(start.at, end.at, restore.at, announced.at, item.get("reason") or "", line,
                               checker.lines.get(key + "announced", line)))
    return tuple(out)


def _editor(values: dict | None) -> EditorConfig | None:
    if values is None:
        return None
    return EditorConfig(**{k: v for k, v in values.items() if not k.startswith("_") and v not in (None, "")})


def language_of(node: Node | None) -> str:
    """The message language, read early so that even site.yaml's own problems use it."""
    language = node.get("language") if node is not None and node.kind == "map" else None
    return "en" if language is not None and str(language.value).strip().lower() == "en" else "vi"


def data_list(node: Node | None, name: str, schema: S.Schema, problems: Problems) -> list[tuple[Node, dict, dict]]:
    """A ``data/<name>.yaml`` list (or ``<name>:`` holding it) -> each item, its checked values and the line of
    each of its keys."""
    if node is None:
        return []
    path = f"data/{name}.yaml"
    if node.kind == "map" and name in node.value:   # also accept `units:` at the top
        node = node.value[name]
    if node.kind != "seq":
        problems.add(path, node.line, "not-a-mapping", what=f"{path} (- name: ...)")
        return []
    found = []
    for item in node.value:
        checker = Checker(path, problems, dt.timezone.utc)
        found.append((item, checker.mapping(item, schema, item=True), checker.lines))
    return found


def _slug(value: str, path: str, line: int, problems: Problems) -> str:
    """A slug as written when it is one (lowercase ASCII letters, digits, hyphens; at most SLUG_MAX
    characters); else the problem said, and the slug made of it."""
    if _SLUG.match(value) and len(value) <= SLUG_MAX:
        return value
    made = slugify(value)
    if _SLUG.match(value):
        problems.add(path, line, "long-slug", value=value[:SLUG_MAX] + "…", suggestion=made, max=SLUG_MAX)
    else:
        problems.add(path, line, "bad-slug", value=value[:200], suggestion=made or "ten-bai")
    return made


def units(node: Node | None, problems: Problems) -> tuple:
    """data/units.yaml -> UnitMeta list; names and slugs are unique."""
    path = "data/units.yaml"
    out, seen = [], {}
    for item, values, lines in data_list(node, "units", S.UNIT, problems):
        name = values.get("name")
        if not name:
            continue
        slug = _slug(values["slug"], path, lines.get("slug", item.line), problems) if values.get("slug") \
            else slugify(name)
        if not slug:
            problems.add(path, item.line, "empty-unit-slug", name=name)
            continue
        if slug in seen:
            problems.add(path, item.line, "duplicate-unit", name=name, slug=slug)
            continue
        seen[slug] = name
        out.append(UnitMeta(name, values.get("kind") or "", slug, values.get("description") or "", item.line))
    return tuple(out)


def document(doc: Document, cfg: Config, problems: Problems) -> Meta | None:
    """Front matter of a post or a page -> Meta."""
    if doc.front is None:
        return None
    section = cfg.section(doc.section)
    kind = section_kind(section.kind if section else "posts")
    checker = Checker(doc.path, problems, cfg.tz)
    values = checker.mapping(doc.front, kind.schema)
    lines = checker.lines
    # A missing title or date is already a problem; keep going with a stand-in so that the
    # rest of the file (links, attachments, inspection) is checked in the same run.
    defaults = kind.defaults(values) if kind.defaults else {}
    title = (_decoded(values.get("title")) or defaults.get("title")
             or doc.content_path.rsplit("/", 1)[-1].removesuffix(".md"))
    slug = values.get("slug") or ""
    if slug:
        slug = _slug(slug, doc.path, lines.get("slug", 1), problems)
    slug = slug or defaults.get("slug") or slugify(title)
    if not slug:
        problems.add(doc.path, lines.get("title", 1), "empty-slug")
        return None
    summary = _decoded(values.get("summary"))
    if len(summary) > 300:
        problems.add(doc.path, lines.get("summary", 1), "summary-too-long", severity=WARNING, length=len(summary))
    date, expires = values.get("date"), values.get("expires")
    if date and expires and expires < date:
        problems.add(doc.path, lines.get("expires", 1), "expires-before-date", severity=WARNING,
                     expires=expires.date.isoformat(), date=date.date.isoformat())
    withdrawn = values.get("withdrawn")
    return Meta(
        title=title, date=date, updated=values.get("updated"), slug=slug, summary=summary,
        author=_decoded(values.get("author")) or cfg.author,
        tags=tuple(dict.fromkeys(_decoded(t) for t in values.get("tags") or ())),
        draft=bool(values.get("draft")), expires=expires, image=values.get("image") or "",
        attachments=tuple(AttachmentRef(a["file"], _decoded(a.get("title")), a["_line"])
                          for a in values.get("attachments") or () if a.get("file")),
        corrections=tuple(sorted((Correction(c["date"], _decoded(c["note"])) for c in values.get("corrections") or ()
                                  if c.get("date") and c.get("note")), key=lambda c: c.date, reverse=True)),
        withdrawn=Withdrawal(withdrawn["date"], withdrawn["reason"])
        if withdrawn and withdrawn.get("date") and withdrawn.get("reason") else None,
        superseded_by=values.get("superseded_by") or "",
        inspection=_inspection(values.get("inspection"), doc, lines, problems),
        aliases=_aliases(values.get("aliases") or (), doc, lines, problems),
        data=kind.block(values, doc, lines, problems) if kind.block else None,
        lines=dict(lines))


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _decoded(text: str | None) -> str:
    """Plain text with the HTML entities of a copied page decoded (``Tr&ocirc;̀ng`` is "Trồng"), in NFC."""
    if not text:
        return ""
    return nfc(html.unescape(text)) if _ENTITY.search(text) else text


def _aliases(texts: tuple, doc: Document, lines: dict, problems: Problems) -> tuple:
    out = {}
    for text in texts:
        try:
            alias = redirects.parse(text)
        except redirects.BadAlias as err:
            problems.add(doc.path, lines.get("aliases", 1), "bad-alias", value=text[:200], reason=str(err))
            continue
        out.setdefault(alias.key, alias)
    return tuple(out.values())


def _inspection(values: dict | None, doc: Document, lines: dict, problems: Problems) -> InspectionMeta | None:
    if not values or not values.get("id") or not values.get("stage"):
        return None
    period = values.get("period")
    period_pair = None
    if period and period.get("start") and period.get("end"):
        period_pair = (period["start"], period["end"])
        if period["end"] < period["start"]:
            problems.add(doc.path, period["_line"], "period-reversed", start=period["start"].strftime("%d/%m/%Y"),
                         end=period["end"].strftime("%d/%m/%Y"))
    findings = tuple(
        Finding(f["unit"], f.get("rating") or "", tuple(f.get("issues") or ()), f.get("remedy_by"),
                f.get("remedied"), f.get("note") or "", f["_line"])
        for f in values.get("findings") or () if f.get("unit"))
    unit_names = tuple(values.get("units") or ())
    unit_node = doc.front.get("inspection").get("units") if doc.front.get("inspection") else None
    if unit_node is not None and unit_node.kind == "seq":
        unit_lines = tuple(item.line for item in unit_node.value if item.kind == "scalar" and item.value.strip())
    else:
        unit_lines = tuple(lines.get("inspection.units", values["_line"]) for _ in unit_names)
    return InspectionMeta(values["id"], values["stage"], values.get("subject") or "", unit_names, period_pair,
                          values.get("decision") or "", values.get("conclusion") or "", values.get("signed"),
                          findings, values["_line"], unit_lines)
