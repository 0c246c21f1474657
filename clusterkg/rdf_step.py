"""The ``rdf`` step of ``clusterkg build``: OUT/graph.nt, OUT/graph.ttl and OUT/graph.jsonld.

The base IRI comes from the CLUSTERKG_BASE environment variable (default
:data:`clusterkg.graph.rdf.triples.DEFAULT_BASE`). When the analysis step of the same
build has written OUT/metrics.csv, its numeric columns are added as
ckg:Measurement nodes of each organisation (the step must then run after it).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING

from clusterkg.graph.rdf.triples import (
    DEFAULT_BASE,
    Triple,
    check_base,
    metric_triples,
    write,
)

if TYPE_CHECKING:
    from clusterkg.pipeline import BuildContext

#: Columns of metrics.csv that are labels or descriptions, not measures.
NOT_MEASURES = frozenset({"node", "id", "name", "country", "kind", "community", "region"})

OUTPUTS = (("graph.nt", "nt"), ("graph.ttl", "ttl"), ("graph.jsonld", "jsonld"))


def read_metrics(path: Path) -> dict[str, dict[str, float]]:
    """``{organisation id: {measure: value}}`` from a metrics table (first column: the id).

    Cells that are not numbers (a label, an empty cell) are left out.
    """
    values: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            return values
        for row in reader:
            if not row:
                continue
            measures = {}
            for name, cell in zip(header[1:], row[1:]):
                if name in NOT_MEASURES:
                    continue
                try:
                    measures[name] = float(cell)
                except ValueError:
                    continue
            values[row[0]] = measures
    return values


def rdf_step(ctx: BuildContext) -> None:
    """Write the dataset's RDF in the three serialisations, with the build's metrics if any."""
    base = check_base(os.environ.get("CLUSTERKG_BASE") or DEFAULT_BASE)
    metrics_file = ctx.out / "metrics.csv"
    extra: list[Triple] = []
    if metrics_file in ctx.written and metrics_file.is_file():
        extra = list(metric_triples(read_metrics(metrics_file), base))
    for name, fmt in OUTPUTS:
        write(ctx.dataset, ctx.path(name), fmt, base, extra=extra)
