"""``clusterkg map``: the interactive network map as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from clusterkg.model.problems import InputError


def _log(message: str) -> None:
    click.echo(message, err=True)


@click.command("map")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="HTML file to write.")
@click.option("--size-by", default="betweenness", show_default=True,
              type=click.Choice(["degree", "weighted-degree", "betweenness", "closeness", "pagerank", "eigenvector",
                                 "brokerage-total", "brokerage-coordinator", "brokerage-itinerant",
                                 "brokerage-boundary-spanner", "brokerage-liaison", "effective-size",
                                 "constraint"]),
              help="Measure that sets node size (brokerage: folded Gould-Fernandez roles by country).")
@click.option("--color-by", type=click.Choice(["country", "kind"]), default="country", show_default=True,
              help="Initial node colouring (the page can switch).")
@click.option("--level", type=click.Choice(["organization", "country"]), default="organization", show_default=True,
              help="Draw organisations, or countries tied by their organisations' agreements.")
@click.option("--top", type=click.IntRange(min=1), help="Keep the N organisations with the highest --size-by.")
@click.option("--as-of", help="Snapshot: agreements in force on this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--type", "types", multiple=True, help="Keep only this agreement type (repeatable).")
@click.option("--country", "countries", multiple=True, help="Keep only organisations in this ISO country (repeatable).")
@click.option("--no-isolates", is_flag=True, help="Leave out organisations without any agreement.")
@click.option("--layout", type=click.Choice(["auto", "python", "browser"]), default="auto", show_default=True,
              help="python: positions computed here, physics off (auto: above 300 nodes); browser: vis physics.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the Python layout.")
@click.option("--title", help="Page title.")
@click.option("--skip-invalid", is_flag=True, help="Draw the valid records when some are invalid.")
def map_command(inputs, out, size_by, color_by, level, top, as_of, types, countries, no_isolates, layout, seed,
                title, skip_invalid) -> None:
    """Write the interactive map of INPUTS to OUT: one HTML file that opens offline.

    Filters by agreement type, year and country, search, and details with
    source links work in the page; --as-of, --type and --country choose what
    goes into it.
    """
    from clusterkg.graph.map.render import write_map
    from clusterkg.pipeline import load

    ds = load(inputs)
    if ds.problems:
        if not skip_invalid:
            raise InputError(ds.problems)
        _log(f"skipped {len(ds.rejected)} invalid record(s); see `clusterkg validate`")
    path = write_map(out, ds, size_by=size_by, color_by=color_by, level=level, top=top, as_of=as_of,
                     types=list(types) or None, countries=list(countries) or None, isolates=not no_isolates,
                     layout=layout, seed=seed, title=title)
    _log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
