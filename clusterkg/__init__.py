"""clusterkg: a knowledge graph of the agreements between life-science clusters.

The Python API is small: :func:`load` reads, validates and resolves records;
:func:`build` writes every output of ``clusterkg build``; :func:`metrics` and
:func:`brokers` are the measures of ``clusterkg analyze metrics`` and
``clusterkg analyze brokers`` as DataFrames (the full analysis library is
:mod:`clusterkg.graph.analysis`).

>>> import clusterkg
>>> ds = clusterkg.load(["data"])  # doctest: +SKIP
>>> sorted(ds.agreements)[:1]  # doctest: +SKIP
['collaboration-eisai-ucl-...']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clusterkg.model.problems import ClusterKGError, InputError, Problem

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__version__ = "0.1.0"
__all__ = ["ClusterKGError", "Dataset", "InputError", "Problem", "brokers", "build", "load", "metrics", "resolve",
           "validate"]


def load(inputs, *, dayfirst: bool | None = None) -> Dataset:
    """Read, validate and resolve records from files and folders. Check ``.valid`` and ``.problems``.

    ``dayfirst``: read numeric dates such as 3/4/2019 day first (True) or month first (False);
    by default they are refused (15/11/2019, where only one reading is a date, is always read).
    """
    from clusterkg.pipeline import load as _load

    return _load(inputs, dayfirst=dayfirst)


def validate(inputs, *, dayfirst: bool | None = None) -> list[Problem]:
    """Every problem in the inputs; an empty list when they are valid."""
    return load(inputs, dayfirst=dayfirst).problems


def build(inputs, out, *, skip_invalid: bool = False, dayfirst: bool | None = None, rdf=("nt",),
          rdf_metrics: bool = False):
    """Validate, resolve and write every output into ``out`` (see ``clusterkg build``).

    ``rdf`` names the RDF serialisations to write (``"nt"``, ``"ttl"``, ``"jsonld"``);
    ``rdf_metrics`` adds the metrics to them as ``ckg:Measurement`` nodes.
    """
    from clusterkg.pipeline import build as _build

    return _build(inputs, out, skip_invalid=skip_invalid, dayfirst=dayfirst, rdf=rdf, rdf_metrics=rdf_metrics)


def _dataset(data) -> Dataset:
    from clusterkg.model.dataset import Dataset

    return data if isinstance(data, Dataset) else load(data)


def resolve(data, value: str, kind: str = "organization") -> str:
    """The id of the organisation (or ``kind`` "programme", "person", "event") that ``value`` names
    (an id, name, alias or name in another language), or the ISO code of a country (``kind="country"``:
    "Japan", "United Kingdom", "UK"), as the command line resolves its parameters.

    An unknown or ambiguous value raises :class:`ClusterKGError` naming the closest known names.
    ``data`` is a :class:`Dataset`, what :func:`load` takes, or a build folder (its names.json).

    >>> clusterkg.resolve(ds, "LINK-J"), clusterkg.resolve(ds, "Japan", "country")  # doctest: +SKIP
    ('link-j', 'JP')
    """
    from pathlib import Path

    from clusterkg.loaders.names_index import FILE, KINDS, Names

    if kind not in KINDS:
        raise ClusterKGError(f"resolve: unknown kind {kind!r} (known: {', '.join(KINDS)})")
    if kind == "country":
        from clusterkg.model.countries import country_code

        try:
            return country_code(value)[0]
        except ValueError as error:
            raise ClusterKGError(str(error)) from None
    if isinstance(data, (str, Path)) and (Path(data) / FILE).is_file():
        from clusterkg.manifest import check_build

        check_build(data, [FILE])  # a build folder: its names.json as the build wrote it
        names = Names.read(Path(data) / FILE)
    else:
        names = Names.from_dataset(_dataset(data))
    return names.resolve(kind, value)[0]


def metrics(data, *, as_of=None, types=None, countries=None, lineage: bool = True, open_ended: str = "include",
            isolates: bool = True, **options):
    """Every measure per organisation, as in ``OUT/metrics.csv`` (the same function makes both).

    ``data`` is a :class:`Dataset` or what :func:`load` takes. Measures are
    computed over the organisations with an agreement under the filters;
    ``isolates=False`` leaves the others out (as ``clusterkg analyze metrics``
    does). See :func:`clusterkg.graph.analysis.metrics.dataset_metrics`.

    >>> table = clusterkg.metrics(["data"])  # doctest: +SKIP
    >>> table.loc["link-j", "betweenness"]  # doctest: +SKIP
    """
    from clusterkg.graph.analysis.metrics import dataset_metrics

    return dataset_metrics(_dataset(data), as_of=as_of, types=types, countries=countries, lineage=lineage,
                           open_ended=open_ended, isolates=isolates, **options)


def brokers(data, between=None, and_=None, *, groups=None, by: str = "country", as_of=None, types=None,
            countries=None, lineage: bool = True, open_ended: str = "include"):
    """Who links organisations of two sides with no agreement between them, as ``clusterkg analyze brokers``.

    ``between`` / ``and_``: a group of ``groups`` ("Japan=JP; Europe=GB,DE"), a
    continent or world region ("Europe"), or ISO codes ("JP"); without
    ``between``, open pairs between any two groups (``by`` or ``groups``). One
    row per broker: ``pairs``, ``share``, ``sole`` and a ``sentence``; see
    :mod:`clusterkg.graph.analysis.brokers`.

    >>> clusterkg.brokers(["data"], "JP", "Europe")["sentence"].iloc[0]  # doctest: +SKIP
    'Life Science Innovation Network Japan connects 28 of the 30 open Japan–Europe pairs (93%), 28 of them alone.'
    """
    from clusterkg.graph.analysis.brokers import brokers_across, brokers_between
    from clusterkg.graph.network import organization_graph

    graph = organization_graph(_dataset(data), as_of=as_of, types=types, countries=countries, isolates=False,
                               lineage=lineage, open_ended=open_ended)
    if between is None:
        return brokers_across(graph, by, groups=groups)
    return brokers_between(graph, between, and_, groups=groups)


def __getattr__(name: str):
    # Importing a submodule (clusterkg.model.records) should not load the whole pipeline.
    if name == "Dataset":
        from clusterkg.model.dataset import Dataset

        return Dataset
    raise AttributeError(name)
