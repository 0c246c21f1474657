"""``clusterkg build``: inputs -> one folder of outputs.

The build is a list of steps over one context; each step writes its own files.
The steps live here and only here: the library modules they call take a
dataset and paths, and know nothing of the build (docs/architecture.md). Heavy
modules are imported inside the step that needs them, so that ``clusterkg
validate`` starts fast.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from clusterkg.loaders.assemble import assemble
from clusterkg.loaders.read import read_inputs
from clusterkg.loaders.writers import write
from clusterkg.model.dataset import Dataset, Progress, gc_paused, summarize
from clusterkg.model.problems import ClusterKGError, InputError


@dataclass
class BuildContext:
    dataset: Dataset
    out: Path
    written: list[Path] = field(default_factory=list)

    def path(self, name: str) -> Path:
        path = self.out / name
        self.written.append(path)
        return path


Step = Callable[[BuildContext], None]


def write_records(ctx: BuildContext) -> None:
    """The normalised records, reloadable by ``clusterkg build`` itself."""
    write((record for _, record in ctx.dataset.records()), ctx.path("records.jsonl"), "jsonl")


def write_summary(ctx: BuildContext) -> None:
    ctx.path("summary.json").write_text(json.dumps(summarize(ctx.dataset), indent=2) + "\n", encoding="utf-8")


def write_rejected(ctx: BuildContext) -> None:
    """Rejected records with their reasons; a stale file from an earlier build is removed."""
    target = ctx.out / "rejected.jsonl"
    if not ctx.dataset.problems:
        target.unlink(missing_ok=True)
        return
    with ctx.path("rejected.jsonl").open("w", encoding="utf-8") as handle:
        for problem in ctx.dataset.file_problems:
            handle.write(json.dumps({"file": problem.location.file, "problems": [str(problem)]}, ensure_ascii=False) + "\n")
        for rejected in ctx.dataset.rejected:
            handle.write(json.dumps(rejected.to_dict(), ensure_ascii=False, default=str) + "\n")


def write_metrics(ctx: BuildContext) -> None:
    """OUT/metrics.csv (one row per organisation, every measure) and OUT/metrics.json
    (how each estimate was made: sample sizes, seeds, modularity).

    Deterministic: every random choice is seeded with 0. The RDF step, when it
    runs after this one, adds the numeric columns to each organisation's node.
    """
    from clusterkg.graph.analysis.metrics import organization_metrics
    from clusterkg.graph.network import organization_graph

    graph = organization_graph(ctx.dataset)
    table = organization_metrics(graph).sort_index()
    table.to_csv(ctx.path("metrics.csv"), float_format="%.10g")
    about = {"organizations": len(table), "ties": graph.number_of_edges(), **table.attrs}
    ctx.path("metrics.json").write_text(json.dumps(about, indent=2, default=str) + "\n", encoding="utf-8")


#: The RDF files of a build, with their format.
RDF_OUTPUTS = (("graph.nt", "nt"), ("graph.ttl", "ttl"), ("graph.jsonld", "jsonld"))


def write_rdf(ctx: BuildContext) -> None:
    """OUT/graph.nt, graph.ttl and graph.jsonld, with the build's metrics when the metrics step ran.

    The base IRI comes from CLUSTERKG_BASE (default
    :data:`clusterkg.graph.rdf.DEFAULT_BASE`). The numeric columns of
    OUT/metrics.csv become ckg:Measurement nodes of each organisation.
    """
    from clusterkg.graph.analysis.metrics import read_metrics
    from clusterkg.graph.rdf import DEFAULT_BASE, check_base, metric_triples, write

    base = check_base(os.environ.get("CLUSTERKG_BASE") or DEFAULT_BASE)
    metrics_file = ctx.out / "metrics.csv"
    extra = []
    if metrics_file in ctx.written and metrics_file.is_file():
        extra = list(metric_triples(read_metrics(metrics_file), base))
    for name, fmt in RDF_OUTPUTS:
        write(ctx.dataset, ctx.path(name), fmt, base, extra=extra)


def write_property_graph(ctx: BuildContext) -> None:
    """OUT/falkordb/: the embedded property graph that ``clusterkg query`` opens.

    The graph is an output like the others: a graph from an earlier build is
    dropped and made again from the records (by bulk insert, the fastest way),
    so a build never depends on what OUT held before.
    """
    from clusterkg.graph.cypher.falkor import FOLDER, open_embedded, stop_on_sigterm
    from clusterkg.graph.cypher.load import load

    with stop_on_sigterm(), open_embedded(ctx.path(FOLDER)) as graph:
        graph.delete()
        load(graph, ctx.dataset)


def write_property_graph_metrics(ctx: BuildContext) -> None:
    """The metrics of OUT/metrics.csv as ``metric_*`` properties of the embedded graph's organisations."""
    metrics = ctx.out / "metrics.csv"
    if not metrics.is_file():
        return
    from clusterkg.graph.cypher.falkor import FOLDER, open_embedded, stop_on_sigterm
    from clusterkg.graph.cypher.metrics import add_metrics

    with stop_on_sigterm(), open_embedded(ctx.out / FOLDER) as graph:
        add_metrics(graph, metrics)


def write_map(ctx: BuildContext) -> None:
    """OUT/map.html: the interactive map, one offline file, nodes sized by betweenness."""
    from clusterkg.graph.map.render import render

    ctx.path("map.html").write_text(render(ctx.dataset, size_by="betweenness"), encoding="utf-8")


STEPS: list[tuple[str, Step]] = [
    ("records", write_records),
    ("summary", write_summary),
    ("rejected", write_rejected),
    ("metrics", write_metrics),
    ("rdf", write_rdf),  # keep after a metrics step: it adds OUT/metrics.csv to the graph
    ("property-graph", write_property_graph),
    ("property-graph-metrics", write_property_graph_metrics),  # after metrics and property-graph
    ("map", write_map),
]


def load(inputs: Iterable[Path | str], progress: Callable[[int], Progress] | None = None) -> Dataset:
    """Read and assemble the inputs; ``progress(total)`` may return a per-record callback."""
    with gc_paused():  # reading makes millions of small objects and no cycles
        raws, problems = read_inputs(Path(p) for p in inputs)
        return assemble(raws, problems, progress(len(raws)) if progress else None)


def build(
    inputs: Iterable[Path | str],
    out: Path | str,
    *,
    skip_invalid: bool = False,
    dataset: Dataset | None = None,
    steps: list[tuple[str, Step]] | None = None,
) -> BuildContext:
    """Validate, resolve and write every output into ``out``.

    Raises :class:`InputError` with every problem when the input is not valid,
    unless ``skip_invalid``, which builds from the valid records and writes the
    rejected ones, with their reasons, to ``out/rejected.jsonl`` (a file that
    could not be read at all is listed there too).
    """
    ds = dataset if dataset is not None else load(inputs)
    if ds.problems and not skip_invalid:
        raise InputError(ds.problems)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ClusterKGError(f"{out}: cannot create the output folder: {error.strerror or error}") from None
    ctx = BuildContext(ds, out)
    for name, step in steps or STEPS:
        try:
            step(ctx)
        except OSError as error:
            raise ClusterKGError(f"{out}: the {name} step could not write: {error.strerror or error}") from None
    return ctx
