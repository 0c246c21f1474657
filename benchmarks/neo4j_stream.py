"""The Python side of Neo4j loads: rows/s and peak memory producing the load batches and the
neo4j-admin import CSVs from a build's records.jsonl, against reading records.jsonl alone.

No Neo4j server runs here, so nothing is sent: the batches are made exactly as
``load_stream`` makes them (two passes: nodes, then relationships) and dropped. Each
measure runs in a fresh child process, so its peak RSS is its own.

    .venv/bin/python benchmarks/neo4j_stream.py [--orgs 100000] [--agreements 300000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, sys, time
from pathlib import Path
from clusterkg.graph.cypher.stream import iter_records, node_row, rel_row
from clusterkg.graph.cypher.schema import stream_rows
what, records, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
start = time.perf_counter()
rows = 0
if what == "read":
    for _ in iter_records(records):
        rows += 1
elif what == "batches":
    batch = []
    for kind in ("node", "rel"):
        for k, w, row in stream_rows(iter_records(records)):
            if k == kind:
                batch.append(node_row(w, row) if k == "node" else rel_row(w, row))
                rows += 1
                if len(batch) >= 5000:
                    batch = []
elif what == "csv":
    from clusterkg.graph.cypher.neo4j_import import write_import
    rows = write_import(iter_records(records), out).rows
seconds = time.perf_counter() - start
# VmHWM is this process's own high-water mark; ru_maxrss would carry the parent's across exec.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"generating and building {args.orgs:,} organisations, {args.agreements:,} agreements", file=sys.stderr)
        subprocess.run([str(Path(sys.executable).with_name("clusterkg")), "generate", "--orgs", str(args.orgs), "--agreements",
                        str(args.agreements), "--seed", str(args.seed), "-o", str(tmp / "data")], check=True)
        from clusterkg.loaders.assemble import load_dataset
        from clusterkg.loaders.writers import write

        ds = load_dataset([tmp / "data"])
        write((r for _, r in ds.records()), tmp / "records.jsonl", "jsonl")
        del ds
        results = {}
        for what in ("read", "batches", "csv"):
            out = subprocess.run([sys.executable, "-c", CHILD, what, str(tmp / "records.jsonl"), str(tmp / "csv")],
                                 check=True, capture_output=True, text=True)
            results[what] = json.loads(out.stdout)
        base = results["read"]
        records = base["rows"]
        print("| measure | rows | s | rows/s | peak MB | time x read |")
        print("|---|---:|---:|---:|---:|---:|")
        for what, r in results.items():
            print(f"| {what} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} | "
                  f"{r['peak_mb']:.0f} | {r['seconds'] / base['seconds']:.2f} |")
        print(f"({records:,} records; 'rows' counts records for read, graph rows otherwise)")


if __name__ == "__main__":
    main()
