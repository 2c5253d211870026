"""The build, stage by stage: load, validate, plan, convert, check, model, render, write.

Every stage returns its result and adds to one list of problems; the build stops before
writing anything if there is an error (or, with ``strict``, a warning), so the last good
output stays in place. Caches only save work: each is keyed by everything its result
depends on, so a cached build writes the bytes a clean one (``--no-cache``) writes.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

import jinja2

from . import background, cache, checks, editor, headers, inputs, jobs, load, markup, messages, model, page, pages
from . import attachtext, inherit, notices, redirects, render, search, sitemap, stamp, tracking, write
from . import urls as U
from . import validate
from .kinds import data_files, kinds, section_kinds
from .pagecache import PageCache
from .problems import Problems
from .write import OutputCollision, OutsideOutput, UnsafeOutput, Writer

DEFAULT_STATIC = Path(__file__).resolve().parent / "theme" / "static"          # installed with the package


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    strict: bool = False
    write: bool = True                 # False for `check`: validate everything, write nothing
    base_url: str = ""                 # overrides site.yaml's (the preview server uses it)
    cache: bool = True                 # reuse what .cache/ keeps (--no-cache: don't read or write it)
    jobs: int = 0                      # worker processes for Markdown and pages; 0 = one per core
    province: Path | None = None       # the province this commune inherits from (default: inherit.find)


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
    reused: int = 0                    # pages taken unchanged from the last build instead of rendered
    unmatched: int = 0                 # pages that read something the cache cannot replay (rendered every time)
    drafts: int = 0                    # drafts left out of this build (not a problem: said in the summary)
    scheduled: int = 0                 # posts left out until their date
    env: jinja2.Environment | None = None   # kept, with the links, for the preview's fast path
    links: markup.Links | None = None

    @property
    def failed(self) -> bool:
        return bool(self.problems.errors)


def build(root: Path, output: Path | None, options: BuildOptions, now: dt.datetime, progress=None) -> Report:
    """Run every stage; see the module docstring. ``progress(stage, done, total)`` hears of long stages."""
    collecting = gc.isenabled()
    gc.disable()                # loading and the model make few cycles, and none that die early
    try:
        return _build(root, output, options, now, progress or (lambda *_: None))
    finally:
        gc.unfreeze()           # what the stages kept (see _settled) can be collected again
        if collecting:
            gc.enable()


def _build(root: Path, output: Path | None, options: BuildOptions, now: dt.datetime, progress) -> Report:
    clock = _Clock()
    state = cache.output_state(root, output) if output is not None and options.cache and options.write else None
    digests = cache.file_digests(root, options.cache)          # of input files: the stamp's and the copies'
    key = _stamp_key(root, options, digests) if state is not None else None
    last = stamp.fresh(state, key, output, now, lambda: Writer.intact(output, state)) if state else None
    if last is not None:                       # same inputs, same code, output untouched, nothing due yet
        digests.save()
        return clock.finish(Report(Problems(list(last.problems)), last.language, pages=last.pages, files=last.files,
                                   written=True, output=output, up_to_date=True, drafts=last.left_out[0],
                                   scheduled=last.left_out[1]))
    early = write.prefetch(output, state) if state is not None and _workers(options) > 1 else None   # other core
    problems = Problems()
    progress("load", 0, 0)
    files, cfg, data, documents, metas = _load(root, options, now, problems)
    report = Report(problems, validate.language_of(files.config), output=output, timings=clock.timings)
    if cfg is None:
        return clock.finish(report)
    now = now.astimezone(cfg.tz)
    clock.lap("load+validate")

    plan = model.plan(cfg, documents, metas, now, model.Options(options.drafts, options.future), problems)
    report.drafts = sum(1 for *_, why in plan.left_out if why == "draft")
    report.scheduled = len(plan.left_out) - report.drafts
    links = markup.Links(U.Urls(cfg.base_url), plan.posts, plan.unpublished, plan.planned, frozenset(files.assets))
    progress("markdown", 0, len(plan.entries))
    bodies = _convert(root, plan, links, documents, options, problems, progress)
    clock.lap("markdown")
    if problems.errors or (options.strict and problems.warnings):   # all known now: stop before the model
        return clock.finish(report)

    site = model.build(cfg, plan, bodies, files.assets, now, data)
    site.data_roots = {name: getattr(files.data.get(name), "kind", "") for name in data_files()}
    for kind in kinds():
        if kind.build is not None:
            kind.build(site)
    report.site, report.links = site, links
    todo = list(jobs.jobs(site))
    checks.aliases(redirects.redirects(site), {page.output_file(j) for j in todo if j[1].kind != "redirect"}, problems)
    if problems.errors:
        return clock.finish(report)
    _settled(collect=True)
    clock.lap("model")

    env = report.env = render.environment(root, cache.jinja_folder(root) if options.cache else None,
                                          _province(root, options))
    try:
        if not options.write:
            page_files = [page.output_file(job) for job in todo]
            report.pages = len(page_files)
            names = _output_names(site, todo, page_files, _static_files(files.static))
            checks.addresses(bodies, names, problems)
            _alias_files(site, todo, names, problems)
            return clock.finish(report)
        _write(root, site, todo, bodies, env, output, state, options, report, progress, digests,
               _static_files(files.static), early)
        clock.lap("pages+feeds+search+files+swap")
        if state is not None and report.written:
            stamp.save(state, key, output, now, plan.valid_until, report.language, report.pages, report.files,
                       problems.warnings, (report.drafts, report.scheduled))
    except (jinja2.TemplateError, UnicodeError) as err:   # a site's own template is broken
        path, line = _template_location(err, root)
        problems.add(path, line, "template-error", detail=getattr(err, "message", None) or str(err))
    except (ArithmeticError, LookupError, RecursionError, TypeError, ValueError, AttributeError) as err:
        if not _in_own_template(err, root):                 # raised by our code, not by a site's template: a bug
            raise
        path, line = _template_location(err, root)         # {{ 1/0 }}, range(10**9), a template extending itself
        problems.add(path, line, "template-error", detail=f"{type(err).__name__}: {err}"[:300])
    except OutputCollision as err:                          # a file under content/ named like a built page
        problems.add(f"content/{err.args[0]}", 0, "output-collision", target=err.args[0])
    except OutsideOutput as err:                            # a path leaving the output folder: nothing written
        problems.add(err.args[0][:200], 0, "output-outside", target=err.args[0][:200])
    except UnsafeOutput as err:
        problems.add(_shown(Path(err.args[0]), root), 0, "unsafe-output", output=_shown(Path(err.args[0]), root))
    except OSError as err:                                  # no permission, a full disk, a read-only mount
        shown = _shown(Path(err.filename), root) if err.filename else _shown(output, root)
        problems.add(shown, 0, "output-failed", detail=messages.os_reason(err))
    return clock.finish(report)


@dataclass
class Survey:
    """What a build would publish now, without converting or writing anything (``build.py list``)."""
    problems: Problems
    language: str
    plan: model.Plan | None = None
    metas: dict = field(default_factory=dict)
    now: dt.datetime | None = None
    config: validate.Config | None = None

    def events(self) -> list:
        """(moment, document path, title, why) of every change the output will undergo by itself after now:
        a scheduled post appears ("scheduled"), a post expires ("expires"), a finding becomes overdue
        ("overdue"), a văn bản takes effect or expires ("effective", "document-expires"), a downtime notice of
        site.yaml appears on the pages or leaves them ("maintenance-shown", "maintenance-over")."""
        if self.plan is None:
            return []
        now, tz = self.now, self.now.tzinfo
        midnight = lambda day: dt.datetime.combine(day, dt.time(0), tzinfo=tz)     # noqa: E731
        published = [(e.doc, e.meta) for e in self.plan.entries]
        published += [(doc, meta) for doc, meta, why in self.plan.left_out if why == "scheduled"]
        remedied = {(m.inspection.id, f.unit) for _, m in published if m.inspection and m.inspection.stage == "follow-up"
                    for f in m.inspection.findings if f.remedied}
        found = []
        for doc, meta in published:
            if meta.date is not None and meta.date.at > now:
                found.append((meta.date.at, doc.path, meta.title, "scheduled"))
            if meta.expires is not None and meta.expires.at > now:
                found.append((meta.expires.at, doc.path, meta.title, "expires"))
            ins = meta.inspection
            if ins is not None and ins.stage == "result":
                for finding in ins.findings:
                    if finding.remedy_by is not None and (ins.id, finding.unit) not in remedied:
                        found.append((midnight(finding.remedy_by + dt.timedelta(days=1)), doc.path, meta.title,
                                      "overdue"))
            block = meta.data
            for name, why, late in (("effective", "effective", 0), ("expires", "document-expires", 1)):
                day = getattr(block, name, None)
                if isinstance(day, dt.date):
                    found.append((midnight(day + dt.timedelta(days=late)), doc.path, meta.title, why))
        if self.config is not None:
            for at, why, notice in notices.moments(self.config, now):
                found.append((at, "site.yaml", notice.reason or "Tạm ngừng hoạt động theo kế hoạch", why))
        return sorted(e for e in found if e[0] > now)


def survey(root: Path, options: BuildOptions, now: dt.datetime) -> Survey:
    """Load, validate and plan, as a build does (the same problems), and stop there."""
    problems = Problems()
    files, cfg, data, documents, metas = _load(root, options, now, problems)
    found = Survey(problems, validate.language_of(files.config))
    if cfg is None:
        return found
    found.now = now.astimezone(cfg.tz)
    found.plan = model.plan(cfg, documents, metas, found.now, model.Options(options.drafts, options.future), problems)
    found.metas, found.config = metas, cfg
    return found


def _load(root: Path, options: BuildOptions, now: dt.datetime, problems: Problems) -> tuple:
    """Stages 1 and 2: every file read, its front matter validated, the site-wide rules checked."""
    province = _province(root, options)
    files = load.load(root, problems, tuple(data_files()), province)
    files.static = inherit.scan(province, "static", root, problems) + files.static     # the commune's own win
    inherit.scan(province, "templates", root, problems)
    cfg = validate.config(files.config, problems)
    if cfg is None:
        for doc in files.documents:                # their problems too, in the same run
            load.parse_front(doc, problems)
        return files, None, {}, [], {}
    if options.base_url:
        cfg = replace(cfg, base_url=options.base_url if options.base_url.endswith("/") else options.base_url + "/")
    data = {name: kind.read(files.data.get(name), problems, files.assets) for name, kind in data_files().items()}
    checks.unknown_folders(files.folders, files.stray, cfg, problems)
    documents = checks.documents_in_sections(files.documents, cfg)
    for doc in files.documents:
        if cfg.section(doc.section) is None:       # outside every section (said): its front matter's problems too
            load.parse_front(doc, problems)
    metas = _validate_documents(root, documents, cfg, options, problems)
    checks.check_site(cfg, documents, metas, files.assets, problems)
    checks.loose_documents(cfg, documents, metas, files.assets, problems)
    checks.theme_files(files.assets, _static_files(files.static), problems)
    for kind in kinds():
        if kind.check is not None:
            kind.check(cfg, documents, metas, data, now.astimezone(cfg.tz), problems)
    _attachment_facts(root, files.assets, metas, {d.path: d for d in documents}, options, problems)
    cfg = notices.check(root, cfg, files.assets, now.astimezone(cfg.tz), problems)
    _settled()
    return files, cfg, data, documents, metas


def _validate_documents(root: Path, documents: list, cfg: validate.Config, options: BuildOptions,
                        problems: Problems) -> dict:
    """Every document's front matter parsed and checked against its schema; remembered by all it depends
    on (a pure function of the document's place, its front matter's text and the configuration): the
    front matter of a document remembered is not even parsed."""
    kept = cache.meta_cache(root, options.cache)
    parsed = cache.front_matter_cache(root, options.cache)      # read from disk only when a document needs it
    config = pickle.dumps(cfg, protocol=pickle.HIGHEST_PROTOCOL)
    metas = {}
    for doc in documents:
        key = (doc.path, doc.content_path, doc.section, doc.front_digest, config) if doc.front_digest else None
        found = kept.get(key) if key else None
        if found is None:
            said = Problems()
            load.parse_front(doc, said, parsed)
            found = (validate.document(doc, cfg, said), tuple(said.items))
            if key:
                kept.put(key, found)
        doc.front_text = None
        problems.extend(found[1])
        if found[0] is not None:
            metas[doc.path] = found[0]
    kept.save()
    parsed.save(keep={doc.front_digest for doc in documents})
    return metas


def _convert(root: Path, plan: model.Plan, links: markup.Links, documents: list, options: BuildOptions,
             problems: Problems, progress) -> dict:
    """Stage 3: every published body from Markdown to safe HTML (the body cache keeps the unchanged)."""
    body_cache = cache.body_cache(root, options.cache)
    bodies = markup.convert_all([(e.doc.path, e.doc.content_path, e.doc.body, e.doc.body_line) for e in plan.entries],
                                links, body_cache, _workers(options), progress)
    for entry in plan.entries:
        problems.extend(bodies[entry.doc.path].problems)
    checks.empty_bodies(plan.entries, bodies, problems)
    checks.placeholders(plan.entries, tuple(dict.fromkeys(t for s in section_kinds().values() for t in s.placeholders)),
                        problems)
    for document in documents:
        document.body = ""                       # converted: a big portal's text need not stay in memory twice
    body_cache.save()
    return bodies


def _write(root: Path, site: model.Site, todo: list, bodies: dict, env, output: Path, state: Path | None,
           options: BuildOptions, report: Report, progress, digests: cache.FileMemo, statics: dict,
           early: write.Prefetch | None = None) -> None:
    """Stages 4 and 5: pages, feeds, open data, search, copied files, into the spare tree (``early``: its check,
    begun at the start); then the swap."""
    if output == root or root.is_relative_to(output) or any(output.is_relative_to(root / n) for n in stamp.INPUTS):
        raise UnsafeOutput(str(output))                    # it would replace the site's own files
    cache_file = state / "pages.pickle" if state is not None else None
    page_cache = PageCache.open(cache_file, cache.code_version())
    salt = (cache.code_version(), cache.templates_version(env.loader.searchpath))
    replay = tracking.Replay(env, tracking.index(site))  # before the fork: walking the model after it copies pages
    helper = background.start(_workers(options), site=site, todo=todo, cache=page_cache, replay=replay)  # other core
    try:
        handed = page_cache.share(helper)       # it replays part of the kept lookups while the writer opens
        with Writer(output, state, owned=output == root / "public", early=early) as writer:
            others = helper.call(_other_outputs, root, options.cache, _held(writer))     # then the other outputs

            def meanwhile() -> None:            # while forked renderers work, this process writes the rest
                again = set()
                for relative, content, data in others.get():
                    if data is not None:
                        writer.write(relative, data, content)
                    elif not writer.has(relative, content):
                        again.add(relative)     # the spare no longer holds it: made again here
                for relative, data in _outputs(site, todo) if again else ():
                    if relative in again:
                        writer.write(relative, data)
                report.files = _copy_files(root, site, writer, digests, statics)

            counts = pages.write_pages(site, todo, env, writer, page_cache, salt, _workers(options), meanwhile,
                                       progress, replay, handed)
            report.pages, report.reused, report.unmatched = counts.pages, counts.reused, counts.unmatched
            checks.addresses(bodies, writer.written, report.problems)
            _alias_files(site, todo, writer.written, report.problems)
            if report.problems.errors:
                return                          # the last good output stays; the spare keeps what was written
            progress("swap", 0, 0)
            writer.commit()
            report.written = True
    finally:
        helper.close()                          # the build may stop before it asks for a result (a refused output)
    page_cache.save()
    if options.cache:
        cache.sweep(root)                       # temporary files of killed builds


def _alias_files(site: model.Site, todo: list, outputs, problems: Problems) -> None:
    """checks.alias_files on the files of this build (``outputs``), the aliases' own static pages (from ``todo``,
    jobs.jobs(site)) apart; nothing to do on a site without old addresses."""
    found = redirects.redirects(site)
    if found:
        stubs = {page.output_file(job) for job in todo if job[1].kind == "redirect"}
        checks.alias_files(found, outputs, stubs, problems)


def _held(writer: Writer) -> dict:
    """The content digest of each file the spare tree holds, but pages (which the helper does not make: leaving
    them out only saves pickling them)."""
    return {relative: entry[0] for relative, entry in writer.tree.files.items() if not relative.endswith(".html")}


def _other_outputs(shared: dict, root: Path, cached: bool, held: dict) -> list:
    """(path, content digest, bytes) of every other output of ``shared["site"]``; the bytes None when ``held``
    (digests of the spare tree's files) has them already: they need not travel back."""
    kept, last = cache.search_cache(root, cached), cache.search_postings(root, cached)
    found = []
    for relative, data in _outputs(shared["site"], shared["todo"], kept, last):
        content = cache.content_key(data)
        found.append((relative, content, None if held.get(relative) == content else data))
    kept.save()
    last.save()
    return found


def _outputs(site: model.Site, todo: list, kept: cache.KeptValues | None = None, last: cache.KeptValues | None = None):
    """Everything the build writes besides pages and copied files: each kind's feeds and open data, search
    (``kept``, ``last``: its entries' words and its postings from earlier builds), machine files (``todo``:
    jobs.jobs(site))."""
    yield from jobs.files(site)
    yield from search.files(site, kept, last)
    yield U.sitemap(), sitemap.sitemap_xml(site, todo)
    yield U.robots(), sitemap.robots_txt(site)
    yield from headers.files(site)
    yield from editor.files(site)


def _output_names(site: model.Site, todo: list, page_files: list, statics: dict) -> set:
    """Every file a build of ``site`` writes (for ``check``, which writes none)."""
    names = set(page_files)
    names.update(name for name, _ in _outputs(site, todo))
    names.update(U.asset(path) for path in site.assets)
    return names | set(statics) | set(editor.assets(site))


def _static_files(own: list) -> dict[str, Path]:
    """Output path -> file of the theme's static files, the site's own ``static/`` (checked by
    inputs.scan) over the default theme's."""
    sources = {U.static(file.relative_to(DEFAULT_STATIC).as_posix()): file
               for file in sorted(DEFAULT_STATIC.rglob("*")) if file.is_file() and inputs.visible(file.name)}
    sources.update((U.static(found.relative), found.path) for found in own)
    return sources


def _copy_files(root: Path, site: model.Site, writer: Writer, digests: cache.FileMemo, statics: dict) -> int:
    """Static files and every published file under content/ (none has a static file's name: checks)."""
    sources = dict(statics) | editor.assets(site)
    for content_path in site.assets:
        sources[U.asset(content_path)] = root / "content" / content_path
    for relative, source in sorted(sources.items()):
        if source.suffix in (".css", ".js") and source.is_relative_to(DEFAULT_STATIC):
            writer.write(relative, _minified(source))         # the theme's own: a site's static/ goes as it is
        else:
            writer.copy(relative, source, digests.of(source, cache.bytes_digest))
    digests.save()
    return len(sources)


def _minified(source: Path) -> bytes:
    """The default theme's stylesheet and scripts without their comments and spaces (rcssmin, rjsmin): a
    quarter of every page's weight, read on cheap phones over slow links; the checkout keeps the commented
    source (the browser tests run the published, minified scripts)."""
    import rcssmin
    import rjsmin
    text = source.read_text(encoding="utf-8")
    return (rcssmin.cssmin(text) if source.suffix == ".css" else rjsmin.jsmin(text)).encode("utf-8")


def _attachment_facts(root: Path, assets: dict, metas: dict, documents: dict, options: BuildOptions,
                      problems: Problems) -> None:
    """Hash every attachment a post cites (and count PDF pages), and read the text of its PDF and Word files
    (for the search): they are public records."""
    facts = cache.attachment_cache(root, options.cache)
    cited = []
    for path, meta in metas.items():
        for ref in meta.attachments:
            target = U.resolve(documents[path].content_path, unquote(ref.file))
            if target not in assets:
                continue                                   # reported by checks.check_files
            if not assets[target].sha256:
                asset = assets[target]
                assets[target] = facts.of(root / "content" / target, lambda _: load.attachment_facts(root, asset))
            cited.append((path, ref, target))
    facts.save()
    _attachment_texts(root, assets, sorted({target for *_, target in cited}), options)
    for path, ref, target in cited:                        # each post citing a file hears of it
        asset = assets[target]
        if target.lower().endswith(".pdf") and asset.pages is None:
            problems.add(path, 0, "pdf-unreadable", severity="warning", target=target)
        elif target.lower().endswith(".pdf") and asset.pages and asset.text is not None and not any(asset.text):
            problems.add(path, ref.line, "pdf-no-text", severity="warning", target=target)


def _attachment_texts(root: Path, assets: dict, targets: list, options: BuildOptions) -> None:
    """The text of the PDF and Word files among ``targets`` into their assets, kept by SHA-256 (reading is
    slow: the files not kept are read in worker processes, in order, so the result is the same)."""
    kept = cache.attachment_text_cache(root, options.cache, attachtext.version())
    wanted = {target: (assets[target].sha256, attachtext.kind_of(target)) for target in targets
              if attachtext.wanted(target)}
    known, missing = {}, {}
    for target, key in wanted.items():
        found = kept.get(key)
        if found is not None:
            known[key] = found[0]
        elif key not in missing:
            missing[key] = root / "content" / target
    read = attachtext.extract_all([(file, kind) for (_, kind), file in missing.items()], _workers(options))
    for key, text in zip(missing, read):
        known[key] = text
        kept.put(key, (text,))                             # (None,): unreadable
    for target, key in wanted.items():
        assets[target] = replace(assets[target], text=known[key])
    kept.save()


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


def _workers(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def _province(root: Path, options: BuildOptions) -> Path | None:
    return inherit.find(root, options.province)


def _stamp_key(root: Path, options: BuildOptions, digests: cache.FileMemo) -> tuple:
    """What decides a build's output besides the clock: every input file (the province's theme too, and
    what the site takes from province.yaml), the options and the code."""
    province = _province(root, options)
    theme = (*inherit.theme_folders(province), render.DEFAULT_TEMPLATES, DEFAULT_STATIC, editor.ASSETS)
    inputs = stamp.input_state(root, theme, digests)
    return inputs, inherit.consumed(root, province), replace(options, jobs=0), cache.code_version()


class _Clock:
    """Seconds spent in each stage, for ``build --timings`` and the benches."""

    def __init__(self):
        self.timings: dict = {}
        self.started = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now

    def finish(self, report: Report) -> Report:
        report.seconds = time.perf_counter() - self.started
        report.timings = self.timings
        return report


def _in_own_template(err: Exception, root: Path) -> bool:
    """Whether the traceback of ``err`` runs through a template of the site (or of its province), not only ours."""
    own = [root / "templates"]
    province = inherit.find(root)
    if province is not None:
        own.append(province / "templates")
    own = [folder.resolve() for folder in own]
    tb = err.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")) and any(Path(name).resolve().is_relative_to(f) for f in own):
            return True
        tb = tb.tb_next
    return False


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
    province = inherit.find(root)
    if province is not None and Path(filename).resolve().is_relative_to(province) \
            and not Path(filename).resolve().is_relative_to(root):          # the province's own template
        return os.path.relpath(Path(filename).resolve(), root).replace(os.sep, "/"), line
    for base in (root, DEFAULT_STATIC.parent):              # the site's own, or the default theme's
        try:
            return Path(filename).resolve().relative_to(base).as_posix(), line
        except ValueError:
            continue
    return str(filename), line


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)
