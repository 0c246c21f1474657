"""``clusterkg map``: the interactive network map as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from clusterkg.cli._common import INPUTS, FromLibrary, LibraryChoice, filters, load_or_fail, log, skip_invalid_option


@click.command("map")
@INPUTS
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="HTML file to write.")
@click.option("--size-by", default="betweenness", show_default=True,
              type=LibraryChoice(FromLibrary("clusterkg.graph.map.render", "SIZE_METRICS")),
              help="Measure that sets node size (brokerage: folded Gould-Fernandez roles by country).")
@click.option("--color-by", type=click.Choice(["country", "kind"]), default="country", show_default=True,
              help="Initial node colouring (the page can switch).")
@click.option("--level", type=click.Choice(["organization", "country"]), default="organization", show_default=True,
              help="Draw organisations, or countries tied by their organisations' agreements.")
@click.option("--top", type=click.IntRange(min=1), help="Keep the N organisations with the highest --size-by.")
@filters()
@click.option("--no-isolates", is_flag=True, help="Leave out organisations without any agreement (the page hides them "
              "until asked either way).")
@click.option("--open-ended", default="include", show_default=True, metavar="include|exclude|assume:P5Y",
              help="What --as-of and the page's 'in force on' do with agreements without end or term.")
@click.option("--no-lineage", is_flag=True, help="One node per record, not one per chain of renames.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=FromLibrary("clusterkg.graph.map.render", "MAX_NODES"),
              show_default=True, help="Without --top, keep this many organisations of a larger graph (the page says so).")
@click.option("--layout", type=click.Choice(["auto", "python", "browser"]), default="auto", show_default=True,
              help="python: positions computed here, physics off (auto: above 300 nodes); browser: vis physics.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the Python layout.")
@click.option("--title", help="Page title.")
@skip_invalid_option("Draw")
def map_command(inputs, out, size_by, color_by, level, top, as_of, types, countries, no_isolates, open_ended,
                no_lineage, max_nodes, layout, seed, title, skip_invalid) -> None:
    """Write the interactive map of INPUTS to OUT: one HTML file that opens offline.

    Filters by agreement type, signing year, "in force on" (a slider with
    play) and country, search, details beside the graph, PNG and CSV export
    and a link to the view work in the page; --as-of, --type and --country
    choose what goes into it.
    """
    from clusterkg.cli._names import resolve_countries
    from clusterkg.graph.map.render import write_map

    countries = resolve_countries(countries)  # codes and English names; before the records are read
    ds = load_or_fail(inputs, skip_invalid=skip_invalid)
    path = write_map(out, ds, size_by=size_by, color_by=color_by, level=level, top=top, as_of=as_of,
                     types=list(types) or None, countries=countries, isolates=not no_isolates,
                     open_ended=open_ended, lineage=not no_lineage, max_nodes=max_nodes, layout=layout, seed=seed,
                     title=title)
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
