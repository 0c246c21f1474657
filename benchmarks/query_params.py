"""Parameter sets for the library queries, drawn from a dataset so that the queries return rows.

Shared by benchmarks/cypher.py and benchmarks/sparql.py (the twins take the same parameters):
the same seed gives the same sets. Organisations are drawn among those with agreements; country
pairs from the parties of one agreement; a chain's ends by a walk of one to three agreements; a
common-partners pair as two partners of one organisation; programmes among those with agreements;
name texts as the start of a word of a name (found by a substring and a word-prefix search alike).
"""

from __future__ import annotations

import datetime as dt
import random


def parameter_sets(ds, rng: random.Random, n: int) -> dict[str, list[dict]]:
    """Parameters for each library query, ``n`` sets each, drawn from ``ds`` with ``rng``."""
    partners: dict[str, set[str]] = {}
    with_parties = []
    by_programme = set()
    for agreement in ds.agreements.values():
        ids = sorted({party.organization for party in agreement.parties})
        if agreement.programme:
            by_programme.add(agreement.programme)
        if len(ids) > 1:
            with_parties.append(ids)
        for org in ids:
            partners.setdefault(org, set()).update(x for x in ids if x != org)
    active = sorted(o for o, p in partners.items() if p)
    countries = sorted({ds.organizations[o].country for o in active})
    programmes = sorted(by_programme) or ["none"]
    neighbours = {o: sorted(p) for o, p in partners.items()}

    def org() -> str:
        return rng.choice(active)

    def country_pair() -> dict:
        ids = rng.choice(with_parties)
        a, b = rng.sample(ids, 2)
        return {"country_a": ds.organizations[a].country, "country_b": ds.organizations[b].country}

    def walk() -> dict:
        start = org()
        here = start
        for _ in range(rng.randint(1, 3)):
            here = rng.choice(neighbours[here])
        if here == start:
            here = rng.choice(neighbours[start])
        return {"org": start, "other": here}

    def common() -> dict:
        middle = rng.choice([o for o in (org() for _ in range(20)) if len(neighbours[o]) > 1] or [org()])
        if len(neighbours[middle]) < 2:
            return {"org": middle, "other": neighbours[middle][0]}
        a, b = rng.sample(neighbours[middle], 2)
        return {"org": a, "other": b}

    def day(year_from: int = 2010, year_to: int = 2024) -> dt.date:
        return dt.date(rng.randint(year_from, year_to), rng.randint(1, 12), rng.randint(1, 28))

    def month() -> str:
        return f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}"

    def expiring() -> dict:
        today = day(2014, 2026)
        return {"today": today.isoformat(), "until": (today + dt.timedelta(days=30)).isoformat()}

    def name_part() -> dict:
        words = [w for w in ds.organizations[org()].name.split() if len(w) >= 4] or ["bio"]
        return {"text": rng.choice(words)[:5]}

    makers = {
        "partners": lambda: {"org": org()},
        "agreements_between_countries": country_pair,
        "shortest_chain": walk,
        "brokers_between_countries": country_pair,
        "timeline": lambda: {"org": org()},
        "agreements_in_period": lambda: (lambda m: {"since": m, "until": m})(month()),
        "expiring_soon": expiring,
        "common_partners": common,
        "inactive_since": lambda: {"since": f"{rng.randint(2011, 2024)}"},
        "agreements_by_programme": lambda: {"programme": rng.choice(programmes)},
        "most_connected": lambda: {"country": rng.choice(countries)},
        "find_organization": name_part,
    }
    return {name: [make() for _ in range(n)] for name, make in makers.items()}


def dataset(path):
    """The dataset of a generated folder or file (CSV or JSONL), read and resolved."""
    from clusterkg.loaders.assemble import load_dataset

    ds = load_dataset([path])
    assert ds.valid, ds.problems[:3]
    return ds
