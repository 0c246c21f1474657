"""What the extractor proposes: a candidate agreement, its signatories and its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.dates import PartialDate


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
    """One proposed agreement, for a person to review.

    ``date_basis`` says where the date came from: ``explicit`` (the text states it, or its
    year through an event such as "BioJapan 2025"), ``inferred`` (a day and month whose year
    comes from the publication date, "in January this year", "last Friday") or ``None``.
    ``confidence`` falls with every guess the extractor had to make (see docs/extract.md).
    """

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
    date_basis: str | None = None
    rank: int = 0  # how specific the name the text gives the agreement is (see types.py)
    guesses: list[str] = field(default_factory=list)  # what the extractor had to guess, lowering confidence
    renews: tuple[str, str, int] | None = None  # type, label, rank of the agreement named where a renewal was read
    renews_implied: bool = False  # the original a renewal implies (its sentence is the renewal's)

    def key(self) -> tuple[str, frozenset[str]]:
        return self.label, frozenset(party_key(p) for p in self.parties)

    def to_dict(self) -> dict:
        """The stable JSON Lines shape (see docs/extract.md)."""
        return {
            "type": self.label,
            "parties": list(self.parties),
            "date": self.date.isoformat() if self.date and self.date_stated else None,
            "date_stated": self.date_stated,
            "date_basis": self.date_basis if self.date_stated else None,
            "signatories": [s.to_dict() for s in self.signatories],
            "scope": "; ".join(self.scope) or None,
            "duration": self.term,
            "renewal": self.renewal,
            "evidence": [e.to_dict() for e in self.evidence],
            "confidence": round(self.confidence, 2),
        }


def party_key(name: str) -> str:
    """One key for the forms of one name: "Yokohama" and "Yokohama City", "the Kanagawa Prefecture"."""
    key = normalize_name(name)
    words = [w for w in key.split() if w not in {"city", "prefecture", "of", "the", "government"}]
    return " ".join(words) or key
