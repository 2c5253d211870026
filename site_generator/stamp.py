"""The last build's stamp: when nothing it was made from has changed, there is nothing to build.

The stamp holds a digest of every input file (its name and bytes), the options and the code;
the output tree it swapped in; and until when that output stays right by itself (a scheduled post becomes due, a post expires, a new day turns findings
overdue). A build with the same digest, at a time inside that window, whose output tree is
still exactly what the build wrote (:func:`write.intact`), says so and stops.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import sealed
from .cache import bytes_digest

INPUTS = ("site.yaml", "content", "data", "templates", "static")
FILE = "stamp.pickle"


def input_state(site_root: Path, theme_folders: tuple, digests) -> str:
    """A digest of every file the build reads: its name and the digest of its bytes, taken from
    ``digests`` (a cache.FileMemo: a file is read again only when the file system says it changed,
    or changed within the last seconds, so two saves in one clock tick cannot look the same).

    Nothing is followed: a symbolic link counts by what it says and where it leads (the build
    reads only links to files inside the same folder, and those files count on their own), a
    device or pipe by its type, never read.
    """
    digest = hashlib.blake2b(digest_size=20)

    def add(path: str, info: os.stat_result) -> None:
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        if stat.S_ISREG(info.st_mode):
            digest.update(digests.of(path, bytes_digest, info))             # a regular file: lstat is its stat
        elif stat.S_ISLNK(info.st_mode):
            digest.update(b"link\0" + os.fsencode(os.readlink(path)) + b"\0" + os.fsencode(os.path.realpath(path)))
        else:
            digest.update(f"special {info.st_mode}".encode())

    def visit(path: str) -> None:
        try:
            info = os.lstat(path)
        except OSError:
            return
        if not stat.S_ISDIR(info.st_mode):
            add(path, info)
            return
        digest.update(f"{path}/\n".encode("utf-8", "surrogateescape"))
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            digest.update(b"unreadable")
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                visit(entry.path)
            else:
                add(entry.path, entry.stat(follow_symlinks=False))

    for name in INPUTS:
        visit(str(site_root / name))
    for folder in theme_folders:
        visit(str(folder))
    return digest.hexdigest()


@dataclass
class Stamp:
    """What the last successful build was made from, and until when its output stays right."""
    key: tuple                     # input_state, options, code version
    tree: tuple                    # (device, inode) of the output folder it swapped in
    built_at: object               # datetime: the build's "now"
    valid_until: object            # datetime: a scheduled post becomes due, a post expires, a new day
    language: str
    pages: int
    files: int
    problems: list                 # warnings it reported (shown again when nothing is rebuilt)
    left_out: tuple = (0, 0)       # drafts and scheduled posts it left out (said again too)


def _tree(output: Path) -> tuple | None:
    try:
        info = os.lstat(output)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def fresh(state: Path, key: tuple, output: Path, now, intact) -> Stamp | None:
    """The last build's stamp if its output is still exactly what a build would write now.

    ``intact()``: whether the output tree still holds exactly what that build wrote.
    """
    stamp = sealed.load(state / FILE)
    try:
        if (isinstance(stamp, Stamp) and stamp.key == key and stamp.tree == _tree(output)
                and stamp.built_at <= now < stamp.valid_until and intact()):
            return stamp
    except TypeError:                          # a stamp of an older shape
        pass
    return None


def forget(state: Path) -> None:
    """The output was changed outside a full build: the next build must not trust it."""
    (state / FILE).unlink(missing_ok=True)


def save(state: Path, key: tuple, output: Path, built_at, valid_until, language: str, pages: int, files: int,
         problems: list, left_out: tuple = (0, 0)) -> None:
    sealed.dump(state / FILE, Stamp(key, _tree(output), built_at, valid_until, language, pages, files, list(problems),
                                    tuple(left_out)))
