"""Commands for the property graph: ``query``, ``load neo4j``, ``export neo4j-import|gexf|graphml``.

``clusterkg query NAME -p key=value`` runs a named Cypher query from queries/
on the embedded graph of a build folder (``--graph OUT``, default ``build``), or
on Neo4j with ``--neo4j`` (settings from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from clusterkg.cli._common import (
    BATCH_SIZE_OPTION,
    FORMAT,
    LIST,
    PARAMS,
    build_records,
    default_base,
    echo_rows,
    filters,
    list_queries,
    log,
    options,
    parse_params,
    query_params,
    writing,
)
from clusterkg.manifest import DEFAULT_BUILD
from clusterkg.model.problems import ClusterKGError

GRAPH_OPTION = click.option(
    "--graph", "graph_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_BUILD, show_default=True,
    help="Build folder written by `clusterkg build ... -o OUT` (the same default); its graph is in OUT/falkordb/.",
)


_neo4j_options = options(
    click.option("--uri", envvar="NEO4J_URI", help="Bolt address, e.g. neo4j://localhost:7687 [env NEO4J_URI]."),
    click.option("--user", envvar=["NEO4J_USERNAME", "NEO4J_USER"], default="neo4j", show_default=True,
                 help="[env NEO4J_USERNAME or NEO4J_USER]"),
    click.option("--password", envvar="NEO4J_PASSWORD", default="", help="[env NEO4J_PASSWORD]"),
    click.option("--database", envvar="NEO4J_DATABASE", default=None,
                 help="Database name; the server's default when not given [env NEO4J_DATABASE]."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
                 help="Seconds to wait for the server to connect and answer its handshake [default: 15]."),
)


def open_build_graph(graph_dir: Path):
    """The embedded graph of a build folder, started now; closing it stops the server."""
    from clusterkg.graph.cypher.falkor import RDB, graph_folder, open_embedded
    from clusterkg.manifest import check_build

    folder = graph_folder(graph_dir)
    check_build(graph_dir, [folder.name])
    if not (folder / RDB).is_file():
        raise ClusterKGError(f"{graph_dir}: no property graph here; build one with `clusterkg build INPUTS -o {graph_dir}`")
    return open_embedded(folder)


@click.command()
@click.argument("name", required=False)
@PARAMS
@FORMAT
@LIST
@GRAPH_OPTION
@click.option("--neo4j", "use_neo4j", is_flag=True,
              help="Query Neo4j instead (--uri/--user/--password/--database, or NEO4J_URI, NEO4J_USERNAME, "
                   "NEO4J_PASSWORD, NEO4J_DATABASE).")
@_neo4j_options
@click.option("--sparql", "use_sparql", is_flag=True,
              help="Run the SPARQL query NAME (queries/*.rq) on the build folder's RDF (OUT/graph.nt) instead.")
@click.option("--text", "--cypher", "cypher_text", default=None, metavar="TEXT",
              help="Run this query text (Cypher; SPARQL with --sparql) instead of a named query, read-only; "
                   "its $names come from -p.")
@click.option("--file", "query_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Run the query in this file (Cypher; SPARQL with --sparql) instead of a named query, read-only; "
                   "its $names come from -p.")
def query(name: str | None, params: tuple[str, ...], fmt: str, list_only: bool, graph_dir: Path,
          use_neo4j: bool, uri: str | None, user: str, password: str, database: str | None, timeout: float | None,
          use_sparql: bool, cypher_text: str | None, query_file: Path | None) -> None:
    """Run the named Cypher query NAME from queries/*.cypher (or, with --sparql, queries/*.rq).

    \b
    clusterkg query --list
    clusterkg query partners -p org=link-j
    clusterkg query expiring_soon -p today=2025-09-01 -p until=2025-09-30 --format csv
    clusterkg query --sparql partners -p org=link-j
    clusterkg query --text 'MATCH (o:Organization {country: $c}) RETURN o.name LIMIT 5' -p c=JP
    clusterkg query --sparql --file my.rq -p id=link-j
    """
    if cypher_text is not None or query_file is not None:
        _run_adhoc(cypher_text, query_file, name, params, fmt, graph_dir, use_neo4j, use_sparql,
                   (uri, user, password, database, timeout))
        return
    if use_sparql:
        from clusterkg.cli.rdf import run_named_query

        rdf_file = graph_dir / "graph.nt" if list_only else _build_rdf(graph_dir)
        run_named_query(name, params, (rdf_file,), None, "oxigraph", fmt, default_base(), list_only)
        return
    from clusterkg.graph.queries import get_query, library

    if list_only:
        list_queries(library().values())
        return
    if not name:
        raise ClusterKGError("give a query name (clusterkg query --list shows them)")
    named = get_query(name)
    from clusterkg.cli._names import build_names, resolve_params

    # Names, aliases and English country names to ids and codes (the build's names.json; with --neo4j,
    # the --graph folder's when it has one), then bad parameters refused before starting anything.
    values = named.bind(resolve_params(named, query_params(named, params), build_names(graph_dir)))
    from clusterkg.graph.cypher.variants import for_backend

    with _cypher_graph(graph_dir, use_neo4j, (uri, user, password, database, timeout)) as graph:
        # The engine's own version of the query where it has one (queries/neo4j/, queries/falkordb/).
        rows = graph.read(for_backend(named, graph.backend).text, values)
    echo_rows(rows, fmt)


def _build_rdf(graph_dir: Path) -> Path:
    """The N-Triples file a SPARQL query of ``query --sparql`` runs on."""
    rdf_file = graph_dir / "graph.nt"
    if not rdf_file.is_file():
        raise ClusterKGError(f"{graph_dir}: no graph.nt here; build one with `clusterkg build INPUTS -o {graph_dir}`")
    return rdf_file


@contextmanager
def _cypher_graph(graph_dir: Path, use_neo4j: bool, neo4j: tuple) -> Iterator[Any]:
    """The graph a Cypher query runs on: Neo4j (with --neo4j), else the build folder's embedded graph."""
    if use_neo4j:
        from clusterkg.graph.cypher.neo4j import CONNECT_TIMEOUT, Neo4jGraph

        uri, user, password, database, timeout = neo4j
        _log_neo4j()
        with Neo4jGraph.from_env(uri, user, password or None, database,
                                 connection_timeout=timeout or CONNECT_TIMEOUT) as graph:
            yield graph
    else:
        from clusterkg.graph.cypher.falkor import stop_on_sigterm

        with stop_on_sigterm(), open_build_graph(graph_dir) as graph:
            yield graph


def _run_adhoc(text: str | None, file: Path | None, name: str | None, params: tuple[str, ...], fmt: str,
               graph_dir: Path, use_neo4j: bool, use_sparql: bool, neo4j: tuple) -> None:
    """``query --text TEXT`` / ``--file PATH``: the user's own Cypher or SPARQL, read-only, values as parameters."""
    from clusterkg.graph.adhoc import adhoc_values

    if (text is not None and file is not None) or name or (use_sparql and use_neo4j):
        raise click.UsageError("give one of NAME, --text TEXT or --file PATH (and --sparql or --neo4j, not both)")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ClusterKGError(f"{file}: cannot read the query: {error}") from None
    values = adhoc_values(text or "", parse_params(params), "sparql" if use_sparql else "cypher")
    if use_sparql:
        from clusterkg.cli.rdf import open_target
        from clusterkg.graph.rdf.sparql import run_text

        result = run_text(text, open_target((_build_rdf(graph_dir),), None, "oxigraph", default_base()), values)
        echo_rows(result.rows, fmt, result.columns)
        return
    with _cypher_graph(graph_dir, use_neo4j, neo4j) as graph:
        rows = graph.read(text, values)
    echo_rows(rows, fmt)


def _log_neo4j() -> None:
    """The Neo4j backend's notices (server notifications, in words) on stderr, once."""
    import logging

    logger = logging.getLogger("clusterkg.neo4j")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def load_into_neo4j(records, uri: str | None = None, user: str | None = None, password: str | None = None,
                    database: str | None = None, batch_size: int | None = None, dataset: str | None = None,
                    timeout: float | None = None) -> dict:
    """Load into Neo4j as dataset ``dataset`` with progress on stderr; the dataset's counts per label and type.

    ``records``: a dataset, or a function returning an iterable of records (called twice, for
    the nodes and then the relationships), such as the lines of a build's records.jsonl.
    ``dataset``: the name the nodes and relationships are tagged with; a reload removes only
    what carries it (:func:`dataset_name` gives the default for a build folder).
    """
    from clusterkg.graph.cypher.load import BATCH_SIZE
    from clusterkg.graph.cypher.neo4j import CONNECT_TIMEOUT, Neo4jGraph
    from clusterkg.graph.cypher.stream import DEFAULT_DATASET, check_dataset, load_stream

    dataset = check_dataset(dataset or DEFAULT_DATASET)
    if not callable(records):
        ds = records
        records = lambda: (record for _, record in ds.records())  # noqa: E731
    _log_neo4j()
    with Neo4jGraph.from_env(uri, user, password or None, database, connection_timeout=timeout or CONNECT_TIMEOUT) as graph:
        log(f"loading dataset {dataset} into {graph.uri} (database {graph.database or 'default'})")
        return load_stream(graph, records, batch_size=batch_size or BATCH_SIZE, progress=lambda m: log(f"  {m}"),
                           dataset=dataset)


def dataset_name(out: Path, manifest: dict | None = None) -> str:
    """The default dataset name of build folder ``out``: the name of its (first) input, then 8 hex
    digits of a hash of the absolute paths of all its inputs (from the manifest; the build folder's
    own path when the manifest lists none). Stable across rebuilds from the same inputs, and another
    project's ``data`` folder is another dataset.
    """
    import hashlib
    import re

    from clusterkg.manifest import read_manifest

    manifest = manifest if manifest is not None else (read_manifest(out) or {})
    inputs = sorted(str(p) for p in manifest.get("inputs") or []) or [str(Path(out).resolve())]
    stem = Path(inputs[0]).name or "dataset"
    stem = re.sub(r"[^A-Za-z0-9_.+-]+", "-", stem).strip("-._+")[:40] or "dataset"
    more = f"+{len(inputs) - 1}" if len(inputs) > 1 else ""
    return f"{stem}{more}-{hashlib.sha256(chr(10).join(inputs).encode()).hexdigest()[:8]}"


def _stream_records(out: Path):
    """The records of build folder ``out``, read line by line from its records.jsonl (checked first)."""
    from clusterkg.graph.cypher.stream import iter_records
    from clusterkg.manifest import check_build

    # A truncated or changed file would load as fewer records, and the load would remove the rest.
    check_build(out, ["records.jsonl"], deep=True)
    return lambda: iter_records(out / "records.jsonl")


@click.group()
def load() -> None:
    """Load a built graph into a database server."""


@load.command("neo4j")
@click.argument("out", type=click.Path(file_okay=False, exists=True, path_type=Path))
@_neo4j_options
@BATCH_SIZE_OPTION
@click.option("--dataset", default=None, metavar="NAME",
              help="Name to tag every node and relationship with; a reload removes only what carries it "
                   "[default: the build's input folder name and a hash of its path, e.g. data-1a2b3c4d].")
def load_neo4j(out: Path, uri: str | None, user: str, password: str, database: str | None, batch_size: int,
               dataset: str | None, timeout: float | None) -> None:
    """Load the graph built into OUT (its records.jsonl) into Neo4j 5, as one dataset.

    Idempotent: loading again changes nothing; records changed since are
    updated and records no longer in OUT are removed (on the server) -- only
    those this dataset loaded: every node and relationship is tagged with the
    dataset's name (--dataset), so other datasets in the same database, and
    nodes other tools wrote, stay. The records stream from OUT/records.jsonl in
    batches; only the project's own properties are set, so properties other
    tools added stay. A build folder whose manifest does not check out is refused.
    """
    records = _stream_records(out)
    counts = load_into_neo4j(records, uri, user, password, database, batch_size,
                             dataset=dataset or dataset_name(out), timeout=timeout)
    click.echo(json.dumps(counts, indent=2))


@click.group()
def export() -> None:
    """Write a built graph in another system's import format."""


@export.command("neo4j-import")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@GRAPH_OPTION
@click.option("--database", default="neo4j", show_default=True, help="The database the command imports into.")
def export_neo4j_import(folder: Path, graph_dir: Path, database: str) -> None:
    """Write CSV files for `neo4j-admin database import full` into FOLDER and print the command.

    The records stream from the build folder (--graph OUT). The command printed
    on stdout replaces DATABASE (--overwrite-destination=true); stderr also shows
    the Enterprise route (a new database) and the Aura route (dump, upload).
    FOLDER/schema.cypher holds the constraints and indexes to create afterwards.
    """
    from clusterkg.graph.cypher.neo4j_import import write_import

    records = _stream_records(graph_dir)
    with writing(folder):
        files = write_import(records(), folder)
    commands = files.commands(database)
    schema = (folder / "schema.cypher").resolve()
    log(f"wrote {folder}.\n"
        f"WARNING: the command below REPLACES the database {database!r} (--overwrite-destination=true): "
        "everything in it is deleted. Stop that database first (Community: stop the server), run the command, "
        f"start it, then run {schema} (e.g. cypher-shell -d {database} -f {schema}).\n"
        f"Enterprise, to keep {database!r}: import under a new name, then create it:\n  "
        + commands["new"].replace(database, "clusterkg").replace("\n", "\n  ")
        + "\nAura: import as above into a local Neo4j of the same major version, dump it, upload the dump:\n  "
        + commands["aura"].replace("\n", "\n  "))
    click.echo(commands["replace"])


def _network_export(fmt: str):
    timeline = " (GEXF time intervals, for Gephi's timeline)" if fmt == "gexf" else ""

    @export.command(fmt, help=(
        f"Write the organisation network of the build folder (--graph OUT) to OUT as {fmt.upper()}: nodes with "
        f"country, kind and centrality; edges with the number of agreements, their types and first and last "
        f"signing dates{timeline}."))
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    @GRAPH_OPTION
    @filters()
    @click.option("--no-lineage", is_flag=True, help="One node per record, not one per chain of renames.")
    def command(out: Path, graph_dir: Path, as_of, types, countries, no_lineage: bool) -> None:
        from clusterkg.cli._names import resolve_countries
        from clusterkg.graph.export import write_network

        ds = build_records(graph_dir)
        path = write_network(out, ds, fmt, as_of=as_of, types=list(types) or None, countries=resolve_countries(countries),
                             lineage=not no_lineage)
        log(f"wrote {path}")

    return command


export_gexf = _network_export("gexf")
export_graphml = _network_export("graphml")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(query())
