"""A commune's portal is a component of its province's (NĐ 224/2026 Art. 11(1)): what it inherits.

A province folder holds ``province.yaml`` and, if it likes, ``templates/`` and ``static/``; each commune
is a normal site folder (its own ``site.yaml``, ``content/``, ``data/``) listed under ``communes:``. A
commune's build reads, from the nearest first:

- its own ``site.yaml``, key by key at the top (a key it writes replaces the province's whole value);
- province.yaml's ``site:`` mapping, which every commune shares (sections, menu, contact...);
- what the province knows of each commune from its official code: ``title``, ``author``, the
  ``province:`` link shown on every page, and ``base_url`` in the Art. 11(4) pattern
  (``https://tenxa.<domain>/``);
- templates and static files: its own, then the province's, then the default theme's.

Values taken from province.yaml keep their file and line, so a problem in one names province.yaml.
A site folder whose parent folder holds province.yaml is one of its communes (``build --site`` of one
commune builds what ``build province`` builds for it); ``--province DIR`` names the province otherwise.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import divisions, inputs
from . import schema as S
from .load import Node, read_yaml_file
from .problems import Problems

FILE = "province.yaml"
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")     # lamdong.gov.vn
THEME = ("templates", "static")


@dataclass(frozen=True)
class Commune:
    folder: str                 # as province.yaml writes it
    root: Path                  # resolved
    code: int
    unit: divisions.Unit | None  # None: the code is not in the list of communes
    line: int

    @property
    def key(self) -> str:
        """Its output folder (``OUT/<key>/``) and its key in the counter: the official name as a slug."""
        return self.unit.slug if self.unit is not None else Path(self.folder).name

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else self.key


@dataclass(frozen=True)
class Province:
    root: Path
    shown: str                  # province.yaml as problems name it
    code: int
    unit: divisions.ProvinceUnit | None
    title: str
    base_url: str
    portal: str
    domain: str
    site: Node | None           # the ``site:`` mapping, its values marked as coming from province.yaml
    communes: tuple             # Commune, as listed

    @property
    def name(self) -> str:
        return self.unit.full_name if self.unit is not None else self.title

    def commune(self, root: Path) -> Commune | None:
        real = os.path.realpath(root)
        return next((c for c in self.communes if str(c.root) == real), None)


def find(root: Path, given: Path | None = None) -> Path | None:
    """The province folder of the site at ``root``: ``given``, else its parent when that holds province.yaml."""
    if given is not None:
        return Path(given).resolve()
    parent = Path(root).resolve().parent
    return parent if os.path.lexists(parent / FILE) else None


def read(province: Path, problems: Problems, shown: str = FILE, only: Path | None = None) -> Province | None:
    """province.yaml checked against its schema (None when unusable). ``only``: the commune being built; the
    other communes' entries are checked by ``build province``, not by every commune's build."""
    from .validate import Checker
    said = Problems()
    node = read_yaml_file(province, FILE, said)
    if node is None and not os.path.lexists(province / FILE):
        said.add(FILE, 0, "missing-province-config")
    values = {}
    if node is not None:
        checker = Checker(FILE, said, None)
        values = checker.mapping(node, S.province_schema())
    domain = (values.get("domain") or "").strip().strip(".")
    if domain and not _DOMAIN.fullmatch(domain):
        said.add(FILE, checker.lines.get("domain", 1), "bad-domain", value=domain[:100])
    communes = []
    for entry in values.get("communes") or ():
        if not entry.get("folder") or entry.get("code") is None:
            continue
        if not inputs.good_name(entry["folder"].replace("/", "_")) or len(entry["folder"]) > 255:
            said.add(FILE, entry["_line"], "bad-commune-folder", folder=ascii(entry["folder"][:100]))
            continue
        root = Path(os.path.realpath(os.path.join(province, entry["folder"])))
        unit = divisions.unit(entry["code"])
        communes.append(Commune(entry["folder"], root, entry["code"], unit, entry["_line"]))
    wanted = os.path.realpath(only) if only is not None else None
    for commune in communes:
        if wanted is not None and str(commune.root) != wanted:
            continue
        if commune.unit is None:
            said.add(FILE, commune.line, "unknown-commune-code", number=commune.code, version=_data_date())
        elif values.get("code") is not None and commune.unit.province_code != values["code"]:
            said.add(FILE, commune.line, "commune-of-other-province", number=commune.code, name=commune.unit.name,
                     province=values["code"])
    unit = divisions.province(values["code"]) if values.get("code") is not None else None
    if values.get("code") is not None and unit is None:
        said.add(FILE, node.get("code").line, "unknown-province-code", number=values["code"],
                 version=_data_date())
    if wanted is None:
        _check_list(communes, said)
    for item in said.items:
        problems.items.append(replace(item, path=shown) if item.path == FILE else item)
    if node is None or not values.get("title") or not values.get("base_url") or said.errors:
        return None
    site = values.get("site")
    return Province(province, shown, values["code"], unit, values["title"], values["base_url"],
                    values.get("portal") or values["base_url"], domain,
                    _marked(site, shown) if site is not None else None, tuple(communes))


def _data_date() -> str:
    """The date of the list of communes, as dates are written here ("18/10/2025")."""
    from .text import format_date
    import datetime as dt
    try:
        return format_date(dt.date.fromisoformat(divisions.version()))
    except ValueError:
        return divisions.version()


def _check_list(communes: list, problems: Problems) -> None:
    """Each commune once, by code and by folder."""
    seen_codes, seen_folders = {}, {}
    for commune in communes:
        for seen, value in ((seen_codes, commune.code), (seen_folders, commune.root)):
            if value in seen:
                problems.add(FILE, commune.line, "commune-listed-twice", folder=commune.folder, line=seen[value])
            seen.setdefault(value, commune.line)


def site_config(own: Node | None, root: Path, province_root: Path, problems: Problems,
                known: Province | None = None) -> Node | None:
    """The commune's site.yaml over what its province gives it (see the module docstring); ``known``: the
    province as read already (``build province`` reads it once for all its communes)."""
    shown = os.path.relpath(province_root / FILE, root).replace(os.sep, "/")
    province = replace(known, shown=shown, site=_marked(known.site, shown) if known.site is not None else None) \
        if known is not None else read(province_root, problems, shown, only=root)
    if province is None:
        return own
    if own is not None and own.kind != "map":
        return own                                             # said by site.yaml's checks
    merged = dict(_given(province, province.commune(root)))
    if province.site is not None:
        merged.update(province.site.value)
    if own is not None:
        merged.update(own.value)
    return Node(merged, own.line if own is not None else 1, "map")


def _given(province: Province, commune: Commune | None) -> dict:
    """What the province knows of the commune: its official names, its address, the provincial portal."""
    line, shown = commune.line if commune is not None else 1, province.shown
    value = lambda text: Node(text, line, "scalar", source=shown)          # noqa: E731
    given = {"province": Node({"title": value(province.title), "url": value(province.portal)}, line, "map",
                              source=shown)}
    if commune is not None and commune.unit is not None:
        lower = commune.unit.name[0].lower() + commune.unit.name[1:]       # "xã Hàm Tân"
        given["title"] = value(f"Cổng thông tin điện tử {lower}")
        given["author"] = value(f"UBND {lower}")
        if province.domain:
            given["base_url"] = value(f"https://{commune.unit.label}.{province.domain}/")
    return given


def _marked(node: Node, shown: str) -> Node:
    """``site:``'s top values, marked as read from province.yaml (the checks name that file)."""
    return Node({k: replace(v, source=shown) for k, v in node.value.items()}, node.line, "map", source=shown)


