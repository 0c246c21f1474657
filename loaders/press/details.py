"""Details of an agreement found in the sentences about it: signatories, term, scope, activities.

Signatories are only people the text presents as signing: the subject or the "by" of a
signing verb ("signed by X, title of A, and Y, title of B"; "X, title of A, signed ... with Y,
title of B"; "Concluded by Taipei Mayor X and AS President Y") or a photo caption of a signing
naming people left to right. People "in the presence of" whom it was signed, witnesses and
guests, and people only quoted, are not signatories; nor is anyone whose organisation is not a
party.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from clusterkg.loaders.press.people import Person
from clusterkg.loaders.press.records import Candidate, Signatory, party_key

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "a": 1, "an": 1}
TERM = re.compile(
    r"\b(?:over|for|during|of|lasting|valid\s+for)\s+(?:the\s+(?:next\s+|coming\s+)?|a\s+(?:period|term)\s+of\s+|an?\s+initial\s+|another\s+|a\s+further\s+)?"
    r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*\(\d+\))?[\s-]+(?P<unit>years?|months?)\b"
    r"|\b(?P<n2>\d+|one|two|three|four|five|six|seven|eight|nine|ten)-(?P<unit2>year|month)\s+(?:term|agreement|mou|memorandum|period|deal|partnership)",
    re.I)
ACTIVITY_ITEMS = re.compile(r"\(\s*(?:\d+|[a-z]|i{1,3}|iv|v)\s*\)\s*([^;()]+?)(?=\s*(?:;|,?\s*and\s*\(|\(\s*(?:\d+|[a-z])\s*\)|\.$|$))")
SCOPE = re.compile(
    r"\b(?:in\s+the\s+(?:field|area|fields|areas)s?\s+of|aimed\s+at|aiming\s+to|to\s+(?:jointly\s+|together\s+)?(?:promote|advance|accelerate|foster|support|strengthen|develop|expand|bolster|boost)|on\s+(?:mutual\s+)?co-?operation\s+in)\s+(?P<scope>[^.;]{4,160})",
    re.I)
CAPTION = re.compile(r"\((?:left|right|center|centre|from left|l|r)\)|^\s*(?:from\s+left|left\s+to\s+right|l-r|pictured)\b", re.I)
SIGNING = re.compile(r"\b(?:sign(?:s|ed|ing)?|conclud(?:ed|es)|ink(?:ed|s)|execut(?:ed|es))\b", re.I)
# after these words nobody signs: "in the presence of", "witnessed by", "attended by"
NOT_SIGNING = re.compile(
    r"\b(?:in\s+the\s+presence\s+of|witness(?:ed|es|ing)?|attended|attending|present|presence|guests?|"
    r"accompanied|hosted|welcomed|said|says|added|according|introduced|observed|joined)\b", re.I)


def term_of(text: str) -> str | None:
    m = TERM.search(text)
    if not m:
        return None
    n = m.group("n") or m.group("n2")
    unit = (m.group("unit") or m.group("unit2")).lower()
    count = int(n) if n.isdigit() else NUMBERS[n.lower()]
    return f"P{count}{'Y' if unit.startswith('year') else 'M'}"


def scope_of(text: str) -> str | None:
    m = SCOPE.search(text)
    if not m:
        return None
    value = re.split(r"\s+(?:with|between|in\s+both|which|who|by)\s+|,", m.group("scope"))[0].strip()
    return value if 3 <= len(value.split()) <= 20 else None


def activities_of(text: str) -> list[str]:
    items = [i.strip(" ,") for i in ACTIVITY_ITEMS.findall(text)]
    items = [re.sub(r"^and\s+", "", i) for i in items if len(i) > 3]
    return items if len(items) >= 2 else []


def party_for(org: str | None, candidate: Candidate, fullest) -> str | None:
    """The party an organisation named beside a person stands for (the text may shorten it)."""
    if not org:
        return None
    name = fullest(org)
    key = party_key(name)
    short = party_key(org)
    for party in candidate.parties:
        party_k = party_key(party)
        if key == party_k or (len(key) > 2 and (key in party_k or party_k in key)) or short == party_k:
            return party
        if len(short) > 2 and short in party_k.split():
            return party
    return None


def signatories(text: str, people: list[Person], candidate: Candidate, fullest,
                by_word: Callable[[], dict[str, tuple[str, str]]] | None = None) -> list[Signatory]:
    """Who signed, from one sentence that says so (or a caption of the signing). ``by_word`` gives
    the full name and organisation of people named again by one word ("Governor Yin")."""
    if not people or not (SIGNING.search(text) or CAPTION.search(text)):
        return []
    if by_word is not None and any(p.org is None and " " not in p.name for p in people):
        known = by_word()
        people = [Person(p.start, p.end, known[p.name][0], p.title, known[p.name][1])
                  if p.org is None and p.name in known else p for p in people]
    found: list[Signatory] = []
    unplaced: list[Person] = []
    for person in people:
        lead = text[: person.start]
        cut = NOT_SIGNING.search(lead)
        if cut and not SIGNING.search(lead[cut.end():]):
            continue
        if person.name in {s.name for s in found}:
            continue
        party = party_for(person.org, candidate, fullest)
        if party is None:
            if person.org is None:
                unplaced.append(person)
            continue
        found.append(Signatory(person.name, person.title, party))
    # a person with no organisation signs for the party nobody else signed for ("Governor Deval Patrick")
    free = [p for p in candidate.parties if p not in {s.organisation for s in found}]
    if found and len(unplaced) == 1 and len(free) == 1:
        person = unplaced[0]
        found.insert(0 if person.start < min(p.start for p in people if p.name == found[0].name) else len(found),
                     Signatory(person.name, person.title, free[0]))
    return found
