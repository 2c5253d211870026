"""Rendered pages kept between builds, each with the lookups it made (see :mod:`tracking`).

One entry per output file: the page's key (code, templates, template name, context), the
lookups it made on the model, a digest of what they returned, and the digest of its bytes.
A build reuses the page only when the key is the same and every lookup, replayed on the new
model, returns the same; the bytes themselves are not kept here but in the output trees
(:mod:`write` takes them from there). Deleting ``.cache/`` only makes the next build slower.
"""
from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from . import sealed
from .tracking import Replay, is_unmatched


@dataclass
class PageCache:
    path: Path | None                                   # None: --no-cache
    version: str = ""
    table: list = field(default_factory=list)          # lookups, by number
    entries: dict = field(default_factory=dict)        # output file -> (key, lookups as array bytes, digest, content)
    used: dict = field(default_factory=dict)
    _numbers: dict | None = None
    _values: list = field(default_factory=list)         # this build's digest of each lookup, by number

    @classmethod
    def open(cls, path: Path | None, version: str) -> "PageCache":
        cache = cls(path, version)
        if path is None:
            return cache
        kept = sealed.load(path)
        if isinstance(kept, tuple) and len(kept) == 3 and kept[0] == version and isinstance(kept[2], dict):
            cache.table, cache.entries = kept[1], kept[2]
        return cache

    @property
    def enabled(self) -> bool:
        return self.path is not None

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
        parts = []
        for number in numbers:
            found = values[number]
            if found is None:
                found = values[number] = replay.digest(self.table[number])
            parts.append(found)
        return _combine(parts)

    def save(self) -> None:
        """Write the entries this build used (pages of deleted posts are forgotten)."""
        if self.path is None:
            return
        table, used = self.table, self.used
        if len(table) > 2 * 1024 and self._live_reads() * 2 < len(table):
            table, used = self._compacted()
        sealed.dump(self.path, (self.version, table, used))

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


def _combine(digests) -> bytes:
    return hashlib.blake2b(b"".join(digests), digest_size=16).digest()
