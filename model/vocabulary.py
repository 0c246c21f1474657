"""The closed lists of the model, read once from ``vocabulary.yaml``.

One table per list (agreement types, organisation kinds): the record types take
their allowed values from here, and every graph form takes its names from here
(the property-graph label, the RDF class, the map's label and colour), so a new
type is one entry in one file.

Examples
--------
>>> AGREEMENT_TYPES["mou"].graph_label
'MoU'
>>> [t for t, v in AGREEMENT_TYPES.items() if v.family == "cooperation"]
['mou', 'loi', 'moc', 'collaboration', 'partnership']
>>> AGREEMENT_TYPES["mou"].line, AGREEMENT_TYPES["loi"].line
((), (10, 5))
>>> ORGANISATION_KINDS["university"].schema_class
'CollegeOrUniversity'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_FILE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class AgreementTypeTerm:
    """One agreement type and its name in each graph form."""

    key: str
    label: str
    short: str
    graph_label: str
    rdf_class: str | None
    family: str
    multilateral: bool
    colour: str
    #: line style on the map: () for solid, else a dash pattern (dash, gap, ...) in pixels
    line: tuple[int, ...] = ()


@dataclass(frozen=True)
class OrganisationKindTerm:
    """One organisation kind and its name in each graph form."""

    key: str
    label: str
    schema_class: str


@lru_cache(maxsize=1)
def _table() -> dict:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def _line(value: object) -> tuple[int, ...]:
    """``solid`` (or nothing) -> ``()``; a dash pattern ``[10, 5]`` -> ``(10, 5)``."""
    if value in (None, "solid"):
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and v > 0 for v in value):
        raise ValueError(f"{_FILE.name}: line must be 'solid' or a list of positive whole numbers, not {value!r}")
    return tuple(value)


AGREEMENT_TYPES: dict[str, AgreementTypeTerm] = {
    key: AgreementTypeTerm(key=key, **{**entry, "line": _line(entry.get("line"))})
    for key, entry in _table()["agreement_types"].items()
}
ORGANISATION_KINDS: dict[str, OrganisationKindTerm] = {
    key: OrganisationKindTerm(key=key, **entry) for key, entry in _table()["organisation_kinds"].items()
}


def same_family(a: str, b: str) -> bool:
    """True when agreement types ``a`` and ``b`` can describe the same agreement.

    >>> same_family("mou", "moc"), same_family("mou", "funding")
    (True, False)
    """
    return AGREEMENT_TYPES[a].family == AGREEMENT_TYPES[b].family
