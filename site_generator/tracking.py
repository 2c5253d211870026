"""What a page read from the model: the page cache reuses a page only when all of it is unchanged.

Templates run in a sandboxed, immutable Jinja2 environment (:class:`Environment`). Every
attribute, item or method lookup on an *identified* model object (a class that declares
``IDENTITY``: a post by its source file, a tag by its slug, the site as the only one) is
recorded while a page renders, as ``(identity, operation)``. Everything else a template can
touch is a *value* and is digested in full (:class:`Digests`): plain data by its text, lists
and dicts item by item, in order, other dataclasses by every field and every property, and
identified objects by their identity alone (what a page shows of them is covered by the
lookups it made on them).

A page's key is a digest of our code, every template file, the template's name and the page's
context. The cache keeps, beside the page, the lookups it made and a digest of what they
returned. The next build replays those lookups on its own model (:meth:`Replay.digest`): the
page is reused only when each returns a value with the same digest. A template reaches the
model through nothing else (the sandbox refuses private attributes, and the model's methods
are replayed like its attributes), so a page reused is the page a clean build would render.

Anything that cannot be replayed (an identified object the model does not hold, a method of a
value that holds model objects, arguments that are not plain data, a value of an unknown type)
gets a digest that matches nothing: the page is rendered again every build, never stale.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import operator
import os
import types
from functools import cached_property, lru_cache

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from .text import Text

_BASE_GETATTR = SandboxedEnvironment.getattr
_BASE_GETITEM = SandboxedEnvironment.getitem
_PLAIN = frozenset({str, Text, int, float, bool, type(None)})      # Text: a str (its repr is a str's)
# types whose repr() says everything about a value, the same way in every process
_REPRS = _PLAIN | {dt.datetime, dt.date, dt.time, dt.timedelta}
_UNTRACKED = frozenset({str, Text, int, float, bool, type(None), list, tuple, dict, jinja2.runtime.LoopContext})
DIGEST_SIZE = 16
_BOUND = (types.MethodType, types.BuiltinMethodType)


class Unreplayable(Exception):
    """A value whose digest could not be taken: its page is never reused."""


# ------------------------------------------------------------------------ identity

@lru_cache(maxsize=None)
def _identity_field(kind: type) -> str | None:
    """The field that identifies instances of ``kind`` ("" for a class with one instance), or None."""
    return getattr(kind, "IDENTITY", None) if dataclasses.is_dataclass(kind) else None


def identity(obj) -> tuple | None:
    """("Post", "content/tin-tuc/a.md"), ("Site", ""), or None for a value."""
    name = _identity_field(type(obj))
    if name is None:
        return None
    return (type(obj).__name__, getattr(obj, name) if name else "")


def index(root) -> dict:
    """identity -> the one object the model holds with it (None when two objects claim one identity).

    Walks containers, identified objects and mutable dataclasses from ``root``; frozen values are
    not entered (an identified object reachable only through one is simply not indexed, so
    lookups on it are never replayed: its pages are rendered every build).
    """
    found: dict = {}
    seen: set = set()
    stack = [root]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind in _PLAIN:
            continue
        if kind in (list, tuple):
            stack.extend(value)
            continue
        if kind is dict:
            stack.extend(value.values())
            continue
        key = id(value)
        if key in seen:
            continue
        seen.add(key)
        if _dataclass_fields(kind) is None:
            continue
        ident = identity(value)
        if ident is not None:
            if found.get(ident, value) is not value:
                found[ident] = None                   # ambiguous: never replayed
            elif ident not in found:
                found[ident] = value
        elif _frozen(kind):
            continue
        stack.extend(_field_values(kind)(value))
    return found


@lru_cache(maxsize=None)
def _dataclass_fields(kind: type) -> tuple | None:
    """The field names of the instances of ``kind`` when it is a dataclass, else None (the type of a
    dataclass's class is ``type``: None)."""
    return _fields(kind) if dataclasses.is_dataclass(kind) else None


@lru_cache(maxsize=None)
def _frozen(kind: type) -> bool:
    return kind.__dataclass_params__.frozen


@lru_cache(maxsize=None)
def _fields(kind: type) -> tuple:
    return tuple(f.name for f in dataclasses.fields(kind))


@lru_cache(maxsize=None)
def _field_values(kind: type):
    """A function giving the list of a ``kind`` instance's field values, in order."""
    names = _fields(kind)
    if not names:
        return lambda value: []
    getter = operator.attrgetter(*names)
    return (lambda value: [getter(value)]) if len(names) == 1 else (lambda value: list(getter(value)))


@lru_cache(maxsize=None)
def _properties(kind: type) -> tuple:
    """Names of the properties (and cached properties) of a class, public ones, in a fixed order."""
    names = []
    for klass in reversed(kind.__mro__):
        for name, member in vars(klass).items():
            if isinstance(member, (property, cached_property)) and not name.startswith("_") and name not in names:
                names.append(name)
    return tuple(names)


# ------------------------------------------------------------------------ digests of values

class Digests:
    """Digests of values for one build (memoised by object, so shared values are walked once).

    A dataclass value is digested by its fields and, when it holds model objects, by its
    properties too (a property could read through them). A value holding none is a function
    of its fields alone, and so are its properties (their code is part of the key).
    """

    def __init__(self, known: dict):
        self.known = known                     # identity -> object (see index())
        self._memo: dict[int, bytes] = {}
        self._holding: set[int] = set()        # memoised values that reach an identified object
        self._keep: list = []                  # memoised objects stay alive: their ids are not reused
        self._open: set[int] = set()

    def of(self, value) -> bytes:
        """The digest of ``value``; one that matches nothing when it cannot be replayed."""
        try:
            return self._digest(value)
        except (Unreplayable, RecursionError):
            return unmatched()

    def key(self, *parts) -> bytes:
        """One digest of several values (a page's key)."""
        return _hash(b"".join(self.of(part) for part in parts))

    def _digest(self, value) -> bytes:
        kind = type(value)
        if kind is str:                        # what _plain does, without the call: most values are texts
            return _hash(b"s" + value.encode("utf-8", "surrogatepass"))        # = text_digest(value)
        if kind is Text:                       # text_digest(value), made with the text
            return value.digest
        if kind in _REPRS:
            return _hash(f"{kind.__name__}:{value!r}".encode())
        key = id(value)
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._open:
            raise Unreplayable(f"a cycle of values through {kind.__name__}")
        self._open.add(key)
        try:
            found = self._compute(value, kind)
        finally:
            self._open.discard(key)
        self._memo[key] = found
        self._keep.append(value)
        return found

    def _children(self, value, items) -> bytes:
        parts = []
        holds = False
        digest, holding = self._digest, self._holding
        for item in items:
            parts.append(digest(item))
            if not holds:                      # does this item (just digested) reach an identified object?
                kind = type(item)
                holds = kind not in _PLAIN and (id(item) in holding or _identity_field(kind) is not None)
        if holds:
            self._holding.add(id(value))
        return b"".join(parts)

    def _compute(self, value, kind: type) -> bytes:
        if kind in (list, tuple):
            if _REPRS.issuperset(map(type, value)) or _rows(value):     # plain data: one repr says it all
                return _hash(kind.__name__.encode() + repr(value).encode("utf-8", "surrogatepass"))
            return _hash(kind.__name__.encode() + self._children(value, value))
        if kind is dict:                       # in order: a template iterating it sees that order
            keys = tuple(value)
            if all(type(k) is str for k in keys):
                return _hash(b"dict" + repr(keys).encode("utf-8", "surrogatepass")
                             + self._children(value, value.values()))
            return _hash(b"dict" + self._children(value, (x for pair in value.items() for x in pair)))
        if kind in (set, frozenset):
            parts = self._children(value, value)
            return _hash(b"set" + b"".join(sorted(parts[i:i + DIGEST_SIZE] for i in range(0, len(parts),
                                                                                         DIGEST_SIZE))))
        if _dataclass_fields(kind) is not None:
            ident = identity(value)
            if ident is not None:
                if self.known.get(ident) is not value:
                    raise Unreplayable(f"{ident} is not an object the model holds")
                return _hash(b"ref" + repr(ident).encode("utf-8", "surrogatepass"))
            items = _field_values(kind)(value)
            if _REPRS.issuperset(map(type, items)):             # plain fields only: no model object inside
                return _hash(kind.__qualname__.encode() + repr(items).encode("utf-8", "surrogatepass"))
            fields = self._children(value, items)
            parts = [kind.__qualname__.encode(), fields]
            if id(value) in self._holding:
                for name in _properties(kind):
                    try:
                        item = getattr(value, name)
                    except Exception as err:   # noqa: BLE001 - a property that fails: part of the value
                        parts.append(b"raised " + type(err).__name__.encode())
                        continue
                    parts.append(self._digest(item))
            return _hash(b"".join(parts))
        if isinstance(value, str):             # Markup and other str subclasses: their type matters
            return _hash(kind.__qualname__.encode() + b":" + value.encode("utf-8", "surrogatepass"))
        if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            return _hash(f"{kind.__name__}:{value.isoformat() if hasattr(value, 'isoformat') else value!r}:"
                         f"{getattr(value, 'tzinfo', '')}".encode())
        if isinstance(value, enum.Enum):
            return _hash(repr(value).encode())
        if kind.__name__ == "ZoneInfo":
            return _hash(f"ZoneInfo:{value.key}".encode())
        if isinstance(value, bytes):
            return _hash(b"bytes" + value)
        if isinstance(value, jinja2.Undefined):
            return _hash(f"undefined:{value._undefined_name}".encode())
        if isinstance(value, types.MethodType):
            owner = identity(value.__self__)
            if owner is None and _holds_model_objects(value.__self__):
                raise Unreplayable("a method of a value that holds model objects")
            return _hash(f"method:{value.__func__.__qualname__}:{owner}".encode())
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            return _hash(f"function:{value.__module__}.{value.__qualname__}".encode())
        raise Unreplayable(f"no digest for {kind.__name__}")


def _rows(value) -> bool:
    """Whether every item of a list or tuple is a list or tuple of plain values (a pager's numbers and
    addresses): its repr() says all of it too."""
    return bool(value) and all(type(row) in _SEQUENCES and _REPRS.issuperset(map(type, row)) for row in value)


_SEQUENCES = frozenset({list, tuple})


def _plain(value, kind: type) -> bytes | None:
    """The digest of a text, or of a value whose repr() says all of it; None for any other value."""
    if kind is str:
        return _hash(b"s" + value.encode("utf-8", "surrogatepass"))        # = text_digest(value)
    if kind is Text:
        return value.digest
    if kind in _REPRS:
        return _hash(f"{kind.__name__}:{value!r}".encode())
    return None


def _hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]     # SHA-256: in hardware on most CPUs, faster than BLAKE2b


