"""The provincial aggregate (``OUT/tinh/``): a function of what the communes published, nothing else.

What a provincial inspector wants first: the overdue findings of every commune, then the latest
inspection results, documents and news across the province, each linked to the commune's own page;
one search over all communes (titles and numbers: the texts stay on each commune's own search); and
the communes' open data merged, with the commune's official code in every row.

Each commune is read from its published output only: ``tim-kiem/du-lieu/`` (every listed post with
its address, title, date, number, section and kind), ``du-lieu/kiem-tra.json`` (inspections and
findings) and each documents registry's ``du-lieu/<name>.json``/``.csv``. What was read of a commune
is kept by the digest of those files' bytes and of this code, so an unchanged commune is not parsed
again and a changed one (or a new version of the tool) always is.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import heapq
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import search as S
from .. import cache, sealed
from .. import urls as U
from ..text import format_date, format_number, search_words

DATA, SEARCH = "du-lieu", "tim-kiem/du-lieu"
LATEST = 20                      # of each list on the home page


@dataclass
class Commune:
    """What the aggregate knows of one commune, read from its published files."""
    key: str
    code: int
    name: str
    base_url: str
    entries: list = field(default_factory=list)       # dict(url, title, date, number, section, kind), newest first
    inspections: list = field(default_factory=list)    # kiem-tra.json's records
    registries: dict = field(default_factory=dict)     # name -> (documents json rows, csv header, csv rows)
    inspection_csv: tuple = ((), ())                  # (header, rows) of kiem-tra.csv
    available: bool = True                            # False: nothing published yet (its first build failed)

    @property
    def overdue(self) -> list:
        return [(record, finding) for record in self.inspections for finding in record.get("findings") or ()
                if finding.get("state") == "overdue"]

    def count(self, kind: str) -> int:
        return sum(1 for e in self.entries if e["kind"] == kind)


def read_commune(out: Path, key: str, code: int, name: str, kept: dict) -> tuple[str, Commune]:
    """One commune's published files under ``out/key`` (``kept``: digest -> Commune of earlier runs), and the
    digest they are kept by."""
    folder = out / key
    files = _files(folder)
    digest = hashlib.blake2b(repr((cache.code_version(), key, code, name)).encode(), digest_size=16)
    contents = {}
    for relative in files:
        data = _read(folder / relative)
        contents[relative] = data
        digest.update(relative.encode() + b"\0" + hashlib.blake2b(data, digest_size=16).digest())
    token = digest.hexdigest()
    if token not in kept:
        kept[token] = _parse(key, code, name, contents)
    return token, kept[token]


def _files(folder: Path) -> list:
    """The published files the aggregate reads, sorted."""
    names = []
    for sub in (DATA, SEARCH):
        try:
            entries = sorted(os.scandir(folder / sub), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.name.endswith((".json", ".csv")) \
                    and not entry.name.endswith(".schema.json") and not (sub == SEARCH and entry.name[0] == "s"):
                names.append(f"{sub}/{entry.name}")
    return names


MAX_FILE = 64 << 20


def _read(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE)
    except OSError:
        return b""


def _json(data: bytes):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _csv(data: bytes) -> tuple:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error):
        return (), ()
    return (tuple(rows[0]), [tuple(r) for r in rows[1:]]) if rows else ((), ())


def _parse(key: str, code: int, name: str, contents: dict) -> Commune:
    inspections = _json(contents.get(f"{DATA}/kiem-tra.json", b"")) or {}
    commune = Commune(key, code, name, str(inspections.get("site") or ""))
    commune.available = bool(contents)
    commune.inspections = [r for r in inspections.get("inspections") or () if isinstance(r, dict)]
    commune.inspection_csv = _csv(contents.get(f"{DATA}/kiem-tra.csv", b""))
    for relative, data in contents.items():
        folder, file = relative.rsplit("/", 1)
        stem = file.rsplit(".", 1)[0]
        if folder == DATA and file.endswith(".json") and stem != "kiem-tra":
            found = _json(data)
            if isinstance(found, dict) and isinstance(found.get("documents"), list):
                header, rows = _csv(contents.get(f"{DATA}/{stem}.csv", b""))
                commune.registries[stem] = ([d for d in found["documents"] if isinstance(d, dict)], header, rows)
    commune.entries = _entries(contents, commune.base_url)
    return commune


def _entries(contents: dict, base_url: str) -> list:
    meta = _json(contents.get(f"{SEARCH}/meta.json", b""))
    if not isinstance(meta, dict) or not base_url:
        return []
    origin = U.Urls(base_url).origin
    chunk, out = int(meta.get("chunk") or 10), []
    sections, kinds = meta.get("sections") or [], meta.get("kinds") or []
    for n in range(int(meta.get("documents") or 0)):
        rows = _json(contents.get(f"{SEARCH}/t{n // chunk}.json", b"")) or []
        row = rows[n % chunk] if n % chunk < len(rows) else None
        if not isinstance(row, list) or len(row) != 4:          # an attachment's entry (6 fields): not listed
            continue
        try:
            section = sections[ord(meta["section"][n]) - S.CODE]
            kind = kinds[ord(meta["kind"][n]) - S.CODE]
        except (IndexError, KeyError, TypeError):
            continue
        date = str(row[2])
        out.append({"url": origin + str(row[0]), "title": str(row[1]), "date": date, "number": str(row[3]),
                    "section": section, "kind": kind, "day": _iso_day(date)})
    return out


def _iso_day(text: str) -> str:
    """"08/10/2021" -> "2021-10-08" (sortable); "" for anything else."""
    if len(text) == 10 and text[2] == text[5] == "/" and (text[:2] + text[3:5] + text[6:]).isdigit():
        return f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return ""


def latest(communes: list, kinds: tuple, limit: int = LATEST) -> list:
    """The newest entries of these kinds across communes: (commune, entry), newest first (a commune's own in its
    order, communes in the list's order on the same day)."""
    found = [(e["day"], -n, -i, c, e) for n, c in enumerate(communes) for i, e in enumerate(c.entries)
             if e["kind"] in kinds and e["day"]]
    return [(c, e) for *_, c, e in heapq.nlargest(limit, found, key=lambda row: row[:3])]


# ---------------------------------------------------------------- the outputs

def search_files(communes: list):
    """One index over every commune's listed posts: found by title and number, filtered by commune."""
    items = []
    for commune in communes:
        around: dict = {}                                  # the commune's name and a section: words of each once
        for e in commune.entries:
            title = e.get("words")
            if title is None:                              # kept with the commune: read once per change
                title = e["words"] = tuple(search_words(f"{e['title']} {e['number']}"))
            other = around.get(e["section"])
            if other is None:
                other = around[e["section"]] = search_words(f"{commune.name} {e['section']}")
            items.append(S.Item(title, other, [e["url"], e["title"], e["date"], e["number"]], commune.name,
                                e["kind"], int(e["day"][:4]) if e["day"] else None))
    offered = S.Filters(tuple(sorted({i.section for i in items})), tuple(sorted({i.kind for i in items})),
                        tuple(sorted({i.year for i in items if i.year is not None}, reverse=True)))
    return S.index_files(items, offered), offered


def open_data(communes: list, province) -> list:
    """Merged open data: each commune's rows with its code and name first."""
    files = []
    records = [{"commune_code": c.code, "commune": c.name, **r} for c in communes for r in c.inspections]
    files.append((f"{DATA}/kiem-tra.json", _dump({"province": province.name, "province_code": province.code,
                                                   "inspections": records})))
    files.append((f"{DATA}/kiem-tra.csv", _merged_csv([(c, *c.inspection_csv) for c in communes])))
    for name in sorted({n for c in communes for n in c.registries}):
        rows = [{"commune_code": c.code, "commune": c.name, **d} for c in communes for d in c.registries.get(name, ((),))[0]]
        files.append((f"{DATA}/{name}.json", _dump({"province": province.name, "province_code": province.code,
                                                     "documents": rows})))
        files.append((f"{DATA}/{name}.csv", _merged_csv([(c, *c.registries[name][1:]) for c in communes
                                                          if name in c.registries])))
    return files


def _merged_csv(parts: list) -> bytes:
    """CSV files with one header (the first commune's; a commune whose header differs is aligned by column name)."""
    header = next((tuple(h) for _, h, _ in parts if h), ())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("commune_code", "commune", *header))
    for commune, own, rows in parts:
        index = {name: i for i, name in enumerate(own)}
        for row in rows:
            writer.writerow((commune.code, commune.name,
                             *(row[index[h]] if h in index and index[h] < len(row) else "" for h in header)))
    return buffer.getvalue().encode("utf-8")


def _dump(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def context(communes: list, province, offered) -> dict:
    """What the aggregate's templates show."""
    return {
        "province": province, "communes": communes, "filters": offered,
        "overdue": [(c, record, finding) for c in communes for record, finding in c.overdue],
        "results": latest(communes, ("Kiểm tra",)),
        "documents": latest(communes, ("Văn bản",)),
        "news": latest(communes, ("Bài viết",)),
        "registries": sorted({n for c in communes for n in c.registries}),
        "format_number": format_number, "day": _shown_day,
    }


def _shown_day(iso) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(iso)[:10]))
    except ValueError:
        return ""


def load_kept(path: Path) -> dict:
    kept = sealed.load(path) if path.exists() else None
    return kept if isinstance(kept, dict) else {}
