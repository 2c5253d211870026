"""What a page shows, as a digest: the key that lets the page cache reuse a rendered page.

A page is rendered from its template, its :class:`render.PageInfo`, its context
(a post, a pager, a unit...) and the ``site`` every layout uses. Its key is a
digest of all of those, walked field by field (dataclasses, lists, dates...), so
a change anywhere the template can reach gives a new key. Two rules keep one
edit from touching every page:

* an object the page is *about* (a context value, or an item of a context list)
  is walked in full; an object reached *through* another one contributes its own
  facts but not the collections that merely point back at the rest of the site
  (a post's neighbours, a section's or tag's post lists): see :data:`BACKLINKS`;
* ``site`` contributes only what layouts read from it (:func:`site_digest`).

Digests are stable across processes (sets are sorted, nothing hashes by
identity), so they can key files in ``.cache/``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
from functools import lru_cache

# Fields skipped when an object is reached through another one (see the module docstring).
BACKLINKS = {
    "Post": frozenset({"related", "newer", "older"}),
    "Tag": frozenset({"posts", "pages"}),
    "Year": frozenset({"posts", "pages"}),
}
# Frozen dataclasses that nevertheless hold model objects (walked field by field, not by repr).
HOLDS_MODEL_OBJECTS = frozenset({"Step"})
# Fields no template reads (a section's posts reach pages through pagers): never part of a key.
UNSHOWN = {"Post": frozenset({"body_words"}), "Section": frozenset({"posts", "pages"})}
_NOTHING: frozenset = frozenset()
_PLAIN = (type(None), bool, int, float, str)


class Digester:
    """Digests of model values for one build; an object reached many times is walked once."""

    def __init__(self):
        self._memo: dict[tuple, bytes] = {}
        self._keep: list = []                  # keeps memoised objects alive, so ids are not reused
        self._open: set[int] = set()            # objects being walked (the model has cycles)

    def page_key(self, *parts) -> str:
        """The key of one page: ``parts`` are its template name, PageInfo, context and site digest."""
        digest = hashlib.blake2b(digest_size=20)
        for part in parts:
            digest.update(self.value(part, top=True))
        return digest.hexdigest()

    def value(self, value, top: bool = False) -> bytes:
        kind = type(value)
        if kind in _PLAIN or kind is bytes:
            return repr(value).encode("utf-8", "surrogatepass") + kind.__name__[:1].encode()
        if isinstance(value, (list, tuple, dict)):
            if len(value) < 4:                  # small: not worth remembering
                return self._container(value, top)
            return self._remembered(value, top, self._container)
        if isinstance(value, (set, frozenset)):
            return self._many("set", sorted(self.value(v) for v in value))
        if dataclasses.is_dataclass(value):
            if _is_value(value):                # frozen and flat: its repr says it all, and fast
                return self._remembered(value, False, _repr)
            return self._remembered(value, top, self._object)
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            return repr((kind.__name__, value.isoformat(), str(getattr(value, "tzinfo", "")))).encode()
        if isinstance(value, enum.Enum):
            return repr(value).encode()
        if kind.__name__ == "ZoneInfo":
            return repr(("ZoneInfo", value.key)).encode()
        raise TypeError(f"cannot fingerprint {kind.__name__}: add a rule to fingerprint.py")

    def _remembered(self, value, top: bool, walk) -> bytes:
        key = (id(value), top)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = walk(value, top)
            self._keep.append(value)
        return found

    def _container(self, value, top: bool) -> bytes:
        if isinstance(value, dict):
            return self._many("dict", sorted(self.value(k) + b"=" + self.value(v, top) for k, v in value.items()))
        if all(type(v) in _PLAIN for v in value):
            return repr(value).encode("utf-8", "surrogatepass")
        return self._many("list", [self.value(v, top) for v in value])

    def _object(self, obj, top: bool) -> bytes:
        name = type(obj).__name__
        identity = id(obj)
        if identity in self._open:               # a cycle: the object's own plain facts only
            return self._fields(obj, name, plain_only=True)
        self._open.add(identity)
        try:
            return self._fields(obj, name, skip=_NOTHING if top else BACKLINKS.get(name, _NOTHING))
        finally:
            self._open.discard(identity)

    def _fields(self, obj, name: str, skip: frozenset = _NOTHING, plain_only: bool = False) -> bytes:
        plain, parts = [], []
        for field_name in _field_names(type(obj)):
            if field_name in skip:
                continue
            item = getattr(obj, field_name)
            if type(item) is str and len(item) > 256:     # a body: hash its bytes, skip repr's escaping
                parts.append(hashlib.blake2b(item.encode("utf-8", "surrogatepass"), digest_size=16).digest())
            elif type(item) in _PLAIN:
                plain.append(item)
            elif not plain_only:
                parts.append(self.value(item))
        parts.append(repr(plain).encode("utf-8", "surrogatepass"))
        return self._many(name, parts)

    @staticmethod
    def _many(kind: str, parts) -> bytes:
        digest = hashlib.blake2b(kind.encode(), digest_size=16)
        for part in parts:
            digest.update(len(part).to_bytes(4, "little"))
            digest.update(part)
        return digest.digest()


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple:
    unshown = UNSHOWN.get(kind.__name__, _NOTHING)
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in unshown)


def _is_value(obj) -> bool:
    """A frozen dataclass holding no model object: its generated repr is a complete, stable description."""
    return _is_value_class(type(obj))


@lru_cache(maxsize=None)
def _is_value_class(kind: type) -> bool:
    return kind.__dataclass_params__.frozen and kind.__name__ not in HOLDS_MODEL_OBJECTS


def _repr(obj, top: bool) -> bytes:
    return repr(obj).encode("utf-8", "surrogatepass")


def site_digest(site, digester: Digester) -> bytes:
    """What layouts read from ``site``: configuration, addresses, menu, sections and the units block."""
    records = site.records
    units = [] if records is None else [(u.name, u.url, bool(u.inspections)) for u in records.units]
    summary = [
        site.config, site.urls.base_url, site.menu,
        [(s.name, s.title, s.url, s.feed_url) for s in site.sections],
        None if records is None else (records.index_url, records.units_url, bool(records.inspections), units),
    ]
    return digester.value(summary, top=True)
