"""Per-organisation summaries written with the property graph, so queries read them instead of
aggregating every agreement (issue 15).

:func:`organization_summaries` works them out from the rows (:class:`~clusterkg.graph.cypher.schema.GraphRows`)
in one pass over the ``PARTY_TO`` relationships; :func:`~clusterkg.graph.cypher.load.load` writes
them as properties of the ``Organization`` nodes, beside the record's own:

* ``agreement_count``: the agreements it is party to;
* ``partnered_count``: those of them with another party;
* ``partner_count``: the distinct other parties of those agreements;
* ``last_day``: the last day its latest dated agreement can mean, as the integer yyyymmdd
  (``2017-06`` ends on 20170630), 0 when none of its agreements is dated (indexed, so
  ``inactive_since`` is one range lookup);
* ``last_date``: the date of that agreement as the source gave it, a month or a year counting as
  its end when two compare (absent when none is dated);
* ``partner_countries``: the countries of its partners, ``"CC:n"`` with the number of distinct
  partners there, sorted, and ``partner_in``, the same countries' codes (indexed: FalkorDB indexes
  each element of a list), for ``brokers_between_countries``.
* ``search_text``: its name, names in other languages (without the language tag) and aliases in
  one text, in lower case, which ``find_organization`` scans on FalkorDB instead of lower-casing
  three lists of every organisation;

and to ``Agreement`` nodes (:func:`agreement_summaries`) ``country_pairs``: ``"A|B"`` for each
ordered pair of distinct parties (the first in country A, the other in B; ``"JP|JP"`` when two
parties are Japanese), indexed, for ``agreements_between_countries``; ``superseded`` (true when another agreement renews or
supersedes it), for ``expiring_soon``.

Every organisation gets the counts and ``last_day`` (0 and 0 when it has no agreement), so the
queries need no null case.
"""

from __future__ import annotations

from typing import Any

#: The property keys the summaries add to ``Organization`` nodes.
SUMMARY_KEYS: tuple[str, ...] = ("agreement_count", "partnered_count", "partner_count", "last_day", "last_date",
                                 "partner_countries", "partner_in", "country_pairs", "search_text", "superseded")


def last_key(date: str) -> str:
    """The sort key of an agreement's date for ``last_date``: a month or a year counts as its end.

    >>> sorted(["2017-06-18", "2017-06", "2017"], key=last_key)
    ['2017-06-18', '2017-06', '2017']
    """
    return date + "-12-31"[len(date) - 4:] + "|" + date


def organization_summaries(rows: Any) -> dict[str, dict[str, Any]]:
    """``{organisation id: {key: value}}`` for every organisation of ``rows`` (see the module's doc).

    Examples
    --------
    >>> from clusterkg.graph.cypher.schema import graph_rows
    >>> from clusterkg.model.dataset import Dataset
    >>> from clusterkg.model.records import Agreement, Organization
    >>> ds = Dataset()
    >>> for i, c in (("a", "JP"), ("b", "GB"), ("c", "JP")):
    ...     ds.organizations[i] = Organization(id=i, name=i, kind="cluster", country=c)
    >>> ds.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b"], signed="2017-06", sources=[{"title": "t"}])
    >>> summaries = organization_summaries(graph_rows(ds))
    >>> summaries["a"]  # doctest: +NORMALIZE_WHITESPACE
    {'agreement_count': 1, 'partnered_count': 1, 'partner_count': 1, 'last_day': 20170630, 'last_date': '2017-06', 'partner_countries': ['GB:1'], 'partner_in': ['GB'], 'search_text': 'a'}
    >>> summaries["c"]
    {'agreement_count': 0, 'partnered_count': 0, 'partner_count': 0, 'last_day': 0, 'search_text': 'c'}
    """
    agreements = {row["id"]: row["props"] for row in rows.nodes.get("Agreement", [])}
    country = _countries(rows)
    parties = _parties(rows)
    of_org: dict[str, list[str]] = {}
    for agreement, orgs in parties.items():
        for org in set(orgs):
            of_org.setdefault(org, []).append(agreement)
    summaries: dict[str, dict[str, Any]] = {}
    for org in country:
        mine = of_org.get(org, [])
        partners: set[str] = set()
        partnered = 0
        last_day, key = 0, ""
        for agreement in mine:
            others = [p for p in parties[agreement] if p != org]
            if others:
                partnered += 1
                partners.update(others)
            props = agreements.get(agreement, {})
            if props.get("day_to"):
                last_day = max(last_day, props["day_to"])
                key = max(key, last_key(props["date"]))
        summary: dict[str, Any] = {"agreement_count": len(mine), "partnered_count": partnered,
                                   "partner_count": len(partners), "last_day": last_day}
        if key:
            summary["last_date"] = key.split("|", 1)[1]
        by_country: dict[str, int] = {}
        for partner in partners:
            where = country.get(partner)
            if where:
                by_country[where] = by_country.get(where, 0) + 1
        if by_country:
            summary["partner_countries"] = [f"{c}:{n}" for c, n in sorted(by_country.items())]
            summary["partner_in"] = sorted(by_country)
        summaries[org] = summary
    for row in rows.nodes.get("Organization", []):
        props = row["props"]
        names = [props.get("name"), *props.get("aliases", []), *(n.split(":", 1)[-1] for n in props.get("names", []))]
        summaries[row["id"]]["search_text"] = " | ".join(n for n in names if n).lower()
    return summaries


def agreement_summaries(rows: Any) -> dict[str, dict[str, Any]]:
    """``{agreement id: {"country_pairs": [...], "superseded": True}}``: the country pairs of the agreements
    with two parties or more, and which agreements another renews or supersedes.

    >>> from clusterkg.graph.cypher.schema import graph_rows
    >>> from clusterkg.model.dataset import Dataset
    >>> from clusterkg.model.records import Agreement, Organization
    >>> ds = Dataset()
    >>> for i, c in (("a", "JP"), ("b", "GB"), ("c", "JP")):
    ...     ds.organizations[i] = Organization(id=i, name=i, kind="cluster", country=c)
    >>> ds.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b", "c"], sources=[{"title": "t"}])
    >>> agreement_summaries(graph_rows(ds))
    {'x': {'country_pairs': ['GB|JP', 'JP|GB', 'JP|JP']}}
    """
    country = _countries(rows)
    summaries: dict[str, dict[str, Any]] = {}
    for agreement, orgs in _parties(rows).items():
        orgs = sorted(set(orgs))
        pairs = {f"{country.get(x)}|{country.get(y)}" for x in orgs for y in orgs
                 if x != y and country.get(x) and country.get(y)}
        if pairs:
            summaries[agreement] = {"country_pairs": sorted(pairs)}
    from clusterkg.graph.cypher.schema import REL_TYPES

    for rel in REL_TYPES:
        if rel.type in ("RENEWS", "SUPERSEDES"):
            for row in rows.relationships.get(rel, []):
                summaries.setdefault(row["end"], {})["superseded"] = True
    return summaries


def _countries(rows: Any) -> dict[str, str | None]:
    return {row["id"]: row["props"].get("country") for row in rows.nodes.get("Organization", [])}


def _parties(rows: Any) -> dict[str, list[str]]:
    from clusterkg.graph.cypher.schema import REL_TYPES

    party_to = next(rel for rel in REL_TYPES if rel.type == "PARTY_TO")
    parties: dict[str, list[str]] = {}
    for rel in rows.relationships.get(party_to, []):
        parties.setdefault(rel["end"], []).append(rel["start"])
    return parties
