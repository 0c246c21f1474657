"""``clusterkg build``: inputs -> one folder of outputs.

The build is a list of steps over one context. Each step writes its own files;
the RDF, property-graph, metrics and map steps join :data:`STEPS` as they are
built, so the command grows without changing shape.
"""

from __future__ import annotations

import json
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


def write_rdf(ctx: BuildContext) -> None:
    """OUT/graph.nt, graph.ttl, graph.jsonld (graph/rdf_build.py; imported here only when run)."""
    from clusterkg.rdf_step import rdf_step

    rdf_step(ctx)


def write_metrics(ctx: BuildContext) -> None:
    """OUT/metrics.csv and metrics.json (graph/analysis/metrics.py; imported here only when run)."""
    from clusterkg.graph.analysis.metrics import metrics_step

    metrics_step(ctx)


def write_property_graph(ctx: BuildContext) -> None:
    """OUT/falkordb/: the embedded property graph that `clusterkg query` opens (graph/falkor.py)."""
    from clusterkg.graph.cypher.falkor import build_step

    build_step(ctx)


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
    """OUT/map.html: the interactive map, one offline file (graph/map.py; imported here only when run)."""
    from clusterkg.graph.map.render import map_step

    map_step(ctx)


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
