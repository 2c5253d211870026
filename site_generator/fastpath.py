"""The preview's fast path: one edited post's page rewritten in place, before the full build.

The editor sees the post at once; the full (cached) build that follows brings every list,
feed and neighbour up to date. It sits beside the pipeline and only the preview calls it.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from . import cache, load, markup, render, stamp, validate
from .kinds import posts
from .pipeline import Report
from .problems import Problems


def update_post(root: Path, previous: Report, file: Path) -> str | None:
    """Re-render, in the last build's output, the page of one post whose text changed.

    Returns the output file written, or None when the change needs the full build first
    (new address, tags, dates, attachments...) or has problems to show.
    """
    site, output = previous.site, previous.output
    if site is None or previous.env is None or previous.links is None or output is None or not previous.written:
        return None
    path = load.rel(root, file)
    old = next((p for p in site.posts if p.source == path), None)
    problems = Problems()
    regular = file.is_file() and not file.is_symlink()         # anything else: the full build decides
    doc = load.read_document(root, file, problems) if old is not None and regular else None
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
    relative, data = render.render_job(site, previous.env, posts.post_job(site, post))
    stamp.forget(cache.output_state(root, output))   # the output no longer matches the last full build
    target = output / relative
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return relative
