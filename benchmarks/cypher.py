"""Time the property graph on generated data: the load into embedded FalkorDB and every library query.

Targets (issue 4), on 100,000 organisations and 300,000 agreements: the load
into embedded FalkorDB within 30 s; each library query's median within 20 ms
and 95th percentile within 100 ms. The baseline, measured in the same run on
the same server, is the round trip of ``RETURN 1``; every query's median is
also given as a multiple of it.

Each query runs ``--runs`` times, cycling through parameter sets drawn from the
data with a fixed seed (organisations that have agreements, country pairs,
one-month periods...), after a few warm-up runs; timings are wall-clock times
of the whole call from Python (parameters sent, rows parsed).

    .venv/bin/python benchmarks/cypher.py [--orgs 100000] [--agreements 300000] [--runs 60] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _ms(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def parameter_sets(ds, rng: random.Random, n: int) -> dict[str, list[dict]]:
    """Parameters for each query, drawn from the data (the same seed, the same sets)."""
    parties: dict[str, int] = {}
    for agreement in ds.agreements.values():
        for party in agreement.parties:
            parties[party.organization] = parties.get(party.organization, 0) + 1
    active = sorted(parties)
    countries = sorted({ds.organizations[o].country for o in active})
    programmes = sorted(ds.programmes) or ["none"]

    def org() -> str:
        return rng.choice(active)

    def day(year_from: int = 2010, year_to: int = 2024) -> str:
        return f"{rng.randint(year_from, year_to)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def month() -> str:
        return f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}"

    def name_part() -> str:
        name = ds.organizations[org()].name
        start = rng.randrange(max(1, len(name) - 6))
        return name[start:start + 6]

    makers = {
        "partners": lambda: {"org": org()},
        "agreements_between_countries": lambda: {"country_a": rng.choice(countries), "country_b": rng.choice(countries)},
        "shortest_chain": lambda: {"org": org(), "other": org()},
        "brokers_between_countries": lambda: {"country_a": rng.choice(countries), "country_b": rng.choice(countries)},
        "timeline": lambda: {"org": org()},
        "agreements_in_period": lambda: (lambda m: {"since": m, "until": m})(month()),
        "expiring_soon": lambda: {"today": day(2012, 2026), "days": 30},
        "common_partners": lambda: {"org": org(), "other": org()},
        "inactive_since": lambda: {"since": f"{rng.randint(2011, 2024)}"},
        "agreements_by_programme": lambda: {"programme": rng.choice(programmes)},
        "most_connected": lambda: {"country": rng.choice(countries), "limit": 10},
        "find_organization": lambda: {"text": name_part()},
    }
    return {name: [make() for _ in range(n)] for name, make in makers.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60, help="Timed runs per query.")
    parser.add_argument("--data", type=Path, help="Folder of generated CSV files to reuse (written when missing).")
    parser.add_argument("--timeout", type=float, default=5.0, help="Seconds after which the server stops a query.")
    args = parser.parse_args()

    from clusterkg.graph.cypher.falkor import open_embedded
    from clusterkg.graph.cypher.load import load
    from clusterkg.graph.cypher.schema import graph_rows
    from clusterkg.graph.queries import library
    from clusterkg.loaders.assemble import load_dataset
    from clusterkg.model.problems import ClusterKGError

    from clusterkg.synthetic.generate import generate, write_generated

    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp) / "csv"
        if not (data / "agreements.csv").is_file():
            say(f"generating {args.orgs:,} organisations and {args.agreements:,} agreements (seed {args.seed})")
            write_generated(generate(args.orgs, args.agreements, args.seed), data, "csv")
        start = time.perf_counter()
        ds = load_dataset([data])
        say(f"  records read and resolved (not part of the figures): {time.perf_counter() - start:.1f} s")
        assert ds.valid, ds.problems[:3]

        start = time.perf_counter()
        rows = graph_rows(ds)
        rows_seconds = time.perf_counter() - start
        size = rows.counts()
        nodes = sum(len(r) for r in rows.nodes.values())
        rels = sum(len(r) for r in rows.relationships.values())

        with open_embedded(Path(tmp) / "falkordb") as graph:
            start = time.perf_counter()
            load(graph, rows, progress=lambda m: say(f"  {time.perf_counter() - start:5.1f} s  {m}"))
            load_seconds = time.perf_counter() - start
            assert graph.read("MATCH (a:Agreement) RETURN count(a) AS n")[0]["n"] == size["nodes"]["Agreement"]

            rng = random.Random(args.seed)
            sets = parameter_sets(ds, rng, args.runs)
            queries = library()
            assert set(sets) == set(queries), set(queries) ^ set(sets)

            graph.read_timeout = args.timeout
            timeouts: dict[str, int] = {}

            def time_calls(text: str, params: list[dict], name: str = "") -> list[float]:
                for values in params[:3]:  # warm-up: plan cache, first page-ins
                    try:
                        graph.read(text, values)
                    except ClusterKGError:
                        pass
                seconds = []
                for values in params:
                    t = time.perf_counter()
                    try:
                        graph.read(text, values)
                    except ClusterKGError:  # stopped by the server at --timeout: counted at that time
                        timeouts[name] = timeouts.get(name, 0) + 1
                    seconds.append(time.perf_counter() - t)
                return seconds

            base_median, base_p95 = _ms(time_calls("RETURN 1 AS one", [{}] * args.runs))
            results = []
            for name, query in sorted(queries.items()):
                bound = [query.bind(values) for values in sets[name]]
                median, p95 = _ms(time_calls(query.text, bound, name))
                sizes = []
                for values in bound[:10]:
                    try:
                        sizes.append(len(graph.read(query.text, values)))
                    except ClusterKGError:
                        pass
                results.append((name, median, p95, statistics.median(sizes) if sizes else float("nan")))

    print(f"\nproperty graph of {args.orgs:,} organisations / {args.agreements:,} agreements: "
          f"{nodes:,} nodes, {rels:,} relationships")
    print(f"records -> rows (Python):          {rows_seconds:6.1f} s")
    print(f"load into embedded FalkorDB:       {load_seconds:6.1f} s   target <= 30 s   "
          f"{'ok' if load_seconds <= 30 else 'MISSED'}  ({(nodes + rels) / load_seconds:,.0f} nodes+relationships/s)")
    print(f"baseline RETURN 1 round trip:      median {base_median:.3f} ms, p95 {base_p95:.3f} ms")
    print(f"machine load average while it ran: {os.getloadavg()[0]:.1f} (2 cores)\n")
    print(f"{'query':30} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11} {'rows':>6}  target (20 / 100 ms)")
    missed = []
    for name, median, p95, rows_median in results:
        ok = median <= 20 and p95 <= 100
        if not ok:
            missed.append(name)
        stopped = f"  ({timeouts[name]} stopped at {args.timeout:g} s)" if name in timeouts else ""
        print(f"{name:30} {median:10.2f} {p95:8.2f} {median / base_median:11.0f} {rows_median:6.0f}  "
              f"{'ok' if ok else 'MISSED'}{stopped}")
    print(f"\n{len(results) - len(missed)} of {len(results)} queries within target"
          + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
