"""clusterkg: a knowledge graph of the agreements between life-science clusters.

The Python API is small: :func:`load` reads, validates and resolves records;
:func:`build` writes every output of ``clusterkg build``.

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
__all__ = ["ClusterKGError", "Dataset", "InputError", "Problem", "build", "load", "validate"]


def load(inputs) -> Dataset:
    """Read, validate and resolve records from files and folders. Check ``.valid`` and ``.problems``."""
    from clusterkg.pipeline import load as _load

    return _load(inputs)


def validate(inputs) -> list[Problem]:
    """Every problem in the inputs; an empty list when they are valid."""
    return load(inputs).problems


def build(inputs, out, *, skip_invalid: bool = False):
    """Validate, resolve and write every output into ``out`` (see ``clusterkg build``)."""
    from clusterkg.pipeline import build as _build

    return _build(inputs, out, skip_invalid=skip_invalid)


def __getattr__(name: str):
    # Importing a submodule (clusterkg.model.records) should not load the whole pipeline.
    if name == "Dataset":
        from clusterkg.model.dataset import Dataset

        return Dataset
    raise AttributeError(name)
