"""``clusterkg analyze``: the network measures on the command line.

Each subcommand loads INPUTS, projects the organisation graph (filters
``--as-of``, ``--type``, ``--country``), computes one family of measures and
prints a table (``--format table``), CSV or JSON on stdout. Notes on how an
estimate was made (sampled betweenness, permutations) go to stderr.
"""

from __future__ import annotations

import gc
import json
import math
import sys
from pathlib import Path

import click

from clusterkg.model.problems import ClusterKGError, InputError

FORMATS = click.Choice(["table", "csv", "json"])


def _log(message: str) -> None:
    click.echo(message, err=True)


def _load(inputs: tuple[Path, ...], skip_invalid: bool):
    from clusterkg.pipeline import load

    bars = []

    def progress(total: int):
        bar = click.progressbar(length=total, label="loading", file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return bar.update

    try:
        ds = load(inputs, progress)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    if ds.problems:
        if not skip_invalid:
            raise InputError(ds.problems)
        _log(f"skipped {len(ds.rejected)} invalid record(s); see `clusterkg validate`")
    # The records live until the command ends: keep the garbage collector from
    # walking them again and again while the analysis allocates.
    gc.freeze()
    return ds


def _graph(ds, as_of, types, countries):
    from clusterkg.graph.network import organization_graph

    return organization_graph(ds, as_of=as_of, types=list(types) or None, countries=list(countries) or None,
                              isolates=False)


def _emit(table, fmt: str, top: int | None = None, index: bool = True) -> None:
    """Print a DataFrame as an aligned table, CSV or JSON records."""
    import pandas as pd

    if top is not None:
        table = table.head(top)
    if fmt == "csv":
        click.echo(table.to_csv(index=index), nl=False)
    elif fmt == "json":
        frame = table.reset_index() if index else table
        records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 60):
            click.echo(table.to_string(index=index, float_format=lambda x: f"{x:.4g}") if len(table) else "(no rows)")


