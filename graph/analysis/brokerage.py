"""Gould and Fernandez brokerage roles between groups (countries, regions, kinds).

An organisation *v* brokers for *a* and *c* when there is a two-path
a -> v -> c and no direct tie a -> c. The groups of a, v and c name the role
(Gould and Fernandez 1989), with A and B for different groups:

================  =========  =================================================
role              pattern    reading for agreements between countries
================  =========  =================================================
coordinator       A -> A -> A  links two partners of its own country
itinerant         B -> A -> B  a foreigner between two partners of one country
representative    A -> A -> B  carries its own country's ties out (A->A->B)
gatekeeper        A -> B -> B  lets a foreign partner in to its country
liaison           A -> B -> C  links two other countries, each different
================  =========  =================================================

:func:`gould_fernandez` counts exactly what R's ``sna::brokerage`` counts
(Butts, sna's ``brokerage_R`` C routine): every ordered two-path with the
closing arc absent, an undirected graph read as the symmetric digraph, so an
open pair {a, c} of an undirected graph is counted twice (once each way; its
representative and gatekeeper readings are the same pair). Expected values,
standard deviations and z-scores are sna's, which follow Gould and Fernandez's
formulas for a random graph of the same density and group sizes.

Agreement ties have no direction, so :func:`gould_fernandez_folded` also
reports each open pair once, with representative and gatekeeper merged into
one *boundary spanner* role, and tests the counts against a seeded permutation
of the group labels (the same graph, the same group sizes, labels shuffled).

The counting is done on arrays (open pairs from per-group neighbour counts,
minus the closed pairs found by listing triangles once), so it stays fast on
100,000 organisations; its results are checked against sna to 1e-9 in the tests.

References
----------
.. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of Mediation: A
   Formal Approach to Brokerage in Transaction Networks. *Sociological
   Methodology* 19, 89-126.
.. [2] Butts, C. T. sna: Tools for Social Network Analysis, R package,
   ``brokerage()``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from clusterkg.graph.analysis._arrays import Arrays, member, to_arrays, triangles
from clusterkg.graph.analysis._sna import _choose2, _sna_expectations

__all__ = [
    "FOLDED_ROLES",
    "ROLES",
    "SNA_NAMES",
    "FoldedBrokerage",
    "GouldFernandez",
    "group_labels",
    "gould_fernandez",
    "gould_fernandez_folded",
]

#: Role names, in sna's column order (w_I, w_O, b_IO, b_OI, b_O, t).
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
#: sna's own names for the same columns.
SNA_NAMES = dict(zip(ROLES, ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t")))
#: Roles of the folded (undirected) form.
FOLDED_ROLES = ("coordinator", "itinerant", "boundary_spanner", "liaison", "total")

#: Label of organisations that have no value for the group attribute (e.g. no region).
UNKNOWN = "(unknown)"

#: Why a z-score can be undefined (NaN in a DataFrame, "undefined" in a printed table).
UNDEFINED_Z = ("a z-score is undefined where the count cannot vary under the null model (standard deviation 0): "
               "an organisation with fewer than two partners brokers nothing whatever the groups, a group of one "
               "has no coordinator pairs, and the folded total depends on the ties only, never on the groups")

Groups = str | Mapping[Hashable, Hashable] | Callable[[Hashable], Hashable]


def group_labels(graph: nx.Graph, groups: Groups = "country") -> dict[Hashable, str]:
    """Each node's group: a node attribute name, ``"continent"`` or ``"world-region"`` (of the
    node's country, :mod:`.groups`), a mapping, or a function of the node.

    A node with no value (None, missing) falls into the group ``"(unknown)"``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", country="JP"); g.add_node("b")
    >>> group_labels(g)
    {'a': 'JP', 'b': '(unknown)'}
    """
    if isinstance(groups, str) and groups in ("continent", "world-region"):
        from clusterkg.graph.analysis.groups import node_groups

        return node_groups(graph, groups)
    if isinstance(groups, str):
        values = {n: graph.nodes[n].get(groups) for n in graph}
    elif callable(groups):
        values = {n: groups(n) for n in graph}
    else:
        values = {n: groups.get(n) for n in graph}
    return {n: UNKNOWN if v is None else str(v) for n, v in values.items()}


def _codes(graph: nx.Graph, groups: Groups) -> tuple[np.ndarray, list[str], dict[Hashable, str]]:
    """Group of each node as an integer, groups numbered by first appearance (as sna's ``unique``)."""
    labels = group_labels(graph, groups)
    order: dict[str, int] = {}
    codes = np.array([order.setdefault(labels[n], len(order)) for n in graph], dtype=np.int64)
    return codes, list(order), labels


# -- counting -------------------------------------------------------------------


def _per_group(rows: np.ndarray, cols: np.ndarray, n: int, k: int) -> sp.csr_matrix:
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, k))


