"""Readers for YAML and JSON documents and for JSON Lines.

A document is a mapping with lists under ``organizations``, ``people``,
``programmes``, ``events`` and ``agreements``. JSON Lines holds one record per
line with a ``"record"`` key naming its type. The readers remember the line
where each record (and each of its fields) starts, so messages can point there.

What the readers refuse, with the place, rather than read wrongly or without end
(issue 16): a key given twice in one mapping (the record is rejected; JSON and
YAML would keep the last one in silence), an integer of more than 4,300 digits
(Python does not read it), a YAML ``!!set`` (it has no order), and YAML aliases
that would repeat more than :data:`MAX_ALIAS_VALUES` values or refer to
themselves (a "billion laughs" file of a few hundred bytes). JSON Lines are split
at ``\\n`` only: U+2028, U+2029 and U+0085 are text inside a record, not line breaks.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from bisect import bisect_right
from pathlib import Path
from typing import Any

import yaml

from clusterkg.model.fields import shown
from clusterkg.model.problems import InputError, Location, Problem, RawRecord
from clusterkg.model.records import COLLECTIONS, RECORD_TYPES

_KNOWN_KEYS = ", ".join(COLLECTIONS)


#: The most values YAML aliases may add to a document by repeating what an anchor holds.
MAX_ALIAS_VALUES = 100_000
#: The longest integer Python reads (``sys.int_info.default_max_str_digits``).
MAX_DIGITS = 4300


class LineDict(dict):
    """A mapping that remembers the line it starts on, the line of each key, and keys given twice."""

    __slots__ = ("duplicates", "key_lines", "line")

    def __init__(self, items: Any, line: int, key_lines: dict[str, int],
                 duplicates: list[tuple[str, int, int]] | None = None):
        super().__init__(items)
        self.line = line
        self.key_lines = key_lines
        #: (key, line of the first, line of the repeat) for each key given again.
        self.duplicates = duplicates or []


def _twice(key: Any, first: int | None, again: int | None) -> str:
    where = f" (first at line {first})" if first and first != again else ""
    return f"{shown(key)} is given twice in one mapping{where}; only one would be read: keep one"


def duplicate_problems(value: Any, file: str, line: int | None, path: str = "") -> list[Problem]:
    """A problem for each key given twice in ``value`` or in the mappings and lists inside it."""
    problems: list[Problem] = []
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            for key, first, again in getattr(item, "duplicates", ()):
                name = f"{where}.{key}" if where else str(key)
                problems.append(Problem(Location(file, again or line), _twice(key, first, again), name))
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items()
                         if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item) if isinstance(v, (dict, list)))
    return sorted(problems, key=lambda p: p.location.line or 0)


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

#: LibYAML's parser where PyYAML has it (10 times faster on large files, and it refuses nesting deeper
#: than 1,000 levels); the constructors stay PyYAML's, in Python, so both read alike.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BASE):  # type: ignore[valid-type,misc]
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
    seen: dict[str, int] = {}
    duplicates = []
    for key, _ in node.value:  # the keys as written (before '<<' merges, which may override)
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
            line = key.start_mark.line + 1
            if key.value in seen:
                duplicates.append((key.value, seen[key.value], line))
            else:
                seen[key.value] = line
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    key_lines = {
        key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    return LineDict(mapping, node.start_mark.line + 1, key_lines, duplicates)


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"an integer of {len(node.value):,} digits: at most {MAX_DIGITS:,} are read "
            "(quote it if it is text)", node.start_mark)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):  # 0000-01-01, 2017-02-30: the text, for the record's check to name
        return str(node.value)


def _refuse_set(loader: _LineLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, "a set (!!set) has no order, so what is built from it would change from run to run; "
        "write a list", node.start_mark)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:set", _refuse_set)


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a document whose aliases repeat more than :data:`MAX_ALIAS_VALUES` values, or refer to themselves.

    The values are counted as the document would hold them once every alias
    stands for what its anchor holds, without building them.
    """
    sizes: dict[int, int] = {}
    uses: dict[int, tuple[yaml.Node, int]] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        seen = uses.get(key)
        uses[key] = (node, seen[1] + 1 if seen else 1)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias refers to the value that holds it (a loop)", node.start_mark)
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        busy.discard(key)
        sizes[key] = total
        return total

    total = size(root)
    extra = total - len(sizes)
    if extra > MAX_ALIAS_VALUES:
        node, count = max(uses.values(), key=lambda nc: sizes[id(nc[0])] * (nc[1] - 1))
        raise yaml.constructor.ConstructorError(
            None, None, f"aliases repeat the value that starts here {count - 1:,} times: the document would hold "
            f"{total:,} values where {len(sizes):,} are written, and at most {MAX_ALIAS_VALUES:,} may be repeated; "
            "write the values out", node.start_mark)


