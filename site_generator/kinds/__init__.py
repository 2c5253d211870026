"""Content kinds: each has one home that says what it adds to a built site.

A kind is a module of this package with a ``KIND``: its pages (render jobs, which also make the
sitemap), its files (feeds, open data) and its entries in the catalogue of published
information. The pipeline and ``jobs`` loop over :data:`KINDS`; nothing else lists a kind's
pages or files. (Still elsewhere, to be moved here: each kind's schema, in ``schema``, and how
its model objects are built, in ``model`` and ``inspections``.)
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


def kinds() -> tuple[Kind, ...]:
    from . import posts, records
    return posts.KIND, records.KIND
