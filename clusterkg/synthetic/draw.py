"""Weighted random draws shared by the place, organisation and agreement makers."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence


class Weighted:
    """Draws from ``items`` in proportion to ``weights`` (one ``rng.random()`` a draw).

    Examples
    --------
    >>> pick = Weighted(["a", "b"], [1.0, 3.0])
    >>> sorted({pick(random.Random(seed)) for seed in range(20)})
    ['a', 'b']
    """

    def __init__(self, items: Sequence, weights: Sequence[float]):
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def zipf_index(rng: random.Random, n: int, skew: float = 2.0) -> int:
    """An index below n, low ones far more often (the busiest region, the biggest town).

    Examples
    --------
    >>> rng = random.Random(0)
    >>> all(0 <= zipf_index(rng, 5) < 5 for _ in range(100))
    True
    """
    return min(n - 1, int(n * rng.random() ** skew))
