"""The command line: one click group, a thin layer over the Python API.

Output goes to stdout, logs and progress to stderr; the exit code is 0 only on
success, 1 for invalid input or a failed step, 2 for a wrong command line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from clusterkg import __version__
from clusterkg.cli._common import INPUTS, count, default_base, log, progress
from clusterkg.manifest import DEFAULT_BUILD
from clusterkg.model.problems import ClusterKGError, InputError


class _Group(click.Group):
    """Reports the project's own errors as messages, never as tracebacks."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            click.echo(f"error: {count(len(error.problems), 'problem')} in the input; nothing was written", err=True)
            ctx.exit(1)
        except ClusterKGError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clusterkg")
def main() -> None:
    """clusterkg: the agreements between life-science clusters as one knowledge graph."""


@main.command()
@INPUTS
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'file:line: field: problem' per line; json: a list of problem objects.")
@click.option("--shacl", is_flag=True, help="Also check the RDF graph against the SHACL shapes (ontology/shapes.ttl).")
def validate(inputs: tuple[Path, ...], fmt: str, shacl: bool = False) -> None:
    """Check INPUTS (files or folders) and print every problem, then a summary.

    Exit code 0 only when everything is valid; warnings (lines starting "warning:", such as an
    agreement dated after a rename that names the old organisation) are shown but do not fail it.
    """
    from clusterkg.pipeline import load

    with progress("validating") as start:
        ds = load(inputs, start)
    problems = ds.problems
    if shacl and not problems:  # the shapes check the graph of valid records (graph/rdf/shacl.py)
        from clusterkg.graph.rdf.shacl import problems as shacl_problems

        problems = shacl_problems(ds, ds.origins, default_base())
    warnings = ds.warnings  # worth a look, never a reason to fail
    if fmt == "json":
        click.echo(json.dumps([p.to_dict() for p in problems] + [{**w.to_dict(), "severity": "warning"}
                                                                  for w in warnings], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        for warning in warnings:
            click.echo(f"warning: {warning}")
        counts = ", ".join(count(len(c), k) for k, c in ds.collections().items())
        noted = f"; {count(len(warnings), 'warning')}" if warnings else ""
        if problems:
            files = f"; {count(len(ds.file_problems), 'file-level problem')}" if ds.file_problems else ""
            click.echo(f"invalid: {count(len(problems), 'problem')} in {count(len(ds.rejected), 'rejected record')}"
                       f"{files}; valid: {counts}{noted}")
        else:
            click.echo(f"valid: {counts}{noted}")
    sys.exit(1 if problems else 0)


@main.command()
@INPUTS
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_BUILD,
              show_default=True, help="Folder to write into (created if missing); the other commands read it.")
@click.option("--skip-invalid", is_flag=True,
              help="Build from the valid records; write the rejected ones and why to OUT/rejected.jsonl.")
@click.option("--neo4j", "to_neo4j", is_flag=True,
              help="Also load the graph into Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE).")
@click.option("--rdf", "rdf_formats", default="nt", show_default=True, metavar="FORMATS",
              help="RDF serialisations to write, comma-separated: nt, ttl, jsonld (or all).")
@click.option("--rdf-metrics", is_flag=True,
              help="Also write the metrics into the RDF, as ckg:Measurement nodes (4 triples per organisation and measure).")
def build(inputs: tuple[Path, ...], out: Path, skip_invalid: bool, to_neo4j: bool, rdf_formats: str,
          rdf_metrics: bool) -> None:
    """Validate and resolve INPUTS, then write every output into OUT.

    Writes OUT/records.jsonl (the normalised records) and OUT/summary.json
    (counts by type, country and year), and prints the summary.
    """

    from clusterkg import pipeline as build_module

    with progress("loading") as start:
        ds = build_module.load(inputs, start)
    if ds.problems and skip_invalid:
        for problem in ds.problems:
            log(str(problem))
        log(f"skipped {count(len(ds.rejected), 'invalid record')}; see {out / 'rejected.jsonl'}")
    formats = list(build_module.RDF_OUTPUTS) if rdf_formats.strip() == "all" else \
        [f.strip() for f in rdf_formats.split(",") if f.strip()]
    ctx = build_module.build(inputs, out, skip_invalid=skip_invalid, dataset=ds, rdf=formats, rdf_metrics=rdf_metrics)
    for path in ctx.written:
        log(f"wrote {path}")
    if to_neo4j:
        from clusterkg.cli.graph import dataset_name, load_into_neo4j

        load_into_neo4j(ds, dataset=dataset_name(out))
    _print_summary(json.loads((out / "summary.json").read_text(encoding="utf-8")))  # what the build worked out


def _print_summary(summary: dict) -> None:
    records = ", ".join(f"{n} {kind}" for kind, n in summary["records"].items())
    click.echo(f"records: {records}")
    for title, key in (("by type", "agreements_by_type"), ("by country", "agreements_by_country"),
                       ("by year", "agreements_by_year")):
        items = summary[key]
        click.echo(f"agreements {title}: " + (", ".join(f"{k} {v}" for k, v in items.items()) or "none"))


@main.command()
@click.option("--orgs", type=click.IntRange(min=2), default=1000, show_default=True, help="Organisations.")
@click.option("--agreements", type=click.IntRange(min=0), default=3000, show_default=True, help="Agreements.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same data.")
@click.option("--format", "fmt", type=click.Choice(["csv", "yaml", "json", "jsonl", "xlsx"]), default="csv",
              show_default=True, help="csv: organizations.csv, agreements.csv and sources.csv in a folder; "
                                      "the others: one file.")
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="Folder (csv) or file to write.")
def generate(orgs: int, agreements: int, seed: int, fmt: str, out: Path) -> None:
    """Write a realistic synthetic dataset, for benchmarks and scale tests.

    Countries and regions with clusters, heavy-tailed degrees, several
    agreement types, dates over 15 years, aliases.
    """
    from clusterkg.synthetic.generate import generate as make
    from clusterkg.synthetic.generate import write_generated

    data = make(orgs, agreements, seed)
    target = write_generated(data, out, fmt)
    log(f"wrote {len(data.organizations)} organisations and {len(data.agreements)} agreements to {target or out}")


from clusterkg.cli.extract import extract, merge  # noqa: E402  (commands in their own modules)

main.add_command(extract)
main.add_command(merge)
from clusterkg.cli.analyze import analyze  # noqa: E402

main.add_command(analyze)
from clusterkg.cli.rdf import rdf  # noqa: E402

main.add_command(rdf)
from clusterkg.cli.graph import export as export_group  # noqa: E402
from clusterkg.cli.graph import load as load_group
from clusterkg.cli.graph import query as query_command

main.add_command(query_command)
main.add_command(load_group)
main.add_command(export_group)
load_group.add_command(rdf.commands["push"], "sparql")  # clusterkg load sparql: the same as clusterkg rdf push
from clusterkg.cli.map import map_command  # noqa: E402

main.add_command(map_command)

if __name__ == "__main__":  # pragma: no cover
    main()
