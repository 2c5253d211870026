"""The day's secret key for visitor hashes: never in the database, gone when the day is over.

Visitor keys are BLAKE2b hashes keyed with a secret of the day. Kept in the database beside the keys
(as before), anyone with a copy of the database could test a known IP and User-Agent against the
day's keys. So the secret lives in its own small file (mode 0600, by default in a memory file system:
systemd's RuntimeDirectory, $XDG_RUNTIME_DIR or /dev/shm), which every process of the endpoint reads
so that gunicorn's workers (and, with a copy of the file, several machines) agree:

    2026-11-27 <64 hex digits>

When the day changes (checked on every request and by the periodic cleanup, so on time even without
traffic), the key is replaced by a one-way hash of itself (a ratchet): the new day's key follows from
the old one, so processes and machines stay in step without talking, and the old key cannot be
computed back from the new one. Nothing is written for a clock that went back: an earlier day gets a
key derived from the file's (the counts of that day are not affected: its visitor keys are deleted).
Without a file (``path=None``: the dev server, tests) the key is made and kept in this process only.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import tempfile
import threading
from pathlib import Path

from .store import StoreError


class SaltError(StoreError):
    """The key file cannot be used (wrong owner or mode, unreadable, garbage)."""


def next_key(key: bytes) -> bytes:
    return hashlib.blake2b(key, digest_size=32, person=b"counter-next-day").digest()


def default_path(identity: str) -> Path:
    """A file in a memory file system when there is one, named after the store (one key per store)."""
    name = "site-generator-counter-" + hashlib.blake2b(identity.encode(), digest_size=8).hexdigest() + ".key"
    for folder in ((os.environ.get("RUNTIME_DIRECTORY") or "").split(":")[0], os.environ.get("XDG_RUNTIME_DIR"),
                   "/dev/shm"):
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return Path(folder) / name
    return Path(tempfile.gettempdir()) / name


class DailySalt:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else None
        self._cache: tuple[str, bytes] | None = None
        self._lock = threading.Lock()

    def for_day(self, day: str) -> bytes:
        cached = self._cache
        if cached is not None and cached[0] == day:
            return cached[1]
        with self._lock:
            if self._cache is None or self._cache[0] != day:
                # without a file: a new random key each day, the old one dropped with the cache
                self._cache = (day, os.urandom(32) if self.path is None else self._from_file(day))
            return self._cache[1]

    # ------------------------------------------------------------ the shared file
    def _from_file(self, day: str) -> bytes:
        found = self._read()
        if found is None:
            self._create(day)
            found = self._read()
            if found is None:
                raise SaltError(f"{self.path}: could not create the key file")
        file_day, key = found
        if file_day > day:                                      # the clock went back: derive, write nothing
            return hashlib.blake2b(day.encode(), key=key, digest_size=32, person=b"counter-earlier").digest()
        steps = (dt.date.fromisoformat(day) - dt.date.fromisoformat(file_day)).days
        if steps:
            for _ in range(min(steps, 100_000)):
                key = next_key(key)
            self._write(day, key, replace=True)                 # the old key is gone from the file
        return key

    def _read(self) -> tuple[str, bytes] | None:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise SaltError(f"{self.path}: {error.strerror}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or os.name == "posix" and (
                    info.st_uid != os.geteuid() or info.st_mode & 0o077):
                raise SaltError(f"{self.path}: must be a file of this user that only it can read (chmod 600)")
            text = os.read(fd, 200).decode("ascii", "replace").split()
        finally:
            os.close(fd)
        try:
            day, key = text
            dt.date.fromisoformat(day)
            value = bytes.fromhex(key)
            if len(value) != 32:
                raise ValueError
        except ValueError:
            raise SaltError(f"{self.path}: not a key file (expected `YYYY-MM-DD <64 hex digits>`)") from None
        return day, value

    def _create(self, day: str) -> None:
        self._write(day, os.urandom(32), replace=False)

    def _write(self, day: str, key: bytes, replace: bool) -> None:
        """Atomically: a private temporary file, then renamed (replace) or linked (create: the first wins)."""
        folder = self.path.parent
        try:
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".counter-key-")     # mode 0600
        except OSError as error:
            raise SaltError(f"{folder}: cannot write the key file: {error.strerror}") from None
        try:
            os.write(fd, f"{day} {key.hex()}\n".encode())
            os.close(fd)
            if replace:
                os.replace(temporary, self.path)
            else:
                try:
                    os.link(temporary, self.path)
                except FileExistsError:
                    pass                                        # another process made it first: use theirs
        finally:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass


class SiteSalt:
    """One commune's key of the day, derived from the shared one (a province counter: province.py).

    Every commune gets its own key (a keyed hash of its site key), so the same reader has unrelated
    visitor and address keys in two communes: their stores cannot be joined to follow a reader from one
    commune to another, while one key file still serves every commune (one file to copy between machines).
    """

    def __init__(self, shared: DailySalt, site_key: str):
        self.shared, self.site_key = shared, site_key.encode()
        self._cache: tuple[str, bytes] | None = None

    def for_day(self, day: str) -> bytes:
        cached = self._cache
        if cached is not None and cached[0] == day:
            return cached[1]
        key = hashlib.blake2b(self.site_key, key=self.shared.for_day(day), digest_size=32,
                              person=b"counter-site").digest()
        self._cache = (day, key)
        return key
