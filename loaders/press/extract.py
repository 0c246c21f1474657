"""Press releases -> candidate agreement records, each with the sentences that support it.

Precision comes before recall: a sentence yields an agreement only when it names an agreement
(MoU, letter of intent, memorandum of cooperation, partnership, collaboration or cooperation
agreement ... see :mod:`types`) together with a verb that says it was signed, concluded,
renewed, exchanged or entered into, and no word that makes it a plan, a hope or a negation
("plans to", "did not", "laid the foundations for"). An agreement announced for a stated day
("will sign ... on March 25") counts. A text about visits, events, offices or investments
yields nothing.

What one announcement yields: its type; its parties (:mod:`parties`: the subject of the
signing and the organisations after "with" or "between", acronyms replaced by the long names
the text ties them to, people replaced by the organisation they speak for); the date signed
with its precision and basis (:mod:`dates`); signatories, term, scope and activities
(:mod:`details`). Earlier agreements mentioned in passing, and lists of partners with their
months, become agreements of their own. Mentions of one agreement are merged
(:mod:`duplicates`).

No network, no model download: rules, patterns and the gazetteer of known organisations
(:class:`~clusterkg.loaders.press.names.Gazetteer`).
"""

from __future__ import annotations

import re

from clusterkg.loaders.press import complete
from clusterkg.loaders.press.dates import FoundDate, about_signing, find_dates
from clusterkg.loaders.press.document import MONTH, Document, Sentence
from clusterkg.loaders.press.duplicates import absorb, headline_into_body, merge_mentions, same, split_summaries
from clusterkg.loaders.press.later import partners_in_next
from clusterkg.loaders.press.names import Gazetteer, Span, find_acronyms
from clusterkg.loaders.press.parties import Names, clear, groups, objects, place_party, subject, unique
from clusterkg.loaders.press.records import Candidate, Evidence, Signatory, party_key
from clusterkg.loaders.press.types import (
    HYPOTHETICAL,
    PARTNERING,
    RENEWAL,
    SIGNING_VERB,
    WEAK_VERBS,
    Trigger,
    clear_trigger_cache,
    find_triggers,
)

__all__ = ["Candidate", "Evidence", "Extractor", "Signatory"]

_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|its|their|our|his|her|both)\s+(?:\w+\s+){0,2}$", re.I)
_NEW = re.compile(r"\b(?:a|an)?\s*(?:new|today['’]s|recent|recently\s+signed|newly\s+signed)\s+(?:[\w-]+\s+){0,3}$", re.I)
_DATELINE = re.compile(
    r"^(?:date\s+\d{4}-\d\d-\d\d\s+)?(?:[A-Z][\w.'’()-]*(?:(?:[ ,]+|\s+&\s+)[A-Z(][\w.'’()-]*){0,9})\s*"
    r"(?:[-–—]{1,2}\s*\([A-Z][A-Za-z .]+\)\s*[-–—]{1,2}\s*|\s[–—-]{1,2}\s|:\s|/[A-Za-z ]+/\s*--\s*)"
    rf"(?:(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:{MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\s+\d{{4}})\s*[–—-]{{1,2}}\s*)?")
_PAST_ANNOUNCED = re.compile(r"\b(?:signed|inked|concluded|entered|renewed|exchanged|executed|agreed|sealed)\b", re.I)
_ORIGINAL = re.compile(
    r"\b(?:which|that)\s+(?:was\s+|were\s+|had\s+been\s+)?(?:first|originally|initially)\s+(?:signed|concluded|agreed)\b"
    r"|\b(?:original|first|previous|earlier|existing)\s+(?:\w+\s+){0,2}(?:mou|memorandum|agreement)\s+(?:\w+\s+){0,3}?(?:signed|concluded)\b", re.I)
_ANAPHORA = re.compile(
    r"\b(?:the|both|these)\s+(?:two\s+|three\s+)?(?:organi[sz]ations|parties|sides|institutions|associations|clusters|agencies|"
    r"groups|companies|partners|bodies|parks|universities|governments|countries)\b|\b(?:both\s+parties|they|it|we)\s*$", re.I)
