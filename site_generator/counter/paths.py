"""The set of published page paths, read from a built site: every index.html -> its URL path (but the web
editor's, admin/: it counts nothing).

The sub-path of base_url (``/tanduc/``) is read from the built pages' canonical
link, or given. The set is re-read (at most every 30 s) when an unknown path is
asked for, so a rebuild is picked up without a restart.

Every path asked about is first put in one canonical form (``spelling``): percent-escapes decoded
(a bad UTF-8 escape is refused), Unicode NFC, no query or fragment, ``.`` and ``..`` segments
resolved, repeated slashes folded, a final ``index.html`` dropped. ``/k%65t-qua/``, ``/%6Bet-qua/``,
``//ket-qua/./`` and ``/ket-qua/index.html`` are all the page ``/ket-qua/`` (and ``/ket-qua`` too, the
URL nginx redirects to it): one page, one row, however it is written.
"""
from __future__ import annotations

import html
import os
import re
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .. import urls as U

CANONICAL = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
HREF = re.compile(r"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
SAFE = "/:#?=&%~.-_"                    # as site_generator.urls.Urls.link
RESCAN_SECONDS = 30.0


def canonical_path(page: Path) -> str | None:
    try:
        head = page.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    tag = CANONICAL.search(head)
    href = tag and HREF.search(tag.group(0))
    if not href:
        return None
    return urlsplit(html.unescape(next(g for g in href.groups() if g is not None))).path or "/"


def _relative_folders(folder: Path):
    """The folders of ``folder`` holding a page (their index.html), but the web editor's (it counts nothing)."""
    for directory, dirs, files in os.walk(folder):
        rel = Path(directory).relative_to(folder).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel == U.admin():
            dirs.clear()
            continue
        if "index.html" in files:
            yield rel


def base_path_of(folder: Path) -> str:
    """The sub-path the site is published under, from a built page's canonical link ("/" when none)."""
    candidates = [""] + sorted(r for r in _relative_folders(folder) if r)[:20]
    for rel in candidates:
        path = canonical_path(folder / rel / "index.html")
        if path is None:
            continue
        path = unquote(path)
        if path.endswith(rel):
            prefix = path[:len(path) - len(rel)]
            return prefix if prefix.endswith("/") else prefix + "/"
    return "/"


def normalise_base_path(text: str) -> str:
    path = urlsplit(text).path if "://" in text else text
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


def published_paths(folder: Path, base_path: str | None = None) -> frozenset[str]:
    prefix = normalise_base_path(base_path) if base_path else base_path_of(folder)
    return frozenset(quote(prefix + rel, safe=SAFE) for rel in _relative_folders(folder))


def spelling(path: str) -> str | None:
    """The canonical (decoded, NFC) spelling of a URL path, or None when it cannot be a page's."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    try:
        path = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if not path.startswith("/") or not path.isprintable():
        return None
    segments: list[str] = []
    parts = path.split("/")[1:]
    for part in parts:
        if part == "..":
            if segments:
                segments.pop()
        elif part not in ("", "."):
            segments.append(part)
    if segments and segments[-1] == "index.html":
        segments.pop()
    elif parts[-1] not in ("", ".", ".."):                 # "/ket-qua": a file, or a folder without its slash
        return unicodedata.normalize("NFC", "/" + "/".join(segments))
    return unicodedata.normalize("NFC", "/" + "".join(s + "/" for s in segments))


def normalise(path: str) -> str:
    """The form paths are kept in: percent-encoded the way the generator writes links."""
    return quote(spelling(path) or unquote(path), safe=SAFE)


def _index(paths) -> dict[str, str]:
    """canonical spelling -> the published (stored) form."""
    index = {}
    for path in paths:
        key = spelling(path)
        if key is not None:
            index.setdefault(key, path)
    return index


def _lookup(index: dict[str, str], path: str) -> str | None:
    if not isinstance(path, str):
        return None
    if index.get(path) == path:                         # as published (what the page script sends)
        return path
    key = spelling(path)
    if key is None:
        return None
    return index.get(key) or (None if key.endswith("/") else index.get(key + "/"))


class PageSet:
    """Thread-safe membership test over a built site's pages, re-read on a miss (throttled)."""

    def __init__(self, folder: Path, base_path: str | None = None, clock=time.monotonic):
        self.folder, self.base_path, self._clock = Path(folder), base_path, clock
        self._lock = threading.Lock()
        self._set(published_paths(self.folder, base_path))
        self._scanned = clock()

    def _set(self, paths: frozenset[str]) -> None:
        self.paths, self._index = paths, _index(paths)

    def canonical(self, path: str) -> str | None:
        """The published form of the page ``path`` names (however it is spelled), or None."""
        found = _lookup(self._index, path)
        if found is not None:
            return found
        with self._lock:
            if self._clock() - self._scanned >= RESCAN_SECONDS:
                self._scanned = self._clock()
                self._set(published_paths(self.folder, self.base_path))
        return _lookup(self._index, path)

    def __contains__(self, path: str) -> bool:
        return self.canonical(path) is not None

    def __len__(self) -> int:
        return len(self.paths)


class FixedPages:
    """A given set of paths (tests, the embedded preview)."""

    def __init__(self, paths):
        self.paths = frozenset(normalise(p) for p in paths)
        self._index = _index(self.paths)

    def canonical(self, path: str) -> str | None:
        return _lookup(self._index, path)

    def __contains__(self, path: str) -> bool:
        return self.canonical(path) is not None

    def __len__(self) -> int:
        return len(self.paths)
