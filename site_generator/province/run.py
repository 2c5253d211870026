"""``build.py province``: every commune of a province, then the provincial aggregate.

Each commune is built by the same pipeline as a single site (``pipeline.build`` with the province as
its parent, see inherit.py) into its own ``OUT/<key>/``, in its own forked process, as many at once as
there are cores: a commune's memory is given back when it is done, and a commune that fails (or even
crashes) leaves the others, and its own last good output, untouched. Each commune's stamp and caches
make an unchanged commune cost a look at its files, so after one edit only that commune is rebuilt
(and a change to province.yaml or the province's theme, which every commune reads, rebuilds all).

The aggregate (``OUT/tinh/``, aggregate.py) is then made from what the communes published, and
``OUT/sites.json`` says which commune lives where (the counter serves all of them from it).
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import multiprocessing.connection
import os
import pickle
import resource
import time
import traceback
from html import escape
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import cache, inherit, pipeline, render, sealed, stamp
from ..problems import Problem, Problems
from ..write import UnsafeOutput, Writer
from . import aggregate

AGGREGATE = "tinh"
SITES = "sites.json"


@dataclass
class Outcome:
    """One commune's build, as the province's report says it."""
    key: str
    name: str
    folder: str
    problems: list = field(default_factory=list)   # Problem, paths from the province folder
    failed: bool = False
    written: bool = False
    up_to_date: bool = False
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    crashed: str = ""                              # a bug of ours: the traceback (the others still build)
    max_rss: int = 0                               # KiB, of the process that built it


@dataclass
class Report:
    problems: Problems                             # province.yaml's, and the aggregate's
    communes: list = field(default_factory=list)   # Outcome, as listed
    aggregate: bool = False                        # the aggregate was written (or was already right)
    aggregate_up_to_date: bool = False
    seconds: float = 0.0
    output: Path | None = None

    @property
    def failed(self) -> bool:
        return bool(self.problems.errors) or any(o.failed for o in self.communes)


def build(root: Path, out: Path, options: pipeline.BuildOptions, now: dt.datetime, workers: int = 0,
          progress=None) -> Report:
    started = time.perf_counter()
    root, out = root.resolve(), out.resolve()
    report = Report(Problems(), output=out)
    province = inherit.read(root, report.problems)
    if province is None:
        return _finish(report, started)
    ready = []
    for commune in present(province, report.problems):
        if out == root or commune.root.is_relative_to(out) \
                or any((out / commune.key).is_relative_to(commune.root / name) for name in stamp.INPUTS):
            report.problems.add(inherit.FILE, commune.line, "unsafe-output", output=str(out))
        else:
            ready.append(commune)
    if report.problems.errors:
        return _finish(report, started)
    cores = workers or os.cpu_count() or 1
    running = max(1, min(cores, len(ready)))
    each = replace(options, province=root, jobs=max(1, cores // running))
    tasks = [(c.key, (_build_one, (root, c, out / c.key, each, now))) for c in ready]
    results = _run(tasks, running, progress)
    report.communes = [results[c.key] for c in ready]
    if options.write:
        try:
            report.aggregate_up_to_date = write_aggregate(root, province, ready, out, options)
            report.aggregate = True
            write_sites(out, province, ready)
        except UnsafeOutput as err:
            report.problems.add(inherit.FILE, 0, "unsafe-output", output=str(err.args[0]))
        except OSError as err:
            report.problems.add(str(out / AGGREGATE), 0, "output-failed", detail=str(err))
    return _finish(report, started)


def present(province, problems: Problems) -> list:
    """The communes whose folder holds a site.yaml; each other one is a problem at its line of province.yaml."""
    found = []
    for commune in province.communes:
        if os.path.isfile(commune.root / "site.yaml"):
            found.append(commune)
        else:
            problems.add(inherit.FILE, commune.line, "commune-folder-missing", folder=commune.folder)
    return found


def _finish(report: Report, started: float) -> Report:
    report.seconds = time.perf_counter() - started
    return report


def _build_one(root: Path, commune, output: Path, options: pipeline.BuildOptions, now: dt.datetime) -> Outcome:
    """In a forked process: one commune's build, its problems named from the province folder."""
    built = pipeline.build(commune.root, output, options, now)
    prefix = os.path.relpath(commune.root, root).replace(os.sep, "/")
    problems = [replace(p, path=_from_province(prefix, p.path)) for p in built.problems.sorted()]
    return Outcome(commune.key, commune.name, commune.folder, problems, built.failed, built.written,
                   built.up_to_date, built.pages, built.files, built.seconds,
                   max_rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _from_province(prefix: str, path: str) -> str:
    """A commune's problem path (from its folder) as seen from the province folder."""
    if path.startswith(("-", "/")) or ":" in path[:3]:
        return path
    return os.path.normpath(f"{prefix}/{path}").replace(os.sep, "/")


def _run(tasks: list, workers: int, progress) -> dict:
    """Run ``(key, (function, args))`` tasks in forked worker processes, ``workers`` at a time.

    A worker takes tasks one after another while they find nothing to do (a commune already up to date
    costs a look at its files, not a process), and ends after any task that built something, so that the
    memory a build took goes back to the system with its process (the next task gets a fresh fork)."""
    results: dict = {}
    if "fork" not in multiprocessing.get_all_start_methods():    # pragma: no cover - Windows: one by one, here
        for key, (function, args) in tasks:
            results[key] = _guarded(key, function, args)
        return results
    context = multiprocessing.get_context("fork")
    pending, busy, total = list(reversed(tasks)), {}, len(tasks)
    idle: list = []
    while pending or busy:
        while pending and (idle or len(busy) < workers):
            if idle:
                process, connection = idle.pop()
            else:
                connection, theirs = context.Pipe()
                process = context.Process(target=_worker, args=(theirs,))
                process.start()
                theirs.close()
            key, task = pending.pop()
            connection.send((key, *task))
            busy[connection] = (process, key)
        for connection in multiprocessing.connection.wait(list(busy)):
            process, key = busy.pop(connection)
            try:
                outcome, retired = connection.recv()
            except (EOFError, OSError, pickle.UnpicklingError):
                outcome, retired = Outcome(key, key, key, failed=True, crashed="the build process stopped"), True
            results[key] = outcome
            if retired:
                connection.close()
                process.join()
            else:
                idle.append((process, connection))
            if progress is not None:
                progress(outcome, len(results), total)
    for process, connection in idle:
        connection.send(None)
        connection.close()
        process.join()
    return results


def _worker(connection) -> None:
    """In a forked process: tasks until one builds something (see _run), or until told to stop."""
    while True:
        try:
            task = connection.recv()
        except EOFError:
            break
        if task is None:
            break
        key, function, args = task
        outcome = _guarded(key, function, args)
        retire = not outcome.up_to_date
        connection.send((outcome, retire))
        if retire:
            break
    connection.close()
    os._exit(0)                          # nothing to tidy: the inherited heap goes with the process


def _guarded(key: str, function, args) -> Outcome:
    try:
        return function(*args)
    except Exception:                                   # a bug of ours: say it, keep the other communes going
        return Outcome(key, key, key, failed=True, crashed=traceback.format_exc())


# ---------------------------------------------------------------- the aggregate

def write_aggregate(root: Path, province, communes: list, out: Path, options: pipeline.BuildOptions) -> bool:
    """Write ``out/tinh/`` from the communes' published files; True when it was already right."""
    state = cache.output_state(root, out / AGGREGATE) if options.cache else None
    kept_file = state / "communes.pickle" if state is not None else None
    kept = aggregate.load_kept(kept_file) if kept_file is not None else {}
    tokens = [aggregate.read_commune(out, c.key, c.code, c.name, kept)[0] for c in communes]
    fresh = {token: kept[token] for token in tokens}                     # what is kept for the next run
    read = [kept[t] for t in tokens]
    digests = cache.file_digests(root, options.cache)
    theme = (*inherit.inputs_of(root), render.DEFAULT_TEMPLATES, pipeline.DEFAULT_STATIC)
    key = (stamp.input_state(root / ".none", theme, digests), tokens, cache.code_version())
    digests.save()
    stamp_file = state / "aggregate-stamp.pickle" if state is not None else None
    output = out / AGGREGATE
    if stamp_file is not None and stamp_file.exists() and sealed.load(stamp_file) == key \
            and Writer.intact(output, state):
        return True
    files = _aggregate_files(root, province, read)        # (fills in the entries' words, kept with them)
    with Writer(output, state) as writer:
        for relative, data in files:
            writer.write(relative, data)
        writer.commit()
    if state is not None:
        sealed.dump(kept_file, fresh)
        sealed.dump(stamp_file, key)
    return False


def _aggregate_files(root: Path, province, communes: list) -> list:
    from .. import urls as U
    env = render.environment(root, None)
    urls = U.Urls(province.base_url)
    index, offered = aggregate.search_files(communes)
    shown = aggregate.context(communes, province, offered)
    files = []
    pages = (("province/home.html", ""), ("province/search.html", "tim-kiem/"), ("province/open_data.html", "du-lieu/"),
             ("province/404.html", "404.html"))
    for template, path in pages:
        page = {"path": path, "url": urls.link(path)}
        html = env.get_template(template).render(**shown, urls=urls, page=page)
        files.append((U.Urls.output_file(path), html.encode("utf-8")))
    listed = "".join(f"<url><loc>{escape(urls.absolute(path))}</loc></url>" for _, path in pages[:-1])
    files.append(("sitemap.xml", ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
                                  f'schemas/sitemap/0.9">{listed}</urlset>\n').encode("utf-8")))
    files.append(("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {urls.absolute('sitemap.xml')}\n".encode("utf-8")))
    files.extend(aggregate.open_data(communes, province))
    files.extend(index)
    for name in ("css/site.css", "css/search.css", "js/search.js", "favicon.svg"):
        source = pipeline.DEFAULT_STATIC / name
        files.append((name, pipeline._minified(source) if source.suffix in (".css", ".js") else source.read_bytes()))
    return files


def write_sites(out: Path, province, communes: list) -> None:
    """``OUT/sites.json``: every commune's key, code, name, address and pages (for the counter), atomically."""
    from .. import load, validate
    sites = []
    for commune in communes:
        problems = Problems()
        own = load.read_yaml_file(commune.root, "site.yaml", problems)
        node = inherit.site_config(own, commune.root, province.root, problems, known=province)
        cfg = validate.config(node, problems) if node is not None else None
        sites.append({"key": commune.key, "code": commune.code, "name": commune.name,
                      "base_url": cfg.base_url if cfg else "", "pages": commune.key,
                      "timezone": cfg.timezone if cfg else "Asia/Ho_Chi_Minh"})
    data = json.dumps({"version": 1, "province": {"name": province.name, "code": province.code}, "sites": sites},
                      ensure_ascii=False, indent=1) + "\n"
    temporary = out / f".{SITES}.{os.getpid()}"
    temporary.write_text(data, encoding="utf-8")
    os.replace(temporary, out / SITES)
