"""The build cache in ``.cache/``: converted bodies, parsed front matter, rendered pages
and the last build's stamp.

A body is reused only when its key matches (the code version, the base URL, the
file's place and the body text) *and* every link it resolved still resolves to
the same URL with the same problems: a post whose link target changed its slug,
or an attachment that disappeared, is converted again. Deleting ``.cache/`` only
makes the next build slower; ``--no-cache`` ignores it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

FOLDER = ".cache"
BODIES = "bodies.pickle"
FRONT_MATTER = "front-matter.pickle"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes whenever our code or the Markdown/sanitiser libraries change."""
    digest = hashlib.sha256()
    for file in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    for package in ("markdown", "nh3"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


def body_key(base_url: str, content_path: str, body: str, body_line: int) -> str:
    digest = hashlib.sha256()
    for part in (code_version(), base_url, content_path, str(body_line), body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class KeptValues:
    """Values kept between builds in one pickle file under ``.cache/``, by key.

    A build keeps what it read or added (so deleted posts leave the file), and the
    file is rewritten, atomically, only when that changed. A missing, damaged or
    older-code file is only slower. ``folder`` None: --no-cache, nothing is read or written.
    """
    folder: Path | None
    name: str = ""
    entries: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, site_root: Path, enabled: bool, name: str) -> "KeptValues":
        if not enabled:
            return cls(None, name)
        folder = site_root / FOLDER
        try:
            with open(folder / name, "rb") as handle:
                version, entries = pickle.load(handle)
            if version != code_version() or not isinstance(entries, dict):
                entries = {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            entries = {}
        return cls(folder, name, entries)

    def get(self, key):
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key, value) -> None:
        self.used[key] = value
        self.changed = True

    def save(self) -> None:
        if self.folder is None or not (self.changed or self.used.keys() != self.entries.keys()):
            return
        self.folder.mkdir(exist_ok=True)
        temporary = self.folder / f".{self.name}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump((code_version(), self.used), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / self.name)


def body_cache(site_root: Path, enabled: bool) -> KeptValues:
    """Converted bodies: body_key() -> markup.Body (with the link resolutions it was checked against)."""
    return KeptValues.open(site_root, enabled, BODIES)


def front_matter_cache(site_root: Path, enabled: bool) -> KeptValues:
    """Parsed front matter (load.Node trees), by the exact text between the ``---`` lines."""
    return KeptValues.open(site_root, enabled, FRONT_MATTER)


PAGES = "pages"


@dataclass
class PageCache:
    """Rendered pages in ``.cache/pages/``, one file per key (see :mod:`fingerprint`).

    Files are hard-linked into the output rather than copied, and never changed in
    place (a new key is a new file), so the output and the cache can share them.
    """
    folder: Path | None                          # None: no cache (--no-cache)
    used: set = field(default_factory=set)

    @classmethod
    def open(cls, site_root: Path, enabled: bool, output: Path) -> "PageCache":
        """One folder per output folder, so a build and the preview do not evict each other's pages."""
        return cls(site_root / FOLDER / PAGES / _short(str(output)) if enabled else None)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Path | None:
        """The cached file for ``key``, if there is one."""
        if self.folder is None:
            return None
        path = self.path(key)
        if path.is_file():
            self.used.add(key)
            return path
        return None

    def put(self, key: str, rendered: Path) -> None:
        """Keep the file just written at ``rendered`` under ``key``."""
        if self.folder is None:
            return
        from .write import link_or_copy
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{key}.{os.getpid()}")
        link_or_copy(rendered, temporary)
        os.replace(temporary, target)
        self.used.add(key)

    def prune(self, keep_days: int = 30) -> None:
        """Forget pages this build did not use (deleted posts, old versions), and the pages kept
        for other output folders that no build has touched for ``keep_days``."""
        if self.folder is None or not self.folder.is_dir():
            return
        for bucket in self.folder.iterdir():
            for file in bucket.iterdir() if bucket.is_dir() else ():
                if file.name not in self.used:
                    file.unlink(missing_ok=True)
        os.utime(self.folder)
        too_old = time.time() - keep_days * 86400
        for other in self.folder.parent.iterdir():
            if other != self.folder and other.is_dir() and other.stat().st_mtime < too_old:
                shutil.rmtree(other, ignore_errors=True)


def templates_version(folders: list) -> str:
    """Changes whenever a template file (the site's or the default theme's) changes."""
    digest = hashlib.sha256()
    for folder in folders:
        for file in sorted(Path(folder).rglob("*")):
            if file.is_file():
                digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    for package in ("jinja2", "babel"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- nothing changed: nothing to do

INPUTS = ("site.yaml", "content", "data", "templates", "static")


HASHED_UP_TO = 1 << 20          # files up to 1 MB (text) count by content; larger ones by size and time


def input_state(site_root: Path, theme_folders: tuple = ()) -> str:
    """A digest of every file the build reads: its name and content (or, past 1 MB, size and times).

    Content rather than modification times for the text editors write: two saves within
    the file system's clock tick would otherwise look the same.
    """
    digest = hashlib.blake2b(digest_size=20)

    def add(path: str, info: os.stat_result) -> None:
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        if info.st_size <= HASHED_UP_TO:
            with open(path, "rb") as handle:
                digest.update(hashlib.blake2b(handle.read(), digest_size=16).digest())
        else:
            digest.update(f"{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}".encode())

    def visit(path: str) -> None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except NotADirectoryError:
            add(path, os.stat(path))
            return
        except FileNotFoundError:
            return
        digest.update(f"{path}/\n".encode("utf-8", "surrogateescape"))
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                visit(entry.path)
            else:
                add(entry.path, entry.stat())

    for name in INPUTS:
        visit(str(site_root / name))
    for folder in theme_folders:
        visit(str(folder))
    return digest.hexdigest()


@dataclass
class Stamp:
    """What the last successful build was made from, and until when its output stays right."""
    key: tuple                     # input_state, options, output folder, code version
    output_id: tuple               # (inode, mtime) of the output folder it swapped in
    built_at: object               # datetime: the build's "now"
    valid_until: object            # datetime: a scheduled post becomes due, a post expires, a new day
    language: str
    pages: int
    files: int
    problems: list                 # warnings it reported (shown again when nothing is rebuilt)


def _short(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=6).hexdigest()


def _stamp_file(site_root: Path, output: Path) -> Path:
    return site_root / FOLDER / f"last-build-{_short(str(output))}.pickle"


def _output_id(output: Path) -> tuple:
    info = output.stat()
    return info.st_ino, info.st_mtime_ns


def fresh_stamp(site_root: Path, key: tuple, output: Path, now) -> Stamp | None:
    """The last build's stamp if its output is still exactly what a build would write now."""
    try:
        with open(_stamp_file(site_root, output), "rb") as handle:
            stamp = pickle.load(handle)
        if (isinstance(stamp, Stamp) and stamp.key == key and stamp.output_id == _output_id(output)
                and stamp.built_at <= now < stamp.valid_until):
            return stamp
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        pass
    return None


def forget_stamp(site_root: Path, output: Path) -> None:
    """The output was changed outside a full build: the next build must not trust it."""
    _stamp_file(site_root, output).unlink(missing_ok=True)


def save_stamp(site_root: Path, key: tuple, output: Path, built_at, valid_until, language: str,
               pages: int, files: int, problems: list) -> None:
    folder = site_root / FOLDER
    folder.mkdir(exist_ok=True)
    stamp = Stamp(key, _output_id(output), built_at, valid_until, language, pages, files, list(problems))
    target = _stamp_file(site_root, output)
    temporary = folder / f".{target.name}.{os.getpid()}"
    with open(temporary, "wb") as handle:
        pickle.dump(stamp, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)