_WHOLE = re.compile(r".+", re.S)  # the trigger's own words as its verb, at their offsets
_GLAD_TO = re.compile(r"\b(?:pleased|delighted|proud|happy|glad|excited|thrilled|honou?red)\s+to\s+(?=(?:announce|share|report|confirm|celebrate)\b)", re.I)
_SIGNED_NEXT = re.compile(
    r"\s*(?:It|This|The\s+(?:\w+\s+)?(?:agreement|memorandum|mou|moc|loi|letter|document|arrangement))\s+"
    r"(?:was|had\s+been)\s+(?:\w+\s+)?(?:signed|concluded|inked|executed)\b", re.I)
_WILL_SIGN = re.compile(r"\b(?:will|to)\s+(?:formally\s+)?sign\b", re.I)


class Extractor:
    """Finds agreements in documents; ``gazetteer`` knows the organisations already on record."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer()

    def extract(self, doc: Document) -> list[Candidate]:
        return _Reading(doc, self.gazetteer).run()


class _Reading:
    """One pass over one document."""

    def __init__(self, doc: Document, gazetteer: Gazetteer):
        clear_trigger_cache()  # a cache within one document, never across documents (honest timing)
        self.doc = doc
        self.gazetteer = gazetteer
        self.acronyms = find_acronyms(doc.text)
        self.names = Names(self.acronyms, gazetteer, doc.text)
        self.years = sorted({int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", doc.text)})
        self.published = doc.published
        self.sentence_info: dict[int, tuple[str, list]] = {}

    # the pass ------------------------------------------------------------------------

    def run(self) -> list[Candidate]:
        found: list[Candidate] = []
        supporting: list[Candidate] = []
        pending_lists = []
        for index, sentence in enumerate(self.doc.sentences):
            text = self._without_dateline(sentence.text)
            triggers = find_triggers(text) + self._partnering(text)
            triggers.sort(key=lambda t: t.start)
            if not triggers:
                continue
            cleared, people = clear(text, self.acronyms)
            self.sentence_info[sentence.start] = (cleared, people)
            for i, trigger in enumerate(triggers):
                if self._listing(text, trigger):
                    pending_lists.append((sentence, trigger, cleared))
                    break
                following = triggers[i + 1].start if i + 1 < len(triggers) else len(text)
                made = self.announcement(index, sentence, text, cleared, people, trigger, following)
                for candidate, definite in made:
                    (supporting if definite else found).append(candidate)
        for sentence, trigger, cleared in pending_lists:
            found.extend(self.listing(sentence, trigger, cleared))
        merged = merge_mentions(found)
        # a mention by "the MoU" or a pronoun only adds to an agreement announced elsewhere
        for candidate in supporting:
            target = next((c for c in merged if same(c, candidate)), None)
            if target is not None:
                absorb(target, candidate)
            elif len(candidate.parties) >= 2 and re.search(r"\b(?:was|were|been)\s+(?:\w+\s+)?(?:signed|concluded|inked)\b",
                                                           candidate.evidence[0].text, re.I):
                # "The agreement was signed by A and B": announced as "the agreement" only, still an agreement
                candidate.guesses.append("named only as 'the agreement'")
                candidate.earlier = False  # the release's own agreement, not one mentioned in passing
                merged.append(candidate)
        merged = headline_into_body([c for c in merged if len(c.parties) >= 2], self._in_headline)
        result = complete.renewed_originals(split_summaries(merged))
        complete.respectively(result, self.doc, self.published, self.years)
        for candidate in result:
            self.details(candidate, [p for c in result if c is not candidate for p in c.parties])
            complete.event_date(candidate, self.doc, self.published, self.years)
            complete.publication_date(candidate, self.doc)
            candidate.confidence = self.confidence(candidate)
        return result

    def _in_headline(self, evidence: Evidence) -> bool:
        title = (self.doc.title or "").strip()
        return bool(title) and evidence.start < len(title) + 2 and evidence.text.strip() in title

    def _without_dateline(self, text: str) -> str:
        m = _DATELINE.match(text)
        if m and m.end() < len(text) and (re.search(r"[–—:]|--|\d{4}", m.group()) is not None):
            return " " * m.end() + text[m.end():]
        return text

    def _partnering(self, text: str) -> list[Trigger]:
        return [Trigger(m.start(), m.end(), "partnership", "partnership", 1, m.group()) for m in PARTNERING.finditer(text)]

    def _listing(self, text: str, trigger: Trigger) -> bool:
        """A plural agreement followed by organisations with a date each: earlier agreements."""
        tail = text[trigger.end:]
        dated = len(re.findall(rf"\bin\s+{MONTH}\s+(?:19|20)\d\d|\bin\s+(?:19|20)\d\d", tail))
        return (trigger.plural and dated >= 1 and re.search(r"\bwith\b", tail, re.I) is not None) or (
            dated >= 2 and re.search(r"\bwith\b", tail, re.I) is not None)

    # one announcement --------------------------------------------------------------------

    def _verb(self, text: str, trigger: Trigger) -> re.Match | None:
        if trigger.rank == 1 and trigger.type == "partnership" and re.match(r"(?:is\s+|are\s+|has\s+|have\s+)?partner(?:s|ed|ing)?\b", trigger.text, re.I):
            return _WHOLE.match(text, trigger.start, trigger.end)  # "is partnering with": the words are the verb
        best = None
        for verb in SIGNING_VERB.finditer(text):
            weak = WEAK_VERBS.match(verb.group()) is not None
            if verb.end() <= trigger.start:
                between = text[verb.end(): trigger.start]
                limit = 30 if weak else 90
                if len(between) > limit or re.search(r"[.;:]", between):
                    continue
                if weak and between.strip() and not re.search(r"\b(?:a|an|the|new|its|their|extension\s+of|renewal\s+of)\b", between, re.I):
                    continue
                if re.search(r"\b(?:with|between)\b", between, re.I) and weak:
                    continue
            elif verb.start() >= trigger.end:
                between = text[trigger.end: verb.start()]
                limit = 90 if re.search(r"\b(?:was|were|been)\s+$", between) else 40
                if len(between) > limit or weak or re.search(r"[;:]", between):
                    continue
            else:
                continue
            if best is None or abs(verb.start() - trigger.start) < abs(best.start() - trigger.start):
                best = verb
        return best

    def _hypothetical(self, text: str, verb: re.Match, trigger: Trigger) -> bool:
        start = min(verb.start(), trigger.start)
        # "are pleased to announce the signing of": a report, not a plan
        lead = _GLAD_TO.sub(lambda m: " " * len(m.group()), text[: start + 12])[:start]
        window = " ".join(lead[max(0, start - 40):].split()[-4:])
        hits = [m.group().casefold() for m in HYPOTHETICAL.finditer(window)]
        if hits:
            # "to" alone only counts right before the verb ("plans to sign", "to sign")
            if hits != ["to"] or window.casefold().endswith(" to") or window.casefold() == "to":
                if not (hits == ["to"] and verb.start() > trigger.start):
                    return True
        if re.search(r"\b(?:did|does|do|has|have|had)\s+not\b|\bno\s+(?:agreement|mou)\b|\bfailed\s+to\b", text, re.I):
            return True
        return bool(re.search(r"\b(?:to\s+be\s+signed|will\s+be\s+signed|is\s+expected|are\s+expected|laid\s+the\s+foundations?)\b", text, re.I))

    def _stated_occasion(self, index: int, text: str) -> bool:
        """ "will sign ... on March 25": an agreement due on a stated day (here or in the next sentences)."""
        sentences = [text] + [s.text for s in self.doc.sentences[index + 1: index + 3]]
        if re.search(r"\bwill\s+(?:formally\s+)?sign\b[^.;]*\btoday\b", text, re.I):
            return True  # "X will sign an MoU with Y today": the release is the day's announcement
        # further on, only "the signing" itself ("The signing will occur ... on March 25")
        sentences += [s.text for s in self.doc.sentences[index + 3: index + 6] if re.search(r"\bthe\s+signing\b", s.text, re.I)]
        for s in sentences:
            if re.search(r"\bsign(?:ing|ed)?\b", s, re.I) and any(
                    f.date.precision == "day" for f in find_dates(s, self.published, self.years)):
                return True
        return False

    def announcement(self, index: int, sentence: Sentence, text: str, cleared: str, people, trigger: Trigger,
                     following: int) -> list[tuple[Candidate, bool]]:
        verb = self._verb(text, trigger)
        guesses: list[str] = []
        signed_next = None
        if verb is None:
            # "A new collaboration agreement between A, B and C aims ...", "today's agreement with X"
            if _NEW.search(text[: trigger.start]) and re.match(r"\s+(?:between|with)\b", text[trigger.end:]):
                verb = _WHOLE.match(text, trigger.start, trigger.end)
            elif (signed_next := self._signed_next(index, text, trigger)) is not None:
                # "The Cabinet approved the MoC between A and B. It was signed on 29 October."
                verb = _WHOLE.match(text, trigger.start, trigger.end)
            else:
                return [(c, False) for c in self._ordinal_earlier(sentence, text, cleared, trigger)]
        if self._hypothetical(text, verb, trigger):
            will = _WILL_SIGN.search(text[max(0, min(verb.start(), trigger.start) - 30): trigger.end + 5])
            if not (will and self._stated_occasion(index, text)):
                return []
            guesses.append("announced before the signing")
        partnering = verb.start() == trigger.start and verb.end() == trigger.end  # "is partnering with": no noun to refer back
        definite = bool(_DEFINITE.search(text[: trigger.start])) and verb.start() >= trigger.start and not partnering \
            and signed_next is None
        breaks = [(trigger.start, trigger.end), (verb.start(), verb.end())]
        mentions = [m for m in self.names.mentions(cleared, breaks)]
        first = min(verb.start(), trigger.start)
        before = [m for m in mentions if m.end <= first]
        subj = subject(cleared, groups(cleared, before), first)
        after = max(verb.end(), trigger.end) if verb.start() < trigger.start or verb.end() <= trigger.end + 1 else trigger.end
        if re.search(r"\bwith$", trigger.text):
            after = min(after, trigger.end - 4)  # "is partnering with X": the cue is part of the trigger
        obj = objects(cleared, mentions, after, None)
        if not obj and verb.start() > trigger.end:
            passive = re.search(r"\b(?:was|were|been|being)\s+(?:\w+\s+)?$", text[: verb.start()]) is not None
            obj = objects(cleared, mentions, verb.end(), None, passive)
        if obj and verb.start() >= trigger.end and re.match(r"\s*(?:\w+\s+){0,3}?(?:by|between|among)\b", cleared[verb.end():]):
            subj = []  # "Biotech pact signed by A and B": the words before are not a party
        if len(obj) >= 2 and re.match(r"\s*,?\s*(?:(?:signed|concluded|agreed)\s+)?(?:between|among)\b", cleared[trigger.end:]):
            subj = []  # "the Cabinet approved the MoU between A and B": "between" names every party
        own_group = [g for g in groups(cleared, before) if len(g) >= 2 and not re.search(
            r"\b(?:in|at|near|on|of|during|to)\s+(?:the\s+)?$", cleared[: g[0].start])][:1]
        if not subj and self._anaphora(cleared[: first]) and own_group and re.search(r"\b(?:they|both)\s*$", cleared[: first].rstrip(), re.I):
            subj_names = [self.names.fullest(m.text) for m in own_group[-1]]  # "A and B came together, where they signed"
            guesses.append("parties named by a pronoun, taken from earlier in the sentence")
        elif not subj and self._anaphora(cleared[: first]):
            subj_names = self._previous_parties(index)
            if subj_names:
                guesses.append("parties named by a pronoun, taken from the sentence before")
        else:
            subj_names = []
        # "Kanagawa Prefecture, Japan": a country set off by a comma after a name only says where it is
        kept = [m for i, m in enumerate(subj + obj)
                if not (i and place_party(m.text) and not place_party((subj + obj)[i - 1].text)
                        and cleared[(subj + obj)[i - 1].end: m.start].strip() == ",")]
        names = subj_names + [self.names.fullest(m.text) for m in kept]
        names = [n for n in names if n]
        # plural agreements between pairs: "MoUs signed between India and Cuba, and India and Korea"
        obj_names = [self.names.fullest(m.text) for m in obj]
        if trigger.plural and len(obj) >= 4 and len({party_key(n) for n in obj_names}) < len(obj_names):
            pairs = [obj_names[i: i + 2] for i in range(0, len(obj_names) - 1, 2)]
            return [(self._one(sentence, text, trigger, verb, pair, True, guesses), False) for pair in pairs if len(set(pair)) == 2]
        parties = unique(names)
        if len(parties) < 2:
            person_party = self._party_of_people(text, cleared, mentions, people, first, parties)
            if person_party:
                parties = unique(parties + person_party)
                guesses.append("a party named through its representative")
        if len(parties) == 1 and not subj and obj and not definite and self._primary() is not None \
                and not _DEFINITE.search(text[: trigger.start]):
            primary = self._primary()
            if party_key(primary) != party_key(parties[0]):
                parties = [primary, *parties]
                guesses.append("one party taken from the headline")
        if trigger.plural and len(subj) == 1 and not obj and len(parties) == 1:
            # "A has signed two MoUs ... The MOUs are with B and C"
            later = [p for p in unique(partners_in_next(self.doc, index, self.names, self.acronyms)) if party_key(p) != party_key(parties[0])]
            if later:
                made = [self._one(sentence, text, trigger, verb, [parties[0], p], False, guesses) for p in later]
                following_sentence = self.doc.sentences[index + 1]
                for candidate in made:
                    candidate.evidence.append(Evidence(following_sentence.text, following_sentence.start, following_sentence.end))
                return [(c, False) for c in made]
        if trigger.plural and len(subj) == 1 and len(obj) > 1:
            owner = self.names.fullest(subj[0].text)
            return [(self._one(sentence, text, trigger, verb, [owner, p], True, guesses), definite)
                    for p in parties if p != owner]
        if not parties:
            return []
        if len(parties) < 2:
            definite = True  # one named party ("the state-run agency and RIGHT Fund"): only adds to another mention
        earlier = bool(re.match(r"(?:signed|concluded)\b", verb.group(), re.I)) and bool(_DEFINITE.search(text[: trigger.start]))
        original = _ORIGINAL.search(text, trigger.end)
        original_date = None
        if original is not None and RENEWAL.search(text[max(0, trigger.start - 40): original.start()]):
            found = find_dates(text[original.start():], self.published, self.years)
            original_date = found[0] if found else None
        candidate = self._one(sentence, text, trigger, verb, parties, earlier, guesses, following,
                              exclude=(original.start() + original_date.start, original.start() + original_date.end) if original_date else None)
        made = [(candidate, definite)]
        if signed_next is not None:
            later = self.doc.sentences[index + 1]
            candidate.evidence.append(Evidence(later.text, later.start, later.end))
            dates = about_signing(later.text, find_dates(later.text, self.published, self.years))
            # the date of the signing, not of what this sentence reports ("approved on Monday")
            candidate.date, candidate.date_stated, candidate.date_basis = (
                (dates[0].date, True, dates[0].basis) if len(dates) == 1 else (None, False, None))
        if original_date is not None:
            candidate.renewal = True
            first_one = Candidate(type=trigger.type, label=trigger.label, parties=list(parties), rank=trigger.rank,
                                  evidence=[Evidence(sentence.text, sentence.start, sentence.end)], earlier=True,
                                  date=original_date.date, date_stated=True, date_basis=original_date.basis)
            made.append((first_one, definite))
        return made

    def _ordinal_earlier(self, sentence: Sentence, text: str, cleared: str, trigger: Trigger) -> list[Candidate]:
        """"A's third partnership in the US, after B and C": A's earlier agreements of that kind with B and C."""
        lead = re.search(r"(?:['’]s|\b(?:its|their|our))\s+(?:\w+\s+)?(?:second|third|fourth|fifth|sixth|\d+(?:nd|rd|th))\s+"
                         r"(?:[\w-]+\s+)?$", text[: trigger.start], re.I)
        cue = re.match(r"[^.;:]{0,60}?,?\s+(?:after|following|besides|in\s+addition\s+to)\s+(?:those\s+with\s+|ones\s+with\s+)?",
                       text[trigger.end:], re.I)
        if lead is None or cue is None or trigger.plural:
            return []
        owner_match = re.search(r"([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)['’]s\s", text[max(0, lead.start() - 80): lead.end()])
        owner = self.names.fullest(owner_match.group(1)) if owner_match else self._primary()
        at = trigger.end + cue.end()
        mentions = [m for m in self.names.mentions(cleared, []) if m.start >= at]
        if owner is None or not mentions or cleared[at: mentions[0].start].strip():
            return []
        partners = [n for n in unique(self.names.fullest(m.text) for m in groups(cleared, mentions)[0])
                    if party_key(n) != party_key(owner)]
        return [Candidate(type=trigger.type, label=trigger.label, parties=[owner, partner], rank=trigger.rank,
                          evidence=[Evidence(sentence.text, sentence.start, sentence.end)], earlier=True,
                          guesses=["an earlier agreement named only by its partner"])
                for partner in partners]

    def _signed_next(self, index: int, text: str, trigger: Trigger) -> Sentence | None:
        """The next sentence says that the agreement this one names "between" or "with" parties was
        signed ("It was signed on ...", "The memorandum was concluded in May")."""
        if index + 1 >= len(self.doc.sentences) or not re.match(r"\s*(?:\([^()]*\)\s*)?(?:signed\s+|concluded\s+)?(?:between|with)\b", text[trigger.end:]):
            return None
        later = self.doc.sentences[index + 1]
        return later if _SIGNED_NEXT.match(later.text) else None

    def _anaphora(self, before: str) -> bool:
        return bool(_ANAPHORA.search(" ".join(before.split()[-6:])))

    def _previous_parties(self, index: int) -> list[str]:
        """The organisations a pronoun or "the two organizations" stands for: the subject and the
        "with" side of the nearest sentence before that names some."""
        for sentence in reversed(self.doc.sentences[max(0, index - 3): index]):
            cleared, _ = clear(self._without_dateline(sentence.text), self.acronyms)
            mentions = [m for m in self.names.mentions(cleared, []) if not place_party(m.text)]
            if not mentions:
                continue
            grouped = groups(cleared, mentions)
            subj = grouped[0]
            names = [self.names.fullest(m.text) for m in subj]
            verb_at = subj[-1].end
            obj = objects(cleared, mentions, verb_at, None)
            names += [self.names.fullest(m.text) for m in obj]
            return unique(names)
        return []

    def _party_of_people(self, text: str, cleared: str, mentions: list[Span], people, first: int, parties: list[str]) -> list[str]:
        """A signer named only by title ("Governor Deval Patrick signed ... with X"): the other side of
        a "between A and B" in the same sentence."""
        if not any(p.org is None and p.start < first for p in people):
            return []
        cue = re.search(r"\bbetween\b", cleared, re.I)
        if not cue:
            return []
        later = [m for m in mentions if m.start >= cue.end()]
        if not later:
            return []
        group = groups(cleared, later)[0]
        names = [self.names.fullest(m.text) for m in group]
        keys = {party_key(p) for p in parties}
        others = [n for n in names if party_key(n) not in keys and not any(party_key(n) in k or k in party_key(n) for k in keys)]
        return others[:1] if len(group) == 2 and len(others) == 1 else []

    def _one(self, sentence: Sentence, text: str, trigger: Trigger, verb, parties: list[str], earlier: bool,
             guesses: list[str], following: int | None = None, exclude: tuple[int, int] | None = None) -> Candidate:
        candidate = Candidate(
            type=trigger.type, label=trigger.label, parties=parties, rank=trigger.rank,
            renewal=bool(RENEWAL.search(verb.group()) or RENEWAL.search(text[max(0, trigger.start - 30): trigger.end + 20])),

            evidence=[Evidence(sentence.text, sentence.start, sentence.end)], earlier=earlier, guesses=list(guesses),
        )
        if candidate.renewal:
            candidate.renews = (trigger.type, trigger.label, trigger.rank)
        date = self._date_for(text, trigger, verb, following, exclude)
        if date is not None:
            candidate.date, candidate.date_stated, candidate.date_basis = date.date, True, date.basis
        if any(place_party(p) for p in parties):
            candidate.guesses.append("a country or region as a party")
        return candidate

    def _date_for(self, text: str, trigger: Trigger, verb, following: int | None,
                  exclude: tuple[int, int] | None = None) -> FoundDate | None:
        """The date in the stretch of the sentence that belongs to this agreement, nearest its verb;
        a date that belongs to another agreement named in the sentence is never borrowed."""
        dates = [d for d in about_signing(text, find_dates(text, self.published, self.years))
                 if exclude is None or d.start != exclude[0]]
        start = 0
        others = [t for t in find_triggers(text) if t.start != trigger.start]
        previous = [t.end for t in others if t.end <= trigger.start]
        if previous and not any(d.end <= min(previous[-1], trigger.start) for d in dates if d.start < trigger.start):
            start = previous[-1]
        stop = following if following is not None else len(text)
        if previous:
            start = max(start, previous[-1])
        own = [d for d in dates if start <= d.start and d.end <= stop]
        if not own and not previous:
            own = [d for d in dates if d.end <= trigger.start]  # "On 19 June 2017 Joe Damond ... signed"
        if not own:
            return None
        anchor = verb.start()
        return min(own, key=lambda d: abs(d.start - anchor))

    # earlier agreements in a list --------------------------------------------------------

    def listing(self, sentence: Sentence, trigger: Trigger, cleared: str) -> list[Candidate]:
        text = sentence.text
        window = " ".join(text[max(0, trigger.start - 40): trigger.start].split()[-4:])
        if HYPOTHETICAL.search(window) and not re.fullmatch(r".*\bto", window):
            return []
        head = [m for m in self.names.mentions(cleared[: trigger.start], []) if m.end <= trigger.start]
        subj = subject(cleared, groups(cleared, head), trigger.start)
        owner = self.names.fullest(subj[0].text) if subj else self._primary()
        if owner is None:
            return []
        cue = re.search(r"\bwith\b|:", text[trigger.end:], re.I)
        if cue is None:
            return []
        body_start = trigger.end + cue.end()
        colon = text.find(":", body_start - 1, body_start + 120)
        if colon != -1:
            body_start = colon + 1
        body = text[body_start:]
        candidates = []
        cursor = 0
        for date_match in re.finditer(rf"\bin\s+(?:(?P<m>{MONTH})\s+)?(?P<y>(?:19|20)\d\d)\b", body):
            item = body[cursor: date_match.start()]
            item_start = body_start + cursor
            cursor = date_match.end()
            item_cleared = cleared[item_start: item_start + len(item)]
            mentions = self.names.mentions(item_cleared, [])
            first_group = groups(item_cleared, mentions)[0] if mentions else []
            names = unique([self.names.fullest(m.text) for m in first_group])
            names = [n for n in names if not place_party(n) and party_key(n) != party_key(owner)]
            if not names:
                continue
            found = find_dates(date_match.group(), self.published, self.years)
            candidate = Candidate(
                type=trigger.type, label=trigger.label, parties=unique([owner, *names]), rank=trigger.rank,
                evidence=[Evidence(text, sentence.start, sentence.end)], earlier=True,
            )
            if found:
                candidate.date, candidate.date_stated, candidate.date_basis = found[0].date, True, found[0].basis
            candidate.evidence.append(Evidence(
                text[item_start: body_start + cursor].strip(" ;,"), sentence.start + item_start, sentence.start + body_start + cursor))
            candidates.append(candidate)
        return candidates

    def _primary(self) -> str | None:
        if not self.doc.title:
            return None
        cleared, _ = clear(self.doc.title, self.acronyms)
        runs = self.names.mentions(cleared, [])
        return self.names.fullest(runs[0].text) if runs else None

    # details -------------------------------------------------------------------------------

    def details(self, candidate: Candidate, others: list[str]) -> None:
        complete.add_details(candidate, self.doc, self.sentence_info, self.names.fullest, self.published, self.years, others)

    def confidence(self, candidate: Candidate) -> float:
        return complete.confidence(candidate, self.gazetteer)
