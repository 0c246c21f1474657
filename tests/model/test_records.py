import pytest
from clusterkg.loaders.parse import parse
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import Location, RawRecord
from clusterkg.model.records import (
    AGREEMENT_TYPES,
    Agreement,
    Organization,
    derive_agreement_id,
    derive_source_id,
    slugify,
)
from pydantic import ValidationError

SOURCE = {"title": "A press release", "publisher": "LINK-J", "published": "2020-09-23"}


def agreement(**fields):
    data = {"type": "mou", "parties": ["link-j", "kanagawa-prefecture"], "sources": [SOURCE]} | fields
    return Agreement.model_validate(data)


def problems(kind, data):
    record, found = parse(RawRecord(kind, data, Location("f.yaml", 7)))
    assert record is None
    return {(p.field, p.message) for p in found}


def test_agreement_types_are_a_closed_list():
    assert set(AGREEMENT_TYPES) == {"mou", "loi", "moc", "collaboration", "partnership", "funding",
                                    "acquisition", "membership", "other"}
    assert agreement(type="MoU").type == "mou"
    with pytest.raises(ValidationError, match="type"):
        agreement(type="handshake")


def test_signed_month_stays_a_month():
    a = agreement(signed="2017-06")
    assert a.signed.precision == "month"
    assert a.to_dict()["signed"] == "2017-06"


def test_every_problem_of_a_record_is_reported_at_once():
    found = problems("agreement", {
        "type": "deal", "parties": ["a", "b"], "signed": "2017-13", "term": "five years",
        "sources": [], "colour": "red",
    })
    fields = {f for f, _ in found}
    assert {"type", "signed", "term", "sources", "colour"} <= fields


def test_cross_field_problems_name_their_fields():
    found = problems("agreement", {
        "type": "mou", "parties": ["LINK-J", "link-j ", "kanagawa"], "signed": "2020-09-18", "end": "2019",
        "sources": [SOURCE],
    })
    assert ("parties[1]", "'link-j' is listed twice") in found
    assert ("end", "2019 is before the signing date 2020-09-18") in found


def test_an_mou_needs_two_parties_but_funding_may_have_one():
    with pytest.raises(ValidationError, match="at least two parties"):
        agreement(parties=["link-j"])
    assert agreement(type="funding", parties=["wellcome"]).parties[0].organization == "wellcome"


def test_an_agreement_needs_a_source():
    with pytest.raises(ValidationError, match="sources"):
        Agreement.model_validate({"type": "mou", "parties": ["a", "b"]})


def test_source_ids_are_stable_and_urls_must_be_http():
    a = agreement()
    assert a.sources[0].id == derive_source_id(a.sources[0]) == agreement().sources[0].id
    with pytest.raises(ValidationError, match="http"):
        agreement(sources=[{"title": "x", "url": "javascript:alert(1)"}])


def test_iso_codes_are_checked():
    base = {"id": "kanagawa-prefecture", "name": "Kanagawa Prefecture", "kind": "government"}
    assert Organization.model_validate(base | {"country": "jp", "region": "jp-14"}).region == "JP-14"
    found = problems("organization", base | {"country": "JA", "region": "JP-99"})
    assert {f for f, _ in found} == {"country", "region"}
    found = problems("organization", base | {"country": "GB", "region": "JP-14"})
    assert ("region", "JP-14 is not in country GB") in found


def test_ids_are_slugs():
    found = problems("organization", {"id": "LINK J", "name": "LINK-J", "kind": "cluster", "country": "JP"})
    assert any(f == "id" and "not a valid id" in m for f, m in found)


def test_derived_agreement_ids_do_not_depend_on_party_order():
    date = PartialDate.parse("2020-09-18")
    one = derive_agreement_id("mou", ["link-j", "kanagawa-prefecture"], date)
    assert one == derive_agreement_id("mou", ["kanagawa-prefecture", "link-j"], date)
    assert one == "mou-kanagawa-prefecture-link-j-2020-09-18"
    many = derive_agreement_id("collaboration", [f"org-{i}" for i in range(6)], None)
    assert many.startswith("collaboration-org-0-and-5-more-undated-")


def test_slugify_handles_accents_and_japanese():
    assert slugify("Île-de-France Biotech") == "ile-de-france-biotech"
    assert slugify("神奈川県").startswith("x")
