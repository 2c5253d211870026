"""The text inside attached PDF and Word files, page by page, for the search index.

Attachments are untrusted: a broken, truncated or hostile file gives None, never an
exception, and the work is bounded (file size, pages, characters, pypdf's own parsing and
decoding budgets, the zip's declared sizes). The result is a pure function of the file's
bytes and of :func:`version` (this module's source and the pypdf and mammoth versions), so
the build keeps it by the file's SHA-256 (see ``cache.attachment_text_cache``).

Text is NFC, with control, format, private-use and unassigned characters dropped and every run
of white space made one space. A PDF gives one string per page (fewer when the character
budget runs out); a Word file gives one string. A PDF whose pages all give "" has no text
layer: a scan.
"""
from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import stat
import unicodedata
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from importlib import metadata
from pathlib import Path

MAX_FILE_BYTES = 50 << 20        # larger files are not read at all
MAX_PAGES = 1_000                # pages read from one PDF
MAX_CHARS = 200_000              # characters kept from one file, all pages together
MAX_CONTENT_BYTES = 8 << 20      # pages' content streams read, unpacked, all pages together: about 25 s of pypdf's
                                 # work at worst (300 pages of 45 lines of text: 2.6 MB, past MAX_CHARS at page 57)
KINDS = ("PDF", "DOCX")

# pypdf's budgets (pypdf.Configuration), tighter than its defaults: a page's content stream that
# takes more parsing or decoding work than this is given up (LimitReachedError: that page gives ""),
# which with MAX_CONTENT_BYTES bounds the time a hostile file can take, deterministically (by work
# done, not by a clock, so the same bytes always give the same text).
_PDF_LIMITS = dict(
    maximum_declared_stream_length=MAX_FILE_BYTES,
    zlib_maximum_output_length=32 << 20,
    lzw_maximum_output_length=32 << 20,
    run_length_maximum_output_length=32 << 20,
    brotli_maximum_output_length=32 << 20,
    array_based_stream_maximum_output_length=32 << 20,
    stream_decoding_work_maximum_length=64 << 20,
    stream_parsing_work_maximum_count=300_000,     # about 3 s of one page's text extraction
    xform_maximum_invocations_per_extraction=1_000,
    jbig2dec_binary=None,            # never run an outside program (and never depend on the machine)
)
_DROPPED = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))


@lru_cache(maxsize=1)
def version() -> str:
    """Changes whenever what :func:`extract` returns could: this file, pypdf, mammoth, Unicode's tables and
    the Word importer's zip limits."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"\0unicode={unicodedata.unidata_version}".encode())      # NFC and the categories dropped
    for package in ("pypdf", "mammoth"):
        digest.update(f"\0{package}={metadata.version(package)}".encode())
    from . import wordin                            # its zip limits decide which Word files are read
    digest.update(repr((wordin.MAX_MEMBERS, wordin.MAX_UNPACKED_BYTES, wordin.MAX_PART_BYTES, wordin.MAX_RATIO)).encode())
    return digest.hexdigest()


def wanted(content_path: str) -> bool:
    """Whether the build extracts the text of this attachment."""
    return kind_of(content_path) in KINDS


def kind_of(content_path: str) -> str:
    return content_path.rsplit(".", 1)[-1].upper() if "." in content_path.rsplit("/", 1)[-1] else ""


def extract(path: Path, kind: str) -> tuple[str, ...] | None:
    """The text of each page of a PDF, or of a Word file as one page; None when it cannot be read."""
    kind = kind.upper()
    if kind not in KINDS:
        return None
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:      # never a device or a pipe
            return None
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES:                   # grew since stat
        return None
    return _pdf(data) if kind == "PDF" else _docx(data)


def extract_all(files: list, workers: int = 1) -> list:
    """extract() of each (path, kind), in order; in ``workers`` forked processes when there are several files."""
    if workers < 2 or len(files) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [extract(path, kind) for path, kind in files]
    try:
        with ProcessPoolExecutor(min(workers, len(files)), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_extract_one, files))
    except BrokenProcessPool:                         # a worker was killed (the system ran out of memory): here
        return [extract(path, kind) for path, kind in files]


def _extract_one(job: tuple) -> tuple[str, ...] | None:
    return extract(*job)


def clean(text: str) -> str:
    """NFC, no control or invisible characters, white space made single spaces."""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = "".join(" " if unicodedata.category(c) in _DROPPED else c for c in text)
    else:
        text = "".join(" " if c < " " or c == "\x7f" else c for c in text)
    return " ".join(text.split())


def _budget(pages) -> tuple[str, ...]:
    """Cleaned pages until MAX_CHARS are used: the last one cut, the rest left out."""
    kept, left = [], MAX_CHARS
    for page in pages:
        if left <= 0:
            break
        text = clean(page)[:left]
        kept.append(text)
        left -= len(text)
    return tuple(kept)


def _pdf(data: bytes) -> tuple[str, ...] | None:
    from pypdf import PdfReader, apply_configuration

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with apply_configuration(**_PDF_LIMITS):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return None
            count = min(len(reader.pages), MAX_PAGES)
        except Exception:                           # hostile bytes: pypdf, zlib, struct, recursion, memory...
            return None
        read = 0

        def pages():
            nonlocal read
            work = 0
            for number in range(count):
                try:
                    page = reader.pages[number]
                    contents = page.get_contents()
                    work += len(contents.get_data()) if contents is not None else 0
                    if work > MAX_CONTENT_BYTES:      # the pages after this one are left out, as past MAX_CHARS
                        return
                    text = page.extract_text() or ""
                    read += 1
                except Exception:                   # one damaged page: no text from it, the others still count
                    text = ""
                yield text

        kept = _budget(pages())
    return kept if read or not count else None


def _docx(data: bytes) -> tuple[str, ...] | None:
    import mammoth

    from .wordin import MAX_MEMBERS, MAX_PART_BYTES, MAX_RATIO, MAX_UNPACKED_BYTES

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception:
        return None
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or any(
            m.file_size > 1 << 20 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members) or any(
            m.file_size > MAX_PART_BYTES for m in members if not m.filename.startswith("word/media/")):
        return None                                 # a zip bomb (Python's zip reader stops at the declared size)
    logging.getLogger("mammoth").setLevel(logging.ERROR)
    try:
        text = mammoth.extract_raw_text(io.BytesIO(data)).value
    except Exception:                               # a corrupt document: mammoth's own errors, zip, XML, recursion...
        return None
    return _budget([text])
