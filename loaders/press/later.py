"""Parties a sentence leaves to the next one: "A has signed two memoranda of understanding ...
The MOUs are with two organizations: B, a ..., and C, the ...". Each partner gets its own agreement
with A."""

from __future__ import annotations

import re

from clusterkg.loaders.press.document import Document
from clusterkg.loaders.press.parties import Names, clear, groups

_ARE_WITH = re.compile(
    r"\s*(?:The|These|Both|All|Those)\s+(?:\w+\s+){0,2}?(?:mous|memoranda|memorandums|agreements|letters(?:\s+of\s+intent)?|"
    r"partnerships|lois|mocs)\s+(?:are|were)\s+(?:signed\s+|concluded\s+)?with\b", re.I)


def partners_in_next(doc: Document, index: int, names: Names, acronyms: dict[str, str]) -> list[str]:
    """The organisations the sentence after ``index`` names as the other side of plural agreements."""
    if index + 1 >= len(doc.sentences):
        return []
    text = doc.sentences[index + 1].text
    cue = _ARE_WITH.match(text)
    if cue is None:
        return []
    at = cue.end()
    colon = re.match(r"[^.;:]{0,40}:", text[at:])  # "with two organizations: B and C"
    if colon:
        at += colon.end()
    cleared, _ = clear(text, acronyms)
    mentions = [m for m in names.mentions(cleared, []) if m.start >= at]
    if not mentions or re.search(r"[.;]", cleared[at: mentions[0].start]) or len(cleared[at: mentions[0].start].split()) > 2:
        return []
    return [names.fullest(m.text) for m in groups(cleared, mentions)[0]]
