"""A dataset as pandas DataFrames: organisations, agreements, and their parties in long format.

What :meth:`clusterkg.model.dataset.Dataset.to_frames` returns. Dates stay as
precise as their source: each date column holds the ISO text (``2017-06`` for
June 2017, never 2017-06-01) and a ``<column>_precision`` column beside it says
``year``, ``month`` or ``day``; ``<column>_earliest`` and ``<column>_latest`` give the
interval it covers as timestamps, for sorting and filtering in pandas. Lists
(aliases, scope) stay lists. pandas is imported here, and this module only when
the method is called, so that ``import clusterkg`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

    from clusterkg.model.dataset import Dataset
    from clusterkg.model.dates import PartialDate


class Frames(NamedTuple):
    """``organizations`` (index ``id``), ``agreements`` (index ``id``) and ``parties``
    (one row per agreement and party: ``agreement``, ``organization``, ``role`` ...)."""

    organizations: pd.DataFrame
    agreements: pd.DataFrame
    parties: pd.DataFrame


def _date(row: dict[str, Any], name: str, date: PartialDate | None) -> None:
    """``name``, ``name_precision``, ``name_earliest``, ``name_latest`` of one date into ``row``."""
    import pandas as pd

    if date is None:
        row.update({name: None, f"{name}_precision": None, f"{name}_earliest": pd.NaT, f"{name}_latest": pd.NaT})
    else:
        row.update({name: date.isoformat(), f"{name}_precision": date.precision,
                    f"{name}_earliest": pd.Timestamp(date.earliest()), f"{name}_latest": pd.Timestamp(date.latest())})


def _frame(rows: list[dict[str, Any]], columns: list[str], index: str | None) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column.endswith(("_earliest", "_latest")):
            frame[column] = pd.to_datetime(frame[column])
    return frame.set_index(index) if index else frame


def _date_columns(*names: str) -> list[str]:
    return [f"{n}{suffix}" for n in names for suffix in ("", "_precision", "_earliest", "_latest")]


ORGANIZATION_COLUMNS = ["id", "name", "kind", "country", "region", "city", "aliases", "parent", "member_of",
                        "predecessor", *_date_columns("renamed"), "website", "wikidata", "ror"]
AGREEMENT_COLUMNS = ["id", "type", "title", *_date_columns("date", "signed", "announced", "start", "end"), "term",
                     "status", "parties", "scope", "activities", "programme", "event", "renews", "supersedes",
                     "source_title", "source_url", "sources"]
PARTY_COLUMNS = ["agreement", "organization", "role", "name", "country", "type", "date", "date_precision"]


def to_frames(ds: Dataset) -> Frames:
    """The valid records of ``ds`` as DataFrames (see the module's doc)."""
    organizations = []
    for org in ds.organizations.values():
        row = {"id": org.id, "name": org.name, "kind": org.kind, "country": org.country, "region": org.region,
               "city": org.city, "aliases": list(org.aliases), "parent": org.parent,
               "member_of": list(org.member_of), "predecessor": org.predecessor, "website": org.website,
               "wikidata": org.wikidata, "ror": org.ror}
        _date(row, "renamed", org.renamed)
        organizations.append(row)
    agreements, parties = [], []
    for key, agreement in ds.agreements.items():
        first = agreement.sources[0] if agreement.sources else None
        row = {"id": key, "type": agreement.type, "title": agreement.title, "term": agreement.term,
               "status": agreement.status, "parties": [p.organization for p in agreement.parties],
               "scope": list(agreement.scope), "activities": list(agreement.activities),
               "programme": agreement.programme, "event": agreement.event, "renews": agreement.renews,
               "supersedes": agreement.supersedes, "source_title": first.title if first else None,
               "source_url": first.url if first else None, "sources": len(agreement.sources)}
        for name in ("date", "signed", "announced", "start", "end"):
            _date(row, name, getattr(agreement, name))
        agreements.append(row)
        when = agreement.date
        for party in agreement.parties:
            org = ds.organizations.get(party.organization)
            parties.append({"agreement": key, "organization": party.organization, "role": party.role,
                            "name": org.name if org else None, "country": org.country if org else None,
                            "type": agreement.type, "date": when.isoformat() if when else None,
                            "date_precision": when.precision if when else None})
    return Frames(_frame(organizations, ORGANIZATION_COLUMNS, "id"), _frame(agreements, AGREEMENT_COLUMNS, "id"),
                  _frame(parties, PARTY_COLUMNS, None))
