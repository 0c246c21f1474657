"""First loads: FalkorDB's binary bulk insert (``GRAPH.BULK``), the encoder its bulk loader uses.

Several times faster than Cypher batches into a graph that does not exist yet.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
#: Bytes per GRAPH.BULK command; Redis takes up to 512 MB per argument.
_BULK_BYTES = 32_000_000


def _binary(value: Any) -> bytes:
    """One property value in GRAPH.BULK's encoding: a type byte, then the value."""
    if value is None:
        return b"\x00"
    if isinstance(value, bool):
        return struct.pack("=B?", _BOOL, value)
    if isinstance(value, int):
        return struct.pack("=Bq", _LONG, value)
    if isinstance(value, float):
        return struct.pack("=Bd", _DOUBLE, value)
    if isinstance(value, str):
        return bytes([_STRING]) + value.encode("utf-8") + b"\x00"
    if isinstance(value, list):
        return struct.pack("=Bq", _ARRAY, len(value)) + b"".join(_binary(v) for v in value)
    raise TypeError(f"no bulk encoding for {type(value).__name__}")


def _header(name: str, columns: list[str]) -> bytes:
    return name.encode() + b"\x00" + struct.pack("=I", len(columns)) + b"".join(c.encode() + b"\x00" for c in columns)


def bulk_commands(rows: Any) -> Iterator[list[Any]]:
    """The GRAPH.BULK commands that create ``rows`` (a :class:`GraphRows`) in an empty graph.

    Nodes are numbered in the order they are sent; a relationship names its
    ends by those numbers. A text holding a NUL byte cannot be sent this way
    (ValueError): the caller falls back to ``UNWIND`` batches.
    """
    from clusterkg.graph.cypher.schema import NODE_LABELS, REL_TYPES

    number: dict[tuple[str, str], int] = {}
    blobs: list[tuple[str, bytes, int]] = []  # ("node"|"rel", blob, entity count)

    def groups(header: bytes, entities: Iterator[bytes], kind: str) -> None:
        chunk, size, count = [header], len(header), 0
        for entity in entities:
            if size + len(entity) > _BULK_BYTES and count:
                blobs.append((kind, b"".join(chunk), count))
                chunk, size, count = [header], len(header), 0
            chunk.append(entity)
            size += len(entity)
            count += 1
        if count:
            blobs.append((kind, b"".join(chunk), count))

    for label in NODE_LABELS:
        by_labels: dict[str, list[dict[str, Any]]] = {}
        for row in rows.nodes.get(label, []):
            by_labels.setdefault(":".join([label, *row["labels"]]), []).append(row)
        for name, group in sorted(by_labels.items()):
            columns = sorted({k for row in group for k in row["props"]})

            def entities(group=group, columns=columns, label=label) -> Iterator[bytes]:
                for row in group:
                    if any("\x00" in str(v) for v in row["props"].values()):
                        raise ValueError("a text holds a NUL byte")
                    number[(label, row["id"])] = len(number)
                    yield b"".join(_binary(row["props"].get(k)) for k in columns)

            groups(_header(name, columns), entities(), "node")
    for rel in REL_TYPES:
        group = rows.relationships.get(rel, [])
        if not group:
            continue
        columns = sorted({k for r in group for k in r["props"]})

        def rel_entities(group=group, columns=columns, rel=rel) -> Iterator[bytes]:
            for r in group:
                start, end = number[(rel.start, r["start"])], number[(rel.end, r["end"])]
                yield struct.pack("=QQ", start, end) + b"".join(_binary(r["props"].get(k)) for k in columns)

        groups(_header(rel.type, columns), rel_entities(), "rel")

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
