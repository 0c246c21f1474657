"""Dataset.to_frames (issue 17, section 9): organisations, agreements and parties as DataFrames,
each date with its precision."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization


def dataset() -> Dataset:
    ds = Dataset()
    for org in (Organization(id="link-j", name="LINK-J", kind="cluster", country="JP", aliases=["LSIN"]),
                Organization(id="medcity", name="MedCity", kind="cluster", country="GB"),
                Organization(id="kanagawa", name="Kanagawa", kind="government", country="JP", region="JP-14")):
        ds.organizations[org.id] = org
    for agreement in (
        Agreement(id="a1", type="mou", parties=[{"organization": "link-j", "role": "host"}, "medcity"],
                  signed="June 2017", scope=["cell therapy"], sources=[{"title": "t", "url": "https://e.org"}]),
        Agreement(id="a2", type="collaboration", parties=["link-j", "medcity", "kanagawa"], signed="2020-09-18",
                  end="2025", sources=[{"title": "u"}]),
        Agreement(id="a3", type="other", parties=["kanagawa"], announced="2019", sources=[{"title": "v"}]),
    ):
        ds.agreements[agreement.id] = agreement
    return ds


def test_three_frames_with_their_keys():
    organizations, agreements, parties = dataset().to_frames()
    assert list(organizations.index) == ["link-j", "medcity", "kanagawa"] and organizations.index.name == "id"
    assert organizations.loc["link-j", "aliases"] == ["LSIN"] and organizations.loc["kanagawa", "region"] == "JP-14"
    assert list(agreements.index) == ["a1", "a2", "a3"]
    assert agreements.loc["a2", "parties"] == ["link-j", "medcity", "kanagawa"]
    assert agreements.loc["a1", "source_url"] == "https://e.org" and agreements.loc["a1", "sources"] == 1
    assert list(parties.columns[:3]) == ["agreement", "organization", "role"]
    assert len(parties) == 6  # long format: one row per agreement and party
    roles = parties[parties.agreement == "a1"].role
    assert roles.iloc[0] == "host" and pd.isna(roles.iloc[1])
    assert parties.groupby("country").agreement.nunique().to_dict() == {"GB": 2, "JP": 3}


def test_dates_keep_their_precision():
    agreements = dataset().to_frames().agreements
    june = agreements.loc["a1"]
    assert (june.signed, june.signed_precision) == ("2017-06", "month")  # not 2017-06-01
    assert june.signed_earliest == pd.Timestamp("2017-06-01") and june.signed_latest == pd.Timestamp("2017-06-30")
    assert (agreements.loc["a2", "end"], agreements.loc["a2", "end_precision"]) == ("2025", "year")
    assert pd.isna(agreements.loc["a3", "signed"]) and pd.isna(agreements.loc["a3", "signed_earliest"])
    assert (agreements.loc["a3", "date"], agreements.loc["a3", "date_precision"]) == ("2019", "year")
    assert pd.api.types.is_datetime64_any_dtype(agreements["signed_earliest"])
    parties = dataset().to_frames().parties
    assert parties.set_index("agreement").loc["a1", "date_precision"].tolist() == ["month", "month"]


def test_empty_dataset_has_the_columns():
    organizations, agreements, parties = Dataset().to_frames()
    assert organizations.empty and "kind" in organizations.columns
    assert agreements.empty and "signed_precision" in agreements.columns
    assert parties.empty and "organization" in parties.columns


def test_importing_the_package_does_not_import_pandas():
    code = "import sys, clusterkg, clusterkg.model.dataset; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
