"""The record types: organisations, people, programmes, events, agreements, sources.

An agreement is a record of its own (DESIGN.md section 2), never a bare edge:
it has parties with roles, signatories, dates of stated precision, a term, a
scope and at least one source. Validation reports every problem of a record at
once (pydantic collects them); checks that need other records (does this name
resolve, is this id unique) live in :mod:`clusterkg.loaders.assemble`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from clusterkg.model import vocabulary
from clusterkg.model.dates import PartialDate, add_duration
from clusterkg.model.fields import (  # noqa: F401  (the field types are part of the record model)
    _HTTP,
    Country,
    Date,
    Duration,
    Id,
    LangTag,
    LongText,
    Ref,
    RefList,
    Region,
    Text,
    Term,
    TextList,
    _as_list,
    _slug_check,
    shown,
)
from clusterkg.model.names import slugify  # noqa: F401  (re-exported: ids are made from names)

# The closed lists come from the one vocabulary table (model/vocabulary.yaml).
AGREEMENT_TYPES: tuple[str, ...] = tuple(vocabulary.AGREEMENT_TYPES)
AgreementType = Literal[AGREEMENT_TYPES]  # type: ignore[valid-type]

#: Agreement types that, by what they are, bind at least two parties.
MULTILATERAL_TYPES = frozenset(k for k, v in vocabulary.AGREEMENT_TYPES.items() if v.multilateral)

ORG_KINDS: tuple[str, ...] = tuple(vocabulary.ORGANISATION_KINDS)
OrgKind = Literal[ORG_KINDS]  # type: ignore[valid-type]

EventKind = Literal["conference", "delegation", "trade-mission", "visit", "other"]
AgreementStatus = Literal["active", "expired", "terminated", "superseded", "planned", "unknown"]

class RecordProblems(ValueError):
    """Several problems of one record found by a cross-field check, each with its field.

    pydantic keeps the exception in the error's context, so the report can
    name each field instead of the record as a whole.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))


def _raise_if(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise RecordProblems(problems)


class SharedNames(set):
    """A set of field names that several records share as their ``model_fields_set``.

    pydantic gives every record its own set of the fields the input gave; for an
    agreement with its parties and source that is about 2 KB, 40 % of its
    memory, and the sets of a large load are nearly all alike.
    :func:`share_field_names` lets alike records share one; a record copies
    it before the set would change (:meth:`Record.__setattr__`, ``model_copy``).
    """

    def __copy__(self) -> set[str]:
        return set(self)


class Record(BaseModel):
    """Base of every record: unknown fields are errors, so a typo is caught."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=False)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain data, leaving out what is empty."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    def __setattr__(self, name: str, value: Any) -> None:
        if type(self.__pydantic_fields_set__) is SharedNames:  # pydantic adds `name` to it: copy it first
            object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__setattr__(name, value)


_SHARED_NAMES: dict[frozenset[str], SharedNames] = {}


def share_field_names(record: Record) -> None:
    """Let ``record`` and the records in it share their sets of given field names with alike ones.

    Nothing changes but memory: ``model_fields_set`` stays equal, and a record
    copies its set before it changes (see :class:`SharedNames`).

    Examples
    --------
    >>> a, b = Party(organization="link-j"), Party(organization="kanagawa")
    >>> share_field_names(a); share_field_names(b)
    >>> a.model_fields_set is b.model_fields_set
    True
    >>> b.role = "host"
    >>> sorted(a.model_fields_set), sorted(b.model_fields_set)
    (['organization'], ['organization', 'role'])
    """
    names = record.__pydantic_fields_set__
    if type(names) is not SharedNames and isinstance(record, Record):  # only a Record copies it before a change
        shared = _SHARED_NAMES.get(frozenset(names))
        if shared is None and len(_SHARED_NAMES) < 4096:  # past that they are not alike after all
            shared = _SHARED_NAMES.setdefault(frozenset(names), SharedNames(names))
        if shared is not None:
            object.__setattr__(record, "__pydantic_fields_set__", shared)
    nested = _NESTED.get(type(record))
    if nested is None:
        nested = _NESTED[type(record)] = _nested_fields(type(record))
    for name in nested:
        value = record.__dict__.get(name)
        if type(value) is list:
            for item in value:
                if isinstance(item, Record):
                    share_field_names(item)
        elif isinstance(value, Record):
            share_field_names(value)


_NESTED: dict[type, tuple[str, ...]] = {}


@lru_cache(maxsize=None)
def _nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` that can hold records (parties, sources, ...)."""

    def holds_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_model(arg) for arg in get_args(annotation))

    return tuple(name for name, info in cls.model_fields.items() if holds_model(info.annotation))


class IdentifiedRecord(Record):
    id: Id

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        return _slug_check(value)


