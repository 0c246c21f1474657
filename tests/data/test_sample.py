"""The sample dataset in data/: it loads cleanly and holds the facts of the seed news items.

Every expected value below was written out by hand from the data files and the
seeds in ../shared/seeds/ (see data/README.md for which seed gives which fact),
not computed from the dataset, so a changed or lost record makes a test fail.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.resolve import Resolver
from clusterkg.model.dataset import Dataset
from clusterkg.model.dates import PartialDate

DATA = Path(__file__).parents[2] / "data"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset([DATA])


def parties(agreement) -> set[str]:
    return {p.organization for p in agreement.parties}


def partners_of(ds: Dataset, org_id: str) -> dict[str, list[str]]:
    """Each organisation that shares an agreement with ``org_id`` -> the ids of those agreements."""
    found: dict[str, list[str]] = {}
    for agreement in ds.agreements.values():
        ids = parties(agreement)
        if org_id in ids:
            for other in sorted(ids - {org_id}):
                found.setdefault(other, []).append(agreement.id)
    return found


# -- it loads -------------------------------------------------------------------

def test_loads_with_no_problem(ds):
    assert [str(p) for p in ds.problems] == []
    assert ds.rejected == []
    assert ds.valid


def test_record_counts(ds):
    # Counted by hand in the files:
    # organizations.yaml: 18 GB + 19 JP + 4 US + 1 FR + 2 DE = 44 entries;
    # people.yaml: 4 signatories from the seeds (Kuroiwa, Thompson, Ueda, Shuto)
    #   + 2 of the MRC-AMED memorandum (Savill, Suematsu) = 6;
    # programmes.yaml: JETRO's RIT = 1; events.yaml: the UK delegation of 2017
    #   and the Schleswig-Holstein delegation of 2016 = 2;
    # agreements.yaml: 3 Catapult MoUs (Kanagawa, FIRM, JSRM) + 14 LINK-J MoUs
    #   + 4 ties named at BioJapan + 1 FBRI-LSN letter of intent = 22.
    assert {kind: len(records) for kind, records in ds.collections().items()} == {
        "organization": 44, "person": 6, "programme": 1, "event": 2, "agreement": 22,
    }
    assert Counter(o.country for o in ds.organizations.values()) == {"GB": 18, "JP": 19, "US": 4, "FR": 1, "DE": 2}
    # mou: 3 Catapult + 14 LINK-J = 17; collaboration: Takeda-GammaDelta, Eisai-UCL;
    # funding: Wellcome-GHIT; moc: MRC-AMED; loi: FBRI-LSN.
    assert Counter(a.type for a in ds.agreements.values()) == {
        "mou": 17, "collaboration": 2, "funding": 1, "moc": 1, "loi": 1,
    }


# -- LINK-J ---------------------------------------------------------------------

#: LINK-J's MoU partners and the month each MoU was signed, from seed 002's list
#: (the thirteen earlier partners) and its headline agreement (Kanagawa, 18 September 2020).
LINK_J_PARTNERS = {
    "ucsd": "2016-05",
    "biocom": "2016-05",
    "eurobiomed": "2017-06",
    "kyoto-research-park": "2017-07",
    "one-nucleus": "2017-12",
    "fbri": "2018-02",
    "keio-iab": "2018-04",
    "medcity": "2018-06",
    "city-of-kawasaki": "2018-08",
    "ucla": "2019-06",
    "yokohama-city": "2019-08",
    "oxford-university-innovation": "2020-07",
    "osaka-prefecture": "2020-09",
    "kanagawa-prefecture": "2020-09",
}


def test_link_j_has_fourteen_mou_partners_with_their_months(ds):
    mous = [a for a in ds.agreements.values() if a.type == "mou" and "link-j" in parties(a)]
    months = {}
    for agreement in mous:
        (partner,) = parties(agreement) - {"link-j"}  # every LINK-J MoU here is bilateral
        months[partner] = agreement.signed.isoformat()[:7]
    assert len(mous) == 14
    assert months == LINK_J_PARTNERS


def test_link_j_earlier_partners_are_known_to_the_month_only(ds):
    mous = [a for a in ds.agreements.values() if a.type == "mou" and "link-j" in parties(a)]
    precision = {next(iter(parties(a) - {"link-j"})): a.signed.precision for a in mous}
    assert precision == {org: "month" for org in LINK_J_PARTNERS} | {"kanagawa-prefecture": "day"}


def test_link_j_kanagawa_mou(ds):
    mou = ds.agreements["mou-link-j-kanagawa-2020"]
    assert parties(mou) == {"link-j", "kanagawa-prefecture"}
    assert mou.signed.isoformat() == "2020-09-18"
    assert mou.term == "P5Y"
    assert mou.activities == ["joint events", "exchange of information", "mutual visits"]
    assert {(s.person, s.title, s.on_behalf_of) for s in mou.signatories} == {
        ("takashi-ueda", "Director", "link-j"),
        ("kenji-shuto", "Deputy Governor", "kanagawa-prefecture"),
    }


# -- Kanagawa and the Catapult ----------------------------------------------------

def test_kanagawa_partners(ds):
    assert set(partners_of(ds, "kanagawa-prefecture")) == {"cell-therapy-catapult", "link-j"}


def test_catapult_kanagawa_mou(ds):
    mou = ds.agreements["mou-cell-therapy-catapult-kanagawa-2015"]
    assert mou.type == "mou"
    assert parties(mou) == {"cell-therapy-catapult", "kanagawa-prefecture"}
    assert (mou.signed.isoformat(), mou.signed.precision) == ("2015-11", "month")
    assert mou.announced.isoformat() == "2015-12-02"
    assert {(s.person, s.title, s.on_behalf_of) for s in mou.signatories} == {
        ("yuji-kuroiwa", "Governor", "kanagawa-prefecture"),
        ("keith-thompson", "CEO", "cell-therapy-catapult"),
    }
    assert mou.scope == [
        "practical application of regenerative medicine and cell therapy",
        "commercialisation of regenerative medicine and cell therapy",
    ]


def test_cgt_catapult_was_the_cell_therapy_catapult(ds):
    cgt = ds.organizations["cgt-catapult"]
    assert cgt.predecessor == "cell-therapy-catapult"
    assert cgt.renamed.isoformat() == "2016"
    assert "CGT Catapult" in cgt.aliases
    resolver = Resolver(ds.organizations.values())
    # Names are followed across the 2016 rename by date.
    assert resolver.resolve("Cell Therapy Catapult", PartialDate.parse("2018-03")) == "cgt-catapult"
    assert resolver.resolve("CGT Catapult", PartialDate.parse("2015-11")) == "cell-therapy-catapult"


def test_cgt_catapult_mous_with_firm_and_jsrm(ds):
    assert set(partners_of(ds, "cgt-catapult")) == {"firm", "jsrm"}
    firm = ds.agreements["mou-cgt-catapult-firm-2017"]
    assert parties(firm) == {"cgt-catapult", "firm"}
    assert firm.signed.isoformat() == "2017-10-03"
    jsrm = ds.agreements["mou-cgt-catapult-jsrm"]
    assert parties(jsrm) == {"cgt-catapult", "jsrm"}
    # Seed 001 dates neither the signing nor its own publication (see data/README.md).
    assert (jsrm.signed, jsrm.announced) == (None, None)


# -- BioJapan 2017 --------------------------------------------------------------

def test_gemmadelta_resolves_to_gammadelta_therapeutics(ds):
    resolver = Resolver(ds.organizations.values())
    assert resolver.resolve("GemmaDelta") == "gammadelta-therapeutics"
    # The agreement names the company as the seed spells it; it was resolved to the id.
    collaboration = ds.agreements["collaboration-takeda-gammadelta-2017"]
    assert parties(collaboration) == {"takeda", "gammadelta-therapeutics"}


def test_uk_delegation_at_biojapan(ds):
    event = ds.events["uk-delegation-biojapan-2017"]
    assert event.kind == "delegation"
    assert event.start.isoformat() == "2017-10-10"
    roles = {p.organization: p.role for p in event.participants}
    assert roles == {
        "medcity": "co-lead",
        "nhsa": "co-lead",
        "dit": "government partner",
        "beis": "minister (Lord Prior)",
        "imperial-college-london": "member",
        "ucl": "member",
        "newcastle-university": "member",
        "imanova": "member",
        "orchard-therapeutics": "member",
        "cgt-catapult": "member",
    }


def test_ties_named_by_the_uk_delegation(ds):
    named = {a.id: (a.type, parties(a)) for a in ds.agreements.values()
             if any(s.id == "seed-003-uk-delegation-biojapan" for s in a.sources)}
    assert named == {
        "collaboration-takeda-gammadelta-2017": ("collaboration", {"takeda", "gammadelta-therapeutics"}),
        "collaboration-eisai-ucl": ("collaboration", {"eisai", "ucl"}),
        "funding-wellcome-ghit-fund-2017": ("funding", {"wellcome", "ghit-fund"}),
        "moc-mrc-amed-2017": ("moc", {"mrc", "amed"}),
    }
    assert ds.agreements["funding-wellcome-ghit-fund-2017"].announced.isoformat() == "2017-06"
    assert ds.agreements["moc-mrc-amed-2017"].signed.isoformat() == "2017-02-01"


# -- Kobe and Life Science Nord ---------------------------------------------------

def test_fbri_lsn_letter_of_intent_references_rit(ds):
    (loi,) = [a for a in ds.agreements.values() if a.type == "loi"]
    assert loi.id == "loi-fbri-life-science-nord-2016"
    assert parties(loi) == {"fbri", "life-science-nord"}
    assert loi.programme == "jetro-rit"
    assert ds.programmes["jetro-rit"].operator == "jetro"
    assert "RIT" in ds.programmes["jetro-rit"].aliases
    assert (loi.end.isoformat(), loi.end.precision) == ("2017", "year")
    assert loi.signed.isoformat() == "2016-05"
    assert loi.event == "schleswig-holstein-delegation-japan-2016"


def test_life_science_nord_is_the_hamburg_and_schleswig_holstein_cluster(ds):
    lsn = ds.organizations["life-science-nord"]
    assert (lsn.kind, lsn.country, lsn.region) == ("cluster", "DE", "DE-HH")
    assert ds.organizations["schleswig-holstein"].region == "DE-SH"
    assert "Life Science Nord Management GmbH" in lsn.aliases


# -- sources, people, organisations --------------------------------------------------

def test_every_agreement_has_a_dated_source_with_title_and_publisher(ds):
    undated = {
        a.id for a in ds.agreements.values()
        if not any(s.title and s.publisher and s.published for s in a.sources)
    }
    # The one known exception: seed 001 (CGT Catapult on JSRM) carries no date.
    assert undated == {"mou-cgt-catapult-jsrm"}
    assert all(s.title and s.publisher for a in ds.agreements.values() for s in a.sources)


def test_every_agreement_cites_its_seed(ds):
    assert [a.id for a in ds.agreements.values() if not any(s.id.startswith("seed-") for s in a.sources)] == []


def test_a_source_id_always_means_the_same_source(ds):
    seen: dict[str, dict] = {}
    for _, record in ds.records():
        for source in getattr(record, "sources", []):
            first = seen.setdefault(source.id, source.to_dict())
            assert source.to_dict() == first, source.id
    # Five seeds and four further sources that date or complete them.
    assert sorted(seen) == [
        "seed-000-regmednet-kanagawa",
        "seed-001-cgt-catapult-jsrm",
        "seed-002-link-j-kanagawa",
        "seed-003-uk-delegation-biojapan",
        "seed-004-lsn-kobe",
        "src-govuk-mrc-amed",
        "src-sankeibiz-firm-2017",
        "src-schleswig-holstein-japan-visit",
        "src-takeda-gammadelta",
    ]


def test_people_are_the_signatories(ds):
    signers = {s.person for a in ds.agreements.values() for s in a.signatories}
    assert signers == set(ds.people) == {
        "yuji-kuroiwa", "keith-thompson", "takashi-ueda", "kenji-shuto", "john-savill", "makoto-suematsu",
    }
    posts = {(p.title, p.organization) for person in ds.people.values() for p in person.posts}
    assert ("Governor", "kanagawa-prefecture") in posts
    assert ("Chief Executive Officer", "cell-therapy-catapult") in posts


def test_every_organisation_has_kind_and_country(ds):
    assert all(o.kind and o.country for o in ds.organizations.values())
    # Region is left out only for national bodies and bodies whose seat no seed gives.
    assert {o.id for o in ds.organizations.values() if o.region is None} == {"dit", "beis", "mrc", "jsrm", "firm"}


def test_aliases_named_in_the_issue(ds):
    aliases = {o.id: set(o.aliases) for o in ds.organizations.values()}
    assert "LINK-J" in aliases["link-j"]
    assert "CGT Catapult" in aliases["cgt-catapult"]
    assert "JSRM" in aliases["jsrm"]
    assert "FBRI" in aliases["fbri"]
    assert "GemmaDelta" in aliases["gammadelta-therapeutics"]
