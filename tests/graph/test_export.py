"""GEXF and GraphML export of the organisation network, read back with networkx."""

from __future__ import annotations

import doctest
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from clusterkg.graph import export
from clusterkg.graph.network import organization_graph
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<img src=x onerror="alert(1)"> & </graph>'


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_sample_network_round_trips(sample_dataset, tmp_path, fmt):
    path = export.write_network(tmp_path / f"n.{fmt}", sample_dataset)
    read = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    graph = organization_graph(sample_dataset)
    assert sorted(read.nodes) == sorted(graph.nodes)
    assert sorted(map(sorted, read.edges)) == sorted(map(sorted, graph.edges))
    link_j = read.nodes["link-j"]
    assert (link_j["country"], link_j["kind"]) == ("JP", "cluster")
    assert link_j["degree"] == 14.0 and 0 < link_j["betweenness"] <= 1
    assert read.nodes["cgt-catapult"]["former_names"] == "formerly Cell Therapy Catapult (until 2016)"
    edge = read.edges["cgt-catapult", "kanagawa-prefecture"]
    assert edge["agreements"] == 1 and edge["types"] == "mou" and edge["first"] == "2015-11"
    # The interval starts on the last day of November 2015 (the first day it surely was signed);
    # the MoU has no end and no term, so the interval is open.
    assert edge["start"] == "2015-11-30" and "end" not in edge


def test_gexf_is_dynamic_with_date_intervals(sample_dataset, tmp_path):
    path = export.write_network(tmp_path / "n.gexf", sample_dataset)
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    read = nx.read_gexf(path)
    assert read.graph["mode"] == "dynamic"
    ended = [(u, v, d) for u, v, d in read.edges(data=True) if "end" in d]
    for u, v, data in ended:  # an end only where every agreement of the tie ends
        ids = data["ids"].split(";")
        assert all(sample_dataset.agreements[i].expires() is not None for i in ids)
        assert data["end"] == max(sample_dataset.agreements[i].expires() for i in ids).isoformat()
    assert ended, "the sample has agreements with a term"


def test_hostile_names_are_escaped_text(tmp_path):
    ds = Dataset()
    for org_id in ("a", "b"):
        ds.organizations[org_id] = Organization(id=org_id, name=HOSTILE, kind="cluster", country="JP")
    ds.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b"], signed="2019", sources=[{"title": "t"}])
    for fmt in export.FORMATS:
        path = export.write_network(tmp_path / f"h.{fmt}", ds)
        assert "<img" not in path.read_text(encoding="utf-8")
        read = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
        assert read.nodes["a"]["name"] == HOSTILE


def test_filters_and_unknown_format(sample_dataset, tmp_path):
    path = export.write_network(tmp_path / "mou.graphml", sample_dataset, types=["mou"], isolates=False)
    read = nx.read_graphml(path)
    assert {t for _, _, t in read.edges(data="types")} == {"mou"}
    assert read.number_of_nodes() == organization_graph(sample_dataset, types=["mou"], isolates=False).number_of_nodes()
    with pytest.raises(export.ClusterKGError, match="unknown network format 'dot'"):
        export.write_network(tmp_path / "n.dot", sample_dataset)


def test_export_commands(tmp_path):
    from clusterkg.cli import main
    from clusterkg.pipeline import build, write_records

    build([ROOT / "tests" / "fixtures" / "sample"], tmp_path / "out", steps=[("records", write_records)])
    for fmt in export.FORMATS:
        target = tmp_path / f"net.{fmt}"
        result = CliRunner().invoke(main, ["export", fmt, str(target), "--graph", str(tmp_path / "out"),
                                           "--country", "JP"])
        assert result.exit_code == 0, result.output
        read = nx.read_gexf(target) if fmt == "gexf" else nx.read_graphml(target)
        assert {c for _, c in read.nodes(data="country")} == {"JP"}
    missing = CliRunner().invoke(main, ["export", "gexf", str(tmp_path / "x.gexf"), "--graph", str(tmp_path / "nope")])
    assert missing.exit_code != 0


def test_examples(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(export, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
