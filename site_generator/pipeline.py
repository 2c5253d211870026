"""The build, stage by stage: load, validate, plan, convert, check, model, render, write.

Every stage returns its result and adds to one list of problems; the build
stops before writing anything if there is an error (or, with ``strict``, a
warning), so the last good output stays in place.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

import jinja2

from . import cache, checks, feeds, fingerprint, inspections, load, markup, model, opendata, render, search, sitemap, validate
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
    up_to_date: bool = False           # nothing changed since the last build: nothing was rebuilt
    reused: int = 0                    # pages taken from the page cache instead of rendered
    env: jinja2.Environment | None = None   # kept, with the links, for update_post()
    links: markup.Links | None = None

    @property
    def failed(self) -> bool:
        return bool(self.problems.errors)


def build(root: Path, output: Path | None, options: BuildOptions, now: dt.datetime) -> Report:
    """Run every stage; see the module docstring."""
    collecting = gc.isenabled()
    gc.disable()                # loading and the model make few cycles, and none that die early
    try:
        return _build(root, output, options, now)
    finally:
        gc.unfreeze()           # what the stages kept (see _settled) can be collected again
        if collecting:
            gc.enable()


def _settled(collect: bool = False) -> None:
    """Tell the cycle collector that everything made so far lives until the end of the build.

    Without this, each full collection walks every document, node and post again: with
    20,000 posts that took a fifth of the build, growing faster than the portal. Forked
    workers inherit the frozen objects and the collector never touches them (no
    copy-on-write). ``collect``: turn the collector on from here (rendering makes garbage).
    """
    gc.freeze()
    if collect:
        gc.enable()


def _build(root: Path, output: Path | None, options: BuildOptions, now: dt.datetime) -> Report:
    started = time.perf_counter()
    stamp_key = _stamp_key(root, output, options)
    if stamp_key is not None:
        stamp = cache.fresh_stamp(root, stamp_key, output, now)
        if stamp is not None:                  # same inputs, same code, output untouched, no post due yet
            return _finish(Report(Problems(list(stamp.problems)), stamp.language, pages=stamp.pages,
                                  files=stamp.files, written=True, output=output, up_to_date=True), started)
    problems = Problems()
    front_matter = cache.front_matter_cache(root, options.cache)
    files = load.load(root, problems, front_matter)
    front_matter.save()
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
    clock = _Clock(report.timings)
    clock.lap("load+validate", started)
    _settled()

    the_plan = model.plan(cfg, documents, metas, now, model.Options(options.drafts, options.future), problems)
    links = markup.Links(U.Urls(cfg.base_url), the_plan.posts, the_plan.unpublished, the_plan.planned,
                         frozenset(files.assets))
    body_cache = cache.body_cache(root, options.cache)
    bodies = markup.convert_all([(e.doc.path, e.doc.content_path, e.doc.body, e.doc.body_line)
                                 for e in the_plan.entries], links, body_cache, options.jobs or os.cpu_count() or 1)
    for entry in the_plan.entries:
        problems.extend(bodies[entry.doc.path].problems)
    for document in documents:
        document.body = ""                       # converted: a big portal's text need not stay in memory twice
    body_cache.save()
    clock.lap("markdown")
    if _blocked(problems, options):                # every problem is known by now: stop before the model
        return _finish(report, started)
    site = model.build(cfg, the_plan, bodies, units, files.assets, now)
    site.records = inspections.build_records(site, now.date(), cfg.min_days)
    report.site, report.links = site, links
    _settled(collect=True)
    clock.lap("model")

    env = report.env = render.environment(root)
    try:
        if not options.write:
            for _ in render.pages(site, env):
                report.pages += 1
            return _finish(report, started)
        with Writer(output) as writer:
            page_cache = cache.PageCache.open(root, options.cache, output)

            def meanwhile() -> None:            # while forked renderers work, this process writes the rest
                for relative, data in _outputs(site):
                    writer.write(relative, data)
                report.files = _copy_files(root, site, writer)

            report.pages, report.reused = write_pages(site, env, writer, options.jobs or os.cpu_count() or 1,
                                                      page_cache, meanwhile)
            clock.lap("pages+feeds+search+files")
            writer.commit()
            page_cache.prune()
            if stamp_key is not None:
                cache.save_stamp(root, stamp_key, output, now, the_plan.valid_until, report.language,
                                 report.pages, report.files, problems.warnings)
            clock.lap("files+swap")
            report.written = True
    except (jinja2.TemplateError, UnicodeError) as err:   # a site's own template is broken
        path, line = _template_location(err, root)
        problems.add(path, line, "template-error", detail=getattr(err, "message", None) or str(err))
    except OutputCollision as err:                          # a file under content/ named like a built page
        problems.add(f"content/{err.args[0]}", 0, "output-collision", target=err.args[0])
    return _finish(report, started)


class _Clock:
    """Seconds spent in each stage, for ``build --timings`` and the benches."""

    def __init__(self, timings: dict):
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, stage: str, since: float | None = None) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - (self.last if since is None else since)
        self.last = now


def update_post(root: Path, previous: Report, file: Path) -> str | None:
    """Re-render, in place in the last build's output, the page of one post whose text changed.

    The preview's fast path: the editor sees the post at once, and the full (cached) build
    that follows brings every list, feed and neighbour up to date. Returns the output file
    written, or None when the change needs that full build first (new address, tags,
    dates, attachments...) or has problems to show.
    """
    site, output = previous.site, previous.output
    if site is None or previous.env is None or previous.links is None or output is None or not previous.written:
        return None
    path = load.rel(root, file)
    old = next((p for p in site.posts if p.source == path), None)
    problems = Problems()
    doc = load.read_document(root, file, problems) if old is not None and file.is_file() else None
    meta = validate.document(doc, site.config, problems) if doc is not None and not problems.items else None
    if meta is None or problems.items:
        return None
    same_place = replace(meta, title=old.meta.title, summary=old.meta.summary, author=old.meta.author,
                         updated=old.meta.updated, corrections=old.meta.corrections) == old.meta
    if not same_place:
        return None
    body = markup.Converter().convert(doc.path, doc.content_path, doc.body, doc.body_line, previous.links)
    if body.problems:
        return None
    post = replace(old, meta=meta, html=body.html, summary=meta.summary or body.summary, body_words=body.words)
    relative, data = render.render_job(site, previous.env, render.post_job(site, post))
    cache.forget_stamp(root, output)                 # the output no longer matches the last full build
    target = output / relative
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return relative


def _attachment_facts(root: Path, assets: dict, metas: dict, documents: dict, problems: Problems) -> None:
    """Hash every attachment a post cites (and count PDF pages): they are public records."""
    for path, meta in metas.items():
        for ref in meta.attachments:
            target = U.resolve(documents[path].content_path, unquote(ref.file))
            if target in assets and not assets[target].sha256:
                assets[target] = load.attachment_facts(root, assets[target], problems, path)


PARALLEL_PAGES = 200          # below this, forking a second renderer costs more than it saves
_RENDER: dict = {}


def write_pages(site: model.Site, env: jinja2.Environment, writer: Writer, workers: int,
                pages: cache.PageCache | None = None, meanwhile=None) -> tuple[int, int]:
    """Render and write every HTML page, reusing cached pages whose key has not changed: (pages, reused).

    On several cores, forked processes share the pages to render. Each page is rendered
    from the same model and templates whichever process takes it, so the files are the
    same bytes as a single-process build, cached or not.
    """
    pages = pages or cache.PageCache(None)
    todo = list(render.jobs(site))
    keys = _page_keys(site, env, todo) if pages.enabled else [None] * len(todo)
    misses = []
    for job, key in zip(todo, keys):
        hit = pages.get(key) if key else None
        if hit is not None:
            writer.link(render.output_file(job), hit)
        else:
            misses.append((job, key))
    for relative, key in _render_misses(site, env, writer, misses, workers, meanwhile or (lambda: None)):
        if key:
            pages.put(key, writer.staging / relative)
    return len(todo), len(todo) - len(misses)


def _page_keys(site: model.Site, env: jinja2.Environment, todo: list) -> list:
    digester = fingerprint.Digester()
    salt = (cache.code_version(), cache.templates_version(env.loader.searchpath))
    common = fingerprint.site_digest(site, digester)
    return [digester.page_key(salt, template, info, context, common) for template, info, context in todo]


def _render_misses(site: model.Site, env: jinja2.Environment, writer: Writer, misses: list, workers: int,
                   meanwhile):
    """Yield (output file, key) for each page rendered into the staging folder; call ``meanwhile()`` once."""
    import multiprocessing

    todo = [job for job, _ in misses]
    if workers > 1 and len(todo) >= PARALLEL_PAGES and "fork" in multiprocessing.get_all_start_methods():
        render.prepare(env)                         # compile every template once, before the fork
        _RENDER.update(site=site, env=env, jobs=todo, staging=writer.staging)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending = pool.map_async(_render_share, [(k, workers) for k in range(workers)])
                meanwhile()
                shares = pending.get()
        finally:
            _RENDER.clear()
        for indexes, failed in shares:
            if failed is not None:                  # render it here, so the error carries its template line
                render.render_job(site, env, todo[failed])
            for index in indexes:
                writer.claim(render.output_file(todo[index]))
                yield render.output_file(todo[index]), misses[index][1]
        return
    for job, key in misses:
        relative, data = render.render_job(site, env, job)
        writer.write(relative, data)
        yield relative, key
    meanwhile()


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
        written.append(index)
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


def _stamp_key(root: Path, output: Path | None, options: BuildOptions) -> tuple | None:
    """What decides a build's output besides the clock: every input file, the options and the code."""
    if not (options.cache and options.write and output is not None):
        return None
    inputs = cache.input_state(root, (render.DEFAULT_TEMPLATES, DEFAULT_STATIC))
    return inputs, replace(options, jobs=0), str(output), cache.code_version()


def _with_base_url(cfg: validate.Config, base_url: str) -> validate.Config:
    return replace(cfg, base_url=base_url if base_url.endswith("/") else base_url + "/")


def _finish(report: Report, started: float) -> Report:
    report.seconds = time.perf_counter() - started
    return report
