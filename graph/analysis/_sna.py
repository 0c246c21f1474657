"""The expected values and variances of ``sna::brokerage`` (Gould and Fernandez 1989), term for term.

Kept apart from :mod:`.brokerage` (which uses them) so that module stays readable.
"""

from __future__ import annotations

import numpy as np


def _choose2(x: np.ndarray | float) -> np.ndarray | float:
    return x * (x - 1) / 2


def _sna_expectations(
    n_groups: np.ndarray, N: float, m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Expected values and variances per group (ebr, vbr) and for the graph (egbr, vgbr).

    The formulas of ``sna::brokerage``, term for term, so that the floating-point
    results agree with R's to far better than 1e-9.
    """
    n = n_groups.astype(float)
    N = float(N)
    d = m / (N * (N - 1)) if N > 1 else float("nan")  # R gives NaN for 0/0
    p = d**2 * (1 - d)
    q3 = d**3 * (1 - d) ** 3
    q4 = d**4 * (1 - d) ** 2
    q5 = d**5 * (1 - d)
    G = len(n)
    ebr = np.zeros((G, 6))
    vbr = np.zeros((G, 6))
    for i in range(G):
        others = np.delete(n, i)
        ni = n[i]
        ebr[i, 0] = p * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * q3
        ebr[i, 1] = p * np.sum(others * (others - 1))
        vbr[i, 1] = ebr[i, 1] * (1 - p) + 2 * np.sum(others * (others - 1) * (others - 2)) * q3
        ebr[i, 2] = p * (N - ni) * (ni - 1)
        vbr[i, 2] = ebr[i, 2] * (1 - p) + 2 * ((ni - 1) * _choose2(N - ni) + (N - ni) * _choose2(ni - 1)) * q3
        ebr[i, 3] = ebr[i, 2]
        vbr[i, 3] = vbr[i, 2]
        ebr[i, 4] = p * (np.sum(np.outer(others, others)) - np.sum(others**2))
        vbr[i, 4] = ebr[i, 4] * (1 - p) + 4 * np.sum(others * _choose2(N - others - ni) * q3)
        ebr[i, 5] = p * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - p) + 2 * (N - 1) * (N - 2) * (N - 3) * q3
    egbr = np.zeros(6)
    vgbr = np.zeros(6)
    egbr[0] = p * np.sum(n * (n - 1) * (n - 2))
    vgbr[0] = egbr[0] * (1 - p) + np.sum(
        n * (n - 1) * (n - 2) * (((4 * n - 10) * q3) - (4 * (n - 3) * q4) + ((n - 3) * q5)))
    egbr[1] = p * np.sum(n * (N - n) * (n - 1))
    x, y = np.meshgrid(n, n, indexing="ij")
    vgbr[1] = egbr[1] * (1 - p) + (
        np.sum(x * y * (x - 1) * (((2 * x + 2 * y - 6) * q3) + ((N - x - 1) * q5)))
        - np.sum(n * n * (n - 1) * (((4 * n - 6) * q3) + ((N - n - 1) * q5))))
    egbr[2] = p * np.sum(n * (N - n) * (n - 1))
    vgbr[2] = egbr[2] * (1 - p) + np.sum(n * (N - n) * (n - 1) * (((N - 3) * q3) + ((n - 2) * q5)))
    egbr[3] = egbr[2]
    vgbr[3] = vgbr[2]
    egbr[4] = p * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    vgbr[4] = egbr[4] * (1 - p)
    # sna loops over ordered triples of distinct groups; the same sum, vectorised.
    a, b, c = np.meshgrid(n, n, n, indexing="ij")
    idx = np.arange(G)
    ia, ib, ic = np.meshgrid(idx, idx, idx, indexing="ij")
    distinct = (ia != ib) & (ib != ic) & (ia != ic)
    terms = a * b * c * ((4 * (N - b) - 2 * (a + c + 1)) * q3
                         - (4 * (N - c) - 2 * (a + b + 1)) * q4
                         + (N - (a + c + 1)) * q5)
    vgbr[4] = vgbr[4] + np.sum(terms[distinct])
    egbr[5] = p * N * (N - 1) * (N - 2)
    vgbr[5] = egbr[5] * (1 - p) + N * (N - 1) * (N - 2) * (((4 * N - 10) * q3) - (4 * (N - 3) * q4) + ((N - 3) * q5))
    return ebr, vbr, egbr, vgbr
