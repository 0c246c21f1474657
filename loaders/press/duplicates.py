"""One agreement said several times (a headline, a paragraph, a caption) becomes one candidate."""

from __future__ import annotations

import copy

from clusterkg.loaders.press.dates import more_precise
from clusterkg.loaders.press.records import Candidate, party_key


def merge_mentions(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates about the same agreement merged, keeping the fuller facts and the most specific type."""
    merged: list[Candidate] = []
    for candidate in candidates:
        for kept in merged:
            if same(kept, candidate):
                absorb(kept, candidate)
                break
        else:
            merged.append(candidate)
    return merged


def split_summaries(candidates: list[Candidate]) -> list[Candidate]:
    """"A signed MoUs with B and C" next to "A and B signed the MoU" (and maybe "A and C ..."):
    the several-party mention sums up bilateral agreements of one hub, so it becomes one per partner."""
    out: list[Candidate] = []
    for candidate in candidates:
        keys = [party_key(p) for p in candidate.parties]
        if len(keys) >= 3:
            pairs = [c for c in candidates if c is not candidate and len(c.parties) == 2 and c.label == candidate.label
                     and {party_key(p) for p in c.parties} <= set(keys)]
            hubs = set(keys)
            for pair in pairs:
                hubs &= {party_key(p) for p in pair.parties}
            if pairs and keys[0] in hubs:  # the hub is the one that signed "with" the others
                hub = candidate.parties[0]
                for partner in candidate.parties[1:]:
                    if any({party_key(p) for p in c.parties} == {keys[0], party_key(partner)} for c in pairs):
                        continue  # said on its own already, with its own date
                    part = copy.deepcopy(candidate)
                    part.parties = [hub, partner]
                    part.signatories = [s for s in part.signatories if s.organisation in part.parties]
                    out.append(part)
                continue
        out.append(candidate)
    return merge_mentions(out) if len(out) != len(candidates) else out


def absorb(kept: Candidate, other: Candidate) -> None:
    if other.rank > kept.rank:
        kept.type, kept.label, kept.rank = other.type, other.label, other.rank
    if other.date_stated and (not kept.date_stated or more_precise(other.date, kept.date)):
        kept.date, kept.date_stated, kept.date_basis = other.date, True, other.date_basis
    if len(other.parties) > len(kept.parties) or (len(other.parties) == len(kept.parties)
                                                     and sum(map(len, other.parties)) > sum(map(len, kept.parties))):
        kept.parties = other.parties
    kept.signatories = kept.signatories or other.signatories
    kept.term = kept.term or other.term
    kept.scope = kept.scope or other.scope
    kept.activities = kept.activities or other.activities
    if other.renews is not None and (kept.renews is None or other.renews[2] > kept.renews[2]):
        kept.renews = other.renews  # what the renewed agreement is called: its fullest name
    kept.renewal = kept.renewal or other.renewal
    kept.earlier = kept.earlier and other.earlier
    kept.guesses = [g for g in kept.guesses if g in other.guesses]  # a second mention that needed no guess settles it
    for evidence in other.evidence:
        if all(e.start != evidence.start for e in kept.evidence):
            kept.evidence.append(evidence)


def _covered(x: set[str], y: set[str]) -> bool:
    return all(any(k == m or k in m or m in k or set(k.split()) <= set(m.split()) for m in y) for k in x)


def same(a: Candidate, b: Candidate) -> bool:
    """Two mentions of one agreement: compatible types and dates, the same parties (one may be missing)."""
    if a.rank >= 3 and b.rank >= 3 and a.label != b.label:
        return False
    if not dates_agree(a, b):
        return False
    keys_a = {party_key(p) for p in a.parties}
    keys_b = {party_key(p) for p in b.parties}
    if keys_a == keys_b:
        return True
    # "Kanagawa" in a headline and "Kanagawa Prefecture" in the text; one party of a pair named by a pronoun
    if len(keys_a) == len(keys_b):
        return _covered(keys_a, keys_b) and _covered(keys_b, keys_a)
    small, big = (keys_a, keys_b) if len(keys_a) < len(keys_b) else (keys_b, keys_a)
    return len(small) == 1 and _covered(small, big)


def dates_agree(a: Candidate, b: Candidate) -> bool:
    if not (a.date_stated and b.date_stated and a.date and b.date):
        return True
    return not (a.date.surely_before(b.date) or b.date.surely_before(a.date))


def headline_into_body(candidates: list[Candidate], in_headline) -> list[Candidate]:
    """A headline (or the caption above the text) calls the agreement an MoU and the text a
    memorandum of cooperation: one agreement between the same parties, of the type the text gives.
    ``in_headline(evidence)`` says whether a sentence is the headline."""
    out = list(candidates)
    for head in candidates:
        if not head.evidence or not all(in_headline(e) for e in head.evidence):
            continue
        keys = {party_key(p) for p in head.parties}
        bodies = [c for c in out if c is not head and {party_key(p) for p in c.parties} == keys
                  and c.label != head.label and not all(in_headline(e) for e in c.evidence) and dates_agree(c, head)]
        if len(bodies) != 1 or any(c.label == head.label and c is not head and {party_key(p) for p in c.parties} == keys
                                   for c in out):
            continue
        body = bodies[0]
        kind = (body.type, body.label, body.rank)
        absorb(body, head)
        body.type, body.label, body.rank = kind
        out.remove(head)
    return out
