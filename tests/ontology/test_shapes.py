"""The SHACL shapes: the sample data and the small fixture conform; each rule catches a hand-made
graph that breaks it, and says so naming the record and the rule.

Most broken graphs cannot come from records (the model refuses a one-party MoU), so each test
builds the graph of a valid fixture and then breaks exactly one thing in it by hand.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import rdflib.namespace as rns
from click.testing import CliRunner
from clusterkg.graph.rdf.shacl import check, record_of
from clusterkg.graph.rdf import to_graph
from clusterkg.loaders.assemble import load_dataset
from clusterkg.ontology import vocab
from rdflib import Literal, URIRef

from clusterkg.cli import main

# Names bound here, not imported: pytest inspects module attributes, and rdflib's closed
# namespaces warn on the names it probes.
CKG, DCTERMS, PROV, SKOS = vocab.CKG, rns.DCTERMS, rns.PROV, rns.SKOS
END_DATE, ADDRESS_COUNTRY = vocab.SCHEMA.endDate, vocab.SCHEMA.addressCountry
XSD_DATE, XSD_GYM, XSD_GY, XSD_STRING = rns.XSD.date, rns.XSD.gYearMonth, rns.XSD.gYear, rns.XSD.string

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "rdf" / "small.yaml"
BASE = "https://example.org/kg/"
MOU = URIRef(BASE + "agreement/mou-link-j-kanagawa-2020")
OLD_MOU = URIRef(BASE + "agreement/mou-cell-therapy-catapult-kanagawa-2015")
LINK_J = URIRef(BASE + "organization/link-j")
KANAGAWA = URIRef(BASE + "organization/kanagawa-prefecture")


@pytest.fixture
def graph():
    ds = load_dataset([SMALL])
    assert ds.valid, [str(p) for p in ds.problems]
    return to_graph(ds, BASE)


def rules(graph) -> dict[str, list]:
    found: dict[str, list] = {}
    for violation in check(graph, BASE):
        found.setdefault(violation.rule, []).append(violation)
    return found


def only(graph, rule: str, record: str):
    found = rules(graph)
    assert list(found) == [rule], [str(v) for vs in found.values() for v in vs]
    assert {v.record for v in found[rule]} == {record}
    return found[rule][0]


def test_the_fixture_conforms(graph):
    assert check(graph, BASE) == []


def test_the_sample_dataset_conforms(sample_dataset):
    assert sample_dataset.valid
    assert check(to_graph(sample_dataset, BASE), BASE) == []


def test_an_mou_with_one_party(graph):
    graph.remove((OLD_MOU, CKG.party, KANAGAWA))  # this MoU has no signatories to trip another rule
    violation = only(graph, "at least two parties", "agreement mou-cell-therapy-catapult-kanagawa-2015")
    assert "at least two parties" in violation.message
    assert str(violation).startswith("agreement mou-cell-therapy-catapult-kanagawa-2015: at least two parties: ")


def test_an_agreement_without_a_source(graph):
    graph.remove((OLD_MOU, PROV.wasDerivedFrom, None))
    violation = only(graph, "at least one source", "agreement mou-cell-therapy-catapult-kanagawa-2015")
    assert violation.focus == str(OLD_MOU)


def test_two_signing_dates(graph):
    graph.add((MOU, CKG.signed, Literal("2020-09-19", datatype=XSD_DATE)))
    only(graph, "at most one signing date", "agreement mou-link-j-kanagawa-2020")


@pytest.mark.parametrize("lexical, datatype", [
    ("2020-09", XSD_DATE),        # a month written as a day: the precision would be lost
    ("2020-09-18", XSD_GYM),
    ("2020", XSD_STRING),
])
def test_a_signing_date_of_the_wrong_datatype(graph, lexical, datatype):
    graph.set((MOU, CKG.signed, Literal(lexical, datatype=datatype)))
    violation = only(graph, "signing date of its precision", "agreement mou-link-j-kanagawa-2020")
    assert violation.value == lexical


def test_start_after_end(graph):
    graph.add((MOU, END_DATE, Literal("2019-12", datatype=XSD_GYM)))
    found = rules(graph)
    assert "start not after end" in found
    violation = found["start not after end"][0]
    assert violation.message == "starts (2020-09-18) after it ends (2019-12)"
    # the same end is also before the signing date: that rule speaks too
    assert set(found) == {"start not after end", "end not before signing"}


def test_partial_dates_are_after_only_when_surely_after(graph):
    # Start 2020-09-18, end "2020": the end may be 2020-12-31, so nothing is wrong.
    graph.add((MOU, END_DATE, Literal("2020", datatype=XSD_GY)))
    assert check(graph, BASE) == []


def test_end_before_signing(graph):
    graph.set((OLD_MOU, END_DATE, Literal("2014-06", datatype=XSD_GYM)))
    violation = only(graph, "end not before signing", "agreement mou-cell-therapy-catapult-kanagawa-2015")
    assert violation.message == "ends (2014-06) before it was signed (2015)"


def test_a_signatory_for_an_organisation_that_is_no_party(graph):
    signature = URIRef(str(MOU) + "/signature/2")
    other = URIRef(BASE + "organization/cgt-catapult")
    graph.set((signature, CKG.onBehalfOf, other))
    violation = only(graph, "signatory's organisation is a party", "agreement mou-link-j-kanagawa-2020")
    assert violation.message == "a signatory signed on behalf of cgt-catapult, which is not a party to this agreement"


def test_a_country_code_that_is_not_iso(graph):
    address = URIRef(str(LINK_J) + "/address")
    graph.set((address, ADDRESS_COUNTRY, Literal("XX")))
    violation = only(graph, "country code is ISO 3166-1", "organization link-j")
    assert violation.value == "XX"


def test_two_preferred_labels_in_one_language(graph):
    graph.add((KANAGAWA, SKOS.prefLabel, Literal("神奈川", lang="ja")))
    violation = only(graph, "one preferred label per language", "organization kanagawa-prefecture")
    assert "one language" in violation.message


def test_two_names_without_a_language(graph):
    graph.add((KANAGAWA, SKOS.prefLabel, Literal("Kanagawa Pref.")))
    only(graph, "exactly one name", "organization kanagawa-prefecture")


def test_an_organisation_without_a_kind(graph):
    graph.remove((LINK_J, DCTERMS.type, None))
    only(graph, "one organisation kind", "organization link-j")


def test_a_source_with_two_titles(graph):
    source = URIRef(BASE + "source/src-link-j-2020")
    graph.add((source, DCTERMS.title, Literal("Another title")))
    only(graph, "one title per source", "source src-link-j-2020")


def test_record_of_names_the_record_of_a_nested_node():
    assert record_of(BASE + "agreement/x/signature/2", BASE) == "agreement x"
    assert record_of("urn:other") == "urn:other"


def test_validate_shacl_names_the_file_line_record_and_rule(tmp_path):
    """Two records give one source id two titles: valid records, but the graph breaks a shape."""
    (tmp_path / "in.yaml").write_text(textwrap.dedent("""\
        organizations:
          - {id: a, name: A, kind: cluster, country: JP}
          - {id: b, name: B, kind: city, country: GB}
        agreements:
          - id: one
            type: mou
            parties: [a, b]
            sources: [{id: src-press, title: First title}]
          - id: two
            type: loi
            parties: [a, b]
            sources: [{id: src-press, title: Second title}]
        """), encoding="utf-8")
    plain = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert plain.exit_code == 0, plain.output
    result = CliRunner().invoke(main, ["validate", "--shacl", str(tmp_path)])
    assert result.exit_code == 1
    assert "one title per source: records give this source (one id) different titles" in result.stdout
    assert "(in source src-press)" in result.stdout
    check_result = CliRunner().invoke(main, ["rdf", "check", str(tmp_path)])
    assert check_result.exit_code == 1 and "shapes: 1 violation" in check_result.stdout


def test_validate_shacl_on_the_sample_data():
    result = CliRunner().invoke(main, ["validate", "--shacl", str(ROOT / "tests" / "fixtures" / "sample")])
    assert result.exit_code == 0, result.output
