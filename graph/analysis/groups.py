"""Groups of organisations for brokerage: an attribute, a built-in grouping of countries, or your own.

Brokerage (:mod:`.brokerage`, :mod:`.brokers`) asks who links organisations of
*different groups*. A group can be

* a node attribute: ``"country"`` (the default), ``"region"`` (ISO 3166-2) or ``"kind"``;
* a built-in grouping of countries, kept as data in ``world_regions.csv``
  beside this module: ``"continent"`` (Africa, Antarctica, Asia, Europe, North
  America, Oceania, South America) and ``"world-region"`` (the UN M49
  sub-regions, e.g. Eastern Asia, Western Europe, Northern America, with Latin
  America split into the Caribbean, Central America and South America);
* groups you name: ``"Japan=JP; Europe=GB,DE,FR,SE,NL,BE; North America=US,CA"``.
  A member is an ISO country code, an English country name, or the name of a
  continent or world region (``"Asia-Pacific=Eastern Asia,South-eastern Asia,AU,NZ"``);
  organisations in no named group are in the group ``"(other)"``.

Examples
--------
>>> parse_groups("Japan=JP; Europe=GB,de,Western Europe")["Europe"] >= {"GB", "DE", "FR", "NL"}
True
>>> countries_of("North America")[:4]
['AG', 'AI', 'AW', 'BB']
>>> import networkx as nx
>>> g = nx.Graph([("link-j", "medcity"), ("medcity", "biocom")])
>>> nx.set_node_attributes(g, {"link-j": "JP", "medcity": "GB", "biocom": "US"}, "country")
>>> node_groups(g, "continent")
{'link-j': 'Asia', 'medcity': 'Europe', 'biocom': 'North America'}
>>> node_groups(g, groups="Japan=JP; Europe=GB")
{'link-j': 'Japan', 'medcity': 'Europe', 'biocom': '(other)'}
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Mapping
from functools import lru_cache
from pathlib import Path

import networkx as nx

from clusterkg.model.names import country_name
from clusterkg.model.problems import ClusterKGError

__all__ = ["GROUPINGS", "OTHER", "Side", "countries_of", "node_groups", "parse_groups", "side", "world_regions"]

#: Every ``by`` a brokerage command accepts.
GROUPINGS = ("country", "region", "kind", "continent", "world-region")
#: The group of an organisation in none of the groups you named.
OTHER = "(other)"
#: The group of an organisation with no value (no country, say).
UNKNOWN = "(unknown)"


@lru_cache(maxsize=1)
def world_regions() -> dict[str, tuple[str, str]]:
    """ISO country code -> (continent, world region), from ``world_regions.csv``."""
    path = Path(__file__).with_name("world_regions.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["country"]: (row["continent"], row["world_region"]) for row in rows}


@lru_cache(maxsize=1)
def _named_regions() -> dict[str, tuple[str, list[str]]]:
    """casefolded continent or world-region name -> (its name, its countries)."""
    named: dict[str, tuple[str, list[str]]] = {}
    for code, (continent, region) in sorted(world_regions().items()):
        for name in (continent, region):
            named.setdefault(name.casefold(), (name, []))[1].append(code)
    return named


def countries_of(name: str) -> list[str]:
    """The ISO codes of a continent or world region (any case), sorted; an error names the known ones."""
    found = _named_regions().get(name.strip().casefold())
    if found is None:
        known = sorted({n for n, _ in _named_regions().values()})
        raise ClusterKGError(f"{name!r} is not a continent or world region (known: {', '.join(known)})")
    return list(found[1])


def _country_code(text: str) -> str | None:
    code = text.strip().upper()
    if code in world_regions():
        return code
    from clusterkg.model.countries import country_code  # codes and English names, "UK" and "USA" too

    try:
        return country_code(text)[0]
    except ValueError:
        return None


def _members(text: str, where: str) -> set[str]:
    """Country codes of a comma-separated list of codes, country names and region names."""
    codes: set[str] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        code = _country_code(part)
        if code is not None:
            codes.add(code)
        elif part.casefold() in _named_regions():
            codes.update(countries_of(part))
        else:
            raise ClusterKGError(f"{where}: {part!r} is not an ISO country code, a country name, a continent or "
                                 "a world region")
    if not codes:
        raise ClusterKGError(f"{where}: no country given")
    return codes


def parse_groups(text: str | Mapping[str, object]) -> dict[str, frozenset[str]]:
    """Named groups of countries from ``"Name=members; Name=members"`` (or a mapping of name to members).

    Members are ISO codes, country names, continents or world regions,
    separated by commas (a mapping may give a list). A country may be in one
    group only: an organisation must belong to one group.
    """
    if isinstance(text, str):
        items = []
        for chunk in (c.strip() for c in text.split(";")):
            if not chunk:
                continue
            name, sep, members = chunk.partition("=")
            if not sep or not name.strip():
                raise ClusterKGError(f"groups: {chunk!r}: write a group as Name=CODE,CODE (e.g. Europe=GB,DE,FR)")
            items.append((name.strip(), members))
    else:
        items = [(str(k), v if isinstance(v, str) else ",".join(map(str, v))) for k, v in text.items()]
    groups: dict[str, frozenset[str]] = {}
    owner: dict[str, str] = {}
    for name, members in items:
        if name in groups:
            raise ClusterKGError(f"groups: {name!r} is named twice")
        codes = _members(members, f"groups: {name}")
        for code in sorted(codes):
            if code in owner:
                raise ClusterKGError(f"groups: {code} is in both {owner[code]!r} and {name!r}; "
                                     "a country may be in one group only")
            owner[code] = name
        groups[name] = frozenset(codes)
    if not groups:
        raise ClusterKGError("groups: no group given (e.g. \"Japan=JP; Europe=GB,DE,FR\")")
    return groups


def node_groups(graph: nx.Graph, by: str = "country",
                groups: str | Mapping[str, object] | None = None) -> dict[Hashable, str]:
    """Each node's group: by ``groups`` you name when given, else by ``by`` (one of :data:`GROUPINGS`).

    A node without a country (or without the attribute) is in ``"(unknown)"``.
    """
    if groups is not None:
        named = parse_groups(groups)
        label = {code: name for name, codes in named.items() for code in codes}
        return {n: label.get(graph.nodes[n].get("country"), OTHER) for n in graph}
    if by in ("continent", "world-region"):
        column = 0 if by == "continent" else 1
        table = world_regions()
        return {n: table[c][column] if (c := graph.nodes[n].get("country")) in table else UNKNOWN for n in graph}
    if by not in GROUPINGS:
        raise ClusterKGError(f"groups: unknown grouping {by!r} (known: {', '.join(GROUPINGS)})")
    return {n: UNKNOWN if (v := graph.nodes[n].get(by)) is None else str(v) for n in graph}


class Side:
    """One side of a question "who brokers between A and B": a label and its countries."""

    def __init__(self, label: str, countries: frozenset[str]):
        self.label, self.countries = label, countries

    def __repr__(self) -> str:
        return f"Side({self.label!r}, {len(self.countries)} countries)"


def side(text: str, groups: str | Mapping[str, object] | None = None) -> Side:
    """What ``--between`` / ``--and`` names: a group of ``groups``, a continent or world region, or countries.

    Examples
    --------
    >>> side("JP").label, side("Europe").label, len(side("europe").countries) > 40
    ('Japan', 'Europe', True)
    >>> side("Europe", groups="Europe=GB,DE").countries == {"GB", "DE"}
    True
    >>> side("GB,DE").label
    'United Kingdom, Germany'
    """
    text = text.strip()
    if groups is not None:
        named = parse_groups(groups)
        for name, codes in named.items():
            if name.casefold() == text.casefold():
                return Side(name, codes)
    found = _named_regions().get(text.casefold())
    if found is not None:
        return Side(found[0], frozenset(found[1]))
    codes = [_country_code(part) for part in text.split(",") if part.strip()]
    if codes and all(codes):
        return Side(", ".join(country_name(c, common=True) or c for c in codes), frozenset(codes))  # type: ignore[arg-type]
    extra = f"a group of --groups ({', '.join(parse_groups(groups))}), " if groups is not None else ""
    raise ClusterKGError(f"{text!r} is not {extra}a continent, a world region (e.g. Europe, Eastern Asia) or a list "
                         "of ISO country codes")
