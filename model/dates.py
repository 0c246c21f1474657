"""Dates that keep the precision their source gave them.

A press release that says "June 2017" must not become 2017-06-01: a
:class:`PartialDate` is a year, a month or a day, and compares by the interval
it covers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from clusterkg.model.date_forms import DAYFIRST, day_order, read_written  # noqa: F401  (day_order: re-exported)

Precision = Literal["year", "month", "day"]

#: The years a date may have. Four digits, as the text form has them, from 1000
#: (an earlier year is a typo here: "0201" is not the year 201 of any agreement);
#: Python's calendar ends on 9999-12-31, and the build computes the end of a term
#: and the day after a date, so the last year is kept free.
MIN_YEAR, MAX_YEAR = 1000, 9998
#: The longest term: a longer one is not a term (an agreement without end is open-ended).
MAX_TERM_YEARS = 1000

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DURATION = re.compile(
    r"^P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$"
)


@dataclass(frozen=True, order=False, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day.

    Examples
    --------
    >>> d = PartialDate.parse("2017-06")
    >>> d.precision, str(d)
    ('month', '2017-06')
    >>> d.earliest(), d.latest()
    (datetime.date(2017, 6, 1), datetime.date(2017, 6, 30))
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Read a date from text (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), a
        :class:`datetime.date` or a year given as an integer.

        Raises ValueError with a message fit for a user.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):  # a datetime is a date too: its day is kept
            _check_year(value.year, value.isoformat()[:10])
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise ValueError(f"expected a date like 2017, 2017-06 or 2017-06-18, got {value!r}")
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a date like 2017, 2017-06 or 2017-06-18, got {value!r}")
        return _parse_text(value.strip(), DAYFIRST.get())

    def earliest(self) -> dt.date:
        """The first day the date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day the date can mean."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]
        if self.month is not None:
            if self.month == 12:
                return dt.date(self.year, 12, 31)
            return dt.date(self.year, self.month + 1, 1) - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def surely_before(self, other: PartialDate) -> bool:
        """True only when every day this date can mean precedes every day of ``other``."""
        return self.latest() < other.earliest()

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


@lru_cache(maxsize=65536)
def _parse_text(text: str, dayfirst: bool | None = None) -> PartialDate:
    """``dayfirst``: how a numeric date such as 3/4/2019 is read (see :mod:`clusterkg.model.date_forms`)."""
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
    else:  # June 2017, 15 Nov 2019, 2017/06 ...: read to the precision written, or refused with the reason
        year, month, day = read_written(text, dayfirst)
    _check_year(year, text)  # type: ignore[arg-type]
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range in {text!r}")
    if day is not None:
        try:
            dt.date(year, month, day)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"no such day: {text!r}") from None
    return PartialDate(year, month, day)  # type: ignore[arg-type]


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year:04d} out of range in {text!r}: dates run from {MIN_YEAR} to {MAX_YEAR}")


#: Days in a year, a month and a week, at most: what a term may add, counted generously.
_DAYS_IN = {"Y": 366, "M": 31, "W": 7, "D": 1}
_PART = re.compile(r"(\d+)([YMWD])")


def check_duration(value: str) -> str:
    """Check an ISO 8601 duration such as ``P5Y`` or ``P18M``, of at most :data:`MAX_TERM_YEARS` years.

    >>> check_duration("p18m")
    'P18M'
    >>> check_duration("P99999Y")
    Traceback (most recent call last):
    ...
    ValueError: the term P99999Y is longer than 1000 years
    """
    text = value.strip().upper()
    if len(text) > 40 or not _DURATION.match(text):
        shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}... ({len(value):,} characters)"
        raise ValueError(f"expected an ISO 8601 duration such as P5Y or P18M, got {shown}")
    days = sum(int(n) * _DAYS_IN[unit] for n, unit in _PART.findall(text.split("T")[0]))
    if days > MAX_TERM_YEARS * 366:
        raise ValueError(f"the term {text} is longer than {MAX_TERM_YEARS} years")
    return text


_DAYS_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$")


def add_duration(day: dt.date, term: str) -> dt.date | None:
    """``day`` plus an ISO 8601 duration of years, months, weeks and days (None for others).

    A month that has no such day ends on its last day: 31 January + P1M is the
    last day of February, not an error. A time part (``T12H``) is ignored.

    Examples
    --------
    >>> add_duration(dt.date(2020, 9, 18), "P5Y")
    datetime.date(2025, 9, 18)
    >>> add_duration(dt.date(2020, 1, 31), "P1M")
    datetime.date(2020, 2, 29)
    """
    match = _DAYS_DURATION.match(term)
    if not match:
        return None
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = day.month - 1 + months + 12 * years
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    moved = dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))
    return moved + dt.timedelta(weeks=weeks, days=days)
