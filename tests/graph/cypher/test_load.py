"""Loading records into the embedded FalkorDB: the schema, idempotence, updates, removals, odd text."""

from __future__ import annotations

import pathlib

import pytest
from clusterkg.graph.cypher import schema as property_graph
from clusterkg.graph.cypher.load import counts, load, properties
from clusterkg.graph.cypher.schema import PROPERTY_KEYS, graph_rows
from clusterkg.graph.queries import run_query
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.dataset import Dataset
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Agreement, Organization, Person

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def sample():
    ds = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
    assert ds.valid
    return ds


def small(**changes) -> Dataset:
    """Three organisations, two agreements; ``changes`` replace records by id."""
    ds = Dataset()
    for org_id, country in (("a", "JP"), ("b", "GB"), ("c", "DE")):
        ds.organizations[org_id] = Organization(id=org_id, name=org_id.upper(), kind="cluster", country=country)
    ds.people["p"] = Person(id="p", name="P", posts=[{"title": "CEO", "organization": "a"}])
    ds.agreements["ab"] = Agreement(id="ab", type="mou", parties=["a", "b"], signed="2020-01",
                                    signatories=[{"person": "p", "title": "CEO", "on_behalf_of": "a"}],
                                    sources=[{"title": "news", "url": "https://example.org/ab"}])
    ds.agreements["bc"] = Agreement(id="bc", type="loi", parties=[{"organization": "b", "role": "lead"}, "c"],
                                    sources=[{"title": "news", "url": "https://example.org/bc"}])
    for key, value in changes.items():
        for collection in (ds.organizations, ds.agreements, ds.people):
            if key in collection:
                if value is None:
                    del collection[key]
                else:
                    collection[key] = value
    return ds


def test_sample_counts_match_the_rows_and_the_rdf_graph(falkordb_graph, sample, rdf_counts):
    loaded = load(falkordb_graph, sample)
    assert loaded == property_graph.counts(sample) == counts(falkordb_graph)
    # By hand from data/: 44 organisations, 22 agreements (17 MoUs), 6 signatories, 44 party links
    # (every agreement has two parties), LINK-J's 14 MoUs among them.
    assert loaded["nodes"]["Organization"] == 44 and loaded["nodes"]["Agreement"] == 22
    assert loaded["nodes"]["MoU"] == 17 and loaded["relationships"]["PARTY_TO"] == 44
    assert loaded["relationships"]["SIGNED"] == 6
    from clusterkg.graph.rdf import to_graph

    assert rdf_counts(to_graph(sample)) == loaded


def test_loading_twice_changes_nothing(falkordb_graph, sample):
    load(falkordb_graph, sample)
    first = properties(falkordb_graph)
    load(falkordb_graph, sample)
    assert properties(falkordb_graph) == first
    assert counts(falkordb_graph) == property_graph.counts(sample)


def test_a_changed_record_is_updated_and_a_removed_one_removed(falkordb_graph):
    load(falkordb_graph, small())
    changed = Agreement(id="ab", type="collaboration", parties=["a", "c"], signed="2021-03-04", title="New title",
                        sources=[{"title": "news", "url": "https://example.org/ab"}])
    after = load(falkordb_graph, small(ab=changed, bc=None, b=None, p=None))
    assert after == property_graph.counts(small(ab=changed, bc=None, b=None, p=None))
    rows = falkordb_graph.read("MATCH (a:Agreement) RETURN a.id AS id, labels(a) AS labels, a.title AS title, "
                               "a.signed AS signed, a.signed_precision AS precision")
    # The type label follows the type (mou -> collaboration); old properties are replaced.
    assert rows == [{"id": "ab", "labels": ["Agreement", "Collaboration"], "title": "New title",
                     "signed": "2021-03-04", "precision": "day"}]
    parties = falkordb_graph.read("MATCH (o:Organization)-[:PARTY_TO]->(:Agreement {id: 'ab'}) RETURN o.id AS id ORDER BY id")
    assert [r["id"] for r in parties] == ["a", "c"]
    assert falkordb_graph.read("MATCH (n) WHERE n.id IN ['b', 'bc', 'p'] RETURN count(n) AS n") == [{"n": 0}]
    assert after["nodes"].get("LoI") is None and "SIGNED" not in after["relationships"]
    # And back: the first graph again, property for property.
    load(falkordb_graph, small())
    again = properties(falkordb_graph)
    assert all(v is not None for node in again["nodes"] for v in node["props"].values())  # a null sets nothing
    falkordb_graph.delete()
    load(falkordb_graph, small())
    assert properties(falkordb_graph) == again


