"""``clusterkg rdf ...``: the RDF graph on the command line (docs/rdf.md).

Commands: ``export`` (stream N-Triples, Turtle or JSON-LD), ``query`` (a named
SPARQL query from queries/*.rq), ``check`` (the SHACL shapes, in words),
``store`` (an Oxigraph store on disk, the fast local store) and ``push`` (to
any SPARQL 1.1 server by the Graph Store Protocol). Output goes to stdout,
messages to stderr; user mistakes are :class:`ClusterKGError` messages.

This module must not import clusterkg.cli (which imports it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from clusterkg.cli._common import (
    BASE,
    FORMAT,
    INPUTS,
    LIST,
    PARAMS,
    echo_rows,
    list_queries,
    load_or_fail,
    log,
    query_params,
    writing,
)
from clusterkg.model.problems import ClusterKGError

_RDF_SUFFIXES = (".nt", ".ttl", ".jsonld")


def _split_sources(sources: tuple[Path, ...]) -> tuple[list[Path], list[Path]]:
    """RDF files (by suffix) apart from record inputs (files and folders of records).

    RDF files of a build folder are checked against its manifest first: a file
    cut short by an interrupted build is still valid RDF, only less of it.
    """
    from clusterkg.manifest import check_build_files

    rdf_files = [p for p in sources if p.suffix.lower() in _RDF_SUFFIXES]
    check_build_files(rdf_files)
    records = [p for p in sources if p.suffix.lower() not in _RDF_SUFFIXES]
    return rdf_files, records


def _names_of(sources: tuple[Path, ...]) -> tuple[Any, Any]:
    """The names index for a query on ``sources``, and the dataset of its record inputs when they were
    loaded for it: (None, None) when no names are at hand (an Oxigraph store, RDF outside a build)."""
    from clusterkg.cli._names import build_names
    from clusterkg.loaders.names_index import Names
    from clusterkg.loaders.read import is_build_folder

    rdf_files, records = _split_sources(sources)
    if records:
        ds = load_or_fail(records)
        return Names.from_dataset(ds), ds
    for path in rdf_files:
        if is_build_folder(path.parent):
            names = build_names(path.parent)
            if names is not None:
                return names, None
    return None, None


def open_target(sources: tuple[Path, ...], store: Path | None, engine: str, base: str, ds: Any = None) -> Any:
    """What a query runs on: an Oxigraph store folder, or RDF files and record inputs loaded now
    (``ds``: the records of those inputs, when they are loaded already)."""
    from clusterkg.graph import rdf
    from clusterkg.graph.rdf import store as rdf_store

    if store is not None:
        if sources:
            raise ClusterKGError("give either --store or SOURCES, not both")
        if not store.is_dir():
            raise ClusterKGError(f"{store}: no such store folder; make one with `clusterkg rdf store`")
        return rdf_store.oxigraph_store(path=store)
    if not sources:
        raise ClusterKGError("give the graph: RDF files (build/graph.nt), record inputs (data/), or --store DIR")
    rdf_files, records = _split_sources(sources)
    if engine == "oxigraph":
        target = rdf_store.oxigraph_store()
        _load_into(target, rdf_files, records, base, ds)
        return target
    graph = rdf.to_graph(ds or load_or_fail(records), base) if records else rdf.to_graph([], base)
    for path in rdf_files:
        graph += rdf.read_graph(path)
    return graph


def _ox_format(fmt: str):
    import pyoxigraph as ox

    return {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}[fmt]


def _load_into(target: Any, rdf_files: list[Path], records: list[Path], base: str, ds: Any = None) -> None:
    """Add RDF files and the RDF of record inputs to an Oxigraph store."""
    from clusterkg.graph import rdf as rdf_module
    from clusterkg.graph.rdf import store as rdf_store

    for path in rdf_files:
        if not path.is_file():
            raise ClusterKGError(f"{path}: no such file")
        try:
            target.bulk_load(path=str(path), format=_ox_format(rdf_module.format_of(path)))
        except (SyntaxError, ValueError) as error:
            raise ClusterKGError(f"{path}: not valid RDF: {error}") from None
    if records:
        target.bulk_load(rdf_store.ByteReader(rdf_module.nt_bytes(ds or load_or_fail(records), base)),
                         format=_ox_format("nt"))


def run_named_query(name: str | None, params: tuple[str, ...], sources: tuple[Path, ...], store: Path | None,
                    engine: str, fmt: str, base: str, list_only: bool) -> None:
    """What ``clusterkg rdf query`` does; also the body for a ``clusterkg query --sparql`` flag."""
    from clusterkg.graph.rdf import sparql

    if list_only:
        list_queries(sparql.library().values())
        return
    if not name:
        raise ClusterKGError("give a query name (clusterkg rdf query --list shows them)")
    from clusterkg.cli._names import resolve_params
    from clusterkg.loaders.names_index import RECORD_KINDS

    query = sparql.get_query(name)
    values = query_params(query, params)
    ds = None
    if any(p.type in RECORD_KINDS for p in query.params):
        # Names to ids: a build folder's names.json beside its RDF, else the record inputs (loaded once).
        names, ds = _names_of(sources)
        values = resolve_params(query, values, names)
    else:
        values = resolve_params(query, values, None)  # English country names to codes
    sparql.check_params(query, values)  # before loading anything: a typo should fail fast
    target = open_target(sources, store, engine, base, ds)
    result = sparql.run(query, target, values)
    echo_rows(result.rows, fmt, result.columns)


@click.group()
def rdf() -> None:
    """The RDF graph: export it, query it with SPARQL, check its shapes, store or push it."""


@rdf.command()
@INPUTS
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .nt, .ttl or .jsonld (or give --format).")
@click.option("--format", "fmt", type=click.Choice(["nt", "ttl", "jsonld"]), default=None,
              help="Serialisation (default: from the file name).")
@BASE
def export(inputs: tuple[Path, ...], out: Path, fmt: str | None, base: str) -> None:
    """Write the records in INPUTS as RDF, streamed (no graph is built in memory)."""
    from clusterkg.graph import rdf as rdf_module

    ds = load_or_fail(inputs)
    fmt = fmt or rdf_module.format_of(out)
    with writing(out):
        n = rdf_module.write(ds, out, fmt, base)
    log(f"wrote {n} triples to {out}")


@rdf.command()
@click.argument("name", required=False)
@PARAMS
@click.option("-i", "--input", "sources", multiple=True, type=click.Path(path_type=Path),
              help="An RDF file (.nt, .ttl, .jsonld) or record inputs to query (repeat).")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Query an Oxigraph store made by `clusterkg rdf store`.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Where to load -i inputs: Oxigraph (fast) or rdflib.")
@FORMAT
@LIST
@BASE
def query(name: str | None, params: tuple[str, ...], sources: tuple[Path, ...], store: Path | None, engine: str,
          fmt: str, list_only: bool, base: str) -> None:
    """Run the named SPARQL query NAME (queries/*.rq) with -p name=value parameters.

    Example: clusterkg rdf query partners -p org=link-j -i build/graph.nt
    """
    run_named_query(name, params, sources, store, engine, fmt, base, list_only)


@rdf.command()
@INPUTS
@BASE
def check(inputs: tuple[Path, ...], base: str) -> None:
    """Check the RDF of INPUTS against the SHACL shapes (ontology/shapes.ttl); exit 1 on a violation.

    Each violation is printed as file:line: rule: what is wrong (in record).
    """
    from clusterkg.graph.rdf import shacl

    ds = load_or_fail(inputs)
    problems = shacl.problems(ds, ds.origins, base)
    for problem in problems:
        click.echo(str(problem))
    n = len(problems)
    click.echo(f"shapes: {n} violation{'s' if n != 1 else ''}" if problems else "shapes: conforms")
    sys.exit(1 if problems else 0)


@rdf.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the Oxigraph store (created if missing; the data is added).")
@BASE
def store(sources: tuple[Path, ...], store: Path, base: str) -> None:
    """Load RDF files and/or record inputs into an Oxigraph store on disk, for fast queries."""
    from clusterkg.graph.rdf import store as rdf_store

    rdf_files, records = _split_sources(sources)
    target = rdf_store.oxigraph_store(path=store)
    _load_into(target, rdf_files, records, base)
    target.flush()
    log(f"{store}: {len(target)} triples")


@rdf.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, help="Graph Store Protocol address, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", "graph_iri", default=None, help="Named graph to replace (default: the default graph).")
@click.option("--update", default=None, help="SPARQL Update address (default: known from the endpoint's layout).")
@click.option("--user", envvar="CLUSTERKG_SPARQL_USER", default=None,
              help="User name for HTTP basic authentication (or in the address: https://USER:PASSWORD@host/...) "
                   "[env CLUSTERKG_SPARQL_USER].")
@click.option("--password", envvar="CLUSTERKG_SPARQL_PASSWORD", default=None,
              help="Password for HTTP basic authentication; prefer the variable, which stays out of the shell's "
                   "history [env CLUSTERKG_SPARQL_PASSWORD].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Seconds to wait for the server to connect and to answer each request [default: 60].")
@BASE
def push(sources: tuple[Path, ...], endpoint: str, graph_iri: str | None, update: str | None, user: str | None,
         password: str | None, timeout: float | None, base: str) -> None:
    """Replace a graph on a SPARQL 1.1 server with the graph of SOURCES (N-Triples files or records).

    The upload goes to a fresh graph first and replaces the target only once accepted,
    so a refused or broken upload leaves the target as it was. HTTP basic
    authentication: --user/--password, the user and password in the address, or
    CLUSTERKG_SPARQL_USER/CLUSTERKG_SPARQL_PASSWORD (in that order); no message
    shows them.
    """
    from clusterkg.graph import rdf as rdf_module
    from clusterkg.graph.rdf import store as rdf_store

    rdf_files, records = _split_sources(sources)
    bad = [p for p in rdf_files if p.suffix.lower() != ".nt"]
    if bad:
        raise ClusterKGError(f"{bad[0]}: push takes N-Triples files (.nt) or record inputs")

    def chunks():
        for path in rdf_files:
            try:
                with path.open("rb") as handle:
                    while block := handle.read(1 << 20):
                        yield block
            except OSError as error:
                raise ClusterKGError(f"{path}: cannot read: {error.strerror or error}") from None
        if records:
            yield from rdf_module.nt_bytes(load_or_fail(records), base)

    _, url_user, url_password = rdf_store.without_credentials(endpoint)
    env = click.get_current_context().get_parameter_source
    from_env = {name for name in ("user", "password") if env(name) == click.core.ParameterSource.ENVIRONMENT}
    # The address's own user and password come before the variables; flags before both.
    user = url_user if url_user is not None and "user" in from_env else user
    password = url_password if url_password is not None and "password" in from_env else password
    result = rdf_store.push(chunks(), endpoint, graph_iri, update=update, user=user, password=password,
                            timeout=timeout or rdf_store.DEFAULT_TIMEOUT)
    log(f"{result.endpoint}: replaced {graph_iri or 'the default graph'} ({result.bytes_sent} bytes of N-Triples)")
