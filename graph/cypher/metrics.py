"""The analysis metrics (OUT/metrics.csv) as properties of the property graph's organisations.

Each numeric column becomes ``metric_<column>`` on ``(:Organization {id})``, so a
Cypher query can rank or filter by them (``ORDER BY o.metric_pagerank DESC``).
Written with one parameterised ``UNWIND $rows`` statement, like every other write.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.load import CypherGraph

#: Columns of metrics.csv that describe the organisation rather than measure it.
_NOT_METRICS = {"node", "name", "country", "kind", "region"}

SET_METRICS = "UNWIND $rows AS row MATCH (o:Organization {id: row.id}) SET o += row.props"


def metric_rows(path: Path) -> list[dict[str, Any]]:
    """``[{"id": ..., "props": {"metric_degree": 14.0, ...}}, ...]`` from a metrics.csv; empty cells left out."""
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            props = {}
            for column, value in record.items():
                if column in _NOT_METRICS or value in ("", None):
                    continue
                try:
                    props[f"metric_{column.replace('-', '_')}"] = float(value)
                except ValueError:
                    continue  # a label column, not a measure
            rows.append({"id": record["node"], "props": props})
    return rows


def add_metrics(graph: CypherGraph, path: Path) -> int:
    """Set every organisation's metrics from ``path``; returns how many rows were written."""
    rows = metric_rows(path)
    if rows:
        graph.write_batches(SET_METRICS, rows)
    return len(rows)
