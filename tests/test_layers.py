"""The layering rules of docs/architecture.md, read from every module's imports (AST).

Flow: loaders -> model -> graph (rdf | cypher | network) -> analysis -> map, driven
by clusterkg.pipeline and the CLI. Each rule names the packages a layer may not
import; imports inside functions count too (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
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
    return {t for t in targets if t in modules and t != name}


@pytest.fixture(scope="module")
def imports(project_modules) -> dict[str, set[str]]:
    return {name: _imports(name, path, project_modules) for name, path in project_modules.items()}


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


def _violations(imports: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(imports.items()):
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


def test_the_walk_sees_every_layer(imports):
    # Guards the guard: a broken walk that finds nothing would pass every rule.
    layers = {_layer(m) for m in imports}
    assert {"clusterkg.model", "clusterkg.loaders", "clusterkg.graph", "clusterkg.graph.rdf",
            "clusterkg.graph.cypher", "clusterkg.graph.analysis", "clusterkg.graph.map", "clusterkg.cli"} <= layers
    assert "clusterkg.model.records" in imports["clusterkg.loaders.assemble"]


def test_layers_import_only_downwards(imports):
    assert _violations(imports) == []


def test_no_import_cycle_between_packages(imports):
    graph = nx.DiGraph()
    for module, targets in imports.items():
        for target in targets:
            a, b = _layer(module), _layer(target)
            if a != b and not b.startswith(a + ".") and not a.startswith(b + "."):
                graph.add_edge(a, b, example=f"{module} -> {target}")
    cycles = list(nx.simple_cycles(graph))
    described = [" -> ".join(c) + " :: " + "; ".join(graph.edges[c[i], c[(i + 1) % len(c)]]["example"]
                                                      for i in range(len(c))) for c in cycles]
    assert described == []


def test_no_module_is_over_500_lines(project_module, project_modules, project_root):
    path = project_modules[project_module]
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{path.relative_to(project_root)} has {lines} lines; split it by job"
