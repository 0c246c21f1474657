"""Round trips: records -> file -> records, in every format the writers produce.

Hypothesis builds small, valid, self-consistent datasets (organisations,
people, programmes, events and agreements that refer to each other by id, with
awkward text: separators, escapes, quotes, line breaks, other scripts). Each is
written with :func:`clusterkg.loaders.writers.write`, read back with
:func:`clusterkg.loaders.assemble.load_dataset`, and must come back equal, record
for record; writing the loaded records again gives the same bytes. YAML and CSV
get the most examples (the issue names them), JSON, JSON Lines and Excel fewer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from clusterkg.loaders import columns
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.writers import write
from clusterkg.model.dates import PartialDate
from clusterkg.model.records import (
    AGREEMENT_TYPES,
    MULTILATERAL_TYPES,
    ORG_KINDS,
    Agreement,
    Event,
    Organization,
    Person,
    Programme,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent.parent / "fixtures"

# -- strategies ----------------------------------------------------------------

#: Letters of several scripts, and every character the flat formats treat specially.
_ALPHABET = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    st.sampled_from(list(";|[]=\\,\"'#:-&{}*!%@`> \n\t")),
)


def text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-empty text as the model keeps it: stripped of surrounding white space."""
    return st.text(_ALPHABET, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def partial_dates(draw, first: int = 1990, last: int = 2030) -> PartialDate:
    year = draw(st.integers(first, last))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, 28)))


def later(date: PartialDate) -> st.SearchStrategy[PartialDate]:
    """A date surely not before ``date``."""
    return st.integers(1, 10).map(lambda years: PartialDate(date.year + years))


@st.composite
def sources(draw, n: int, prefix: str) -> list[dict]:
    items = []
    for i in range(n):
        has_url = draw(st.booleans())
        item = {
            "id": draw(optional(st.just(f"src-{prefix}-{i}"))),
            "title": draw(text(30)) if draw(st.booleans()) or not has_url else None,
            "publisher": draw(optional(text())),
            "url": ("https://example.org/" + draw(st.text("abc/?=&%-_.~", max_size=10))) if has_url else None,
            "published": draw(optional(partial_dates())),
            "accessed": draw(optional(partial_dates())),
            "evidence": draw(optional(text(40))),
        }
        items.append({k: v for k, v in item.items() if v is not None})
    return items


def extractions() -> st.SearchStrategy[dict]:
    """What ``clusterkg extract`` notes on an agreement it found (one JSON cell in CSV and Excel)."""
    evidence = st.fixed_dictionaries({"text": text(20), "start": st.integers(0, 10**6), "end": st.integers(0, 10**6)})
    return st.fixed_dictionaries(
        {"file": text(), "confidence": st.floats(0, 1)},
        optional={"date_stated": st.booleans(), "evidence": st.lists(evidence, max_size=2)},
    )


_PLACES = [("JP", "JP-14"), ("GB", "GB-ENG"), ("DE", "DE-HH"), ("US", "US-CA"), ("NO", "NO-03"), ("FR", None)]
_LANGS = ["ja", "de", "fr", "zh-Hans", "en-GB"]


def names_by_language(prefix: str) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(st.sampled_from(_LANGS), text().map(lambda t: f"{prefix} {t}"), max_size=2)


