"""Press releases -> candidate agreement records, each with the sentence that supports it.

Precision comes before recall: a sentence yields an agreement only when it names
an agreement (MoU, letter of intent, memorandum of cooperation, partnership or
collaboration agreement ...) together with a verb that says it was signed,
concluded, renewed or entered into, and no word that makes it a plan, a hope or
a negation ("will sign", "plans to", "did not"). A text about visits, events,
offices or investments yields nothing.

What one announcement yields: its type; its parties (the subject of the signing
and the organisations after "with" or "between", acronyms replaced by the long
names the text ties them to); the date signed with its precision, and whether
the text stated it; signatories the text presents as signing (a "signed by"
sentence, or a photo caption naming who is on the left and right); the term
("over the five years"), scope and activities from sentences about "the MoU".
Earlier agreements mentioned in passing, and lists of partners with their
months, become agreements of their own.

No network, no model download: rules, patterns and the gazetteer of known
organisations (:class:`~clusterkg.loaders.press.names.Gazetteer`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from clusterkg.loaders.press.document import MONTH, Document, Sentence, month_number
from clusterkg.loaders.press.names import (
    HEAD_WORDS,
    PERSON_TITLE_ORG,
    SUBUNIT_WORDS,
    TITLE_PERSON,
    TITLE_WORDS,
    Gazetteer,
    Span,
    capitalised_runs,
    find_acronyms,
    is_country,
    looks_like_person,
)
from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.dates import PartialDate

TITLE_WORDS_RE = [re.escape(w) for w in TITLE_WORDS]
TITLE_WORDS_BEFORE = TITLE_WORDS | {"dr", "mr", "mrs", "ms", "prof", "professor", "sir", "dame", "lord"}

# (model type, label in the JSON Lines output, pattern); the first that matches wins.
_TYPES: list[tuple[str, str, re.Pattern[str]]] = [
    ("mou", "MoU", re.compile(r"\bmemorand(?:um|a)\s+of\s+understanding\b|\bMo[Uu]s?\b|\bMOUs?\b", re.I)),
    ("moc", "MoC", re.compile(r"(?i:\bmemorand(?:um|a)\s+(?:of|on)\s+co-?operation\b)|\bMo[Cc]s?\b|\bMOCs?\b")),
    ("loi", "LoI", re.compile(r"\bletters?\s+of\s+intent\b|\bLo[Ii]s?\b|\bLOIs?\b", re.I)),
    ("partnership", "partnership", re.compile(
        r"\b(?:strategic\s+|research\s+|collaborative\s+|long-term\s+|formal\s+|new\s+)*partnership(?:\s+agreements?)?\b", re.I)),
    ("collaboration", "partnership", re.compile(
        r"\b(?:strategic\s+|research\s+|joint\s+|formal\s+|new\s+)*collaborat(?:ion|ive research)\s+agreements?\b", re.I)),
    ("other", "other", re.compile(
        r"\b(?:(?:framework|co-?operation|cooperative|twinning|friendship|exchange|sister[\s-](?:city|cluster))\s+agreements?"
        r"|agreements?\s+(?:on|for)\s+(?:mutual\s+)?co-?operation|memorand(?:um|a)\s+of\s+agreement)\b", re.I)),
    # a bare "agreement", unless a word before it makes it a commercial contract
    ("other", "other", re.compile(
        r"(?<!licen[cs]e )(?<!licensing )(?<!supply )(?<!distribution )(?<!purchase )(?<!lease )(?<!loan )"
        r"(?<!settlement )(?<!merger )(?<!acquisition )(?<!employment )(?<!service )(?<!services )(?<!sales )"
        r"(?<!non-disclosure )(?<!confidentiality )(?<!trade )(?<!commercial )(?<!option )(?<!royalty )"
        r"(?<!manufacturing )(?<!funding )(?<!grant )(?<!rental )(?<!tenancy )(?<!stock )(?<!share )"
        r"\b(?:an|a|new)\s+agreement\b", re.I)),
]
_VERB = re.compile(
    r"\b(?:signed|signs|sign|signing|concluded|concludes|conclude|concluding|entered\s+into|enters\s+into|"
    r"formali[sz]e|seal|forge|renew|extend|establish|strike|execute|"
    r"enter\s+into|entering\s+into|inked|inks|ink|executed|renewed|renews|renewing|extended|extends|"
    r"extending|struck|strikes|sealed|seals|formali[sz]ed|formali[sz]es|established|establishes|exchanged|"
    r"agreed|finali[sz]ed|announced|announces|announce|launched|launches|forged|forges|formed|forms)\b", re.I)
# Verbs that make a signing only when the agreement follows them closely ("announced a partnership").
_WEAK_VERBS = {"announced", "announces", "announce", "launched", "launches", "forged", "forges", "formed",
               "forms", "established", "establishes", "agreed", "exchanged"}
_RENEWAL = re.compile(r"\b(?:renew(?:ed|s|ing|al)?|extend(?:ed|s|ing)?|extension)\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(?:will|would|could|may|might|shall|plans?|planned|planning|intends?|intended|expects?|expected|aims?|"
    r"aimed|hopes?|hoped|seeks?|sought|set|going|considering|consider|discuss(?:ed|es|ing)?|negotiat\w*|"
    r"explor\w*|propos\w*|not|n't|never|yet|prepar\w*|draft\w*|potential|possible|possibility|future|upcoming|"
    r"ahead\s+of|looking|looks|look|wants?|wanted|preliminary|talks|eventually|likely|to)\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|its|their|our|his|her)\s+(?:\w+\s+){0,2}$", re.I)
_PLURAL = re.compile(r"\b(?:memoranda|letters|agreements|partnerships|MoUs|MOUs|LoIs|LOIs|MoCs|MOCs)\b", re.I)

_DAY_MONTH_YEAR = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})(?:,?\s+(?P<y>(?:19|20)\d\d))?\b")
_MONTH_DAY_YEAR = re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d))?")
_MONTH_YEAR = re.compile(rf"\b(?P<m>{MONTH})\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b")
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mm>\d\d)-(?P<d>\d\d)\b")
_YEAR = re.compile(r"\bin\s+(?P<y>(?:19|20)\d\d)\b")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "a": 1, "an": 1}
_TERM = re.compile(
    r"\b(?:over|for|during|of|lasting|valid\s+for)\s+(?:the\s+(?:next\s+|coming\s+)?|a\s+(?:period|term)\s+of\s+|an?\s+initial\s+|another\s+|a\s+further\s+)?"
    r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*\(\d+\))?[\s-]+(?P<unit>years?|months?)\b"
    r"|\b(?P<n2>\d+|one|two|three|four|five|six|seven|eight|nine|ten)-(?P<unit2>year|month)\s+(?:term|agreement|mou|memorandum|period|deal|partnership)",
    re.I)
_ACTIVITY_ITEMS = re.compile(r"\(\s*(?:\d+|[a-z]|i{1,3}|iv|v)\s*\)\s*([^;()]+?)(?=\s*(?:;|,?\s*and\s*\(|\(\s*(?:\d+|[a-z])\s*\)|\.$|$))")
_SCOPE = re.compile(
    r"\b(?:in\s+the\s+(?:field|area|fields|areas)s?\s+of|aimed\s+at|aiming\s+to|to\s+(?:jointly\s+|together\s+)?(?:promote|advance|accelerate|foster|support|strengthen|develop)|on\s+(?:mutual\s+)?co-?operation\s+in)\s+(?P<scope>[^.;]{4,160})",
    re.I)
_CAPTION = re.compile(r"\((?:left|right|center|centre|from left|l|r)\)", re.I)
_SIGNING_SENTENCE = re.compile(
    r"\bsigned\b[^.;]{0,40}?\b(?:by|between)\b|\bsignator(?:y|ies)\b|\b(?:put|set)\s+(?:their|his|her)\s+signatures?\b|\bwas\s+signed\s+by\b|\bsigning\s+(?:by|between)\b", re.I)


@dataclass
class Signatory:
    name: str
    role: str | None = None
    organisation: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "organisation": self.organisation}


@dataclass
class Evidence:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Candidate:
    """One proposed agreement, for a person to review."""

    type: str
    label: str
    parties: list[str]
    date: PartialDate | None = None
    date_stated: bool = False
    signatories: list[Signatory] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    term: str | None = None
    renewal: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    earlier: bool = False

    def key(self) -> tuple[str, frozenset[str]]:
        return self.label, frozenset(_party_key(p) for p in self.parties)

    def to_dict(self) -> dict:
        """The stable JSON Lines shape (see the module docstring of clusterkg.loaders.press.extract)."""
        return {
            "type": self.label,
            "parties": list(self.parties),
            "date": self.date.isoformat() if self.date and self.date_stated else None,
            "date_stated": self.date_stated,
            "signatories": [s.to_dict() for s in self.signatories],
            "scope": "; ".join(self.scope) or None,
            "duration": self.term,
            "renewal": self.renewal,
            "evidence": [e.to_dict() for e in self.evidence],
            "confidence": round(self.confidence, 2),
        }


def _party_key(name: str) -> str:
    key = normalize_name(name)
    # "Yokohama" and "Yokohama City", "the Kanagawa Prefecture": one place, one key
    words = [w for w in key.split() if w not in {"city", "prefecture", "of", "the"}]
    return " ".join(words) or key


# --- the extractor -----------------------------------------------------------------

class Extractor:
    """Finds agreements in documents; ``gazetteer`` knows the organisations already on record."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer()

    def extract(self, doc: Document) -> list[Candidate]:
        context = _Context(doc, self.gazetteer)
        return context.run()