def _load_yaml(text: str) -> Any:
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> list[RawRecord]:
    text = read_text(path)
    try:
        document = _load_yaml(text)  # a SafeLoader subclass
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
        super().__init__(parse_int=_int)
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.parse_object = self._parse_object
        self.scan_once = json.scanner.py_make_scanner(self)

    def _line(self, index: int) -> int:
        return bisect_right(self._line_starts, index)

    def _parse_object(self, s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        text, end = s_and_end
        start = end - 1
        key_lines: dict[str, int] = {}
        spans: list[int] = []  # where each value of this object starts, in order

        def pairs_hook(pairs):
            return pairs

        def scan(string, index):
            spans.append(index)
            return scan_once(string, index)

        pairs, new_end = json.decoder.JSONObject(
            (text, end), strict, scan, object_hook, pairs_hook, memo if memo is not None else {}
        )
        # Each key is between the end of the value before it and the start of its own value:
        # looked for there, never inside a nested object that has a key of the same name.
        duplicates = []
        for i, (key, _) in enumerate(pairs):
            value_start = spans[i]
            before = text.rfind(":", end, value_start)
            found = text.rfind(json.dumps(key, ensure_ascii=False), end, before if before >= 0 else value_start)
            if found < 0:
                found = text.rfind(json.dumps(key), end, before if before >= 0 else value_start)
            line = self._line(found if found >= 0 else value_start)
            if key in key_lines:
                duplicates.append((key, key_lines[key], line))
            else:
                key_lines[key] = line
        return LineDict(pairs, self._line(start), key_lines, duplicates), new_end


class _TooLong(ValueError):
    def __init__(self, digits: str):
        self.digits = digits
        super().__init__(f"an integer of {len(digits):,} digits: at most {MAX_DIGITS:,} are read (quote it if it is text)")


def _int(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise _TooLong(digits)
    return int(digits)


def _json_error(path: Path, error: json.JSONDecodeError, line: int | None = None) -> Problem:
    return Problem(Location(str(path), line or error.lineno), f"not valid JSON: {error.msg} (column {error.colno})")


def read_json(path: Path) -> list[RawRecord]:
    text = read_text(path)
    try:
        document = _LineDecoder(text).decode(text)
    except json.JSONDecodeError as error:
        raise InputError([_json_error(path, error)]) from None
    except _TooLong as error:
        line = text.count("\n", 0, max(text.find(error.digits), 0)) + 1
        raise InputError([Problem(Location(str(path), line), f"not valid JSON: {error}")]) from None
    except RecursionError:
        raise InputError([Problem(Location(str(path)), "not valid JSON: nested too deeply")]) from None
    return _records_of_document(document, path)


def read_jsonl(path: Path) -> list[RawRecord]:
    """One record per line; each object names its type in ``"record"``.

    A line that is not valid is reported and the other lines are still read.
    Lines end at ``\\n`` only (a ``\\r`` before it is whitespace to JSON):
    U+2028, U+2029 and U+0085 in a text are characters of it, as JSON has them.
    A key given twice in an object rejects its record, with the line.
    """
    text = read_text(path)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    twice: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping = dict(items)
        if len(mapping) != len(items):
            seen: set[str] = set()
            twice.extend(k for k, _ in items if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return mapping

    decoder = json.JSONDecoder(parse_int=_int, object_pairs_hook=pairs)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        location = Location(str(path), number)
        twice.clear()
        try:
            data = decoder.decode(line)
        except json.JSONDecodeError as error:
            problems.append(_json_error(path, error, number))
            continue
        except _TooLong as error:
            problems.append(Problem(location, f"not valid JSON: {error}"))
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
        found = [Problem(location, _twice(key, None, None), key) for key in dict.fromkeys(twice)]
        records.append(RawRecord(kind, data, location, problems=found) if found else RawRecord(kind, data, location))
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
    problems: list[Problem] = [
        Problem(Location(str(path), again), _twice(key, first, again))
        for key, first, again in getattr(document, "duplicates", ())
    ]
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
            twice = duplicate_problems(item, str(path), location.line)
            records.append(RawRecord(kind, item, location, dict(getattr(item, "key_lines", {})), twice))
    if problems:
        raise InputError(problems, partial=records)
    return records
