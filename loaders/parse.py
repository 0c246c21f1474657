"""Raw records -> model records, with every problem named by file, line and field."""

from __future__ import annotations

from typing import Any

from clusterkg.model.fields import CARRIED_PATTERN, not_carried, shown
from clusterkg.model.problems import Problem, RawRecord
from clusterkg.model.records import RECORD_TYPES, Record, RecordProblems
from pydantic import ValidationError


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('parties', 1, 'organization')`` -> ``'parties[1].organization'``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("function-") or part in {"str", "dict", "list"}:
            continue  # pydantic's names for union members and wrappers
        else:
            text += ("." if text else "") + part
    return text


def describe(raw: RawRecord) -> str | None:
    """How a record is named in messages: its type and id (``agreement mou-...``)."""
    ident = raw.data.get("id") if isinstance(raw.data, dict) else None
    if not isinstance(ident, str) or not ident.strip():
        return None
    return f"{raw.type} {ident if len(ident) <= 80 else ident[:60] + f'... ({len(ident):,} characters)'}"


def problems_of(error: ValidationError, raw: RawRecord) -> list[Problem]:
    """Turn pydantic's errors into located problems, splitting cross-field checks per field."""
    problems = []
    record = describe(raw)
    for err in error.errors(include_url=False):
        base = field_path(err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, RecordProblems):
            parts = [(f"{base}.{f}" if base else f, m) for f, m in cause.problems]
        else:
            message = err["msg"]
            for prefix in ("Value error, ", "Assertion failed, "):
                message = message.removeprefix(prefix)
            if err["type"] == "extra_forbidden":
                message = "unknown field (check its spelling)"
            elif err["type"] == "missing":
                message = "required field is missing"
            elif err["type"] in {"literal_error", "enum"}:
                message = f"{message}; got {shown(err.get('input'))}"
            else:
                message = _text_message(err) or message
            parts = [(base, clip(message))]
        for path, message in parts:
            problems.append(Problem(raw.locate(path), message, path or None, record))
    return problems


def _text_message(err: dict) -> str | None:
    """Words for what pydantic says of text in its own terms (a pattern, a length, a broken string)."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == CARRIED_PATTERN and isinstance(value, str):
        return not_carried(value.strip())
    if kind == "string_too_long" and isinstance(value, str):
        return f"{len(value.strip()):,} characters long; at most {ctx.get('max_length', 0):,} are allowed"
    if kind == "string_unicode":
        return ("holds a lone surrogate (a broken \\ud800-\\udfff escape in JSON, say), which is no character "
                "and no output can carry")
    return None


#: The longest message a problem gets: a message quotes a value, it does not copy it.
MAX_MESSAGE = 1000


def clip(message: str, limit: int = MAX_MESSAGE) -> str:
    """``message``, or its start and end around a note of what was left out when it is longer than ``limit``."""
    if len(message) <= limit:
        return message
    half = limit // 2 - 20
    return f"{message[:half]} ...({len(message) - 2 * half:,} characters left out)... {message[-half:]}"


# Stand-ins for a missing or broken field that no check across fields reads, so that
# those checks still run on the rest of a record that has a field error.
_STAND_INS = {"sources": [{"title": "stand-in"}], "name": "stand-in", "title": "stand-in"}


def parse(raw: RawRecord) -> tuple[Record | None, list[Problem]]:
    """Validate one raw record. Returns the record, or None and all its problems.

    pydantic skips the checks across fields (an end date before the signing
    date, a party listed twice) once a field fails; they are run again on the
    fields that did validate, so that every problem of the record is reported.
    """
    cls = RECORD_TYPES[raw.type]
    try:  # cls.model_validate(raw.data), without its Python wrapper (a few seconds on a large load)
        return cls.__pydantic_validator__.validate_python(raw.data), []
    except ValidationError as error:
        problems = problems_of(error, raw)
    if isinstance(raw.data, dict):
        problems += _cross_field_problems(cls, raw, problems)
    return None, problems


def _cross_field_problems(cls: type[Record], raw: RawRecord, known: list[Problem]) -> list[Problem]:
    broken = {(p.field or "").split(".")[0].split("[")[0] for p in known}
    data = {k: v for k, v in raw.data.items() if k not in broken}
    for name, info in cls.model_fields.items():
        if name not in data and info.is_required():
            if name not in _STAND_INS:
                return []
            data[name] = _STAND_INS[name]
    try:
        cls.model_validate(data)
    except ValidationError as error:
        seen = {(p.field, p.message) for p in known}
        return [p for p in problems_of(error, raw)
                if (p.field, p.message) not in seen and (p.field or "").split(".")[0].split("[")[0] not in broken]
    return []


def bounded(value: Any, text: int = 10_000, items: int = 1_000, depth: int = 20) -> tuple[Any, bool]:
    """``value`` with texts cut to ``text`` characters, lists and mappings to ``items`` entries and
    nesting to ``depth`` levels, and whether anything was cut: what a report may copy of a rejected record.

    >>> bounded({"name": "x" * 12, "aliases": list(range(5))}, text=7, items=3)
    ({'name': 'xxxxxxx...(5 more characters)', 'aliases': [0, 1, 2, '...(2 more)']}, True)
    """
    cut = False

    def walk(item: Any, level: int) -> Any:
        nonlocal cut
        if isinstance(item, str):
            if len(item) <= text:
                return item
            cut = True
            return f"{item[:text]}...({len(item) - text:,} more characters)"
        if isinstance(item, (list, tuple, dict)):
            if level >= depth:
                cut = True
                return "...(nested too deeply)"
            if isinstance(item, dict):
                keys = list(item)[:items]
                out = {str(walk(k, level + 1)): walk(item[k], level + 1) for k in keys}
                if len(item) > items:
                    cut = True
                    out["..."] = f"({len(item) - items:,} more)"
                return out
            out_list = [walk(v, level + 1) for v in item[:items]]
            if len(item) > items:
                cut = True
                out_list.append(f"...({len(item) - items:,} more)")
            return out_list
        return item

    return walk(value, 0), cut
