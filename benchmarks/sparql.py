"""Time the SPARQL twins of the library queries on the Oxigraph store of generated data.

The counterpart of benchmarks/cypher.py (issue 15): the same parameter sets (the same seed,
benchmarks/query_params.py), each query run ``--runs`` times after a few warm-up runs through
:func:`clusterkg.graph.rdf.sparql.run` (parameters bound, rows converted), against the same-run
baseline ``ASK {}``. Targets: median <= 20 ms, p95 <= 100 ms. ``--before DIR`` also times the
.rq files of another folder (an earlier commit's queries/, from ``git archive``) on the same store.

    .venv/bin/python benchmarks/sparql.py --data /tmp/gen100k/synthetic.jsonl [--keep DIR] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # query_params, cypher, beside this file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="Generated data: a folder of CSV files or a JSONL file.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="Folder to keep the Oxigraph store in (reused when it holds one).")
    parser.add_argument("--before", type=Path, help="A folder of .rq files to time as well, on the same store.")
    parser.add_argument("--only", help="Comma-separated query names to time (default: all).")
    args = parser.parse_args()

    from clusterkg.graph import rdf
    from clusterkg.graph.rdf import sparql
    from clusterkg.graph.rdf.store import oxigraph_store
    from clusterkg.model.problems import ClusterKGError

    from cypher import report, time_library
    from query_params import dataset, parameter_sets

    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    start = time.perf_counter()
    ds = dataset(args.data)
    say(f"  records read and resolved (not part of the figures): {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "oxigraph"
        reuse = folder.is_dir() and any(folder.iterdir())
        start = time.perf_counter()
        store = oxigraph_store(None if reuse else rdf.nt_bytes(ds), folder)
        load_seconds = time.perf_counter() - start
        say(f"  store {'opened' if reuse else 'loaded'}: {load_seconds:.1f} s, {len(store):,} triples")

        def read(query, values):
            try:
                return sparql.run(query, store, values).rows
            except Exception as error:  # noqa: BLE001 - counted like a timeout, the run goes on
                raise ClusterKGError(str(error)) from None

        sets = parameter_sets(ds, random.Random(args.seed), args.runs)
        only = set(args.only.split(",")) if args.only else None
        queries = {n: q for n, q in sparql.library().items() if only is None or n in only}
        timeouts: dict[str, int] = {}
        ask = sparql.NamedQuery("ask", "", (), "ASK {}")
        base = time_library(lambda q, v: [{"ask": bool(store.query(q.text))}], {"ASK {}": _Same(ask)}, {"ASK {}": [{}] * args.runs},
                            args.runs, timeouts)
        base_median = base["ASK {}"][0]
        before = None
        if args.before:
            old = {n: q for n, q in sparql.library(args.before).items() if n in queries}
            before = time_library(read, {n: _Same(q) for n, q in old.items()}, sets, args.runs, timeouts, "before:")
        results = time_library(read, {n: _Same(q) for n, q in queries.items()}, sets, args.runs, timeouts)

    print(f"\nOxigraph store of {len(ds.organizations):,} organisations / {len(ds.agreements):,} agreements"
          f"{'' if reuse else f', loaded in {load_seconds:.1f} s'}")
    print(f"baseline ASK {{}}:                  median {base_median:.3f} ms")
    print(f"machine load average while it ran: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    report("SPARQL on Oxigraph", results, base_median, before, timeouts)
    return 0


class _Same:
    """A named query passed as itself (sparql.run binds the values), timed like a Cypher text."""

    def __init__(self, query):
        self.text = query
        self.query = query

    def bind(self, values):
        return dict(values)


if __name__ == "__main__":
    sys.exit(main())
