"""Time `clusterkg validate` on generated CSV data.

Target (issue 2): 100,000 organisations and 300,000 agreements validate in at
most 30 s with at most 2 GB peak memory on a 2-core machine. The figure is also
given as a ratio to a baseline measured in the same run: reading every row of
the same files with Python's csv module and doing nothing else.

    .venv/bin/python benchmarks/validate_csv.py [--orgs 100000] [--agreements 300000]
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def baseline(folder: Path) -> float:
    start = time.perf_counter()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for _ in csv.reader(handle):
                pass
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from clusterkg.loaders.synthetic import generate, write_generated

    with tempfile.TemporaryDirectory(prefix="clusterkg-bench-") as tmp:
        folder = Path(tmp) / "data"
        start = time.perf_counter()
        write_generated(generate(args.orgs, args.agreements, args.seed), folder, "csv")
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6

        base = baseline(folder)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "clusterkg", "validate", str(folder)],
            capture_output=True, text=True, check=False,
        )
        took = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"data: {args.orgs:,} organisations, {args.agreements:,} agreements, {size:.0f} MB of CSV "
          f"(generated and written in {generated:.1f} s)")
    print(f"baseline (csv module reads every row): {base:.2f} s")
    print(f"clusterkg validate: {took:.1f} s = {took / base:.1f} x baseline; peak memory {peak_mb:,.0f} MB")
    print(f"targets: <= 30 s ({'met' if took <= 30 else 'MISSED'}), <= 2048 MB ({'met' if peak_mb <= 2048 else 'MISSED'})")
    last = done.stdout.strip().splitlines()[-1:] or [done.stderr.strip()[-300:]]
    print(f"validate said (exit {done.returncode}): {last[0]}")
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
