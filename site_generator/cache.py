"""The build cache: converted Markdown bodies, kept between builds in ``.cache/``.

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
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

FOLDER = ".cache"
BODIES = "bodies.pickle"


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
class BodyCache:
    folder: Path | None                          # None: no cache (--no-cache)
    entries: dict = field(default_factory=dict)  # key -> (Body, links: tuple of (target, is_image, href, problems))
    used: set = field(default_factory=set)

    @classmethod
    def open(cls, site_root: Path, enabled: bool) -> "BodyCache":
        if not enabled:
            return cls(None)
        folder = site_root / FOLDER
        try:
            with open(folder / BODIES, "rb") as handle:
                entries = pickle.load(handle)
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            entries = {}                          # a missing or damaged cache is only slower
        return cls(folder, entries)

    def get(self, key: str):
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def put(self, key: str, entry) -> None:
        self.entries[key] = entry
        self.used.add(key)

    def save(self) -> None:
        """Keep what this build used (so deleted posts leave the cache), written atomically."""
        if self.folder is None:
            return
        self.folder.mkdir(exist_ok=True)
        kept = {k: v for k, v in self.entries.items() if k in self.used}
        temporary = self.folder / f".{BODIES}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / BODIES)
