"""Organisations of every kind, with unique names and aliases, placed in regions and towns.

Names come from the patterns and word lists of tables.json. Every name and
alias is unique after :func:`~clusterkg.loaders.resolve.normalize_name`, so that
every reference to an organisation resolves to exactly one.
"""

from __future__ import annotations

import itertools
import random

from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.records import Organization, slugify
from clusterkg.synthetic.construct import construct
from clusterkg.synthetic.places import Place, Places
from clusterkg.synthetic.tables import TABLES

#: Kinds of the organisations that are neither clusters nor regional governments, and their shares.
KIND_WEIGHTS: dict[str, float] = {
    "company": 52, "university": 10, "research-institute": 7, "hospital": 6, "investor": 5, "city": 4,
    "agency": 4, "funder": 3, "society": 3, "government": 3, "other": 1,
}
#: Public bodies named from the patterns of their kind, and how many get an acronym as alias.
_BODY_ACRONYMS = {"society": 0.5, "agency": 0.6, "government": 0.0}
_MINOR_WORDS = frozenset({"of", "and", "for", "de", "the", "in", "a", "la", "du", "des", "der"})

_PATTERNS = TABLES["patterns"]
_STEMS = TABLES["stems"]
_FIELDS = TABLES["fields"]


def acronym(name: str) -> str:
    """The initials of the words that count.

    >>> acronym("Society for Regenerative Medicine")
    'SRM'
    """
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


