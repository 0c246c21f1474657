"""Where a record came from, and what is wrong with it.

Every message a user sees names a place: ``file:line: field: what is wrong``.
For CSV the line is the row's line in the file; for Excel it is the sheet and
row (``book.xlsx[agreements]:12``); for JSON documents the line where the
record's object starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        text = self.file if self.sheet is None else f"{self.file}[{self.sheet}]"
        return text if self.line is None else f"{text}:{self.line}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input. ``field`` is a dotted path such as ``parties[1].organization``."""

    location: Location
    message: str
    field: str | None = None
    record: str | None = None  # "agreement mou-..." when the record has an id

    def __str__(self) -> str:
        head = f"{self.location}: "
        if self.field:
            head += f"{self.field}: "
        tail = f" (in {self.record})" if self.record else ""
        return head + self.message + tail

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.location.file,
            "sheet": self.location.sheet,
            "line": self.location.line,
            "field": self.field,
            "record": self.record,
            "message": self.message,
        }


class ClusterKGError(Exception):
    """The project's own error: a user mistake, reported without a traceback."""


class InputError(ClusterKGError):
    """Input that cannot be read or is not valid; carries every problem found."""

    def __init__(self, problems: list[Problem], partial: list[RawRecord] | None = None):
        self.problems = problems
        #: Records that could still be read from the file despite the problems.
        self.partial = partial or []
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(slots=True)
class RawRecord:
    """A record as read from a file, before validation: its type, data and place."""

    type: str  # a key of model.RECORD_TYPES
    data: dict[str, Any]
    location: Location
    field_lines: dict[str, int] = field(default_factory=dict)
    #: Problems the reader found before validation (a malformed cell, say).
    problems: list[Problem] = field(default_factory=list)

    def locate(self, field_path: str | None) -> Location:
        """The place of a field within the record, where the reader knows it."""
        if field_path and self.location.line is not None:
            top = field_path.split(".")[0].split("[")[0]
            line = self.field_lines.get(top)
            if line is not None:
                return Location(self.location.file, line, self.location.sheet)
        return self.location
