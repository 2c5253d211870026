"""Rules that need the whole site: units, inspection records, replacements, disclosure periods.

Each rule reads validated metadata and adds problems; none changes anything.
"""
from __future__ import annotations

import datetime as dt
import difflib
import posixpath
from urllib.parse import unquote

from . import urls as U
from .problems import WARNING, Problems
from .text import fold, slugify
from .model import files_named
from .validate import Config, Meta


def closest(name: str, candidates, cutoff: float = 0.6) -> str:
    """The candidate nearest to ``name``, compared without diacritics: "Tân Xuan" -> "Tân Xuân"."""
    folded = {}
    for candidate in candidates:
        folded.setdefault(fold(candidate), candidate)
    match = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else ""


def check_site(cfg: Config, documents: list, metas: dict, assets: dict, problems: Problems) -> None:
    """The rules of every kind's posts (a kind's own rules are its ``check``: kinds/)."""
    by_path = {d.path: d for d in documents}
    check_files(documents, metas, assets, problems)
    check_replacements(documents, metas, by_path, problems)
    check_disclosure(cfg, documents, metas, problems)


def check_files(documents: list, metas: dict, assets: dict, problems: Problems) -> None:
    """Attachments and images named in front matter exist under content/."""
    for doc in documents:
        meta: Meta | None = metas.get(doc.path)
        if meta is None:
            continue
        refs = [(ref.file, ref.line) for ref in meta.attachments]
        if meta.image:
            refs.append((meta.image, meta.line("image")))
        for target, line in refs:
            if U.is_external(target):
                continue
            resolved = U.resolve(doc.content_path, unquote(target))
            if resolved is None:
                problems.add(doc.path, line, "outside-content", target=target)
            elif resolved not in assets:
                close = difflib.get_close_matches(resolved, list(assets), n=1)
                problems.add(doc.path, line, "missing-file", target=target,
                             suggestion=("/" + close[0]) if close else "")


def check_units(documents: list, metas: dict, units: tuple, problems: Problems) -> None:
    names = {u.name for u in units}
    for doc in documents:
        meta: Meta | None = metas.get(doc.path)
        if meta is None or meta.inspection is None:
            continue
        ins = meta.inspection
        lines = ins.unit_lines or tuple(ins.line for _ in ins.units)
        for name, line in zip(ins.units, lines):
            if name not in names:
                problems.add(doc.path, line, "unknown-unit", name=name, suggestion=closest(name, sorted(names)))
        for finding in ins.findings:
            if finding.unit not in names:
                problems.add(doc.path, finding.line, "unknown-unit", name=finding.unit,
                             suggestion=closest(finding.unit, sorted(names)))


def check_inspections(documents: list, metas: dict, problems: Problems) -> None:
    notices: dict[str, tuple] = {}
    results: dict[str, list] = {}
    for doc in documents:
        meta = metas.get(doc.path)
        if meta is None or meta.inspection is None:
            continue
        ins = meta.inspection
        if slugify(ins.id) in U.RESERVED_INSPECTION_SLUGS or not slugify(ins.id):
            problems.add(doc.path, ins.line, "reserved-inspection-id", id=ins.id, url=U.inspection(slugify(ins.id)),
                         reserved=", ".join(U.RESERVED_INSPECTION_SLUGS))
        if ins.stage == "notice":
            if ins.id in notices:
                problems.add(doc.path, ins.line, "duplicate-notice", id=ins.id, other=notices[ins.id][0].path)
            else:
                notices[ins.id] = (doc, ins)
        elif ins.stage == "result":
            results.setdefault(ins.id, []).append((doc, ins))
    for doc in documents:
        meta = metas.get(doc.path)
        if meta is None or meta.inspection is None or meta.inspection.stage == "notice":
            continue
        ins = meta.inspection
        notice = notices.get(ins.id)
        if notice is None:
            problems.add(doc.path, ins.line, "result-without-notice", id=ins.id,
                         stage=ins.stage, suggestion=closest(ins.id, sorted(notices)))
            continue
        covered = notice[1].units
        if ins.stage == "result":
            for finding in ins.findings:
                if covered and finding.unit not in covered:
                    problems.add(doc.path, finding.line, "finding-unit-not-covered", unit=finding.unit, id=ins.id,
                                 units=", ".join(covered))
        else:
            found = {f.unit for _, result in results.get(ins.id, ()) for f in result.findings}
            for finding in ins.findings:
                if finding.unit not in found:
                    problems.add(doc.path, finding.line, "followup-unknown-finding", unit=finding.unit, id=ins.id,
                                 units=", ".join(sorted(found)) or "—")