@st.composite
def datasets(draw, flat: bool = False, extraction: bool = False) -> list:
    """A valid dataset as model records. ``flat``: only what CSV and Excel can hold
    (one source per record other than agreements); ``extraction``: agreements may carry
    the notes of ``clusterkg extract``. (tests/graph/test_rdf.py uses this strategy too.)"""
    max_sources = 1 if flat else 2
    n_orgs = draw(st.integers(2, 5))
    org_ids = [f"org-{i}" for i in range(n_orgs)]
    orgs = []
    renamed_from: set[str] = set()
    for i, org_id in enumerate(org_ids):
        country, region = draw(st.sampled_from(_PLACES))
        earlier = [o for o in org_ids[:i] if o not in renamed_from]
        predecessor = draw(optional(st.sampled_from(earlier))) if earlier else None
        if predecessor:
            renamed_from.add(predecessor)
        others = [o for o in org_ids if o != org_id]
        orgs.append(Organization(
            id=org_id,
            name=draw(text(30)),
            names=draw(names_by_language("Org")),
            aliases=draw(st.lists(text(), max_size=3)),
            kind=draw(st.sampled_from(ORG_KINDS)),
            country=country,
            region=draw(optional(st.just(region))) if region else None,
            city=draw(optional(text())),
            parent=draw(optional(st.sampled_from(others))),
            member_of=draw(st.lists(st.sampled_from(others), max_size=2, unique=True)),
            predecessor=predecessor,
            renamed=draw(optional(partial_dates())) if predecessor else None,
            website=draw(optional(text())),
            wikidata=draw(optional(st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True))),
            ror=draw(optional(st.from_regex(r"0[a-z0-9]{6}[0-9]{2}", fullmatch=True))),
            description=draw(optional(text(60))),
            sources=draw(sources(draw(st.integers(0, max_sources)), org_id)),
        ))
    people = []
    for i in range(draw(st.integers(0, 3))):
        posts = []
        for _ in range(draw(st.integers(0, 2))):
            start = draw(optional(partial_dates()))
            posts.append({
                "title": draw(text()),
                "organization": draw(st.sampled_from(org_ids)),
                "start": start,
                "end": draw(optional(later(start))) if start else None,
            })
        people.append(Person(
            id=f"person-{i}",
            # Signatories known only by name start with "Signer", so never match a person.
            name="Person " + draw(text()),
            names=draw(names_by_language("Person")),
            posts=[{k: v for k, v in p.items() if v is not None} for p in posts],
            sources=draw(sources(draw(st.integers(0, max_sources)), f"person-{i}")),
        ))
    programmes = [
        Programme(
            id=f"programme-{i}",
            name=draw(text()),
            aliases=draw(st.lists(text(), max_size=2)),
            operator=draw(optional(st.sampled_from(org_ids))),
            country=draw(optional(st.sampled_from([c for c, _ in _PLACES]))),
            start=draw(optional(partial_dates())),
            website=draw(optional(text())),
            description=draw(optional(text(40))),
            sources=draw(sources(draw(st.integers(0, max_sources)), f"programme-{i}")),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    events = []
    for i in range(draw(st.integers(0, 2))):
        start = draw(optional(partial_dates()))
        participants = draw(st.lists(st.sampled_from(org_ids), max_size=3, unique=True))
        events.append(Event(
            id=f"event-{i}",
            name=draw(text()),
            kind=draw(st.sampled_from(["conference", "delegation", "trade-mission", "visit", "other"])),
            start=start,
            end=draw(optional(later(start))) if start else None,
            place=draw(optional(text())),
            country=draw(optional(st.sampled_from([c for c, _ in _PLACES]))),
            participants=[
                {"organization": org, **({"role": draw(text())} if draw(st.booleans()) else {})}
                for org in participants
            ],
            sources=draw(sources(draw(st.integers(0, max_sources)), f"event-{i}")),
        ))
    agreements = []
    for i in range(draw(st.integers(0, 4))):
        type_ = draw(st.sampled_from(AGREEMENT_TYPES))
        least = 2 if type_ in MULTILATERAL_TYPES else 1
        parties = draw(st.lists(st.sampled_from(org_ids), min_size=least, max_size=min(4, n_orgs), unique=True))
        signatories = []
        for party in draw(st.lists(st.sampled_from(parties), max_size=2)):
            person = draw(optional(st.sampled_from([p.id for p in people]))) if people else None
            name = draw(optional(text().map(lambda t: "Signer " + t))) if person else "Signer " + draw(text())
            signatories.append({
                k: v for k, v in
                {"person": person, "name": name, "title": draw(optional(text())), "on_behalf_of": party}.items()
                if v is not None
            })
        signed = draw(optional(partial_dates()))
        earlier = [a.id for a in agreements]
        agreements.append(Agreement(
            id=f"agreement-{i}",
            type=type_,
            title=draw(optional(text(30))),
            parties=[
                {"organization": org, **({"role": draw(text())} if draw(st.booleans()) else {})}
                for org in parties
            ],
            signatories=signatories,
            signed=signed,
            announced=draw(optional(partial_dates())),
            start=signed if signed and draw(st.booleans()) else None,
            end=draw(optional(later(signed))) if signed else None,
            term=draw(optional(st.sampled_from(["P5Y", "P18M", "P1Y6M", "P2W"]))),
            status=draw(optional(st.sampled_from(["active", "expired", "planned"]))),
            scope=draw(st.lists(text(), max_size=3)),
            activities=draw(st.lists(text(), max_size=2)),
            programme=draw(optional(st.sampled_from([p.id for p in programmes]))) if programmes else None,
            event=draw(optional(st.sampled_from([e.id for e in events]))) if events else None,
            renews=draw(optional(st.sampled_from(earlier))) if earlier else None,
            sources=draw(sources(draw(st.integers(1, 3)), f"agreement-{i}")),
            notes=draw(optional(text(40))),
            extraction=draw(optional(extractions())) if extraction else None,
        ))
    return [*orgs, *people, *programmes, *events, *agreements]


# -- the property --------------------------------------------------------------

_TARGET = {"yaml": "data.yaml", "json": "data.json", "jsonl": "data.jsonl", "csv": "folder", "xlsx": "book.xlsx"}


def by_kind(records) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for record in records:
        found.setdefault(columns.kind_of(record), {})[record.id] = record
    return found


def written_bytes(paths: list[Path]) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in paths}


def assert_round_trip(records: list, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "one" / _TARGET[fmt]
        first = write(records, target, fmt)
        ds = load_dataset([target])
        assert ds.valid, [str(p) for p in ds.problems]
        loaded = [record for _, record in ds.records()]
        assert by_kind(loaded) == by_kind(records)
        if fmt == "xlsx":
            return  # the zip archive holds timestamps; equal records are the point
        again = write(loaded, Path(tmp) / "two" / _TARGET[fmt], fmt)
        ordered = write(loaded, Path(tmp) / "three" / _TARGET[fmt], fmt)
        assert written_bytes(again) == written_bytes(ordered)  # deterministic
        if [columns.kind_of(r) for r in records] == [columns.kind_of(r) for r in loaded]:
            assert written_bytes(first) == written_bytes(again)  # the same records, the same bytes


_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@settings(max_examples=40, **_SETTINGS)
@given(datasets(extraction=True))
def test_yaml_round_trip(records):
    assert_round_trip(records, "yaml")


@settings(max_examples=40, **_SETTINGS)
@given(datasets(flat=True, extraction=True))
def test_csv_round_trip(records):
    assert_round_trip(records, "csv")


@settings(max_examples=15, **_SETTINGS)
@given(datasets(extraction=True))
def test_json_round_trip(records):
    assert_round_trip(records, "json")


@settings(max_examples=15, **_SETTINGS)
@given(datasets(extraction=True))
def test_jsonl_round_trip(records):
    assert_round_trip(records, "jsonl")


@settings(max_examples=10, **_SETTINGS)
@given(datasets(flat=True, extraction=True))
def test_xlsx_round_trip(records):
    assert_round_trip(records, "xlsx")


# -- cells ---------------------------------------------------------------------

_ENTRY = text(15)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ENTRY, min_size=1, max_size=4))
def test_list_cells_round_trip(values):
    assert columns.LIST.decode(columns.LIST.encode(values)) == (values, [])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({"organization": _ENTRY}, optional={"role": _ENTRY}), min_size=1, max_size=4))
