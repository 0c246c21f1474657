"""Reviewed candidates into the data: one id rule, matching, additions, and writing without rewriting.

A candidate from ``clusterkg extract`` is the same agreement as one on record
(:meth:`Index.find_matches`) when

- its parties are the same organisations, a renamed organisation and its
  predecessor counting as one (a lineage, DESIGN.md section 2);
- its type is of the same family (``model/vocabulary.yaml``: mou, loi, moc,
  collaboration and partnership are one family, ``cooperation``; a press release
  may call one MoU a memorandum of cooperation or a cooperation agreement). A
  type ``other`` (what extraction writes for a bare "an agreement") is of any
  family;
- its dates are compatible at their precision: each side's signing date is an
  interval (a day, a month, a year); a side known only by its announcement was
  signed within the year before it; a side with neither is compatible with any.

A matching candidate keeps the id on record (``matches: ID``) and proposes only
what is new (:meth:`Index.additions`): sources, signatories, a signing date that
is new or more precise, an announcement date where there is none. Ids are
derived by the same rule typed records get when they have none
(:func:`clusterkg.model.records.derive_agreement_id`: the type, the sorted party
ids, and the signing date, else the announcement date, at its precision).

:func:`plan_merge` reads a reviewed candidates file and the data and works out
what to write; :func:`write_merge` writes it. New organisations and agreements
go into a new file ``DATA/merged-<date>.yaml`` (appended to when it exists), or
are appended to DATA when it is a single YAML file; additions to a record on
record are inserted into that record's text in its YAML file. Every other byte of
the data files stays as it was. The candidates file itself is never changed:
merging is idempotent, so it can be merged again after more review.

The modules, in the order a merge uses them:

- ``identity``: the one id rule, and when types and dates can be one agreement;
- ``matching``: :class:`Index`, the agreements on record by the lineages of their
  parties: matches, overlaps, and what a candidate adds;
- ``candidates_file``: the reviewed candidates file, read and checked;
- ``plan``: :func:`plan_merge`, candidate by candidate, into a :class:`MergeResult` (``result``);
- ``file_changes``: the new texts of the data files (``yaml_text`` edits YAML in place);
- ``write``: :func:`verify` by loading, :func:`diff`, :func:`write_merge`.
"""

from clusterkg.loaders.merge.candidates_file import (
    ADDITION_KEYS,
    REVIEW_KEYS,
    STATUSES,
    Candidate,
    read_candidates,
)
from clusterkg.loaders.merge.identity import (
    ANNOUNCEMENT_WINDOW,
    agreement_date,
    agreement_id,
    dates_compatible,
    more_precise,
    party_ids,
    types_compatible,
)
from clusterkg.loaders.merge.matching import Index, Known
from clusterkg.loaders.merge.plan import plan_merge
from clusterkg.loaders.merge.result import MergeResult
from clusterkg.loaders.merge.write import diff, verify, write_merge

__all__ = [
    "ADDITION_KEYS",
    "ANNOUNCEMENT_WINDOW",
    "REVIEW_KEYS",
    "STATUSES",
    "Candidate",
    "Index",
    "Known",
    "MergeResult",
    "agreement_date",
    "agreement_id",
    "dates_compatible",
    "diff",
    "more_precise",
    "party_ids",
    "plan_merge",
    "read_candidates",
    "types_compatible",
    "verify",
    "write_merge",
]
