"""As-of snapshots: which agreements are in force on a day (the rule is in
:mod:`clusterkg.graph.network`'s docstring), and what a snapshot does with
agreements that have no end and no term (``open_ended``).

:mod:`clusterkg.graph.network` re-exports every public name here; import them from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from clusterkg.model.dates import PartialDate, check_duration
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import AGREEMENT_TYPES, Agreement

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = ["OPEN_ENDED_RULES", "as_of_day", "describe_snapshot", "in_force", "open_ended_rule", "select_agreements",
           "snapshot"]

#: What a snapshot may do with an agreement that has no end and no term (``assume:`` takes a duration).
OPEN_ENDED_RULES = ("include", "exclude", "assume:P5Y")

def as_of_day(value: Any) -> dt.date:
    """The day a snapshot is taken: a date as is, a partial date's last day.

    Examples
    --------
    >>> as_of_day("2017-06")
    datetime.date(2017, 6, 30)
    >>> as_of_day(dt.date(2020, 1, 2))
    datetime.date(2020, 1, 2)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return PartialDate.parse(value).latest()
    except ValueError as error:
        raise ClusterKGError(f"as_of: {error}") from None


def open_ended_rule(rule: str | None) -> str:
    """Check an ``open_ended`` rule: ``"include"``, ``"exclude"`` or ``"assume:<ISO duration>"``.

    Examples
    --------
    >>> open_ended_rule("assume:p5y"), open_ended_rule(None)
    ('assume:P5Y', 'include')
    >>> open_ended_rule("forever")
    Traceback (most recent call last):
    ...
    clusterkg.model.problems.ClusterKGError: open_ended: 'forever' is not a rule: include, exclude or assume:P5Y (any ISO 8601 duration)
    """
    text = (rule or "include").strip()
    if text.lower() in ("include", "exclude"):
        return text.lower()
    if text.lower().startswith("assume:"):
        try:
            return "assume:" + check_duration(text.split(":", 1)[1])
        except ValueError as error:
            raise ClusterKGError(f"open_ended: {error}") from None
    raise ClusterKGError(f"open_ended: {rule!r} is not a rule: include, exclude or assume:P5Y (any ISO 8601 duration)")


def _expires(agreement: Agreement, rule: str) -> dt.date | None:
    """The agreement's last day in force under ``rule`` (Agreement.expires, the one expiry rule)."""
    last = agreement.expires()
    if last is None and rule.startswith("assume:"):
        last = agreement.model_copy(update={"term": rule.removeprefix("assume:")}).expires()
    return last


def _surely_ended(agreement: Agreement, day: dt.date, rule: str = "include") -> bool:
    last = _expires(agreement, rule)
    return last is not None and last < day


def in_force(agreement: Agreement, day: dt.date, successors: dict[str, list[Agreement]] | None = None,
             open_ended: str = "include") -> bool:
    """True when ``agreement`` was surely signed by ``day`` and had not surely ended.

    ``successors`` maps an agreement id to the agreements that renew or
    supersede it (see :func:`select_agreements`); a successor surely signed by
    ``day`` ends it. ``open_ended`` is the rule for an agreement with no end and
    no term (module docstring).

    Examples
    --------
    >>> from clusterkg.model.records import Agreement
    >>> a = Agreement(type="mou", parties=["a", "b"], signed="2017-06", term="P3Y",
    ...               sources=[{"title": "t"}])
    >>> in_force(a, dt.date(2017, 6, 15)), in_force(a, dt.date(2017, 6, 30))
    (False, True)
    >>> in_force(a, dt.date(2020, 6, 29)), in_force(a, dt.date(2020, 6, 30))
    (True, False)
    >>> b = Agreement(type="mou", parties=["a", "b"], signed="2015-11", sources=[{"title": "t"}])
    >>> in_force(b, dt.date(2030, 1, 1)), in_force(b, dt.date(2030, 1, 1), open_ended="assume:P5Y")
    (True, False)
    """
    date = agreement.date
    if date is None or date.latest() > day:
        return False
    if open_ended == "exclude" and agreement.expires() is None:
        return False
    if _surely_ended(agreement, day, open_ended):
        return False
    for successor in (successors or {}).get(agreement.id or "", ()):
        if successor.date is not None and successor.date.latest() <= day:
            return False
    return True


