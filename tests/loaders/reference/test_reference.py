"""The reference list of organisations (loaders/reference/organizations.yaml) and its small API.

The list is data with checks of its own: enough entries, unique slug ids, valid
ISO 3166 codes, kinds from the model's closed list, no name shared by two
entries unless listed below with the reason, a public source for every entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from importlib import resources

import pycountry
import pytest
import yaml

from clusterkg.loaders import reference
from clusterkg.loaders.reference import get, lookup, name_index, reference_organizations, reference_sources
from clusterkg.model.records import ORG_KINDS, Organization

try:
    from clusterkg.model.names import normalize_name
except ImportError:
    from clusterkg.loaders.resolve import normalize_name

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HTTP = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$")

#: Names that really are used by more than one organisation: the entries keep
#: them (a source may write either), and lookup returns every entry, so that a
#: caller decides by country or context.
SHARED_NAMES = {
    "ntu": ({"ntu-singapore", "national-taiwan-university"},
            "Nanyang Technological University and National Taiwan University both go by NTU"),
    "dbt": ({"dbt-uk", "dbt-india"},
            "the UK Department for Business and Trade and India's Department of Biotechnology"),
    "ministry of health and welfare": ({"mohw-korea", "mohw-taiwan"},
                                       "the official English name of both the Korean and the Taiwanese ministry"),
}


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    text = resources.files(reference).joinpath(reference.DATA_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, list)
    return data


def test_has_at_least_300_entries(entries):
    assert len(entries) >= 300
    assert len(reference_organizations()) == len(entries)


def test_ids_are_unique_slugs(entries):
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert [i for i in ids if not SLUG.match(i)] == []


def test_sorted_by_country_then_id(entries):
    keys = [(entry["country"], entry["id"]) for entry in entries]
    assert keys == sorted(keys)


def test_fields_are_those_of_the_model_plus_source(entries):
    allowed = set(Organization.model_fields) | {"source"}
    for entry in entries:
        assert set(entry) <= allowed, (entry["id"], set(entry) - allowed)
        assert {"id", "name", "kind", "country", "website", "source"} <= set(entry), entry["id"]


def test_countries_and_regions_are_valid_iso_3166(entries):
    for entry in entries:
        country = entry["country"]
        assert isinstance(country, str) and pycountry.countries.get(alpha_2=country), (entry["id"], country)  # 'NO' not False
        if "region" in entry:
            region = pycountry.subdivisions.get(code=entry["region"])
            assert region is not None, (entry["id"], entry["region"])
            assert region.country_code == country, (entry["id"], entry["region"], country)


def test_kinds_are_in_the_closed_list(entries):
    assert {entry["kind"] for entry in entries} <= set(ORG_KINDS)


def test_every_entry_has_an_http_source_and_website(entries):
    for entry in entries:
        assert HTTP.match(entry["source"]), (entry["id"], entry["source"])
        assert HTTP.match(entry["website"]), (entry["id"], entry["website"])


def test_every_entry_validates_as_an_organization(entries):
    for entry in entries:
        fields = {k: v for k, v in entry.items() if k != "source"}
        Organization(**fields)  # raises with every problem of the record


def test_parents_and_predecessors_are_entries_of_the_list(entries):
    ids = {entry["id"] for entry in entries}
    for entry in entries:
        for field in ("parent", "predecessor"):
            if field in entry:
                assert entry[field] in ids, (entry["id"], field, entry[field])


def test_no_two_entries_share_a_name_unless_listed(entries):
    named = defaultdict(set)
    for entry in entries:
        names = [entry["name"], *entry.get("names", {}).values(), *entry.get("aliases", [])]
        for name in names:
            named[normalize_name(name)].add(entry["id"])
    shared = {key: ids for key, ids in named.items() if len(ids) > 1}
    assert shared == {key: ids for key, (ids, _reason) in SHARED_NAMES.items()}


def test_records_keep_their_source():
    sources = reference_sources()
    for org in reference_organizations():
        assert [s.url for s in org.sources] == [sources[org.id]]


def test_read_once():
    assert reference_organizations()[0] is reference_organizations()[0]
    assert reference_organizations() is not reference_organizations()  # a new list, shared records


@pytest.mark.parametrize(("name", "expected"), [
    ("LINK-J", "link-j"),
    ("JETRO", "jetro"),
    ("KHIDI", "khidi"),
    ("A*STAR", "a-star"),
    ("CGT Catapult", "cgt-catapult"),
    ("EFPIA", "efpia"),
    ("MassBio", "massbio"),
    ("NHMRC", "nhmrc"),
    ("BIO", "bio"),
])
def test_lookup_by_acronym(name, expected):
    assert [org.id for org in lookup(name)] == [expected]


@pytest.mark.parametrize(("name", "expected"), [
    ("神戸医療産業都市", "kobe-biomedical-innovation-cluster"),
    ("日本医療研究開発機構", "amed"),
    ("理化学研究所", "riken"),
    ("한국바이오협회", "koreabio"),
    ("Deutsches Krebsforschungszentrum", "dkfz"),
    ("Institut national de la santé et de la recherche médicale", "inserm"),
    ("Universiteit Leiden", "leiden-university"),
    ("香港科技園公司", "hkstp"),
])
def test_lookup_by_other_language_name(name, expected):
    assert [org.id for org in lookup(name)] == [expected]


def test_lookup_ignores_case_punctuation_and_legal_forms():
    assert [org.id for org in lookup("medcity ltd.")] == ["medcity"]
    assert [org.id for org in lookup("The Francis Crick Institute")] == ["francis-crick-institute"]
    assert [org.id for org in lookup("Life Science Nord Management GmbH")] == ["life-science-nord"]


def test_lookup_of_a_shared_name_returns_every_entry_and_can_be_narrowed():
    assert {org.id for org in lookup("NTU")} == {"ntu-singapore", "national-taiwan-university"}
    assert [org.id for org in lookup("NTU", country="sg")] == ["ntu-singapore"]


def test_lookup_of_an_unknown_name_is_empty():
    assert lookup("Nowhere Biotech Consortium") == []


def test_get_and_name_index():
    assert get("medcity").country == "GB"
    assert get("missing") is None
    assert name_index()["medcity"] == ("medcity",)
