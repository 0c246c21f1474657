"""Names: the key names are matched by, readable ids, and the names of countries and regions.

Shared by the loaders (the resolver, the extractor) and every graph form.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from functools import lru_cache

# Only the Latin/Greek/Cyrillic combining diacritics: the Japanese voicing marks
# (U+3099, U+309A) are also combining marks, and dropping them would make
# different kana the same.
_DIACRITICS = re.compile("[\u0300-\u036f]")


def fold_accents(text: str) -> str:
    """``"Zürich"`` -> ``"Zurich"``; leaves kana and kanji as they are.

    >>> fold_accents("Île-de-France Région")
    'Ile-de-France Region'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFKC", _DIACRITICS.sub("", decomposed))


# Legal forms, as the words they become once punctuation is a space
# ("K.K." -> "k k"). Latin ones are stripped at the end of a name only.
_LATIN_FORMS = (
    "inc incorporated corp corporation ltd limited llc llp plc gmbh ggmbh ag se sa sas sarl "
    "srl spa bv nv ab asa oy kk pty kg kgaa"
).split() + [
    "kabushiki kaisha", "k k", "e v", "s a", "s a s", "s a r l", "s r l", "s p a", "b v", "n v",
    "p l c", "l l c", "l l p",
]
# Japanese ones are stripped at either end, also when written without a space.
_JAPANESE_FORMS = (
    "株式会社", "有限会社", "合同会社", "一般社団法人", "公益財団法人", "一般財団法人", "公益社団法人",
    "国立研究開発法人",
)
_SUFFIXES = frozenset(tuple(form.split()) for form in [*_LATIN_FORMS, *_JAPANESE_FORMS, "株"])
_PREFIXES = frozenset(tuple(form.split()) for form in [*_JAPANESE_FORMS, "株", "kabushiki kaisha"])
_SUFFIX_ENDS = frozenset(form[-1] for form in _SUFFIXES)
_PREFIX_STARTS = frozenset(form[0] for form in _PREFIXES)
_LONGEST = max(len(form) for form in _SUFFIXES | _PREFIXES)
# "Co" and "Company" are a legal form only before another ("Co., Ltd.") or after "&" ("& Co.").
_COMPANY = frozenset({"co", "company"})
_NOT_WORD = re.compile(r"[^\w&]+|_+")
# Every character whose NFKD form has a diacritic fold_accents drops (found by
# scanning all code points); text without them needs NFKC only.
_MAY_HAVE_ACCENTS = re.compile("[\u00a8-\u2fff\ufe49-\ufe4c\uffe3]")


@lru_cache(maxsize=1 << 18)
def normalize_name(text: str) -> str:
    """The key names are matched by.

    Ignores case, punctuation and symbols, accents on Latin letters, full-width
    forms, a leading "the" and legal forms (Ltd, GmbH, K.K., 株式会社, ...),
    stripped repeatedly but never down to nothing: text that is not blank never
    gives ``""``. A key is its own key (``normalize_name(key) == key``).

    Parameters
    ----------
    text : str
        A name as written in a source.

    Returns
    -------
    str
        Lower-case words separated by single spaces.

    Examples
    --------
    >>> normalize_name("The LINK-J Co., Ltd.")
    'link j'
    >>> normalize_name("Universität Zürich")
    'universitat zurich'
    >>> normalize_name("株式会社ＬＩＮＫ－Ｊ")
    'link j'
    >>> normalize_name("Company")
    'company'
    """
    if text.isascii():
        folded = text.casefold()
    elif _MAY_HAVE_ACCENTS.search(text):
        folded = fold_accents(text).casefold().replace("ı", "i")
    else:  # kana and kanji: NFKC alone is what fold_accents would give, and far faster
        folded = unicodedata.normalize("NFKC", text).casefold()
    ascii_only = folded.isascii()  # then no Japanese legal form can be written onto a word
    not_word = _NOT_WORD if ascii_only else _not_word_nor_mark()
    tokens = not_word.sub(" ", folded.replace("&", " & ")).split()
    # Each round strips at most one thing from each end, so that "The Ltd Ltd."
    # ends as "ltd" and "The The Ltd." as "the": never down to nothing. Rounds
    # go on while anything is stripped, so the key is its own key.
    after_legal, changed = False, True
    while changed:
        changed = False
        while tokens and tokens[-1] == "&":  # "&" is never part of the key;
            del tokens[-1]  # at an end it would hide a legal form ("Acme Ltd &")
        while tokens and tokens[0] == "&":
            del tokens[0]
        if size := _form_at_end(tokens):
            del tokens[-size:]
            after_legal = changed = True
        elif len(tokens) > 1 and tokens[-1] in _COMPANY and (after_legal or tokens[-2] == "&"):
            del tokens[-2 if tokens[-2] == "&" and len(tokens) > 2 else -1 :]
            changed = True
        elif not ascii_only and _strip_attached(tokens, -1):
            changed = True
        if len(tokens) > 1 and tokens[0] == "the":
            del tokens[0]
            changed = True
        elif size := _form_at_start(tokens):
            del tokens[:size]
            changed = True
        elif not ascii_only and _strip_attached(tokens, 0):
            changed = True
    if "&" in tokens:  # "&" is not in the key, which may then end in a legal form: "S & A" -> "s a"
        key = " ".join(token for token in tokens if token != "&")
        return normalize_name(key) if key else " ".join(folded.split())
    key = " ".join(tokens)
    # Text of punctuation or lone diacritics only ("&", "´") is its own key.
    return key or " ".join(folded.split()) or " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def _not_word_nor_mark() -> re.Pattern[str]:
    """_NOT_WORD that keeps combining marks in their word.

    ``\\w`` leaves out the vowel signs of Thai, Devanagari and other scripts
    (category M), so they would split words and drop out of the key, making
    different names (กิน, กัน) the same. Built on the first non-ASCII name.
    """
    ranges: list[list[int]] = []
    # Marks are printable, and \w are the alphanumeric characters and "_": so the
    # filtering of all code points is done in C, and unicodedata is asked about
    # the few thousand left (a tenth of the time of asking about every one).
    printable = "".join(filter(str.isprintable, map(chr, range(sys.maxunicode + 1))))
    for char in re.sub(r"\w+", "", printable):
        if unicodedata.category(char)[0] == "M":
            code = ord(char)
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    marks = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return re.compile(rf"[^\w&{marks}]+|_+")


