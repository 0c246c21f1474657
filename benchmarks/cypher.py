"""Time the property graph on generated data: the load into embedded FalkorDB and every library query.

Targets (issue 15), on 100,000 organisations and 300,000 agreements: the load into embedded
FalkorDB within 20 s; each library query's median within 20 ms and 95th percentile within 100 ms.
The baseline, measured in the same run on the same server, is the round trip of ``RETURN 1``;
every query's median is also given as a multiple of it.

Each query runs ``--runs`` times, cycling through parameter sets drawn from the data with a fixed
seed so that the queries return rows (benchmarks/query_params.py), after a few warm-up runs;
timings are wall-clock times of the whole call from Python (parameters sent, rows parsed), through
the FalkorDB version of a query where there is one (queries/falkordb/). ``rows`` is the median
number of rows, ``total`` the median of the queries' own count of all answers (for queries that
return the first ``limit`` rows). ``--before DIR`` also times the query files of another folder
(say, an earlier commit's queries/, from ``git archive``) on the same graph in the same run.

    .venv/bin/python benchmarks/cypher.py [--orgs 100000] [--agreements 300000] [--runs 60]
        [--data DIR_OR_FILE] [--keep DIR] [--before DIR]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))  # query_params, beside this file


def _ms(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000



def time_library(read, queries, sets, runs, timeouts, label=""):
    """Median and p95 ms and median rows per query of ``queries`` (name -> NamedQuery)."""
    from clusterkg.model.problems import ClusterKGError

    def time_calls(text, params, name):
        for values in params[:3]:  # warm-up: plan cache, first page-ins
            try:
                read(text, values)
            except ClusterKGError:
                pass
        seconds, sizes, totals = [], [], []
        for values in params:
            t = time.perf_counter()
            try:
                rows = read(text, values)
            except ClusterKGError:  # stopped by the server at --timeout: counted at that time
                timeouts[label + name] = timeouts.get(label + name, 0) + 1
                rows = None
            seconds.append(time.perf_counter() - t)
            if rows is not None:
                sizes.append(len(rows))
                if rows and "total" in rows[0]:
                    totals.append(rows[0]["total"])
        return seconds, sizes, totals

    results = {}
    for name, query in sorted(queries.items()):
        if name not in sets:
            continue
        bound = [query.bind(values) for values in sets[name][:runs]]
        seconds, sizes, totals = time_calls(query.text, bound, name)
        median, p95 = _ms(seconds)
        print(f"  {label}{name}: median {median:.1f} ms, p95 {p95:.1f} ms", file=sys.stderr, flush=True)
        results[name] = (median, p95, statistics.median(sizes) if sizes else float("nan"),
                         statistics.median(totals) if totals else None)
    return results


def report(title, results, base_median, before=None, timeouts=None, timeout=5.0):
    print(f"\n{title}")
    head = f"{'query':30} {'median ms':>10} {'p95 ms':>8} {'x base':>7} {'rows':>6} {'total':>7}  target"
    if before:
        head += f"   | before: {'median':>8} {'p95':>8} {'rows':>6}"
    print(head)
    missed = []
    for name, (median, p95, rows, total) in results.items():
        ok = median <= 20 and p95 <= 100
        if not ok:
            missed.append(name)
        stopped = f" ({timeouts[name]} stopped at {timeout:g} s)" if timeouts and name in timeouts else ""
        line = (f"{name:30} {median:10.2f} {p95:8.2f} {median / base_median:7.0f} {rows:6.0f} "
                f"{'' if total is None else f'{total:7.0f}':>7}  {'ok' if ok else 'MISSED'}{stopped}")
        if before and name in before:
            b = before[name]
            line += f"   | {'':7} {b[0]:8.1f} {b[1]:8.1f} {b[2]:6.0f}"
            if timeouts and "before:" + name in timeouts:
                line += f" ({timeouts['before:' + name]} stopped)"
        print(line)
    print(f"{len(results) - len(missed)} of {len(results)} queries within target (median <= 20 ms, p95 <= 100 ms)"
          + (f"; missed: {', '.join(missed)}" if missed else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60, help="Timed runs per query.")
    parser.add_argument("--data", type=Path, help="Generated data (a folder of CSV files or a JSONL file) to reuse; "
                                                  "a folder is written when missing.")
    parser.add_argument("--keep", type=Path, help="FalkorDB folder to keep the loaded graph in (reused when it holds one).")
    parser.add_argument("--before", type=Path, help="A folder of query files to time as well, on the same graph.")
    parser.add_argument("--timeout", type=float, default=5.0, help="Seconds after which the server stops a query.")
    args = parser.parse_args()

    from query_params import dataset, parameter_sets

    from clusterkg.graph.cypher.falkor import open_embedded
    from clusterkg.graph.cypher.load import load
    from clusterkg.graph.cypher.schema import graph_rows
    from clusterkg.graph.cypher.variants import for_backend
    from clusterkg.graph.queries import library
    from clusterkg.synthetic.generate import generate, write_generated

    say = lambda message: print(message, file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp) / "csv"
        if not data.exists():
            say(f"generating {args.orgs:,} organisations and {args.agreements:,} agreements (seed {args.seed})")
            write_generated(generate(args.orgs, args.agreements, args.seed), data, "csv")
        start = time.perf_counter()
        ds = dataset(data)
        say(f"  records read and resolved (not part of the figures): {time.perf_counter() - start:.1f} s")
        folder = args.keep or Path(tmp) / "falkordb"
        reuse = (folder / "graph.rdb").is_file()
        rows_seconds = load_seconds = float("nan")
        with open_embedded(folder) as graph:
            if not reuse:
                start = time.perf_counter()
                rows = graph_rows(ds)
                rows_seconds = time.perf_counter() - start
                start = time.perf_counter()
                load(graph, rows, progress=lambda m: say(f"  {time.perf_counter() - start:5.1f} s  {m}"))
                load_seconds = time.perf_counter() - start
            nodes = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            rels = graph.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]

            sets = parameter_sets(ds, random.Random(args.seed), args.runs)
            queries = {name: for_backend(q, graph.backend) for name, q in library().items()}
            assert set(sets) == set(queries), set(queries) ^ set(sets)
            graph.read_timeout = args.timeout
            timeouts: dict[str, int] = {}
            base = time_library(graph.read, {"RETURN 1": _Fixed("RETURN 1 AS one")}, {"RETURN 1": [{}] * args.runs},
                                args.runs, timeouts)
            base_median, base_p95 = base["RETURN 1"][:2]
            before = None
            if args.before:
                old = {name: for_backend(q, graph.backend) for name, q in library(args.before).items()}
                before = time_library(graph.read, old, sets, args.runs, timeouts, "before:")
            results = time_library(graph.read, queries, sets, args.runs, timeouts)

    print(f"\nproperty graph of {len(ds.organizations):,} organisations / {len(ds.agreements):,} agreements: "
          f"{nodes:,} nodes, {rels:,} relationships")
    if not reuse:
        print(f"records -> rows (Python):          {rows_seconds:6.1f} s")
        print(f"load into embedded FalkorDB:       {load_seconds:6.1f} s   target <= 20 s   "
              f"{'ok' if load_seconds <= 20 else 'MISSED'}  ({(nodes + rels) / load_seconds:,.0f} nodes+relationships/s)")
    print(f"baseline RETURN 1 round trip:      median {base_median:.3f} ms, p95 {base_p95:.3f} ms")
    print(f"machine load average while it ran: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    report("Cypher on embedded FalkorDB", results, base_median, before, timeouts, args.timeout)
    return 0


class _Fixed:
    """A query text without parameters, timed like a library query."""

    def __init__(self, text: str):
        self.text = text

    def bind(self, values):
        return dict(values)


if __name__ == "__main__":
    sys.exit(main())
