"""Rendered pages kept between builds, each with the lookups it made (see :mod:`tracking`).

One entry per output file: the page's key (code, templates, template name, context), the
lookups it made on the model, a digest of what they returned, and the digest of its bytes.
A build reuses the page only when the key is the same and every lookup, replayed on the new
model, returns the same; the bytes themselves are not kept here but in the output trees
(:mod:`write` takes them from there). Deleting ``.cache/`` only makes the next build slower.
"""
from __future__ import annotations

import hashlib
import os
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from . import sealed
from .tracking import DIGEST_SIZE, Replay, is_unmatched

HELPER_SHARE = 0.36        # of the kept lookups a second process replays (see PageCache.share)
SHARED_FROM = 4096          # lookups: fewer are replayed here alone


@dataclass
class PageCache:
    path: Path | None                                   # None: --no-cache
    version: str = ""
    table: list = field(default_factory=list)          # lookups, by number
    entries: dict = field(default_factory=dict)        # output file -> (key, lookups as array bytes, digest, content)
    used: dict = field(default_factory=dict)
    _numbers: dict | None = None
    _values: list = field(default_factory=list)         # this build's digest of each lookup, by number

    _base: tuple = ((), {}, b"")                        # what the file at ``path`` holds: table, entries, token

    @classmethod
    def open(cls, path: Path | None, version: str) -> "PageCache":
        """The pages kept at ``path``, and the changes since, kept beside it (see :meth:`save`)."""
        cache = cls(path, version)
        if path is None:
            return cache
        kept = sealed.load(path)
        if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == version and isinstance(kept[2], dict)):
            return cache
        _, table, entries, token = kept
        cache._base = (table, entries, token)
        cache.table, cache.entries = list(table), dict(entries)
        changes = sealed.load(_changes_file(path))
        if isinstance(changes, tuple) and len(changes) == 5 and changes[:2] == (version, token):
            _, _, tail, changed, removed = changes
            cache.table.extend(tail)
            cache.entries.update(changed)
            for relative in removed:
                cache.entries.pop(relative, None)
        return cache

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def share(self, helper) -> tuple | None:
        """Have ``helper`` (background.start(cache=self, replay=...), forked with this cache open) replay the
        last part of the kept lookups now; :meth:`replay` takes what it found. None: nothing shared."""
        if self.path is None or len(self.table) < SHARED_FROM:
            return None
        split = len(self.table) - int(len(self.table) * HELPER_SHARE)
        return split, helper.call(_replayed, split, len(self.table))

    def replay(self, replay: Replay, shared: tuple | None = None) -> None:
        """Replay every lookup kept, at once (each page's lookups are then a few list indexes); ``shared``:
        what :meth:`share` gave, the part a helper replays meanwhile."""
        if shared is None:
            self._values = replay.digest_all(self.table)
            return
        split, pending = shared
        values = replay.digest_all(self.table[:split])
        theirs = pending.get()
        if len(theirs) != DIGEST_SIZE * (len(self.table) - split):
            raise RuntimeError("the helper replayed another table")
        values.extend(theirs[at:at + DIGEST_SIZE] for at in range(0, len(theirs), DIGEST_SIZE))
        self._values = values

    def lookup(self, relative: str, key: bytes, replay: Replay) -> bytes | None:
        """The content digest of the page kept for ``relative`` if it is still the page to show."""
        entry = self.entries.get(relative)
        if entry is None or entry[0] != key:
            return None
        numbers = array("I")
        numbers.frombytes(entry[1])
        if self._combined(numbers, replay) != entry[2]:
            return None
        self.used[relative] = entry
        return entry[3]

    def store(self, relative: str, key: bytes, reads, replay: Replay, content: bytes) -> bool:
        """Keep a page just rendered: its key, its lookups and what they returned.

        Returns False when some lookup cannot be replayed (the page will be rendered every build)."""
        if self.path is None:
            return True
        if self._numbers is None:
            self._numbers = {read: number for number, read in enumerate(self.table)}
        numbers = array("I")
        for read in reads:
            number = self._numbers.get(read)
            if number is None:
                number = self._numbers[read] = len(self.table)
                self.table.append(read)
            numbers.append(number)
        self.used[relative] = (key, numbers.tobytes(), self._combined(numbers, replay), content)
        return not any(is_unmatched(self._values[n]) for n in numbers)

    def _combined(self, numbers, replay: Replay) -> bytes:
        """One digest of what the lookups ``numbers`` return in this build (each replayed once)."""
        values = self._values
        if len(values) < len(self.table):
            values.extend([None] * (len(self.table) - len(values)))
        try:
            return _combine([values[number] for number in numbers])
        except TypeError:                      # some not replayed yet (None)
            for number in numbers:
                if values[number] is None:
                    values[number] = replay.digest(self.table[number])
            return _combine([values[number] for number in numbers])

    def save(self) -> None:
        """Keep the entries this build used (pages of deleted posts are forgotten).

        When they differ from the main file in a few pages, only those go to a second, small file
        (the changes since the main file, all of them): a build's save grows with what changed."""
        if self.path is None:
            return
        table, entries, token = self._base
        if entries and len(self.table) - len(table) < len(table) // 8 + 64:
            changed = {relative: entry for relative, entry in self.used.items() if entries.get(relative) != entry}
            removed = tuple(relative for relative in entries if relative not in self.used)
            if len(changed) + len(removed) < len(entries) // 8 + 16:
                sealed.dump(_changes_file(self.path), (self.version, token, self.table[len(table):], changed, removed))
                return
        table, used = self.table, self.used
        if len(table) > 2 * 1024 and self._live_reads() * 2 < len(table):
            table, used = self._compacted()
        sealed.dump(self.path, (self.version, table, used, os.urandom(16)))
        _changes_file(self.path).unlink(missing_ok=True)

    def _live_reads(self) -> int:
        live = set()
        for entry in self.used.values():
            numbers = array("I")
            numbers.frombytes(entry[1])
            live.update(numbers)
        return len(live)

    def _compacted(self) -> tuple:
        """Renumber the lookups the kept pages use, dropping the rest."""
        renumber: dict = {}
        table, used = [], {}
        for relative, (key, raw, digest, content) in self.used.items():
            numbers = array("I")
            numbers.frombytes(raw)
            new = array("I")
            for number in numbers:
                if number not in renumber:
                    renumber[number] = len(table)
                    table.append(self.table[number])
                new.append(renumber[number])
            used[relative] = (key, new.tobytes(), digest, content)
        return table, used


def _replayed(shared: dict, start: int, stop: int) -> bytes:
    """In the helper: the digests of the kept lookups ``start`` to ``stop``, joined (each DIGEST_SIZE bytes)."""
    return b"".join(shared["replay"].digest_all(shared["cache"].table[start:stop]))


def _changes_file(path: Path) -> Path:
    return path.with_name(f"{path.stem}.changes{path.suffix}")


def _combine(digests) -> bytes:
    return hashlib.sha256(b"".join(digests)).digest()[:16]