def check_replacements(documents: list, metas: dict, by_path: dict, problems: Problems) -> None:
    md_paths = {d.content_path for d in documents}
    for doc in documents:
        meta = metas.get(doc.path)
        if meta is None or not meta.superseded_by:
            continue
        target = U.resolve(doc.content_path, meta.superseded_by)
        if target is None or target not in md_paths:
            candidates = sorted(md_paths)
            match = difflib.get_close_matches(target or meta.superseded_by, candidates, n=1)
            problems.add(doc.path, meta.line("superseded_by"), "superseded-missing", target=meta.superseded_by,
                         suggestion=posixpath.relpath(match[0], posixpath.dirname(doc.content_path) or ".")
                         if match else "")


def check_disclosure(cfg: Config, documents: list, metas: dict, problems: Problems) -> None:
    """Conclusions: published within ``publish_within_days`` of signing, listed at least ``min_days``."""
    for doc in documents:
        meta = metas.get(doc.path)
        if meta is None or meta.inspection is None or meta.inspection.stage != "result" or meta.date is None:
            continue
        ins = meta.inspection
        published = meta.date.date
        if ins.signed is not None:
            late = (published - ins.signed).days
            if late > cfg.publish_within_days:
                problems.add(doc.path, meta.line("inspection.signed", ins.line), "disclosure-late", severity=WARNING,
                             signed=_d(ins.signed), published=_d(published), days=late,
                             limit=cfg.publish_within_days)
        required = published + dt.timedelta(days=cfg.min_days)
        for key, moment in (("expires", meta.expires), ("withdrawn", meta.withdrawn.date if meta.withdrawn else None)):
            if moment is not None and moment.date < required:
                problems.add(doc.path, meta.line(key), "disclosure-short", severity=WARNING, published=_d(published),
                             until=_d(moment.date), min_days=cfg.min_days, required=_d(required))


