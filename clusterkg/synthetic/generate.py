"""Realistic synthetic data: organisations and the agreements between them.

For benchmarks and scale tests (``clusterkg generate``). The same seed always
gives the same records. What is generated:

- **Places.** 40 countries (ISO 3166-1) with 3 to 18 real ISO 3166-2 regions
  each, chosen where life-science clusters are (Massachusetts, Kanagawa,
  Île-de-France, Basel-Stadt, ...), and made-up towns in each region.
- **Organisations** of every kind in :data:`~clusterkg.model.records.ORG_KINDS`:
  life-science clusters (one to three per region, the busiest regions first),
  regional and national governments, cities, universities, research institutes,
  hospitals, companies (with the legal form of their country, which the
  resolver ignores), agencies, funders, investors and societies. Some have
  aliases (acronyms, short names), Japanese and Chinese governments have their
  name in their own script too, some companies are members of their region's
  cluster. Every name and alias is unique after
  :func:`~clusterkg.loaders.resolve.normalize_name`, so every reference
  resolves to exactly one organisation.
- **Agreements** of every type in :data:`~clusterkg.model.records.AGREEMENT_TYPES`
  (mostly MoUs), between two parties mostly and up to eight. Parties are drawn
  in proportion to a heavy-tailed (bounded Pareto) "activity" of each
  organisation, weighted by kind, and four in ten partners come from the first
  party's country: a few hubs have hundreds of agreements, most organisations a
  handful. Dates span 2010 to 2024, more of them in later years, to the day, the
  month or only the year. About one party reference in ten is written by name,
  alias or an upper-cased name instead of the id, so the resolver has work to
  do. Some agreements have signatories, a term or an end date, a scope and
  activities, or renew an earlier agreement; most have an id, the others get the
  derived one. Every agreement has a source, a few have two.

The records are built with ``model_construct`` (no validation, which is what
makes 100,000 organisations and 300,000 agreements take seconds); the tests load
what is written back through the validating loaders and expect no problem.

The parts: :mod:`~clusterkg.synthetic.tables` (the places and word lists of
tables.json), :mod:`~clusterkg.synthetic.places`,
:mod:`~clusterkg.synthetic.organizations`, :mod:`~clusterkg.synthetic.agreements`;
this module puts them together and writes the result.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clusterkg.model.records import Agreement, Organization, Record
from clusterkg.synthetic.agreements import FIRST_YEAR, KIND_ACTIVITY, LAST_YEAR, TYPE_WEIGHTS, Agreements
from clusterkg.synthetic.organizations import KIND_WEIGHTS, Organizations
from clusterkg.synthetic.tables import COUNTRIES, Country

__all__ = [
    "COUNTRIES", "FIRST_YEAR", "KIND_ACTIVITY", "KIND_WEIGHTS", "LAST_YEAR", "TYPE_WEIGHTS", "Country", "Generated",
    "generate", "write_generated",
]


@dataclass
class Generated:
    """A generated dataset: the organisations, then the agreements between them.

    Attributes
    ----------
    organizations : list of Organization
    agreements : list of Agreement
    seed : int
        The seed they were generated from.
    """

    organizations: list[Organization] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    seed: int = 0

    def records(self) -> Iterator[Record]:
        """Every record, organisations first: the order a writer needs."""
        yield from self.organizations
        yield from self.agreements

    def __len__(self) -> int:
        return len(self.organizations) + len(self.agreements)


def generate(orgs: int, agreements: int, seed: int) -> Generated:
    """A realistic synthetic dataset of ``orgs`` organisations and ``agreements`` agreements.

    Deterministic: the same arguments always give the same records (one
    :class:`random.Random` seeded with ``seed`` draws everything). The records
    are valid as they are: written in any format and read back they load with no
    problem.

    Parameters
    ----------
    orgs : int
        How many organisations; at least 2 when there are agreements.
    agreements : int
        How many agreements.
    seed : int
        Same seed, same data.

    Returns
    -------
    Generated
        The organisations and the agreements, in the order they were made.

    Raises
    ------
    ValueError
        For a negative count, or agreements without two organisations to make them.

    Examples
    --------
    >>> data = generate(50, 120, seed=7)
    >>> len(data.organizations), len(data.agreements)
    (50, 120)
    >>> generate(50, 120, seed=7).agreements == data.agreements
    True
    >>> sorted({len(a.parties) >= 2 for a in data.agreements})
    [True]
    """
    if orgs < 0 or agreements < 0:
        raise ValueError("the numbers of organisations and agreements cannot be negative")
    if agreements and orgs < 2:
        raise ValueError("agreements need at least two organisations")
    from clusterkg.model.dataset import FREEZE_FROM, gc_paused

    rng = random.Random(seed)
    # Millions of objects that all stay: the collector would only slow it down.
    with gc_paused(freeze=orgs + agreements >= FREEZE_FROM):
        organizations = Organizations(rng).make(orgs)
        made = Agreements(rng, organizations).make(agreements)
    return Generated(organizations, made, seed)


def write_generated(gen: Generated, out: Path | str, fmt: str = "csv") -> Path:
    """Write a generated dataset in ``fmt`` (csv, yaml, json, jsonl or xlsx).

    Parameters
    ----------
    gen : Generated
        What :func:`generate` made.
    out : path
        For ``csv`` the folder to write organizations.csv, agreements.csv and
        sources.csv into (made if missing). For the other formats the file to
        write; a folder, or a path without a suffix, gets ``synthetic.FMT`` in it.
    fmt : str
        One of :data:`clusterkg.loaders.writers.FORMATS`.

    Returns
    -------
    Path
        The folder (csv) or the file written.

    Examples
    --------
    >>> import tempfile
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> folder = Path(tempfile.mkdtemp()) / "data"
    >>> write_generated(generate(40, 100, seed=1), folder, "csv") == folder
    True
    >>> ds = load_dataset([folder])
    >>> ds.valid, len(ds.organizations), len(ds.agreements)
    (True, 40, 100)
    """
    from clusterkg.loaders.writers import write
    from clusterkg.model.dataset import gc_paused

    out = Path(out)
    fmt = fmt.lower().lstrip(".")
    fmt = "yaml" if fmt == "yml" else fmt
    if fmt != "csv" and (out.is_dir() or not out.suffix):
        out = out / f"synthetic.{fmt}"
    with gc_paused():
        write(gen.records(), out, fmt)
    return out
