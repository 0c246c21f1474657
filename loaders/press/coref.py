"""What one document lets the extractor resolve beyond a sentence: people named later by their
surname ("Hogan signed ..." after "Maryland Gov. Larry Hogan"), and capitalised words that are
only sentence-initial common words ("Conclusion of MOU with ...", "Productive trip ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from clusterkg.loaders.press.people import find_people
from clusterkg.loaders.press.records import party_key

# endings of English common nouns and adjectives ("Conclusion", "Productive", "Agreement", "Successful")
_COMMON_ENDINGS = ("ion", "ions", "ive", "ment", "ments", "ness", "ful", "ous", "ity", "ance", "ence", "ing", "ed",
                   "ly", "able", "ible", "ship", "ism", "ist", "ary", "ory", "ure", "ial", "ical")
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[\w,;:)’'\"”] )([A-Z][a-z]+)\b")


def surnames(text: str) -> dict[str, str]:
    """Surname (and full name) -> the organisation the text ties that person to, where only one
    person with an organisation has that surname."""
    found: dict[str, str | None] = {}
    for person in _people(text):
        if not person.org or len(person.name.split()) < 2:
            continue
        for key in {person.name, person.name.split()[-1]}:
            if key in found and found[key] is not None and party_key(found[key]) != party_key(person.org):
                found[key] = None  # two people of one surname: neither
            elif key not in found:
                found[key] = person.org
    return {k: v for k, v in found.items() if v}


@lru_cache(maxsize=1)  # the document being read (nothing carries on to the next one)
def _people(text: str):
    return find_people(text)


@lru_cache(maxsize=1)
def people_by_word(text: str) -> dict[str, tuple[str, str]]:
    """A word of a full name (family name first or last: "Yin" of "Yin Li", "Ishige" of "Hiroyuki
    Ishige") -> (full name, organisation), where one person with an organisation has that word."""
    found: dict[str, tuple[str, str] | None] = {}
    for person in _people(text):
        words = person.name.split()
        if not person.org or len(words) < 2:
            continue
        for key in {words[0], words[-1]}:
            if key in found and found[key] is not None and found[key][0] != person.name:
                found[key] = None
            elif key not in found:
                found[key] = (person.name, person.org)
    return {k: v for k, v in found.items() if v}


class Capitals:
    """Which Title-case words a document writes capitalised inside a sentence (names do; common
    words are capitalised only at the start of a sentence or a headline)."""

    def __init__(self, text: str):
        self.inside = set(_MID_SENTENCE_CAPITAL.findall(text))
        self.lower = set(re.findall(r"\b[a-z]{4,}\b", text))

    def common_word(self, word: str) -> bool:
        """A word at the start of a sentence that is not a name: Title case only (no acronym, no
        inner capital), never capitalised inside a sentence, and either written in lower case
        elsewhere in the text or with the ending of a common noun or adjective."""
        if not re.fullmatch(r"[A-Z][a-z]{3,}", word) or word in self.inside:
            return False
        low = word.casefold()
        return low in self.lower or low.endswith(_COMMON_ENDINGS)
