"""The web editor at ``/admin/`` (site.yaml ``editor:``): Decap CMS, served from the portal itself.

Everything the CMS is told comes from the schema, never from a file written by hand: every section
is a collection, every key of its kind's schema a field with the widget its type asks for, the
required mark, the pattern, a Vietnamese label and hint; the units of ``data/units.yaml`` are the
choices of an inspection's units. A function of the model, like the sitemap: the build writes
``admin/index.html``, ``admin/config.yml`` and copies the pinned CMS (``theme/editor/``).

Where the CMS saves is ``editor:``'s Git server (GitLab, Gitea/Forgejo, GitHub). On an editor's own
PC, ``build.py serve`` answers the CMS's local-backend protocol itself (see ``editor_backend``) and
adds ``local_backend`` to the settings it serves; nothing here knows of it.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from . import schema as S
from . import urls as U
from .kinds import data_files, section_kind

ASSETS = Path(__file__).resolve().parent / "theme" / "editor"     # decap-cms.js and its chunks, as published
DECAP = {"package": "decap-cms", "version": "3.16.3",
         "sha256": "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8"}   # of decap-cms.js
MEDIA_FOLDER = "content/files"         # uploads land here; posts cite them as /files/...
PUBLIC_FOLDER = "/files"

_PATTERNS = {     # type -> (regular expression, what the editor is told when the value does not match)
    "url": (r"^https?://\S+$", "Địa chỉ phải bắt đầu bằng https:// hoặc http://"),
    "link": (r"^(https?://|mailto:|tel:|/)\S*$", "Địa chỉ đầy đủ (https://...) hoặc đường dẫn trong cổng (/...)"),
    "email": (r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "Thư điện tử có dạng ten@co-quan.gov.vn"),
    "phone": (r"^[0-9 +().-]{6,20}$", "Chỉ chữ số, dấu cách và + ( ) . -"),
}
_SLUG_PATTERN = (r"^[a-z0-9]+(-[a-z0-9]+)*$", "Chữ thường không dấu, số và dấu gạch ngang, ví dụ kiem-tra-cchc-2021")


def enabled(site) -> bool:
    return site.config.editor is not None


def files(site) -> list[tuple[str, bytes]]:
    """``admin/index.html`` and ``admin/config.yml`` when the editor is on."""
    if not enabled(site):
        return []
    return [(U.admin() + "index.html", index_html(site)), (U.admin() + "config.yml", config_yaml(site))]


def assets(site) -> dict[str, Path]:
    """Output path -> file: the pinned CMS, copied beside its page."""
    if not enabled(site):
        return {}
    return {U.admin() + file.name: file for file in sorted(ASSETS.glob("*.js"))} | {
        U.admin() + "decap-cms.js.LICENSE.txt": ASSETS / "decap-cms.js.LICENSE.txt"}


def index_html(site) -> bytes:
    """The CMS's page (the preview does not reload it: a save rebuilds, the editor is still typing)."""
    title = html.escape(site.config.title)
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Soạn thảo nội dung – {title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>Trình soạn thảo cần JavaScript. Hãy bật JavaScript hoặc sửa các tệp trong content/ (xem docs/huong-dan-bien-tap.md).</noscript>
<script src="decap-cms.js"></script>
</body>
</html>
""".encode("utf-8")


# libyaml's emitter where PyYAML has it (its wheels do): the same YAML a fifth of the time, in every build
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def config_yaml(site) -> bytes:
    head = ("# Tạo tự động từ site.yaml và lược đồ của cổng khi xây dựng: đừng sửa tệp này,\n"
            "# hãy sửa site.yaml (mục editor:) rồi xây dựng lại.\n")
    text = yaml.dump(settings(site), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=120)
    return (head + text).encode("utf-8")


def settings(site) -> dict:
    """The CMS's whole configuration, as data (``config_yaml`` writes it; the tests read it)."""
    cfg = site.config
    units = tuple(unit.name for unit in site.units)
    return {
        "backend": backend(cfg.editor),
        "publish_mode": "simple",
        "locale": "vi",
        "site_url": cfg.base_url,
        "display_url": cfg.base_url,
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "show_preview_links": False,
        "collections": [collection(section, units) for section in cfg.sections] + data_collections(site, units),
    }


def data_collections(site, units: tuple) -> list:
    """``data/units.yaml``, ``data/leaders.yaml``...: one form each, for the files written as ``units:`` holding
    the list (or not written yet). A file that is a bare list is left out: the CMS reads and writes only
    mappings, and would save it as an empty ``units:``."""
    forms = []
    for name, data in data_files().items():
        if site.data_roots.get(name, "") not in ("", "map"):
            continue
        key = name.removesuffix(".yaml")
        items = [field(k, spec, True, units) for k, spec in data.schema.fields.items()]
        forms.append({"name": key, "label": data.label or key, "file": f"data/{name}",
                      "fields": [{"label": data.label or key, "name": key, "widget": "list", "required": False,
                                  "collapsed": True, "summary": "{{fields.name}}", "fields": items}]})
    if not forms:
        return []
    return [{"name": "du-lieu", "label": "Dữ liệu: đơn vị, lãnh đạo", "label_singular": "tệp dữ liệu",
             "editor": {"preview": False}, "files": forms}]


def backend(editor) -> dict:
    out = {"name": editor.backend, "branch": editor.branch}
    if editor.repo:
        out["repo"] = editor.repo
    for key in ("api_root", "base_url"):        # the CMS adds /projects..., /oauth/...: no slash of ours before
        if getattr(editor, key):
            out[key] = getattr(editor, key).rstrip("/")
    if editor.app_id:
        out["app_id"] = editor.app_id
    if editor.app_id and editor.backend == "gitlab":
        out["auth_type"] = "pkce"       # a browser-only login, no OAuth server of ours
    return out


def collection(section, units: tuple) -> dict:
    kind = section_kind(section.kind)
    fields = [field(key, spec, required=True, units=units, identifier=key == kind.identifier, top=True)
              for key, spec in kind.schema.fields.items()]
    fields.append({"label": "Nội dung", "name": "body", "widget": "markdown", "required": False,
                   "hint": "Mỗi đoạn cách nhau một dòng trống."})
    out = {"name": section.name, "label": section.title, "label_singular": "bài", "folder": f"content/{section.name}",
           "create": True, "delete": True, "extension": "md", "format": "frontmatter",
           "slug": kind.file_name, "summary": "{{" + kind.identifier + "}}", "fields": fields}
    if kind.identifier != "title":
        out["identifier_field"] = kind.identifier
    if section.description:
        out["description"] = section.description
    if "date" in kind.schema.fields:
        out["sortable_fields"] = ["date", kind.identifier] if kind.identifier != "date" else ["date"]
    return out


def field(key: str, spec: S.Field, required: bool, units: tuple, identifier: bool = False, top: bool = False) -> dict:
    """One schema key as a CMS field. ``required``: whether the map holding it must be filled (a required
    key of an optional block is required only once the block is written: the build says so then).
    Only a file's own keys have defaults (the date: now; draft: yes): the CMS fills a new block or list
    with one item as soon as a key inside has a default, and would write it into every new file."""
    label, hint = _words(spec)
    out = {"label": label, "name": key}
    needed = spec.required and required or identifier
    out.update(_widget(key, spec, needed, units))
    if top and (default := _default(key, spec, needed)) is not None:
        out["default"] = default
    out["required"] = needed
    if spec.required and not needed:
        hint += " (bắt buộc khi điền mục này)"
    out["hint"] = hint
    return out


def _widget(key: str, spec: S.Field, required: bool, units: tuple) -> dict:
    kind = spec.type
    if kind == "text":
        out = {"widget": "text" if spec.widget == "text" else "string"}
        if spec.refers == "units" and units:
            out = {"widget": "select", "options": list(units)}
        if key == "slug":
            out["pattern"] = list(_SLUG_PATTERN)
        return out
    if kind in _PATTERNS:
        return {"widget": "string", "pattern": list(_PATTERNS[kind])}
    if kind == "datetime":
        return {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "DD/MM/YYYY",
                "time_format": "HH:mm", "picker_utc": False}
    if kind == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False,
                "picker_utc": False}
    if kind == "bool":
        return {"widget": "boolean"}
    if kind == "int":
        return {"widget": "number", "value_type": "int", "min": 0}
    if kind == "choice":
        return {"widget": "select", "options": [{"label": _choice_label(value, spec), "value": value}
                                                 for value in spec.choices]}
    if kind == "path":
        return {"widget": "image" if spec.widget == "image" else "file", "choose_url": False}
    if kind == "texts":
        if spec.refers == "units" and units:
            return {"widget": "select", "multiple": True, "options": list(units)}
        return {"widget": "list", "field": {"label": _words(spec)[0], "name": "item", "widget": "string"}}
    if kind == "map":
        return {"widget": "object", "collapsed": False,
                "fields": [field(k, s, required, units) for k, s in spec.schema.fields.items()]}
    if kind == "maps":
        return {"widget": "list", "collapsed": False,
                "fields": [field(k, s, True, units) for k, s in spec.schema.fields.items()]}
    raise ValueError(f"no widget for the schema type {kind!r} ({key})")    # a new type needs its widget here


def _default(key: str, spec: S.Field, required: bool):
    if spec.type in ("datetime", "date") and required:
        return "{{now}}"
    if key == "draft":
        return True                      # a new file is a draft until the editor says it is ready
    return None


def _words(spec: S.Field) -> tuple[str, str]:
    """A field's label (its description's first words, capitalised) and its hint (the whole description
    and the example)."""
    words = re.split(r" \(|: | \|", spec.doc, maxsplit=1)
    label = words[0].strip()
    rest = spec.doc[len(label):].strip(" :|")
    rest = rest[1:-1] if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1 else rest
    example = spec.example.strip().strip('"') if spec.type not in ("bool", "choice", "map", "maps", "texts") else ""
    hint = ". ".join(part for part in (rest[:1].upper() + rest[1:], f"Ví dụ: {example}" if example else "") if part)
    return label[:1].upper() + label[1:], hint


def _choice_label(value: str, spec: S.Field) -> str:
    """A choice shown in Vietnamese when the schema has a Vietnamese name for it (``thông báo`` for notice)."""
    for alias, canonical in spec.aliases:
        if canonical == value and not alias.isascii():
            return alias[:1].upper() + alias[1:]
    return value