def _open_counts(arrays: Arrays, cl: np.ndarray, k: int) -> np.ndarray:
    """n x 5 counts of ordered two-paths i -> j -> k (i != k) through each j, by role,
    before removing the closed ones: from how many in- and out-neighbours each
    node has in each group."""
    n = arrays.n
    tail, head = arrays.arcs()
    keys = arrays.arc_keys()
    reciprocal = member(head * n + tail, keys)
    a = _per_group(head, cl[tail], n, k)            # a[j, h]: in-neighbours of j in group h
    b = _per_group(tail, cl[head], n, k)            # b[j, h]: out-neighbours of j in group h
    s = _per_group(tail[reciprocal], cl[head[reciprocal]], n, k)  # both ways: i -> j -> i is no two-path
    rows = np.arange(n)
    a_own = np.asarray(a[rows, cl]).ravel()
    b_own = np.asarray(b[rows, cl]).ravel()
    s_own = np.asarray(s[rows, cl]).ravel()
    a_all = np.asarray(a.sum(axis=1)).ravel()
    b_all = np.asarray(b.sum(axis=1)).ravel()
    ab_all = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    s_all = np.asarray(s.sum(axis=1)).ravel()
    out = np.empty((n, 5))
    out[:, 0] = a_own * b_own - s_own                                  # coordinator
    out[:, 1] = (ab_all - a_own * b_own) - (s_all - s_own)             # itinerant
    out[:, 2] = a_own * (b_all - b_own)                                # representative
    out[:, 3] = (a_all - a_own) * b_own                                # gatekeeper
    out[:, 4] = (a_all - a_own) * (b_all - b_own) - (ab_all - a_own * b_own)  # liaison
    return out


def _role_index(ci: np.ndarray, cj: np.ndarray, ck: np.ndarray) -> np.ndarray:
    """Role column (0..4, in :data:`ROLES` order) of two-paths i -> j -> k, as sna's C code decides."""
    same_ij, same_jk, same_ik = ci == cj, cj == ck, ci == ck
    return np.select(
        [same_ij & same_jk, same_ij, same_jk, same_ik],
        [0, 2, 3, 1],
        default=4,
    )


def _closed_counts(arrays: Arrays, cl: np.ndarray) -> np.ndarray:
    """n x 5 counts of the two-paths i -> j -> k whose closing arc i -> k exists."""
    n = arrays.n
    keys = arrays.arc_keys()
    out = np.zeros((n, 5))
    for u, v, w in triangles(arrays):
        for i, j, k in ((u, v, w), (w, v, u), (v, u, w), (w, u, v), (u, w, v), (v, w, u)):
            closed = slice(None)
            if arrays.directed:
                closed = member(i * n + j, keys) & member(j * n + k, keys) & member(i * n + k, keys)
            jj = j[closed]
            role = _role_index(cl[i[closed]], cl[jj], cl[k[closed]])
            np.add.at(out, (jj, role), 1)
    return out


def _raw_counts(arrays: Arrays, cl: np.ndarray, k: int) -> np.ndarray:
    if arrays.n == 0:
        return np.zeros((0, 6))
    counts = _open_counts(arrays, cl, k) - _closed_counts(arrays, cl) + 0.0  # no -0.0
    return np.column_stack([counts, counts.sum(axis=1)])


