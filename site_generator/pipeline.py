"""The build, stage by stage: load, validate, plan, convert, check, model, render, write.

Every stage returns its result and adds to one list of problems; the build
stops before writing anything if there is an error (or, with ``strict``, a
warning), so the last good output stays in place.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

import jinja2

from . import cache, checks, feeds, inspections, load, markup, model, opendata, render, search, sitemap, validate
from . import urls as U
from .problems import Problems
from .write import OutputCollision, Writer

DEFAULT_STATIC = Path(__file__).resolve().parent.parent / "static"


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    strict: bool = False
    write: bool = True                 # False for `check`: validate everything, write nothing
    base_url: str = ""                 # overrides site.yaml's (the preview server uses it)
    cache: bool = True                 # reuse converted bodies from .cache/ (--no-cache: don't)
    jobs: int = 0                      # worker processes for Markdown; 0 = one per core


@dataclass
class Report:
    problems: Problems
    language: str = "vi"
    site: model.Site | None = None
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    written: bool = False
    output: Path | None = None
    timings: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.problems.errors)


def build(root: Path, output: Path | None, options: BuildOptions, now: dt.datetime) -> Report:
    started = time.perf_counter()
    problems = Problems()
    files = load.load(root, problems)
    report = Report(problems, validate.language_of(files.config), output=output)
    cfg = validate.config(files.config, problems)
    if cfg is None:
        return _finish(report, started)
    if options.base_url:
        cfg = _with_base_url(cfg, options.base_url)
    now = now.astimezone(cfg.tz)
    units = validate.units(files.units, problems)
    checks.unknown_folders(files.folders, files.stray, cfg, problems)
    documents = checks.documents_in_sections(files.documents, cfg)
    metas = {d.path: validate.document(d, cfg, problems) for d in documents}
    metas = {path: meta for path, meta in metas.items() if meta is not None}
    checks.check_site(cfg, documents, metas, units, files.assets, problems)
    _attachment_facts(root, files.assets, metas, {d.path: d for d in documents}, problems)
    report.timings["load+validate"] = time.perf_counter() - started

    the_plan = model.plan(cfg, documents, metas, now, model.Options(options.drafts, options.future), problems)
    links = markup.Links(U.Urls(cfg.base_url), the_plan.posts, the_plan.unpublished, the_plan.planned,
                         frozenset(files.assets))
    body_cache = cache.BodyCache.open(root, options.cache)
    bodies = markup.convert_all([(e.doc.path, e.doc.content_path, e.doc.body, e.doc.body_line)
                                 for e in the_plan.entries], links, body_cache, options.jobs or os.cpu_count() or 1)
    for entry in the_plan.entries:
        problems.extend(bodies[entry.doc.path].problems)
    body_cache.save()
    report.timings["markdown"] = time.perf_counter() - started
    if _blocked(problems, options):                # every problem is known by now: stop before the model
        return _finish(report, started)
    site = model.build(cfg, the_plan, bodies, units, files.assets, now)
    site.records = inspections.build_records(site, now.date(), cfg.min_days)
    report.site = site

    env = render.environment(root)
    try:
        if not options.write:
            for _ in render.pages(site, env):
                report.pages += 1
            return _finish(report, started)
        with Writer(output) as writer:
            report.pages = write_pages(site, env, writer, options.jobs or os.cpu_count() or 1)
            for relative, data in _outputs(site):
                writer.write(relative, data)
            report.timings["render"] = time.perf_counter() - started
            report.files = _copy_files(root, site, writer)
            writer.commit()
            report.written = True
    except (jinja2.TemplateError, UnicodeError) as err:   # a site's own template is broken
        path, line = _template_location(err, root)
        problems.add(path, line, "template-error", detail=getattr(err, "message", None) or str(err))
    except OutputCollision as err:                          # a file under content/ named like a built page
        problems.add(f"content/{err.args[0]}", 0, "output-collision", target=err.args[0])
    return _finish(report, started)


def _attachment_facts(root: Path, assets: dict, metas: dict, documents: dict, problems: Problems) -> None:
    """Hash every attachment a post cites (and count PDF pages): they are public records."""
    for path, meta in metas.items():
        for ref in meta.attachments:
            target = U.resolve(documents[path].content_path, unquote(ref.file))
            if target in assets and not assets[target].sha256:
                assets[target] = load.attachment_facts(root, assets[target], problems, path)


PARALLEL_PAGES = 200          # below this, forking a second renderer costs more than it saves
_RENDER: dict = {}


def write_pages(site: model.Site, env: jinja2.Environment, writer: Writer, workers: int) -> int:
    """Render and write every HTML page; on several cores, forked processes share the list.

    Each page is rendered from the same model and templates whichever process takes it, so
    the files are the same bytes as a single-process build.
    """
    import multiprocessing

    todo = list(render.jobs(site))
    if workers > 1 and len(todo) >= PARALLEL_PAGES and "fork" in multiprocessing.get_all_start_methods():
        _RENDER.update(site=site, env=env, jobs=todo, staging=writer.staging)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                written = pool.map(_render_share, [(k, workers) for k in range(workers)])
        finally:
            _RENDER.clear()
        for paths, failed in written:
            if failed is not None:                  # render it here, so the error carries its template line
                render.render_job(site, env, todo[failed])
            for relative in paths:
                writer.claim(relative)
        return len(todo)
    for job in todo:
        relative, data = render.render_job(site, env, job)
        writer.write(relative, data)
    return len(todo)


def _render_share(share: tuple) -> list:
    """In a forked worker: render every ``n``-th page starting at ``k`` straight into the staging folder."""
    k, n = share
    site, env, staging = _RENDER["site"], _RENDER["env"], _RENDER["staging"]
    written, todo = [], _RENDER["jobs"]
    for index in range(k, len(todo), n):
        try:
            relative, data = render.render_job(site, env, todo[index])
        except Exception:                           # noqa: BLE001 - reported again by the parent
            return written, index
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(relative)
    return written, None


def _outputs(site: model.Site):
    """Everything the build writes besides pages and copied files: feeds, open data, search, machine files."""
    yield from feeds.all_feeds(site)
    yield from opendata.files(site)
    yield from search.files(site)
    yield U.sitemap(), sitemap.sitemap_xml(site)
    yield U.robots(), sitemap.robots_txt(site)


def _copy_files(root: Path, site: model.Site, writer) -> int:
    """Static files (the site's own over the default theme's) and every file under content/."""
    count = 0
    static_sources: dict[str, Path] = {}
    for folder in (DEFAULT_STATIC, root / "static"):
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.name.startswith("."):
                    static_sources[file.relative_to(folder).as_posix()] = file
    for relative, source in sorted(static_sources.items()):
        if relative not in site.assets:                     # a file under content/ wins over the theme's
            writer.copy(U.static(relative), source)
            count += 1
    for content_path in sorted(site.assets):
        writer.copy(U.asset(content_path), root / "content" / content_path)
        count += 1
    return count


def _blocked(problems: Problems, options: BuildOptions) -> bool:
    return bool(problems.errors) or (options.strict and bool(problems.warnings))


def _template_location(err: Exception, root: Path) -> tuple[str, int]:
    """The template file and line of a template error (Jinja2 puts template frames in the traceback)."""
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None) or 0
    if not filename:
        tb = err.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".txt")):
                filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if not filename:
        return "templates", 0
    for base in (root, DEFAULT_STATIC.parent):
        try:
            return Path(filename).resolve().relative_to(base).as_posix(), line
        except ValueError:
            continue
    return str(filename), line


def _with_base_url(cfg: validate.Config, base_url: str) -> validate.Config:
    return replace(cfg, base_url=base_url if base_url.endswith("/") else base_url + "/")


def _finish(report: Report, started: float) -> Report:
    report.seconds = time.perf_counter() - started
    return report
