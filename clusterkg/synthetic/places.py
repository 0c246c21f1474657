"""Where organisations are: the countries and regions of tables.json, and made-up towns in them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from clusterkg.synthetic.draw import Weighted, zipf_index
from clusterkg.synthetic.tables import COUNTRIES, TABLES, Country

_TOWNS = TABLES["towns"]


@dataclass
class Place:
    """A region of a country, with the towns named in it so far."""

    country: Country
    region: str  # ISO 3166-2 code
    region_name: str
    weight: float
    towns: list[str] = field(default_factory=list)
    cluster: str | None = None  # id of the region's first cluster


class Places:
    """Every region of :data:`~clusterkg.synthetic.tables.COUNTRIES`, weighted by its country's
    share and falling with its rank in the country; towns are made up as they are needed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.all = [
            Place(country, code, name, country.weight / (rank + 1) ** 0.8)
            for country in COUNTRIES
            for rank, (code, name) in enumerate(country.regions)
        ]
        self._draw = Weighted(self.all, [p.weight for p in self.all])
        self.towns: set[str] = set()  # every town name given out, in any place

    def draw(self) -> Place:
        """A place, drawn by weight."""
        return self._draw(self.rng)

    def busiest_first(self) -> list[Place]:
        return sorted(self.all, key=lambda p: -p.weight)

    def town(self, place: Place, new: bool = False) -> str:
        """A town of ``place``: mostly one it has (the first ones more often), else a new name."""
        rng, towns = self.rng, place.towns
        if towns and not new and rng.random() >= 0.5 / (1 + len(towns) / 16):
            return towns[zipf_index(rng, len(towns))]
        for _ in range(50):
            parts = [rng.choice(_TOWNS["start"])]
            if rng.random() < 0.6:
                parts.append(rng.choice(_TOWNS["middle"]))
            parts.append(rng.choice(_TOWNS["end"]))
            name = "".join(parts)
            if name not in self.towns:
                self.towns.add(name)
                towns.append(name)
                return name
        return rng.choice(towns) if towns else name
