"""Packaging: pyproject.toml names every package, and a real wheel (not the editable install) works.

An editable install finds modules through the source tree, so a package missing
from ``packages`` or a data file missing from ``package-data`` goes unnoticed
until someone installs the wheel. These tests build one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folders_with_init() -> set[str]:
    names = set()
    for package, folder in CONFIG["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            if "__pycache__" not in parts:
                names.add(".".join((package, *parts)))
    return names


def test_packages_list_every_folder_with_an_init_and_nothing_else():
    assert set(CONFIG["packages"]) == _folders_with_init()


def test_every_top_level_folder_is_mapped_into_the_namespace():
    mapped = set(CONFIG["package-dir"].values())
    assert {"clusterkg", "model", "loaders", "graph", "ontology", "queries"} <= mapped


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # A copy of the source: setuptools writes build/ into the tree it builds, and build/ is
    # also clusterkg's default build folder.
    source = tmp_path_factory.mktemp("source") / "clusterkg"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "node_modules", "__pycache__", ".hypothesis", "*.egg-info", "tests", "data"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = out.glob("clusterkg-*.whl")
    return path


def test_the_wheel_holds_every_package_and_its_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in CONFIG["packages"]:
        assert package.replace(".", "/") + "/__init__.py" in names, package
    for package, patterns in CONFIG["package-data"].items():
        folder = package.replace(".", "/")
        assert any(n.startswith(folder + "/") and not n.endswith(".py") for n in names), (package, patterns)
    assert not any(n.startswith(("tests/", "benchmarks/", "data/")) for n in names)


def test_the_installed_wheel_builds_the_sample(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    # The wheel's copy comes first on the path, ahead of the editable install's finder.
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = (
        "import clusterkg, sys; "
        f"assert clusterkg.__file__.startswith({str(target)!r}), clusterkg.__file__; "
        "from clusterkg.cli import main; "
        "sys.argv = ['clusterkg', 'build', sys.argv[1], '-o', sys.argv[2]]; main()"
    )
    out = tmp_path / "build"
    done = subprocess.run([sys.executable, "-c", script, str(ROOT / "data"), str(out)],
                          capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("records.jsonl", "graph.nt", "metrics.csv", "map.html"):
        assert (out / name).stat().st_size > 0, name
