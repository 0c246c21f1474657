"""The layering rules of docs/architecture.md, read from every module's imports (AST).

Flow: loaders -> model -> graph (rdf | cypher | network) -> analysis -> map, driven
by clusterkg.pipeline and the CLI. Each rule names the packages a layer may not
import; imports inside functions count too (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _package_dirs() -> dict[str, Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: ROOT / folder for name, folder in config["tool"]["setuptools"]["package-dir"].items()}


def _modules() -> dict[str, Path]:
    """Every module of the project by dotted name."""
    found: dict[str, Path] = {}
    for package, folder in _package_dirs().items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if any(part.startswith(".") or part == "__pycache__" for part in parts):
                continue
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, resolved to dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {t for t in targets if t in MODULES and t != name}


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> str:
    """The layer a module belongs to: the first two parts of its name, the CLI and pipeline apart."""
    parts = module.split(".")
    if parts[1:2] == ["graph"] and len(parts) > 2 and parts[2] in {"rdf", "cypher", "map", "analysis"}:
        return ".".join(parts[:3])
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


# layer -> prefixes it must not import
FORBIDDEN = {
    "clusterkg.model": ["clusterkg.loaders", "clusterkg.graph", "clusterkg.cli", "clusterkg.pipeline",
                        "clusterkg.synthetic", "clusterkg.ontology", "clusterkg.queries"],
    "clusterkg.ontology": ["clusterkg.model", "clusterkg.loaders", "clusterkg.graph", "clusterkg.cli",
                           "clusterkg.pipeline"],
    "clusterkg.loaders": ["clusterkg.graph", "clusterkg.cli", "clusterkg.pipeline", "clusterkg.synthetic"],
    "clusterkg.graph": ["clusterkg.loaders", "clusterkg.cli", "clusterkg.pipeline", "clusterkg.synthetic"],
    "clusterkg.synthetic": ["clusterkg.graph", "clusterkg.cli", "clusterkg.pipeline"],
}
# graph/analysis may use, of graph/, only the NetworkX projections.
ANALYSIS_ALLOWED_GRAPH = {"clusterkg.graph.network", "clusterkg.graph"}


def _violations() -> list[str]:
    found = []
    for module, targets in sorted(IMPORTS.items()):
        rules = [rule for layer, rule in FORBIDDEN.items() if module == layer or module.startswith(layer + ".")]
        for target in sorted(targets):
            for prefixes in rules:
                for prefix in prefixes:
                    if target == prefix or target.startswith(prefix + "."):
                        found.append(f"{module} imports {target}")
            if module.startswith("clusterkg.graph.analysis") and target.startswith("clusterkg.graph."):
                if not target.startswith("clusterkg.graph.analysis") and target not in ANALYSIS_ALLOWED_GRAPH:
                    found.append(f"{module} imports {target} (analysis may use only graph.network)")
    return found


def test_the_walk_sees_every_layer():
    # Guards the guard: a broken walk that finds nothing would pass every rule.
    layers = {_layer(m) for m in MODULES}
    assert {"clusterkg.model", "clusterkg.loaders", "clusterkg.graph", "clusterkg.graph.rdf",
            "clusterkg.graph.cypher", "clusterkg.graph.analysis", "clusterkg.graph.map", "clusterkg.cli"} <= layers
    assert "clusterkg.model.records" in IMPORTS["clusterkg.loaders.assemble"]


def test_layers_import_only_downwards():
    assert _violations() == []


def test_no_import_cycle_between_packages():
    graph = nx.DiGraph()
    for module, targets in IMPORTS.items():
        for target in targets:
            a, b = _layer(module), _layer(target)
            if a != b and not b.startswith(a + ".") and not a.startswith(b + "."):
                graph.add_edge(a, b, example=f"{module} -> {target}")
    cycles = list(nx.simple_cycles(graph))
    described = [" -> ".join(c) + " :: " + "; ".join(graph.edges[c[i], c[(i + 1) % len(c)]]["example"]
                                                      for i in range(len(c))) for c in cycles]
    assert described == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("clusterkg.synthetic.tables")))
def test_no_module_is_over_500_lines(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{MODULES[module].relative_to(ROOT)} has {lines} lines; split it by job"
