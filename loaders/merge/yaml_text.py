"""YAML text edited in place: nodes with their places in the text, and the text inserted at them.

A merge adds to a data file without rewriting it: :func:`tree` reads the file's
first document as nodes with their character offsets, and :class:`Edits`
collects insertions and replacements at those offsets, written in the style
around them (block or flow, the file's indentation and line ends), and applies
them together. Every other byte stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(value: Any) -> str:
    """``value`` as block YAML, keys in their order, no anchors."""
    return yaml.dump(value, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def _flow(items: list[Any]) -> str:
    return yaml.dump(items, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1 << 30,
                     default_flow_style=True).strip()


def _indent(text: str, spaces: int, nl: str) -> str:
    pad = " " * spaces
    return "".join(pad + line + nl if line.strip() else nl for line in text.splitlines())


def _block_items(items: list[Any], col: int, nl: str) -> str:
    return _indent(dump(items), col, nl)


def _block_key(key: str, items: list[Any], col: int, nl: str) -> str:
    return " " * col + f"{key}:" + nl + _block_items(items, col + 2, nl)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, end: int) -> int:
    """The start of the line after the one where the content before ``end`` ends."""
    i = end
    while i > 0 and text[i - 1] in " \t\r\n":
        i -= 1
    at = text.find("\n", i)
    return len(text) if at == -1 else at + 1


def read_text(path: Path) -> str:
    """A data file's text (a byte order mark dropped)."""
    data = path.read_bytes()
    return data.decode("utf-8-sig")


@dataclass
class Node:
    """A YAML node and where it is in the text."""

    kind: str  # scalar, seq, map, alias
    start: int
    end: int
    line: int  # 1-based
    col: int
    flow: bool = False
    value: str | None = None
    items: list[Any] = field(default_factory=list)  # seq: nodes; map: (key node, value node)

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.items if k.kind == "scalar"]

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.kind == "scalar" and k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Node:
        return next(k for k, _ in self.items if k.kind == "scalar" and k.value == key)

    def content_end(self, text: str) -> int:
        if self.kind in ("scalar", "alias") or self.flow:
            return self.end
        children = [n for pair in self.items for n in (pair if isinstance(pair, tuple) else (pair,))]
        return max((c.content_end(text) for c in children), default=self.end)

    def multiline(self, text: str) -> bool:
        return "\n" in text[self.start:self.end]


def tree(text: str) -> Node | None:
    """The first document of ``text`` as nodes with their character offsets (aliases kept as aliases)."""
    stack: list[Node] = []
    pending_key: list[Node | None] = []
    root: Node | None = None

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            parent.items.append((pending_key[-1], node))
            pending_key[-1] = None

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        mark, end = event.start_mark, event.end_mark
        if isinstance(event, yaml.ScalarEvent):
            attach(Node("scalar", mark.index, end.index, mark.line + 1, mark.column, value=event.value))
        elif isinstance(event, yaml.AliasEvent):
            attach(Node("alias", mark.index, end.index, mark.line + 1, mark.column))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
            node = Node(kind, mark.index, end.index, mark.line + 1, mark.column, flow=bool(event.flow_style))
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            node = stack.pop()
            pending_key.pop()
            node.end = end.index
        elif isinstance(event, yaml.DocumentEndEvent) and root is not None:
            break
    return root


def record_at(root: Node | None, line: int | None) -> Node | None:
    """The record (a mapping in a top-level list) that starts on ``line``."""
    if root is None or root.kind != "map" or line is None:
        return None
    for _, section in root.items:
        if section.kind != "seq":
            continue
        for item in section.items:
            if item.kind == "map" and item.line == line:
                return item
    return None


class Edits:
    """Insertions and replacements in one YAML file's text, applied together."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.tree = tree(text)
        self.changes: list[tuple[int, int, int, str]] = []  # (start, end, order, new text)

    def apply(self) -> str:
        """The text with every change made (those at one place in the order they were asked for)."""
        text = self.text
        for start, end, _, new in sorted(self.changes, key=lambda c: (c[0], c[2]), reverse=True):
            text = text[:start] + new + text[end:]
        return text

    def _change(self, start: int, end: int, new: str) -> None:
        self.changes.append((start, end, len(self.changes) + 1, new))

    def append_items(self, owner: Node, key: str, items: list[Any]) -> str | None:
        """Add ``items`` to the list under ``key`` of the mapping ``owner`` (the key written when it
        is missing or empty); a problem when that cannot be done without rewriting."""
        text, nl = self.text, _newline(self.text)
        value = owner.get(key)
        if value is not None and value.kind == "scalar" and value.value in ("", "~", "null"):
            if owner.flow:  # an empty key: written anew
                return f"'{key}' is empty in a flow mapping; add to it by hand"
            start = _line_start(text, owner.key_node(key).start)
            end = _after_line(text, value.end)
            self._change(start, end, _block_key(key, items, owner.col, nl))
            return None
        if value is None:
            if owner.flow:
                self._change(owner.end - 1, owner.end - 1, f", {key}: {_flow(items)}")
            else:
                at = _after_line(text, owner.content_end(text))
                self._change(at, at, _block_key(key, items, owner.col, nl))
            return None
        if value.kind != "seq":
            return f"'{key}' is not a list in {self.path} (line {value.line}); add to it by hand"
        if value.flow:
            body = _flow(items)[1:-1]
            sep = ", " if value.items else ""
            self._change(value.end - 1, value.end - 1, sep + body)
        else:
            at = _after_line(text, value.content_end(text))
            styles = {item.flow and not item.multiline(text) for item in value.items if item.kind != "alias"}
            if styles == {True}:  # one-line {..} items: write the new ones alike
                block = "".join(f"{' ' * value.col}- {_flow([item])[1:-1]}{nl}" for item in items)
            else:
                block = _block_items(items, value.col, nl)
            self._change(at, at, block)
        return None

    def set_scalar(self, owner: Node, key: str, value: str, quote: bool = True) -> None:
        """Write ``key: value`` in the mapping ``owner``, over the value there is."""
        written = f'"{value}"' if quote else value
        node = owner.get(key)
        if node is not None and node.kind == "scalar":
            self._change(node.start, node.end, written)
        elif owner.flow:
            self._change(owner.end - 1, owner.end - 1, f", {key}: {written}")
        else:
            at = _after_line(self.text, owner.content_end(self.text))
            self._change(at, at, f"{' ' * owner.col}{key}: {written}{_newline(self.text)}")