def _check_types(types: Iterable[str] | None) -> frozenset[str] | None:
    if types is None:
        return None
    if isinstance(types, str):
        types = [types]
    wanted = frozenset(t.strip().lower() for t in types)
    unknown = sorted(wanted - set(AGREEMENT_TYPES))
    if unknown:
        raise ClusterKGError(f"types: unknown agreement type {', '.join(map(repr, unknown))} "
                             f"(known: {', '.join(AGREEMENT_TYPES)})")
    return wanted


def select_agreements(ds: Dataset, *, as_of: Any = None, types: Iterable[str] | None = None,
                      open_ended: str = "include") -> list[Agreement]:
    """The agreements that pass the date and type filters, sorted by id.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> ds = load_dataset(["tests/fixtures/csv"])
    >>> [a.id for a in select_agreements(ds, as_of="2020-12-31")]  # doctest: +ELLIPSIS
    ['loi-cgt-catapult-link-j-2017-06', 'mou-link-j-kanagawa-2020']
    >>> [a.id for a in select_agreements(ds, as_of="2017-06-15")]
    []
    """
    return _select(ds, as_of, types, open_ended_rule(open_ended))[0]


def snapshot(ds: Dataset, *, as_of: Any, types: Iterable[str] | None = None, open_ended: str = "include") -> dict:
    """What a snapshot on ``as_of`` counted: the figures of ``graph.graph["snapshot"]``.

    Keys: ``as_of`` (ISO day), ``open_ended`` (the rule), ``in_force``
    (agreements counted), ``open_ended_counted`` (of those, how many have no
    end and no term of their own), ``open_ended_left_out`` (open-ended
    agreements signed by the day that the rule left out: all of them for
    "exclude", those whose assumed term is over for "assume:...").

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> ds = load_dataset(["tests/fixtures/sample"])
    >>> facts = snapshot(ds, as_of="2030")
    >>> facts["in_force"], facts["open_ended_counted"]
    (18, 18)
    >>> snapshot(ds, as_of="2030", open_ended="assume:P5Y")["open_ended_left_out"]
    18
    """
    return _select(ds, as_of, types, open_ended_rule(open_ended))[1]


def describe_snapshot(facts: dict | None) -> str:
    """The snapshot figures in one sentence ("" when there was no as-of date).

    Examples
    --------
    >>> describe_snapshot({"as_of": "2030-12-31", "open_ended": "include", "in_force": 21,
    ...                    "open_ended_counted": 20, "open_ended_left_out": 0})
    'as of 2030-12-31: 21 agreements in force, 20 of them open-ended (no end date, no term) and counted as in force for ever (open_ended=include)'
    """
    if not facts:
        return ""
    rule, counted, left = facts["open_ended"], facts["open_ended_counted"], facts["open_ended_left_out"]
    text = f"as of {facts['as_of']}: {facts['in_force']} agreement{'s' * (facts['in_force'] != 1)} in force"
    if rule == "include":
        text += f", {counted} of them open-ended (no end date, no term) and counted as in force for ever"
    elif rule == "exclude":
        text += f"; {left} open-ended agreement{'s' * (left != 1)} (no end date, no term) left out"
    else:
        term = rule.removeprefix("assume:")
        text += (f", {counted} of them open-ended and counted with an assumed term of {term}; "
                 f"{left} more ended by that term")
    return text + f" (open_ended={rule})"


def _select(ds: Dataset, as_of: Any, types: Iterable[str] | None, rule: str) -> tuple[list[Agreement], dict | None]:
    wanted = _check_types(types)
    agreements = [a for a in ds.agreements.values() if wanted is None or a.type in wanted]
    facts = None
    if as_of is not None:
        day = as_of_day(as_of)
        successors: dict[str, list[Agreement]] = {}
        for agreement in ds.agreements.values():
            for earlier in (agreement.renews, agreement.supersedes):
                if earlier is not None:
                    successors.setdefault(earlier, []).append(agreement)
        kept, counted, left_out = [], 0, 0
        for a in agreements:
            if in_force(a, day, successors, rule):
                kept.append(a)
                counted += a.expires() is None
            elif rule != "include" and a.expires() is None and in_force(a, day, successors, "include"):
                left_out += 1
        agreements = kept
        facts = {"as_of": day.isoformat(), "open_ended": rule, "in_force": len(kept),
                 "open_ended_counted": counted, "open_ended_left_out": left_out}
    return sorted(agreements, key=lambda a: a.id or ""), facts
