"""Country codes from what people type: ISO codes, English names and their common short forms.

``JP``, ``jp``, ``JPN``, ``Japan``, ``United Kingdom``, ``USA``, ``South Korea`` are each one
country. Forms that are not the ISO name of the code they stand for (``UK``, ``Britain``,
``England``) are read with a note, so that the analyst learns the code: ISO 3166-1 calls the
United Kingdom ``GB``. A name that could be two countries (``Korea``) is refused with both.
The names are pycountry's (ISO 3166-1 names, official and common names), plus the table below.
"""

from __future__ import annotations

from functools import lru_cache

#: Common forms pycountry does not know: form (lower case) -> (code, note or None).
_GB_NOTE = "{given!r} read as GB, the ISO 3166-1 code of the United Kingdom"
_COMMON: dict[str, tuple[str, str | None]] = {
    "uk": ("GB", _GB_NOTE),
    "u.k.": ("GB", _GB_NOTE),
    "great britain": ("GB", _GB_NOTE),
    "britain": ("GB", _GB_NOTE),
    "england": ("GB", _GB_NOTE + "; give the region GB-ENG to say England"),
    "scotland": ("GB", _GB_NOTE + "; give the region GB-SCT to say Scotland"),
    "wales": ("GB", _GB_NOTE + "; give the region GB-WLS to say Wales"),
    "northern ireland": ("GB", _GB_NOTE + "; give the region GB-NIR to say Northern Ireland"),
    "u.s.": ("US", None),
    "u.s.a.": ("US", None),
    "america": ("US", None),
    "united states of america": ("US", None),
    "russia": ("RU", None),
    "turkey": ("TR", None),
    "holland": ("NL", None),
    "republic of korea": ("KR", None),
    "ivory coast": ("CI", None),
    "czech republic": ("CZ", None),
    "vatican": ("VA", None),
    "macau": ("MO", None),
    "laos": ("LA", None),
    "syria": ("SY", None),
    "bolivia": ("BO", None),
    "venezuela": ("VE", None),
    "tanzania": ("TZ", None),
    "moldova": ("MD", None),
    "brunei": ("BN", None),
    "cape verde": ("CV", None),
    "swaziland": ("SZ", None),
    "burma": ("MM", None),
    "east timor": ("TL", None),
}
#: Names that could be either of two countries.
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "korea": ("KR", "KP"),
    "congo": ("CG", "CD"),
    "guinea": ("GN", "GQ", "GW"),
}


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def _name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=4096)
def country_code(value: str) -> tuple[str, str | None]:
    """The ISO 3166-1 alpha-2 code ``value`` stands for, and a note when it is worth one.

    Raises ValueError (its message fit for a user) for text that is no country, or could be several.

    >>> country_code("jp"), country_code("United Kingdom"), country_code("USA")
    (('JP', None), ('GB', None), ('US', None))
    >>> country_code("UK")
    ('GB', "'UK' read as GB, the ISO 3166-1 code of the United Kingdom")
    """
    text = " ".join(value.split())
    code = text.upper()
    if len(code) == 2 and code in _codes():
        return code, None
    key = text.lower().removeprefix("the ")
    if key in _COMMON:
        code, note = _COMMON[key]
        return code, note.format(given=text) if note else None
    choices = _AMBIGUOUS.get(key)
    if choices:
        listed = " or ".join(f"{_name(c)} ({c})" for c in choices)
        raise ValueError(f"{value!r} could be {listed}; write the code of the one you mean")
    if text and not text.isdigit():
        import pycountry

        try:
            return pycountry.countries.lookup(key).alpha_2, None
        except LookupError:
            pass
    shown = repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    raise ValueError(
        f"{shown} is not an ISO 3166-1 alpha-2 country code (e.g. JP, GB, DE) or a country's English name "
        "(Japan, United Kingdom)"
    )
