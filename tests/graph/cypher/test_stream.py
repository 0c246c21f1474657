"""The streaming loader (what `clusterkg load neo4j` runs), on the embedded FalkorDB: the same graph as
the batch loader, reloads that keep other tools' properties, removals and type changes done on the server."""

from __future__ import annotations

import json
import pathlib

import pytest

from clusterkg.graph.cypher.load import load, properties
from clusterkg.graph.cypher.schema import graph_rows, stream_rows
from clusterkg.graph.cypher.stream import DATASET_KEY, LOAD_KEY, MERGE_KEY, iter_records, load_stream
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.writers import write
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Agreement

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def sample():
    return load_dataset([ROOT / "tests" / "fixtures" / "sample"])


def _ours(props: dict) -> dict:
    # The load-time summaries (graph/cypher/summaries.py) come with both loaders and are compared;
    # only the streaming loader's bookkeeping (dataset tags, load stamps, merge keys) is left out.
    return {k: v for k, v in props.items() if k not in (DATASET_KEY, LOAD_KEY, MERGE_KEY)}


def _plain(graph) -> tuple[list, list]:
    p = properties(graph)
    key = lambda x: json.dumps(x, sort_keys=True, default=str)
    nodes = sorted(key({**n, "props": _ours(n["props"])}) for n in p["nodes"])
    rels = sorted(key({**r, "props": _ours(r["props"])}) for r in p["relationships"])
    return nodes, rels


def test_records_jsonl_streams_the_rows_of_the_dataset(sample, tmp_path):
    write((r for _, r in sample.records()), tmp_path / "records.jsonl", "jsonl")
    rows = graph_rows(sample)
    streamed = list(stream_rows(iter_records(tmp_path / "records.jsonl")))
    nodes = sorted((label, r["id"], repr(r)) for kind, label, r in streamed if kind == "node")
    assert nodes == sorted((label, r["id"], repr(r)) for label, rs in rows.nodes.items() for r in rs)
    rels = sorted(repr((rel, r)) for kind, rel, r in streamed if kind == "rel")
    assert rels == sorted(repr((rel, r)) for rel, rs in rows.relationships.items() for r in rs)


def test_a_line_that_is_no_record_is_named(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text('{"record": "organization", "id": "a", "name": "A", "kind": "cluster", "country": "JP"}\n'
                    '{"record": "spaceship", "id": "x"}\n', encoding="utf-8")
    with pytest.raises(ClusterKGError, match=r"records.jsonl:2: not a record"):
        list(iter_records(path))


def test_the_same_graph_as_the_batch_loader(falkordb_server, sample):
    batch, streamed = falkordb_server.graph("stream-a"), falkordb_server.graph("stream-b")
    for graph in (batch, streamed):
        graph.delete()
    load(batch, sample)
    records = lambda: (r for _, r in sample.records())
    first = load_stream(streamed, records, batch_size=7)
    assert _plain(batch) == _plain(streamed)
    assert load_stream(streamed, records) == first  # again: nothing changes
    assert _plain(batch) == _plain(streamed)
    for graph in (batch, streamed):
        graph.delete()


def test_a_reload_keeps_other_properties_and_removes_on_the_server(falkordb_graph, sample):
    records = lambda: (r for _, r in sample.records())
    load_stream(falkordb_graph, records)
    falkordb_graph.write("MATCH (o:Organization {id: 'link-j'}) SET o.gds_score = 1.5")
    changed = sample.agreements["mou-link-j-kanagawa-2020"].model_copy(update={"type": "collaboration"})
    gone = "mou-link-j-eurobiomed-2017"

    def edited():
        for _, r in sample.records():
            if isinstance(r, Agreement) and r.id == gone:
                continue
            yield changed if isinstance(r, Agreement) and r.id == changed.id else r

    after = load_stream(falkordb_graph, edited)
    assert falkordb_graph.read("MATCH (o:Organization {id: 'link-j'}) RETURN o.gds_score AS g") == [{"g": 1.5}]
    assert falkordb_graph.read("MATCH (a:Agreement {id: $id}) RETURN count(a) AS n", {"id": gone}) == [{"n": 0}]
    labels = falkordb_graph.read("MATCH (a:Agreement {id: 'mou-link-j-kanagawa-2020'}) RETURN labels(a) AS l")
    assert sorted(labels[0]["l"]) == ["Agreement", "Collaboration"]
    assert after["nodes"]["Agreement"] == len(sample.agreements) - 1