def test_party_cells_round_trip(parties):
    assert columns.ROLES.decode(columns.ROLES.encode(parties)) == (parties, [])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(_LANGS), _ENTRY, min_size=1, max_size=3))
def test_names_cells_round_trip(names):
    assert columns.NAMES.decode(columns.NAMES.encode(names)) == (names, [])


@settings(max_examples=200, deadline=None)
@given(st.lists(
    st.fixed_dictionaries({"on_behalf_of": _ENTRY}, optional={"name": _ENTRY, "title": _ENTRY, "person": _ENTRY})
    .filter(lambda s: "name" in s or "person" in s),
    min_size=1, max_size=3,
))
def test_signatory_cells_round_trip(signatories):
    assert columns.SIGNATORIES.decode(columns.SIGNATORIES.encode(signatories)) == (signatories, [])


@settings(max_examples=200, deadline=None)
@given(st.lists(
    st.fixed_dictionaries({"title": _ENTRY, "organization": _ENTRY}, optional={"start": _ENTRY, "end": _ENTRY}),
    min_size=1, max_size=3,
))
def test_post_cells_round_trip(posts):
    assert columns.POSTS.decode(columns.POSTS.encode(posts)) == (posts, [])


# -- the hand-made fixture, through every format ---------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl", "csv", "xlsx"])
def test_the_csv_fixture_through_every_format(tmp_path, fmt):
    ds = load_dataset([FIXTURES / "csv"])
    assert ds.valid, [str(p) for p in ds.problems]
    records = [record for _, record in ds.records()]
    target = tmp_path / _TARGET[fmt]
    write(records, target, fmt)
    again = load_dataset([target])
    assert again.valid, [str(p) for p in again.problems]
    assert [record for _, record in again.records()] == records
