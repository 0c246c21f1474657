"""Where a proposed organisation is: a country (and region) only from evidence.

Evidence, strongest first:

1. the reference list of the field's organisations (:mod:`clusterkg.loaders.reference`) knows the
   name, and gives one place for it;
2. the name or the description the text attaches to it names a country: "Korea Health Industry
   Development Institute", "UK-based", "(a life science organization in Southern France)",
   "Japanese Society for ...";
3. a region only together with its country: "in Hamburg, Germany", or a region of the country
   found by 1 or 2 named in the name or its description ("Kanagawa", once the country is JP).

A lone word that happens to be the name of a subdivision somewhere ("Nord", "Southern", "Centre")
is never evidence of a country: guessing a place is worse than leaving it for the reviewer.

Examples
--------
>>> place_of("Eurobiomed", "")
('FR', 'FR-PAC')
>>> place_of("Nordic Cell Network", "Nordic Cell Network (a biotech cluster in Hamburg, Germany) signed")
('DE', 'DE-HH')
>>> place_of("Acme Cluster Nord", "")
(None, None)
"""

from __future__ import annotations

import re

import pycountry

from clusterkg.loaders.reference import lookup, name_index
from clusterkg.loaders.resolve import normalize_name

_COUNTRIES: dict[str, str] = {}
for _c in pycountry.countries:
    for _attr in ("name", "common_name", "official_name"):
        if getattr(_c, _attr, None):
            _COUNTRIES[getattr(_c, _attr).casefold()] = _c.alpha_2
_COUNTRIES.update({
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "us": "US", "u.s.": "US", "u.s.a.": "US", "usa": "US",
    "united states": "US", "america": "US", "korea": "KR", "south korea": "KR", "taiwan": "TW", "russia": "RU",
    "vietnam": "VN", "iran": "IR", "czechia": "CZ", "holland": "NL", "the netherlands": "NL",
})
# adjectives of a country, in a name or a description ("Japanese Society ...", "a Swedish cluster")
_DEMONYMS = {
    "japanese": "JP", "british": "GB", "german": "DE", "french": "FR", "american": "US", "korean": "KR",
    "chinese": "CN", "swiss": "CH", "danish": "DK", "swedish": "SE", "dutch": "NL", "italian": "IT",
    "spanish": "ES", "canadian": "CA", "australian": "AU", "irish": "IE", "scottish": "GB", "welsh": "GB",
    "english": "GB", "norwegian": "NO", "finnish": "FI", "belgian": "BE", "flemish": "BE", "austrian": "AT",
    "israeli": "IL", "indian": "IN", "singaporean": "SG", "taiwanese": "TW", "polish": "PL", "czech": "CZ",
    "hungarian": "HU", "portuguese": "PT", "greek": "GR", "brazilian": "BR", "mexican": "MX", "cuban": "CU",
    "russian": "RU", "lithuanian": "LT", "estonian": "EE", "latvian": "LV", "icelandic": "IS", "turkish": "TR",
    "thai": "TH", "malaysian": "MY", "indonesian": "ID", "vietnamese": "VN", "filipino": "PH", "californian": "US",
}
_SUBDIVISIONS: dict[str, list[tuple[str, str]]] = {}
for _s in pycountry.subdivisions:
    _SUBDIVISIONS.setdefault(_s.name.casefold(), []).append((_s.country_code, _s.code))
_WORD = re.compile(r"[^\W\d_][\w.'’]*(?:-[^\W\d_][\w.'’]*)*")


def in_reference(name: str) -> bool:
    """Is this a name, acronym or other-language name of an organisation of the reference list?"""
    return bool(name.strip()) and normalize_name(name) in name_index()


def place_of(name: str, context: str = "") -> tuple[str | None, str | None]:
    """Country (ISO 3166-1 alpha-2) and region (ISO 3166-2) of an organisation, or None where the
    evidence does not say."""
    known = lookup(name)
    if known and len({(o.country, o.region) for o in known}) == 1:
        return known[0].country, known[0].region
    texts = [t for t in (name, _description(name, context)) if t]
    country = None
    for text in texts:
        country = _country_in(text)
        if country:
            break
    if country is None:
        for text in texts:  # "in Hamburg, Germany": a region with its own country
            for m in re.finditer(r"\b([A-Z][\w'’ -]{1,40}?),\s+([A-Z][\w'’. ]{1,40}?)\b(?=\s*[,;)]|\s*$)", text):
                code = _COUNTRIES.get(m.group(2).casefold())
                region = _region(m.group(1), code) if code else None
                if region:
                    return code, region
        return None, None
    for text in texts:
        for phrase in _phrases(text):
            region = _region(phrase, country)
            if region:
                return country, region
    return country, None


def _phrases(text: str):
    words = _WORD.findall(text)
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            yield " ".join(words[i:i + size])


def _country_in(text: str) -> str | None:
    for phrase in _phrases(text):
        low = re.sub(r"-based$", "", phrase.casefold())
        if not phrase[0].isupper():
            continue
        if low in _COUNTRIES:
            return _COUNTRIES[low]
        if low in _DEMONYMS:
            return _DEMONYMS[low]
    return None


def _region(phrase: str, country: str) -> str | None:
    """The ISO 3166-2 code of a subdivision of ``country`` named ``phrase`` (one level: "DE-HH")."""
    if not phrase[:1].isupper():
        return None
    codes = [code for cc, code in _SUBDIVISIONS.get(phrase.casefold(), []) if cc == country and code.count("-") == 1]
    return codes[0] if len(codes) == 1 else None


def _description(name: str, context: str) -> str | None:
    """What the text says right after the name: "(a ... in Southern France)", ", a ... in Hamburg, Germany",
    "-based", "based in ..."."""
    at = context.find(name)
    if at == -1:
        return None
    after = context[at + len(name): at + len(name) + 240]
    match = (re.match(r"\s*(?:\([^()]*\)\s*)?\(([^()]{1,200})\)", after)
             or re.match(r"\s*,\s*((?:a|an|the|based|headquartered|located)\b[^;]{1,120}?)(?:,\s+(?:and|signed|has|have|is|will)\b|[;.]|$)", after))
    before = re.search(r"\b([A-Z][\w.]*)-based\s+(?:\w+\s+){0,3}$", context[max(0, at - 80): at])
    found = " ".join(x for x in (match.group(1) if match else None, before.group(0) if before else None) if x)
    return found or None
