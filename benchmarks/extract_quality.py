"""Quality of `clusterkg extract` on a scored set of real press releases (issue 11).

Runs the extractor over every ``*.txt`` of a development set laid out like
``../shared/press-dev`` (texts, ``gold.jsonl``, ``score.py``), writes the JSON Lines that
``clusterkg extract --format jsonl`` writes, and scores it with the set's own ``score.py``
(run as a child process, so its rules are the ones applied), three times: the odd-numbered
files, the even-numbered files and the whole set. Then it times extraction on one core,
with a baseline measured in the same run (reading and sentence-splitting the same texts).

    python benchmarks/extract_quality.py [PRESS_DEV] [--repeat N] [--misses]

Targets (issue 11): F1 >= 0.85, date >= 0.8, signatories F1 >= 0.8, no agreement from a
near-miss, >= 100 documents/s.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clusterkg.loaders.press.document import parse_document
from clusterkg.loaders.press.extract import Extractor

ROOT = Path(__file__).parents[1]
DEFAULT = next((p for p in (ROOT.parent / "shared" / "press-dev", Path("/work/shared/press-dev")) if p.is_dir()),
               ROOT.parent / "shared" / "press-dev")
SUMMARY = re.compile(r"F1=(?P<f1>[\d.]+) date=(?P<date>[\d.]+) sig=(?P<sig>[\d.]+) nearmiss=(?P<near>\d+)")
COUNTS = re.compile(r"tp=(?P<tp>\d+) fp=(?P<fp>\d+) fn=(?P<fn>\d+)")


def number(name: str) -> int | None:
    match = re.match(r"(\d+)", name)
    return int(match.group(1)) if match else None


def predict(folder: Path) -> dict[str, list[dict]]:
    extractor = Extractor()
    out = {}
    for path in sorted(folder.glob("*.txt")):
        doc = parse_document(path.read_text(encoding="utf-8"), path.name, ".txt")
        out[path.name] = [c.to_dict() for c in extractor.extract(doc)]
    return out


def score(folder: Path, gold_lines: list[str], predicted: dict[str, list[dict]], keep, show: bool) -> dict:
    """Score the files for which ``keep(number)`` holds, with the set's score.py."""
    with tempfile.TemporaryDirectory() as tmp:
        gold_path, pred_path = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        chosen = [line for line in gold_lines if keep(number(json.loads(line)["file"]))]
        gold_path.write_text("".join(chosen), encoding="utf-8")
        names = {json.loads(line)["file"] for line in chosen}
        pred_path.write_text("".join(
            json.dumps({"file": name, "agreements": agreements}, ensure_ascii=False) + "\n"
            for name, agreements in predicted.items() if name in names), encoding="utf-8")
        run = subprocess.run([sys.executable, str(folder / "score.py"), str(gold_path), str(pred_path)],
                             capture_output=True, text=True, check=False)
    lines = run.stdout.strip().splitlines()
    if show:
        for line in lines[:-2]:
            print("   ", line)
    summary = SUMMARY.search(lines[-1]) if lines else None
    counts = COUNTS.search(lines[-2]) if len(lines) > 1 else None
    if summary is None or counts is None:
        raise SystemExit(f"score.py gave no summary: {run.stdout}{run.stderr}")
    result = {k: float(v) for k, v in summary.groupdict().items()}
    result.update({k: int(v) for k, v in counts.groupdict().items()})
    result["files"] = len(chosen)
    return result


def throughput(folder: Path, repeat: int) -> tuple[float, float, int]:
    corpus = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    docs = corpus * max(1, repeat // max(1, len(corpus)) + 1)
    start = time.perf_counter()
    for name, text in docs:
        parse_document(text, name, ".txt")
    baseline = time.perf_counter() - start
    extractor = Extractor()
    start = time.perf_counter()
    for name, text in docs:
        extractor.extract(parse_document(text, name, ".txt"))
    elapsed = time.perf_counter() - start
    return len(docs) / elapsed, len(docs) / baseline, len(docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT, help="a press-dev folder (texts, gold.jsonl, score.py)")
    parser.add_argument("--repeat", type=int, default=640, help="documents to time (the set repeated)")
    parser.add_argument("--misses", action="store_true", help="print score.py's per-file misses and extras")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    if not (folder / "gold.jsonl").is_file() or not (folder / "score.py").is_file():
        raise SystemExit(f"{folder}: not a press-dev folder (needs gold.jsonl and score.py)")
    gold_lines = [line + "\n" for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = predict(folder)
    ok = True
    print(f"{'part':<6} {'files':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'F1':>5} {'date':>5} {'sig':>5} {'near-miss FPs':>14}")
    for part, keep in (("odd", lambda n: n is not None and n % 2 == 1), ("even", lambda n: n is not None and n % 2 == 0),
                       ("all", lambda n: True)):
        if args.misses and part != "all":
            print(f"  {part} half:")
        r = score(folder, gold_lines, predicted, keep, args.misses and part != "all")
        print(f"{part:<6} {r['files']:>5} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {r['f1']:>5.2f} {r['date']:>5.2f} "
              f"{r['sig']:>5.2f} {int(r['near']):>14}")
        if part == "all":
            ok = r["f1"] >= 0.85 and r["date"] >= 0.8 and r["sig"] >= 0.8 and r["near"] == 0
    rate, base, n = throughput(folder, args.repeat)
    print(f"throughput: {rate:,.0f} documents/s on one core ({n} documents); read + split only (baseline, same run): "
          f"{base:,.0f} documents/s; extraction takes {base / rate:.1f}x the baseline time")
    ok = ok and rate >= 100
    print("targets (F1 >= 0.85, date >= 0.8, sig >= 0.8, no near-miss agreement, >= 100 documents/s):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
