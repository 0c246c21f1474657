"""Readers for YAML and JSON documents and for JSON Lines.

A document is a mapping with lists under ``organizations``, ``people``,
``programmes``, ``events`` and ``agreements``. JSON Lines holds one record per
line with a ``"record"`` key naming its type. The readers remember the line
where each record (and each of its fields) starts, so messages can point there.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from bisect import bisect_right
from pathlib import Path
from typing import Any

import yaml
from clusterkg.model.problems import InputError, Location, Problem, RawRecord
from clusterkg.model.records import COLLECTIONS, RECORD_TYPES

_KNOWN_KEYS = ", ".join(COLLECTIONS)


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, items: Any, line: int, key_lines: dict[str, int]):
        super().__init__(items)
        self.line = line
        self.key_lines = key_lines


def read_text(path: Path, hint: str = "") -> str:
    """The file's text as UTF-8 (a BOM is allowed), or an error naming the line that is not.

    ``hint`` ends the message: how to save this kind of file as UTF-8.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError([Problem(
            Location(str(path), line),
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); save the file as UTF-8{hint}",
        )]) from None


# -- YAML ---------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines, and reads only true/false as booleans:
    YAML 1.1 would read the country code NO (Norway) as False."""


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    key_lines = {
        key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    return LineDict(mapping, node.start_mark.line + 1, key_lines)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> list[RawRecord]:
    text = read_text(path)
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = error.problem or str(error)
        raise InputError([Problem(Location(str(path), line), f"not valid YAML: {what}")]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(Location(str(path)), f"not valid YAML: {error}")]) from None
    except RecursionError:
        raise InputError([Problem(Location(str(path)), "not valid YAML: nested too deeply")]) from None
    return _records_of_document(document, path)


# -- JSON ---------------------------------------------------------------------

class _LineDecoder(json.JSONDecoder):
    """A JSON decoder whose objects are LineDicts.

    The C scanner does not call back per object, so this uses the pure-Python
    scanner: slower, but JSON documents are the small hand-written kind.
    """

    def __init__(self, text: str):
        super().__init__()
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.parse_object = self._parse_object
        self.scan_once = json.scanner.py_make_scanner(self)

    def _line(self, index: int) -> int:
        return bisect_right(self._line_starts, index)

    def _parse_object(self, s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        text, end = s_and_end
        start = end - 1
        key_lines: dict[str, int] = {}

        def pairs_hook(pairs):
            return pairs

        pairs, new_end = json.decoder.JSONObject(
            s_and_end, strict, scan_once, object_hook, pairs_hook, memo if memo is not None else {}
        )
        # Find each key's line by scanning forward for its quoted form.
        cursor = end
        for key, _ in pairs:
            found = text.find(json.dumps(key, ensure_ascii=False), cursor, new_end)
            if found < 0:
                found = text.find(json.dumps(key), cursor, new_end)
            if found >= 0:
                key_lines[key] = self._line(found)
                cursor = found + 1
        return LineDict(pairs, self._line(start), key_lines), new_end


def _json_error(path: Path, error: json.JSONDecodeError, line: int | None = None) -> Problem:
    return Problem(Location(str(path), line or error.lineno), f"not valid JSON: {error.msg} (column {error.colno})")


def read_json(path: Path) -> list[RawRecord]:
    text = read_text(path)
    try:
        document = _LineDecoder(text).decode(text)
    except json.JSONDecodeError as error:
        raise InputError([_json_error(path, error)]) from None
    except RecursionError:
        raise InputError([Problem(Location(str(path)), "not valid JSON: nested too deeply")]) from None
    return _records_of_document(document, path)


def read_jsonl(path: Path) -> list[RawRecord]:
    """One record per line; each object names its type in ``"record"``.

    A line that is not valid is reported and the other lines are still read.
    """
    text = read_text(path)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        location = Location(str(path), number)
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(_json_error(path, error, number))
            continue
        except RecursionError:
            problems.append(Problem(location, "not valid JSON: nested too deeply"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(location, f"expected a JSON object, got {type(data).__name__}"))
            continue
        kind = data.pop("record", None)
        if not isinstance(kind, str) or kind not in RECORD_TYPES:
            problems.append(Problem(
                location,
                f"'record' must be one of {', '.join(RECORD_TYPES)}, got {kind!r}",
                field="record",
            ))
            continue
        records.append(RawRecord(kind, data, location))
    if problems:
        raise InputError(problems, partial=records)
    return records


# -- documents ----------------------------------------------------------------

def _records_of_document(document: Any, path: Path) -> list[RawRecord]:
    if document is None:
        raise InputError([Problem(Location(str(path)), "the file is empty")])
    if not isinstance(document, dict):
        raise InputError([Problem(
            Location(str(path), getattr(document, "line", 1)),
            f"expected a mapping with lists under {_KNOWN_KEYS}, got {type(document).__name__}",
        )])
    records: list[RawRecord] = []
    problems: list[Problem] = []
    key_lines = getattr(document, "key_lines", {})
    for key, items in document.items():
        where = Location(str(path), key_lines.get(key))
        if key not in COLLECTIONS:
            problems.append(Problem(where, f"unknown section {key!r}; expected one of {_KNOWN_KEYS}"))
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Problem(where, f"{key!r} must be a list of records, got {type(items).__name__}"))
            continue
        kind = COLLECTIONS[key]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(Problem(where, f"{key}[{index}] must be a mapping, got {item!r:.60}"))
                continue
            location = Location(str(path), getattr(item, "line", where.line))
            records.append(RawRecord(kind, item, location, dict(getattr(item, "key_lines", {}))))
    if problems:
        raise InputError(problems, partial=records)
    return records
