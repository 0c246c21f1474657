"""People in press-release sentences: a name with its title and the organisation it speaks for.

"Joe Damond, Executive Vice President of BIO", "the JBA's Managing Director and CEO, Mr Tetsuya
Tanaka", "KSIDC managing director M Beena", "Taipei Mayor Ko Wen-je", "Governor Deval Patrick":
each is a :class:`Person` whose organisation (when the words give one) is kept apart from the
title and the name, so that "Kanagawa Prefecture Governor Yuji Kuroiwa" is the party
"Kanagawa Prefecture" and the signatory "Yuji Kuroiwa", never one party name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clusterkg.loaders.press.names import HEAD_WORDS, capitalised_runs, is_country

_HONORIFIC = r"(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Sir|Dame|Hon|Honourable|Honorable|H\.E|Ambassador)\.?\s+)"
_NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-zà-ÿ'’]+(?:[A-Z][a-zà-ÿ]+)?(?:-[A-Za-zà-ÿ'’]+)?"  # O'Neill, MacColl
PERSON = re.compile(
    rf"{_HONORIFIC}*(?P<name>(?:[A-Z]\.?\s+){{0,2}}{_NAME_WORD}(?:\s+[A-Z]\.)?(?:\s+(?:van|von|de|der|da|le|bin|al)\s+{_NAME_WORD}|\s+{_NAME_WORD}){{0,2}}(?:\s+(?:II|III|IV|V|Jr\.?))?)")
_TITLE_CORE = (
    r"(?i:(?:(?:executive|senior|deputy|vice|acting|interim|managing|general|founding|assistant|associate|technical|"
    r"special|regional|national|parliamentary|first|prime|lieutenant|permanent|former|chief)[\s-]+){0,3}"
    r"(?:chief(?:\s+[a-z]+){0,3}\s+officer|chief\s+executive(?:\s+officer)?|ceo|cfo|coo|cto|cso|cmo|evp|svp|presidents?|"
    r"chair(?:man|woman|person)?|directors?(?:[\s-]general)?|governors?|mayors?|ministers?|secretary(?:[\s-]general)?|"
    r"dean|rector|provost|chancellor|ambassadors?|commissioners?|head|manager|premier|principal|founder|"
    r"attach[eé]|consul(?:[\s-]general)?|envoy|(?-i:CE|MD)|director|gov\.|govs\.))(?:\b|(?<=\.))")
TITLE_CORE = re.compile(_TITLE_CORE)
_TOPIC = re.compile(r"\s+(?:of|for|responsible\s+for)\s+(?:the\s+)?")
# words that end a person's name: never part of it
_SURNAME_HEADS = {"park", "bank"}
_NOT_NAME = {"and", "of", "the", "for", "at", "said", "signed", "from", "with"}


@dataclass(frozen=True)
class Person:
    start: int  # the whole mention: organisation, title and name
    end: int
    name: str
    title: str | None
    org: str | None
    org_start: int = -1
    org_end: int = -1


def _topics_end(text: str, at: int) -> int:
    """Extend a title over its portfolio: "Minister of Innovation, Energy and Mines"."""
    from clusterkg.loaders.press.names import _topical  # the same topic words names use

    m = _TOPIC.match(text, at)
    if not m:
        return at
    words = list(re.finditer(r"[A-Za-z&][\w&-]*|,", text[m.end(): m.end() + 120]))
    end, seen = at, 0
    for w in words:
        token = w.group()
        if token in {",", "and", "&"}:
            continue
        if not token[0].isupper() or not _topical(token):
            break
        seen += 1
        end = m.end() + w.end()
    if seen and re.match(r"\s+[A-Z]", text[end:]) and not re.match(r"\s+[A-Z][a-z]+\s+[A-Z]", text[end:]) is None:
        return at  # "CEO of the Cell Therapy Catapult": an organisation, not a portfolio
    if seen and re.match(r"\s+[A-Z][\w-]*", text[end:]):
        return at
    return end if seen else at


def _title_at(text: str, start: int) -> re.Match | None:
    m = TITLE_CORE.match(text, start)
    return m


def _full_title(text: str, m: re.Match) -> tuple[int, int]:
    end = _topics_end(text, m.end())
    more = re.match(r"\s+(?:and|&)\s+", text[end:])
    if more:
        second = TITLE_CORE.match(text, end + more.end())
        if second:
            end = _topics_end(text, second.end())
    return m.start(), end


def _clean_name(name: str) -> str | None:
    words = name.split()
    while words and words[-1].casefold() in _NOT_NAME:
        words.pop()
    if not words:
        return None
    # "Park" ends many names (a common Korean surname) though it also ends organisation names
    heads = [w for w in (words[:-1] if len(words) >= 2 and words[-1].casefold() in _SURNAME_HEADS else words)]
    if any(w.casefold().rstrip(".") in HEAD_WORDS or is_country(w) for w in heads):
        return None
    if TITLE_CORE.fullmatch(words[0]):
        return None
    return " ".join(words)


def _org_before(text: str, end: int) -> tuple[str, int, int] | None:
    """The organisation written right before a title: "KSIDC managing director", "the JBA's CEO"."""
    window_start = max(0, end - 120)
    window = text[window_start:end]
    runs = capitalised_runs(window)
    if not runs:
        return None
    run = runs[-1]
    gap = window[run.end:]
    if not re.fullmatch(r"(?:['’]s)?\s*", gap):
        return None
    name = re.sub(r"['’]s$", "", run.text)
    return name, window_start + run.start, window_start + run.start + len(name)


def _org_after(text: str, start: int) -> tuple[str, int, int] | None:
    m = re.match(r"\s*(?:,\s*|\s+(?:of|at|for|from)\s+)(?:the\s+)?", text[start:])
    if not m:
        return None
    at = start + m.end()
    runs = capitalised_runs(text[at: at + 160])
    if not runs or runs[0].start != 0:
        return None
    return runs[0].text, at, at + runs[0].end


def find_people(text: str) -> list[Person]:
    """People named with a title in ``text``, with the organisation the words tie them to."""
    people: list[Person] = []
    taken: list[tuple[int, int]] = []
    for m in TITLE_CORE.finditer(text):
        if any(s <= m.start() < e for s, e in taken[-8:]):  # spans are taken left to right
            continue
        if m.start() > 0 and text[m.start() - 1].isalnum():
            continue
        t_start, t_end = _full_title(text, m)
        title = " ".join(text[t_start:t_end].split())
        named_before = re.search(rf"{PERSON.pattern}(?:\s*\([^()]*\))?\s*,\s*(?:the\s+)?$", text[max(0, t_start - 80): t_start])
        if named_before and _clean_name(named_before.group("name")):
            after = None  # "Anette Steenberg, CEO of Medicon Valley Alliance, Kenta Mori, ...": the name before wins
        else:
            # a name after the title: "Governor Deval Patrick", "Managing Director and CEO, Mr Tetsuya Tanaka"
            after = re.match(r",?\s+(?:of\s+(?:the\s+)?(?P<org>[^,;()]{2,80}?),\s+)?", text[t_end:])
        p = PERSON.match(text, t_end + after.end()) if after else None
        plural = None if after is None else re.match(rf"\s+(?P<a>{_NAME_WORD})\s+and\s+(?P<b>{_NAME_WORD})\b", text[t_end:])
        if plural and re.search(r"(?:ministers|governors|presidents|directors|mayors)$", title, re.I):
            # "Ministers Harrison and Norris": two people, one title
            for key in ("a", "b"):
                people.append(Person(t_start if key == "a" else t_end + plural.start(key), t_end + plural.end(key),
                                     plural.group(key), title[:-1], None))
            taken.append((t_start, t_end + plural.end()))
            continue
        if p and (after.group("org") is None or not after.group().strip(", ")) or p and after.group("org"):
            name = _clean_name(p.group("name"))
            if name and text[t_start:t_end][0].isupper() or (name and _org_before(text, t_start)):
                org = _org_before(text, t_start)
                start = org[1] if org else t_start
                if after.group("org"):
                    o = after.group("org")
                    org = (o, t_end + after.start("org"), t_end + after.end("org"))
                end = p.start("name") + len(name)
                if org is None and (of := re.match(r"\s+of\s+(?:the\s+)?", text[end:])):
                    # "Gov. Yuji Kuroiwa of Kanagawa Prefecture": the organisation after the name
                    runs = capitalised_runs(text[end + of.end(): end + of.end() + 160])
                    if runs and runs[0].start == 0:
                        org = (runs[0].text, end + of.end(), end + of.end() + runs[0].end)
                        end = org[2]
                people.append(Person(start, end, name, title, *(org or (None, -1, -1))))
                taken.append((start, end))
                continue
        # a name before the title: "Joe Damond, Executive Vice President of BIO"
        before = re.search(rf"(?P<person>{PERSON.pattern})(?:\s*\([^()]*\))?\s*,\s*(?:the\s+)?$", text[max(0, t_start - 80): t_start])
        if before:
            name = _clean_name(before.group("name"))
            if name:
                offset = max(0, t_start - 80)
                org = _org_after(text, t_end)
                start = offset + before.start("person")
                end = org[2] if org else t_end
                people.append(Person(start, end, name, title, *(org or (None, -1, -1))))
                taken.append((start, end))
    people.sort(key=lambda p: p.start)
    return people
