"""The places and word lists the generator draws from, read once from tables.json.

The data lives in ``tables.json`` (package data) so that adding a country, a
region or a first name is an edit to a data file; ``about`` in that file says
what each table holds. The order of every list matters: the same seed gives
the same data only while it is kept.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, NamedTuple


class Country(NamedTuple):
    code: str  # ISO 3166-1 alpha-2
    name: str
    weight: float  # share of the organisations, relative
    legal_forms: tuple[str, ...]  # what company names end with
    regions: tuple[tuple[str, str], ...]  # (ISO 3166-2 code, name), busiest first


def _read() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("tables.json").read_text(encoding="utf-8")
    return json.loads(text)


#: Every table of tables.json, as read (lists and dicts).
TABLES: dict[str, Any] = _read()

#: The countries and regions organisations are placed in, the busiest first.
COUNTRIES: tuple[Country, ...] = tuple(
    Country(c["code"], c["name"], c["weight"], tuple(c["legal_forms"]), tuple(tuple(r) for r in c["regions"]))
    for c in TABLES["countries"]
)
