"""Stage 5: the one writer of the output folder.

Everything is written into a staging folder beside the output; only when the
whole site is there does :meth:`Writer.commit` swap it in (two renames), so a
failed build leaves the last good site exactly as it was.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


class OutputCollision(RuntimeError):
    """Two outputs claimed one path: a bug in the generator (editors' collisions are problems)."""


class Writer:
    def __init__(self, output: Path):
        self.output = output.resolve()
        self.staging = self.output.parent / f".{self.output.name}.building-{os.getpid()}"
        self.written: set[str] = set()
        self._made: set[Path] = set()

    def __enter__(self) -> "Writer":
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.staging.exists():          # not committed: throw the half-built site away
            shutil.rmtree(self.staging, ignore_errors=True)

    def _target(self, relative: str) -> Path:
        if relative in self.written:
            raise OutputCollision(relative)
        self.written.add(relative)
        target = self.staging / relative
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        return target

    def claim(self, relative: str) -> None:
        """Record a file another process wrote into the staging folder (refusing a path twice)."""
        self._target(relative)

    def write(self, relative: str, data: bytes) -> None:
        with open(self._target(relative), "wb") as handle:
            handle.write(data)

    def copy(self, relative: str, source: Path) -> None:
        shutil.copy2(source, self._target(relative))

    def link(self, relative: str, source: Path) -> None:
        """Put an unchanged file in place without copying it: a hard link, or a copy across devices."""
        link_or_copy(source, self._target(relative))

    def commit(self) -> None:
        """Swap the staging folder in; the previous output is removed only after the swap."""
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            os.replace(self.output, old)
        os.replace(self.staging, self.output)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target`` (both stay valid when either is replaced); copy if links fail."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
