"""Files and folders in, raw records out: picks the reader by file suffix."""

from __future__ import annotations

import os
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


#: The files that make a folder a build folder (clusterkg/manifest.py writes them): the manifest a
#: build writes last, and the lock every build takes. A build folder is output, not input.
BUILD_MANIFEST = "clusterkg-build.json"
BUILD_LOCK = ".clusterkg.lock"


def is_build_folder(path: Path) -> bool:
    return (path / BUILD_MANIFEST).is_file() or (path / BUILD_LOCK).is_file()


def _walk(root: Path, problems: list[Problem]) -> list[Path]:
    """Supported files under ``root``: hidden names, Excel lock files and build folders skipped;
    a folder that cannot be read is a problem, not a silent gap."""
    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        problems.append(Problem(Location(str(error.filename or root)),
                                f"cannot read this folder: {error.strerror or error}; its files were not loaded"))

    for folder, subfolders, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not is_build_folder(here / d))
        for name in files:
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = here / name
            if not os.access(path, os.R_OK):
                problems.append(Problem(Location(str(path)), "cannot read this file: permission denied"))
                continue
            found.append(path)
    return sorted(found)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The input files: each file as given, and every supported file under each folder.

    A file given twice is read once, so loading the same inputs twice changes
    nothing. A build folder given as input stands for the records it holds
    (its records.jsonl), never for its other outputs; build folders inside an
    input folder are skipped, so ``build data -o data/out`` works every time.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir() and is_build_folder(path):
            records = path / "records.jsonl"
            if not (path / BUILD_MANIFEST).is_file() or not records.is_file():
                problems.append(Problem(Location(str(path)), "an incomplete build folder (no manifest or no records.jsonl: the "
                                        "build was interrupted); rebuild it, or give the build's inputs"))
                continue
            found = [records]
        elif path.is_dir():
            before = len(problems)
            found = _walk(path, problems)
            if not found and len(problems) == before:
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
