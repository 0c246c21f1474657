"""The whole `clusterkg build` on generated data: each step's time and share, peak memory.

Targets (issue 15, on 100,000 organisations / 300,000 agreements, a 2-core machine): the whole
build within 2 minutes and 4 GB. The baseline, timed in the same run, is reading the input
JSON Lines with the json module alone; every figure is also printed as a ratio to it.

    python benchmarks/build.py [--orgs 100000] [--agreements 300000] [--seed 1] [--data FILE_OR_DIR]
    python benchmarks/build.py --orgs 10000 --agreements 30000     # a quick run

Writes into a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="use this input instead of generating one")
    args = parser.parse_args()

    from clusterkg import pipeline
    from clusterkg.synthetic.generate import generate, write_generated

    with tempfile.TemporaryDirectory(prefix="ckg-build-bench-") as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "input"
            start = time.perf_counter()
            write_generated(generate(args.orgs, args.agreements, args.seed), data, "jsonl")
            print(f"generated {args.orgs:,} organisations / {args.agreements:,} agreements "
                  f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        files = [data] if data.is_file() else sorted(data.rglob("*.jsonl"))

        start = time.perf_counter()
        rows = 0
        for file in files:
            with file.open(encoding="utf-8") as handle:
                for line in handle:
                    json.loads(line)
                    rows += 1
        baseline = time.perf_counter() - start
        print(f"baseline: json.loads of {rows:,} lines: {baseline:.1f} s")

        # Wall seconds, and this process's CPU seconds: on a shared machine the wall time of a step
        # grows with the others' load, its CPU time much less (FalkorDB's own work is in its server).
        timings: list[tuple[str, float, float, float]] = []
        start, cpu = time.perf_counter(), time.process_time()
        ds = pipeline.load([data])
        timings.append(("read, validate, resolve", time.perf_counter() - start, time.process_time() - cpu, _peak_mb()))

        def timed(name, step):
            def run(ctx):
                began, cpu = time.perf_counter(), time.process_time()
                step(ctx)
                timings.append((name, time.perf_counter() - began, time.process_time() - cpu, _peak_mb()))
            return run

        steps = [(name, timed(name, step)) for name, step in pipeline.STEPS]
        began = time.perf_counter()
        ctx = pipeline.build([data], Path(tmp) / "out", dataset=ds, steps=steps)
        finish = time.perf_counter() - began - sum(t[1] for t in timings[1:])
        timings.append(("move into place, manifest", finish, float("nan"), _peak_mb()))
        total = sum(t[1] for t in timings)
        total_cpu = time.process_time()
        sizes = {p.name: (sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size)
                 for p in ctx.written}

    print(f"\n{'step':<28}{'seconds':>9}{'share':>8}{'x baseline':>12}{'CPU s':>8}{'peak MB':>9}")
    for name, seconds, cpu, peak in timings:
        print(f"{name:<28}{seconds:>9.1f}{seconds / total:>8.0%}{seconds / baseline:>12.1f}{cpu:>8.1f}{peak:>9,.0f}")
    print(f"{'total':<28}{total:>9.1f}{1:>8.0%}{total / baseline:>12.1f}{total_cpu:>8.1f}   (target 120 s)")
    print(f"peak memory: {_peak_mb():,.0f} MB (target 4,096 MB)")
    print("outputs: " + ", ".join(f"{name} {size / 1e6:,.1f} MB" for name, size in sorted(sizes.items())))


if __name__ == "__main__":
    main()
