"""A reference list of the field's organisations, shipped as data.

``organizations.yaml`` next to this module lists clusters, cluster
organisations, science parks, agencies, ministries, trade and investment
bodies, funders, industry associations, and research institutes, universities
and hospitals active in international life-science cluster cooperation, each
with the public page its facts came from (docs/reference.md says how it was
compiled and how to propose an addition).

It is not part of any user's data. The extractor can use it to recognise and
place organisations it was not given; the resolver can use it to say "not in
your data, but known: MedCity (GB)".

Examples
--------
>>> from clusterkg.loaders.reference import lookup, reference_organizations
>>> len(reference_organizations()) >= 300
True
>>> [(org.id, org.country) for org in lookup("the LINK-J")]
[('link-j', 'JP')]
>>> lookup("神奈川県")[0].name
'Kanagawa Prefecture'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

import yaml

from clusterkg.model.records import Organization, Source

try:  # the name key may move to the model package; take it from there when it does
    from clusterkg.model.names import normalize_name
except ImportError:  # pragma: no cover - depends on where the function lives today
    from clusterkg.loaders.resolve import normalize_name

__all__ = ["DATA_FILE", "get", "lookup", "name_index", "reference_organizations", "reference_sources"]

#: File name of the list inside this package.
DATA_FILE = "organizations.yaml"


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Organization, ...], Mapping[str, str]]:
    """Read and validate the list once: the records, and each record's source address."""
    text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    records: list[Organization] = []
    sources: dict[str, str] = {}
    for entry in yaml.safe_load(text):
        fields = dict(entry)
        source = fields.pop("source")
        record = Organization(**fields, sources=[Source(url=source)])
        if record.id in sources:
            raise ValueError(f"{DATA_FILE}: the id {record.id!r} is given twice")
        sources[record.id] = source
        records.append(record)
    return tuple(records), MappingProxyType(sources)


def reference_organizations() -> list[Organization]:
    """Every organisation of the reference list, as model records.

    The file is read and validated once per process; each call returns a new
    list of the same (shared) records, which callers should not modify.
    Each record's ``sources`` holds the public page its facts came from
    (also given by :func:`reference_sources`).

    Returns
    -------
    list of Organization
        Sorted by country, then id, as in the file.

    Examples
    --------
    >>> orgs = reference_organizations()
    >>> medcity = next(org for org in orgs if org.id == "medcity")
    >>> medcity.kind, medcity.country, medcity.region
    ('cluster', 'GB', 'GB-ENG')
    >>> medcity.sources[0].url
    'https://www.medcityhq.com'
    """
    return list(_load()[0])


def reference_sources() -> Mapping[str, str]:
    """The source address of each entry, by organisation id (read-only).

    Examples
    --------
    >>> reference_sources()["kobe-biomedical-innovation-cluster"]
    'https://www.fbri-kobe.org/english/about/'
    """
    return _load()[1]


@lru_cache(maxsize=1)
def _by_id() -> Mapping[str, Organization]:
    return MappingProxyType({org.id: org for org in _load()[0]})


def get(org_id: str) -> Organization | None:
    """The entry with this id, or None.

    Examples
    --------
    >>> get("jetro").names["ja"]
    '日本貿易振興機構'
    >>> get("no-such-id") is None
    True
    """
    return _by_id().get(org_id)


@lru_cache(maxsize=1)
def name_index() -> Mapping[str, tuple[str, ...]]:
    """Every normalised name, other-language name and alias, with the ids it names.

    A key names more than one organisation only where the same name is really
    used by several (e.g. "NTU": Nanyang Technological University and National
    Taiwan University); the list's test names each such case.

    Returns
    -------
    Mapping of str to tuple of str
        Read-only; keys are :func:`normalize_name` keys, values ids in file order.

    Examples
    --------
    >>> name_index()["a star"]
    ('a-star',)
    >>> name_index()["ntu"]
    ('ntu-singapore', 'national-taiwan-university')
    """
    index: dict[str, list[str]] = {}
    for org in _load()[0]:
        for key in dict.fromkeys(normalize_name(name) for name in org.all_names()):
            index.setdefault(key, []).append(org.id)
    return MappingProxyType({key: tuple(ids) for key, ids in index.items()})


def lookup(name: str, country: str | None = None) -> list[Organization]:
    """The entries known by this name, acronym or other-language name.

    Names are compared by :func:`normalize_name`, so case, punctuation,
    accents, full-width forms, a leading "the" and legal forms (Ltd, GmbH,
    株式会社, ...) do not matter. Nothing is guessed: a name that is not in
    the list gives an empty list.

    Parameters
    ----------
    name : str
        A name as written in a source.
    country : str, optional
        An ISO 3166-1 alpha-2 code; when given, only entries of that country.

    Returns
    -------
    list of Organization
        In file order; empty when the name is not known.

    Examples
    --------
    >>> [(org.id, org.predecessor) for org in lookup("CGT Catapult")]
    [('cgt-catapult', 'cell-therapy-catapult')]
    >>> [org.id for org in lookup("한국보건산업진흥원")]
    ['khidi']
    >>> [org.id for org in lookup("NTU", country="TW")]
    ['national-taiwan-university']
    >>> lookup("Acme Widgets Ltd")
    []
    """
    ids = name_index().get(normalize_name(name), ())
    found = [_by_id()[org_id] for org_id in ids]
    if country is not None:
        code = country.strip().upper()
        found = [org for org in found if org.country == code]
    return found
