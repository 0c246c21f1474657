"""Dates in press-release sentences: what a sentence says about when an agreement was signed.

Every date found keeps its precision ("June 2017" stays a month) and its basis:
``explicit`` when the words give the year ("19 June 2017", "in 2009", "BioJapan 2025"),
``inferred`` when the year or the day comes from the publication date or dateline
("On February 21st" in a release of March 2019, "in January this year", "today",
"last Friday"). Without a publication date a day and month with no year gives nothing:
a date is left out rather than borrowed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clusterkg.loaders.press.document import MONTH
from clusterkg.model.date_forms import month_number
from clusterkg.model.dates import PartialDate

_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_ORDINAL = r"(?:st|nd|rd|th)?"
# (pattern, what its groups hold); the longest forms first, a shorter one never inside a longer one
_PATTERNS = [
    re.compile(rf"\b(?P<y>{_YEAR})-(?P<mm>\d\d)-(?P<d>\d\d)\b"),
    re.compile(rf"\b(?P<y>{_YEAR})/(?P<mm>\d{{1,2}})/(?P<d>\d{{1,2}})\b"),
    # a stretch of days in one month is the month: "from 14 to 21 May 2011"
    re.compile(rf"\b\d{{1,2}}{_ORDINAL}\s*(?:-|–|to|until)\s*\d{{1,2}}{_ORDINAL}(?:\s+of)?\s+(?P<m>{MONTH}),?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+(?P<m>{MONTH})(?:\s*,?\s*(?P<y>{_YEAR}))?\b"),
    re.compile(rf"(?:\b(?P<wd>{_WEEKDAY}),?\s+)?\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}}){_ORDINAL}\b(?!\s*(?:-|–|to)\s*\d)(?:\s*,?\s*(?P<y>{_YEAR}))?"),
    re.compile(rf"\b(?P<m>{MONTH})\s+\d{{1,2}}{_ORDINAL}\s*(?:-|–|to)\s*\d{{1,2}}{_ORDINAL},?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<m>{MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?:in|during|early|late|mid|since)\s+(?:-\s*)?(?P<m>{MONTH})\s+(?P<rel>this|last|of\s+this|of\s+last)\s+year\b", re.I),
    re.compile(rf"\bin\s+(?P<m>{MONTH})(?!\s*\d)(?=\s*[,.;]|\s+[a-z]|\s*$)"),
]
# a year on its own: "in 2009", "the 2010 BIO International Convention", "BioJapan 2025", "'BIO 2017' event"
_LONE_YEAR = re.compile(rf"(?<![\d$€£.,/-])\b(?P<y>{_YEAR})\b(?![\d%,.]\d|\s*(?:-|–)\s*\d|\s+(?:million|billion|people|members|companies))")
_RELATIVE = re.compile(
    rf"\b(?P<today>today|this\s+morning|yesterday)\b(?!['’]s)|\b(?:last|on|this\s+past)\s+(?P<wd>{_WEEKDAY})\b|"
    # "agreed Wednesday" (a weekday alone, news style), not "Wednesday, May 3" nor "every Wednesday"
    rf"(?<!every\s)(?<!each\s)\b(?-i:(?P<wd2>{_WEEKDAY}))\b(?!\s*,?\s*(?:{MONTH}|\d|the\s+\d))|"
    rf"\b(?:earlier\s+)?this\s+(?P<month>month)\b|\blast\s+(?P<lastmonth>month)\b", re.I)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    date: PartialDate
    basis: str  # explicit | inferred


def _make(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    try:
        if day is not None:
            dt.date(year, month or 1, day)
        return PartialDate(year, month, day if month else None)
    except ValueError:
        return None


def _with_year(month: int, day: int | None, published: PartialDate | None, weekday: str | None,
               years: list[int]) -> tuple[PartialDate | None, str]:
    """A day and month without a year: the publication year (the year before when that would put the
    date more than half a year after publication); else, with a weekday, the year in the text where the
    weekday fits."""
    if published is not None:
        year = published.year
        candidate = _make(year, month, day)
        if candidate is not None and published.month is not None:
            if (candidate.earliest() - published.earliest()).days > 183:
                candidate = _make(year - 1, month, day)
        return candidate, "inferred"
    if weekday and day is not None:
        wanted = _WEEKDAYS[weekday.casefold()]
        fits = [y for y in years if (d := _make(y, month, day)) is not None and d.earliest().weekday() == wanted]
        if len(fits) == 1:
            return _make(fits[0], month, day), "inferred"
    return None, ""


def find_dates(text: str, published: PartialDate | None = None, years: list[int] | None = None) -> list[FoundDate]:
    """Every date a sentence states or lets one work out, with its offsets, precision and basis."""
    years = years or []
    found: list[FoundDate] = []

    def free(s: int, e: int) -> bool:
        return all(e <= f.start or s >= f.end for f in found)

    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            month = int(g["mm"]) if g.get("mm") else month_number(g["m"])
            day = int(g["d"]) if g.get("d") else None
            if g.get("rel"):
                if published is None:
                    continue
                year = published.year - (1 if "last" in g["rel"].casefold() else 0)
                date, basis = _make(year, month), "inferred"
            elif g.get("y"):
                if g.get("m") and not m.group("m")[0].isupper():
                    continue
                date, basis = _make(int(g["y"]), month, day), "explicit"
            else:
                if g.get("m") and (not m.group("m")[0].isupper() or m.group("m").rstrip(".") in {"May", "March"} and day is None):
                    continue
                date, basis = _with_year(month, day, published, g.get("wd"), years)
            if date is not None:
                found.append(FoundDate(m.start(), m.end(), date, basis))
    for m in _LONE_YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(FoundDate(m.start(), m.end(), PartialDate(int(m.group("y"))), "explicit"))
    if published is not None and published.day is not None:
        for m in _RELATIVE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            day = published.earliest()
            if m.group("today"):
                if m.group("today").casefold() == "yesterday":
                    day -= dt.timedelta(days=1)
                found.append(FoundDate(m.start(), m.end(), PartialDate(day.year, day.month, day.day), "inferred"))
            elif m.group("wd") or m.group("wd2"):
                back = (day.weekday() - _WEEKDAYS[(m.group("wd") or m.group("wd2")).casefold()]) % 7 or 7
                day -= dt.timedelta(days=back)
                found.append(FoundDate(m.start(), m.end(), PartialDate(day.year, day.month, day.day), "inferred"))
            elif m.group("month"):
                found.append(FoundDate(m.start(), m.end(), PartialDate(day.year, day.month), "inferred"))
            elif m.group("lastmonth"):
                last = day.replace(day=1) - dt.timedelta(days=1)
                found.append(FoundDate(m.start(), m.end(), PartialDate(last.year, last.month), "inferred"))
    return sorted(found, key=lambda f: f.start)


_OTHER_EVENT = re.compile(
    r"\b(?:since|founded|established|started|opened|created|launched|inaugurated|set\s+up|born|incorporated)"
    r"\b(?![^.;]*\b(?:sign|signed|signing|concluded|renewed)\b)(?:\W+\w+){0,5}?\W*(?:on|in|at|of|since)?\s*$", re.I)
_EVENT_YEAR = re.compile(r"[A-Z][\w-]*[a-zA-Z]\s+$")


def about_signing(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """The dates of a sentence that can say when something was signed: not "since ... started on
    July 1", "founded in 2003"; and a year that only names an event ("BioJapan 2018") only when the
    sentence gives no fuller date."""
    kept = [f for f in found if not _OTHER_EVENT.search(text[max(0, f.start - 50): f.start])]
    fuller = [f for f in kept if f.date.precision != "year"]
    if fuller:
        kept = [f for f in kept if not (f.date.precision == "year" and _EVENT_YEAR.search(text[max(0, f.start - 30): f.start]))]
    return kept


def more_precise(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Is ``a`` known to a finer precision than ``b``?"""
    order = {"year": 0, "month": 1, "day": 2}
    return a is not None and (b is None or order[a.precision] > order[b.precision])
