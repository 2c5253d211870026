"""Vietnamese text: NFC, slugs (đ -> d), search folding, sort keys, dates and numbers.

Dates and numbers are formatted with Babel's ``vi`` locale data (CLDR), so the
weekday names ("Thứ Sáu", "Chủ Nhật") and separators ("1.279.920") are the
ones a Vietnamese reader expects.
"""
from __future__ import annotations

import copyreg
import datetime as dt
import hashlib
import html
import re
import unicodedata
from functools import cached_property, lru_cache

from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal


def text_digest(text: str) -> bytes:
    """What the page cache knows a text by (tracking.Digests): SHA-256 of it, cut to 16 bytes."""
    return hashlib.sha256(b"s" + text.encode("utf-8", "surrogatepass")).digest()[:16]


class Text(str):
    """A long text that carries its :func:`text_digest`, kept with it when pickled: a converted body's HTML and
    search words, which the page checks and the search index of every build would otherwise hash again.
    Otherwise a ``str`` like any other. Unpickled without a call into Python (NEWOBJ, then its digest put in
    its ``__dict__``, where it shadows the property)."""

    @cached_property
    def digest(self) -> bytes:
        return text_digest(self)

    def __reduce_ex__(self, protocol):
        return copyreg.__newobj__, (Text, str(self)), {"digest": self.digest}


# Letters that do not decompose under NFD, or look-alikes editors paste by mistake.
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d", "ı": "i", "ł": "l", "Ł": "L",
                                   "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (what we store and emit)."""
    return unicodedata.normalize("NFC", text)


_VIETNAMESE_MARKS = re.compile("[\u0300-\u036f]+")      # every tone and vowel mark of Vietnamese, after NFD
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_rare(match: re.Match) -> str:
    ch = match.group()
    if unicodedata.category(ch) == "Mn":
        return ""
    return _NO_DECOMPOSITION.get(ord(ch), ch)


def fold(text: str) -> str:
    """Lowercase and strip every diacritic (Unicode category Mn), including đ -> d: "Đà Nẵng" -> "da nang".

    Runs over whole bodies for the search index, so the common cases go through C string
    methods and one regex pass; only rare non-ASCII leftovers (quotes, dashes, other
    scripts) are looked at one by one.
    """
    if text.isascii():
        return text.lower()
    folded = _VIETNAMESE_MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))
    if not folded.isascii():
        folded = _NON_ASCII.sub(_fold_rare, folded)
    return folded.lower()


_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


# what XML 1.0 forbids in a document, even as a character reference: a feed holding one is refused whole by readers
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# control characters in a body's HTML (Word's manual line break \x0b, a page break \x0c, ESC...): the two that
# separate words become spaces, the others go
_CONTROLS = {**{code: None for code in (*range(0x09), *range(0x0e, 0x20), 0x7f)}, 0x0b: " ", 0x0c: " "}
_CONTROL = re.compile("[" + re.escape("".join(map(chr, _CONTROLS))) + "]")


