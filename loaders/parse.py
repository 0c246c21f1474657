"""Raw records -> model records, with every problem named by file, line and field."""

from __future__ import annotations

from pydantic import ValidationError

from .model import RECORD_TYPES, Record, RecordProblems
from .problems import Problem, RawRecord


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
    return f"{raw.type} {ident}" if isinstance(ident, str) and ident.strip() else None


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
            parts = [(base, message)]
        for path, message in parts:
            problems.append(Problem(raw.locate(path), message, path or None, record))
    return problems


def parse(raw: RawRecord) -> tuple[Record | None, list[Problem]]:
    """Validate one raw record. Returns the record, or None and all its problems."""
    cls = RECORD_TYPES[raw.type]
    try:
        return cls.model_validate(raw.data), []
    except ValidationError as error:
        return None, problems_of(error, raw)