class _Context:
    def __init__(self, doc: Document, gazetteer: Gazetteer):
        self.doc = doc
        self.gazetteer = gazetteer
        self.acronyms = find_acronyms(doc.text)
        self.years = sorted({int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", doc.text)})
        self.primary: str | None = None

    # names -------------------------------------------------------------------

    def mentions(self, text: str, breaks: list[tuple[int, int]]) -> list[Span]:
        """Organisation names in ``text``, outside parentheses, merged where a known name or acronym says so."""
        hidden = breaks + [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text) if not self._alias_paren(m.group())]
        runs = [r for r in capitalised_runs(text, hidden) if not _in_paren(text, r.start)]
        merged: list[Span] = []
        for run in runs:
            if merged:
                prev = merged[-1]
                gap = text[prev.end: run.start]
                if gap.strip().casefold() in {"and", "&", "und"} and self._known(text[prev.start: run.end]):
                    merged[-1] = Span(prev.start, run.end, text[prev.start: run.end])
                    continue
                if gap.strip() == "," and self._subunit(prev.text, run.text):
                    merged[-1] = Span(prev.start, run.end, text[prev.start: run.end])
                    continue
            merged.append(run)
        return [m for m in merged if not self._person_here(text, m) or self._known(m.text)]

    @staticmethod
    def _person_here(text: str, span: Span) -> bool:
        """A person's name, as the words around it show: "Keith Thompson, CEO of ...", "Governor Kenji Shuto"."""
        if not looks_like_person(span.text):
            return False
        after = text[span.end: span.end + 40]
        before = text[max(0, span.start - 25): span.start].split()
        return bool(re.match(r"\s*,\s*(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}?(?i:" + "|".join(sorted(TITLE_WORDS_RE)) + r")\b", after)) or (
            bool(before) and before[-1].casefold().rstrip(".") in TITLE_WORDS_BEFORE)

    def _alias_paren(self, text: str) -> bool:
        return False

    def _known(self, name: str) -> bool:
        return self.gazetteer.lookup(name) is not None or name in self.acronyms.values() or name in self.acronyms

    def _subunit(self, first: str, second: str) -> bool:
        return first.split()[0].casefold() in SUBUNIT_WORDS and second.split()[-1].casefold() in HEAD_WORDS

    def fullest(self, name: str) -> str:
        name = re.sub(r"^(?:the|The)\s+", "", name.strip())
        if name in self.acronyms:
            return self.acronyms[name]
        for long_name in self.acronyms.values():
            if name.endswith(" " + long_name):  # "Japanese Foundation for ... (FBRI)": the acronym says where it starts
                return long_name
        org = self.gazetteer.lookup(name)
        if org is not None:
            for alias, long_name in self.acronyms.items():
                if self.gazetteer.lookup(long_name) == org:
                    return long_name
        return name

    # the pass over the document ---------------------------------------------------

    def run(self) -> list[Candidate]:
        found: list[Candidate] = []
        pending_lists: list[tuple[Sentence, re.Match, str, str]] = []
        for sentence in self.doc.sentences:
            for model_type, label, match in self.triggers(sentence.text):
                if self._listing(sentence.text, match):
                    pending_lists.append((sentence, match, model_type, label))
                    break
                candidates = self.announcement(sentence, match, model_type, label)
                if candidates:
                    found.extend(candidates)
                    if self.primary is None and not candidates[0].earlier:
                        self.primary = candidates[0].parties[0]
                    break
        if self.primary is None and self.doc.title:
            runs = self.mentions(self.doc.title, [])
            self.primary = self.fullest(runs[0].text) if runs else None
        for sentence, match, model_type, label in pending_lists:
            found.extend(self.listing(sentence, match, model_type, label))
        merged = _merge(found)
        main = next((c for c in merged if not c.earlier), None)
        if main is not None:
            self.details(main)
        return merged

    def triggers(self, text: str):
        hits = []
        for model_type, label, pattern in _TYPES:
            for match in pattern.finditer(text):
                if any(match.start() < e and s < match.end() for s, e, *_ in hits):
                    continue
                hits.append((match.start(), match.end(), model_type, label, match))
        hits.sort()
        return [(t, l, m) for _, _, t, l, m in hits]

    def _listing(self, text: str, match: re.Match) -> bool:
        """A plural agreement followed by organisations with a date each: earlier agreements."""
        word = match.group()
        plural = bool(_PLURAL.search(word))
        tail = text[match.end():]
        dated = len(re.findall(rf"\bin\s+{MONTH}\s+(?:19|20)\d\d|\bin\s+(?:19|20)\d\d", tail))
        return (plural and dated >= 1) or (dated >= 2 and re.search(r"\bwith\b", tail, re.I) is not None)

    # one announcement -------------------------------------------------------------

    def announcement(self, sentence: Sentence, match: re.Match, model_type: str, label: str) -> list[Candidate]:
        text = sentence.text
        verb = self._verb(text, match)
        if verb is None:
            return []
        if _DEFINITE.search(text[: match.start()]) and verb.start() > match.start():
            return []  # "the MoU was signed by ...": about one already announced
        if self._hypothetical(text, verb, match):
            return []
        breaks = [(match.start(), match.end()), (verb.start(), verb.end())]
        mentions = self.mentions(text, breaks)
        subject = self._subject(text, mentions, min(verb.start(), match.start()))
        objects = self._objects(text, mentions, max(verb.end(), match.end()) if verb.start() < match.start() else match.end())
        if not objects and verb.start() > match.end():
            objects = []
        parties = _unique([self.fullest(m.text) for m in subject + objects])
        parties = [p for p in parties if not is_country(p)]
        earlier = bool(re.match(r"(?:signed|concluded)\b", verb.group(), re.I)) and _DEFINITE.search(text[: match.start()]) is not None
        if len(parties) < 2 and self.primary and subject == [] and objects:
            parties = _unique([self.primary, *parties])
        if len(parties) < 2:
            return []
        if _DEFINITE.search(text[: match.start()]) and not subject:
            return []  # "this MoU with JSRM": the announcement is elsewhere
        word = match.group()
        if _PLURAL.search(word) and len(subject) == 1 and len(objects) > 1:
            # "concluded MOUs with the City of Kawasaki and Yokohama": one agreement with each
            owner = self.fullest(subject[0].text)
            return [self._one(sentence, match, verb, model_type, label, [owner, p], earlier=True)
                    for p in parties if p != owner]
        return [self._one(sentence, match, verb, model_type, label, parties, earlier)]

    def _one(self, sentence, match, verb, model_type, label, parties, earlier) -> Candidate:
        text = sentence.text
        date, stated = self._date(text, verb.start())
        candidate = Candidate(
            type=model_type, label=label, parties=parties, date=date, date_stated=stated,
            renewal=bool(_RENEWAL.search(verb.group()) or _RENEWAL.search(text[match.end(): match.end() + 40])),
            evidence=[Evidence(text, sentence.start, sentence.end)], earlier=earlier,
        )
        if model_type == "loi" and re.search(r"\bto\s+extend\b", text[match.end():], re.I):
            candidate.renewal = True
        candidate.confidence = self._confidence(candidate, verb)
        return candidate

    def _verb(self, text: str, match: re.Match) -> re.Match | None:
        best = None
        for verb in _VERB.finditer(text):
            word = verb.group().casefold()
            if verb.end() <= match.start():
                between = text[verb.end(): match.start()]
                limit = 40 if word in _WEAK_VERBS else 120
                if len(between) > limit or re.search(r"[.;:]", between):
                    continue
                if word in _WEAK_VERBS and not re.search(r"\b(?:a|an|the\s+signing\s+of\s+an?|new|its|the)\b", between, re.I) and between.strip():
                    continue
            else:
                between = text[match.end(): verb.start()]
                # "X and Y's MoU was signed", "the letter of intent signed by": a passive verb after the noun
                if len(between) > 30 or word in _WEAK_VERBS or re.search(r"[;:]", between):
                    continue
            if best is None or abs(verb.start() - match.start()) < abs(best.start() - match.start()):
                best = verb
        return best

    def _hypothetical(self, text: str, verb: re.Match, match: re.Match) -> bool:
        start = min(verb.start(), match.start())
        before = text[max(0, start - 40): start]
        words = before.split()[-4:]
        window = " ".join(words)
        if _HYPOTHETICAL.search(window):
            # "to" alone only counts right before the verb ("plans to sign", "to sign")
            hits = [m.group().casefold() for m in _HYPOTHETICAL.finditer(window)]
            if hits != ["to"] or window.casefold().endswith(" to") or window.casefold() == "to":
                if not (hits == ["to"] and verb.start() > match.start()):
                    return True
        if re.search(r"\b(?:did|does|do|has|have|had)\s+not\b|\bno\s+(?:agreement|mou)\b|\bfailed\s+to\b", text, re.I):
            return True
        return bool(re.search(r"\b(?:to\s+be\s+signed|will\s+be\s+signed|is\s+expected|are\s+expected)\b", text, re.I))

    def _subject(self, text: str, mentions: list[Span], before: int) -> list[Span]:
        earlier = [m for m in mentions if m.end <= before]
        if not earlier:
            return []
        groups = _groups(text, earlier)
        first = groups[0]
        lead = text[: first[0].start]
        if len(lead.split()) <= 2 and not re.search(r"\b(?:with|between)\s*(?:the\s+)?$", lead, re.I):
            gap = text[first[-1].end: before]
            if not re.search(r"\b(?:with|between)\b", gap, re.I):
                return first
        last = groups[-1]
        if re.search(r"\b(?:with|between)\s+(?:the\s+)?$", text[: last[0].start], re.I):
            return []
        return last

    def _objects(self, text: str, mentions: list[Span], after: int) -> list[Span]:
        tail = text[after:]
        cue = re.search(r"\b(?:with|between|among|amongst)\b", tail, re.I)
        if cue is None:
            return []
        cue_at = after + cue.end()
        later = [m for m in mentions if m.start >= cue_at]
        if not later:
            return []
        lead = text[cue_at: later[0].start]
        if len(lead.split()) > 3 or re.search(r"[.;:]", lead):
            return []
        return _groups(text, later)[0]

    def _date(self, text: str, near: int) -> tuple[PartialDate | None, bool]:
        found = []
        for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR, _YEAR):
            for match in pattern.finditer(text):
                if any(match.start() < e and s < match.end() for s, e, _ in found):
                    continue
                date = self._date_of(match)
                if date is not None:
                    found.append((match.start(), match.end(), date))
        if found:
            found.sort(key=lambda f: abs(f[0] - near))
            return found[0][2], True
        if re.search(r"\btoday\b", text, re.I) and self.doc.published is not None:
            return self.doc.published, True  # "today": the day of publication, stated
        return self.doc.published, False

    def _date_of(self, match: re.Match) -> PartialDate | None:
        groups = match.groupdict()
        year = groups.get("y")
        month = int(groups["mm"]) if groups.get("mm") else (month_number(groups["m"]) if groups.get("m") else None)
        day = int(groups["d"]) if groups.get("d") else None
        if year is None:
            year = self._infer_year(month, day)
            if year is None:
                return None
        try:
            return PartialDate.parse("-".join(f"{v:02d}" if i else f"{int(v):04d}" for i, v in enumerate(
                [int(year), *(x for x in (month, day) if x is not None)])))
        except ValueError:
            return None

    def _infer_year(self, month: int | None, day: int | None) -> int | None:
        """A day and month without a year: the publication year, else the latest year the text names."""
        if self.doc.published is not None:
            return self.doc.published.year
        return self.years[-1] if self.years else None

    def _confidence(self, candidate: Candidate, verb: re.Match) -> float:
        score = 0.55
        if verb.group().casefold().startswith(("sign", "conclud", "enter", "ink", "execut")):
            score += 0.15
        if candidate.date_stated:
            score += 0.1
        known = sum(self.gazetteer.lookup(p) is not None for p in candidate.parties)
        score += 0.1 * known / len(candidate.parties)
        if candidate.earlier:
            score -= 0.1
        return max(0.05, min(0.99, score))

    # earlier agreements in a list ----------------------------------------------------

    def listing(self, sentence: Sentence, match: re.Match, model_type: str, label: str) -> list[Candidate]:
        text = sentence.text
        if self._hypothetical(text, match, match):
            return []
        head_mentions = self.mentions(text[: match.start()], [])
        subject = self._subject(text, head_mentions, match.start())
        owner = self.fullest(subject[0].text) if subject else self.primary
        if owner is None:
            return []
        cue = re.search(r"\bwith\b|:", text[match.end():], re.I)
        if cue is None:
            return []
        body_start = match.end() + cue.end()
        colon = text.find(":", body_start - 1, body_start + 120)
        if colon != -1:
            body_start = colon + 1
        body = text[body_start:]
        candidates = []
        cursor = 0
        for date_match in re.finditer(rf"\bin\s+(?:(?P<m>{MONTH})\s+)?(?P<y>(?:19|20)\d\d)\b", body):
            item = body[cursor: date_match.start()]
            cursor = date_match.end()
            item_start = body_start + (cursor - len(date_match.group()) - len(item))
            mentions = self.mentions(item, [])
            # the first group only: "the Foundation ... in Kobe" names one partner, not Kobe
            first_group = _groups(item, mentions)[0] if mentions else []
            names = _unique([self.fullest(m.text) for m in first_group])
            names = [n for n in names if not is_country(n) and _party_key(n) != _party_key(owner)]
            if not names:
                continue
            date = self._date_of(date_match)
            candidate = Candidate(
                type=model_type, label=label, parties=_unique([owner, *names]), date=date, date_stated=date is not None,
                evidence=[Evidence(text, sentence.start, sentence.end)], earlier=True,
            )
            candidate.evidence.append(Evidence(
                text[item_start: body_start + cursor].strip(" ;,"), sentence.start + item_start, sentence.start + body_start + cursor))
            candidate.confidence = 0.6 + 0.1 * (sum(self.gazetteer.lookup(p) is not None for p in candidate.parties) / len(candidate.parties))
            candidates.append(candidate)
        return candidates

    # details of the main announcement ---------------------------------------------

    def details(self, main: Candidate) -> None:
        for sentence in self.doc.sentences:
            text = sentence.text
            about = re.search(
                r"\b(?:the|this|that)\s+(?:new\s+)?(?:agreement|mou|memorandum(?:\s+of\s+\w+)?|letter(?:\s+of\s+intent)?|loi|moc|partnership)\b",
                text, re.I) or any(sentence.start == e.start for e in main.evidence)
            if about and main.term is None:
                term = _TERM.search(text)
                if term:
                    n = term.group("n") or term.group("n2")
                    unit = (term.group("unit") or term.group("unit2")).lower()
                    count = int(n) if n.isdigit() else _NUMBERS[n.lower()]
                    main.term = f"P{count}{'Y' if unit.startswith('year') else 'M'}"
                    self._cite(main, sentence)
            if about and not main.activities:
                items = [i.strip(" ,") for i in _ACTIVITY_ITEMS.findall(text)]
                items = [re.sub(r"^and\s+", "", i) for i in items if len(i) > 3]
                if len(items) >= 2:
                    main.activities = items
                    self._cite(main, sentence)
            if about and not main.scope:
                scope = _SCOPE.search(text)
                if scope:
                    value = re.split(r"\s+(?:with|between|in\s+both|which|who|by)\s+|,", scope.group("scope"))[0].strip()
                    if 3 <= len(value.split()) <= 20:
                        main.scope = [value]
            if about and not main.date_stated and re.search(r"\b(?:signed|concluded|renewed)\b", text, re.I):
                date, stated = self._date(text, 0)
                if stated:
                    main.date, main.date_stated = date, True
                    self._cite(main, sentence)
            if _SIGNING_SENTENCE.search(text) or (len(_CAPTION.findall(text)) >= 2):
                people = self.signatories(text, main)
                if people and not main.signatories:
                    main.signatories = people
                    self._cite(main, sentence)

    def _cite(self, candidate: Candidate, sentence: Sentence) -> None:
        if all(e.start != sentence.start for e in candidate.evidence):
            candidate.evidence.append(Evidence(sentence.text, sentence.start, sentence.end))

    def signatories(self, text: str, main: Candidate) -> list[Signatory]:
        found: list[Signatory] = []
        for regex in (PERSON_TITLE_ORG, TITLE_PERSON):
            for match in regex.finditer(text):
                person = re.sub(r"^(?:and|by|between)\s+", "", match.group("person")).strip()
                person = re.sub(r"^(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame|Lord)\.?\s+", "", person)
                if not looks_like_person(re.sub(r"^(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame|Lord)\.?\s+", "", person)):
                    continue
                org = self._party_for(match.group("org"), main)
                if org is None:
                    continue
                role = " ".join(match.group("title").split())
                if any(s.name == person for s in found):
                    continue
                found.append(Signatory(person, role, org))
            if found:
                break
        return found

    def _party_for(self, text: str, main: Candidate) -> str | None:
        """The party an organisation named beside a signatory stands for (fuzzy: the text may shorten it)."""
        name = self.fullest(re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.I))
        key = _party_key(name)
        for party in main.parties:
            party_key = _party_key(party)
            if key == party_key or key in party_key or party_key in key:
                return party
            known = self.gazetteer.lookup(name)
            if known is not None and known == self.gazetteer.lookup(party):
                return party
        return None


