"""Files and folders in, raw records out: picks the reader by file suffix."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from clusterkg.model.problems import InputError, Location, Problem, RawRecord

Reader = Callable[[Path], list[RawRecord]]


def _readers() -> dict[str, Reader]:
    from clusterkg.loaders.csvfiles import read_csv
    from clusterkg.loaders.documents import read_json, read_jsonl, read_yaml
    from clusterkg.loaders.excel import read_xlsx

    return {
        ".yaml": read_yaml,
        ".yml": read_yaml,
        ".json": read_json,
        ".jsonl": read_jsonl,
        ".ndjson": read_jsonl,
        ".csv": read_csv,
        ".xlsx": read_xlsx,
    }


SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".csv", ".xlsx")


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The input files: each file as given, and every supported file under each folder.

    A file given twice is read once, so loading the same inputs twice changes nothing.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.name.startswith("~$")  # Excel's lock files
            )
            if not found:
                problems.append(Problem(Location(str(path)), f"no input files ({', '.join(SUFFIXES)}) in this folder"))
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                problems.append(Problem(Location(str(path)), f"cannot read {path.suffix or 'files without a suffix'}; use one of {', '.join(SUFFIXES)}"))
                continue
            found = [path]
        else:
            problems.append(Problem(Location(str(path)), "no such file or folder"))
            continue
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def read_inputs(paths: Iterable[Path]) -> tuple[list[RawRecord], list[Problem]]:
    """Every raw record that can be read, and every problem met on the way.

    A broken file is reported and the other files are still read: nothing that
    was valid is lost.
    """
    files, problems = expand(paths)
    readers = _readers()
    records: list[RawRecord] = []
    for file in files:
        try:
            records.extend(readers[file.suffix.lower()](file))
        except InputError as error:
            problems.extend(error.problems)
            records.extend(error.partial)
        except OSError as error:
            problems.append(Problem(Location(str(file)), f"cannot read the file: {error.strerror or error}"))
    return records, problems
