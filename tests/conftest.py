"""Fixtures shared across test folders.

``falkordb_server``: one embedded FalkorDB server for the whole test session
(starting one takes about 0.2 s; each test gets its own graph on it by name).
``project_modules``: every module of the project by dotted name, found through
pyproject.toml's package-dir (the structure tests and the doctest runner use it);
a test that takes a ``project_module`` argument runs once per module.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _project_modules() -> dict[str, Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, Path] = {}
    for package, folder in config["tool"]["setuptools"]["package-dir"].items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if any(part.startswith(".") or part == "__pycache__" for part in parts):
                continue
            found[".".join((package, *parts)).removesuffix(".__init__")] = path
    return found


@pytest.fixture(scope="session")
def project_modules() -> dict[str, Path]:
    return _project_modules()


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


def pytest_generate_tests(metafunc):
    if "project_module" in metafunc.fixturenames:
        metafunc.parametrize("project_module", sorted(_project_modules()))


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """The embedded graph server of graph/falkor.py, in a private folder, stopped at the end."""
    from clusterkg.graph.cypher.falkor import EmbeddedServer

    with EmbeddedServer(tmp_path_factory.mktemp("falkordb")) as server:
        yield server


@pytest.fixture
def falkordb_graph(falkordb_server, request):
    """An empty graph of its own for one test, dropped afterwards."""
    import re

    name = "t-" + re.sub(r"[^A-Za-z0-9]+", "-", request.node.nodeid)[-80:]
    graph = falkordb_server.graph(name)
    graph.delete()
    yield graph
    graph.delete()
