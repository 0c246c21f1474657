"""The page's data: vis-network items, and everything the panel shows, as plain JSON-ready values.

Kept apart from the drawing so that the first drawing needs only the node and
edge items; the details (agreements, sources, signatories, in-force days) go
into a block of their own that the page reads after it has drawn.

Colours are fixed per country code and per organisation kind
(``assets/colours.json``): the same country has the same colour in every map.
Agreement types are told apart by line style (``line`` in
``model/vocabulary.yaml``), never by a colour that could be a country's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from clusterkg.graph.map.cuts import country_label, number
from clusterkg.model.vocabulary import AGREEMENT_TYPES, ORGANISATION_KINDS

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = ["colours", "details", "node_and_edge_items", "short_labels"]

_ASSETS = Path(__file__).with_name("assets")
_SAFE_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z0-9][A-Za-z0-9&.\-]{1,11}$")
#: A full name up to this long is its own label; longer ones get an acronym or are shortened.
LABEL_LENGTH = 24
TYPE_LABELS = {key: term.label if key == "loi" else term.short for key, term in AGREEMENT_TYPES.items()}


@lru_cache(maxsize=1)
def colours() -> dict[str, Any]:
    """The fixed colour table: ``{"countries": {code: colour}, "kinds": {...}, "other": colour}``."""
    return json.loads((_ASSETS / "colours.json").read_text(encoding="utf-8"))


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _is_acronym(alias: str) -> bool:
    return bool(_ACRONYM.match(alias)) and sum(ch.isupper() for ch in alias) >= 2


def short_labels(graph: nx.Graph, organizations: Mapping[str, Any]) -> dict[Any, str]:
    """The shortest unambiguous name of each node: an acronym alias known for no other node
    (``LINK-J``), else the name when it is short, else a shorter alias (``CGT Catapult``), else
    the name cut with an ellipsis. Two nodes
    that would read the same get their country added.

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> orgs = {"link-j": Organization(id="link-j", name="Life Science Innovation Network Japan",
    ...                                aliases=["LINK-J"], kind="cluster", country="JP")}
    >>> short_labels(nx.Graph([("link-j", "x")]), orgs)
    {'link-j': 'LINK-J', 'x': 'x'}
    """
    names: dict[Any, list[str]] = {}
    for node, data in graph.nodes(data=True):
        org = organizations.get(node)
        name = data.get("name") or (org.name if org is not None else node)
        names[node] = [str(name), *(org.aliases if org is not None else [])]
    owners = Counter(key for node, known in names.items() for key in {_fold(n) for n in known})
    labels = {}
    for node, known in names.items():
        name = known[0]
        unique = [a for a in known[1:] if owners[_fold(a)] == 1 and len(a) < len(name)]
        acronyms = sorted((a for a in unique if _is_acronym(a)), key=len)
        shorter = sorted((a for a in unique if len(a) <= LABEL_LENGTH), key=len)
        if acronyms:
            labels[node] = acronyms[0]
        elif len(name) <= LABEL_LENGTH:
            labels[node] = name
        elif shorter:
            labels[node] = shorter[0]
        else:
            labels[node] = name[: LABEL_LENGTH - 1].rstrip() + "…"
    seen = Counter(_fold(label) for label in labels.values())
    for node, label in labels.items():
        if seen[_fold(label)] > 1:
            labels[node] = f"{label} ({graph.nodes[node].get('country') or '?'})"
    return labels


def node_and_edge_items(
    graph: nx.Graph, labels: Mapping[Any, str], values: Mapping[Any, float],
    positions: Mapping[Any, tuple[float, float]] | None, level: str, type_of: Mapping[str, str],
) -> tuple[list[dict], list[dict], list[list[int]]]:
    """vis-network's node and edge items (only what it draws), and each edge's agreement indexes.

    Node colours are set by the page from the fixed table (it switches between
    country and kind); an edge's line style is its most frequent type's.
    """
    agreement_ids = sorted({a for _, _, ids in graph.edges(data="agreements") for a in ids or ()})
    index = {a: i for i, a in enumerate(agreement_ids)}
    node_items = []
    for node, data in graph.nodes(data=True):
        label = labels.get(node) or str(node)
        if level == "country" and data.get("domestic"):
            label += f"\n+{data['domestic']} within"
        item = {"id": str(node), "label": label, "value": number(values.get(node, 0.0))}
        if positions is not None:
            item["x"], item["y"] = (round(v) for v in positions[node])
        node_items.append(item)
    edge_items, ties = [], []
    ordered = sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    for i, (a, b, data) in enumerate(ordered):
        ids = [index[x] for x in data.get("agreements", ())]
        item = {"id": i, "from": str(a), "to": str(b), "value": len(ids) or data.get("weight", 1)}
        line = AGREEMENT_TYPES[main_type([type_of.get(x, "other") for x in data.get("agreements", ())])].line
        if line:
            item["dashes"] = list(line)
        edge_items.append(item)
        ties.append(ids)
    return node_items, edge_items, ties


_TYPE_ORDER = {t: i for i, t in enumerate(AGREEMENT_TYPES)}


def main_type(types: list[str]) -> str:
    """The most frequent type, ties to the one listed first in the vocabulary (the page's rule too).

    >>> main_type(["loi", "mou", "loi"]), main_type(["loi", "mou"]), main_type([])
    ('loi', 'mou', 'other')
    """
    counts = Counter(t if t in _TYPE_ORDER else "other" for t in types)
    return min(counts, key=lambda t: (-counts[t], _TYPE_ORDER[t])) if counts else "other"


def _safe_url(url: Any) -> str | None:
    return url if isinstance(url, str) and _SAFE_URL.match(url) else None


def present(entry: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty: with thousands of records, the page's size is what it carries."""
    return {key: value for key, value in entry.items() if value is not None and value != [] and value != {}}


def _in_force(agreement: Any, successors: Mapping[str, list]) -> list[str | None] | None:
    """``[first day surely signed, last day in force or None]`` by the rule of ``--as-of``; an
    open-ended one also gives the day an assumed term counts from (its start, else its date)."""
    date = agreement.date
    if date is None:
        return None
    last = agreement.expires()
    for later in successors.get(agreement.id or "", ()):
        if later.date is not None:
            day = later.date.latest() - dt.timedelta(days=1)
            last = day if last is None else min(last, day)
    if last is None:
        return [date.latest().isoformat(), None, (agreement.start or date).latest().isoformat()]
    return [date.latest().isoformat(), last.isoformat()]


def details(graph: nx.Graph, ds: Dataset | None, level: str) -> dict[str, Any]:
    """Agreements (with parties, signatories, term, status, in-force days), sources once each, names."""
    agreement_ids = sorted({a for _, _, ids in graph.edges(data="agreements") for a in ids or ()})
    records = ds.agreements if ds is not None else {}
    organizations = ds.organizations if ds is not None else {}
    people = getattr(ds, "people", None) or {}
    successors: dict[str, list] = {}
    for agreement in records.values():
        for earlier in (agreement.renews, agreement.supersedes):
            if earlier is not None:
                successors.setdefault(earlier, []).append(agreement)
    sources: list[dict[str, Any]] = []
    source_index: dict[tuple, int] = {}
    agreements = []
    for agreement_id in agreement_ids:
        a = records.get(agreement_id)
        if a is None:
            agreements.append({"id": agreement_id, "type": "other"})
            continue
        refs = []
        for s in a.sources:
            key = (s.title, s.publisher, _safe_url(s.url))
            if key not in source_index:
                source_index[key] = len(sources)
                sources.append(present({"title": s.title, "publisher": s.publisher, "url": key[2]}))
            if source_index[key] not in refs:
                refs.append(source_index[key])
        signatories = []
        for sig in a.signatories:
            person = people.get(sig.person) if sig.person else None
            signatories.append(present({"name": sig.name or (person.name if person else sig.person),
                                        "title": sig.title, "for": sig.on_behalf_of}))
        agreements.append(present({
            "id": agreement_id,
            "type": a.type or "other",
            "title": a.title,
            "date": a.date.isoformat() if a.date else None,
            "parties": [p.organization for p in a.parties],
            "sig": signatories,
            "term": a.term,
            "end": a.end.isoformat() if a.end else None,
            "status": a.status,
            "src": refs,
            "live": _in_force(a, successors),
        }))
    nodes = set(graph)
    party_names = {p: organizations[p].name for entry in agreements for p in entry.get("parties", ())
                   if p in organizations and (p not in nodes or level == "country")}
    for entry in agreements:
        for sig in entry.get("sig", ()):
            if sig.get("for") in organizations and sig["for"] not in nodes:
                party_names[sig["for"]] = organizations[sig["for"]].name
    return {"agreements": agreements, "sources": sources, "partyNames": party_names}


def node_info(graph: nx.Graph, ds: Dataset | None, values: Mapping[Any, float], level: str) -> dict[str, dict]:
    """What the details panel says about each node (names, kind, place, lineage, parent, memberships)."""
    organizations = ds.organizations if ds is not None else {}
    info = {}
    for node, data in graph.nodes(data=True):
        org = organizations.get(node) if level == "organization" else None
        info[str(node)] = present({
            "name": str(data.get("name") or node),
            "names": dict(org.names) if org is not None else {},
            "aliases": list(org.aliases) if org is not None else [],
            "kind": data.get("kind"),
            "country": data.get("country") or "",
            "region": data.get("region"),
            "metric": number(values.get(node, 0.0)),
            "former": data.get("former"),
            "members": data.get("members"),
            "parent": org.parent if org is not None else None,
            "memberOf": list(org.member_of) if org is not None else [],
            "domestic": data.get("domestic"),
            "organizations": data.get("organizations"),
        })
    return info


def palette_data(graph: nx.Graph) -> dict[str, Any]:
    """Colours and names of the countries and kinds present, from the fixed table."""
    table = colours()
    countries = sorted({data.get("country") or "" for _, data in graph.nodes(data=True)})
    kinds = sorted({data.get("kind") or "" for _, data in graph.nodes(data=True)})
    return {
        "palettes": {
            "country": {c: table["countries"].get(c, table["other"]) for c in countries},
            "kind": {k: table["kinds"].get(k, table["other"]) for k in kinds},
        },
        "otherColor": table["other"],
        "countryNames": {c: country_label(c) for c in countries if c},
        "kindNames": {k: ORGANISATION_KINDS[k].label if k in ORGANISATION_KINDS else k for k in kinds if k},
    }


def type_data(agreements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    present_types = Counter(entry.get("type", "other") for entry in agreements)
    return [{"key": t, "label": TYPE_LABELS[t], "name": term.label, "line": list(term.line),
             "colour": term.colour, "count": present_types[t]}
            for t, term in AGREEMENT_TYPES.items() if present_types[t]]