def _sqrt(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.sqrt(x)  # a negative variance gives NaN, as in R


def _finite(z: np.ndarray) -> np.ndarray:
    """Undefined z-scores (0/0, x/0) as NaN: never an infinity (see :data:`UNDEFINED_Z`)."""
    return np.where(np.isfinite(z), z, np.nan)


def _divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return a / b  # 0/0 is NaN and x/0 is +-inf, as in R


@dataclass
class GouldFernandez:
    """Gould-Fernandez brokerage as ``sna::brokerage`` reports it.

    Attributes
    ----------
    raw, expected, sd, z : pandas.DataFrame
        One row per node (index: node id), one column per role in :data:`ROLES`
        (sna's ``raw.nli``, ``exp.nli``, ``sd.nli``, ``z.nli``).
    graph : pandas.DataFrame
        One row per role: ``raw``, ``expected``, ``sd``, ``z`` for the whole
        graph (sna's ``raw.gli``, ``exp.gli``, ``sd.gli``, ``z.gli``).
    groups : pandas.DataFrame
        Per group: its ``size`` and the expected value and sd of each role for
        a member (sna's ``n``, ``exp.grp``, ``sd.grp``), groups in order of
        first appearance.
    group : pandas.Series
        Each node's group.
    """

    raw: pd.DataFrame
    expected: pd.DataFrame
    sd: pd.DataFrame
    z: pd.DataFrame
    graph: pd.DataFrame
    groups: pd.DataFrame
    group: pd.Series
    attrs: dict = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """One row per node: its group, each role's count, then each role's expected value
        (``expected_<role>``), then each role's z-score (``z_<role>``; NaN where undefined, see
        :data:`UNDEFINED_Z`)."""
        out = pd.concat([self.group, self.raw, self.expected.add_prefix("expected_"), self.z.add_prefix("z_")],
                        axis=1)
        out.index.name = "node"
        out.attrs["notes"] = [UNDEFINED_Z]
        return out


def gould_fernandez(graph: nx.Graph, groups: Groups = "country") -> GouldFernandez:
    """Gould-Fernandez brokerage roles, equal to R's ``sna::brokerage(graph, groups)``.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Undirected graphs are read as symmetric digraphs (each open pair counts
        twice, as in sna). Weights and self-loops are ignored.
    groups : str, mapping or callable, default "country"
        Node attribute, ``{node: group}`` or ``f(node) -> group``.

    Returns
    -------
    GouldFernandez
        Raw counts, expected values, standard deviations and z-scores per node
        and for the graph.

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of Mediation.
       *Sociological Methodology* 19, 89-126.
    .. [2] Butts, C. T., R package sna, ``brokerage``.

    Examples
    --------
    A Japanese cluster between a Japanese and a British partner who have no
    agreement with each other is a representative one way and a gatekeeper
    the other way:

    >>> g = nx.Graph([("kobe", "link-j"), ("link-j", "medcity")])
    >>> nx.set_node_attributes(g, {"kobe": "JP", "link-j": "JP", "medcity": "GB"}, "country")
    >>> gf = gould_fernandez(g)
    >>> gf.raw.loc["link-j"].astype(int).to_dict()
    {'coordinator': 0, 'itinerant': 0, 'representative': 1, 'gatekeeper': 1, 'liaison': 0, 'total': 2}
    """
    arrays = to_arrays(graph)
    cl, names, labels = _codes(graph, groups)
    k = len(names)
    raw = _raw_counts(arrays, cl, k)
    n_groups = np.bincount(cl, minlength=k).astype(float)
    m = len(arrays.indices)
    ebr, vbr, egbr, vgbr = _sna_expectations(n_groups, arrays.n, m)
    exp = ebr[cl]
    sd = _sqrt(vbr[cl])
    index = pd.Index(arrays.nodes, name="node")
    frame = lambda values: pd.DataFrame(values, index=index, columns=list(ROLES))  # noqa: E731
    graph_raw = raw.sum(axis=0)
    graph_sd = _sqrt(vgbr)
    group_table = pd.DataFrame({"size": n_groups.astype(int)}, index=pd.Index(names, name="group"))
    for c, role in enumerate(ROLES):
        group_table[f"expected_{role}"] = ebr[:, c]
    for c, role in enumerate(ROLES):
        group_table[f"sd_{role}"] = _sqrt(vbr[:, c])
    return GouldFernandez(
        raw=frame(raw),
        expected=frame(exp),
        sd=frame(sd),
        z=frame(_divide(raw - exp, sd)),
        graph=pd.DataFrame(
            {"raw": graph_raw, "expected": egbr, "sd": graph_sd, "z": _divide(graph_raw - egbr, graph_sd)},
            index=pd.Index(ROLES, name="role"),
        ),
        groups=group_table,
        group=pd.Series([labels[n] for n in arrays.nodes], index=index, name="group"),
        attrs={"density": m / (arrays.n * (arrays.n - 1)) if arrays.n > 1 else float("nan")},
    )


# -- folded form ------------------------------------------------------------------


class _FoldedCounter:
    """Counts of the folded roles for any labelling of one fixed undirected graph.

    The structure (arcs and triangles) is read once; each labelling then costs
    one pass over the arcs and the triangles, which is what makes a permutation
    test affordable.
    """

    def __init__(self, arrays: Arrays):
        self.n = arrays.n
        self.tail, self.head = arrays.arcs()
        self.degree = arrays.out_degree().astype(float)
        blocks = list(triangles(arrays))
        if blocks:
            self.tri = [np.concatenate(parts) for parts in zip(*blocks)]
        else:
            self.tri = [np.zeros(0, dtype=np.int64)] * 3

    def counts(self, cl: np.ndarray, k: int) -> np.ndarray:
        n = self.n
        if n == 0:
            return np.zeros((0, 5))
        per = _per_group(self.tail, cl[self.head], n, k)  # neighbours of each node per group
        own = np.asarray(per[np.arange(n), cl]).ravel()
        pairs_same_group = (np.asarray(per.multiply(per).sum(axis=1)).ravel() - self.degree) / 2
        other = self.degree - own
        out = np.empty((n, 4))
        out[:, 0] = _choose2(own)
        out[:, 1] = pairs_same_group - _choose2(own)
        out[:, 2] = own * other
        out[:, 3] = _choose2(other) - out[:, 1]
        u, v, w = self.tri
        for j, i, k_ in ((u, v, w), (v, u, w), (w, u, v)):
            same_i, same_k, same_ik = cl[i] == cl[j], cl[k_] == cl[j], cl[i] == cl[k_]
            role = np.select([same_i & same_k, same_i | same_k, same_ik], [0, 2, 1], default=3)
            np.add.at(out, (j, role), -1)
        out += 0.0  # C(0, 2) is -0.0 in floating point; print it as 0
        return np.column_stack([out, out.sum(axis=1)])


@dataclass
class FoldedBrokerage:
    """Folded Gould-Fernandez roles with a permutation test.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per node: ``group``; the count of each role in
        :data:`FOLDED_ROLES`; then, for each role but the total and when there
        were permutations, ``<role>_expected`` (mean over the permutations),
        ``<role>_sd``, ``<role>_z`` (NaN where undefined: :data:`UNDEFINED_Z`)
        and ``<role>_p`` (share of permutations, counting the observed
        labelling, with a count at least as high: ``(1 + #{perm >= observed})
        / (1 + permutations)``). The total is the number of open pairs around
        the organisation, fixed by the ties: it has no expected value.
    graph : pandas.DataFrame
        The same for the graph's totals, one row per role, with a ``note``
        where a value is missing.
    permutations, seed : int
        How the null was drawn, so a result can be repeated.
    """

    table: pd.DataFrame
    graph: pd.DataFrame
    permutations: int
    seed: int | None


def gould_fernandez_folded(
    graph: nx.Graph, groups: Groups = "country", *, permutations: int = 1000, seed: int | None = 0,
    progress: Callable[[int], None] | None = None,
) -> FoldedBrokerage:
    """Brokerage roles of an undirected graph, each open pair counted once.

    For a node v and two of its partners a, c with no tie between them: both
    in v's group -> coordinator; both in one other group -> itinerant; one in
    v's group and one not -> boundary spanner (sna's representative and
    gatekeeper, which are the two directions of the same pair); in two other,
    different groups -> liaison. The counts are half of sna's (boundary spanner
    = sna's representative = sna's gatekeeper on a symmetric graph).

    The null model keeps the graph and the group sizes and shuffles the group
    labels over the nodes, ``permutations`` times with a NumPy generator seeded
    by ``seed``.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected; weights are ignored.
    groups : str, mapping or callable, default "country"
        As in :func:`gould_fernandez`.
    permutations : int, default 1000
        Number of label permutations (0 for counts only).
    seed : int or None, default 0
        Seed of the permutations.
    progress : callable, optional
        Called with 1 after each permutation (a progress bar's ``update``).

    Returns
    -------
    FoldedBrokerage

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of Mediation.
       *Sociological Methodology* 19, 89-126.

    Examples
    --------
    >>> g = nx.Graph([("kobe", "link-j"), ("link-j", "medcity"), ("medcity", "boston")])
    >>> nx.set_node_attributes(g, {"kobe": "JP", "link-j": "JP", "medcity": "GB", "boston": "US"}, "country")
    >>> folded = gould_fernandez_folded(g, permutations=99, seed=1)
    >>> folded.table.loc["link-j", ["boundary_spanner", "liaison"]].astype(int).to_dict()
    {'boundary_spanner': 1, 'liaison': 0}
    >>> folded.table.loc["medcity", ["boundary_spanner", "liaison"]].astype(int).to_dict()
    {'boundary_spanner': 0, 'liaison': 1}
    >>> folded.permutations, folded.seed
    (99, 1)
    """
    if graph.is_directed():
        raise ValueError("gould_fernandez_folded needs an undirected graph; use gould_fernandez for a digraph")
    arrays = to_arrays(graph)
    cl, names, labels = _codes(graph, groups)
    k = len(names)
    counter = _FoldedCounter(arrays)
    observed = counter.counts(cl, k)
    total_sum = np.zeros_like(observed)
    total_sq = np.zeros_like(observed)
    at_least = np.zeros_like(observed)
    graph_obs = observed.sum(axis=0)
    graph_draws = np.zeros((permutations, observed.shape[1]))
    rng = np.random.default_rng(seed)
    for p in range(permutations):
        draw = counter.counts(rng.permutation(cl), k)
        total_sum += draw
        total_sq += draw**2
        at_least += draw >= observed
        graph_draws[p] = draw.sum(axis=0)
        if progress is not None:
            progress(1)
    index = pd.Index(arrays.nodes, name="node")
    table = pd.DataFrame({"group": [labels[n] for n in arrays.nodes]}, index=index)
    for c, role in enumerate(FOLDED_ROLES):
        table[role] = observed[:, c].round().astype(np.int64)
    graph_rows = []
    tested = [(c, role) for c, role in enumerate(FOLDED_ROLES) if role != "total"]  # the total has no null
    blocks: dict[str, dict[str, np.ndarray]] = {"expected": {}, "sd": {}, "z": {}, "p": {}}
    for c, role in enumerate(FOLDED_ROLES):
        if permutations and role != "total":
            mean = total_sum[:, c] / permutations
            sd = _sqrt(np.maximum(total_sq[:, c] / permutations - mean**2, 0) * permutations / max(permutations - 1, 1))
            blocks["expected"][role] = mean
            blocks["sd"][role] = sd
            blocks["z"][role] = _finite(_divide(observed[:, c] - mean, sd))
            blocks["p"][role] = (1 + at_least[:, c]) / (1 + permutations)
            g_mean = graph_draws[:, c].mean()
            g_sd = graph_draws[:, c].std(ddof=1) if permutations > 1 else float("nan")
            g_p = (1 + np.sum(graph_draws[:, c] >= graph_obs[c])) / (1 + permutations)
            note = ""
        else:
            g_mean = g_sd = g_p = float("nan")
            note = ("the number of open pairs: it depends on the ties only, not on the groups, so it has no "
                    "expected value" if role == "total" else "no permutations: counts only")
        graph_rows.append({"role": role, "observed": graph_obs[c], "expected": g_mean, "sd": g_sd,
                           "z": float(_finite(np.array([_divide(graph_obs[c] - g_mean, g_sd)]))[0]), "p": g_p,
                           "note": note})
    # Counts first, then every role's expected value, sd, z-score and p-value.
    for kind, values in blocks.items():
        for _, role in tested:
            if role in values:
                table[f"{role}_{kind}"] = values[role]
    graph_table = pd.DataFrame(graph_rows).set_index("role")
    table.attrs.update(permutations=permutations, seed=seed, notes=[UNDEFINED_Z])
    graph_table.attrs.update(permutations=permutations, seed=seed)
    return FoldedBrokerage(table=table, graph=graph_table, permutations=permutations, seed=seed)
