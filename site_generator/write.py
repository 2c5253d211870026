"""Stage 5: the one writer of the output folder, and its swap with no gap.

The output (``public/``) and a spare tree beside it (``.public.spare/``) take turns. A build
brings the spare up to date with the new site - writing only the files whose bytes differ
from what the spare holds, taking unchanged ones from the output by hard link, removing what
the site no longer has - then exchanges the two folders in one atomic step
(``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on macOS). At every
instant the output is the whole last site or the whole new one; the old one becomes the
spare for the next build, so the work of a build grows with what changed, not with the site.
Where the system cannot exchange two folders, two renames are used (a gap of two system
calls); a build killed between them is repaired by the next one, which also removes what any
killed build left behind.

What each tree holds is kept in a manifest (in ``state``, normally ``.cache/``): every file's
content digest and the identity the file system gives it (inode, size, modification time). A
tree is trusted only where it still matches, so a file changed, added or removed by anyone
else is rewritten or removed; a tree without a manifest is rebuilt from nothing. Files are
never changed in place (a new version is a new file renamed over the old one), so the output
and the spare can share unchanged files.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import pickle
import shutil
import stat
import sys
import time
from pathlib import Path

from . import sealed
from .cache import RECENT_SECONDS, content_key



class OutputCollision(RuntimeError):
    """Two outputs claimed one path: a bug in the generator (editors' collisions are problems)."""


class UnsafeOutput(RuntimeError):
    """The output folder holds files that no build of ours made: replacing it could destroy them."""


class OutsideOutput(RuntimeError):
    """An output path that would leave the output folder ("..", an absolute path): never written. Slugs and
    names are checked before; this is the last guard, whatever made the path."""


def inside(relative: str) -> str:
    """``relative`` when it names a file inside the output folder; else OutsideOutput."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or "\\" in relative or "\0" in relative \
            or any(part in ("", ".", "..") for part in parts):
        raise OutsideOutput(relative)
    return relative




class Tree:
    """What one output tree holds: files (relative path -> entry) and folders (-> modification time)."""

    def __init__(self, files: dict | None = None, folders: dict | None = None, saved_at: float = 0.0):
        self.files: dict[str, tuple] = files or {}
        self.folders: dict[str, int] = folders or {}
        self.saved_at = saved_at

    @staticmethod
    def load(path: Path | None) -> "Tree | None":
        return Tree._parsed(_bytes(path))

    @staticmethod
    def read(path: Path | None) -> "tuple[Tree | None, bytes]":
        """The manifest at ``path`` and the digest of its file's bytes (b"" when absent)."""
        blob = _bytes(path)
        return Tree._parsed(blob), content_key(blob) if blob else b""

    @staticmethod
    def _parsed(blob: bytes) -> "Tree | None":
        kept = sealed.loads(blob) if blob else None
        if not (isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], dict) and isinstance(kept[1], dict)):
            return None
        return Tree(*kept)

    def save(self, path: Path) -> None:
        sealed.dump(path, (self.files, self.folders, time.time()))

    def without(self, files, folders) -> "Tree":
        """This tree but for some of its files and folders."""
        kept_files, kept_folders = dict(self.files), dict(self.folders)
        for relative in files:
            kept_files.pop(relative, None)
        for relative in folders:
            kept_folders.pop(relative, None)
        return Tree(kept_files, kept_folders, self.saved_at)

    def verified(self, root: Path) -> "Tree":
        """The part of this manifest that ``root`` still matches.

        A file or folder counts when ``lstat`` gives what the manifest says. One changed within
        seconds of the manifest being saved could have changed again in the same clock tick: a
        file is then trusted only if its bytes hash to its digest, a folder if it lists exactly
        the names the manifest gives it.
        """
        racy_after = self.racy_after
        files, folders, expected = {}, {}, None
        base = os.fspath(root) + os.sep
        lstat, is_dir, is_file = os.lstat, stat.S_ISDIR, stat.S_ISREG
        for relative, mtime in self.folders.items():
            path = base + relative
            try:
                info = lstat(path)
            except OSError:
                continue
            if not is_dir(info.st_mode) or info.st_mtime_ns != mtime:
                continue
            if mtime >= racy_after:
                expected = expected if expected is not None else self._children()
                if set(os.listdir(path)) != expected.get(relative, set()):
                    continue
            folders[relative] = mtime
        for relative, entry in self.files.items():
            try:
                info = lstat(base + relative)
            except OSError:
                continue
            if not is_file(info.st_mode) or (info.st_ino, info.st_size, info.st_mtime_ns) != entry[1:4]:
                continue
            if entry[3] >= racy_after and content_key((root / relative).read_bytes()) != entry[0]:
                continue
            files[relative] = entry
        return Tree(files, folders, self.saved_at)

    def has_racy(self) -> bool:
        """Whether some entry is too recent to be trusted by its ``lstat`` alone (verified() reads it)."""
        after = self.racy_after
        return any(e[3] >= after for e in self.files.values()) or any(m >= after for m in self.folders.values())

    @property
    def racy_after(self) -> float:
        """Modification times (ns) from here on are too close to the manifest to vouch for a file."""
        return (self.saved_at - RECENT_SECONDS) * 1e9

    def _children(self) -> dict:
        children: dict = {}
        for relative in list(self.files) + [f for f in self.folders if f]:
            parent, _, name = relative.rpartition("/")
            children.setdefault(parent, set()).add(name)
        return children