class Source(Record):
    """Where a fact comes from: a document, and the words in it where known."""

    id: Id | None = None
    title: Text | None = None
    publisher: Text | None = None
    url: Text | None = None
    published: Date | None = None
    accessed: Date | None = None
    evidence: LongText | None = None

    @field_validator("url")
    @classmethod
    def _url_scheme(cls, value: str | None) -> str | None:
        if value is not None and not _HTTP.match(value):
            raise ValueError(f"{shown(value)} is not an http(s) address")
        return value

    @model_validator(mode="after")
    def _identify(self) -> Source:
        if self.title is None and self.url is None:
            raise RecordProblems([("title", "a source needs a title or a url")])
        if self.id is None:
            # Derived, not given: set without pydantic's __setattr__, which is slow
            # and would count the id among the fields the input gave.
            self.__dict__["id"] = derive_source_id(self)
        else:
            _slug_check(self.id)
        return self


def derive_source_id(source: Source) -> str:
    """``src-`` and a hash of the url, or of title, publisher and date when there is no url."""
    key = source.url or "|".join(
        str(part or "") for part in (source.title, source.publisher, source.published)
    )
    return "src-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


Sources = Annotated[list[Source], BeforeValidator(_as_list)]


class Organization(IdentifiedRecord):
    """A cluster, government, university, company or any other body."""

    name: Text
    names: dict[LangTag, Text] = Field(default_factory=dict)
    aliases: TextList = Field(default_factory=list)
    kind: Annotated[OrgKind, Term]
    country: Country
    region: Region | None = None
    city: Text | None = None
    parent: Ref | None = None
    member_of: RefList = Field(default_factory=list)
    predecessor: Ref | None = None
    renamed: Date | None = None
    website: Text | None = None
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9]\d*$")] | None = None
    ror: Annotated[str, StringConstraints(pattern=r"^0[a-z0-9]{6}\d{2}$")] | None = None
    description: LongText | None = None
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Organization:
        problems = []
        if self.region and not self.region.startswith(self.country + "-"):
            problems.append(("region", f"{self.region} is not in country {self.country}"))
        if self.renamed is not None and self.predecessor is None:
            problems.append(("renamed", "this is the date the predecessor took this name; give the predecessor too"))
        _raise_if(problems)
        return self

    def all_names(self) -> list[str]:
        """Every name the organisation is known by: name, names in other languages, aliases."""
        return [self.name, *self.names.values(), *self.aliases]


class Post(Record):
    """A position a person holds in an organisation (W3C ORG's ``org:Post``)."""

    title: Text
    organization: Ref
    start: Date | None = None
    end: Date | None = None


class Person(IdentifiedRecord):
    name: Text
    names: dict[LangTag, Text] = Field(default_factory=dict)
    posts: Annotated[list[Post], BeforeValidator(_as_list)] = Field(default_factory=list)
    sources: Sources = Field(default_factory=list)


class Programme(IdentifiedRecord):
    """A scheme agreements are made under, such as JETRO's Regional Industry Tie-Up."""

    name: Text
    aliases: TextList = Field(default_factory=list)
    operator: Ref | None = None
    country: Country | None = None
    start: Date | None = None
    end: Date | None = None
    website: Text | None = None
    description: LongText | None = None
    sources: Sources = Field(default_factory=list)


class Participation(Record):
    organization: Ref
    role: Text | None = None


def _org_entry(value: Any) -> Any:
    return {"organization": value} if isinstance(value, str) else value


class Event(IdentifiedRecord):
    """A conference, delegation or visit, with the organisations that took part."""

    name: Text
    kind: Annotated[EventKind, Term] = "other"
    start: Date | None = None
    end: Date | None = None
    place: Text | None = None
    country: Country | None = None
    participants: Annotated[
        list[Annotated[Participation, BeforeValidator(_org_entry)]], BeforeValidator(_as_list)
    ] = Field(default_factory=list)
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Event:
        if self.start and self.end and self.end.surely_before(self.start):
            raise RecordProblems([("end", f"{self.end} is before the start {self.start}")])
        return self


class Party(Participation):
    """An organisation bound by an agreement, with its role where one is stated."""


class Signatory(Record):
    """A person who signed, the title they signed under, and for which party."""

    person: Ref | None = None
    name: Text | None = None
    title: Text | None = None
    on_behalf_of: Ref

    @model_validator(mode="after")
    def _who(self) -> Signatory:
        if self.person is None and self.name is None:
            raise RecordProblems([("name", "a signatory needs a person id or a name")])
        return self


class Evidence(Record):
    """Words of a document that support an extracted fact, with their character offsets."""

    text: LongText
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]


