"""Time `clusterkg validate` on generated CSV data.

Target (issue 2): 100,000 organisations and 300,000 agreements validate in at
most 30 s with at most 2 GB peak memory on a 2-core machine. The figure is also
given as a ratio to a baseline measured in the same run: a fresh Python process
that reads every row of the same files with the csv module and does nothing else.

    .venv/bin/python benchmarks/validate_csv.py [--orgs 100000] [--agreements 300000] [--seed 1]
                                                [--repeat 1] [--data DIR [--reuse]] [--check]

Both commands run as child processes, one after the other; each one's wall time,
CPU time (user + system) and peak resident memory (its own ``ru_maxrss``, from
``os.wait4``) are printed. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_SECONDS = 30.0
TARGET_MB = 2000.0  # 2 GB, in MB of 10^6 bytes (2 GiB would be 2147 MB)

BASELINE = """
import csv, sys
from pathlib import Path
rows = 0
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for _ in csv.reader(handle):
            rows += 1
print(rows)
"""


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds of user + system time
    peak_mb: float  # MB of 10^6 bytes
    code: int
    stdout: str
    stderr: str


def measure(command: list[str]) -> Run:
    """Run ``command`` as a child process; its wall time, CPU time and peak memory."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_mb = usage.ru_maxrss * 1024 / 1e6  # Linux gives ru_maxrss in KiB
        return Run(wall, usage.ru_utime + usage.ru_stime, peak_mb, child.returncode, out.read(), err.read())


def cores() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{usable} usable cores ({os.cpu_count()} in the machine); load average {load}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="Time each command this many times; the best counts.")
    parser.add_argument("--data", type=Path, help="Keep the generated CSV folder here (default: a temporary one).")
    parser.add_argument("--reuse", action="store_true",
                        help="With --data: time the CSV files already there instead of generating them again.")
    parser.add_argument("--check", action="store_true", help="Exit 1 when a target is missed.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clusterkg-bench-") as tmp:
        folder = args.data or Path(tmp) / "data"
        print(f"machine: {cores()}")
        # Generated in a child process too: a child's peak memory counts its parent's
        # size when it was started (Linux carries it over fork and exec), so this one stays small.
        if args.reuse and args.data and (folder / "agreements.csv").exists():
            how = "generated earlier"
        else:
            made = measure([sys.executable, "-m", "clusterkg", "generate", "--orgs", str(args.orgs),
                            "--agreements", str(args.agreements), "--seed", str(args.seed), "-o", str(folder)])
            if made.code != 0:
                print(f"clusterkg generate failed (exit {made.code}): {made.stderr.strip()[-500:]}")
                return 1
            how = f"generated and written in {made.wall:.1f} s, peak {made.peak_mb:,.0f} MB"
        size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
        print(f"data: {size:.0f} MB of CSV in {folder} ({how})")

        bases = [measure([sys.executable, "-c", BASELINE, str(folder)]) for _ in range(args.repeat)]
        runs = [measure([sys.executable, "-m", "clusterkg", "validate", str(folder)]) for _ in range(args.repeat)]

    base = min(bases, key=lambda r: r.wall)
    run = min(runs, key=lambda r: r.wall)
    rows = base.stdout.strip()
    print(f"baseline (csv module reads all {rows} rows): {base.wall:.2f} s wall, {base.cpu:.2f} s CPU, "
          f"peak {base.peak_mb:,.0f} MB")
    for i, r in enumerate(runs, 1):
        label = f"clusterkg validate (run {i} of {len(runs)})" if len(runs) > 1 else "clusterkg validate"
        print(f"{label}: {r.wall:.1f} s wall, {r.cpu:.1f} s CPU, peak {r.peak_mb:,.0f} MB")
    print(f"ratio to baseline: {run.wall / base.wall:.1f} x wall, {run.cpu / base.cpu:.1f} x CPU")
    time_ok, memory_ok = run.wall <= TARGET_SECONDS, run.peak_mb <= TARGET_MB
    print(f"targets: <= {TARGET_SECONDS:.0f} s ({'met' if time_ok else 'MISSED'}), "
          f"<= {TARGET_MB:.0f} MB ({'met' if memory_ok else 'MISSED'})")
    last = run.stdout.strip().splitlines()[-1:] or [run.stderr.strip()[-300:]]
    print(f"validate said (exit {run.code}): {last[0]}")
    if run.code != 0:
        return 1
    return 1 if args.check and not (time_ok and memory_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
