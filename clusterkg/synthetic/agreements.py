"""Agreements between the organisations: heavy-tailed degrees, dates over fifteen years, renewals.

Parties are drawn in proportion to a bounded Pareto "activity" of each
organisation, weighted by kind; some parties are written by name or alias, so
the resolver has work to do. The order of the random draws is part of the
output (the same seed, the same data): keep it when changing this module.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random

from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.dates import PartialDate
from clusterkg.model.records import Agreement, Organization, Party, Signatory, Source, derive_agreement_id
from clusterkg.synthetic.construct import construct
from clusterkg.synthetic.draw import Weighted, zipf_index
from clusterkg.synthetic.tables import TABLES

FIRST_YEAR = 2010
LAST_YEAR = 2024

#: Agreement types and how often each is drawn (mostly MoUs).
TYPE_WEIGHTS: dict[str, float] = {
    "mou": 45, "collaboration": 14, "partnership": 9, "loi": 8, "moc": 6, "funding": 8, "membership": 4,
    "acquisition": 3, "other": 3,
}
#: How active each kind is in making agreements (multiplies the heavy-tailed activity).
KIND_ACTIVITY: dict[str, float] = {
    "cluster": 8, "agency": 4, "government": 3, "university": 3, "city": 2, "funder": 2,
    "research-institute": 2, "society": 1.5, "hospital": 1, "company": 1, "investor": 1, "other": 1,
}

_PARETO_ALPHA = 1.3  # tail exponent of the activity; below 2 gives a few very busy hubs
_PARETO_CAP = 400.0  # the busiest is at most this many times the least busy (of one kind); less below 4,000 orgs
_SAME_COUNTRY = 0.4  # chance that a further party comes from the first party's country
_BY_NAME = 0.1  # share of party references written by name or alias
_WORDS = TABLES["agreement_words"]  # how each type is written in titles


def _weighted(indices: list[int], activity: list[float]) -> Weighted:
    """Draws organisation positions among ``indices`` in proportion to their activity."""
    return Weighted(indices, [activity[i] for i in indices])


class Agreements:
    """Makes the agreements between ``orgs``: ``Agreements(rng, orgs).make(n)``."""

    def __init__(self, rng: random.Random, orgs: list[Organization]):
        self.rng = rng
        self.orgs = orgs
        # Bounded, and more so among few organisations, so that no one hub takes most agreements.
        cap = min(_PARETO_CAP, max(10.0, len(orgs) / 10))
        activity = [KIND_ACTIVITY[org.kind] * min(cap, rng.paretovariate(_PARETO_ALPHA)) for org in orgs]
        everyone = list(range(len(orgs)))
        self.all = _weighted(everyone, activity)
        by_country: dict[str, list[int]] = {}
        for i, org in enumerate(orgs):
            by_country.setdefault(org.country, []).append(i)
        self.by_country = {code: _weighted(ids, activity) for code, ids in by_country.items()}

        def of_kind(*kinds: str) -> Weighted:
            return _weighted([i for i in everyone if orgs[i].kind in kinds], activity)

        self.funders = of_kind("funder", "government", "agency", "investor")
        self.companies = of_kind("company")
        self.networks = of_kind("cluster", "society")
        self.refs: list[list[str] | None] = [None] * len(orgs)  # names each org can be referred to by
        self.ids: set[str] = set()
        self.renewable: list[int] = []
        self.made: list[Agreement] = []
        self.party_ids: list[tuple[str, ...]] = []  # per agreement made: its sorted party ids
        self.final_ids: list[str] = []  # per agreement made: its id, given or derived
        self.position = {org.id: i for i, org in enumerate(orgs)}
        self.types = list(TYPE_WEIGHTS)
        self.type_cum = list(itertools.accumulate(TYPE_WEIGHTS.values()))

    # -- parts -----------------------------------------------------------------

    def ref(self, i: int) -> str:
        """How a party is written: its id mostly, else a name, alias or upper-cased name."""
        org = self.orgs[i]
        if self.rng.random() >= _BY_NAME:
            return org.id
        forms = self.refs[i]
        if forms is None:
            forms = [org.name, *org.names.values(), *org.aliases]
            shouting = org.name.upper()
            if shouting != org.name and normalize_name(shouting) == normalize_name(org.name):
                forms.append(shouting)
            self.refs[i] = forms
        return self.rng.choice(forms)

    def size(self, type_: str) -> int:
        if type_ == "acquisition":
            return 2
        roll = self.rng.random()
        if roll < 0.86:
            return 2
        if roll < 0.94:
            return 3
        if roll < 0.98:
            return 4
        return self.rng.randint(5, 8)

    def parties(self, type_: str, n: int) -> list[int]:
        rng = self.rng
        first_from = {"funding": self.funders, "acquisition": self.companies, "membership": self.networks}.get(type_)
        first = (first_from or self.all)(rng)
        chosen = [first]
        home = self.by_country[self.orgs[first].country]
        others = self.companies if type_ == "acquisition" and self.companies else self.all
        for _ in range(200):
            if len(chosen) == n:
                break
            source = home if rng.random() < _SAME_COUNTRY and len(home.items) > len(chosen) else others
            candidate = source(rng)
            if candidate not in chosen:
                chosen.append(candidate)
        while len(chosen) < min(n, 2):  # very few organisations: take any other
            candidate = rng.randrange(len(self.orgs))
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def date(self) -> PartialDate:
        rng = self.rng
        # More agreements in later years: weight grows linearly from 1 to about 3.
        span = LAST_YEAR - FIRST_YEAR
        year = FIRST_YEAR + min(span, int((span + 1) * (-1 + (1 + 8 * rng.random()) ** 0.5) / 2))
        month = rng.randint(1, 12)
        roll = rng.random()
        if roll < 0.1:
            return PartialDate(year)
        if roll < 0.42:
            return PartialDate(year, month)
        return PartialDate(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))

    def roles(self, type_: str, n: int) -> list[str | None]:
        if type_ == "funding":
            return ["funder"] + ["recipient"] * (n - 1)
        if type_ == "acquisition":
            return ["acquirer", "target"]
        if type_ == "membership":
            return ["network"] + ["member"] * (n - 1)
        if n > 2 and self.rng.random() < 0.5:
            return ["coordinator"] + [None] * (n - 1)
        return [None] * n

    def title(self, type_: str, parties: list[Organization]) -> str:
        names = [p.name for p in parties]
        if len(names) > 3:
            listed = f"{names[0]}, {names[1]} and {len(names) - 2} others"
        else:
            listed = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        return f"{_WORDS[type_]} between {listed}"

    # -- one agreement -----------------------------------------------------------

    def make(self, count: int) -> list[Agreement]:
        rng = self.rng
        for number in range(1, count + 1):
            if self.renewable and rng.random() < 0.03:
                self.renewal(number)
                continue
            type_ = rng.choices(self.types, cum_weights=self.type_cum)[0]
            chosen = self.parties(type_, self.size(type_))
            self.add(number, type_, chosen, self.date(), None)
        return self.made

    def renewal(self, number: int) -> None:
        position = self.renewable.pop(zipf_index(self.rng, len(self.renewable), 1.0))
        earlier = self.made[position]
        years = int(earlier.term[1:-1])
        signed = earlier.signed
        year = signed.year + years
        day = min(signed.day, 28) if signed.day else None
        renewed = PartialDate(year, signed.month, day)
        chosen = [self.position[p] for p in self.party_ids[position]]
        self.add(number, earlier.type, chosen, renewed, self.final_ids[position])

    def add(self, number: int, type_: str, chosen: list[int], when: PartialDate, renews: str | None) -> None:
        rng = self.rng
        orgs = [self.orgs[i] for i in chosen]
        refs = [self.ref(i) for i in chosen]
        roles = self.roles(type_, len(chosen))
        parties = [
            construct(Party, organization=ref, role=role) if role else construct(Party, organization=ref)
            for ref, role in zip(refs, roles)
        ]
        signed, announced = when, None
        roll = rng.random()
        if renews is None and roll < 0.08:
            signed, announced = None, PartialDate(when.year, when.month or rng.randint(1, 12), when.day or rng.randint(1, 28))
        elif when.day is not None and roll < 0.4:
            later = dt.date(when.year, when.month, when.day) + dt.timedelta(days=rng.randint(0, 14))  # type: ignore[arg-type]
            announced = PartialDate(later.year, later.month, later.day)
        on = signed or announced
        term = end = status = None
        roll = rng.random() if type_ != "acquisition" else 1.0  # an acquisition has no term
        if roll < 0.35:
            term = f"P{rng.choice((2, 3, 3, 5, 5, 5))}Y"
        elif roll < 0.5:
            end = PartialDate(on.year + rng.randint(1, 5), on.month, min(on.day, 28) if on.day else None)  # type: ignore[union-attr]
        if end is not None:
            status = "expired" if end.year <= LAST_YEAR else "active"
        elif rng.random() < 0.2:
            status = "active"
        signatories = []
        if rng.random() < 0.3:
            for org, ref in zip(orgs[:3], refs):
                signatories.append(construct(
                    Signatory,
                    name=f"{rng.choice(TABLES['first_names'])} {rng.choice(TABLES['last_names'])}",
                    title=rng.choice(TABLES["signatory_titles"][org.kind]),
                    on_behalf_of=ref if rng.random() < 0.5 else org.id,
                ))
        party_ids = tuple(sorted(org.id for org in orgs))
        agreement_id: str | None = f"agr-{number:07d}"
        if rng.random() < 0.25:  # no id: the loader derives one, which must not repeat
            derived = derive_agreement_id(type_, list(party_ids), on)
            if derived not in self.ids:
                agreement_id = None
                self.ids.add(derived)
        sources = [self.source(number, orgs, type_, on, announced)]
        if agreement_id is not None and rng.random() < 0.05:
            sources.append(construct(
                Source,
                title=f"{orgs[-1].name} announces {_WORDS[type_].lower()}",
                publisher=orgs[-1].name, url=f"https://www.{orgs[-1].id}.example/news/{number}",
            ))
        fields = {
            "id": agreement_id, "type": type_, "parties": parties, "signatories": signatories, "signed": signed,
            "announced": announced, "end": end, "term": term, "status": status,
            "scope": rng.sample(TABLES["topics"], rng.randint(1, 3)) if rng.random() < 0.6 else [],
            "activities": rng.sample(TABLES["activities"], rng.randint(1, 3)) if rng.random() < 0.3 else [],
            "renews": renews, "sources": sources,
        }
        if rng.random() < 0.7:
            fields["title"] = self.title(type_, orgs)
        agreement = construct(Agreement, **{k: v for k, v in fields.items() if v is not None})
        self.made.append(agreement)
        self.party_ids.append(party_ids)
        # Renewals link by id: the given one, or the one the loader will derive.
        self.final_ids.append(agreement_id or derive_agreement_id(type_, list(party_ids), on))
        if term and signed is not None and signed.year + int(term[1:-1]) <= LAST_YEAR:
            self.renewable.append(len(self.made) - 1)

    def source(self, number: int, orgs: list[Organization], type_: str, on: PartialDate,
               announced: PartialDate | None) -> Source:
        publisher = orgs[0]
        word = self.rng.choice(TABLES["publisher_words"])
        return construct(
            Source,
            title=f"{publisher.name} signs {_WORDS[type_].lower()} with "
                  + (orgs[1].name if len(orgs) == 2 else f"{len(orgs) - 1} partners"),
            publisher=publisher.name,
            url=f"https://{word}.{publisher.id}.example/{number}",
            published=announced or on,
        )