_CONSTANTS = {value: _plain(value, type(value)) for value in (None, True, False)}    # no two equal: distinct keys


def unmatched() -> bytes:
    """A digest equal to no other: what cannot be replayed is rendered again."""
    return b"\0unmatched\0" + os.urandom(DIGEST_SIZE - 11)


def is_unmatched(digest: bytes) -> bool:
    return digest.startswith(b"\0unmatched\0")


def _holds_model_objects(value, depth: int = 0) -> bool:
    """True when a value reaches an identified object (its methods could read through it)."""
    if depth > 50:
        return True
    kind = type(value)
    if kind in _PLAIN:
        return False
    if identity(value) is not None:
        return True
    if kind in (list, tuple, set, frozenset):
        return any(_holds_model_objects(v, depth + 1) for v in value)
    if kind is dict:
        return any(_holds_model_objects(v, depth + 1) for v in value.values())
    if dataclasses.is_dataclass(value):
        return any(_holds_model_objects(getattr(value, name), depth + 1) for name in _fields(kind))
    return False


# ------------------------------------------------------------------------ recording and replaying

_STRANGER = (("", ""), ("stranger",))          # a lookup that cannot be replayed: the page is never reused


def _encode(value):
    """An argument of a method call as plain data (identified objects by identity); None if impossible."""
    if type(value) in _PLAIN:
        return ("v", value)
    if type(value) in (list, tuple):
        items = tuple(_encode(v) for v in value)
        return None if None in items else ("l", items)
    ident = identity(value)
    return None if ident is None else ("r", ident)


