"""The Examples in the docstrings of graph/network.py and graph/analysis/ run and give what they show."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MODULES = [
    "clusterkg.graph.network",
    "clusterkg.graph.analysis.brokerage",
    "clusterkg.graph.analysis.centrality",
    "clusterkg.graph.analysis.communities",
    "clusterkg.graph.analysis.metrics",
    "clusterkg.graph.analysis.structural_holes",
    "clusterkg.graph.analysis.suggest",
    "clusterkg.graph.analysis.temporal",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples read tests/fixtures/csv relative to the project
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
