"""The build cache in ``.cache/``: converted bodies and parsed front matter; and where the
page cache, the output trees' manifests and the stamp of each output folder live.

A body is reused only when its key matches (the code version, the base URL, the
file's place and the body text) *and* every link it resolved still resolves to
the same URL with the same problems: a post whose link target changed its slug,
or an attachment that disappeared, is converted again. Deleting ``.cache/`` only
makes the next build slower; ``--no-cache`` ignores it.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import sealed

FOLDER = ".cache"
BODIES = "bodies.pickle"
FRONT_MATTER = "front-matter.pickle"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes whenever our code or the libraries that shape the output (Markdown, sanitiser, minifiers,
    the PDF and Word readers that give attachments' pages and text, the list of communes) change."""
    digest = hashlib.sha256()
    for file in sorted(Path(__file__).parent.rglob("*.py")):       # kinds/ and counter/ too
        digest.update(file.relative_to(Path(__file__).parent).as_posix().encode())
        digest.update(file.read_bytes())
    for package in ("markdown", "nh3", "rcssmin", "rjsmin", "pypdf", "mammoth",     # pypdf, mammoth: attachments' text
                    "vietnam-provinces"):                                          # communes' official names
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
    version: str = ""

    @classmethod
    def open(cls, site_root: Path, enabled: bool, name: str, version: str | None = None) -> "KeptValues":
        """``version``: what the kept values were computed by (default: all our code, code_version())."""
        version = code_version() if version is None else version
        if not enabled:
            return cls(None, name, version=version)
        folder = site_root / FOLDER
        return cls(folder, name, _entries(folder / name, version), version=version)

    def get(self, key):
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def peek(self, key):
        """The value kept for ``key`` (by the last build, or put in this one), without keeping it for the next."""
        value = self.used.get(key)
        return self.entries.get(key) if value is None else value

    def put(self, key, value) -> None:
        self.used[key] = value
        self.changed = True

    def save(self) -> None:
        if self.folder is None or not (self.changed or self.used.keys() != self.entries.keys()):
            return
        sealed.dump(self.folder / self.name, (self.version, self.used))


def _entries(path: Path, version: str) -> dict:
    """The values a file of kept values holds, when ``version`` wrote it (else none)."""
    kept = sealed.load(path)
    found, entries = kept if isinstance(kept, tuple) and len(kept) == 2 else (None, None)
    return entries if found == version and isinstance(entries, dict) else {}


class ShardedValues(KeptValues):
    """Kept values in ``SHARDS`` files by their key (a str or bytes digest), so that a build that changes a
    few values rewrites a few small files, not one as big as all of them."""
    SHARDS = 64                                # at 4,000 posts, a body shard of about 250 KB

    @classmethod
    def open(cls, site_root: Path, enabled: bool, name: str, version: str | None = None) -> "ShardedValues":
        version = code_version() if version is None else version
        if not enabled:
            return cls(None, name, version=version)
        folder, entries = site_root / FOLDER, {}
        for shard in range(cls.SHARDS):
            entries.update(_entries(folder / f"{name}.{shard}", version))
        return cls(folder, name, entries, version=version)

    @classmethod
    def shard(cls, key) -> int:
        return zlib.crc32(key if isinstance(key, bytes) else str(key).encode("utf-8", "surrogatepass")) % cls.SHARDS

    def put(self, key, value) -> None:
        super().put(key, value)
        self.entries.pop(key, None)            # its shard differs from what the file holds: rewritten

    def save(self) -> None:
        if self.folder is None:
            return
        kept = [{} for _ in range(self.SHARDS)]
        for key, value in self.used.items():
            kept[self.shard(key)][key] = value
        held = [set() for _ in range(self.SHARDS)]
        for key in self.entries:
            held[self.shard(key)].add(key)
        for shard, values in enumerate(kept):
            if values.keys() != held[shard]:
                sealed.dump(self.folder / f"{self.name}.{shard}", (self.version, values))
        (self.folder / self.name).unlink(missing_ok=True)      # the one file of earlier versions


def body_cache(site_root: Path, enabled: bool) -> KeptValues:
    """Converted bodies: body_key() -> markup.Body (with the link resolutions it was checked against)."""
    return ShardedValues.open(site_root, enabled, BODIES)


def front_matter_cache(site_root: Path, enabled: bool) -> "LazyValues":
    """Parsed front matter (load.Node trees), by the digest of the text between the ``---`` lines
    (load.Document.front_digest); read from disk on first use (a build whose validated documents are all
    remembered parses none)."""
    return LazyValues(site_root, enabled, FRONT_MATTER)


class LazyValues:
    """A :class:`KeptValues` opened on its first ``get`` or ``put``; one never used leaves its file as it is."""

    def __init__(self, site_root: Path, enabled: bool, name: str):
        self._open = lambda: KeptValues.open(site_root, enabled, name)
        self._kept: KeptValues | None = None

    def _values(self) -> KeptValues:
        if self._kept is None:
            self._kept = self._open()
        return self._kept

    def get(self, key):
        return self._values().get(key)

    def put(self, key, value) -> None:
        self._values().put(key, value)

    def save(self, keep=()) -> None:
        """Write what was used, and the values of the keys ``keep`` (they are still wanted; if the file was
        never opened, it stays as it is)."""
        if self._kept is not None:
            entries, used = self._kept.entries, self._kept.used
            used.update((key, entries[key]) for key in keep if key in entries and key not in used)
            self._kept.save()


