"""First loads: FalkorDB's binary bulk insert (``GRAPH.BULK``), the encoder its bulk loader uses.

Several times faster than Cypher batches into a graph that does not exist yet. The values are
encoded a column at a time, by an encoder chosen for the column's type (most columns hold one
type), and each entity is the join of its columns' pieces: no per-value type dispatch.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from typing import Any

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
#: Bytes per GRAPH.BULK command; Redis takes up to 512 MB per argument.
_BULK_BYTES = 32_000_000
_NONE = b"\x00"
_TRUE, _FALSE = struct.pack("=B?", _BOOL, True), struct.pack("=B?", _BOOL, False)
_LONG_PACK = struct.Struct("=Bq").pack
_DOUBLE_PACK = struct.Struct("=Bd").pack
_ENDS = struct.Struct("=QQ").pack


def _binary(value: Any) -> bytes:
    """One property value in GRAPH.BULK's encoding: a type byte, then the value."""
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, int):
        return _LONG_PACK(_LONG, value)
    if isinstance(value, float):
        return _DOUBLE_PACK(_DOUBLE, value)
    if isinstance(value, str):
        return b"\x03" + value.encode("utf-8") + _NONE
    if isinstance(value, list):
        return _LONG_PACK(_ARRAY, len(value)) + b"".join([_binary(v) for v in value])
    raise TypeError(f"no bulk encoding for {type(value).__name__}")


def _string(value: str | None) -> bytes:
    return _NONE if value is None else b"\x03" + value.encode("utf-8") + _NONE


def _double(value: float | None) -> bytes:
    return _NONE if value is None else _DOUBLE_PACK(_DOUBLE, value)


def _long(value: int | None) -> bytes:
    return _NONE if value is None else _LONG_PACK(_LONG, value)


def _strings(value: list[str] | None) -> bytes:
    if value is None:
        return _NONE
    return _LONG_PACK(_ARRAY, len(value)) + b"".join([b"\x03" + v.encode("utf-8") + _NONE for v in value])


def _has_nul(values: list[Any]) -> bool:
    texts = [v for v in values if type(v) is str]
    texts += [t for v in values if type(v) is list for t in v if type(t) is str]
    return "\x00" in "".join(texts)


def _column(values: list[Any]) -> list[bytes]:
    """The encodings of one column's values (None: property not set)."""
    types = {type(v) for v in values}
    types.discard(type(None))
    encode: Callable[[Any], bytes] = _binary
    if types == {str}:
        encode = _string
    elif types == {float}:
        encode = _double
    elif types == {int}:
        encode = _long
    elif types == {list} and all(type(t) is str for v in values if v is not None for t in v):
        encode = _strings
    if (str in types or list in types) and _has_nul(values):
        raise ValueError("a text holds a NUL byte")
    return list(map(encode, values))


def _entities(props: list[dict[str, Any]], columns: list[str], prefix: list[bytes] | None = None) -> list[bytes]:
    """Each row's values in ``columns`` order as one entity, behind its ``prefix`` (a relationship's ends)."""
    encoded = [_column([p.get(k) for p in props]) for k in columns]
    if prefix is not None:
        encoded.insert(0, prefix)
    if not encoded:
        return [b""] * len(props)
    if len(encoded) == 1:
        return encoded[0]
    return list(map(b"".join, zip(*encoded)))


def _header(name: str, columns: list[str]) -> bytes:
    return name.encode() + b"\x00" + struct.pack("=I", len(columns)) + b"".join(c.encode() + b"\x00" for c in columns)


def bulk_commands(rows: Any) -> Iterator[list[Any]]:
    """The GRAPH.BULK commands that create ``rows`` (a :class:`GraphRows`) in an empty graph.

    Nodes are numbered in the order they are sent; a relationship names its
    ends by those numbers. A text holding a NUL byte cannot be sent this way
    (ValueError): the caller falls back to ``UNWIND`` batches.
    """
    from clusterkg.graph.cypher.schema import NODE_LABELS, REL_TYPES

    number: dict[str, dict[str, int]] = {label: {} for label in NODE_LABELS}
    count = 0
    blobs: list[tuple[str, bytes, int]] = []  # ("node"|"rel", blob, entity count)

    def groups(header: bytes, entities: list[bytes], kind: str) -> None:
        chunk, size, n = [header], len(header), 0
        for entity in entities:
            if size + len(entity) > _BULK_BYTES and n:
                blobs.append((kind, b"".join(chunk), n))
                chunk, size, n = [header], len(header), 0
            chunk.append(entity)
            size += len(entity)
            n += 1
        if n:
            blobs.append((kind, b"".join(chunk), n))

    for label in NODE_LABELS:
        by_labels: dict[str, list[dict[str, Any]]] = {}
        for row in rows.nodes.get(label, []):
            by_labels.setdefault(":".join([label, *row["labels"]]), []).append(row)
        numbers = number[label]
        for name, group in sorted(by_labels.items()):
            props = [row["props"] for row in group]
            columns = sorted({k for p in props for k in p})
            entities = _entities(props, columns)
            for row in group:
                numbers[row["id"]] = count
                count += 1
            groups(_header(name, columns), entities, "node")
    for rel in REL_TYPES:
        group = rows.relationships.get(rel, [])
        if not group:
            continue
        props = [r["props"] for r in group]
        columns = sorted({k for p in props for k in p})
        starts, ends = number[rel.start], number[rel.end]
        prefix = list(map(_ENDS, [starts[r["start"]] for r in group], [ends[r["end"]] for r in group]))
        groups(_header(rel.type, columns), _entities(props, columns, prefix), "rel")

    # Pack the blobs into commands under the size limit: nodes before relationships.
    first = True
    batch: list[tuple[str, bytes, int]] = []
    size = 0
    for blob in [*blobs, None]:
        if blob is None or (batch and size + len(blob[1]) > _BULK_BYTES):
            nodes = [b for b in batch if b[0] == "node"]
            rels = [b for b in batch if b[0] == "rel"]
            yield ([b"BEGIN"] if first else []) + [
                sum(b[2] for b in nodes), sum(b[2] for b in rels), len(nodes), len(rels),
                *(b[1] for b in nodes), *(b[1] for b in rels),
            ]
            first, batch, size = False, [], 0
            if blob is None:
                break
        batch.append(blob)
        size += len(blob[1])
