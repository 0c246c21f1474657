"""Completing the candidates of one document: details from the sentences about each agreement,
the agreement a renewal renews, the release's date for an agreement it announces, and confidence.
"""

from __future__ import annotations

import copy
import re

from clusterkg.loaders.press import details
from clusterkg.loaders.press.coref import people_by_word
from clusterkg.loaders.press.dates import about_signing, find_dates
from clusterkg.loaders.press.document import Document, Sentence
from clusterkg.loaders.press.people import find_people
from clusterkg.loaders.press.places import in_reference
from clusterkg.loaders.press.records import Candidate, Evidence, party_key
from clusterkg.loaders.press.types import find_triggers
from clusterkg.model.dates import PartialDate

_ABOUT = re.compile(
    r"\b(?:the|this|that)\s+(?:new\s+)?(?:agreement|mou|memorandum(?:\s+of\s+\w+)?|letter(?:\s+of\s+intent)?|loi|moc|partnership|pact)\b",
    re.I)
_PASSIVE_SIGNED = re.compile(r"\b(?:was|were)\s+(?:\w+\s+)?(?:signed|concluded|inked|formali[sz]ed|executed)\b", re.I)
_SIGN_WORD = re.compile(r"\b(?:sign(?:s|ed|ing)?|formali[sz](?:ed|ing)|conclu(?:ded|sion)|inked|executed)\b", re.I)
_ANNOUNCES = re.compile(r"\b(?:announc(?:e|es|ed|ing)|today)\b", re.I)


def add_details(candidate: Candidate, doc: Document, sentence_info: dict, fullest, published: PartialDate | None,
                years: list[int], others: list[str] = ()) -> None:
    """Term, activities, scope, a date said later ("The letter was signed on ...") and signatories,
    from the candidate's own sentences and those about "the agreement"."""
    own = {e.start for e in candidate.evidence}
    for sentence in doc.sentences:
        text = sentence.text
        mine = sentence.start in own
        about = mine or (not candidate.earlier and (_ABOUT.search(text) and len(find_triggers(text)) <= 2
                                                    or details.CAPTION.search(text) and not find_triggers(text)))
        if not about:
            if not candidate.date_stated and not candidate.earlier and _signing_of(candidate, text, others):
                # "On 11 May 2017 a delegation of A visited B to sign a cooperation agreement", a headline
                # "A - B MOU Signing Ceremony on 8 December 2017": one date, said of this agreement's signing
                dates = about_signing(text, find_dates(text, published, years))
                if len(dates) == 1:
                    candidate.date, candidate.date_stated, candidate.date_basis = dates[0].date, True, dates[0].basis
                    cite(candidate, sentence)
            continue
        if candidate.term is None and (term := details.term_of(text)):
            candidate.term = term
        if not candidate.activities and (items := details.activities_of(text)):
            candidate.activities = items
        if not candidate.scope and (scope := details.scope_of(text)):
            candidate.scope = [scope]
        if not candidate.date_stated and not mine and _PASSIVE_SIGNED.search(text):
            # "The letter was signed on 19 April 2021 by ...": the date of the agreement announced before
            dates = about_signing(text, find_dates(text, published, years))
            if len(dates) == 1:
                candidate.date, candidate.date_stated, candidate.date_basis = dates[0].date, True, dates[0].basis
                cite(candidate, sentence)
        if not candidate.signatories and not candidate.renews_implied:
            info = sentence_info.get(sentence.start)
            people = info[1] if info else find_people(text)
            found = details.signatories(text, people, candidate, fullest, lambda: people_by_word(doc.text))
            if found:
                candidate.signatories = found
                cite(candidate, sentence)


