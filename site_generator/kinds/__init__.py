"""Content kinds: each has one home that says what it adds to a built site.

A kind is a module of this package with a ``KIND``: its pages (render jobs, which also make the
sitemap), its files (feeds, open data) and its entries in the catalogue of published
information; and, when it needs them, how its model objects are built from the posts (``build``)
and the rules that need every file of the kind (``check``). The pipeline and ``jobs`` loop over
:func:`kinds`; nothing else lists a kind's pages or files. (Still elsewhere, to be moved here:
each kind's front-matter schema, in ``schema``/``validate``, and the posts' own model, in
``model``.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator


@dataclass(frozen=True)
class Kind:
    name: str
    pages: Callable[..., Iterator[tuple]]                   # (site) -> render jobs, in sitemap order
    files: Callable[..., Iterator[tuple[str, bytes]]]       # (site) -> (output path, bytes): feeds, open data
    catalogue: Callable[..., list]                          # (site) -> model.CatalogueEntry list
    build: Callable[..., None] | None = None                # (site) -> None: adds its model objects to the site
    check: Callable[..., None] | None = None                # (cfg, documents, metas, now, problems): site-wide rules


def kinds() -> tuple[Kind, ...]:
    """In the order they build (records before documents: documents link the records that cite them)."""
    from . import documents, posts, records
    return posts.KIND, records.KIND, documents.KIND