def consumed(root: Path, province_root: Path | None) -> str:
    """A digest of all a commune's build takes from province.yaml: what site_config() merges under its own
    site.yaml (values, lines and file) and the problems read() gives it. Its stamp holds this rather than
    province.yaml's bytes, so another commune listed, or its entry edited, rebuilds no other commune."""
    import hashlib
    if province_root is None:
        return ""
    said = Problems()
    shown = os.path.relpath(province_root / FILE, root).replace(os.sep, "/")
    province = read(province_root, said, shown, only=root)
    parts = [repr(said.sorted())]
    if province is not None:
        parts += [repr(_given(province, province.commune(root))), repr(province.site)]
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def theme_folders(province_root: Path | None) -> tuple:
    """The province's own templates/ and static/ (those that exist), between a commune's and the default theme."""
    if province_root is None:
        return ()
    return tuple(province_root / name for name in THEME)


def inputs_of(province_root: Path | None) -> tuple:
    """Everything of the province a commune's build reads (for its stamp)."""
    return () if province_root is None else (province_root / FILE, *theme_folders(province_root))


def scan(province_root: Path | None, top: str, root: Path, problems: Problems) -> list:
    """The province's ``top`` folder (templates, static) checked as a site's own are (inputs.scan)."""
    if province_root is None:
        return []
    said = Problems()
    found = inputs.scan(province_root, top, said)
    prefix = os.path.relpath(province_root, root).replace(os.sep, "/") + "/"
    problems.items.extend(replace(item, path=prefix + item.path) for item in said.items)
    return found