def _signing_of(candidate: Candidate, text: str, others: list[str]) -> bool:
    """Does the sentence speak of signing this agreement: a signing word, a name of an agreement of
    its type (or a plain "agreement"), one of its parties, and no other kind of agreement? Or
    "The signing will take place on March 25" after the announcement of a signing to come."""
    if not _SIGN_WORD.search(text):
        return False
    triggers = find_triggers(text)
    if any(t.label != candidate.label and t.rank >= 3 for t in triggers):
        return False
    if not triggers:
        return "announced before the signing" in candidate.guesses and re.search(r"\bthe\s+signing\b", text, re.I) is not None \
            and not any(o.casefold() in text.casefold() for o in others)
    words = set(re.findall(r"[\w*&-]+", text.casefold()))
    def named(party: str) -> bool:
        return set(party_key(party).split()) <= words or party.casefold() in text.casefold()

    # a party of another agreement of the text that is not this one's: "India and Cuba signed ... on
    # 22 June" is not the date of India's MoU with Korea (unless the sentence speaks of several: "MoUs")
    mine = {party_key(p) for p in candidate.parties}
    if not any(t.plural for t in triggers) and any(named(o) for o in others if party_key(o) not in mine):
        return False
    return any(named(p) for p in candidate.parties)


def respectively(candidates: list[Candidate], doc: Document, published: PartialDate | None, years: list[int]) -> None:
    """"The MoUs were signed on 22 June 2018 at Havana and on 9 July 2018 at New Delhi, respectively":
    the dates go, in order, to the undated agreements the sentences before named in that order."""
    for index, sentence in enumerate(doc.sentences):
        if not re.search(r"\brespectively\b", sentence.text, re.I) or not _SIGN_WORD.search(sentence.text):
            continue
        dates = about_signing(sentence.text, find_dates(sentence.text, published, years))
        before = {s.start for s in doc.sentences[max(0, index - 3): index + 1]}
        named = sorted((c for c in candidates if c.evidence[0].start in before),
                       key=lambda c: (c.evidence[0].start, max(c.evidence[0].text.find(p) for p in c.parties)))
        if len(dates) < 2 or len(named) != len(dates):
            continue
        # the order holds when the agreements dated already have the date it gives them
        if all(not c.date_stated or c.date == d.date for c, d in zip(named, dates)):
            for candidate, date in zip(named, dates):
                if not candidate.date_stated:
                    candidate.date, candidate.date_stated, candidate.date_basis = date.date, True, date.basis
                    cite(candidate, sentence)


def cite(candidate: Candidate, sentence: Sentence) -> None:
    if all(e.start != sentence.start for e in candidate.evidence):
        candidate.evidence.append(Evidence(sentence.text, sentence.start, sentence.end))


def renewed_originals(candidates: list[Candidate]) -> list[Candidate]:
    """A renewal, extension or reaffirmation implies the agreement it renews, between the same
    parties: added (undated unless the text dates it) when the text does not give it already."""
    added = []
    for candidate in candidates:
        if not candidate.renewal or candidate.earlier or candidate.renews is None:
            continue
        keys = {party_key(p) for p in candidate.parties}
        if any(c is not candidate and (c.earlier or not c.renewal) and {party_key(p) for p in c.parties} == keys
               for c in candidates + added):
            continue
        original = Candidate(type=candidate.renews[0], label=candidate.renews[1], rank=candidate.renews[2],
                             parties=list(candidate.parties), evidence=copy.deepcopy(candidate.evidence[:1]), earlier=True,
                             guesses=["the agreement a renewal renews, implied by the renewal"])
        original.renews_implied = True  # the renewal's sentence: its signers signed the renewal
        added.append(original)
    return candidates + added


_BACK_TO_EVENT = re.compile(
    r"\b(?:after|following|at|during|in\s+the\s+course\s+of|on\s+the\s+occasion\s+of)\s+(?:the|this|that|their|our)\s+"
    r"(?:first\s+|recent\s+|same\s+)?(?:meeting|talks|visit|ceremony|mission|trip|forum|conference|reception|event)\b"
    r"|\b(?:this|the|that)\s+(?:first\s+|recent\s+)?(?:mission|trip|visit)\s+(?:was|is|also|saw)\b"
    r"|\bsuch\s+(?:partnership|cooperation|collaboration|ties)\b"
    r"|\bthe\s+(?:two|three|both)\s+(?:ministers|governors|mayors|leaders|presidents|delegations|sides)\b", re.I)
