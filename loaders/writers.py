"""Records out, in every format the readers take: YAML, JSON, JSON Lines, CSV, Excel.

``write(records, path, fmt)`` is the one entry point. What is written reads back
to the same records (docs/formats.md): YAML and JSON as one document with a list
per kind of record, JSON Lines as one object per line with its kind under
``"record"``, CSV as a folder of files, Excel as one workbook with a sheet per kind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clusterkg.loaders.columns import kind_of
from clusterkg.model.records import COLLECTIONS, Record

FORMATS = ("yaml", "json", "jsonl", "csv", "xlsx")

_COLLECTION_OF = {kind: key for key, kind in COLLECTIONS.items()}


def records_to_document(records: Iterable[Record]) -> dict[str, list[dict[str, Any]]]:
    """``{"organizations": [...], "people": [...], ..., "agreements": [...]}`` in that order,
    leaving out kinds with no records; each record as ``record.to_dict()``."""
    lists: dict[str, list[dict[str, Any]]] = {key: [] for key in COLLECTIONS}
    for record in records:
        lists[_COLLECTION_OF[kind_of(record)]].append(record.to_dict())
    return {key: items for key, items in lists.items() if items}


def write(records: Iterable[Record], path: Path | str, fmt: str) -> list[Path]:
    """Write ``records`` to ``path`` in ``fmt`` (yaml, json, jsonl, csv, xlsx); returns the files written.

    For ``csv`` the path is a folder (made if missing) that receives organizations.csv,
    people.csv, programmes.csv, events.csv, agreements.csv and sources.csv, each only
    when there are records for it. Raises ValueError for an unknown format, or for a
    record the format cannot hold (CSV and Excel: an agreement with several sources
    and no id; another record with several sources).
    """
    path = Path(path)
    fmt = fmt.lower().lstrip(".")
    if fmt == "yml":
        fmt = "yaml"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        from clusterkg.loaders.csvfiles import write_csv

        return write_csv(records, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        from clusterkg.loaders.excel import write_xlsx

        return [write_xlsx(records, path)]
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for record in records:
                line = {"record": kind_of(record), **record.to_dict()}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return [path]
    document = records_to_document(records)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        if fmt == "json":
            json.dump(document, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            _dump_yaml(document, out)
    return [path]


def _dump_yaml(document: dict[str, Any], out: Any) -> None:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    yaml.dump(document, out, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
