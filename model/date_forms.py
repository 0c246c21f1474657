"""Dates as people write them in spreadsheets and press releases, read to the precision they give.

``June 2017`` is a month, ``15 Nov 2019`` and ``November 15, 2019`` are days,
``2017/06`` is a month. A numeric date whose day and month could be swapped
(``3/4/2019``) is read only when the reader was told which comes first
(:func:`day_order`); otherwise it is refused with both readings, so that no
date is guessed. :func:`read_written` is called by
:func:`clusterkg.model.dates._parse_text` for text that is not ISO 8601; the
checks of range (month 13, 30 February) stay there.

Why not dateutil: it fills what the text leaves out from a default date, so
"June 2017" would become a day (the precision is what this model keeps); it
reads 3/4/2019 as 4 March without a word; and it accepts text that is no date
at all ("15" is the 15th of this month). The forms below are few and closed,
and each refusal can say why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: How a numeric date whose two first numbers could each be the month (3/4/2019) is read:
#: True: day first (3 April), False: month first (4 March), None: refused.
DAYFIRST: ContextVar[bool | None] = ContextVar("clusterkg_dayfirst", default=None)

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, 1):
    _MONTHS[_name.lower()] = _number
    _MONTHS[_name[:3].lower()] = _number
_MONTHS["sept"] = 9

_ORDINAL = r"(?:st|nd|rd|th)?"
_SEP = r"[\s/-]+"
_FORMS = [
    # 2017/06, 2017/06/18, 2017.06.18, 2017-6-5: the year first is never ambiguous
    ("ymd", re.compile(r"^(?P<year>\d{4})(?P<s>[-/.])(?P<month>\d{1,2})(?:(?P=s)(?P<day>\d{1,2}))?$")),
    # 2019-11-15T10:30:00, 2019-11-15 00:00:00 (a time, as exported by pandas or a database, is dropped)
    ("ymd", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"(?:Z|[+-]\d{2}:?\d{2})?$")),
    # 2017年6月18日, 2017年6月
    ("ymd", re.compile(r"^(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?$")),
    # June 2017, Jun. 2017, Jun-2017
    ("my", re.compile(rf"^(?P<month>[^\W\d_]{{3,}})\.?,?{_SEP}(?P<year>\d{{4}})$")),
    # 15 Nov 2019, 15 November, 2019, 15th of November 2019, 15-Nov-2019
    ("dmy", re.compile(rf"^(?P<day>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s/-]*(?P<month>[^\W\d_]{{3,}})\.?,?{_SEP}(?P<year>\d{{4}})$")),
    # November 15, 2019, Nov. 15 2019
    ("mdy", re.compile(rf"^(?P<month>[^\W\d_]{{3,}})\.?\s*(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})$")),
    # 06/2017, 6.2017: a month
    ("ymd", re.compile(r"^(?P<month>\d{1,2})[/.-](?P<year>\d{4})$")),
    # 15/11/2019, 3.4.2019, 3-4-2019: the order of day and month is decided below
    ("numeric", re.compile(r"^(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<year>\d{4})$")),
]
_TWO_DIGIT_YEAR = re.compile(r"^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2}|[^\W\d_]{3,}\.?[\s/-]+\d{2}|\d{1,2}[\s/-]+[^\W\d_]{3,}\.?[\s/-]+\d{2})$")

EXPECTED = "a date like 2017, 2017-06, 2017-06-18, June 2017 or 18 June 2017"


@contextmanager
def day_order(dayfirst: bool | None) -> Iterator[None]:
    """Read numeric dates such as 3/4/2019 day first (True), month first (False) or not at all (None).

    >>> from clusterkg.model.dates import PartialDate, day_order
    >>> with day_order(True):
    ...     PartialDate.parse("3/4/2019")
    PartialDate('2019-04-03')
    """
    token = DAYFIRST.set(dayfirst)
    try:
        yield
    finally:
        DAYFIRST.reset(token)


def month_number(name: str) -> int | None:
    """The month an English month name or its short form means, or None.

    >>> month_number("September"), month_number("Sept."), month_number("jun"), month_number("Juin")
    (9, 9, 6, None)
    """
    return _MONTHS.get(name.lower().rstrip("."))


def _month(name: str, text: str) -> int:
    number = month_number(name)
    if number is None:
        raise ValueError(
            f"{name!r} in {text!r} is not a month: write the month in English (June, Jun) or as a number (2017-06)"
        )
    return number


def read_written(text: str, dayfirst: bool | None = None) -> tuple[int, int | None, int | None]:
    """(year, month, day) of a date written in one of the forms above; None for what it leaves out.

    Raises ValueError with a message fit for a user: why the text is not a
    date, or both readings of an ambiguous numeric date.

    >>> read_written("June 2017"), read_written("Nov. 15, 2019"), read_written("15/11/2019")
    ((2017, 6, None), (2019, 11, 15), (2019, 11, 15))
    >>> read_written("3/4/2019")
    Traceback (most recent call last):
    ...
    ValueError: '3/4/2019' could be 3 April or 4 March 2019: write 2019-04-03 or 2019-03-04, or say which comes first (--dayfirst or --monthfirst; dayfirst=True or False in Python)
    """
    cleaned = " ".join(text.split())
    for form, pattern in _FORMS:
        match = pattern.match(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if form == "numeric":
            return _numeric(int(parts["a"]), int(parts["b"]), year, text, dayfirst)
        month = parts["month"]
        month_number = int(month) if month.isdigit() else _month(month, text)
        day = parts.get("day")
        return year, month_number, int(day) if day else None
    if _TWO_DIGIT_YEAR.match(cleaned):
        raise ValueError(f"{text!r} has a two-digit year: write the year in full, e.g. 2019-11-15 or Nov 2019")
    raise ValueError(f"expected {EXPECTED}, got {text!r}")


def _numeric(a: int, b: int, year: int, text: str, dayfirst: bool | None) -> tuple[int, int, int]:
    """Day and month of ``a/b/year``: a number over 12 can only be the day."""
    if a > 12 and b > 12:
        raise ValueError(f"{text!r}: neither {a} nor {b} can be a month; write the date as {year}-MM-DD")
    if a > 12 or a == b:
        return year, b, a
    if b > 12:
        return year, a, b
    if dayfirst is None:
        first, second = f"{year}-{b:02d}-{a:02d}", f"{year}-{a:02d}-{b:02d}"
        raise ValueError(
            f"{text!r} could be {a} {MONTH_NAMES[b - 1]} or {b} {MONTH_NAMES[a - 1]} {year}: write {first} or "
            f"{second}, or say which comes first (--dayfirst or --monthfirst; dayfirst=True or False in Python)"
        )
    return (year, b, a) if dayfirst else (year, a, b)
