"""Burt's measures. Constraint and effective size are checked against networkx;
hierarchy and effective size also against hand calculations written out below."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from clusterkg.graph.analysis.structural_holes import (
    constraint,
    effective_size,
    efficiency,
    hierarchy,
    structural_holes,
)


@pytest.fixture
def kite():
    # a has partners b, c, d; b and c are tied (one triangle a-b-c).
    return nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")])


def test_effective_size_and_efficiency_by_hand(kite):
    # Borgatti: n - 2t/n. a: 3 - 2*1/3 = 7/3; b: 2 - 2*1/2 = 1; d: 1 - 0 = 1.
    size = effective_size(kite)
    assert size["a"] == pytest.approx(7 / 3) and size["b"] == pytest.approx(1) and size["d"] == 1
    assert efficiency(kite)["a"] == pytest.approx(7 / 9)


def test_constraint_and_hierarchy_by_hand(kite):
    # p_a. = 1/3 each; p_bc = p_cb = 1/2.
    # c_ab = c_ac = (1/3 + 1/3 * 1/2)^2 = 1/4; c_ad = 1/9; C_a = 1/2 + 1/9 = 11/18.
    c = constraint(kite, weight=None)
    assert c["a"] == pytest.approx(11 / 18)
    # Hierarchy: r_j = c_aj / (C_a / 3) = 27/22, 27/22, 6/11;
    # H = sum r ln r / (3 ln 3).
    r = [27 / 22, 27 / 22, 6 / 11]
    expected = sum(x * math.log(x) for x in r) / (3 * math.log(3))
    assert hierarchy(kite, weight=None)["a"] == pytest.approx(expected)
    assert expected == pytest.approx(0.052205, abs=1e-6)


def test_weighted_constraint_by_hand():
    # a-b weight 3, a-c weight 1, no other tie: p_ab = 3/4, p_ac = 1/4, C_a = 9/16 + 1/16 = 10/16.
    g = nx.Graph()
    g.add_edge("a", "b", weight=3)
    g.add_edge("a", "c", weight=1)
    assert constraint(g)["a"] == pytest.approx(10 / 16)
    # r = (9/16)/(10/32) = 9/5 and (1/16)/(10/32) = 1/5; H = (9/5 ln 9/5 + 1/5 ln 1/5) / (2 ln 2).
    h = (9 / 5 * math.log(9 / 5) + 1 / 5 * math.log(1 / 5)) / (2 * math.log(2))
    assert hierarchy(g)["a"] == pytest.approx(h)
    # A single partner constrains completely, and there is nothing to rank.
    assert constraint(g)["b"] == 1 and math.isnan(hierarchy(g)["b"])


def test_hierarchy_is_zero_when_partners_constrain_equally():
    assert hierarchy(nx.cycle_graph(5))[0] == pytest.approx(0)


@pytest.mark.parametrize("seed", range(3))
def test_equal_networkx_on_random_weighted_graphs(seed):
    g = nx.gnm_random_graph(60, 240, seed=seed)
    for i, (u, v) in enumerate(g.edges()):
        g.edges[u, v]["weight"] = 1 + (i * 7 + seed) % 4
    g.add_node("isolate")
    ours = structural_holes(g)
    theirs_c = nx.constraint(g, weight="weight")
    theirs_e = nx.effective_size(g)
    for node in g:
        for ours_value, theirs_value in ((ours.loc[node, "constraint"], theirs_c[node]),
                                         (ours.loc[node, "effective_size"], theirs_e[node])):
            if math.isnan(theirs_value):
                assert math.isnan(ours_value)
            else:
                assert ours_value == pytest.approx(theirs_value, rel=1e-12)
    assert constraint(g, weight=None).to_dict() == pytest.approx(nx.constraint(g), nan_ok=True)


def test_isolates_are_nan_and_digraphs_refused():
    g = nx.Graph()
    g.add_node("x")
    row = structural_holes(g).loc["x"]
    assert row["degree"] == 0 and all(math.isnan(row[c]) for c in ("effective_size", "constraint", "hierarchy"))
    with pytest.raises(ValueError, match="undirected"):
        constraint(nx.DiGraph([(1, 2)]))
