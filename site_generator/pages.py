"""Every HTML page of the site, into the writer: reused when nothing it read has changed, else rendered.

A page is reused when the page cache (:mod:`pagecache`) says its key and every lookup it made
are unchanged *and* the writer still holds its bytes; every other page is rendered, on every
core when there are many (forked processes render straight into the spare tree and report
what each page read). Whichever process renders a page, from the same model and templates,
writes the same bytes, so a cached, parallel build equals a clean single-process one.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from . import page, render, tracking
from .model import Site
from .pagecache import PageCache
from .cache import content_key
from .write import Writer, inside, write_file

PARALLEL_PAGES = 200          # below this, forking a second renderer costs more than it saves


@dataclass
class Counts:
    pages: int = 0
    reused: int = 0
    unmatched: int = 0        # pages whose lookups cannot be replayed: rendered every build


def write_pages(site: Site, todo: list, env: tracking.Environment, writer: Writer, cache: PageCache, salt: tuple,
                workers: int, meanwhile=None, progress=None, replay: tracking.Replay | None = None,
                handed: tuple | None = None) -> Counts:
    """Put every page of ``todo`` (jobs.jobs(site)) in ``writer``; ``meanwhile()`` runs once while other
    processes render. ``replay``: tracking.Replay(env, tracking.index(site)), when the caller has it;
    ``handed``: what cache.share() handed to a helper process."""
    replay = tracking.Replay(env, tracking.index(site)) if replay is None else replay
    known = replay.known
    counts = Counts(len(todo))
    shared = render.shared(site)              # one dict for every page's key: digested once
    if cache.enabled:
        cache.replay(replay, handed)
    misses = []
    for number, job in enumerate(todo, 1):
        if progress is not None and number % 500 == 0:
            progress("check", number, len(todo))
        relative = page.output_file(job)
        key = replay.digests.key(salt, job[0], shared, job[1], job[2]) if cache.enabled else b""    # = given()
        content = cache.lookup(relative, key, replay) if cache.enabled else None
        if content is not None and writer.has(relative, content):
            counts.reused += 1
        else:
            misses.append((job, relative, key))
    record = known if cache.enabled else None
    for relative, key, reads, content in _render(site, env, writer, misses, record, workers,
                                                 meanwhile or (lambda: None), progress):
        if not cache.store(relative, key, reads, replay, content):
            counts.unmatched += 1
    return counts


def render_one(site: Site, env: tracking.Environment, job: tuple, known: dict | None) -> tuple[bytes, set]:
    """(bytes, lookups made) of one page; ``known`` None: record nothing (--no-cache)."""
    env.recorder = tracking.Recorder(known) if known is not None else None
    try:
        _, data = render.render_job(site, env, job)
        return data, env.recorder.reads if env.recorder is not None else set()
    finally:
        env.recorder = None


_SHARED: dict = {}


def _render(site, env, writer: Writer, misses: list, known, workers: int, meanwhile, progress):
    """Yield (output file, key, lookups, content digest) for each page rendered into the writer."""
    if workers > 1 and len(misses) >= PARALLEL_PAGES and "fork" in multiprocessing.get_all_start_methods():
        render.prepare(env)                         # compile every template once, before the fork
        _SHARED.update(site=site, env=env, jobs=misses, known=known, writer=writer)
        size = max(20, min(200, len(misses) // (workers * 8)))   # small chunks: progress, and no idle core
        chunks = [range(start, min(start + size, len(misses))) for start in range(0, len(misses), size)]
        shares, done = [], 0
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending = pool.imap_unordered(_render_chunk, chunks)
                meanwhile()
                for share in pending:
                    shares.append(share)
                    done += len(share[0]) + len(share[1])
                    _report(progress, done, len(misses))
        finally:
            _SHARED.clear()
        for results, failed in shares:
            for index, content, info, reads in results:
                job, relative, key = misses[index]
                writer.claim(relative)
                if info is not None:                # else the spare already held these bytes
                    writer.record(relative, info, content)
                yield relative, key, reads, content
            for index in failed:                    # again here: an error then carries its template line
                yield _render_here(site, env, writer, misses[index], known)
        return
    for done, miss in enumerate(misses, 1):
        yield _render_here(site, env, writer, miss, known)
        if done % 50 == 0 or done == len(misses):
            _report(progress, done, len(misses))
    meanwhile()


def _render_here(site, env, writer: Writer, miss: tuple, known) -> tuple:
    """Render one page in this process into the writer: (output file, key, lookups, content digest)."""
    job, relative, key = miss
    data, reads = render_one(site, env, job, known)
    content = content_key(data)
    writer.write(relative, data, content)
    return relative, key, reads, content


def _report(progress, done: int, total: int) -> None:
    if progress is not None:
        progress("pages", done, total)


def _render_chunk(indexes: range) -> tuple[list, list]:
    """In a forked worker: render some pages straight into the spare tree.

    Returns what was written and the pages that failed (the parent renders those again)."""
    site, env, misses, known, writer = (_SHARED[name] for name in ("site", "env", "jobs", "known", "writer"))
    results, failed = [], []
    for index in indexes:
        job, relative, _ = misses[index]
        try:
            data, reads = render_one(site, env, job, known)
            content = content_key(data)
            held = writer.tree.files.get(relative)
            if held is not None and held[0] == content:
                results.append((index, content, None, reads))
                continue
            target = writer.spare / inside(relative)
            os.makedirs(target.parent, exist_ok=True)
            results.append((index, content, write_file(target, data), reads))
        except Exception:                           # noqa: BLE001 - the parent renders it again and reports it
            failed.append(index)
    return results, failed
