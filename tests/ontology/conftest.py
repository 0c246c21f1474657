"""The sample dataset, loaded once for the ontology tests."""

from __future__ import annotations

import pathlib

import pytest
from clusterkg.loaders.assemble import load_dataset

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_dataset():
    """The sample records in data/ (``load_dataset(["data"])``)."""
    return load_dataset([ROOT / "tests" / "fixtures" / "sample"])
