"""Time the RDF writers on generated data, with rdflib's own serialisers side by side.

Target (issue 3): at least 150,000 triples/s to N-Triples on 100,000 organisations and
300,000 agreements. clusterkg streams triples to the file without building a graph; the
baseline, measured in the same run, is rdflib: building its Graph and calling
``serialize`` (N-Triples and Turtle). rdflib holds the whole graph in memory (about 1 GB per
million triples here), so it is timed on the first ``--rdflib-agreements`` agreements (with
all organisations) and compared as triples per second.

    .venv/bin/python benchmarks/rdf.py [--orgs 100000] [--agreements 300000] [--rdflib-agreements 5000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path


def timed(label: str, work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.1f} s", file=sys.stderr)
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--rdflib-agreements", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from clusterkg.graph import rdf
    from clusterkg.loaders.assemble import load_dataset

    from clusterkg.synthetic.generate import generate, write_generated

    print(f"generating {args.orgs} organisations and {args.agreements} agreements", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        write_generated(generate(args.orgs, args.agreements, args.seed), Path(tmp) / "csv", "csv")
        # Through the loader, as `clusterkg build` does: names resolved to ids, agreement ids derived.
        _, ds = timed("load (not part of the figures)", lambda: load_dataset([Path(tmp) / "csv"]))
    assert ds.valid, ds.problems[:3]
    records = [record for _, record in ds.records()]
    orgs = [ds.organizations[k] for k in sorted(ds.organizations)]
    agreements = [ds.agreements[k] for k in sorted(ds.agreements)]
    subset = [*orgs, *agreements[: args.rdflib_agreements]]

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("nt", "ttl"):
            seconds, n = timed(f"clusterkg {fmt}", lambda: rdf.write(records, Path(tmp) / f"g.{fmt}", fmt))
            rows.append(("clusterkg (streamed)", fmt, n, seconds, Path(tmp, f"g.{fmt}").stat().st_size))
        build_seconds, graph = timed("rdflib Graph (subset)", lambda: rdf.to_graph(subset))
        for fmt, name in (("nt", "nt"), ("ttl", "turtle")):
            seconds, _ = timed(f"rdflib {fmt} (subset)", lambda: graph.serialize(Path(tmp) / f"r.{fmt}", format=name))
            rows.append(("rdflib (Graph + serialize)", fmt, len(graph), build_seconds + seconds,
                         Path(tmp, f"r.{fmt}").stat().st_size))
            rows.append(("rdflib (serialize only)", fmt, len(graph), seconds, 0))
        ours_subset = {}
        for fmt in ("nt", "ttl"):
            seconds, n = timed(f"clusterkg {fmt} (subset)", lambda: rdf.write(subset, Path(tmp) / f"s.{fmt}", fmt))
            ours_subset[fmt] = n / seconds

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{len(orgs)} organisations, {len(agreements)} agreements "
          f"(rdflib on {args.rdflib_agreements} of them); peak memory {peak:.0f} MB\n")
    print("| writer | format | triples | seconds | triples/s | MB |")
    print("|---|---|---:|---:|---:|---:|")
    rates = {}
    for writer, fmt, n, seconds, size in rows:
        rates[(writer, fmt)] = n / seconds
        print(f"| {writer} | {fmt} | {n:,} | {seconds:.1f} | {n / seconds:,.0f} | {size / 1e6:.0f} |")
    for fmt in ("nt", "ttl"):
        ratio = ours_subset[fmt] / rates[("rdflib (Graph + serialize)", fmt)]
        print(f"\n{fmt}: clusterkg writes {ratio:.1f}x the triples per second of rdflib (same subset, same run)")
    target = rates[("clusterkg (streamed)", "nt")] >= 150_000
    print(f"\ntarget >= 150,000 triples/s to N-Triples: {'met' if target else 'NOT met'}")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
