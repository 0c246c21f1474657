"""Agreement types: the words that name an agreement, and the verbs that say it was made.

A trigger is a phrase naming an agreement ("memorandum of understanding", "letter of intent",
"cooperation agreement", "partnership" ...). Its ``rank`` says how much the phrase tells about
the document: a name of a document (MoU, MoC, LoI) outranks a kind of agreement
("collaboration agreement"), which outranks loose wording ("the partnership", "the pact"), so
that when a text names one agreement in several ways the name of the document wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# (model type, label in the JSON Lines output, rank, pattern); the first that matches a stretch wins
_COMMERCIAL = (
    r"(?<!licen[cs]e )(?<!licensing )(?<!supply )(?<!distribution )(?<!purchase )(?<!lease )(?<!loan )"
    r"(?<!settlement )(?<!merger )(?<!acquisition )(?<!employment )(?<!service )(?<!services )(?<!sales )"
    r"(?<!non-disclosure )(?<!confidentiality )(?<!commercial )(?<!option )(?<!royalty )(?<!free trade )"
    r"(?<!manufacturing )(?<!funding )(?<!grant )(?<!rental )(?<!tenancy )(?<!stock )(?<!share )(?<!paris )"
)
TYPES: list[tuple[str, str, int, re.Pattern[str]]] = [
    ("mou", "MoU", 4, re.compile(
        r"\bmemorand(?:um|a|ums)\s+of\s+underst[a-z]*(?:\s+(?:for|on)\s+(?:\w+\s+)?co-?operation)?\b|\bMo[Uu]s?\b|\bMOUs?\b", re.I)),
    ("moc", "MoC", 4, re.compile(
        r"(?i:\bmemorand(?:um|a|ums)\s+(?:of|on|for)\s+co-?operation\b)|\bMo[Cc]s?\b|\bMOCs?\b")),
    ("loi", "LoI", 4, re.compile(
        r"\b(?:letters?|declarations?)\s+of\s+intent(?:ion)?\b|\bLo[Ii]s?\b|\bLOIs?\b", re.I)),
    ("partnership", "partnership", 3, re.compile(
        r"\bpartnership\s+agreements?\b", re.I)),
    ("collaboration", "other", 3, re.compile(
        r"\b(?:(?:framework|co-?operation|cooperative|collaboration|collaborative|research|twinning|friendship|"
        r"exchange|business\s+development|cluster|sister[\s-](?:city|cluster|state))\s+)+agreements?\b"
        r"|\bagreements?\s+(?:on|for)\s+(?:mutual\s+|scientific\s+|technical\s+|bilateral\s+)?co-?operation\b"
        r"|\bmemorand(?:um|a)\s+of\s+agreement\b|\badministrative\s+arrangements?\b|\bjoint[\s-]+ventures?\b", re.I)),
    ("other", "other", 2, re.compile(_COMMERCIAL + r"\b(?:agreements?|pacts?)\b", re.I)),
    ("partnership", "partnership", 1, re.compile(
        r"\b(?:strategic\s+|research\s+|collaborative\s+|long-term\s+|formal\s+|new\s+|international\s+)*partnerships?\b", re.I)),
]
# a verb that says the agreement was made, before or after its name
SIGNING_VERB = re.compile(
    r"\b(?:sign(?:s|ed|ing)?|co-?sign(?:s|ed)?|conclud(?:e|es|ed|ing)|enter(?:s|ed|ing)?\s+into|ink(?:s|ed)?|"
    r"execut(?:e|es|ed)|renew(?:s|ed|ing)?|extend(?:s|ed|ing)?|seal(?:s|ed)?|struck|strikes?|formali[sz](?:e|es|ed)|"
    r"exchang(?:e|ed)|reaffirm(?:s|ed)?|ratif(?:y|ies|ied)|agreed|closed|forged|forges?|establish(?:es|ed)?|launch(?:es|ed)?|"
    r"announc(?:e|es|ed)|form(?:s|ed)|set\s+up|unveil(?:s|ed)|finali[sz](?:e|es|ed)|adopt(?:s|ed)|"
    r"achieved\s+through|signature\s+of|signing\s+of|conclusion\s+of|ha(?:s|ve|d)\s+had)\b", re.I)
# verbs that make an agreement only right before its name ("announced a partnership", "established a joint venture")
WEAK_VERBS = re.compile(r"^(?:establish|launch|announc|form|set|unveil|forg|adopt|achieved|agreed|closed|ha)", re.I)
PARTNERING = re.compile(r"\b(?:is\s+|are\s+|has\s+|have\s+)?partner(?:s|ed|ing)?\s+with\b|\b(?:and|&)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+partner\s+(?:to|on|for|in)\b")
RENEWAL = re.compile(r"\b(?:renew(?:ed|s|ing|al)?|extend(?:ed|s|ing)?|extension|reaffirm(?:s|ed|ation)?)\b", re.I)
PLURAL = re.compile(r"\b(?:memoranda|memorandums|letters|agreements|partnerships|MoUs|MOUs|LoIs|LOIs|MoCs|MOCs|pacts)\b", re.I)
# a plan, a hope, a negation or a preparation: not a signed agreement
HYPOTHETICAL = re.compile(
    r"\b(?:will|would|could|may|might|shall|plans?|planned|planning|intends?|intended|expects?|expected|aims?|"
    r"aimed|hopes?|hoped|seeks?|sought|going|considering|consider|discuss(?:ed|es|ing)?|negotiat\w*|"
    r"explor\w*|propos\w*|not(?!-)|n't|never|yet|prepar\w*|draft\w*|potential|possible|possibility|future|upcoming|"
    r"ahead\s+of|looking|looks|look|wants?|wanted|preliminary|talks|eventually|likely|foundations?|groundwork|"
    r"envisag\w*|pending|soon|to)\b", re.I)


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    type: str
    label: str
    rank: int
    text: str

    @property
    def plural(self) -> bool:
        return bool(PLURAL.search(self.text))


def find_triggers(text: str) -> list[Trigger]:
    """The agreement names of a sentence, left to right, none inside another."""
    return list(_triggers(text))


@lru_cache(maxsize=2048)
def _triggers(text: str) -> tuple[Trigger, ...]:
    hits: list[Trigger] = []
    for model_type, label, rank, pattern in TYPES:
        for m in pattern.finditer(text):
            if any(m.start() < t.end and t.start < m.end() for t in hits):
                continue
            hits.append(Trigger(m.start(), m.end(), model_type, label, rank, m.group()))
    return tuple(sorted(hits, key=lambda t: t.start))


def clear_trigger_cache() -> None:
    """Forget the sentences seen (called once per document)."""
    _triggers.cache_clear()
