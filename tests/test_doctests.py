"""The Examples in every module's docstrings run and give what they show (numpydoc style, as networkx).

Modules without an example are skipped, not passed: the report shows which have none.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_examples(project_module, project_modules, project_root, monkeypatch):
    shown = [line for line in project_modules[project_module].read_text(encoding="utf-8").splitlines()
             if line.lstrip().startswith(">>>")]
    if not shown:
        pytest.skip("no examples")
    if all("+SKIP" in line for line in shown):
        pytest.skip("every example is marked +SKIP (it needs a server or a build)")
    monkeypatch.chdir(project_root)  # examples read data/ and tests/fixtures/ relative to the project
    module = importlib.import_module(project_module)
    result = doctest.testmod(module, optionflags=FLAGS, verbose=False)
    assert result.attempted > 0, f"{project_module} shows examples that doctest does not find"
    assert result.failed == 0
