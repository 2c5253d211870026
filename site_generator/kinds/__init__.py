"""Content kinds: each has one home that says what it adds to a built site.

A kind is a module of this package with a ``KIND``. It declares:

- ``sections``: the ``kind:`` values of ``site.yaml`` sections whose files it owns, each with its
  front-matter schema (so its validation and its part of the editors' reference), the typed block
  its files carry (``Meta.data``), its default title and slug, the slugs its section's own pages take, and
  the extra words search finds its files by (:class:`SectionKind`);
- ``data``: the ``data/*.yaml`` files it reads, with their schema (:class:`DataFile`);
- ``build``: how its model objects are made from the validated files (added to the Site);
- ``check``: the rules that need every file of the kind;
- ``pages``: its render jobs, which also make the sitemap; ``files``: its feeds and open data;
  ``catalogue``: its entries in the catalogue of published information; ``home``: what it adds to
  the home page's context; ``messages``: the sentences of the problems it reports (see messages).

The pipeline, ``validate``, ``model.plan``, ``jobs``, ``search`` and the reference docs loop over
:func:`kinds`; nothing else lists a kind's schema, pages or files.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Iterator


@dataclass(frozen=True)
class SectionKind:
    """What a section of ``kind: <name>`` in site.yaml holds."""
    name: str                                   # the value of ``kind:``
    title: str                                  # its heading in the editors' reference
    about: str                                  # what it is, in a few words (the reference of ``kind:``)
    schema: object                              # schema.Schema of its files' front matter
    post_kind: str                              # Post.kind of its files
    block: Callable | None = None               # (values, doc, lines, problems) -> Meta.data
    defaults: Callable | None = None            # (values) -> {"title": ..., "slug": ...} when the file has none
    reserved: frozenset = frozenset()           # slugs its section's own pages use ("trang" is always)
    on_home: bool = True                        # its newest files are listed on the home page
    words: Callable | None = None               # (post) -> more text that search finds the file by
    number: Callable | None = None              # (post) -> its number ("45/KH-UBND"): found exactly, ranked first
    label: str = ""                             # what search calls its files (a filter: "Văn bản")
    new: Callable | None = None                 # (quoted title, slug, now, cfg) -> (file name, text): `build.py new`
    file_name: str = "{{year}}-{{month}}-{{day}}-{{slug}}"   # a new file's name in the web editor (Decap's template)
    identifier: str = "title"                   # the field that names a new file there (``{{slug}}``)
    placeholders: tuple = ()                    # sentences its starter writes for the editor to replace (checks)


@dataclass(frozen=True)
class DataFile:
    """A ``data/<name>`` file a kind reads; ``read(node, problems, assets)`` validates it into ``Site.data``."""
    name: str
    title: str
    schema: object
    read: Callable
    label: str = ""                             # its name in the web editor ("Lãnh đạo")


@dataclass(frozen=True)
class Kind:
    name: str
    pages: Callable[..., Iterator[tuple]]                   # (site) -> render jobs, in sitemap order
    files: Callable[..., Iterator[tuple[str, bytes]]]       # (site) -> (output path, bytes): feeds, open data
    catalogue: Callable[..., list]                          # (site) -> model.CatalogueEntry list
    build: Callable[..., None] | None = None                # (site) -> None: adds its model objects to the site
    check: Callable[..., None] | None = None                # (cfg, documents, metas, data, now, problems): site-wide rules
    sections: tuple = ()                                    # SectionKind
    data: tuple = ()                                        # DataFile
    home: Callable[..., dict] | None = None                 # (site) -> more context for home.html
    folders: tuple = ()                                     # top folders of the output it owns (no section takes them)
    messages: dict = field(default_factory=dict)            # problem code -> {"vi": (what, fix), "en": (...)}


def kinds() -> tuple[Kind, ...]:
    """In the order they build (records before documents: documents link the records that cite them)."""
    from . import documents, leaders, posts, records, schedule
    return posts.KIND, records.KIND, documents.KIND, schedule.KIND, leaders.KIND


@functools.cache
def section_kinds() -> dict:
    """``kind:`` value -> SectionKind, over every kind."""
    return {s.name: s for kind in kinds() for s in kind.sections}


def section_kind(name: str) -> SectionKind:
    """The SectionKind of a section's ``kind:`` (posts for an unknown one: validate reports it)."""
    found = section_kinds()
    return found.get(name) or found["posts"]


@functools.cache
def data_files() -> dict:
    """``data/`` file name -> DataFile, over every kind."""
    return {d.name: d for kind in kinds() for d in kind.data}
