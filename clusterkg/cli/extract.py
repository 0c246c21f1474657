"""``clusterkg extract``: press releases -> candidate records for a person to review."""

from __future__ import annotations

from pathlib import Path

import click

from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "jsonl"]), default="yaml", show_default=True,
              help="yaml: loadable records with evidence; jsonl: one object per input file.")
@click.option("--known", "known", multiple=True, type=click.Path(path_type=Path),
              help="Records (files or folders) whose organisations parties are resolved against.")
@click.option("--published", help="Publication date of the texts (YYYY, YYYY-MM or YYYY-MM-DD) when they do not say.")
def extract(files: tuple[Path, ...], output: Path | None, fmt: str, known: tuple[Path, ...], published: str | None) -> None:
    """Propose agreement records from press releases (text, HTML or Markdown files or folders).

    Each proposed agreement carries the sentences that support it, their character
    offsets, a confidence and the source file. Nothing is fetched from the network.
    """
    from clusterkg.loaders.press.candidates import (
        extract_files,
        to_document,
        to_jsonl,
        to_yaml,
    )
    from clusterkg.loaders.press.names import Gazetteer

    date = None
    if published:
        try:
            date = PartialDate.parse(published)
        except ValueError as error:
            raise click.BadParameter(f"{published!r}: {error}", param_hint="--published") from None
    gazetteer = Gazetteer()
    dataset = None
    if known:
        from clusterkg.loaders.assemble import load_dataset

        dataset = load_dataset(known)
        for problem in dataset.problems:
            click.echo(f"warning: {problem}", err=True)
        gazetteer = Gazetteer(dataset.organizations.values())
    problems: list = []
    results = extract_files(files, gazetteer, date, problems)  # a file that cannot be read does not stop the others
    for result in results:
        for warning in result.document.warnings:
            click.echo(f"warning: {warning}", err=True)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if fmt == "jsonl":
        text = to_jsonl(results)
    else:
        document = to_document(results, gazetteer, dataset)
        text = to_yaml(document, len(results))
    count = sum(len(r.candidates) for r in results)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ClusterKGError(f"{output}: cannot write: {error.strerror or error}") from None
    click.echo(f"{count} candidate agreement(s) from {len(results)} file(s)"
               + (f"; {len(problems)} file(s) could not be read" if problems else ""), err=True)
    if problems:
        raise SystemExit(1)


@click.command()
@click.argument("candidates", type=click.Path(path_type=Path))
@click.option("--into", "data", required=True, type=click.Path(path_type=Path),
              help="The data: a folder (new records go to DATA/merged-<date>.yaml) or one YAML file.")
@click.option("--dry-run", is_flag=True, help="Show what would be written (a diff) and write nothing.")
def merge(candidates: Path, data: Path, dry_run: bool) -> None:
    """Write the accepted candidates of CANDIDATES (from `clusterkg extract`) into the data.

    New organisations and agreements, and new sources, signatories and more
    precise dates on agreements on record (`matches:` and `add:`); an accepted
    candidate that duplicates an agreement without matching it is refused.
    Records not changed keep their text; the data validates after the merge.
    Pending and rejected candidates are left alone, and CANDIDATES is not
    changed: merging it again adds nothing new.
    """
    from clusterkg.loaders.merge import diff, plan_merge, write_merge

    result = plan_merge(candidates, data)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if dry_run:
        click.echo(diff(result), nl=False)
    else:
        for path in write_merge(result):
            click.echo(f"wrote {path}", err=True)
    verb = "would merge" if dry_run else "merged"
    for line in result.summary():
        click.echo(f"would: {line}" if dry_run else line, err=True)
    click.echo(
        f"{verb}: {len(result.added_organizations)} new organisation(s), {len(result.added_agreements)} new agreement(s), "
        f"{len(result.updated_agreements)} agreement(s) added to; {len(result.unchanged)} already in the data; "
        f"{result.pending} pending and {result.rejected} rejected left in {candidates}"
        + (f"; {len(result.problems)} problem(s), see above" if result.problems else ""),
        err=True,
    )
    if result.problems:
        raise SystemExit(1)
