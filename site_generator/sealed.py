"""Files of ``.cache/`` that only this machine's builds can have written.

Unpickling (and Jinja2's marshalled bytecode) runs code chosen by whoever wrote the file,
and a site folder arrives from other hands: a ``git clone``, a zip, a USB stick can carry a
planted ``.cache/``. So every such file is sealed with an HMAC-SHA256 tag under a
key that lives outside any site: ``$XDG_CACHE_HOME/site-generator/cache-key`` (``~/.cache``),
made on first use with mode 0600, or the file named by ``SITE_GENERATOR_KEY_FILE``. A file
whose seal does not match is never unpickled: it is only a cache miss. When no key can be
kept, each process uses a fresh one (nothing from an earlier build is trusted).
"""
from __future__ import annotations

import hmac
import os
import pickle
from functools import lru_cache
from pathlib import Path

import jinja2

MAGIC = b"SGSEAL2\n"          # 1: BLAKE2b tags (a file sealed so is a miss)
_TAG = 32


@lru_cache(maxsize=1)
def key() -> bytes:
    path = key_file()
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    fresh = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh)
        try:
            os.link(temporary, path)                 # first writer wins; others read the winner's key
        finally:
            os.unlink(temporary)
        data = path.read_bytes()
        return data if len(data) == 32 else fresh
    except OSError:
        return fresh


def key_file() -> Path:
    named = os.environ.get("SITE_GENERATOR_KEY_FILE")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "site-generator" / "cache-key"


def seal(data: bytes) -> bytes:
    return MAGIC + _tag(data) + data


def unseal(blob: bytes) -> bytes | None:
    """The sealed bytes, or None when the file was not written by this machine's builds."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _TAG:
        return None
    tag, data = blob[len(MAGIC):len(MAGIC) + _TAG], blob[len(MAGIC) + _TAG:]
    return data if hmac.compare_digest(tag, _tag(data)) else None


def _tag(data: bytes) -> bytes:
    return hmac.digest(key(), data, "sha256")        # SHA-256 is in hardware on most CPUs: faster than keyed BLAKE2b


def load(path: Path):
    """What :func:`dump` wrote to ``path``; None when absent, damaged, or not sealed here."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    return loads(blob)


def loads(blob: bytes):
    """What :func:`dump` wrote, from the file's bytes; None when damaged or not sealed here."""
    try:
        data = unseal(blob)
        return None if data is None else pickle.loads(data)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError,
            IndexError, KeyError):
        return None


def dump(path: Path, value) -> None:
    """Pickle ``value`` to ``path``, sealed, atomically (a reader sees the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)         # a full disk, an interrupted build (a killed one: cache.sweep)
        raise


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's compiled templates on disk, sealed like the pickles (marshal runs code too)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as handle:
                data = unseal(handle.read())
        except OSError:
            return
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        target = Path(self._get_cache_filename(bucket))
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            temporary.write_bytes(seal(bucket.bytecode_to_string()))
            os.replace(temporary, target)
        except OSError:
            temporary.unlink(missing_ok=True)