_PAGE_DATE = re.compile(r"^\s*date\s+\d{4}-\d\d(?:-\d\d)?\s")
_EVENT = re.compile(r"\b(?:met|meet|meeting|meetings|talks|visit(?:ed|s)?|trip|mission|delegation|travel(?:l?ed)?|agreed|"
                    r"took\s+place|held|hosted)\b", re.I)


def event_date(candidate: Candidate, doc: Document, published: PartialDate | None, years: list[int]) -> None:
    """"On August 1, A met B ... After the meeting they signed the MoU", "a trip from 14 to 21 May
    2011 ... during the trip A and B signed": an undated agreement signed at a meeting, visit or trip
    the text has dated takes that date (basis ``inferred``)."""
    if candidate.date_stated or candidate.earlier:
        return
    index = next((i for i, s in enumerate(doc.sentences) if s.start == candidate.evidence[0].start), None)
    if index is None:
        return
    near = doc.sentences[max(0, index - 1): index + 2]
    if not any(_BACK_TO_EVENT.search(s.text) for s in near):
        return
    seen = 0
    for sentence in reversed(doc.sentences[:index]):
        if len(sentence.text.split()) >= 5 and re.search(r"[.!?\"”]\s*$", sentence.text):
            seen += 1  # list items, numbers and headings do not count
        if seen > 8:
            return
        text = _PAGE_DATE.sub(lambda m: " " * len(m.group()), sentence.text)  # the stored page's own date line
        dates = about_signing(text, find_dates(text, published, years))
        if not dates:
            continue
        if len(dates) == 1 and dates[0].date.precision != "year" and _EVENT.search(sentence.text):
            candidate.date, candidate.date_stated, candidate.date_basis = dates[0].date, True, "inferred"
            candidate.guesses.append("dated by the meeting or trip it was signed at")
            cite(candidate, sentence)
        return  # the nearest dated sentence decides


def publication_date(candidate: Candidate, doc: Document) -> None:
    """A release that announces an agreement with no date of its own ("are pleased to announce the
    signing of", "today announced") dates it by its own date, with basis ``publication``."""
    if candidate.date_stated or candidate.earlier or doc.published is None or doc.published.day is None:
        return
    if _ANNOUNCES.search(candidate.evidence[0].text):
        candidate.date, candidate.date_stated, candidate.date_basis = doc.published, True, "publication"
        candidate.guesses.append("dated by the release that announces it")


def confidence(candidate: Candidate, gazetteer) -> float:
    """0.55 to start; more for a plain signing verb, a stated date, known parties and a second
    mention; less for every guess (a party through its representative, a country as a party,
    an announcement before the signing, a one-word name, an inferred date)."""
    score = 0.55
    evidence = " ".join(e.text for e in candidate.evidence)
    if re.search(r"\b(?:signed|signs|concluded|inked|executed|entered\s+into)\b", evidence, re.I):
        score += 0.15
    if candidate.date_stated and candidate.date_basis != "publication":
        score += 0.1 if candidate.date_basis == "explicit" else 0.05
    # parties the user's data or the reference list knows are organisations for certain (and placed)
    score += 0.1 * sum(gazetteer.lookup(p) is not None or in_reference(p) for p in candidate.parties) / len(candidate.parties)
    if len(candidate.evidence) > 1:
        score += 0.05
    score -= 0.1 * len(set(candidate.guesses))
    if candidate.earlier:
        score -= 0.1
    if candidate.rank <= 1:
        score -= 0.1
    return max(0.05, min(0.99, score))