class Organizations:
    """Makes the organisations: ``Organizations(rng).make(n)``."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.places = Places(rng)
        self.keys: set[str] = set()  # normalize_name of every name and alias given out
        self.ids: set[str] = set()
        self.numbered: dict[str, int] = {}  # name -> the next number to try after it
        self.made: list[Organization] = []

    def make(self, n: int) -> list[Organization]:
        rng = self.rng
        # The busiest regions first get a cluster each, then a regional government,
        # then a second and a third cluster.
        ranked = self.places.busiest_first()
        clusters = min(3 * len(ranked), max(1, round(n * 0.03))) if n else 0
        governments = min(len(ranked), round(n * 0.02))
        plan: list[tuple[str, Place]] = []
        for round_ in range(3):
            for place in ranked:
                if len(plan) < clusters:
                    plan.append(("cluster", place))
            if round_ == 0:
                plan += [("government", place) for place in ranked[:governments]]
        plan = plan[:n]
        for kind, place in plan:
            if kind == "government":
                name, names = self.regional_government(place)
                self.add(kind, place, name, [place.region_name] if rng.random() < 0.5 else [], None, names)
            else:
                name, aliases, town = self.named(kind, place)
                org = self.add(kind, place, name, aliases, town)
                place.cluster = place.cluster or org.id
        kinds = list(KIND_WEIGHTS)
        cum = list(itertools.accumulate(KIND_WEIGHTS.values()))
        for _ in range(n - len(plan)):
            kind = rng.choices(kinds, cum_weights=cum)[0]
            place = self.places.draw()
            name, aliases, town = self.named(kind, place)
            self.add(kind, place, name, aliases, town)
        return self.made

    # -- names ---------------------------------------------------------------

    def free(self, name: str) -> bool:
        return normalize_name(name) not in self.keys

    def stem(self) -> str:
        parts = [self.rng.choice(_STEMS["start"])]
        if self.rng.random() < 0.5:
            parts.append(self.rng.choice(_STEMS["middle"]))
        parts.append(self.rng.choice(_STEMS["end"]))
        return "".join(parts)

    def named(self, kind: str, place: Place) -> tuple[str, list[str], str | None]:
        """A free name for an organisation of ``kind`` in ``place``: (name, alias candidates, town)."""
        for attempt in range(30):
            name, aliases, town = self.candidate(kind, place, fresh=attempt > 3)
            if self.free(name):
                return name, aliases, town
        # Every pattern is taken (a small place asked for many bodies of one kind): number them.
        n = self.numbered.get(name, 1)
        while not self.free(f"{name} {n}"):
            n += 1
        self.numbered[name] = n + 1
        return f"{name} {n}", [], town

    def candidate(self, kind: str, place: Place, fresh: bool) -> tuple[str, list[str], str | None]:
        """A name for ``kind`` in ``place`` (perhaps taken), its alias candidates and its town.

        The order of the random draws is part of the output: keep it.
        """
        rng = self.rng
        country, region = place.country, place.region_name
        if kind == "company":
            stem = self.stem()
            name = f"{stem} {rng.choice(TABLES['company_words'])}"
            aliases = [stem] if rng.random() < 0.35 else []
            if rng.random() < 0.8:
                form = rng.choice(country.legal_forms)
                name = f"{form}{name}" if form == "株式会社" else f"{name} {form}"
            return name, aliases, None
        if kind == "cluster":
            name = rng.choice(_PATTERNS["cluster"]).format(r=region)
            return name, [acronym(name)] if rng.random() < 0.7 else [], None
        if kind == "investor":
            return f"{self.stem()} {rng.choice(_PATTERNS['investor'])}", [], None
        if kind == "funder":
            foundation, council = _PATTERNS["funder"]
            if rng.random() < 0.5:
                name = foundation.format(s=self.stem())
            else:
                name = council.format(c=country.name, f=rng.choice(_FIELDS))
            return name, [acronym(name)] if rng.random() < 0.3 else [], None
        if kind in _BODY_ACRONYMS:
            pattern = rng.choice(_PATTERNS[kind])
            town = self.places.town(place, new=fresh) if "{t}" in pattern else None
            name = pattern.format(c=country.name, r=region, t=town, f=rng.choice(_FIELDS))
            return name, [acronym(name)] if rng.random() < _BODY_ACRONYMS[kind] else [], town
        town = self.places.town(place, new=fresh)
        if kind == "university":
            pattern = rng.choice(_PATTERNS["university"])
            name = pattern.format(t=town, r=region)
            # the first pattern ("University of {t}") is also called "{t} University"
            aliases = [f"{town} University"] if pattern == _PATTERNS["university"][0] and rng.random() < 0.5 else []
            if rng.random() < 0.3:
                aliases.append(acronym(name))
            return name, aliases, town
        if kind == "research-institute":
            name = rng.choice(_PATTERNS["research-institute"]).format(
                t=town, f=rng.choice(_FIELDS), s=self.stem(), r=region)
            return name, [acronym(name)] if rng.random() < 0.4 else [], town
        if kind == "hospital":
            return rng.choice(_PATTERNS["hospital"]).format(t=town, s=rng.choice(TABLES["saints"])), [], town
        if kind == "city":
            return _PATTERNS["city"].format(t=town), [town] if rng.random() < 0.3 else [], town
        return f"{town} {rng.choice(_PATTERNS['other'])}", [], town

    def regional_government(self, place: Place) -> tuple[str, dict[str, str]]:
        """The government of ``place``'s region: its name, and its name in its own script where known."""
        patterns = TABLES["regional_governments"]
        pattern = patterns.get(place.region) or patterns.get(place.country.code) or patterns["default"]
        name = pattern.format(r=place.region_name)
        if not self.free(name):
            name = patterns["taken"].format(r=place.region_name, c=place.country.name)
        local = TABLES["local_names"].get(place.region)
        names = {local[0]: local[1]} if local and self.free(local[1]) else {}
        return name, names

    # -- records ---------------------------------------------------------------

    def add(self, kind: str, place: Place, name: str, aliases: list[str], town: str | None,
            names: dict[str, str] | None = None) -> Organization:
        rng = self.rng
        self.keys.add(normalize_name(name))
        kept: list[str] = []
        for alias in aliases:
            key = normalize_name(alias)
            if len(alias) > 1 and key not in self.keys:
                self.keys.add(key)
                kept.append(alias)
        for text in (names or {}).values():
            self.keys.add(normalize_name(text))
        base = slugify(name)
        org_id, n = base, 2
        while org_id in self.ids:
            org_id, n = f"{base}-{n}", n + 1
        self.ids.add(org_id)
        member_of = []
        if kind == "company" and place.cluster and rng.random() < 0.2:
            member_of = [place.cluster]
        org = construct(
            Organization,
            id=org_id, name=name, names=names or {}, aliases=kept, kind=kind, country=place.country.code,
            region=place.region if rng.random() < 0.9 else None, city=town, member_of=member_of,
            website=f"https://www.{org_id}.example" if rng.random() < 0.4 else None,
        )
        self.made.append(org)
        return org