def _form_at_end(tokens: list[str]) -> int:
    """How many tokens a legal form at the end takes (0 if none, or if it is all there is)."""
    if len(tokens) < 2 or tokens[-1] not in _SUFFIX_ENDS:
        return 0
    if (tokens[-1],) in _SUFFIXES:  # no longer form ends in a one-word form
        return 1
    for size in range(min(_LONGEST, len(tokens) - 1), 0, -1):
        if tuple(tokens[-size:]) in _SUFFIXES:
            return size
    return 0


def _form_at_start(tokens: list[str]) -> int:
    if not tokens or tokens[0] not in _PREFIX_STARTS:
        return 0
    for size in range(min(_LONGEST, len(tokens) - 1), 0, -1):
        if tuple(tokens[:size]) in _PREFIXES:
            return size
    return 0


def _strip_attached(tokens: list[str], end: int) -> bool:
    """Strip a Japanese legal form written onto the first (0) or last (-1) word: 株式会社タカラ."""
    if not tokens:
        return False
    word = tokens[end]
    for form in _JAPANESE_FORMS:
        if len(word) > len(form) and (word.endswith(form) if end else word.startswith(form)):
            tokens[end] = word[: -len(form)] if end else word[len(form) :]
            return True
    return False


def slugify(text: str) -> str:
    """A readable id from a name: ``"Kanagawa Prefecture"`` -> ``"kanagawa-prefecture"``.

    Non-Latin text has no readable slug, so it becomes a short hash instead.

    >>> slugify("The Cell & Gene Therapy Catapult")
    'the-cell-gene-therapy-catapult'
    """
    ascii_text = fold_accents(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug or "x" + hashlib.sha1(text.encode()).hexdigest()[:10]


@lru_cache(maxsize=4096)
def country_name(code: str | None, common: bool = False) -> str | None:
    """The English name of an ISO 3166-1 alpha-2 country code, or None for an unknown code.

    ``common`` prefers the everyday name where ISO's is formal.

    >>> country_name("GB"), country_name("KR", common=True), country_name("ZZ")
    ('United Kingdom', 'South Korea', None)
    """
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return None
    return (getattr(country, "common_name", None) if common else None) or country.name


@lru_cache(maxsize=16384)
def region_name(code: str | None) -> str | None:
    """The name of an ISO 3166-2 subdivision code, or None for an unknown code.

    >>> region_name("JP-14"), region_name("XX-99")
    ('Kanagawa', None)
    """
    import pycountry

    region = pycountry.subdivisions.get(code=code) if code else None
    return region.name if region else None
