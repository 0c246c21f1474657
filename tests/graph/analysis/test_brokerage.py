"""Gould-Fernandez brokerage. Expected values come from R's sna::brokerage (sna 2.7-1,
Debian r-cran-sna), written by tests/fixtures/brokerage/make_expected.R; the folded
counts and the hand-made cases are worked out by hand in the comments."""

from __future__ import annotations

import csv
import itertools
import math
import pathlib

import networkx as nx
import numpy as np
import pytest
from clusterkg.graph.analysis.brokerage import (
    FOLDED_ROLES,
    ROLES,
    SNA_NAMES,
    gould_fernandez,
    gould_fernandez_folded,
)

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "brokerage"


def _read(name: str) -> list[dict]:
    with open(FIXTURES / name, newline="") as handle:
        return list(csv.DictReader(handle))


def _fixture_graph(name: str) -> tuple[nx.Graph, dict[str, str]]:
    graph = nx.DiGraph() if name == "directed" else nx.Graph()
    groups = {row["node"]: row["group"] for row in _read(f"{name}.groups.csv")}
    graph.add_nodes_from(groups)  # the vertex order of the R script
    graph.add_edges_from((row["from"], row["to"]) for row in _read(f"{name}.edges.csv"))
    return graph, groups


def _close(actual: float, expected: str) -> bool:
    want = float(expected)
    if math.isnan(want):
        return math.isnan(actual)
    return math.isclose(actual, want, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("name", ["directed", "undirected"])
def test_equals_sna_brokerage_per_node(name):
    graph, groups = _fixture_graph(name)
    result = gould_fernandez(graph, groups)
    parts = {"raw": result.raw, "exp": result.expected, "sd": result.sd, "z": result.z}
    checked = 0
    for row in _read(f"{name}.expected.nodes.csv"):
        assert result.group[row["node"]] == row["group"]
        for (part, frame), role in itertools.product(parts.items(), ROLES):
            value = frame.loc[row["node"], role]
            assert _close(value, row[f"{part}_{SNA_NAMES[role]}"]), (row["node"], part, role, value)
            checked += 1
    assert checked == len(groups) * 24


@pytest.mark.parametrize("name", ["directed", "undirected"])
def test_equals_sna_brokerage_for_graph_and_groups(name):
    graph, groups = _fixture_graph(name)
    result = gould_fernandez(graph, groups)
    for row in _read(f"{name}.expected.graph.csv"):
        role = {v: k for k, v in SNA_NAMES.items()}[row["role"]]
        for ours, theirs in (("raw", "raw"), ("expected", "exp"), ("sd", "sd"), ("z", "z")):
            assert _close(result.graph.loc[role, ours], row[theirs]), (role, ours)
    for row in _read(f"{name}.expected.groups.csv"):
        assert result.groups.loc[row["group"], "size"] == int(row["n"])
        for role in ROLES:
            assert _close(result.groups.loc[row["group"], f"expected_{role}"], row[f"exp_{SNA_NAMES[role]}"])
            assert _close(result.groups.loc[row["group"], f"sd_{role}"], row[f"sd_{SNA_NAMES[role]}"])


def _brute_force(graph: nx.DiGraph, groups: dict) -> dict:
    """sna's C loop, transcribed: every a -> v -> c with a != c and no a -> c."""
    counts = {v: dict.fromkeys(ROLES[:5], 0) for v in graph}
    for v in graph:
        for a in graph.predecessors(v):
            for c in graph.successors(v):
                if len({a, v, c}) < 3 or graph.has_edge(a, c):
                    continue
                ga, gv, gc = groups[a], groups[v], groups[c]
                role = ("coordinator" if ga == gv == gc else "representative" if ga == gv else
                        "gatekeeper" if gv == gc else "itinerant" if ga == gc else "liaison")
                counts[v][role] += 1
    return counts


@pytest.mark.parametrize("seed", range(4))
def test_counts_equal_the_plain_loop_on_random_digraphs(seed):
    # Denser graphs than the fixtures, so closed two-paths of every kind occur.
    graph = nx.gnp_random_graph(30, 0.25, seed=seed, directed=True)
    groups = {v: "ABCD"[v % 4] for v in graph}
    raw = gould_fernandez(graph, groups).raw
    for v, roles in _brute_force(graph, groups).items():
        assert {r: int(raw.loc[v, r]) for r in roles} == roles


def test_by_hand_undirected_star():
    # a(JP) - v(JP) - b(GB), v - c(DE), a - c tied. Open ordered pairs through v:
    # (a,b) representative, (b,a) gatekeeper, (b,c) and (c,b) liaison; (a,c) closed.
    graph = nx.Graph([("a", "v"), ("v", "b"), ("v", "c"), ("a", "c")])
    groups = {"a": "JP", "v": "JP", "b": "GB", "c": "DE"}
    raw = gould_fernandez(graph, groups).raw.loc["v"].astype(int).to_dict()
    assert raw == {"coordinator": 0, "itinerant": 0, "representative": 1, "gatekeeper": 1, "liaison": 2, "total": 4}


def test_folded_counts_are_half_of_sna_on_the_undirected_fixture():
    graph, groups = _fixture_graph("undirected")
    folded = gould_fernandez_folded(graph, groups, permutations=0).table
    rows = {row["node"]: row for row in _read("undirected.expected.nodes.csv")}
    for node, row in rows.items():
        assert folded.loc[node, "coordinator"] == float(row["raw_w_I"]) / 2
        assert folded.loc[node, "itinerant"] == float(row["raw_w_O"]) / 2
        assert folded.loc[node, "boundary_spanner"] == float(row["raw_b_IO"]) == float(row["raw_b_OI"])
        assert folded.loc[node, "liaison"] == float(row["raw_b_O"]) / 2
        assert folded.loc[node, "total"] == float(row["raw_t"]) / 2


def test_folded_permutation_null_is_seeded_and_reported():
    graph, groups = _fixture_graph("undirected")
    first = gould_fernandez_folded(graph, groups, permutations=200, seed=7)
    again = gould_fernandez_folded(graph, groups, permutations=200, seed=7)
    other = gould_fernandez_folded(graph, groups, permutations=200, seed=8)
    assert first.table.equals(again.table) and not first.table.equals(other.table)
    assert (first.permutations, first.seed) == (200, 7) and first.table.attrs["permutations"] == 200
    # Permuting labels never changes the total (it depends on the structure only): it has no null
    # distribution, so no expected value, sd, z or p (issue 17: total_z was NaN on every row).
    assert not {"total_expected", "total_sd", "total_z", "total_p"} & set(first.table.columns)
    assert first.graph.loc["total", "note"].startswith("the number of open pairs")
    # Counts first, then expected values, then sds, z-scores and p-values (issue 17, section 3).
    roles = [r for r in FOLDED_ROLES if r != "total"]
    assert list(first.table.columns) == ["group", *FOLDED_ROLES, *(f"{r}_{k}" for k in ("expected", "sd", "z", "p")
                                                                  for r in roles)]
    assert not np.isinf(first.table[[f"{r}_z" for r in roles]].to_numpy()).any()
    p = first.table[[f"{r}_p" for r in roles]].to_numpy()
    assert ((p >= 1 / 201) & (p <= 1)).all()
    assert first.graph.loc["total", "observed"] == first.table["total"].sum()


def test_folded_rejects_a_digraph():
    with pytest.raises(ValueError, match="undirected"):
        gould_fernandez_folded(nx.DiGraph([(1, 2)]), {1: "a", 2: "b"})


def test_default_group_is_the_country_attribute(sample_like):
    result = gould_fernandez(sample_like)
    assert set(result.group) == {"JP", "GB", "DE"}


@pytest.fixture
def sample_like():
    g = nx.Graph([("link-j", "kobe"), ("link-j", "medcity"), ("medcity", "bioM"), ("link-j", "bioM")])
    nx.set_node_attributes(g, {"link-j": "JP", "kobe": "JP", "medcity": "GB", "bioM": "DE"}, "country")
    return g
