"""The field types of the records: ids, text, countries, regions, dates, durations, lists.

Each is a pydantic ``Annotated`` type whose check names what is wrong and gives
an example of what is right, so that a message can go to the user as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema

from clusterkg.model.dates import PartialDate, _parse_text, check_duration

_HTTP = re.compile(r"^https?://[^\s/]+", re.I)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def _slug_check(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits and single '-', '_' or '.' "
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
    code = value.strip().upper()
    if code not in _countries():
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. JP, GB, DE)")
    return code


def _region_check(value: str) -> str:
    code = value.strip().upper()
    if code not in _subdivisions():
        raise ValueError(f"{value!r} is not an ISO 3166-2 subdivision code (e.g. JP-14, GB-ENG)")
    return code


def _date_in(value: Any) -> PartialDate:
    if type(value) is str:  # what PartialDate.parse does with text, without its checks of other types
        return _parse_text(value.strip())
    return PartialDate.parse(value)


def _as_list(value: Any) -> Any:
    """Let a single value stand for a list of one (``aliases: LINK-J``)."""
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
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
