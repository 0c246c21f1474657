"""The IRIs and literals of the RDF form: one place says how ids and values become RDF terms.

IRIs are deterministic: ``{base}{kind}/{id}`` for records (``organization/link-j``),
``{base}place/JP-14`` for places, and the record's IRI plus a path for the
nodes that belong to it (``agreement/x/party/1``). Text that becomes part of
an IRI (a topic, a role) is percent-encoded, so no input can break an IRI.

A triple is ``(subject, predicate, object)`` of plain strings, an object being
either an IRI (a ``str``) or a literal ``(lexical form, datatype IRI or None,
language tag or None)``. This keeps the hot path free of rdflib term objects.
The plain-string forms of the terms every module writes are here, looked up once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Union
from urllib.parse import quote

from rdflib.namespace import DCTERMS, RDF, SKOS, TIME, XSD

from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import slugify
from clusterkg.ontology.vocab import CKG, SCHEMA

#: A placeholder base on a reserved domain (RFC 2606): set your own with ``--base`` or CLUSTERKG_BASE.
DEFAULT_BASE = "https://clusterkg.example/id/"

Lit = tuple[str, Union[str, None], Union[str, None]]
Obj = Union[str, Lit]
Triple = tuple[str, str, Obj]


def term_text(term: Any) -> str:
    """An rdflib term (or anything) as the plain string the triples hold."""
    return str(term)


_s = term_text


# Plain-string forms of every term used below, looked up once.
A = _s(RDF.type)
ID = _s(DCTERMS.identifier)
DTYPE = _s(DCTERMS.type)
LABEL = _s(SKOS.prefLabel)
ALT = _s(SCHEMA.alternateName)
DESCRIPTION = _s(DCTERMS.description)
URL = _s(SCHEMA.url)
START, END = _s(SCHEMA.startDate), _s(SCHEMA.endDate)
POSITION = _s(CKG.position)
XSD_STRING, XSD_DATE, XSD_GYM, XSD_GY = _s(XSD.string), _s(XSD.date), _s(XSD.gYearMonth), _s(XSD.gYear)
XSD_POSINT, XSD_DURATION, XSD_ANYURI, XSD_DOUBLE = (
    _s(XSD.positiveInteger), _s(XSD.duration), _s(XSD.anyURI), _s(XSD.double))
DATATYPE_OF_PRECISION = {"day": XSD_DATE, "month": XSD_GYM, "year": XSD_GY}
INSTANT_PROPERTY = {"day": _s(TIME.inXSDDate), "month": _s(TIME.inXSDgYearMonth), "year": _s(TIME.inXSDgYear)}

#: Characters an IRI may not hold (N-Triples IRIREF: controls, space, <>"{}|^` and backslash); store.py uses it too.
FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_base(base: str) -> str:
    """The base IRI for the data, checked: absolute http(s), ending in ``/`` or ``#``.

    Examples
    --------
    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base("example.org")
    Traceback (most recent call last):
    ...
    clusterkg.model.problems.ClusterKGError: base IRI 'example.org': give an absolute http(s) IRI ending in '/' or '#', such as https://example.org/kg/
    """
    if not re.match(r"^https?://[^/]+", base) or base[-1] not in "/#" or FORBIDDEN_IN_IRI.search(base):
        raise ClusterKGError(
            f"base IRI {base!r}: give an absolute http(s) IRI ending in '/' or '#', such as https://example.org/kg/"
        )
    return base


@lru_cache(maxsize=65536)  # topics, roles and publishers repeat across records
def text_key(text: str) -> str:
    """Free text as an IRI path segment: percent-encoded, so injective and safe.

    >>> text_key("regenerative medicine")
    'regenerative%20medicine'
    """
    return quote(text, safe="")


class Iris:
    """The IRIs of one dataset under ``base``.

    Examples
    --------
    >>> iris = Iris("https://example.org/kg/")
    >>> iris.record("organization", "link-j")
    'https://example.org/kg/organization/link-j'
    >>> iris.place("JP-14")
    'https://example.org/kg/place/JP-14'
    """

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = check_base(base)
        self.topics = base + "topics"

    def record(self, kind: str, record_id: str) -> str:
        return f"{self.base}{kind}/{record_id}"

    def organization(self, org_id: str) -> str:
        return f"{self.base}organization/{org_id}"

    def place(self, code: str) -> str:
        return f"{self.base}place/{code}"

    def topic(self, text: str) -> str:
        return f"{self.base}topic/{text_key(text)}"

    def role(self, text: str) -> str:
        return f"{self.base}role/{text_key(text)}"

    def publisher(self, text: str) -> str:
        return f"{self.base}publisher/{text_key(text)}"

    def signatory(self, name: str) -> str:
        # One node per name, as the property graph does (graph/property_graph.py).
        return f"{self.base}signatory/{slugify(name)}"

    def data_prefixes(self) -> dict[str, str]:
        """Prefixes for the data's own IRIs, for readable Turtle."""
        kinds = ("organization", "agreement", "person", "programme", "event", "source", "place", "topic",
                 "role", "publisher", "signatory")
        return {kind: f"{self.base}{kind}/" for kind in kinds}


def plain(text: str) -> Lit:
    return (text, None, None)


def tagged(text: str, lang: str) -> Lit:
    return (text, None, lang)


def date_literal(date: PartialDate) -> Lit:
    """A partial date as a literal of the datatype its precision calls for.

    >>> date_literal(PartialDate.parse("2017-06"))
    ('2017-06', 'http://www.w3.org/2001/XMLSchema#gYearMonth', None)
    """
    return (date.isoformat(), DATATYPE_OF_PRECISION[date.precision], None)


def position(n: int) -> Lit:
    return (str(n), XSD_POSINT, None)



# Turtle's prefixed names take a local part of these characters (a safe subset of PN_LOCAL).
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


class Compactor:
    """IRI -> ``prefix:local`` where a prefix fits, else ``<IRI>``; cached (IRIs repeat).

    >>> Compactor({"ckg": "https://w3id.org/clusterkg/ns#"})("https://w3id.org/clusterkg/ns#party")
    'ckg:party'
    """

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so base + "agreement/" wins over base.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is not None:
            return found
        result = f"<{iri}>"
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                result = f"{prefix}:{iri[len(namespace):]}"
                break
        if len(self.cache) < 200_000:
            self.cache[iri] = result
        return result
