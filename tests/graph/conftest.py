"""Small datasets built from records in code, so each test shows its whole input."""

from __future__ import annotations

import pathlib

import pytest
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization


def make_dataset(orgs: list[tuple[str, str, str]], agreements: list[dict]) -> Dataset:
    """``orgs``: (id, country, kind); ``agreements``: Agreement fields, parties as ids."""
    ds = Dataset()
    for org_id, country, kind in orgs:
        ds.organizations[org_id] = Organization(id=org_id, name=org_id.upper(), kind=kind, country=country)
    for i, fields in enumerate(agreements):
        fields = {"type": "mou", "sources": [{"title": "fixture"}], **fields}
        fields.setdefault("id", f"ag-{i}")
        ds.agreements[fields["id"]] = Agreement(**fields)
    return ds


ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_dataset():
    """The sample records in data/ (DESIGN.md section 1), loaded once."""
    from clusterkg.loaders.assemble import load_dataset

    ds = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
    assert ds.valid, ds.problems[:5]
    return ds