def _d(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def unknown_folders(folders: dict, stray: list, cfg: Config, problems: Problems) -> None:
    """Folders under content/ that hold posts but are not declared sections; posts outside any folder."""
    known = ", ".join(s.name for s in cfg.sections)
    for folder, has_markdown in sorted(folders.items()):
        if has_markdown and cfg.section(folder) is None:
            problems.add(f"content/{folder}", 0, "unknown-folder", folder=folder, known=known)
    for path in stray:
        problems.add(path, 0, "stray-markdown", known=known)


def documents_in_sections(documents: list, cfg: Config) -> list:
    return [d for d in documents if cfg.section(d.section) is not None]


def theme_files(assets: dict, statics: dict, problems: Problems) -> None:
    """A file under content/ never takes the place of a theme file (its script, its style, its icon)."""
    for content_path in sorted(assets):
        if U.asset(content_path) in statics:
            problems.add(f"content/{content_path}", 0, "asset-shadows-theme", target=U.asset(content_path))


ADDRESS_SUGGESTIONS = 20          # broken addresses that get a "did you mean" (each compares every page)


def addresses(bodies: dict, outputs, problems: Problems) -> None:
    """Links written as the portal's own addresses (``/thong-bao/``, ``/tin-tuc/rss.xml``) name something
    the build writes (``outputs``: every file of the output, relative to it)."""
    pages = None
    suggested = 0
    for path in sorted(bodies):
        for target, address, line in bodies[path].addresses:
            wanted = address + "index.html" if address == "" or address.endswith("/") else address
            if wanted in outputs:
                continue
            suggestion = ""
            if suggested < ADDRESS_SUGGESTIONS:
                suggested += 1
                if pages is None:
                    pages = ["/" + o[:-len("index.html")] for o in outputs if o.endswith("index.html")]
                suggestion = closest("/" + address, pages)
            problems.add(path, line, "unknown-address", target=target, url="/" + address, suggestion=suggestion)


def aliases(found: list, pages: set, problems: Problems) -> None:
    """Each old address (``aliases:``) leads to one page, and none is the path of one of the portal's pages.

    ``found``: redirects.redirects(site); ``pages``: the files of the portal's own pages."""
    first: dict = {}
    for redirect in found:
        alias, post = redirect.alias, redirect.post
        line = post.meta.line("aliases")
        other = first.setdefault(alias.key, post)
        if other is not post:
            problems.add(post.source, line, "alias-taken", url=alias.shown, other=f"`aliases` của `{other.source}`")
        elif alias.stub is not None and U.Urls.output_file(alias.stub) in pages:
            problems.add(post.source, line, "alias-taken", url=alias.shown, other=f"trang `/{alias.stub}` của cổng")


def alias_files(found: list, outputs, stubs: set, problems: Problems) -> None:
    """No old address (``aliases:``) is the address of a file the portal writes (a feed, ``robots.txt``, an
    attachment, a theme file) or of a folder of them (``/css/``): the server's redirect would hide it.

    ``found``: redirects.redirects(site); ``outputs``: every file the build wrote; ``stubs``: the redirect
    pages among them (the aliases' own)."""
    plain = [r for r in found if not r.alias.query]
    if not plain:
        return
    files = set(outputs) - stubs
    folders = set()                                 # of those files (only when an alias names a folder)
    for name in files if any(r.alias.path.endswith("/") for r in plain) else ():
        at = name.rfind("/")
        while at > 0 and name[:at + 1] not in folders:
            folders.add(name[:at + 1])
            at = name.rfind("/", 0, at)
    for redirect in plain:
        path = redirect.alias.path
        if path in files or (path.endswith("/") and path in folders):
            what = "thư mục" if path.endswith("/") else "tệp"
            problems.add(redirect.post.source, redirect.post.meta.line("aliases"), "alias-taken",
                         url=redirect.alias.shown, other=f"{what} `/{path}` của cổng")


def empty_bodies(entries: list, bodies: dict, problems: Problems) -> None:
    """A post with nothing to read: no words, image, attachment or typed block (an import's empty body, often).
    A body refused or broken has its own error instead."""
    for entry in entries:
        body = bodies[entry.doc.path]
        if (not body.words and "<img" not in body.html and not entry.meta.attachments and entry.meta.data is None
                and not any(p.severity != WARNING for p in body.problems)):
            problems.add(entry.doc.path, entry.doc.body_line, "empty-body", severity=WARNING)


def placeholders(entries: list, sentences: tuple, problems: Problems) -> None:
    """A published body that still holds a sentence of a ``build.py new`` starter ("Viết nội dung bài ở đây...")."""
    for entry in entries:
        body = entry.doc.body
        for sentence in sentences:
            at = body.find(sentence)
            if at >= 0:
                problems.add(entry.doc.path, entry.doc.body_line + body.count("\n", 0, at), "placeholder-text",
                             severity=WARNING, text=sentence)


WORD_FILES = ("doc", "docx", "odt")          # a Word or Writer file dropped among the posts, meant to become one


def loose_documents(cfg: Config, documents: list, metas: dict, assets: dict, problems: Problems) -> None:
    """A Word file in a section's folder that no post names (as attachment, image or link): published as it is at
    an address nobody links to, while the editor waits for it to become a post."""
    sections = {s.name for s in cfg.sections}
    loose = [path for path in assets if path.split("/", 1)[0] in sections and "/" in path
             and path.rsplit(".", 1)[-1].lower() in WORD_FILES]
    if not loose:
        return
    named = set()
    for doc in documents:
        if doc.path in metas:
            named |= files_named(doc, metas[doc.path])
    for path in sorted(set(loose) - named):
        problems.add(f"content/{path}", 0, "document-in-section", severity=WARNING, name=path.rsplit("/", 1)[-1],
                     section=path.split("/", 1)[0], url=U.asset(path))
