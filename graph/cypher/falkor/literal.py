"""Values as Cypher literals, for the one place they enter query text: FalkorDB's parameter header.

FalkorDB takes query parameters as a text prefix, ``CYPHER name=<literal> ...``,
which its parser reads before the query. :func:`cypher_literal` writes that
literal from plain data; the round trip (any text in, the same text read back)
is tested in tests/graph/cypher/test_falkor_literal.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

_MAP_KEY = re.compile(r'(?<=[{,])"([A-Za-z_][A-Za-z0-9_]*)":')
_CONTROL = re.compile(r"(?<!\\)((?:\\\\)*)\\u00([0-9a-fA-F]{2})")


def cypher_literal(value: Any) -> str:
    """``value`` (lists, maps with identifier keys, text, numbers, booleans, None) as the Cypher
    literal that FalkorDB's parameter header reads, made by the C JSON encoder.

    JSON differs from it in two things: map keys are bare (``{id:"a"}``), and FalkorDB reads
    no ``\\u`` escapes, so the control characters JSON escapes that way are written as they are
    (as the ``falkordb`` client does). Inside a JSON string every quote is escaped, so a key
    pattern can never match there.

    A text holding U+0000 cannot be written (:class:`NulInText`): FalkorDB keeps
    texts as C strings.

    Examples
    --------
    >>> print(cypher_literal([{"id": "a", "name": 'x"} DETACH DELETE n //', "tags": ["p", None]}]))
    [{id:"a",name:"x\\"} DETACH DELETE n //",tags:["p",null]}]
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = _MAP_KEY.sub(r"\1:", text)
    return _CONTROL.sub(_unescape, text)


class NulInText(ValueError):
    """A text holds U+0000, which FalkorDB cannot store: its strings end at a NUL byte."""


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(2), 16)
    if code == 0:
        # Written as it is, the NUL would end the query text where the server reads it (a
        # parse error far from the cause); as ``\u0000`` it would be stored as six characters.
        raise NulInText("FalkorDB cannot store text holding a NUL character (U+0000)")
    return match.group(1) + chr(code)


def has_nul(value: Any) -> bool:
    """Whether a text inside ``value`` (lists and maps too) holds U+0000.

    Examples
    --------
    >>> has_nul(["a", {"b": ["c" + chr(0)]}]), has_nul(["a", 1, None])
    (True, False)
    """
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False

