"""Cell text <-> field values: the escapes and codecs of CSV cells and Excel sheets.

Cells that hold several values separate them with ``;``. Structured entries use
``|`` between their parts (posts, signatories), ``[role]`` after an organisation
(parties, participants) and ``language=name`` (names). In those cells a backslash
makes the next ``\\ ; | [ ] =`` literal: ``\\;`` is a ``;`` inside a value. Cells of
single-valued columns are taken literally; ``extraction`` holds JSON. See docs/formats.md.
"""

from __future__ import annotations

import json
import re
from typing import Any

# -- escapes ---------------------------------------------------------------------

_SPECIALS = "\\;|[]="
_UNESCAPE = re.compile(r"\\([\\;|\[\]=])")


def _escaper(chars: str) -> dict[int, str]:
    return {ord(c): "\\" + c for c in "\\" + chars}


_ESC_LIST = _escaper(";")
_ESC_POST = _escaper(";|")
_ESC_PARTY = _escaper(";[]")


def unescape(raw: str) -> str:
    """``a\\;b`` -> ``a;b``; a backslash before any other character is kept."""
    return _UNESCAPE.sub(r"\1", raw) if "\\" in raw else raw


def split(raw: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not escaped; the pieces keep their escapes."""
    if "\\" not in raw:
        return raw.split(sep)
    pieces: list[str] = []
    start = i = 0
    n = len(raw)
    while i < n:
        c = raw[i]
        if c == "\\":
            i += 2
            continue
        if c == sep:
            pieces.append(raw[start:i])
            start = i + 1
        i += 1
    pieces.append(raw[start:])
    return pieces


def _unescaped(raw: str, chars: str) -> list[tuple[int, str]]:
    """Positions of the unescaped ``chars`` in ``raw``."""
    if "\\" not in raw:
        return [(i, c) for i, c in enumerate(raw) if c in chars]
    found = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\":
            i += 2
            continue
        if c in chars:
            found.append((i, c))
        i += 1
    return found


def _entries(cell: str) -> list[str]:
    """The non-empty ``;``-separated entries of a cell, stripped, still escaped."""
    return [e for e in (p.strip() for p in split(cell, ";")) if e]


# -- codecs: cell text <-> field value -------------------------------------------


class Codec:
    """Turns a (stripped, non-empty) cell into a field value, and a value into a cell.

    ``decode`` returns the value (None for nothing) and messages about malformed
    entries; a malformed entry is left out of the value.
    """

    shape = ""

    def decode(self, cell: str) -> tuple[Any, list[str]]:
        return cell, []

    def encode(self, value: Any) -> str:
        return str(value)

    def bad(self, n: int, entry: str, what: str) -> str:
        return f"entry {n} {entry!r} {what}; expected {self.shape}"


class Text(Codec):
    """One value, taken literally."""


class TextList(Codec):
    shape = "values separated by ';' (write \\; for a ';' inside a value)"

    def decode(self, cell: str) -> tuple[Any, list[str]]:
        values = [unescape(e) for e in _entries(cell)]
        return values or None, []

    def encode(self, value: Any) -> str:
        return "; ".join(v.translate(_ESC_LIST) for v in value)


class Names(Codec):
    shape = "'language=name' entries separated by ';', e.g. 'ja=神奈川県; de=Präfektur Kanagawa'"

    def decode(self, cell: str) -> tuple[Any, list[str]]:
        names: dict[str, str] = {}
        problems = []
        for n, entry in enumerate(_entries(cell), 1):
            eq = _unescaped(entry, "=")
            if not eq:
                problems.append(self.bad(n, entry, "has no '='"))
                continue
            lang, name = unescape(entry[: eq[0][0]]).strip(), unescape(entry[eq[0][0] + 1 :]).strip()
            if not lang or not name:
                problems.append(self.bad(n, entry, "needs both a language and a name"))
            elif lang in names:
                problems.append(self.bad(n, entry, f"gives language {lang!r} a second time"))
            else:
                names[lang] = name
        return names or None, problems

    def encode(self, value: Any) -> str:
        return "; ".join(f"{lang}={name.translate(_ESC_LIST)}" for lang, name in value.items())


class Parts(Codec):
    """Entries of ``|``-separated parts mapped to keys (posts, signatories).

    ``required`` lists alternatives: each tuple needs at least one of its keys.
    """

    def __init__(self, keys: tuple[str, ...], least: int, shape: str, required: tuple[tuple[str, ...], ...]):
        self.keys, self.least, self.shape, self.required = keys, least, shape, required

    def decode(self, cell: str) -> tuple[Any, list[str]]:
        items, problems = [], []
        for n, entry in enumerate(_entries(cell), 1):
            parts = [unescape(p).strip() for p in split(entry, "|")]
            if not self.least <= len(parts) <= len(self.keys):
                what = f"has {len(parts)} part{'s' * (len(parts) != 1)}"
                problems.append(self.bad(n, entry, what + " separated by '|'"))
                continue
            item = {k: v for k, v in zip(self.keys, parts) if v}
            missing = [" or ".join(options) for options in self.required if not item.keys() & set(options)]
            if missing:
                problems.append(self.bad(n, entry, f"has no {' and no '.join(missing)}"))
                continue
            items.append(item)
        return items or None, problems

    def encode(self, value: Any) -> str:
        entries = []
        for item in value:
            parts = [str(item.get(k) or "").translate(_ESC_POST) for k in self.keys]
            while len(parts) > self.least and not parts[-1]:
                parts.pop()
            entries.append(" | ".join(parts).strip())
        return "; ".join(entries)


class Roles(Codec):
    """``Organisation name [role]`` entries (parties, participants)."""

    shape = "'Organisation name [role]' entries separated by ';' (the role is optional; write \\[ for a literal '[')"

    def decode(self, cell: str) -> tuple[Any, list[str]]:
        items, problems = [], []
        for n, entry in enumerate(_entries(cell), 1):
            marks = _unescaped(entry, "[]")
            if not marks:
                items.append({"organization": unescape(entry)})
                continue
            kinds = "".join(c for _, c in marks)
            if kinds == "[":
                problems.append(self.bad(n, entry, "has '[' without a closing ']'"))
            elif kinds != "[]":
                problems.append(self.bad(n, entry, "has unbalanced or repeated '[' ']'"))
            elif entry[marks[1][0] + 1 :].strip():
                problems.append(self.bad(n, entry, "has text after the ']'"))
            else:
                org = unescape(entry[: marks[0][0]]).strip()
                role = unescape(entry[marks[0][0] + 1 : marks[1][0]]).strip()
                if not org:
                    problems.append(self.bad(n, entry, "has no organisation before the '['"))
                else:
                    items.append({"organization": org, "role": role} if role else {"organization": org})
        return items or None, problems

    def encode(self, value: Any) -> str:
        entries = []
        for item in value:
            text = item["organization"].translate(_ESC_PARTY)
            if item.get("role"):
                text += f" [{item['role'].translate(_ESC_PARTY)}]"
            entries.append(text)
        return "; ".join(entries)


class Json(Codec):
    """A nested value as JSON text (the ``extraction`` of an extracted agreement)."""

    shape = 'a JSON object, e.g. {"file": "release.txt", "confidence": 0.8}'

    def decode(self, cell: str) -> tuple[Any, list[str]]:
        try:
            value = json.loads(cell)
        except (ValueError, RecursionError) as error:
            return None, [f"not valid JSON ({error}); expected {self.shape}"]
        if not isinstance(value, dict):
            return None, [f"expected {self.shape}, got {type(value).__name__}"]
        return value, []

    def encode(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


TEXT = Text()
JSON = Json()
LIST = TextList()
NAMES = Names()
POSTS = Parts(
    ("title", "organization", "start", "end"), 2,
    "'title | organisation | start | end' entries separated by ';' (start and end are optional)",
    (("title",), ("organization",)),
)
#: A signatory is written by name; the optional fourth part is the id of the
#: person's record (people.csv), so a signatory known only by id reads back as such.
SIGNATORIES = Parts(
    ("name", "title", "on_behalf_of", "person"), 3,
    "'Person name | title | on behalf of organisation' entries separated by ';', optionally "
    "'| person id' after them (leave the title empty as 'Name | | Organisation')",
    (("name", "person"), ("on_behalf_of",)),
)
ROLES = Roles()
