"""Metrics of the analysis as properties of the embedded property graph (what `clusterkg build` does)."""

import csv
from pathlib import Path

from clusterkg.graph.cypher.falkor import FOLDER, open_embedded

from clusterkg.pipeline import build

ROOT = Path(__file__).parents[3]


def test_build_puts_the_metrics_on_the_organisations(tmp_path):
    ctx = build([ROOT / "tests" / "fixtures" / "sample"], tmp_path / "out")
    with open(ctx.out / "metrics.csv", newline="", encoding="utf-8") as handle:
        expected = {row["node"]: row for row in csv.DictReader(handle)}
    with open_embedded(ctx.out / FOLDER) as graph:
        rows = graph.read(
            "MATCH (o:Organization) WHERE o.metric_degree IS NOT NULL "
            "RETURN o.id AS id, o.metric_degree AS degree, o.metric_pagerank AS pagerank ORDER BY id")
    assert {r["id"] for r in rows} == set(expected)
    by_id = {r["id"]: r for r in rows}
    # LINK-J signed MoUs with 14 partners (data/README.md), its degree in the organisation graph
    assert by_id["link-j"]["degree"] == 14.0
    assert abs(by_id["link-j"]["pagerank"] - float(expected["link-j"]["pagerank"])) < 1e-12