# ------------------------------------------------------------------------ exchanging two folders

def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc() if sys.platform.startswith(("linux", "darwin")) else None
_SYSCALL_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "riscv64": 276, "ppc64le": 357, "s390x": 347}
_AT_FDCWD, _RENAME_EXCHANGE, _RENAME_SWAP = -100, 2, 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False when this system or file system cannot.

    ``SITE_GENERATOR_NO_EXCHANGE=1`` takes the two-rename path instead (tests use it)."""
    if _LIBC is None or os.environ.get("SITE_GENERATOR_NO_EXCHANGE"):
        return False
    first, second = os.fsencode(a), os.fsencode(b)
    if sys.platform == "darwin":
        function = getattr(_LIBC, "renamex_np", None)
        if function is None:
            return False
        result = function(first, second, ctypes.c_uint(_RENAME_SWAP))
    elif hasattr(_LIBC, "renameat2"):
        result = _LIBC.renameat2(_AT_FDCWD, first, _AT_FDCWD, second, ctypes.c_uint(_RENAME_EXCHANGE))
    else:
        number = _SYSCALL_RENAMEAT2.get(os.uname().machine)
        if number is None:
            return False
        result = _LIBC.syscall(number, _AT_FDCWD, first, _AT_FDCWD, second, ctypes.c_uint(_RENAME_EXCHANGE))
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _bytes(path: Path | None) -> bytes:
    try:
        return b"" if path is None else path.read_bytes()
    except OSError:
        return b""


# ------------------------------------------------------------------------ the spare checked early

class Prefetch:
    """The spare tree of ``output`` checked against its manifest (:meth:`Tree.verified`) by a process forked
    while the build reads its inputs, on the other core.

    It runs without the writer's lock, so another build may change the spare meanwhile; but every build
    that opens the spare removes its manifest, and every one that ends writes a new one (with the time it
    was saved), at a name given by the spare's inode. So :class:`Writer` takes the answer, under its lock,
    only when it finds a manifest at the same place with the same bytes as the one checked; otherwise it
    checks the spare itself. The process is forked twice and the middle one reaped at once: the one that
    works is nobody's child, and ends when it has written its answer (or when nobody reads it).
    """

    def __init__(self, spare: Path, state: Path):
        self.spare, self.state = spare, state
        self.handle = None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:                                   # pragma: no cover - the forked processes
            try:
                os.close(read)
                if os.fork() == 0:
                    self._check(write)
            finally:
                os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        self.handle = os.fdopen(read, "rb")

    def _check(self, fd: int) -> None:                 # pragma: no cover - in the forked process
        manifest = _manifest_file(self.state, self.spare)
        tree, digest = Tree.read(manifest)
        answer = None
        if tree is not None:
            verified = tree.verified(self.spare)
            answer = (str(manifest), digest, [r for r in tree.files if r not in verified.files],
                      [r for r in tree.folders if r not in verified.folders])
        with os.fdopen(fd, "wb") as handle:
            handle.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))

    def answer(self, manifest: Path | None, digest: bytes) -> tuple | None:
        """(files, folders) of the manifest at ``manifest`` (the digest of its bytes) that the spare does not
        match; None when that is not the manifest checked (or the check failed)."""
        if self.handle is None or manifest is None:
            return None
        try:
            with self.handle:
                found = pickle.loads(self.handle.read())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            return None
        finally:
            self.handle = None
        if not (isinstance(found, tuple) and found[:2] == (str(manifest), digest)):
            return None
        return found[2], found[3]


def prefetch(output: Path, state: Path | None) -> Prefetch | None:
    """Have the spare tree of ``output`` checked now, on another core (see :class:`Prefetch`)."""
    if state is None:
        return None
    output = output.absolute()
    return Prefetch(output.parent / f".{output.name}.spare", state)


# ------------------------------------------------------------------------ the writer

def _crash_point(step: str) -> None:
    """Tests kill the build at each step of the swap (SITE_GENERATOR_KILL_AT=step)."""
    if os.environ.get("SITE_GENERATOR_KILL_AT") == step:
        import signal
        os.kill(os.getpid(), signal.SIGKILL)


class Writer:
    """Writes one build into the spare tree and swaps it in (see the module docstring).

    ``state``: the folder that keeps the trees' manifests (None: trust no manifest and keep none;
    the spare is rebuilt from nothing, as ``--no-cache`` asks).
    """

    def __init__(self, output: Path, state: Path | None, owned: bool = False, early: "Prefetch | None" = None):
        self.output = output.absolute()
        self.parent = self.output.parent
        self.spare = self.parent / f".{self.output.name}.spare"
        self.state = state
        self.owned = owned                    # the site's own public/: whatever is in it is ours to replace
        self.written: set[str] = set()       # every path this build claimed
        self.tree = Tree()                    # what the spare holds now
        self.live = Tree()                    # what the output holds (trusted part)
        self._made: set[str] = set()
        self._lock = None
        self.committed = False
        self.early = early                    # the spare checked meanwhile by prefetch(), if asked
        self.prefetched = False               # whether its answer was used

    @staticmethod
    def intact(output: Path, state: Path) -> bool:
        """True when ``output`` holds exactly what the last build wrote there (nothing changed, added or gone)."""
        output = output.absolute()
        file = _manifest_file(state, output)
        manifest = Tree.load(file)
        if manifest is None:
            return False
        started = time.time()
        verified = manifest.verified(output)
        whole = len(verified.files) == len(manifest.files) and len(verified.folders) == len(manifest.folders)
        if whole and manifest.has_racy():
            _vouch(output, file, manifest, started)
        return whole

    # ---------------------------------------------------------------- opening

    def __enter__(self) -> "Writer":
        self.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.parent / f".{self.output.name}.lock")
        try:
            self._recover()
            if not self.owned:
                check_output(self.output)
            self.live = Tree.load(self._manifest_file(self.output)) or Tree()   # checked file by file, when linked
            manifest = self._manifest_file(self.spare)
            spare, digest = Tree.read(manifest)
            failed = self.early.answer(manifest, digest) if self.early is not None else None
            if spare is None or not self.spare.is_dir():
                _remove(self.spare)
                self.spare.mkdir()
                self.tree, manifest = Tree(), self._manifest_file(self.spare)
            else:
                self.prefetched = failed is not None
                self.tree = spare.verified(self.spare) if failed is None else spare.without(*failed)
            if manifest is not None:                   # from here on, only this build knows what the spare holds
                manifest.unlink(missing_ok=True)
        except BaseException:
            _unlock(self._lock)
            raise
        return self

    def _manifest_file(self, folder: Path) -> Path | None:
        return _manifest_file(self.state, folder)

    def _recover(self) -> None:
        """Undo what killed builds left: an interrupted two-rename swap, old staging folders."""
        old = self.parent / f".{self.output.name}.old"
        if old.exists():
            if not self.output.exists():
                os.rename(old, self.output)                    # killed between the renames: the last site back
            elif not self.spare.exists():
                os.rename(old, self.spare)
            else:
                _remove(old)
        for entry in os.scandir(self.parent):          # staging folders of the builds before this writer
            if entry.name.startswith((f".{self.output.name}.building-", f".{self.output.name}.old-")):
                _remove(Path(entry.path))

    # ---------------------------------------------------------------- writing

    def _claim(self, relative: str, where: bool = True) -> Path | None:
        """Record that this build writes ``relative``; its place in the spare (``where``)."""
        if relative in self.written:
            raise OutputCollision(relative)
        self.written.add(inside(relative))
        return self.spare / relative if where else None

    def claim(self, relative: str) -> None:
        """Record a path another process writes (refusing a path twice)."""
        self._claim(relative, where=False)

    def prepare(self, relative: str) -> None:
        """Make the folders above ``relative`` in the spare (removing a file that stands in the way)."""
        folder = relative.rpartition("/")[0]
        if not folder or folder in self._made:
            return
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            if sub in self._made:
                continue
            path = self.spare / sub
            if sub not in self.tree.folders:
                try:
                    info = os.lstat(path)
                except FileNotFoundError:
                    info = None
                if info is not None and not stat.S_ISDIR(info.st_mode):
                    path.unlink()
                    self.tree.files.pop(sub, None)
                    info = None
                if info is None:
                    try:
                        path.mkdir()
                    except FileExistsError:        # a forked renderer made it meanwhile
                        if not path.is_dir():
                            raise
            self._made.add(sub)

    def has(self, relative: str, content: bytes) -> bool:
        """Put ``content`` at ``relative`` without writing it, if the spare or the output already holds it."""
        entry = self.tree.files.get(relative)
        if entry is not None and entry[0] == content:
            self._claim(relative, where=False)
            return True
        live = self.live.files.get(relative)
        if live is None or live[0] != content:
            return False
        source = self.output / relative
        try:
            info = os.lstat(source)
        except OSError:
            return False
        if (info.st_ino, info.st_size, info.st_mtime_ns) != live[1:4]:
            return False                        # changed since: write it
        if live[3] >= self.live.racy_after and content_key(source.read_bytes()) != content:
            return False                        # too recent to tell by its times, and not the same bytes
        target = self._claim(relative)
        self.prepare(relative)
        temporary = _temporary(target)
        try:
            os.link(source, temporary)
        except OSError:
            self.written.discard(relative)
            return False
        os.replace(temporary, target)
        self.tree.files[relative] = live
        return True

    def write(self, relative: str, data: bytes, content: bytes | None = None) -> None:
        content = content or content_key(data)
        if self.has(relative, content):
            return
        target = self._claim(relative)
        self.prepare(relative)
        self.record(relative, write_file(target, data), content)
        _crash_point("writing")

    def copy(self, relative: str, source: Path, content: bytes) -> None:
        """Copy a file (an attachment, a theme file) whose bytes digest to ``content`` (see content_key)."""
        if self.has(relative, content):
            return
        target = self._claim(relative)
        self.prepare(relative)
        temporary = _temporary(target)
        shutil.copyfile(source, temporary)       # a link under content/ was checked to name a file inside it
        os.replace(temporary, target)
        self.record(relative, os.lstat(target), content)

    def record(self, relative: str, info: os.stat_result, content: bytes) -> None:
        """Note what a file now holds (written here or by a forked renderer): ``content`` digests its bytes."""
        self.tree.files[relative] = (content, info.st_ino, info.st_size, info.st_mtime_ns)

    # ---------------------------------------------------------------- finishing

    def commit(self) -> None:
        """Remove what this build did not write, then swap the spare in."""
        self._prune()
        _crash_point("before-swap")
        manifest = self._manifest_file(self.spare)
        if manifest is not None:
            self.tree.save(manifest)
        if not self.output.exists():
            os.rename(self.spare, self.output)
        elif not exchange(self.spare, self.output):
            old = self.parent / f".{self.output.name}.old"
            os.rename(self.output, old)
            _crash_point("between-renames")
            os.rename(self.spare, self.output)
            os.rename(old, self.spare)
        _crash_point("after-swap")
        self.committed = True
        self._clean_state()

    def _prune(self) -> None:
        root = os.fspath(self.spare)
        base = root + os.sep                           # paths as text: a Path per folder cost more than its lstat
        for relative in [r for r in self.tree.files if r not in self.written]:
            try:
                os.unlink(base + relative)
            except FileNotFoundError:
                pass
            del self.tree.files[relative]
        needed = {""}
        for relative in self.written:
            folder = relative.rpartition("/")[0]
            while folder not in needed:
                needed.add(folder)
                folder = folder.rpartition("/")[0]
        for folder in sorted(set(self.tree.folders) | self._made, key=len, reverse=True):
            if folder not in needed:
                _remove(self.spare / folder)
        # anything else in a folder we did not verify unchanged: someone else's file, or a killed build's
        for folder in sorted(needed):
            if folder in self.tree.folders:
                continue
            path = self.spare / folder if folder else self.spare
            for entry in os.scandir(path):
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if relative not in self.written and relative not in needed:
                    _remove(Path(entry.path))
        lstat = os.lstat
        self.tree.folders = {folder: lstat(base + folder if folder else root).st_mtime_ns for folder in needed}

    def _clean_state(self) -> None:
        """Keep the manifests of the two trees only."""
        if self.state is None or not self.state.is_dir():
            return
        keep = {p.name for p in (self._manifest_file(self.output), self._manifest_file(self.spare)) if p}
        for entry in os.scandir(self.state):
            if entry.name.startswith("tree-") and entry.name not in keep:
                os.unlink(entry.path)

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if not self.committed:         # failed: the spare keeps what was written, and says so
                manifest = self._manifest_file(self.spare)
                if manifest is not None and self.spare.is_dir():
                    Tree(self.tree.files, self.tree.folders).save(manifest)
        finally:
            _unlock(self._lock)


def _manifest_file(state: Path | None, folder: Path) -> Path | None:
    """Where the manifest of the tree now at ``folder`` is kept: trees are known by their inode, which
    stays with them when two folders are exchanged."""
    if state is None:
        return None
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    return state / f"tree-{info.st_dev}-{info.st_ino}.pickle"


def write_file(target: Path, data: bytes) -> os.stat_result:
    """Write a new file at ``target`` (never in place: the old file may be shared with the output)."""
    try:
        with open(target, "xb") as handle:          # nothing there yet: the common case of new pages
            handle.write(data)
            handle.flush()
            return os.fstat(handle.fileno())
    except FileExistsError:
        pass
    temporary = _temporary(target)
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        info = os.fstat(handle.fileno())
    os.replace(temporary, target)
    return info


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _remove(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# ------------------------------------------------------------------------ safety and locking

OUR_FILES = ("index.html", "404.html", "sitemap.xml")


def check_output(output: Path) -> None:
    """Refuse to replace a folder that a build of ours did not make (a site folder, a web root...)."""
    try:
        names = set(os.listdir(output))
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise UnsafeOutput(str(output)) from None
    if not names:
        return
    if {"site.yaml", "content"} & names or not set(OUR_FILES) <= names:
        raise UnsafeOutput(str(output))


def _vouch(output: Path, file: Path, manifest: Tree, verified_at: float) -> None:
    """The manifest saved again as of ``verified_at``, when every file was just checked against it (their bytes
    where their times were too recent to tell): the next check then needs only their ``lstat``. A file
    changed since then has a newer time, too recent again, so it is read again. Only when no build holds the
    output (a build keeps the manifest itself)."""
    try:
        handle = _lock(output.parent / f".{output.name}.lock", wait=False)
    except OSError:                          # a build holds it, or no lock can be made here
        return
    if handle is None:                       # pragma: no cover - Windows: keep checking the bytes
        return
    try:
        kept = Tree.load(file)
        if kept is not None and kept.files == manifest.files:    # still the same tree's
            sealed.dump(file, (manifest.files, manifest.folders, verified_at))
    finally:
        _unlock(handle)


def _lock(path: Path, wait: bool = True):
    """One build at a time writes an output (a second one waits; ``wait`` False: OSError instead)."""
    try:
        import fcntl
    except ImportError:                      # Windows: no advisory locks here; one build at a time, please
        return None
    handle = open(path, "a+b")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        handle.close()
        raise
    return handle


def _unlock(handle) -> None:
    if handle is not None:
        import fcntl
        fcntl.flock(handle, fcntl.LOCK_UN)   # for forked processes that share the open file too
        handle.close()
