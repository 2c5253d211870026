"""A problem in the editors' input is a value, never an exception.

Every stage returns the problems it found; the command line prints them all at
once as ``path:line: what is wrong — how to fix it``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import messages

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: str                 # relative to the site folder, with "/" separators
    line: int                 # 1-based; 0 when the whole file is concerned
    code: str                 # a key of messages.MESSAGES
    params: tuple = ()        # (name, value) pairs for the message template
    severity: str = ERROR
    column: int = 0

    def text(self, language: str = "vi") -> str:
        what, fix = messages.render(self.code, dict(self.params), language)
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity == ERROR else messages.warning_label(language)
        return f"{where}: {label}{what} — {fix}"

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, repr(self.params))   # total: the same order every run


def problem(path: str, line: int, code: str, severity: str = ERROR, column: int = 0, **params) -> Problem:
    """Shorthand: ``problem("content/a.md", 3, "missing-key", key="date")``."""
    messages.require(code)
    return Problem(path, line, code, tuple(sorted(params.items())), severity, column)


@dataclass
class Problems:
    """A collector that stages append to; sorted and de-duplicated on read."""
    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, code: str, severity: str = ERROR, column: int = 0, **params) -> None:
        self.items.append(problem(path, line, code, severity, column, **params))

    def extend(self, others) -> None:
        self.items.extend(others)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: p.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == WARNING]