def _in_paren(text: str, position: int) -> bool:
    return text.count("(", 0, position) > text.count(")", 0, position)


def _groups(text: str, mentions: list[Span]) -> list[list[Span]]:
    """Mentions joined by commas, "and", "und", "&" or "as well as" form one group."""
    groups: list[list[Span]] = []
    for mention in mentions:
        if groups:
            gap = text[groups[-1][-1].end: mention.start]
            gap = re.sub(r"\([^()]*\)", "", gap)
            if re.fullmatch(r"\s*(?:,\s*)?(?:(?:and|und|et|&|as\s+well\s+as|together\s+with|plus)\s+)?(?:the\s+)?", gap, re.I):
                groups[-1].append(mention)
                continue
        groups.append([mention])
    return groups


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        key = _party_key(name)
        if key and key not in seen:
            seen[key] = name
    return list(seen.values())


def _merge(candidates: list[Candidate]) -> list[Candidate]:
    """One agreement said twice (a headline and a paragraph) becomes one, keeping the fuller facts."""
    merged: list[Candidate] = []
    for candidate in candidates:
        for kept in merged:
            if _same(kept, candidate):
                if kept.label in {"partnership", "other"} and candidate.label not in {"partnership", "other"}:
                    kept.type, kept.label = candidate.type, candidate.label  # "partnership" in a headline, "MoU" in the text
                if candidate.date_stated and (not kept.date_stated or (kept.date and candidate.date and len(candidate.date.isoformat()) > len(kept.date.isoformat()))):
                    kept.date, kept.date_stated = candidate.date, True
                kept.parties = max(kept.parties, candidate.parties, key=lambda ps: sum(len(p) for p in ps))
                kept.signatories = kept.signatories or candidate.signatories
                kept.term = kept.term or candidate.term
                kept.scope = kept.scope or candidate.scope
                kept.activities = kept.activities or candidate.activities
                kept.renewal = kept.renewal or candidate.renewal
                kept.earlier = kept.earlier and candidate.earlier
                for evidence in candidate.evidence:
                    if all(e.start != evidence.start for e in kept.evidence):
                        kept.evidence.append(evidence)
                kept.confidence = min(0.99, max(kept.confidence, candidate.confidence) + 0.05)
                break
        else:
            merged.append(candidate)
    return merged


def _same(a: Candidate, b: Candidate) -> bool:
    if a.label != b.label and "partnership" not in (a.label, b.label):
        return False
    keys_a = {_party_key(p) for p in a.parties}
    keys_b = {_party_key(p) for p in b.parties}
    if keys_a == keys_b:
        return _dates_agree(a, b)
    # "Kanagawa" in a headline and "Kanagawa Prefecture" in the text
    def covered(x: set[str], y: set[str]) -> bool:
        return all(any(k == m or k in m.split() or set(k.split()) <= set(m.split()) for m in y) for k in x)

    return len(keys_a) == len(keys_b) and covered(keys_a, keys_b) and covered(keys_b, keys_a) and _dates_agree(a, b)


def _dates_agree(a: Candidate, b: Candidate) -> bool:
    if not (a.date_stated and b.date_stated and a.date and b.date):
        return True
    return not (a.date.surely_before(b.date) or b.date.surely_before(a.date))
