"""Parties: which organisations (or governments, states, countries) a sentence says made an agreement.

A sentence is first cleared of what is not a party name, keeping every offset: parentheses that
are not an acronym, descriptions set off by commas (", a not-for-profit organization
representing ...,"), descriptors before a name ("Swiss pharmaceutical giant Roche"), and
people with their titles (the organisation a person speaks for stays: "Kanagawa Prefecture
Governor Yuji Kuroiwa" leaves "Kanagawa Prefecture"). The names left are grouped ("A, B and
C") and the groups read as the subject of the signing and what follows "with" or "between".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from clusterkg.loaders.press.coref import Capitals, surnames
from clusterkg.loaders.press.names import (
    DEMONYMS,
    HEAD_WORDS,
    SUBUNIT_WORDS,
    Gazetteer,
    Span,
    capitalised_runs,
    is_country,
)
from clusterkg.loaders.press.people import Person, find_people
from clusterkg.loaders.press.places import in_reference
from clusterkg.loaders.press.records import party_key

# national adjectives that describe a name rather than begin it ("Dutch QPS"; but "Dutch Ministry of ...")
_NATIONAL = DEMONYMS - {"international", "global", "north", "south", "east", "west", "northern", "southern",
                        "eastern", "western", "european", "uk", "us", "u.s.", "u.k."}
_NATIONAL |= {"belgian", "flemish", "norwegian", "finnish", "polish", "czech", "hungarian", "portuguese", "greek",
              "brazilian", "mexican", "cuban", "filipino", "thai", "vietnamese", "malaysian", "indonesian", "russian",
              "lithuanian", "estonian", "latvian", "icelandic", "turkish", "emirati", "saudi", "egyptian",
              "south african", "new zealand", "argentine", "chilean", "colombian", "peruvian"}
_DESCRIPTOR = re.compile(
    r"(?:\b(?:[A-Z][\w.-]*\s+){0,2}(?:[a-z][\w-]*\s+){0,3}|\b)(?:organi[sz]ations?|compan(?:y|ies)|giants?|leaders?|firms?|counterparts?|"
    r"district|groups?|clusters?|associations?|networks?|agenc(?:y|ies)|institutions?|players?|hubs?|providers?|developers?|makers?|"
    r"manufacturers?|start-?ups?|spin-?outs?|spin-?offs?|incubators?|accelerators?|biotechs?|pharma|operators?|bod(?:y|ies)|"
    r"foundations?|universit(?:y|ies)|institutes?|parks?)\s*,?\s+(?=(?:the\s+)?[A-Z])")
# possessives that are part of a name ("People's Government", "Children's Hospital")
_INNER_POSSESSIVES = {"people", "children", "women", "men", "workers", "veterans", "citizens", "st"}
_APPOSITIVE = re.compile(
    r",\s+(?:(?:a|an|the|one\s+of|its|their|his|her|which|who|whose|both|based|headquartered|located|"
    r"representing|created|founded|established)\b(?=\s+(?:[a-z0-9$]|(?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*-based\b))"
    r"|[A-Z][\w-]*['’]s\s+(?=[a-z]))[^,;:]*(?=,|;|$)")  # ", a New Jersey-based not-for-profit ..." too
_AFTER_NAME = re.compile(r"(?:\b[A-Z][\w.&'’-]*|[)”\"'’])\s*$")
_PAREN = re.compile(r"\([^()]*\)")
_FOOTNOTE = re.compile(r"(?<=\w)\*\d+\b")
_JOINER = re.compile(r"\s*(?:,\s*)?(?:(?:and|und|et|&|as\s+well\s+as|together\s+with|plus|along\s+with)\s+)?(?:the\s+)?", re.I)


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the given stretches replaced by spaces (offsets unchanged)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def alias_paren(inner: str, acronyms: dict[str, str]) -> bool:
    return inner.strip("() \"“”'") in acronyms


def clear(text: str, acronyms: dict[str, str]) -> tuple[str, list[Person]]:
    """The sentence with everything that is not a party name blanked, and the people found in it."""
    people = find_people(text)
    spans: list[tuple[int, int]] = []
    for m in _PAREN.finditer(text):
        spans.append((m.start(), m.end()))
    for person in people:
        if person.org is not None and person.org_start < person.start + 1 and person.org_end <= person.end:
            spans.append((person.org_end, person.end))  # "KSIDC managing director M Beena": keep KSIDC
            spans.append((person.start, person.org_start))
        elif person.org is not None:
            spans.append((person.start, person.org_start))  # "Joe Damond, Executive Vice President of BIO"
            spans.append((person.org_end, person.end))
        else:
            spans.append((person.start, person.end))
    cleared = blank(text, spans)
    # a parenthesis ends a name: "... Innovation (FBRI) und Life Science Nord" is two names
    if "(" in text:
        chars = list(cleared)
        for i in (m.start() for m in re.finditer(r"\(", text)):
            if chars[i] == " ":
                chars[i] = ","
        cleared = "".join(chars)
    # a description set off after a name ("BioNJ, the trade association,"), never a clause after a
    # common word ("to promote such partnership, the two ministers signed ...")
    more = [(m.start(), m.end()) for m in _APPOSITIVE.finditer(cleared) if _AFTER_NAME.search(text, 0, m.start())]
    cleared = blank(cleared, more)
    more = [(m.start(), m.end()) for m in _DESCRIPTOR.finditer(cleared)]
    return blank(cleared, more), people


def normal_name(name: str) -> str:
    """A party name without what only describes it: "Dutch Cardialysis", "Singapore's Agency ...", "the"."""
    name = re.sub(r"^(?:the|The|THE)\s+", "", name.strip())
    name = re.sub(r"['’]s$", "", name)
    words = name.split()
    for i, word in enumerate(words[:-1]):
        if re.search(r"['’]s$", word) and word[:-2].casefold() not in _INNER_POSSESSIVES:
            words = words[i + 1:]  # "Korea's Council for Advanced Regenerative Medicine"
            break
    while len(words) > 1 and re.fullmatch(r"[\w.]+-based", words[0]):
        words = words[1:]
    if len(words) > 1 and words[0].casefold() in _NATIONAL and words[1][0].isupper() \
            and words[1].casefold().rstrip(".") not in HEAD_WORDS:
        words = words[1:]  # "Dutch QPS", "Dutch European Cardiovascular Research Institute"
    return " ".join(words)


def groups(text: str, mentions: list[Span]) -> list[list[Span]]:
    """Mentions joined by commas, "and", "&" or "as well as" (blanks between them allowed) form one group."""
    found: list[list[Span]] = []
    for mention in mentions:
        if found:
            gap = text[found[-1][-1].end: mention.start]
            gap = re.sub(r"\s+", " ", gap)
            gap = re.sub(r"(?:\s*,)+", ",", gap)
            if _JOINER.fullmatch(gap):
                found[-1].append(mention)
                continue
        found.append([mention])
    return found


def unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        key = party_key(name)
        if key and key not in seen:
            seen[key] = name
        elif key in seen and len(name) > len(seen[key]):
            seen[key] = name
    return list(seen.values())


class Names:
    """Organisation names in the sentences of one document, written in their fullest form."""

    def __init__(self, acronyms: dict[str, str], gazetteer: Gazetteer, text: str | None = None):
        self.acronyms = acronyms
        self.gazetteer = gazetteer
        # with the document's text: people named later by surname, and sentence-initial common words
        self.text = text
        self._surnames: dict[str, str] | None = None if text else {}
        self.capitals = Capitals(text) if text else None

    @property
    def surnames(self) -> dict[str, str]:
        if self._surnames is None:
            self._surnames = surnames(self.text or "")
        return self._surnames

    def known(self, name: str) -> bool:
        """Known to the user's data, the text's own acronyms, or the reference list of the field."""
        return self.gazetteer.lookup(name) is not None or name in self.acronyms.values() or name in self.acronyms \
            or in_reference(name)

    def _org_of(self, person: str) -> str:
        """A person named as a party ("Hogan signed ... with ..."): the organisation the text ties them to."""
        org = self.surnames[person]
        return self.fullest(org) if org not in self.surnames else org

    def mentions(self, cleared: str, breaks: list[tuple[int, int]]) -> list[Span]:
        cleared = _FOOTNOTE.sub(lambda m: " " * len(m.group()), cleared)
        runs = capitalised_runs(cleared, breaks)
        # "Strengthening its ties, ...": a capitalised verb at the start is no name
        runs = [r for r in runs if not (len(r.text.split()) == 1 and not cleared[: r.start].strip() and not self.known(r.text)
                                        and (re.fullmatch(r"[A-Z][a-z]+(?:ing|ed|ly)", r.text)
                                             or (self.capitals is not None and self.capitals.common_word(r.text))))]
        merged: list[Span] = []
        for run in runs:
            if merged:
                prev = merged[-1]
                gap = cleared[prev.end: run.start]
                if gap.strip().casefold() in {"and", "&", "und"} and self.known(cleared[prev.start: run.end]):
                    merged[-1] = Span(prev.start, run.end, cleared[prev.start: run.end])
                    continue
                if gap.strip() == "," and prev.text.split()[0].casefold() in SUBUNIT_WORDS \
                        and run.text.split()[-1].casefold() in HEAD_WORDS:
                    merged[-1] = Span(prev.start, run.end, cleared[prev.start: run.end])
                    continue
            merged.append(run)
        return merged

    def fullest(self, name: str) -> str:
        name = normal_name(name)
        if name in self.acronyms:
            return self.acronyms[name]
        if len(name.split()) <= 3 and re.fullmatch(r"[A-Z][\w'’ -]+", name) and name in self.surnames and not self.known(name):
            return self._org_of(name)
        if name.isupper() and 4 <= len(name) <= 8 and name.isalpha():
            # "GBHIN" for "GBIHN": the same letters of an acronym the text defines, transposed by a typo
            typo = [a for a in self.acronyms if a != name and a.isupper() and sorted(a) == sorted(name)]
            if len(typo) == 1:
                return self.acronyms[typo[0]]
        for long_name in self.acronyms.values():
            if name.endswith(" " + long_name):  # "Japanese Foundation for ... (FBRI)": the acronym says where it starts
                return long_name
        # "RIGHT Fund" when the text wrote "Research Investment for Global Health Technology (RIGHT) Fund"
        first = name.split()[0] if name.split() else ""
        if first in self.acronyms and len(name.split()) > 1:
            return name
        org = self.gazetteer.lookup(name)
        if org is not None:
            for long_name in self.acronyms.values():
                if self.gazetteer.lookup(long_name) == org:
                    return long_name
        return name


def subject(text: str, groups_before: list[list[Span]], before: int) -> list[Span]:
    """The group that signs: the one the sentence starts with, else the last before the verb."""
    if not groups_before:
        return []
    first = groups_before[0]
    lead = text[: first[0].start]
    if len(lead.split()) <= 4 and not re.search(r"\b(?:with|between|among|by)\s*(?:the\s+)?$", lead, re.I):
        gap = text[first[-1].end: before]
        if not re.search(r"\b(?:with|between|among)\b", gap, re.I):
            return first
    last = groups_before[-1]
    if re.search(r"\b(?:with|between|among|in|at|of|from|for|to|on|during)\s+(?:the\s+)?$", text[: last[0].start], re.I):
        return []
    if len(text[last[-1].end: before].split()) > 6:
        return []
    return last


def objects(text: str, mentions: list[Span], after: int, stop: int | None = None, passive: bool = False) -> list[Span]:
    """The group after "with", "between", "among" or "by" that follows ``after`` (after a passive
    "was signed ... by" the "by" may come later: "signed this week at ..., by A and B")."""
    tail = text[after: stop]
    cue = re.search(r"\b(?:with|between|among|amongst|by)\b", tail, re.I)
    if cue is None and passive:
        cue = re.search(r"\bby\b", tail)
    if cue is None or len(tail[: cue.start()].split()) > (20 if passive and cue.group() == "by" else 8) \
            or re.search(r"[;:]", tail[: cue.start()]):
        return []
    cue_at = after + cue.end()
    later = [m for m in mentions if m.start >= cue_at and (stop is None or m.start < stop)]
    if not later:
        return []
    lead = text[cue_at: later[0].start]
    if len(lead.split()) > 3 or re.search(r"[.;:]", lead):
        return []
    if re.search(r"\b(?:in|from|of|at|near|across|throughout)\s*$", lead, re.I) and lead.split()[0].casefold() not in {"in", "from", "of", "at"}:
        return []  # "with organizations in Korea", "with a jurisdiction in Japan": a place, not the party
    return groups(text, later)[0]


def place_party(name: str) -> bool:
    """A country, state or region named as a party ("India and Cuba signed", "Saskatchewan and Manitoba")."""
    return is_country(name)
