"""`clusterkg validate` on hostile inputs just under 1 MB: time and peak memory of each (issue 16, point 12).

Target: every input under 1 MB validates in under 5 s and 500 MB. Each case runs
``python -m clusterkg validate FOLDER`` in a child process of its own, as a user
runs it, and its wall time and peak resident memory (``ru_maxrss`` from
``os.wait4``) are printed beside a baseline (the same command on a folder with
two organisations only). The peak memory of the same inputs is asserted in
tests/loaders/test_hostile_input.py; the time is measured here, not in the tests.

    .venv/bin/python benchmarks/hostile_inputs.py            # every case once
    .venv/bin/python benchmarks/hostile_inputs.py --check    # exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ORGS = "organizations:\n  - {id: a, name: A, kind: cluster, country: JP}\n  - {id: b, name: B, kind: cluster, country: GB}\n"
MB = 1_000_000


def _laughs() -> str:
    text = "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 9 if p else ['lol'] * 9)}]\n"
                   for p, k in zip(["", *"abcdefgh"], "abcdefghi"))
    text += "agreements: [" + ", ".join(["*i"] * 20) + "]\n"
    return text + "#" * (636 - len(text)) + "\n"  # 637 bytes, as the file of the issue


def _record(i: int) -> str:
    return json.dumps({"record": "agreement", "id": f"ag-{i}", "type": "mou", "parties": ["a", "b"], "signed": f"{2000 + i % 20}",
                       "sources": [{"title": f"release {i}"}]})


CASES = {
    "baseline (two organisations)": ("orgs2.yaml", lambda: ORGS),
    "nine nested anchors (637 bytes)": ("laughs.yaml", _laughs),
    "aliases just under the limit": ("aliases.yaml", lambda: "agreements:\n  - {type: mou, parties: [a, b], "
                                     "sources: &s [" + ", ".join(f"{{title: t{i}}}" for i in range(333)) + "]}\n"
                                     + "  - {type: loi, parties: [a, b], sources: *s}\n" * 99),
    "unknown fields only": ("unknown.yaml", lambda: "agreements:\n" + "".join(
        f"  - {{{', '.join(f'f{i}_{j}: v' for j in range(50))}}}\n" for i in range(1_400))),
    "one name of 1 MB": ("long.yaml", lambda: "organizations:\n  - {id: c, kind: cluster, country: JP, name: "
                         + "x" * (MB - 100) + "}\n"),
    "an id of 1 MB": ("longid.yaml", lambda: "agreements:\n  - {type: mou, parties: [a, b], id: " + "X" * (MB - 100) + "}\n"),
    "NUL in every value": ("nul.yaml", lambda: "agreements:\n" + "".join(
        f'  - {{type: mou, parties: [a, b], title: "t\\0{i}", notes: "\\0", sources: [{{title: "\\0"}}]}}\n'
        for i in range(10_500))),
    "keys given twice": ("dup.json", lambda: '{"agreements": [' + ",".join(
        '{"type": "mou", "type": "loi", "parties": ["a", "b"], "parties": []}' for _ in range(13_000)) + "]}"),
    "deeply nested JSON": ("deep.json", lambda: '{"agreements": ' + "[" * 450_000 + "]" * 450_000 + "}"),
    "deeply nested YAML": ("deep.yaml", lambda: "agreements: " + "[" * 450_000 + "]" * 450_000 + "\n"),
    "7,000 valid agreements (JSON Lines)": ("many.jsonl", lambda: "\n".join(_record(i) for i in range(7_000)) + "\n"),
    "3,500 valid agreements (YAML)": ("many.yaml", lambda: "agreements:\n" + "".join(
        f"  - {{id: ag-{i}, type: mou, parties: [a, b], signed: '{2000 + i % 20}', sources: [{{title: release {i}}}]}}\n"
        for i in range(3_500)) + "#" * 100),
    "40,000 CSV rows of formulas": ("agreements.csv", lambda: "type,parties,source_title\n"
                                    + 'mou,a;b,"=HYPERLINK(""x"")"\n' * 36_000),
    "a CSV cell of 1 MB": ("organizations.csv", lambda: "id,name,kind,country\nc," + "y" * (MB - 100) + ",cluster,JP\n"),
    "integers of 4,301 digits": ("ints.jsonl", lambda: "\n".join(
        '{"record": "organization", "id": "c", "name": ' + "7" * 4301 + "}" for _ in range(220)) + "\n"),
    "unknown party names (CSV, 1,500 known)": ("", lambda: _unknown_parties()),
    "a workbook of 2,500 organisations and 7,000 agreements": ("book.xlsx", lambda: _workbook()),
}


def _synthetic(orgs: int, agreements: int, seed: int) -> list:
    from clusterkg.synthetic.generate import generate

    return list(generate(orgs, agreements, seed).records())


def _unknown_parties() -> dict[str, bytes]:
    """organizations.csv with 1,500 organisations and agreements.csv naming parties none of them has."""
    from clusterkg.loaders.writers import write

    records = _synthetic(1_500, 0, 3)
    with tempfile.TemporaryDirectory() as tmp:
        write(records, tmp, "csv")
        orgs = (Path(tmp) / "organizations.csv").read_bytes()
    rows = "".join(f"mou,Unknown Institute {i}; Nowhere Cluster {i % 977},2019,Release {i}\n" for i in range(9_000))
    return {"organizations.csv": orgs, "agreements.csv": ("type,parties,signed,source_title\n" + rows).encode()}


def _workbook() -> bytes:
    from clusterkg.loaders.writers import write

    records = _synthetic(2_500, 7_000, 2)
    with tempfile.TemporaryDirectory() as tmp:
        write(records, Path(tmp) / "book.xlsx", "xlsx")
        return (Path(tmp) / "book.xlsx").read_bytes()


def run(folder: Path) -> tuple[float, float, int]:
    """Wall seconds, peak MB and exit code of ``clusterkg validate folder`` in a child process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "clusterkg", "validate", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss * 1024 / MB, child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a case takes 5 s or 500 MB or more")
    args = parser.parse_args()
    missed = 0
    print(f"{'case':56} {'size':>10} {'time':>7} {'peak':>8}  exit")
    with tempfile.TemporaryDirectory() as tmp:
        for n, (label, (name, make)) in enumerate(CASES.items()):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            (folder / "orgs.yaml").write_text(ORGS, encoding="utf-8")
            made = make()
            files = made if isinstance(made, dict) else {name: made}
            for file, content in files.items():
                data = content if isinstance(content, bytes) else content.encode("utf-8")
                (folder / file).write_bytes(data)
            size = sum(len(c if isinstance(c, bytes) else c.encode("utf-8")) for c in files.values())
            assert size < 1_048_576, (label, size)
            seconds, peak, code = run(folder)
            slow = seconds >= 5 or peak >= 500
            missed += slow
            print(f"{label:56} {size:>10,} {seconds:>6.2f}s {peak:>6.0f}MB  {code}{'  MISSED' if slow else ''}")
    print("targets (under 5 s and 500 MB each):", "met" if not missed else f"missed by {missed} case(s)")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
