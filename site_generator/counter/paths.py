"""The set of published page paths, read from a built site: every index.html -> its URL path.

The sub-path of base_url (``/tanduc/``) is read from the built pages' canonical
link, or given. The set is re-read (at most every 30 s) when an unknown path is
asked for, so a rebuild is picked up without a restart.
"""
from __future__ import annotations

import html
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

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
    for directory, _dirs, files in os.walk(folder):
        if "index.html" in files:
            rel = Path(directory).relative_to(folder).as_posix()
            yield "" if rel == "." else rel + "/"


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


def normalise(path: str) -> str:
    """The form paths are kept in: percent-encoded the way the generator writes links."""
    return quote(unquote(path), safe=SAFE)


class PageSet:
    """Thread-safe membership test over a built site's pages, re-read on a miss (throttled)."""

    def __init__(self, folder: Path, base_path: str | None = None, clock=time.monotonic):
        self.folder, self.base_path, self._clock = Path(folder), base_path, clock
        self._lock = threading.Lock()
        self.paths = published_paths(self.folder, base_path)
        self._scanned = clock()

    def __contains__(self, path: str) -> bool:
        key = normalise(path)
        if key in self.paths:
            return True
        with self._lock:
            if self._clock() - self._scanned >= RESCAN_SECONDS:
                self._scanned = self._clock()
                self.paths = published_paths(self.folder, self.base_path)
        return key in self.paths

    def __len__(self) -> int:
        return len(self.paths)


class FixedPages:
    """A given set of paths (tests, the embedded preview)."""

    def __init__(self, paths):
        self.paths = frozenset(normalise(p) for p in paths)

    def __contains__(self, path: str) -> bool:
        return normalise(path) in self.paths

    def __len__(self) -> int:
        return len(self.paths)