def search_cache(site_root: Path, enabled: bool) -> KeptValues:
    """The search index's words and snippet of each entry (search._made), by the digest of their sources."""
    return ShardedValues.open(site_root, enabled, "search.pickle")


def search_postings(site_root: Path, enabled: bool) -> KeptValues:
    """The last build's search postings (search._kept_postings), with the digests of its entries' sources."""
    return KeptValues.open(site_root, enabled, "search-postings.pickle")


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


_LEFTOVER = re.compile(r"\.[^/]+\.(\d+)")     # sealed.dump's and the compiled templates' temporary ".NAME.PID"
LEFTOVER_SECONDS = 3600


def sweep(site_root: Path) -> int:
    """Remove what killed builds left in ``.cache/`` and its folders: temporary files (``.NAME.PID``) an hour
    old whose process is gone. Returns how many were removed."""
    removed, top, old = 0, site_root / FOLDER, time.time() - LEFTOVER_SECONDS
    folders = [top]
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if folder is top and entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
                continue
            match = _LEFTOVER.fullmatch(entry.name)
            try:
                if match and entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < old \
                        and not _alive(int(match.group(1))):
                    os.unlink(entry.path)
                    removed += 1
            except (OSError, OverflowError):
                continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):      # someone else's, or not a number we can ask about: left alone
        pass
    return True


def jinja_folder(site_root: Path) -> Path:
    """Compiled templates (Jinja2 checks each against its source before using it; sealed.BytecodeCache)."""
    folder = site_root / FOLDER / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def output_state(site_root: Path, output: Path) -> Path:
    """The folder that keeps what the builds into ``output`` need: its pages, trees and stamp."""
    return site_root / FOLDER / f"output-{_short(str(output))}"


def _short(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=6).hexdigest()


RECENT_SECONDS = 2.0     # a file changed this recently may change again within the same clock tick


def content_key(data: bytes) -> bytes:
    """The digest of some bytes: what the output trees and the page cache know a file's content by (SHA-256,
    cut to 16 bytes: most CPUs have it in hardware, about three times BLAKE2b's speed on a page)."""
    return hashlib.sha256(data).digest()[:16]


def bytes_digest(path: Path) -> bytes:
    """content_key() of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()[:16]


def file_key(path: Path, info: os.stat_result, now: float) -> bytes:
    """A digest that changes whenever the file's bytes do, read only when it must be.

    A file last changed a while ago is known by what the file system says of it (device,
    inode, size, modification and change times: the change time cannot be set by any program
    and moves on every write). A file changed within the last seconds is read and hashed: a
    second write in the same clock tick could leave those numbers as they were.
    """
    if info.st_ctime_ns < (now - RECENT_SECONDS) * 1e9 and info.st_mtime_ns < (now - RECENT_SECONDS) * 1e9:
        text = f"stat:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"
        return content_key(text.encode())
    return b"content:" + bytes_digest(path)


class FileMemo(KeptValues):
    """What a function of one file's bytes returned, computed again only when file_key() says
    the file changed (or moved: its path is part of the key)."""

    def of(self, path, compute, info: os.stat_result | None = None):
        """``compute(path)``, or what it gave last time; ``info``: the file's ``stat`` when the caller has it."""
        key = file_key(path, info or os.stat(path), self.started) + os.fsencode(path)
        found = self.get(key)
        if found is None:
            found = compute(path)
            self.put(key, found)
        return found


def file_memo(site_root: Path, enabled: bool, name: str) -> FileMemo:
    memo = FileMemo.open(site_root, enabled, name)
    memo.started = time.time()
    return memo


def file_digests(site_root: Path, enabled: bool) -> FileMemo:
    """The bytes_digest() of copied files."""
    return file_memo(site_root, enabled, "file-digests.pickle")


def attachment_cache(site_root: Path, enabled: bool) -> FileMemo:
    """Facts of attachments (SHA-256, PDF pages)."""
    return file_memo(site_root, enabled, "attachments.pickle")


def attachment_text_cache(site_root: Path, enabled: bool, version: str) -> KeptValues:
    """The text of PDF and Word attachments (attachtext.extract), by the file's SHA-256 and kind; versioned by
    the extractor alone (``version``: attachtext.version()), so other code changes do not read every PDF again."""
    return KeptValues.open(site_root, enabled, "attachment-text.pickle", version)


def meta_cache(site_root: Path, enabled: bool) -> KeptValues:
    """Validated front matter (validate.Meta and its problems), by the document's place, the digest of
    its front matter's text and the configuration."""
    return KeptValues.open(site_root, enabled, "metas.pickle")
