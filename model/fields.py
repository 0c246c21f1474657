"""The field types of the records: ids, text, countries, regions, dates, durations, lists.

Each is a pydantic ``Annotated`` type whose check names what is wrong and gives
an example of what is right, so that a message can go to the user as it is.
"""

from __future__ import annotations

import re
import reprlib
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema

from clusterkg.model.countries import country_code
from clusterkg.model.dates import DAYFIRST, PartialDate, _parse_text, check_duration

_HTTP = re.compile(r"^https?://[^\s/]+", re.I)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")

#: The longest text of a field: a name, a title, an alias. Longer is not a name, and
#: would not fit the CSV files a build writes and reads back (131,072 characters a cell).
MAX_TEXT = 10_000
#: The longest free text: a description, notes, the evidence quoted from a source.
MAX_LONG_TEXT = 100_000
#: Characters no output can carry: the C0 controls but tab, line feed and carriage
#: return (XML 1.0, hence Excel and GraphML, has no place for them; FalkorDB's query
#: text ends at NUL), and U+FFFE, U+FFFF (not characters in XML either). Lone
#: surrogates (a broken ``\ud800`` escape in JSON) cannot be written as UTF-8 and
#: are refused by pydantic itself.
NOT_CARRIED = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
#: The pattern text fields must match (pydantic's Rust regex: fast on long text).
CARRIED_PATTERN = f"^[^{NOT_CARRIED}]*$"
_NOT_CARRIED = re.compile(f"[{NOT_CARRIED}]")


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` for a message, cut short when long: a message quotes, it does not copy.

    >>> shown("x" * 100, 20)
    "'xxxxxxxxxxxxxxxxx...' (100 characters)"
    """
    if not isinstance(value, str):  # a list or mapping: reprlib's bounded repr, never the whole of it
        text = reprlib.repr(value)
        return text if len(text) <= limit else text[:limit] + "..."
    text = repr(value[: limit + 2])
    if len(text) <= limit:
        return text
    return text[: limit - 2] + "..." + text[0] + f" ({len(value):,} characters)"


def not_carried(value: str) -> str | None:
    r"""What is wrong with text holding a character no output can carry, or None.

    >>> not_carried("a\x00b")
    'holds the control character U+0000 at character 2, which no output can carry (of the control characters only tab and line breaks are allowed)'
    """
    found = _NOT_CARRIED.search(value)
    if found is None:
        return None
    kind = "control character" if found.group() < "\x20" else "non-character"
    return (f"holds the {kind} U+{ord(found.group()):04X} at character {found.start() + 1}, which no output can "
            "carry (of the control characters only tab and line breaks are allowed)")


def _slug_check(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"{shown(value)} is not a valid id: use lower-case letters, digits and single '-', '_' or '.' "
            "between them (e.g. 'link-j')"
        )
    return value


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=1)
def _subdivisions() -> frozenset[str]:
    import pycountry

    return frozenset(s.code for s in pycountry.subdivisions)


def _country_check(value: str) -> str:
    """An ISO code in any case, or an English name or common form (Japan, USA, UK): see model/countries.py."""
    code = value.strip().upper()
    if code in _countries():
        return code
    return country_code(value)[0]


def _term(value: Any) -> Any:
    """A word of a closed list in any case, spaces or '_' for '-': ``Research Institute`` -> ``research-institute``."""
    return "-".join(value.lower().replace("_", " ").split()) if isinstance(value, str) else value


#: A word of a closed list (an organisation's kind, an event's kind), read in any case.
Term = BeforeValidator(_term)


def _region_check(value: str) -> str:
    code = value.strip().upper()
    if code not in _subdivisions():
        raise ValueError(f"{shown(value)} is not an ISO 3166-2 subdivision code (e.g. JP-14, GB-ENG)")
    return code


def _date_in(value: Any) -> PartialDate:
    if type(value) is str:  # what PartialDate.parse does with text, without its checks of other types
        return _parse_text(value.strip(), DAYFIRST.get())
    return PartialDate.parse(value)


def _as_list(value: Any) -> Any:
    """Let a single value stand for a list of one (``aliases: LINK-J``)."""
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT,
                                        pattern=CARRIED_PATTERN)]
#: Free text: as :data:`Text`, longer.
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LONG_TEXT,
                                            pattern=CARRIED_PATTERN)]
Id = Annotated[str, StringConstraints(strip_whitespace=True), Field(min_length=1)]
#: A reference to another record: its id, name or one of its aliases.
Ref = Text
Country = Annotated[str, BeforeValidator(lambda v: _country_check(v) if isinstance(v, str) else v)]
Region = Annotated[str, BeforeValidator(lambda v: _region_check(v) if isinstance(v, str) else v)]
Date = Annotated[
    PartialDate,
    BeforeValidator(_date_in),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]
Duration = Annotated[str, BeforeValidator(lambda v: check_duration(v) if isinstance(v, str) else v)]
TextList = Annotated[list[Text], BeforeValidator(_as_list)]
RefList = Annotated[list[Ref], BeforeValidator(_as_list)]
LangTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
