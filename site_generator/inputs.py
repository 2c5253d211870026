"""What a build may read: regular files inside the site, of bounded size and depth.

Content comes from many hands (editors, imported portals, USB sticks, ``git clone``), so
the site's folders are walked without following anything:

- a symbolic link is read only when it names a regular file inside the same top folder
  (``content/``, ``static/``, ``templates/``, ``data/``); any other link (outside, to a
  folder, dangling, a loop) is an error naming the link;
- a device, FIFO or socket is an error and is never opened;
- names with control characters, folders deeper than ``MAX_DEPTH`` and files larger than
  their limit are errors;
- :func:`read` opens without blocking and checks, on the open file, that it is still a
  regular file within the limit, so what was checked is what is read.

The types of files ``content/`` may publish are decided here too (:data:`PUBLISHED`):
documents, images, audio and video that a browser shows or downloads but never runs.
"""
from __future__ import annotations

import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from . import messages

MAX_DEPTH = 24                       # folders below a top folder
MAX_TEXT_BYTES = 8 << 20             # a Markdown or YAML file (a body is refused above 4 MB: markup.BODY_MAX_BYTES)
MAX_FILE_BYTES = 256 << 20           # an attachment: a scanned 300-page PDF is about 60 MiB

# Extension -> the bytes a file of that type starts with (None: any). Anything else under content/
# (HTML, SVG, XML, JavaScript, CSS, executables, ...) could run script on the portal's origin or
# pass for the office's own page: it is refused, and the editor is told to send it as PDF or ZIP.
PUBLISHED: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0",), "xls": (b"\xd0\xcf\x11\xe0",), "ppt": (b"\xd0\xcf\x11\xe0",),
    "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",), "ods": (b"PK\x03\x04",), "odp": (b"PK\x03\x04",),
    "rtf": (b"{\\rtf",), "txt": None, "csv": None,
    "zip": (b"PK\x03\x04", b"PK\x05\x06"), "rar": (b"Rar!\x1a\x07",), "7z": (b"7z\xbc\xaf\x27\x1c",),
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"), "webp": (b"RIFF",), "avif": None,
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"), "mp4": None, "webm": (b"\x1a\x45\xdf\xa3",),
    "ogg": (b"OggS",), "m4a": None,
}
TEXT_TYPES = ("md", "yaml", "yml")   # read by the build, never published as they are


@dataclass(frozen=True)
class Found:
    """One file to read: ``relative`` to its top folder (``/``-separated); ``path`` is the file
    itself, or the regular file inside the same folder that its link names."""
    relative: str
    path: Path
    size: int


def visible(name: str) -> bool:
    """Editors' backups, hidden files and ``_drafts``-style names are not part of the site."""
    return not (name.startswith((".", "_", "#")) or name.endswith("~"))


