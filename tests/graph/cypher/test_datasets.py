"""Issue 16, point 3: a load removes only what its own dataset loaded.

The streaming loader (what `clusterkg load neo4j` runs) on the embedded FalkorDB, which takes the
same statements: two datasets in one graph share countries, regions and an organisation; a reload
of one that drops records removes those records only where that dataset alone had them, and only
untags what the other dataset also holds; nodes another tool wrote are never removed, not even
when they carry an id this dataset loads and later drops. On the command line, `load neo4j`
refuses a build folder whose manifest does not check out (before connecting) and sends the
dataset's name with every write and removal (checked against the Bolt protocol stub).
"""

from __future__ import annotations

import pathlib
import sys

import pytest
from click.testing import CliRunner
from clusterkg.graph.cypher.stream import DATASET_KEY, OTHER, check_dataset, load_stream
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Agreement, Organization



def _stub_module():
    import importlib.util

    if "bolt_stub" in sys.modules:
        return sys.modules["bolt_stub"]
    spec = importlib.util.spec_from_file_location("bolt_stub", pathlib.Path(__file__).with_name("bolt_stub.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["bolt_stub"] = module
    spec.loader.exec_module(module)
    return module


BoltStub = _stub_module().BoltStub


def answer(query, params):
    if "count(" in query:
        return ["n"], [[0]]
    if query.startswith("SHOW"):
        return ["type", "labelsOrTypes", "properties", "name"], []
    return [], []


def _orgs(*specs):
    return [Organization(id=i, name=i.upper(), kind="cluster", country=c) for i, c in specs]


def _agreement(id_, *parties):
    return Agreement(id=id_, type="mou", parties=list(parties), sources=[{"title": "news", "url": f"https://example.org/{id_}"}])


# Dataset A and dataset B share the organisation "shared" and the countries JP and DE.
A = [*_orgs(("a1", "JP"), ("a2", "DE"), ("shared", "JP")), _agreement("ag-a1", "a1", "a2"), _agreement("ag-a2", "a1", "shared")]
B = [*_orgs(("b1", "JP"), ("b2", "DE"), ("shared", "JP")), _agreement("ag-b1", "b1", "b2"), _agreement("ag-b2", "b2", "shared")]


def _ids(graph, label):
    return sorted(r["id"] for r in graph.read(f"MATCH (n:{label}) RETURN n.id AS id"))


def _rels(graph):
    return sorted((r["a"], r["t"], r["b"]) for r in graph.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b"))


def test_a_reload_of_one_dataset_never_removes_another_s(falkordb_graph):
    load_stream(falkordb_graph, lambda: iter(A), dataset="a")
    b_counts = load_stream(falkordb_graph, lambda: iter(B), dataset="b")
    b_rels = [r for r in _rels(falkordb_graph) if r[0].startswith("b") or r[2].startswith("ag-b")]
    # Dataset A loses everything but a1: a2, ag-a1, ag-a2, and "shared" (which B still has).
    assert load_stream(falkordb_graph, lambda: iter(A[:1]), dataset="a")["nodes"]["Organization"] == 1
    assert _ids(falkordb_graph, "Organization") == ["a1", "b1", "b2", "shared"]
    assert _ids(falkordb_graph, "Agreement") == ["ag-b1", "ag-b2"]
    assert [r for r in _rels(falkordb_graph) if r[0].startswith("b") or r[2].startswith("ag-b")] == b_rels
    assert load_stream(falkordb_graph, lambda: iter(B), dataset="b") == b_counts  # B is whole
    tags = falkordb_graph.read(f"MATCH (o:Organization {{id: 'shared'}}) RETURN o.{DATASET_KEY} AS d")
    assert tags == [{"d": ["b"]}]  # untagged by A, not deleted
    countries = falkordb_graph.read(f"MATCH (c:Country) RETURN c.id AS id, c.{DATASET_KEY} AS d ORDER BY id")
    assert [(c["id"], sorted(c["d"])) for c in countries] == [("DE", ["b"]), ("JP", ["a", "b"])]


def test_nodes_other_tools_wrote_are_never_removed(falkordb_graph):
    # Written by another tool before any clusterkg load: one node clusterkg will never load, one with
    # the id of an organisation dataset A loads and then drops, and a relationship between them.
    falkordb_graph.write("CREATE (:Organization {id: 'theirs', name: 'Theirs'})-[:PARTNER_OF]->"
                         "(:Organization {id: 'a2', name: 'Their A2', crm_id: 7})")
    falkordb_graph.write("CREATE (:Person {id: 'p-crm'})")
    load_stream(falkordb_graph, lambda: iter(A), dataset="a")
    load_stream(falkordb_graph, lambda: iter(A[:1]), dataset="a")  # a2 dropped from A
    assert _ids(falkordb_graph, "Organization") == ["a1", "a2", "theirs"]
    assert _ids(falkordb_graph, "Person") == ["p-crm"]
    a2 = falkordb_graph.read(f"MATCH (o:Organization {{id: 'a2'}}) RETURN o.crm_id AS crm, o.{DATASET_KEY} AS d")
    assert a2 == [{"crm": 7, "d": [OTHER]}]
    assert ("theirs", "PARTNER_OF", "a2") in _rels(falkordb_graph)


def test_the_default_dataset_and_bad_names():
    assert check_dataset("eu_clusters-2024.v2") == "eu_clusters-2024.v2"
    for bad in ("", "has space", "-dash-first", "x" * 101, OTHER):
        with pytest.raises(ClusterKGError, match="dataset name"):
            check_dataset(bad)


# -- the command line --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from clusterkg.loaders.writers import write
    from clusterkg.manifest import write_manifest

    out = tmp_path_factory.mktemp("build")
    write(iter(A), out / "records.jsonl", "jsonl")
    write_manifest(out, ["records.jsonl"], inputs=[out.parent / "my-inputs"], counts={}, steps=["records"])
    return out


def test_load_neo4j_refuses_a_build_that_does_not_check_out(built, tmp_path):
    from clusterkg.cli import main

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "records.jsonl").write_bytes((built / "records.jsonl").read_bytes()[:-40])  # cut short
    (damaged / "clusterkg-build.json").write_bytes((built / "clusterkg-build.json").read_bytes())
    with BoltStub(answer) as stub:
        result = CliRunner().invoke(main, ["load", "neo4j", str(damaged), "--uri", f"neo4j://{stub.address}",
                                           "--password", "secret"])
        assert result.exit_code == 1, result.output
        assert "rebuild" in result.output or "clusterkg build" in result.output
        assert "records.jsonl" in result.output
        assert not stub.messages("HELLO")  # refused before connecting


def _datasets_sent(stub) -> set[str]:
    sent = {params.get("dataset") for tx in stub.committed for _, params in tx if "rows" in params}
    sent |= {params.get("dataset") for _, params in stub.autocommitted if "IN TRANSACTIONS" in _}
    return sent


def test_load_neo4j_names_the_dataset_in_every_write_and_removal(built):
    from clusterkg.cli import main

    with BoltStub(answer) as stub:
        result = CliRunner().invoke(main, ["load", "neo4j", str(built), "--uri", f"neo4j://{stub.address}",
                                           "--password", "secret", "--dataset", "team-a"])
        assert result.exit_code == 0, result.output
        assert _datasets_sent(stub) == {"team-a"}
        assert "dataset team-a" in result.output
    with BoltStub(answer) as stub:
        result = CliRunner().invoke(main, ["load", "neo4j", str(built), "--uri", f"neo4j://{stub.address}",
                                           "--password", "secret"])
        assert result.exit_code == 0, result.output
        (default,) = _datasets_sent(stub)
        # Named after the inputs the manifest lists, with a hash of their absolute paths: another
        # project's "data" folder is another dataset.
        assert default.startswith("my-inputs-") and len(default) == len("my-inputs-") + 8
