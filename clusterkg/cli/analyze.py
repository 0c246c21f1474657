"""``clusterkg analyze``: the network measures on the command line.

Each subcommand loads INPUTS, projects the organisation graph (filters
``--as-of``, ``--type``, ``--country``), computes one family of measures and
prints a table (``--format table``), CSV or JSON on stdout. Notes on how an
estimate was made (sampled betweenness, permutations) go to stderr.
"""

from __future__ import annotations

import gc

import click

from clusterkg.cli._common import (
    ESTIMATES,
    FORMAT,
    INPUTS,
    SEED,
    TOP,
    FromLibrary,
    filters,
    load_or_fail,
    log,
    options,
    progress,
    render_frame,
    skip_invalid_option,
)
from clusterkg.model.problems import ClusterKGError


def _group_by(what: str):
    return click.option("--by", "group_by", type=click.Choice(["country", "region", "kind"]), default="country",
                        show_default=True, help=what)


def _load(inputs, skip_invalid: bool):
    ds = load_or_fail(inputs, skip_invalid=skip_invalid)
    # The records live until the command ends: keep the garbage collector from
    # walking them again and again while the analysis allocates.
    gc.freeze()
    return ds


def _graph(ds, as_of, types, countries):
    from clusterkg.graph.network import organization_graph

    return organization_graph(ds, as_of=as_of, types=list(types) or None, countries=list(countries) or None,
                              isolates=False)


def _emit(table, fmt: str, top: int | None = None, index: bool = True) -> None:
    click.echo(render_frame(table, fmt, index=index, top=top))


def _note_estimates(attrs: dict) -> None:
    for measure, info in attrs.items():
        if isinstance(info, dict) and info.get("method") == "sampled":
            log(f"note: {measure} estimated from {info['sample_size']} sampled sources (seed {info['seed']})")


def _sort(table, column: str | None, ascending: bool = False):
    if column is None:
        return table
    if column not in table.columns:
        raise ClusterKGError(f"--sort: no column {column!r}; columns: {', '.join(map(str, table.columns))}")
    return table.sort_values(column, ascending=ascending, kind="stable")


#: Options every subcommand but timeline shares.
_SHARED = options(INPUTS, filters(), FORMAT, TOP, skip_invalid_option("Analyse"))


@click.group()
def analyze() -> None:
    """Network measures: centrality, brokerage, communities, change over time, partner suggestions."""


@analyze.command("centrality")
@_SHARED
@click.option("--sort", "sort_by", default="betweenness", show_default=True, help="Column to sort by (descending).")
@ESTIMATES
@SEED
def centrality_command(inputs, as_of, types, countries, fmt, top, skip_invalid, sort_by, exact_threshold,
                       sample_size, seed) -> None:
    """Degree, weighted degree, betweenness, closeness, PageRank and eigenvector of each organisation."""
    from clusterkg.graph.analysis.centrality import centrality

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries)
    table = centrality(g, exact_threshold=exact_threshold, sample_size=sample_size, seed=seed)
    _note_estimates(table.attrs)
    _emit(_sort(table, sort_by), fmt, top)


@analyze.command("brokerage")
@_SHARED
@_group_by("Groups whose boundaries brokers span.")
@click.option("--form", type=click.Choice(["folded", "sna"]), default="folded", show_default=True,
              help="folded: each open pair once, permutation z-scores; sna: sna::brokerage's counts and z-scores.")
@click.option("--permutations", type=click.IntRange(min=0), show_default=True,
              default=FromLibrary("clusterkg.graph.analysis.brokerage", "gould_fernandez_folded", "permutations"),
              help="Label permutations for the folded form's null model.")
@click.option("--sort", "sort_by", default="total", show_default=True, help="Column to sort by (descending).")
@click.option("--graph-level", is_flag=True, help="Print the whole graph's totals instead of one row per organisation.")
@click.option("--details", is_flag=True,
              help="In a table, also show expected values, standard deviations and p-values (csv/json always do).")
@SEED
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
        with progress("permutations") as start:
            result = gould_fernandez_folded(g, group_by, permutations=permutations, seed=seed,
                                            progress=start(permutations))
        table, graph_table = result.table, result.graph
        if permutations:
            log(f"note: z-scores and p-values from {permutations} permutations of the {group_by} labels (seed {seed})")
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
@_SHARED
@click.option("--method", type=click.Choice(["louvain", "label_propagation"]), default="louvain", show_default=True,
              help="Community detection: Louvain (modularity, seeded) or label propagation.")
@click.option("--resolution", type=float, show_default=True, help="Louvain resolution.",
              default=FromLibrary("clusterkg.graph.analysis.communities", "communities", "resolution"))
@click.option("--show", type=click.Choice(["summary", "members", "matrix"]), default="summary", show_default=True,
              help="summary: one row per community; members: each organisation's community; "
                   "matrix: agreements between each pair of groups (--by).")
@_group_by("Groups of the matrix.")
@SEED
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
    log(f"note: {labels.nunique()} communities by {method} (seed {seed}), modularity {labels.attrs['modularity']:.4f}")
    if show == "members":
        table = labels.to_frame()
        for attribute in ("name", "country", "kind"):
            table[attribute] = [g.nodes[n].get(attribute) for n in table.index]
        _emit(table.sort_values(["community", "name"]), fmt, top)
    else:
        _emit(community_summary(g, labels), fmt, top)


@analyze.command("timeline")
@INPUTS
@filters(as_of=False)
@click.option("--years", help="Years to show, e.g. 2015-2020 (default: every year with an agreement).")
@click.option("--org", help="Show this organisation's partners year by year.")
@click.option("--compare", nargs=2, metavar="BEFORE AFTER",
              help="Who entered, left, gained or lost between two dates.")
@click.option("--new-ties", is_flag=True, help="List each pair of organisations with the date of its first agreement.")
@FORMAT
@TOP
@skip_invalid_option("Analyse")
@SEED
def timeline_command(inputs, types, countries, years, org, compare, new_ties, fmt, top, skip_invalid, seed) -> None:
    """The network year by year (size, new and lost ties), or the change between two dates."""
    from clusterkg.graph.analysis import temporal

    ds = _load(inputs, skip_invalid)
    keep = {"types": list(types) or None, "countries": list(countries) or None}
    if compare:
        _emit(temporal.compare(ds, compare[0], compare[1], seed=seed, **keep), fmt, top)
    elif new_ties:
        _emit(temporal.new_ties(ds, **keep), fmt, top, index=False)
    elif org:
        _emit(temporal.partners_by_year(ds, org, years=_years(years), types=keep["types"]), fmt, top)
    else:
        _emit(temporal.yearly(ds, years=_years(years), **keep), fmt, top)


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
@_SHARED
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
@_SHARED
@_group_by("Groups for brokerage.")
@ESTIMATES
@SEED
def metrics_command(inputs, as_of, types, countries, fmt, top, skip_invalid, group_by, exact_threshold, sample_size,
                    seed) -> None:
    """Every measure per organisation in one table (what `clusterkg build` writes to metrics.csv)."""
    from clusterkg.graph.analysis.metrics import organization_metrics

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries)
    table = organization_metrics(g, groups=group_by, exact_threshold=exact_threshold, sample_size=sample_size,
                                 seed=seed)
    _note_estimates(table.attrs)
    _emit(table, fmt, top)
