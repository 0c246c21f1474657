"""Throughput of `clusterkg extract`: documents per second on one core (target >= 100).

Runs the extractor over the repository's press fixtures and, when present, the seed
documents (../shared/seeds), repeated to at least 500 documents. The baseline, timed
in the same run, is reading and sentence-splitting the same documents: the ratio says
how much the extraction rules cost on top of just reading the text.

    python benchmarks/extract.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from clusterkg.loaders.press.document import parse_document
from clusterkg.loaders.press.extract import Extractor

ROOT = Path(__file__).parents[1]


def texts() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "tests" / "fixtures" / "press").rglob("*.*"))
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        paths += sorted(seeds.glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def run(repeat: int) -> None:
    corpus = texts()
    docs = corpus * max(1, repeat // len(corpus) + 1)
    start = time.perf_counter()
    for name, text in docs:
        parse_document(text, name, Path(name).suffix)
    baseline = time.perf_counter() - start
    extractor = Extractor()
    start = time.perf_counter()
    found = 0
    for name, text in docs:
        found += len(extractor.extract(parse_document(text, name, Path(name).suffix)))
    elapsed = time.perf_counter() - start
    rate = len(docs) / elapsed
    print(f"documents: {len(docs)} ({len(corpus)} distinct), agreements found: {found}")
    print(f"read + split only (baseline): {len(docs) / baseline:,.0f} documents/s")
    print(f"extract: {rate:,.0f} documents/s on one core ({elapsed / baseline:.1f}x the baseline time); "
          f"target >= 100 documents/s: {'met' if rate >= 100 else 'MISSED'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=500)
    run(parser.parse_args().repeat)