def test_every_property_key_is_declared(sample):
    keys = {k for rows in graph_rows(sample).nodes.values() for row in rows for k in row["props"]}
    keys |= {k for rows in graph_rows(sample).relationships.values() for row in rows for k in row["props"]}
    assert keys <= set(PROPERTY_KEYS), keys - set(PROPERTY_KEYS)


def test_dates_keep_their_precision(falkordb_graph, sample):
    load(falkordb_graph, sample)
    row = falkordb_graph.read("MATCH (a:Agreement {id: 'mou-link-j-eurobiomed-2017'}) "
                              "RETURN a.signed AS signed, a.signed_precision AS p, a.date_from AS f, a.date_to AS t")
    # "June 2017" (seed 002) stays a month: not 2017-06-01.
    assert row == [{"signed": "2017-06", "p": "month", "f": "2017-06-01", "t": "2017-06-30"}]


def _unchecked(**fields) -> Organization:
    """An organisation as the graph layer may be handed one, even with text the loaders would refuse
    (control characters): the graph must store it literally, or refuse it in words."""
    try:
        return Organization(**fields)
    except ValueError:
        valid = Organization(**{**fields, "name": "x", "aliases": []})
        return valid.model_copy(update={k: v for k, v in fields.items() if k in ("name", "aliases")})


ODD_NAMES = [
    "x'}) DETACH DELETE n //",
    "`) MATCH (n) DETACH DELETE n //`",
    'quote " and back\\slash \\',
    "new\nline and\ttab",
    "神奈川県 ∙ émigré",
    "$org {id: 1}",
    "unit\x1fseparator and \\u0001 literally",
]


def test_odd_names_are_stored_and_returned_literally(falkordb_graph):
    ds = Dataset()
    for i, name in enumerate(ODD_NAMES):
        ds.organizations[f"o{i}"] = _unchecked(id=f"o{i}", name=name, aliases=[name + " alias"], kind="company",
                                                 country="JP")
    ds.agreements["x"] = Agreement(id="x", type="mou", parties=["o0", "o1"], title=ODD_NAMES[0],
                                   sources=[{"title": ODD_NAMES[1], "evidence": ODD_NAMES[2]}])
    before = load(falkordb_graph, ds)
    names = falkordb_graph.read("MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.aliases AS aliases ORDER BY id")
    assert [r["name"] for r in names] == ODD_NAMES
    assert [r["aliases"] for r in names] == [[n + " alias"] for n in ODD_NAMES]
    assert run_query(falkordb_graph, "partners", {"org": "o0"})[0]["name"] == ODD_NAMES[1]
    # As a parameter value the same text finds by name and changes nothing.
    for name in ODD_NAMES:
        found = run_query(falkordb_graph, "find_organization", {"text": name})
        assert name in [r["name"] for r in found]
        assert run_query(falkordb_graph, "partners", {"org": name}) == []
    assert counts(falkordb_graph) == before
    assert falkordb_graph.read("MATCH (:Agreement)-[s:SOURCED_FROM]->(n:Source) RETURN n.title AS t, s.evidence AS e") == [
        {"t": ODD_NAMES[1], "e": ODD_NAMES[2]}]


