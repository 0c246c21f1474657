"""``clusterkg build``: inputs -> one folder of outputs.

The build is a list of steps over one context; each step writes its own files.
The steps live here and only here: the library modules they call take a
dataset and paths, and know nothing of the build (docs/architecture.md). Heavy
modules are imported inside the step that needs them, so that ``clusterkg
validate`` starts fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkg.loaders.assemble import assemble
from clusterkg.loaders.parse import bounded
from clusterkg.loaders.read import BUILD_MANIFEST
from clusterkg.manifest import build_lock, read_manifest, write_manifest
from clusterkg.loaders.read import read_inputs
from clusterkg.loaders.writers import write
from clusterkg.model.dataset import Dataset, Progress, gc_paused, summarize
from clusterkg.model.dates import day_order
from clusterkg.model.problems import ClusterKGError, InputError


RDF_OUTPUTS = {"nt": "graph.nt", "ttl": "graph.ttl", "jsonld": "graph.jsonld"}
#: What a build writes unless asked for more: N-Triples, the fastest to write and to stream into a
#: SPARQL server (about half the time of Turtle on 300,000 agreements); `--rdf nt,ttl,jsonld` adds the others.
DEFAULT_RDF = ("nt",)

#: The folder inside OUT where a build writes its outputs before they are moved into place.
STAGING = ".building"


@dataclass
class BuildContext:
    """What the steps of one build share: the dataset, the output folder and what was written.

    Steps write under :meth:`path`, which is in OUT's staging folder: nothing
    lands in OUT itself until every step has succeeded.
    """

    dataset: Dataset
    out: Path
    stage: Path | None = None
    written: list[Path] = field(default_factory=list)
    rdf_formats: tuple[str, ...] = DEFAULT_RDF
    #: Whether the RDF holds the metrics as ckg:Measurement nodes (--rdf-metrics): four triples per
    #: organisation and measure, a third of graph.nt on 100,000 organisations, for what metrics.csv
    #: and the property graph already hold; so only when asked.
    rdf_metrics: bool = False
    #: What one step made that a later one reuses instead of computing it again (the metrics
    #: step's organisation graph, for the map).
    shared: dict[str, Any] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        path = (self.stage or self.out) / name
        self.written.append(path)
        return path

    def output(self, name: str) -> Path | None:
        """Where this build wrote output ``name``, or None when no step of it did."""
        path = (self.stage or self.out) / name
        return path if path in self.written and path.exists() else None


Step = Callable[[BuildContext], None]


def write_records(ctx: BuildContext) -> None:
    """The normalised records, reloadable by ``clusterkg build`` itself."""
    write((record for _, record in ctx.dataset.records()), ctx.path("records.jsonl"), "jsonl")


def write_names(ctx: BuildContext) -> None:
    """OUT/names.json: every organisation, programme, person and event name, normalised, with its id,
    so that ``clusterkg query -p org=LINK-J`` resolves a name without reading the records."""
    from clusterkg.loaders.names_index import FILE, Names

    Names.from_dataset(ctx.dataset).write(ctx.path(FILE))


def write_summary(ctx: BuildContext) -> None:
    ctx.path("summary.json").write_text(json.dumps(summarize(ctx.dataset), indent=2) + "\n", encoding="utf-8")


def write_rejected(ctx: BuildContext) -> None:
    """Rejected records with their reasons (none: no file, and an earlier build's is removed)."""
    if not ctx.dataset.problems:
        return
    # A lone surrogate (a rejected broken \\ud800 escape) is written as that escape, which JSON reads back.
    with ctx.path("rejected.jsonl").open("w", encoding="utf-8", errors="backslashreplace") as handle:
        for problem in ctx.dataset.file_problems:
            handle.write(json.dumps({"file": problem.location.file, "problems": [str(problem)]}, ensure_ascii=False) + "\n")
        for rejected in ctx.dataset.rejected:
            entry = rejected.to_dict()
            entry["data"], cut = bounded(entry["data"])  # a rejected record is quoted, within bounds
            if cut:
                entry["cut"] = "long texts or lists of this record are cut short here; the input has them whole"
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


def spreadsheet_safe_labels(table: Any) -> Any:
    """A copy of the DataFrame ``table`` with each text cell (names, countries)
    :func:`~clusterkg.loaders.csvfiles.spreadsheet_safe`: metrics.csv is opened in
    spreadsheets, where a name such as ``=HYPERLINK(...)`` would run. Numbers are left alone."""
    from clusterkg.loaders.csvfiles import spreadsheet_safe

    text = [c for c in table.columns if table[c].dtype == object or str(table[c].dtype).startswith("str")]
    if not text:
        return table
    safe = table.copy()
    for column in text:
        safe[column] = safe[column].map(lambda v: spreadsheet_safe(v) if isinstance(v, str) else v)
    return safe


def write_metrics(ctx: BuildContext) -> None:
    """OUT/metrics.csv (one row per organisation, every measure) and OUT/metrics.json
    (how each estimate was made: sample sizes, seeds, modularity).

    Deterministic: every random choice is seeded with 0. The RDF step, when it
    runs after this one and ``rdf_metrics`` is set, adds the numeric columns to each organisation's node.
    """
    from clusterkg.graph.analysis.metrics import dataset_metrics
    from clusterkg.graph.network import organization_graph

    # The one definition of the table: clusterkg.metrics() and `analyze metrics --isolates` give the same.
    graph = organization_graph(ctx.dataset)  # dataset_metrics' own; the map step draws it too
    table = dataset_metrics(ctx.dataset, graph=graph)
    ctx.shared["graph"] = graph
    # 15 digits: equal to the API to 1e-9; names and other text cells spreadsheet-safe (no '=...' runs)
    spreadsheet_safe_labels(table).to_csv(ctx.path("metrics.csv"), float_format="%.15g")
    about = {"organizations": len(table), **table.attrs}
    ctx.path("metrics.json").write_text(json.dumps(about, indent=2, default=str) + "\n", encoding="utf-8")


#: The RDF files of a build, with their format.


def write_rdf(ctx: BuildContext) -> None:
    """OUT/graph.nt (and graph.ttl, graph.jsonld when asked for), with the build's metrics when asked
    for (``rdf_metrics``) and the metrics step ran.

    The base IRI comes from CLUSTERKG_BASE (default
    :data:`clusterkg.graph.rdf.DEFAULT_BASE`). The numeric columns of
    OUT/metrics.csv become ckg:Measurement nodes of each organisation.
    """
    from clusterkg.graph.analysis.metrics import read_metrics
    from clusterkg.graph.rdf import DEFAULT_BASE, check_base, metric_triples, write

    base = check_base(os.environ.get("CLUSTERKG_BASE") or DEFAULT_BASE)
    metrics_file = ctx.output("metrics.csv") if ctx.rdf_metrics else None
    extra = list(metric_triples(read_metrics(metrics_file), base)) if metrics_file else []
    for fmt in ctx.rdf_formats:
        write(ctx.dataset, ctx.path(RDF_OUTPUTS[fmt]), fmt, base, extra=extra)


def write_property_graph(ctx: BuildContext) -> None:
    """OUT/falkordb/: the embedded property graph that ``clusterkg query`` opens.

    Made afresh in the staging folder from the records (by bulk insert, the
    fastest way), with the metrics of this build as ``metric_*`` properties of
    its organisations: a build never depends on what OUT held before, so a
    corrupt graph from an earlier build is simply replaced.
    """
    from clusterkg.graph.cypher.falkor import FOLDER, SaveFailed, open_embedded, stop_on_sigterm
    from clusterkg.graph.cypher.load import load
    from clusterkg.graph.cypher.metrics import metric_rows

    folder = ctx.path(FOLDER)
    if folder.exists():
        shutil.rmtree(folder)
    try:
        with stop_on_sigterm(), open_embedded(folder) as graph:
            metrics = ctx.output("metrics.csv")
            # The metrics go in with the organisations (one bulk insert), not by a second pass over them.
            extra = {"Organization": {row["id"]: row["props"] for row in metric_rows(metrics)}} if metrics else None
            load(graph, ctx.dataset, node_props=extra)
    except SaveFailed as error:  # a full disk: the build stops here, before anything is moved into OUT
        raise ClusterKGError(f"{ctx.out}: the property graph could not be saved ({error.reason}); nothing of this "
                             f"build was moved into {ctx.out}, its earlier outputs are untouched: free some space "
                             "and build again") from None


def write_map(ctx: BuildContext) -> None:
    """OUT/map.html: the interactive map, one offline file, nodes sized by degree (betweenness is 0 for most organisations of a sparse field)."""
    from clusterkg.graph.map.render import render

    graph = ctx.shared.pop("graph", None)  # the metrics step's, when it ran: the graph render would make
    ctx.path("map.html").write_text(render(ctx.dataset, graph=graph, size_by="degree"), encoding="utf-8")


STEPS: list[tuple[str, Step]] = [
    ("records", write_records),
    ("names", write_names),
    ("summary", write_summary),
    ("rejected", write_rejected),
    ("metrics", write_metrics),
    ("rdf", write_rdf),  # keep after a metrics step: with --rdf-metrics it adds OUT/metrics.csv to the graph
    ("property-graph", write_property_graph),  # after metrics: adds them to the organisations
    ("map", write_map),
]


def as_inputs(inputs: Path | str | Iterable[Path | str]) -> list[Path]:
    """One path or several, as a list: ``"data"`` is one folder, not the four inputs d, a, t, a.

    >>> as_inputs("data"), as_inputs(["a.yaml", Path("b.csv")])
    ([PosixPath('data')], [PosixPath('a.yaml'), PosixPath('b.csv')])
    """
    if isinstance(inputs, (str, os.PathLike)):
        return [Path(inputs)]
    paths = list(inputs)
    bad = [p for p in paths if not isinstance(p, (str, os.PathLike))]
    if bad:
        raise ClusterKGError(f"inputs are paths (files or folders); got {bad[0]!r}")
    return [Path(p) for p in paths]


def load(inputs: Path | str | Iterable[Path | str], progress: Callable[[int], Progress] | None = None, *,
         dayfirst: bool | None = None) -> Dataset:
    """Read and assemble the inputs; ``progress(total)`` may return a per-record callback.

    ``dayfirst`` says how numeric dates such as 3/4/2019 are read: True day first (3 April),
    False month first (4 March); None (the default) refuses them, with both readings in the
    message, unless :func:`clusterkg.model.dates.day_order` says otherwise around the call.
    A number over 12 can only be the day, so 15/11/2019 is read either way.
    """
    inputs = as_inputs(inputs)
    order = day_order(dayfirst) if dayfirst is not None else contextlib.nullcontext()
    with gc_paused(), order:  # reading makes millions of small objects and no cycles
        raws, problems = read_inputs(Path(p) for p in inputs)
        return assemble(raws, problems, progress(len(raws)) if progress else None)


def build(
    inputs: Iterable[Path | str],
    out: Path | str,
    *,
    skip_invalid: bool = False,
    dataset: Dataset | None = None,
    steps: list[tuple[str, Step]] | None = None,
    dayfirst: bool | None = None,
    rdf: Iterable[str] = DEFAULT_RDF,
    rdf_metrics: bool = False,
) -> BuildContext:
    """Validate, resolve and write every output into ``out``.

    Raises :class:`InputError` with every problem when the input is not valid,
    unless ``skip_invalid``, which builds from the valid records and writes the
    rejected ones, with their reasons, to ``out/rejected.jsonl`` (a file that
    could not be read at all is listed there too).
    """
    inputs = as_inputs(inputs)
    ds = dataset if dataset is not None else load(inputs, dayfirst=dayfirst)
    if ds.problems and not skip_invalid:
        raise InputError(ds.problems)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ClusterKGError(f"{out}: cannot create the output folder: {error.strerror or error}") from None
    steps = steps or STEPS
    rdf_formats = tuple(dict.fromkeys(rdf))
    unknown = [f for f in rdf_formats if f not in RDF_OUTPUTS]
    if unknown:
        raise ClusterKGError(f"unknown RDF format {unknown[0]!r}; choose from {', '.join(RDF_OUTPUTS)}")
    with build_lock(out):
        previous = read_manifest(out)
        # From here until the new manifest is written, OUT is refused by the commands that read it.
        (out / BUILD_MANIFEST).unlink(missing_ok=True)
        stage = out / STAGING
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir()
        ctx = BuildContext(ds, out, stage, rdf_formats=rdf_formats, rdf_metrics=rdf_metrics)
        try:
            for name, step in steps:
                try:
                    # A step makes millions of short-lived objects and few cycles: the cyclic
                    # collector would go over them (and the records) again and again.
                    with gc_paused():
                        step(ctx)
                except OSError as error:
                    raise ClusterKGError(f"{out}: the {name} step could not write: {error.strerror or error}") from None
            ctx.shared.clear()  # what no later step took
        except BaseException:
            # What a failed build staged is of no use, and after a full disk it holds the space.
            shutil.rmtree(stage, ignore_errors=True)
            raise
        try:
            outputs = _move_into_place(ctx, previous)
            write_manifest(out, outputs, inputs=list(inputs),
                           counts={kind: len(records) for kind, records in ds.collections().items()},
                           steps=[name for name, _ in steps])
        except OSError as error:
            raise ClusterKGError(f"{out}: could not finish the build: {error.strerror or error}") from None
        ctx.stage = None
        ctx.written = [out / name for name in outputs]
    return ctx


def _move_into_place(ctx: BuildContext, previous: dict | None) -> list[str]:
    """Rename every staged output into OUT, and remove the outputs of the previous build this one did not make."""
    if ctx.stage is None:
        raise ClusterKGError(f"{ctx.out}: nothing was staged")
    outputs = sorted(p.name for p in ctx.stage.iterdir())
    for name in outputs:
        target = ctx.out / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(ctx.stage / name, target)
    stale = {rel.split("/", 1)[0] for rel in (previous or {}).get("files", {})} - set(outputs)
    for name in stale:
        target = ctx.out / name
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    shutil.rmtree(ctx.stage, ignore_errors=True)
    return outputs
