"""When two descriptions are one agreement: the one id rule, compatible types, compatible dates.

Ids are derived by the same rule typed records get when they have none
(:func:`clusterkg.model.records.derive_agreement_id`: the type, the sorted party
ids, and the signing date, else the announcement date, at its precision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from clusterkg.model.dates import PartialDate
from clusterkg.model.records import derive_agreement_id
from clusterkg.model.vocabulary import same_family

#: A release announces an agreement signed at most this long before it.
ANNOUNCEMENT_WINDOW = dt.timedelta(days=366)


# --- one id rule ----------------------------------------------------------------------------

def agreement_date(record: Mapping[str, Any]) -> PartialDate | None:
    """The date an id is derived from, as the loaders take it: signed, else announced, else start."""
    for key in ("signed", "announced", "start"):
        value = record.get(key)
        if value is not None:
            return date_or_none(value)
    return None


def agreement_id(type_: str, party_ids: Iterable[str], date: PartialDate | None) -> str:
    """The id a record without one gets on loading: the same rule for typed and extracted records."""
    return derive_agreement_id(type_, sorted(party_ids), date)


def party_ids(record: Mapping[str, Any]) -> list[str]:
    """The party references of a record given as plain data (``link-j`` or ``{organization: link-j}``)."""
    ids = []
    parties = record.get("parties") or []
    for party in [parties] if isinstance(parties, (str, Mapping)) else parties if isinstance(parties, list) else []:
        if isinstance(party, Mapping):
            party = party.get("organization")
        if isinstance(party, str):
            ids.append(party.strip())
    return ids


def date_or_none(value: Any) -> PartialDate | None:
    """``value`` as a date at its precision, or None when there is none or it is not a date."""
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError:
        return None


# --- compatible types and dates -------------------------------------------------------------

def types_compatible(a: str, b: str) -> bool:
    """Whether two agreement types can describe one agreement (same family, or one is ``other``)."""
    if a == b or "other" in (a, b):
        return True
    try:
        return same_family(a, b)
    except KeyError:
        return False


def signing_window(signed: PartialDate | None, announced: PartialDate | None) -> tuple[dt.date, dt.date] | None:
    """When an agreement was signed: its signing date's interval, else the year up to its
    announcement, else (neither known) None."""
    if signed is not None:
        return signed.earliest(), signed.latest()
    if announced is not None:
        return announced.earliest() - ANNOUNCEMENT_WINDOW, announced.latest()
    return None


def dates_compatible(a_signed: PartialDate | None, a_announced: PartialDate | None,
                     b_signed: PartialDate | None, b_announced: PartialDate | None) -> bool:
    """Whether two agreements' dates can be the same signing, each at its precision.

    >>> p = PartialDate.parse
    >>> dates_compatible(p("2020-09"), None, p("2020-09-18"), None)
    True
    >>> dates_compatible(p("2015-11"), p("2015-12-02"), None, p("2015-12-02"))
    True
    >>> dates_compatible(p("2017-10"), None, p("2015-11"), None)
    False
    >>> dates_compatible(None, None, p("2015-11"), None)  # undated: compatible with any
    True
    """
    a, b = signing_window(a_signed, a_announced), signing_window(b_signed, b_announced)
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


def more_precise(new: PartialDate, old: PartialDate | None) -> bool:
    """Whether ``new`` says more than ``old``: there is no ``old``, or ``new`` is finer and within it."""
    if old is None:
        return True
    order = {"year": 0, "month": 1, "day": 2}
    return (order[new.precision] > order[old.precision]
            and old.earliest() <= new.earliest() and new.latest() <= old.latest())
