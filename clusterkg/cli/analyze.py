"""``clusterkg analyze``: the network measures on the command line.

Each subcommand loads INPUTS, projects the organisation graph (filters
``--as-of``, ``--type``, ``--country``; renamed organisations as one unless
``--no-lineage``; agreements with no end as ``--open-ended`` says), computes one
family of measures and prints a table (``--format table``), CSV or JSON on
stdout. Notes on how an estimate was made (sampled betweenness, permutations)
and what a snapshot counted (open-ended agreements) go to stderr.
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
    return click.option("--by", "group_by", default="country", show_default=True,
                        type=click.Choice(["country", "region", "kind", "continent", "world-region"]),
                        help=f"{what} continent and world-region (UN M49) group the organisations' countries.")


GROUPS = click.option("--groups", "groups", metavar="'NAME=CODES; ...'",
                      help="Your own groups of countries instead of --by, e.g. "
                           "\"Japan=JP; Europe=GB,DE,FR; North America=US,CA\" (codes, country names, continents or "
                           "world regions); organisations in none are '(other)'.")

#: ``--lineage/--no-lineage`` and ``--open-ended``: how renames and agreements without an end count.
NETWORK = options(
    click.option("--lineage/--no-lineage", default=True, show_default=True,
                 help="--lineage: a renamed organisation is one organisation over time, under its current id "
                      "and name (with its former names); --no-lineage keeps each name apart."),
    click.option("--open-ended", default="include", show_default=True, metavar="include|exclude|assume:P5Y",
                 help="In a snapshot (--as-of, timeline), agreements with no end date and no term: include counts "
                      "them as in force for ever, exclude leaves them out, assume:P5Y gives them that term "
                      "(any ISO 8601 duration). The count of open-ended agreements goes to stderr."),
)


def _load(inputs, skip_invalid: bool):
    ds = load_or_fail(inputs, skip_invalid=skip_invalid)
    # The records live until the command ends: keep the garbage collector from
    # walking them again and again while the analysis allocates.
    gc.freeze()
    return ds


def _graph(ds, as_of, types, countries, lineage=True, open_ended="include", isolates=False):
    from clusterkg.cli._names import resolve_countries
    from clusterkg.graph.network import describe_snapshot, organization_graph

    graph = organization_graph(ds, as_of=as_of, types=list(types) or None, countries=resolve_countries(countries),
                               isolates=isolates, lineage=lineage, open_ended=open_ended)
    if "snapshot" in graph.graph:
        log(f"note: {describe_snapshot(graph.graph['snapshot'])}")
    return graph


def _groups(graph, group_by: str, groups: str | None):
    """What brokerage groups by: your --groups (node -> group name), else the --by grouping."""
    if groups is None:
        return group_by
    from clusterkg.graph.analysis.groups import node_groups

    return node_groups(graph, groups=groups)


def _undefined_z(table, fmt: str):
    """Undefined z-scores: explained on stderr, and written "undefined" in a printed table (empty in csv/json)."""
    from clusterkg.graph.analysis.brokerage import UNDEFINED_Z

    columns = [c for c in table.columns if str(c).endswith("_z") or str(c).startswith("z_")]
    if not columns or not table[columns].isna().any().any():
        return table
    log(f"note: {UNDEFINED_Z}")
    if fmt != "table":
        return table
    table = table.copy()
    for column in columns:
        table[column] = table[column].astype(object).where(table[column].notna(), "undefined")
    return table


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
_SHARED = options(INPUTS, filters(), NETWORK, FORMAT, TOP, skip_invalid_option("Analyse"))


@click.group()
def analyze() -> None:
    """Network measures: centrality, brokerage, communities, change over time, partner suggestions."""


@analyze.command("centrality")
@_SHARED
@click.option("--sort", "sort_by", default="betweenness", show_default=True, help="Column to sort by (descending).")
@ESTIMATES
@SEED
def centrality_command(inputs, as_of, types, countries, lineage, open_ended, fmt, top, skip_invalid, sort_by,
                       exact_threshold, sample_size, seed) -> None:
    """Degree, weighted degree, betweenness, closeness, PageRank and eigenvector of each organisation.

    Computed over the organisations with at least one agreement under the
    filters (the values of OUT/metrics.csv, `analyze metrics` and the map for
    the same filters); organisations without one are not listed.
    """
    from clusterkg.graph.analysis.centrality import centrality

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries, lineage, open_ended)
    table = centrality(g, exact_threshold=exact_threshold, sample_size=sample_size, seed=seed)
    _note_estimates(table.attrs)
    _emit(_sort(table, sort_by), fmt, top)


@analyze.command("brokerage")
@_SHARED
@_group_by("Groups whose boundaries brokers span;")
@GROUPS
@click.option("--form", type=click.Choice(["folded", "sna"]), default="folded", show_default=True,
              help="folded: each open pair once, permutation z-scores; sna: sna::brokerage's counts and z-scores.")
@click.option("--permutations", type=click.IntRange(min=0), show_default=True,
              default=FromLibrary("clusterkg.graph.analysis.brokerage", "gould_fernandez_folded", "permutations"),
              help="Label permutations for the folded form's null model.")
@click.option("--sort", "sort_by", default="total", show_default=True, help="Column to sort by (descending).")
@click.option("--graph-level", is_flag=True, help="Print the whole graph's totals instead of one row per organisation.")
@click.option("--details", is_flag=True,
              help="In a table, also show standard deviations and p-values (csv/json always do).")
@SEED
def brokerage_command(inputs, as_of, types, countries, lineage, open_ended, fmt, top, skip_invalid, group_by,
                      groups, form, permutations, sort_by, graph_level, details, seed) -> None:
    """Gould-Fernandez brokerage roles by country (or region, kind, continent, world region, or
    --groups) and Burt's structural holes. For the plain answer "who links A to B", see `analyze brokers`.

    \b
    Rows: organisations. Columns, counts first:
      group             the organisation's group
      coordinator       open pairs it links within its own group (A-A-A)
      itinerant         open pairs of one other group it links (B-A-B)
      boundary_spanner  open pairs of its group and another (A-A-B; sna: representative + gatekeeper)
      liaison           open pairs of two other, different groups (B-A-C)
      total             all open pairs around it (partners with no agreement between them)
    then for each role (folded form):
      <role>_expected   mean count when the group labels are shuffled (--permutations times)
      <role>_z          (count - expected) / sd: how unusual the count is for an organisation with
                        these partners; "undefined" when the count cannot vary (sd 0), e.g. with one partner
      <role>_sd, <role>_p  (--details, csv, json) sd of the shuffles; share of shuffles at least as high
    The total has no expected value: it depends on the ties, not on the groups. --form sna gives
    sna::brokerage's columns (each pair counted both ways; expected_<role> and z_<role> from a random
    graph of the same density, so a hub's z_total is large by construction). Then effective size,
    efficiency, constraint and hierarchy (Burt).
    """
    from clusterkg.graph.analysis.brokerage import (
        gould_fernandez,
        gould_fernandez_folded,
    )
    from clusterkg.graph.analysis.structural_holes import structural_holes

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries, lineage, open_ended)
    by = _groups(g, group_by, groups)
    if form == "sna":
        result = gould_fernandez(g, by)
        table, graph_table = result.table(), result.graph
    else:
        with progress("permutations") as start:
            result = gould_fernandez_folded(g, by, permutations=permutations, seed=seed,
                                            progress=start(permutations))
        table, graph_table = result.table, result.graph
        if permutations:
            labels = "your groups'" if groups else f"the {group_by}"
            log(f"note: expected values, z-scores and p-values from {permutations} permutations of {labels} "
                f"labels (seed {seed})")
    if graph_level:
        _emit(_undefined_z(graph_table, fmt), fmt)
        return
    holes = structural_holes(g)
    for column in ("effective_size", "efficiency", "constraint", "hierarchy"):
        table[column] = holes[column]
    table = _sort(table, sort_by)
    if fmt == "table" and not details:
        table = table[[c for c in table.columns if not c.endswith(("_sd", "_p"))]]
    _emit(_undefined_z(table, fmt), fmt, top)


@analyze.command("brokers")
@_SHARED
@click.option("--between", "between", metavar="SIDE",
              help="One side: a group of --groups, a continent or world region (Europe, Eastern Asia), or ISO "
                   "country codes (JP or GB,DE). Without it: pairs between any two different groups.")
@click.option("--and", "and_", metavar="SIDE", help="The other side (default: every organisation not in --between).")
@_group_by("Without --between, the groups whose open pairs count;")
@GROUPS
@click.option("--sentences", type=click.IntRange(min=0), default=3, show_default=True,
              help="How many top brokers to describe in a sentence (table format) before the table.")
def brokers_command(inputs, as_of, types, countries, lineage, open_ended, fmt, top, skip_invalid, between, and_,
                    group_by, groups, sentences) -> None:
    """Who links organisations of two sides that have no agreement with each other, in counts and words.

    \b
    An open pair is two organisations, one on each side, with no agreement between them but a
    partner in common; the partner connects them. Columns:
      broker    the organisation id
      name, country, group  the broker and its side
      pairs     open pairs between the sides it connects
      share     pairs / all open pairs between the sides
      sole      of its pairs, those no other organisation connects
      sentence  the same in words (csv and json; the table prints the top ones above it)
    Example: clusterkg analyze brokers data --between JP --and Europe
    """
    from clusterkg.graph.analysis.brokers import brokers_across, brokers_between

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries, lineage, open_ended)
    if between is None:
        if and_ is not None:
            raise ClusterKGError("--and needs --between (the first side)")
        table = brokers_across(g, group_by, groups=groups)
    else:
        table = brokers_between(g, between, and_, groups=groups)
    if fmt != "table":
        _emit(table, fmt, top)
        return
    click.echo(table.attrs["summary"] + ".")
    for sentence in table["sentence"].head(sentences):
        click.echo(f"- {sentence}")
    if len(table):
        click.echo("")
        _emit(table.drop(columns=["sentence"]), fmt, top)


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
def communities_command(inputs, as_of, types, countries, lineage, open_ended, fmt, top, skip_invalid, method,
                        resolution, show, group_by, seed) -> None:
    """Louvain communities (seeded) and the country-by-country matrix of agreements."""
    from clusterkg.graph.analysis.communities import (
        communities,
        community_summary,
        mixing_matrix,
    )

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries, lineage, open_ended)
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
@click.option("--org", help="Show this organisation's partners year by year (an id, name or alias).")
@click.option("--compare", nargs=2, metavar="BEFORE AFTER",
              help="Who entered, left, gained or lost between two dates.")
@click.option("--new-ties", is_flag=True, help="List each pair of organisations with the date of its first agreement.")
@NETWORK
@FORMAT
@TOP
@skip_invalid_option("Analyse")
@SEED
def timeline_command(inputs, types, countries, years, org, compare, new_ties, lineage, open_ended, fmt, top,
                     skip_invalid, seed) -> None:
    """The network year by year (size, new and lost ties, open-ended agreements counted), or the change
    between two dates (status entered, left, stayed or renamed)."""
    from clusterkg.cli._names import resolve_countries, resolve_org
    from clusterkg.graph.analysis import temporal
    from clusterkg.graph.network import describe_snapshot

    ds = _load(inputs, skip_invalid)
    keep = {"types": list(types) or None, "countries": resolve_countries(countries), "lineage": lineage}
    if compare:
        table = temporal.compare(ds, compare[0], compare[1], seed=seed, open_ended=open_ended, **keep)
        for facts in table.attrs["snapshots"]:
            log(f"note: {describe_snapshot(facts)}")
        _emit(table, fmt, top)
    elif new_ties:
        _emit(temporal.new_ties(ds, **keep), fmt, top, index=False)
    elif org:
        from clusterkg.loaders.names_index import Names

        org = resolve_org(Names.from_dataset(ds), org, "--org")
        _emit(temporal.partners_by_year(ds, org, years=_years(years), types=keep["types"], lineage=lineage,
                                        open_ended=open_ended), fmt, top)
    else:
        table = temporal.yearly(ds, years=_years(years), open_ended=open_ended, **keep)
        log(f"note: open_ended counts the agreements in force with no end date and no term (--open-ended "
            f"{table.attrs['open_ended']})")
        _emit(table, fmt, top)


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
@click.option("--for", "organization", required=True,
              help="The organisation to suggest partners for: an id, name or alias.")
@click.option("--partner-country", "partner_countries", multiple=True,
              help="Suggest only organisations in this country: an ISO code or an English name (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Suggest only organisations of this kind (repeatable).")
def suggest_command(inputs, as_of, types, countries, lineage, open_ended, fmt, top, skip_invalid, organization,
                    partner_countries, kinds) -> None:
    """Organisations two steps away from --for, ranked by Adamic-Adar, with the reason.

    Never the organisation itself under another name, nor a partner it already has under another name.
    """
    from clusterkg.cli._names import resolve_countries, resolve_org
    from clusterkg.graph.analysis.suggest import suggest_partners
    from clusterkg.loaders.names_index import Names

    ds = _load(inputs, skip_invalid)
    organization = resolve_org(Names.from_dataset(ds), organization, "--for")
    partner_countries = resolve_countries(partner_countries, "--partner-country")
    g = _graph(ds, as_of, types, countries, lineage, open_ended)
    if organization in g.graph["merged"]:
        log(f"note: {organization} is a former name of {g.graph['merged'][organization]}; suggesting for it")
        organization = g.graph["merged"][organization]
    if organization not in g:
        raise ClusterKGError(f"--for: {organization} has no agreement under these filters")
    table = suggest_partners(g, organization, top=top or 10, countries=partner_countries,
                             kinds=list(kinds) or None)
    _emit(table, fmt, index=False)


@analyze.command("metrics")
@_SHARED
@_group_by("Groups for brokerage;")
@click.option("--isolates", is_flag=True,
              help="Also list the organisations with no agreement under the filters (as OUT/metrics.csv does): "
                   "0 for the centralities and counts, no community, empty structural holes.")
@click.option("--sort", "sort_by", metavar="COLUMN",
              help="Sort the rows by this column, smallest first; '-COLUMN' or --desc for largest first "
                   "(e.g. --sort -betweenness --top 10). Empty values go last.")
@click.option("--desc", is_flag=True, help="With --sort: largest first.")
@ESTIMATES
@SEED
def metrics_command(inputs, as_of, types, countries, lineage, open_ended, fmt, top, skip_invalid, group_by, isolates,
                    sort_by, desc, exact_threshold, sample_size, seed) -> None:
    """Every measure per organisation in one table (what `clusterkg build` writes to metrics.csv).

    Computed over the organisations with at least one agreement under the filters, so the values
    equal those of metrics.csv, `analyze centrality` and the map for the same filters.
    """
    from clusterkg.graph.analysis.metrics import organization_metrics

    g = _graph(_load(inputs, skip_invalid), as_of, types, countries, lineage, open_ended, isolates=isolates)
    table = organization_metrics(g, groups=group_by, exact_threshold=exact_threshold, sample_size=sample_size,
                                 seed=seed)
    _note_estimates(table.attrs)
    if desc and not sort_by:
        raise click.UsageError("--desc sorts by the --sort column: give --sort COLUMN too")
    if sort_by:
        column, desc = (sort_by[1:], True) if sort_by.startswith("-") else (sort_by, desc)
        if column == table.index.name:
            table = table.sort_index(ascending=not desc, kind="stable")
        else:
            table = _sort(table, column, ascending=not desc)
    _emit(table, fmt, top)
