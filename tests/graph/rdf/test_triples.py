"""Records -> RDF: the golden fixture, determinism, three serialisations read by two parsers,
the round trip back to records, and counts that agree with the property graph."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from clusterkg.graph import rdf
from clusterkg.graph.cypher import schema as property_graph
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.columns import kind_of
from clusterkg.loaders.rdf import canonical_lang, graph_to_dataset, graph_to_records
from clusterkg.model.dataset import Dataset
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Agreement, Organization
from hypothesis import HealthCheck, assume, given, settings
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from clusterkg.pipeline import build
from clusterkg.graph.analysis.metrics import read_metrics

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "rdf"
BASE = "https://example.org/kg/"
PARSERS = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}
OX_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


@pytest.fixture(scope="module")
def small() -> Dataset:
    ds = load_dataset([FIXTURES / "small.yaml"])
    assert ds.valid, [str(p) for p in ds.problems]
    return ds


def text_of(source, fmt: str, base: str = BASE) -> str:
    out = io.StringIO()
    rdf.write(source, out, fmt, base)
    return out.getvalue()


def parse(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=PARSERS[fmt])


def from_oxigraph(text: str, fmt: str) -> Graph:
    """The triples as pyoxigraph (a second, independent parser) reads them, as an rdflib graph."""
    graph = Graph()

    def term(node):
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        datatype = node.datatype.value
        if node.language:
            # Language tags are case-insensitive; Oxigraph lower-cases them (zh-Hans -> zh-hans).
            return Literal(node.value, lang=canonical_lang(node.language))
        plain = datatype == "http://www.w3.org/2001/XMLSchema#string"
        return Literal(node.value, datatype=None if plain else URIRef(datatype), normalize=False)

    for quad in ox.parse(text, format=OX_FORMATS[fmt]):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


# -- golden and determinism ----------------------------------------------------------


def test_golden_turtle(small):
    """small.ttl was written once by this code and checked by hand against small.yaml."""
    golden = Graph().parse(FIXTURES / "small.ttl", format="turtle")
    assert isomorphic(parse(text_of(small, "ttl"), "ttl"), golden)
    assert isomorphic(rdf.to_graph(small, BASE), golden)


def test_building_twice_gives_the_same_bytes_and_isomorphic_graphs(tmp_path, small):
    every = ["nt", "ttl", "jsonld"]
    first = build([], tmp_path / "one", dataset=small, rdf=every)
    second = build([], tmp_path / "two", dataset=load_dataset([FIXTURES / "small.yaml"]), rdf=every)
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
        assert tmp_path / "one" / name in first.written and tmp_path / "two" / name in second.written
    a = rdf.read_graph(tmp_path / "one" / "graph.ttl")
    b = rdf.read_graph(tmp_path / "two" / "graph.jsonld")
    assert isomorphic(a, b)


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld"])
def test_every_serialisation_reads_back_in_two_parsers(small, fmt):
    expected = rdf.to_graph(small, BASE)
    text = text_of(small, fmt)
    by_rdflib = parse(text, fmt)
    by_oxigraph = from_oxigraph(text, fmt)
    assert len(by_rdflib) == len(by_oxigraph) == len(expected) == 238  # 238: counted by rdf.write
    assert isomorphic(by_oxigraph, expected)  # pyoxigraph keeps lexical forms as written
    assert isomorphic(by_rdflib, parse(text_of(small, "nt"), "nt"))


def test_the_sample_dataset_in_both_parsers(sample_dataset):
    for fmt in ("nt", "ttl", "jsonld"):
        text = text_of(sample_dataset, fmt)
        assert isomorphic(from_oxigraph(text, fmt), rdf.to_graph(sample_dataset, BASE)), fmt


def test_awkward_text_survives_every_serialisation():
    org = Organization(id="x", name='A "quoted" name\\ with\nlines\r and tabs\t', names={"ja": "神奈川県", "zh-Hans": "名"},
                       aliases=["<img src=x onerror=alert(1)>", "} ; DROP ALL ; #"], kind="other", country="NO")
    for fmt in ("nt", "ttl", "jsonld"):
        text = text_of([org], fmt)
        assert graph_to_records(from_oxigraph(text, fmt)) == [org.model_copy(update={"aliases": sorted(org.aliases)})]


# -- the mapping ---------------------------------------------------------------------


def test_iris_are_deterministic_and_follow_the_base(small):
    graph = rdf.to_graph(small, "https://data.example.net/clusters#")
    subjects = {str(s) for s in graph.subjects()}
    assert "https://data.example.net/clusters#organization/link-j" in subjects
    assert "https://data.example.net/clusters#agreement/mou-link-j-kanagawa-2020/party/1" in subjects
    assert not any(isinstance(s, BNode) for s in graph.subjects())  # no blank nodes: stable IRIs only


@pytest.mark.parametrize("base", ["example.org/", "https://example.org/kg", "https://example.org/a b/"])
def test_a_bad_base_is_refused(base):
    with pytest.raises(ClusterKGError, match="base IRI"):
        rdf.Iris(base)


def test_dates_keep_their_precision(small):
    graph = rdf.to_graph(small, BASE)
    mou = URIRef(BASE + "agreement/mou-link-j-kanagawa-2020")
    signed = graph.value(mou, URIRef("https://w3id.org/clusterkg/ns#signed"))
    announced = graph.value(mou, URIRef("https://w3id.org/clusterkg/ns#announced"))
    assert (str(signed), str(signed.datatype).rsplit("#")[-1]) == ("2020-09-18", "date")
    assert (str(announced), str(announced.datatype).rsplit("#")[-1]) == ("2020-09", "gYearMonth")


def test_both_the_specific_and_the_generic_type(small):
    graph = rdf.to_graph(small, BASE)
    types = {str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in graph.objects(URIRef(BASE + "organization/link-j"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))}
    assert types == {"Organization", "FormalOrganization", "ClusterOrganization"}
    agreement_types = set(graph.objects(URIRef(BASE + "agreement/mou-link-j-kanagawa-2020"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")))
    assert {str(t).rsplit("#")[-1] for t in agreement_types} == {"Agreement", "MemorandumOfUnderstanding"}


def test_nt_bytes_and_write_count_the_same_triples(small):
    lines = b"".join(rdf.nt_bytes(small, BASE, batch=7)).decode().splitlines()
    assert len(lines) == rdf.write(small, io.StringIO(), "nt", BASE) == 238


def test_a_file_name_tells_the_format(tmp_path, small):
    assert rdf.write(small, tmp_path / "g.ttl", base=BASE) == 238
    with pytest.raises(ClusterKGError, match="cannot tell the RDF format"):
        rdf.write(small, tmp_path / "g.rdf")


# -- records -> RDF -> records -------------------------------------------------------

SET_FIELDS = ("aliases", "member_of", "scope", "activities")


def normalised(records) -> list[tuple[str, dict]]:
    """Records as comparable data; RDF keeps the set-valued fields as sets (docs/rdf.md)."""
    items = []
    for record in records:
        data = record.to_dict()
        for name in SET_FIELDS:
            if name in data:
                data[name] = sorted(set(data[name]))
        items.append((kind_of(record), data))
    return sorted(items, key=repr)


def test_the_fixture_round_trips(small):
    records = [r for _, r in small.records()]
    assert normalised(graph_to_records(rdf.to_graph(small, BASE))) == normalised(records)
    # and through each serialisation, read back by rdflib
    for fmt in ("nt", "ttl", "jsonld"):
        assert normalised(graph_to_records(parse(text_of(small, fmt), fmt))) == normalised(records), fmt


def test_the_sample_dataset_round_trips(sample_dataset):
    back = graph_to_dataset(rdf.to_graph(sample_dataset))
    assert normalised(r for _, r in back.records()) == normalised(r for _, r in sample_dataset.records())


def _roundtrip_strategies():
    """The loaders' round-trip strategy (valid, self-consistent datasets with awkward text)."""
    path = ROOT / "tests" / "loaders" / "test_roundtrip.py"
    spec = importlib.util.spec_from_file_location("loaders_roundtrip_strategies", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.datasets


datasets = _roundtrip_strategies()


def consistent_sources(records) -> bool:
    """One source id, one description: two records may cite one document, not two under one id."""
    seen: dict[str, tuple] = {}
    for record in records:
        for source in record.sources:
            key = (source.title, source.publisher, source.url, source.published, source.accessed)
            if seen.setdefault(source.id, key) != key:
                return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(datasets())
def test_records_rdf_records_is_lossless(records):
    assume(consistent_sources(records))
    graph = rdf.to_graph(records, BASE)
    assert normalised(graph_to_records(graph)) == normalised(records)
    # and the text form, read by the second parser, is the same graph
    assert isomorphic(from_oxigraph(text_of(records, "nt"), "nt"), graph)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(datasets())
def test_rdf_counts_agree_with_the_property_graph(rdf_counts, records):
    assume(consistent_sources(records))
    ds = Dataset()
    collections = ds.collections()
    for record in records:
        collections[kind_of(record)][record.id] = record
    assert rdf_counts(rdf.to_graph(ds, BASE)) == property_graph.counts(ds)


def duration(text: str):
    return Literal(text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#duration")).value


def test_durations_read_back_by_rdflib_keep_their_value():
    """rdflib's parser rewrites xsd:duration lexical forms (P18M -> P1Y6M); the value is kept."""
    orgs = [Organization(id=i, name=i, kind="cluster", country="JP") for i in ("a", "b")]
    mou = Agreement(id="m", type="mou", parties=["a", "b"], term="P18M", sources=[{"title": "t"}])
    back = [r for r in graph_to_records(parse(text_of([*orgs, mou], "ttl"), "ttl")) if isinstance(r, Agreement)]
    assert duration(back[0].term) == duration("P18M") and back[0].term == "P1Y6M"
    exact = [r for r in graph_to_records(from_oxigraph(text_of([*orgs, mou], "ttl"), "ttl")) if isinstance(r, Agreement)]
    assert exact[0].term == "P18M"


def test_a_graph_that_says_too_much_is_refused(small):
    graph = rdf.to_graph(small, BASE)
    graph.add((URIRef(BASE + "source/src-link-j-2020"), URIRef("http://purl.org/dc/terms/title"), Literal("Other")))
    with pytest.raises(ClusterKGError, match="src-link-j-2020: has 2 values for title"):
        graph_to_records(graph)


# -- counts and metrics --------------------------------------------------------------


def test_counts_agree_with_the_property_graph_on_the_sample(rdf_counts, sample_dataset):
    counts = rdf_counts(rdf.to_graph(sample_dataset))
    assert counts == property_graph.counts(sample_dataset)
    assert counts["nodes"]["Agreement"] == len(sample_dataset.agreements)
    assert counts["relationships"]["PARTY_TO"] == sum(len(a.parties) for a in sample_dataset.agreements.values())


def test_counts_on_oxigraph_equal_counts_on_rdflib(rdf_counts, small):
    from clusterkg.graph.rdf.store import oxigraph_store

    assert rdf_counts(oxigraph_store(rdf.nt_bytes(small, BASE))) == rdf_counts(rdf.to_graph(small, BASE))


def test_metrics_of_the_build_become_measurements(tmp_path, small):
    (tmp_path / "metrics.csv").write_text("node,name,degree,betweenness\nlink-j,LINK-J,2,0.5\nkanagawa-prefecture,K,1,\n")
    assert read_metrics(tmp_path / "metrics.csv") == {"link-j": {"degree": 2.0, "betweenness": 0.5},
                                                      "kanagawa-prefecture": {"degree": 1.0}}

    def metrics_step(ctx):
        ctx.path("metrics.csv").write_text((tmp_path / "metrics.csv").read_text())

    from clusterkg.pipeline import STEPS

    steps = [(n, s) for n, s in STEPS if n not in {"rdf", "metrics"}] + [("metrics", metrics_step)] + [(n, s) for n, s in STEPS if n == "rdf"]
    build([], tmp_path / "default", dataset=small, steps=steps)
    assert len(rdf.read_graph(tmp_path / "default" / "graph.nt")) == 238  # measurements only when asked for
    build([], tmp_path / "out", dataset=small, steps=steps, rdf_metrics=True)
    graph = rdf.read_graph(tmp_path / "out" / "graph.nt")
    rows = list(graph.query("""
        PREFIX ckg: <https://w3id.org/clusterkg/ns#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?name ?value WHERE { ?org ckg:measurement [ ckg:metricName ?name ; rdf:value ?value ] }
        ORDER BY ?name ?value"""))
    assert [(str(n), float(v)) for n, v in rows] == [("betweenness", 0.5), ("degree", 1.0), ("degree", 2.0)]
    assert len(graph) == 238 + 3 * 4  # three measurements of four triples each