def xml_text(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped for XML character data (what xml.sax.saxutils.escape does, without
    importing urllib, http and ssl with it), without the characters XML forbids."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def without_controls(text: str) -> str:
    """``text`` without control characters but tab and line ends (a vertical tab or a form feed as a space)."""
    return text.translate(_CONTROLS) if _CONTROL.search(text) else text


def xml_attribute(text: str) -> str:
    """``text`` as a quoted XML attribute value, as xml.sax.saxutils.quoteattr writes it."""
    text = xml_text(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


# A word, and the words joined to it by an apostrophe, a hyphen or a slash: those are also kept joined,
# "N'Jang" -> "njang" (as readers type Central Highlands place names), "45/KH-UBND" -> "45khubnd" (a
# document number found exactly). The page script joins its query the same way. The joined part is
# optional, so a match never fails and backs off: linear on any text (a 4 MB word included).
_TOKEN = re.compile("[\\w\u0300-\u036f]+(?:[-'\u2019\u02bc/][\\w\u0300-\u036f]+)*")
COMPOUND_MAX = 40               # characters of a joined word
COMPOUND_PARTS = 6              # words of a compound that are joined (the first ones)


def _folded_words(token: str) -> tuple:
    parts = _WORD.findall(fold(token))
    found = list(parts)
    head = parts[:COMPOUND_PARTS]
    for start in range(len(head) - 1):                  # every run of two parts or more: "Ea-H'leo" -> "hleo" too
        for end in range(start + 2, len(head) + 1):
            joined = "".join(head[start:end])
            if len(joined) <= COMPOUND_MAX:
                found.append(joined)
    return tuple(found)


def search_words(text: str) -> frozenset:
    """The folded words of ``text``, as the search index and the page script see them, and its
    compounds joined (see ``_TOKEN``).

    The same as ``\\w+`` over ``fold(text)`` plus the joined words, but each distinct token is folded
    once per build: a portal's vocabulary is small next to its text.
    """
    words: set = set()
    known = _FOLDED
    for token in set(_TOKEN.findall(text)):
        folded = known.get(token)
        if folded is None:
            folded = known[token] = _folded_words(token)
        words.update(folded)
    if len(known) > 1 << 18:                     # a bound on memory, for very large portals
        known.clear()
    return frozenset(words)


_FOLDED: dict = {}


SLUG_MAX = 80          # characters: an address a reader can read out, share and type


def slugify(text: str) -> str:
    """ASCII slug: "Kiểm tra CCHC: Đợt 1" -> "kiem-tra-cchc-dot-1". Never drops a letter of the words it
    keeps; past ``SLUG_MAX`` characters it ends at the last whole word (a 160-character trích yếu
    makes no address)."""
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    if len(slug) <= SLUG_MAX:
        return slug
    cut = slug[:SLUG_MAX + 1].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX + 1] else slug[:SLUG_MAX]
    return cut.strip("-")


def slugify_heading(text: str, separator: str = "-") -> str:
    """Heading anchors for Python-Markdown's toc extension (same rules as slugs)."""
    return slugify(text).replace("-", separator) or "muc"


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese words in dictionary order, tones as a tie-breaker."""
    primary, secondary = [], []
    for ch in nfc(text).lower():
        base_and_marks = unicodedata.normalize("NFD", ch)
        tone = 0
        kept = []
        for part in base_and_marks:
            if part in _TONES:
                tone = _TONES[part]
            else:
                kept.append(part)
        letter = unicodedata.normalize("NFC", "".join(kept))
        if letter in _ORDER:
            primary.append((1, _ORDER[letter]))
        elif letter.isdigit():
            primary.append((0, ord(letter)))
        else:
            primary.append((2, ord(letter[0]) if letter else 0))
        secondary.append(tone)
    return (tuple(primary), tuple(secondary), text)


@lru_cache(maxsize=1 << 18)          # every date a big portal shows, several times each
def format_datetime(value: dt.datetime, with_weekday: bool = True, with_time: bool = True) -> str:
    """``Thứ Sáu, 08/10/2021 09:00`` (value already in the site's time zone)."""
    pattern = ("EEEE, " if with_weekday else "") + "dd/MM/yyyy" + (" HH:mm" if with_time else "")
    return _babel_datetime(value, pattern, locale="vi", tzinfo=value.tzinfo)


def format_date(value: dt.date) -> str:
    """``08/10/2021``."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_number(value: int | float) -> str:
    """``1.279.920`` and ``1,25``."""
    return _babel_decimal(value, locale="vi")


def format_size(size: int) -> str:
    """File sizes as Vietnamese readers write them: ``245 KB``, ``1,2 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_number(max(1, round(size / 1024)))} KB"
    return f"{format_number(round(size / (1024 * 1024), 1))} MB"


def plain_summary(text: str, limit: int = 300) -> str:
    """Collapse whitespace and cut at a word boundary before ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"