def test_labels_never_come_from_input():
    # Input text is only ever a property value: the statements are built from the schema tables.
    from clusterkg.graph.cypher.load import _node_statement, _rel_statement
    from clusterkg.graph.cypher.schema import AGREEMENT_LABELS, NODE_LABELS, REL_TYPES

    statements = [_node_statement(label, None, ["id", "name"], create) for label in NODE_LABELS for create in (0, 1)]
    statements += [_node_statement("Agreement", t, ["id"]) for t in AGREEMENT_LABELS.values()]
    statements += [_rel_statement(rel, [*rel.keys, "role"], create) for rel in REL_TYPES for create in (0, 1)]
    for text in statements:
        assert "row[" in text and "'" not in text and '"' not in text


def test_the_bulk_insert_gives_the_same_graph_as_cypher_batches(falkordb_server, sample):
    # A graph not there yet is made by GRAPH.BULK; an existing one by UNWIND ... MERGE batches.
    bulk, batches = falkordb_server.graph("bulk-a"), falkordb_server.graph("bulk-b")
    for graph in (bulk, batches):
        graph.delete()
    batches.write("CREATE (:Scratch)")
    batches.write("MATCH (n:Scratch) DELETE n")
    rows = graph_rows(sample)
    said = []
    load(bulk, rows, progress=said.append)  # with the load-time summaries (graph/cypher/summaries.py)
    assert "created the graph by bulk insert" in said
    assert batches.bulk_create(rows) is False  # it exists: the Cypher path
    load(batches, rows)
    assert properties(bulk) == properties(batches)
    assert counts(bulk) == property_graph.counts(sample)
    for graph in (bulk, batches):
        graph.delete()


def test_a_nul_byte_falls_back_to_cypher_batches(falkordb_graph):
    ds = small(a=_unchecked(id="a", name="nul\x00byte", kind="cluster", country="JP"))
    falkordb_graph.delete()
    assert falkordb_graph.bulk_create(graph_rows(ds)) is False
    assert falkordb_graph.read("RETURN 1 AS one") == [{"one": 1}]
    # FalkorDB cannot store a NUL at all: the load says so and names the record (it used to fail
    # with a parse error at "CYPHER rows", the NUL having cut the query text short).
    with pytest.raises(ClusterKGError, match=r"NUL character \(U\+0000\), in the row \['a', 'nul\\x00byte'\]"):
        load(falkordb_graph, ds)


def test_further_node_properties_the_same_by_bulk_insert_and_by_batches(falkordb_server, sample):
    # The build's metric_* columns go in with the organisations by GRAPH.BULK, by SET += on the Cypher path.
    extra = {"Organization": {"link-j": {"metric_degree": 14.0, "metric_pagerank": 0.125}, "no-such-id": {"metric_degree": 1.0}}}
    bulk, batches = falkordb_server.graph("props-a"), falkordb_server.graph("props-b")
    for graph in (bulk, batches):
        graph.delete()
    batches.write("CREATE (:Scratch)")
    batches.write("MATCH (n:Scratch) DELETE n")
    rows = graph_rows(sample)
    load(bulk, rows, node_props=extra)
    load(batches, rows, node_props=extra)
    assert properties(bulk) == properties(batches)
    found = bulk.read("MATCH (o:Organization) WHERE o.metric_degree IS NOT NULL RETURN o.id AS id, o.metric_pagerank AS p")
    assert found == [{"id": "link-j", "p": 0.125}]
    assert "metric_degree" not in rows.nodes["Organization"][0]["props"]  # the rows given are not changed
    for graph in (bulk, batches):
        graph.delete()


def test_the_replacing_loader_refuses_a_shared_neo4j_unless_told_it_is_exclusive():
    # load() deletes what is not in the data: on a shared server that would be other people's nodes.
    from clusterkg.graph.cypher.load import load
    from clusterkg.model.problems import ClusterKGError

    class SharedServer:
        backend = "neo4j"

        def __getattr__(self, name):  # any call at all would mean the guard let it through
            raise AssertionError(f"the loader touched the server ({name})")

    with pytest.raises(ClusterKGError, match="load_stream"):
        load(SharedServer(), Dataset())