def scan(root: Path, top: str, problems) -> list[Found]:
    """Every visible regular file under ``root/top``, sorted by path; problems for the rest."""
    base = root / top
    try:
        info = os.lstat(base)
    except OSError:
        return []
    if not stat.S_ISDIR(info.st_mode):
        problems.add(top, 0, "input-not-folder")
        return []
    real_base = os.path.realpath(base)
    found: list[Found] = []
    pending = [("", 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            entries = sorted(os.scandir(base / folder if folder else base), key=lambda e: e.name)
        except OSError as err:
            problems.add(_shown(top, folder), 0, "input-unreadable", detail=messages.os_reason(err))
            continue
        subfolders = []
        for entry in entries:
            if not visible(entry.name):
                continue
            relative = f"{folder}/{entry.name}" if folder else entry.name
            shown = f"{top}/{relative}"
            if not good_name(entry.name):
                problems.add(_shown(top, folder), 0, "input-bad-name", name=ascii(entry.name))
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                if depth + 1 > MAX_DEPTH:
                    problems.add(shown, 0, "input-too-deep", depth=MAX_DEPTH)
                else:
                    subfolders.append((relative, depth + 1))
            elif stat.S_ISREG(info.st_mode):
                found.append(Found(relative, Path(entry.path), info.st_size))
            elif stat.S_ISLNK(info.st_mode):
                target = _link_target(entry.path, real_base)
                if target is None:
                    problems.add(shown, 0, "input-link", top=top, target=os.readlink(entry.path))
                else:
                    found.append(Found(relative, Path(target), os.stat(target).st_size))
            else:
                problems.add(shown, 0, "input-special", kind=_kind(info.st_mode))
        pending.extend(reversed(subfolders))
    found.sort(key=lambda f: f.relative)
    for item in found:
        limit = size_limit(item.relative)
        if item.size > limit:
            code = "text-too-large" if limit == MAX_TEXT_BYTES else "input-too-large"
            problems.add(f"{top}/{item.relative}", 0, code, size=_mib(item.size), limit=_mib(limit))
    return [f for f in found if f.size <= size_limit(f.relative)]


def single(root: Path, name: str, problems) -> Path | None:
    """One file at the site's top (``site.yaml``) or in a top folder (``data/units.yaml``):
    its path when it is a regular file (or a link to one inside the site), else None."""
    path = root / name
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode):
        return path
    if stat.S_ISLNK(info.st_mode):
        target = _link_target(str(path), os.path.realpath(root / name.split("/")[0]) if "/" in name
                              else os.path.realpath(root))
        if target is not None:
            return Path(target)
        problems.add(name, 0, "input-link", top=name.split("/")[0] if "/" in name else ".",
                     target=os.readlink(path))
        return None
    problems.add(name, 0, "input-special", kind=_kind(info.st_mode))
    return None


def read(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them (OSError otherwise): opened without
    blocking (a FIFO put in its place cannot hang the build) and checked once open."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        if info.st_size > limit:
            raise OSError(f"{path}: larger than {limit} bytes")
        parts, size = [], 0
        while size <= limit:                     # the size it had when opened, and no more than the limit
            part = os.read(fd, max(info.st_size + 1 - size, 1 << 16))
            if not part:
                break
            parts.append(part)
            size += len(part)
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        if len(data) > limit:
            raise OSError(f"{path}: larger than {limit} bytes")
        return data
    finally:
        os.close(fd)


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""


def publishable(relative: str) -> bool:
    return extension(relative) in PUBLISHED


def looks_like_its_type(path: Path, relative: str) -> bool:
    """Whether the file starts as files of its extension do (a ``.jpg`` holding HTML does not)."""
    with open(path, "rb") as handle:
        return starts_like_its_type(handle.read(1024), relative)


def starts_like_its_type(head: bytes, relative: str) -> bool:
    """The same, for a file's first kilobyte (an upload not yet written)."""
    signatures = PUBLISHED.get(extension(relative))
    if not signatures:
        return True
    # PDF readers accept the header anywhere in the first kilobyte
    return any(head.startswith(s) for s in signatures) or (extension(relative) == "pdf" and b"%PDF-" in head[:1024])


def size_limit(relative: str) -> int:
    return MAX_TEXT_BYTES if extension(relative) in TEXT_TYPES else MAX_FILE_BYTES


def _link_target(link: str, real_base: str) -> str | None:
    """The regular file a link names when it lies inside ``real_base``; None otherwise."""
    try:
        target = os.path.realpath(link, strict=True)
        info = os.stat(target)
    except (OSError, RuntimeError):          # dangling, a loop, unreadable
        return None
    inside = target.startswith(real_base.rstrip(os.sep) + os.sep)
    return target if inside and stat.S_ISREG(info.st_mode) else None


_BAD_IN_NAME = re.compile("[\x00-\x1f\x7f\\\\\ud800-\udfff]")


def good_name(name: str) -> bool:
    """No control characters, no backslash, and valid UTF-8 (an undecodable byte comes as a surrogate)."""
    return _BAD_IN_NAME.search(name) is None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special"


def _mib(size: int) -> str:
    """Megabytes with one decimal, rounded up (so a file over the limit never shows as equal to it)."""
    tenths = -(-size * 10 // (1 << 20))
    return f"{tenths // 10},{tenths % 10} MB"


def _shown(top: str, folder: str) -> str:
    return f"{top}/{folder}" if folder else top


def pixel_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, WebP or JPEG from its first bytes (a JPEG's frame header may come after
    its Exif data: give enough); None when they do not say."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and len(head) >= 30:
        chunk = head[12:16]
        if chunk == b"VP8X":
            return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
        if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", head[26:30])
            return width & 0x3FFF, height & 0x3FFF
        if chunk == b"VP8L" and head[20:21] == b"\x2f":
            bits = int.from_bytes(head[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        return None
    if head[:2] == b"\xff\xd8":
        at = 2
        while at + 9 < len(head):
            if head[at] != 0xFF:
                return None
            marker = head[at + 1]
            if marker == 0xFF:
                at += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                at += 2
                continue
            length = struct.unpack(">H", head[at + 2:at + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", head[at + 5:at + 9])
                return width, height
            if length < 2:
                return None
            at += 2 + length
    return None