def _plain(value):
    """JSON-ready: NumPy scalars to Python, NaN to null, lists kept."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple)):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _note_estimates(attrs: dict) -> None:
    for measure, info in attrs.items():
        if isinstance(info, dict) and info.get("method") == "sampled":
            _log(f"note: {measure} estimated from {info['sample_size']} sampled sources (seed {info['seed']})")


def _sort(table, column: str | None, ascending: bool = False):
    if column is None:
        return table
    if column not in table.columns:
        raise ClusterKGError(f"--sort: no column {column!r}; columns: {', '.join(map(str, table.columns))}")
    return table.sort_values(column, ascending=ascending, kind="stable")


def _common(command):
    """Options every subcommand shares."""
    options = [
        click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option("--as-of", help="Snapshot: agreements in force on this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--type", "types", multiple=True, help="Keep only this agreement type (repeatable)."),
        click.option("--country", "countries", multiple=True,
                     help="Keep only organisations in this ISO country (repeatable)."),
        click.option("--format", "fmt", type=FORMATS, default="table", show_default=True),
        click.option("--top", type=click.IntRange(min=1), help="Print only the first N rows."),
        click.option("--skip-invalid", is_flag=True, help="Analyse the valid records when some are invalid."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_SEED = click.option("--seed", type=int, default=0, show_default=True, help="Seed of every random choice.")


@click.group()
def analyze() -> None:
    """Network measures: centrality, brokerage, communities, change over time, partner suggestions."""


@analyze.command("centrality")
@_common
@click.option("--sort", "sort_by", default="betweenness", show_default=True, help="Column to sort by (descending).")
@click.option("--exact-threshold", type=click.IntRange(min=0), default=2000, show_default=True,
              help="Betweenness and closeness are exact up to this many organisations, estimated above.")
@click.option("--sample-size", type=click.IntRange(min=2), default=200, show_default=True,
              help="Sources sampled for an estimate.")
@_SEED
def centrality_command(inputs, as_of, types, countries, fmt, top, skip_invalid, sort_by, exact_threshold,
                       sample_size, seed) -> None:
    """Degree, weighted degree, betweenness, closeness, PageRank and eigenvector of each organisation."""
    from clusterkg.graph.analysis.centrality import centrality

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries)
    table = centrality(g, exact_threshold=exact_threshold, sample_size=sample_size, seed=seed)
    _note_estimates(table.attrs)
    _emit(_sort(table, sort_by), fmt, top)


@analyze.command("brokerage")
@_common
@click.option("--by", "group_by", type=click.Choice(["country", "region", "kind"]), default="country",
              show_default=True, help="Groups whose boundaries brokers span.")
@click.option("--form", type=click.Choice(["folded", "sna"]), default="folded", show_default=True,
              help="folded: each open pair once, permutation z-scores; sna: sna::brokerage's counts and z-scores.")
@click.option("--permutations", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Label permutations for the folded form's null model.")
@click.option("--sort", "sort_by", default="total", show_default=True, help="Column to sort by (descending).")
@click.option("--graph-level", is_flag=True, help="Print the whole graph's totals instead of one row per organisation.")
@click.option("--details", is_flag=True,
              help="In a table, also show expected values, standard deviations and p-values (csv/json always do).")
@_SEED
def brokerage_command(inputs, as_of, types, countries, fmt, top, skip_invalid, group_by, form, permutations,
                      sort_by, graph_level, details, seed) -> None:
    """Gould-Fernandez brokerage roles by country (or region, kind) and Burt's structural holes.

    Rows: organisations; columns: the group, the role counts, their z-scores
    (and permutation p-values in the folded form), then effective size,
    efficiency, constraint and hierarchy.
    """
    from clusterkg.graph.analysis.brokerage import (
        gould_fernandez,
        gould_fernandez_folded,
    )
    from clusterkg.graph.analysis.structural_holes import structural_holes

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries)
    if form == "sna":
        result = gould_fernandez(g, group_by)
        table, graph_table = result.table(), result.graph
    else:
        with click.progressbar(length=permutations, label="permutations", file=sys.stderr) as bar:
            result = gould_fernandez_folded(g, group_by, permutations=permutations, seed=seed, progress=bar.update)
        table, graph_table = result.table, result.graph
        if permutations:
            _log(f"note: z-scores and p-values from {permutations} permutations of the {group_by} labels (seed {seed})")
    if graph_level:
        _emit(graph_table, fmt)
        return
    holes = structural_holes(g)
    for column in ("effective_size", "efficiency", "constraint", "hierarchy"):
        table[column] = holes[column]
    table = _sort(table, sort_by)
    if fmt == "table" and not details:
        table = table[[c for c in table.columns if not c.endswith(("_expected", "_sd", "_p"))]]
    _emit(table, fmt, top)


@analyze.command("communities")
@_common
@click.option("--method", type=click.Choice(["louvain", "label_propagation"]), default="louvain", show_default=True)
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Louvain resolution.")
@click.option("--show", type=click.Choice(["summary", "members", "matrix"]), default="summary", show_default=True,
              help="summary: one row per community; members: each organisation's community; "
                   "matrix: agreements between each pair of groups (--by).")
@click.option("--by", "group_by", type=click.Choice(["country", "region", "kind"]), default="country",
              show_default=True, help="Groups of the matrix.")
@_SEED
def communities_command(inputs, as_of, types, countries, fmt, top, skip_invalid, method, resolution, show,
                        group_by, seed) -> None:
    """Louvain communities (seeded) and the country-by-country matrix of agreements."""
    from clusterkg.graph.analysis.communities import (
        communities,
        community_summary,
        mixing_matrix,
    )

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries)
    if show == "matrix":
        _emit(mixing_matrix(g, group_by), fmt, top)
        return
    labels = communities(g, method=method, seed=seed, resolution=resolution)
    _log(f"note: {labels.nunique()} communities by {method} (seed {seed}), modularity {labels.attrs['modularity']:.4f}")
    if show == "members":
        table = labels.to_frame()
        for attribute in ("name", "country", "kind"):
            table[attribute] = [g.nodes[n].get(attribute) for n in table.index]
        _emit(table.sort_values(["community", "name"]), fmt, top)
    else:
        _emit(community_summary(g, labels), fmt, top)


@analyze.command("timeline")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--type", "types", multiple=True, help="Keep only this agreement type (repeatable).")
@click.option("--country", "countries", multiple=True, help="Keep only organisations in this country (repeatable).")
@click.option("--years", help="Years to show, e.g. 2015-2020 (default: every year with an agreement).")
@click.option("--org", help="Show this organisation's partners year by year.")
@click.option("--compare", nargs=2, metavar="BEFORE AFTER",
              help="Who entered, left, gained or lost between two dates.")
@click.option("--new-ties", is_flag=True, help="List each pair of organisations with the date of its first agreement.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=1), help="Print only the first N rows.")
@click.option("--skip-invalid", is_flag=True, help="Analyse the valid records when some are invalid.")
@_SEED
def timeline_command(inputs, types, countries, years, org, compare, new_ties, fmt, top, skip_invalid, seed) -> None:
    """The network year by year (size, new and lost ties), or the change between two dates."""
    from clusterkg.graph.analysis import temporal

    ds = _load(inputs, skip_invalid)
    filters = dict(types=list(types) or None, countries=list(countries) or None)
    if compare:
        _emit(temporal.compare(ds, compare[0], compare[1], seed=seed, **filters), fmt, top)
    elif new_ties:
        _emit(temporal.new_ties(ds, **filters), fmt, top, index=False)
    elif org:
        table = temporal.partners_by_year(ds, org, years=_years(years), types=filters["types"])
        for column in ("new", "lost"):
            table[column] = [", ".join(v) for v in table[column]]
        _emit(table, fmt, top)
    else:
        _emit(temporal.yearly(ds, years=_years(years), **filters), fmt, top)


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(y) for y in text.split(",")]
    except ValueError:
        raise click.BadParameter(f"{text!r}: expected YEAR, YEAR-YEAR or YEAR,YEAR,...", param_hint="--years") from None


@analyze.command("suggest")
@_common
@click.option("--for", "organization", required=True, help="The organisation id to suggest partners for.")
@click.option("--partner-country", "partner_countries", multiple=True,
              help="Suggest only organisations in this country (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Suggest only organisations of this kind (repeatable).")
def suggest_command(inputs, as_of, types, countries, fmt, top, skip_invalid, organization, partner_countries,
                    kinds) -> None:
    """Organisations two steps away from --for, ranked by Adamic-Adar, with the reason."""
    from clusterkg.graph.analysis.suggest import suggest_partners

    ds = _load(inputs, skip_invalid)
    if organization not in ds.organizations:
        raise ClusterKGError(f"--for: no organisation with id {organization!r}")
    g = _graph(ds, as_of, types, countries)
    if organization not in g:
        raise ClusterKGError(f"--for: {organization} has no agreement under these filters")
    table = suggest_partners(g, organization, top=top or 10, countries=list(partner_countries) or None,
                             kinds=list(kinds) or None)
    _emit(table, fmt, index=False)


@analyze.command("metrics")
@_common
@click.option("--by", "group_by", type=click.Choice(["country", "region", "kind"]), default="country",
              show_default=True, help="Groups for brokerage.")
@click.option("--exact-threshold", type=click.IntRange(min=0), default=2000, show_default=True)
@click.option("--sample-size", type=click.IntRange(min=2), default=200, show_default=True)
@_SEED
def metrics_command(inputs, as_of, types, countries, fmt, top, skip_invalid, group_by, exact_threshold, sample_size,
                    seed) -> None:
    """Every measure per organisation in one table (what `clusterkg build` writes to metrics.csv)."""
    from clusterkg.graph.analysis.metrics import organization_metrics

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries)
    table = organization_metrics(g, groups=group_by, exact_threshold=exact_threshold, sample_size=sample_size,
                                 seed=seed)
    _note_estimates(table.attrs)
    _emit(table, fmt, top)