class Extraction(Record):
    """How ``clusterkg extract`` found an agreement: for the person who reviews it."""

    file: Text
    confidence: Annotated[float, Field(ge=0, le=1)]
    date_stated: bool = False
    evidence: list[Evidence] = Field(default_factory=list)


class Agreement(Record):
    """A memorandum, letter, collaboration or other tie between organisations."""

    id: Id | None = None
    type: AgreementType
    title: Text | None = None
    parties: Annotated[
        list[Annotated[Party, BeforeValidator(_org_entry)]], BeforeValidator(_as_list)
    ] = Field(min_length=1)
    signatories: Annotated[list[Signatory], BeforeValidator(_as_list)] = Field(default_factory=list)
    signed: Date | None = None
    announced: Date | None = None
    start: Date | None = None
    end: Date | None = None
    term: Duration | None = None
    status: Annotated[AgreementStatus, Term] | None = None
    scope: TextList = Field(default_factory=list)
    activities: TextList = Field(default_factory=list)
    programme: Ref | None = None
    event: Ref | None = None
    renews: Ref | None = None
    supersedes: Ref | None = None
    sources: Sources = Field(min_length=1)
    notes: LongText | None = None
    extraction: Extraction | None = None

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str | None) -> str | None:
        return None if value is None else _slug_check(value)

    @field_validator("type", mode="before")
    @classmethod
    def _type_lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Agreement:
        problems = []
        if self.type in MULTILATERAL_TYPES and len(self.parties) < 2:
            problems.append(("parties", f"a {self.type} needs at least two parties, got {len(self.parties)}"))
        seen: set[str] = set()
        for i, party in enumerate(self.parties):
            key = party.organization.casefold()
            if key in seen:
                problems.append((f"parties[{i}]", f"{shown(party.organization)} is listed twice"))
            seen.add(key)
        if self.end and self.signed and self.end.surely_before(self.signed):
            problems.append(("end", f"{self.end} is before the signing date {self.signed}"))
        if self.start and self.end and self.end.surely_before(self.start):
            problems.append(("end", f"{self.end} is before the start {self.start}"))
        if self.term and self.end is None and (self.start or self.date) is not None:
            try:
                self.expires()
            except (OverflowError, ValueError):  # past 9999-12-31, the last day Python (and the build) can count
                problems.append(("term", f"the term {self.term} from {self.start or self.date} ends after the year 9999"))
        _raise_if(problems)
        return self

    @property
    def date(self) -> PartialDate | None:
        """The date that places the agreement in time: signed, else announced, else start."""
        return self.signed or self.announced or self.start

    def expires(self) -> dt.date | None:
        """The last day the agreement is in force by its own dates, or None when nothing says.

        The ``end`` when given (its last possible day); else the start (or the
        date) plus the ``term``, less a day, from the latest reading of the
        start. The one expiry rule: the property graph, RDF and the network's
        as-of snapshots all use it.

        Examples
        --------
        >>> a = Agreement(type="mou", parties=["a", "b"], signed="2020-09-18", term="P5Y", sources=[{"title": "t"}])
        >>> a.expires()
        datetime.date(2025, 9, 17)
        >>> Agreement(type="mou", parties=["a", "b"], signed="2017-06", term="P3Y", sources=[{"title": "t"}]).expires()
        datetime.date(2020, 6, 29)
        """
        if self.end is not None:
            return self.end.latest()
        begin = self.start or self.date
        if self.term and begin is not None:
            end = add_duration(begin.latest(), self.term)
            return None if end is None else end - dt.timedelta(days=1)
        return None


def derive_agreement_id(type_: str, party_ids: list[str], date: PartialDate | None) -> str:
    """A stable id from the type, the sorted party ids and the date.

    Short for two or three parties (readable), hashed for more.

    >>> derive_agreement_id("mou", ["link-j", "kanagawa-prefecture"], PartialDate.parse("2020-09-18"))
    'mou-kanagawa-prefecture-link-j-2020-09-18'
    """
    ids = sorted(party_ids)
    when = date.isoformat() if date else "undated"
    readable = f"{type_}-{'-'.join(ids)}-{when}"
    if len(ids) <= 3 and len(readable) <= 120:
        return readable
    digest = hashlib.sha1("|".join([type_, *ids, when]).encode()).hexdigest()[:10]
    return f"{type_}-{ids[0]}-and-{len(ids) - 1}-more-{when}-{digest}"


RECORD_TYPES: dict[str, type[Record]] = {
    "organization": Organization,
    "person": Person,
    "programme": Programme,
    "event": Event,
    "agreement": Agreement,
}

#: The key each record type has in a YAML/JSON document, in load order.
COLLECTIONS: dict[str, str] = {
    "organizations": "organization",
    "people": "person",
    "programmes": "programme",
    "events": "event",
    "agreements": "agreement",
}