def _decode(item, known: dict):
    tag, payload = item
    if tag == "v":
        return payload
    if tag == "l":
        return [_decode(v, known) for v in payload]
    obj = known.get(payload)
    if obj is None:
        raise Unreplayable(f"{payload} is gone")
    return obj


class Recorder:
    """The lookups one page makes on identified objects while it renders."""

    def __init__(self, known: dict):
        self.known = known
        self.reads: set = set()

    def saw(self, obj, operation: tuple, value):
        if isinstance(value, types.MethodType):
            return self.method(value)
        ident = identity(obj)
        if ident is not None:
            self.reads.add((ident, operation) if self.known.get(ident) is obj else _STRANGER)
        return value

    def method(self, method):
        """A bound method a template got hold of: calls on a model object are recorded."""
        owner = method.__self__
        ident = identity(owner)
        if ident is not None:
            if self.known.get(ident) is owner:
                return _TrackedMethod(self, ident, method)
            self.reads.add(_STRANGER)
        elif dataclasses.is_dataclass(owner) and _holds_model_objects(owner):
            self.reads.add(_STRANGER)          # it could read through them, unseen
        return method


class _TrackedMethod:
    """A model object's method as a template sees it: each call is recorded like a lookup."""
    __slots__ = ("_recorder", "_ident", "_method")

    def __init__(self, recorder: Recorder, ident: tuple, method):
        self._recorder, self._ident, self._method = recorder, ident, method

    def __call__(self, *args, **kwargs):
        positional = tuple(_encode(a) for a in args)
        named = tuple((k, _encode(v)) for k, v in sorted(kwargs.items()))
        encoded = positional + named
        if None in positional or any(e is None for _, e in named):
            self._recorder.reads.add(_STRANGER)
        else:
            self._recorder.reads.add((self._ident, ("call", self._method.__name__, len(args), encoded)))
        return self._method(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<method {self._method.__qualname__}>"


class Replay:
    """Replays recorded lookups on this build's model and digests what they return (memoised)."""

    def __init__(self, env: "Environment", known: dict):
        self.env, self.known = env, known
        self.digests = Digests(known)

    def digest_all(self, reads) -> list:
        """:meth:`digest` of each of ``reads``, in order. Attributes (most lookups) are replayed here, and those
        that are a text, None or a bool (most of a portal's) digested without a call."""
        found, known, constants, sha256, digests = [], self.known, _CONSTANTS, hashlib.sha256, self.digests
        add = found.append
        for read in reads:
            ident, operation = read
            if operation[0] != "attr":
                add(self._call_or_item(read))
                continue
            obj = known.get(ident)
            if obj is None:
                add(unmatched())
                continue
            try:                               # the sandbox let this name of this class through when it was
                value = getattr(obj, operation[1])  # recorded, and would again: no need to ask it twice
            except Exception:                  # noqa: BLE001 - gone or failing now: render (and report) again
                add(unmatched())
                continue
            kind = type(value)
            if kind is str:                    # = text_digest(value)
                add(sha256(b"s" + value.encode("utf-8", "surrogatepass")).digest()[:DIGEST_SIZE])
            elif kind is Text:
                add(value.digest)
            elif value is None or value is True or value is False:
                add(constants[value])
            else:
                add(digests.of(value))
        return found

    def digest(self, read: tuple) -> bytes:
        """What ``read`` returns in this build, as a digest (callers memoise it)."""
        return self.digest_all((read,))[0]

    def _call_or_item(self, read: tuple) -> bytes:
        ident, operation = read
        obj = self.known.get(ident)
        if obj is None or operation[0] not in ("item", "call"):
            return unmatched()
        try:
            if operation[0] == "item":
                value = _BASE_GETITEM(self.env, obj, operation[1])
            else:
                _, name, positional, encoded = operation
                args = [_decode(e, self.known) for e in encoded[:positional]]
                kwargs = {k: _decode(e, self.known) for k, e in encoded[positional:]}
                value = getattr(obj, name)(*args, **kwargs)
        except Exception:                      # noqa: BLE001 - gone or failing now: render (and report) again
            return unmatched()
        return self.digests.of(value)


# ------------------------------------------------------------------------ the environment

class Environment(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, recording lookups on identified objects while ``recorder`` is set.

    The sandbox keeps a site's own templates from reaching Python internals, and from changing
    the model while pages render (so every page sees the same model whatever the order).
    """
    recorder: Recorder | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._safe: dict = {}                 # (type, name) -> the sandbox's answer

    def getattr(self, obj, attribute):
        """The sandbox's lookup, with its answer for each (type, name) kept: Jinja2's rules
        (private names, internals of functions and frames, mutating methods) depend on nothing else."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            value = _BASE_GETATTR(self, obj, attribute)          # an item of that name, or undefined
        else:
            if type(value) in _BOUND:
                wrapped = self.wrap_str_format(value)           # str.format: the sandbox's own formatter
                if wrapped is not None:
                    return wrapped
            key = (type(obj), attribute)
            safe = self._safe.get(key)
            if safe is None:
                safe = self._safe[key] = self.is_safe_attribute(obj, attribute, value)
            if not safe:
                return self.unsafe_undefined(obj, attribute)
        if self.recorder is not None and type(obj) not in _UNTRACKED:
            value = self.recorder.saw(obj, ("attr", attribute), value)
        return value

    def getitem(self, obj, argument):
        value = _BASE_GETITEM(self, obj, argument)
        if self.recorder is not None and type(obj) not in _UNTRACKED:
            if type(argument) not in _PLAIN and identity(obj) is not None:
                self.recorder.reads.add(_STRANGER)
            value = self.recorder.saw(obj, ("item", argument), value)
        return value
