"""One test per kind of extraction failure issue 11 lists, on sentences written for these tests.

Expected values are by hand, from reading each sentence; the dev-set floor is the figure
benchmarks/extract_quality.py printed when this was written (whole set F1 0.63).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clusterkg.loaders.press.document import parse_document
from clusterkg.loaders.press.extract import Extractor
from clusterkg.model.dates import PartialDate

ROOT = Path(__file__).parents[3]
DEV = next((p for p in (ROOT.parent / "shared" / "press-dev", Path("/work/shared/press-dev")) if p.is_dir()), None)


def found(text: str, published: str | None = None):
    doc = parse_document(text, "t.txt", published=PartialDate.parse(published) if published else None)
    return Extractor().extract(doc)


@pytest.mark.xfail(strict=True, reason="still fails: a name ending in 'Engineering and the ...' is read as a topic list")
def test_names_with_commas_and_and_stay_whole():
    (mou,) = found("The Institute for Marine Science, Technology and Engineering and the Nordic Health and "
                   "Medical Research Foundation signed a memorandum of understanding on 4 May 2021.")
    assert set(mou.parties) == {"Institute for Marine Science, Technology and Engineering",
                                "Nordic Health and Medical Research Foundation"}


def test_titles_and_people_are_not_part_of_party_names():
    (mou,) = found("Governor Ann Lee of Riverland signed an MoU with Hillshire Prefecture Governor Taro Abe to expand "
                   "collaboration between Riverland and Hillshire Prefecture.")
    assert "Hillshire Prefecture" in mou.parties
    assert not any("Governor" in p or "Taro" in p for p in mou.parties)


def test_countries_named_as_parties_are_parties():
    (moc,) = found("Norway and Chile signed a memorandum of cooperation on aquaculture health on 2 March 2022.")
    assert set(moc.parties) == {"Norway", "Chile"} and moc.label == "MoC"
    assert "a country or region as a party" in moc.guesses  # and confidence pays for it


def test_type_phrasings():
    (moc,) = found("Alpha Cluster and Beta Park signed a Memorandum on Cooperation on 1 June 2020.")
    (loi,) = found("Gamma Institute signed a declaration of intent with Delta University on 2 June 2020.")
    (other,) = found("Epsilon BioHub and Zeta Labs have signed a cooperation framework agreement on 3 June 2020.")
    (partner,) = found("Eta Cluster signed a partnership agreement with Theta Alliance on 4 June 2020.")
    assert (moc.label, loi.label, other.label, partner.label) == ("MoC", "LoI", "other", "partnership")


@pytest.mark.xfail(strict=True, reason="still fails: a listing of earlier MoUs after the main one lends it its first date")
def test_a_date_is_not_borrowed_from_another_agreement_in_the_sentence():
    candidates = found("Omega Cluster signed an MoU with Sigma Society, building on the MoUs it signed with "
                       "Kappa Forum in March 2018 and Lambda County in May 2016.")
    main = next(c for c in candidates if "Sigma Society" in c.parties)
    assert main.to_dict()["date"] is None  # the sentence gives no date for this one
    dates = {frozenset(c.parties): c.to_dict()["date"] for c in candidates if c is not main}
    assert dates == {frozenset({"Omega Cluster", "Kappa Forum"}): "2018-03",
                     frozenset({"Omega Cluster", "Lambda County"}): "2016-05"}


def test_publication_date_gives_the_year_and_today():
    (a,) = found("Released on March 19, 2019\n\nOn February 21st, Rho Cluster and Tau Association signed an MoU.")
    assert a.to_dict()["date"] == "2019-02-21" and a.date_basis == "inferred"  # by hand: the release's year
    (b,) = found("PORTVILLE – May 7, 2014 – Phi Institute today signed a memorandum of understanding with Chi University.")
    assert b.to_dict()["date"] == "2014-05-07"  # "today" is the dateline's day
    (c,) = found("In January this year Psi Park and Upsilon Network signed an MoU.", "2024-03-15")
    assert c.to_dict()["date"] == "2024-01"


def test_a_day_without_a_year_and_without_a_publication_date_is_left_out():
    (mou,) = found("Mu Cluster and Nu Institute signed an MoU on June 14. Mu Cluster was founded in 2003.")
    assert mou.to_dict()["date"] is None


def test_renewal_and_the_agreement_it_renews():
    candidates = found("On 2 April 2019 Orion Institute and Vega Agency renewed their memorandum of understanding, "
                       "which was first signed in September 2014.")
    dates = sorted(c.to_dict()["date"] for c in candidates)
    assert dates == ["2014-09", "2019-04-02"]


def test_signatories_are_only_people_presented_as_signing():
    candidates = found("Lyra Cluster and Draco Society signed a memorandum of understanding on 5 May 2022. "
                       "The MoU was signed by Jane Roe, CEO of Lyra Cluster, and Sam Poe, President of Draco Society, "
                       "in the presence of Minister Tom Hart.")
    (mou,) = candidates
    assert [(s.name, s.organisation) for s in mou.signatories] == [("Jane Roe", "Lyra Cluster"), ("Sam Poe", "Draco Society")]


def test_confidence_falls_when_guessing():
    (sure,) = found("Cetus Cluster signed a memorandum of understanding with Hydra University on 5 May 2022.")
    (guess,) = found("Norway and Chile signed a memorandum of understanding.")
    assert guess.confidence < sure.confidence


@pytest.mark.skipif(DEV is None, reason="the press-dev set (../shared/press-dev) is not on this machine")
def test_dev_set_stays_above_the_floor_reached():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extract_quality.py"), str(DEV), "--repeat", "64"],
                         capture_output=True, text=True, check=False).stdout
    row = next(line for line in out.splitlines() if line.startswith("all "))
    f1, near = float(row.split()[5]), int(row.split()[8])
    assert f1 >= 0.87 and near == 0, out  # floor: 0.89 measured in round 3 (0.82 in round 2, 0.63 before the even-half work)


# --- kinds fixed while developing on the even half of press-dev (sentences written for these tests) ---

def test_a_wire_dateline_with_several_places_is_not_a_party():
    (mou,) = found("PORTVILLE, Ore. & NEW HAVEN, Conn.–(NEWS WIRE)–Kestrel Bio and the Harbor Life Council are "
                   "pleased to announce the signing of a memorandum of understanding.", "2023-04-05")
    assert set(mou.parties) == {"Kestrel Bio", "Harbor Life Council"}
    assert mou.to_dict()["date"] == "2023-04-05" and mou.date_basis == "publication"  # the release's own day
    assert "dated by the release that announces it" in mou.guesses


def test_a_person_named_later_by_surname_stands_for_their_organisation():
    (mou,) = found("Riverland Governor Ann Whitby opened the trade week. Whitby signed a memorandum of understanding "
                   "with Hillshire Prefecture on 2 May 2022.")
    assert set(mou.parties) == {"Riverland", "Hillshire Prefecture"}


def test_a_common_word_starting_a_headline_is_not_a_party():
    candidates = found("Successful week for the cluster\n\nWe signed an MoU with Harbor Life Council to help "
                       "companies meet. The week was successful.")
    assert not any("Successful" in p for c in candidates for p in c.parties)


def test_between_names_every_party_and_a_place_after_with_is_none():
    (moc,) = found("The Council approved the memorandum of cooperation between Norway and Chile, which was signed in "
                   "March 2021.")
    assert set(moc.parties) == {"Norway", "Chile"}
    assert found("Kestrel Bio signed an MoU with a partner in Japan on 2 May 2022.") == []


def test_a_renewal_implies_the_agreement_it_renews():
    renewal, original = found("Kestrel Bio and Harbor Life Council renewed their memorandum of understanding on "
                              "3 March 2023.")
    assert renewal.renewal and renewal.to_dict()["date"] == "2023-03-03"
    assert original.earlier and original.to_dict()["date"] is None and original.label == "MoU"


def test_dates_given_respectively_go_to_the_agreements_in_order():
    candidates = found("Norway signed MoUs with Chile and Peru. The MoUs were signed on 3 May 2019 in "
                       "Santiago and on 9 June 2019 in Lima, respectively.")
    dates = {frozenset(c.parties): c.to_dict()["date"] for c in candidates}
    assert dates == {frozenset({"Norway", "Chile"}): "2019-05-03", frozenset({"Norway", "Peru"}): "2019-06-09"}


def test_places_come_from_evidence_never_from_a_lone_subdivision_word():
    from clusterkg.loaders.press.places import place_of

    assert place_of("Acme Cluster Nord", "Acme Cluster Nord signed") == (None, None)  # "Nord" is a region in BF and FR
    assert place_of("Tern Bio", "Tern Bio (a network in Southern France) signed")[0] == "FR"  # not BW ("Southern")
    assert place_of("Tern Bio", "the UK-based Tern Bio signed")[0] == "GB"
    assert place_of("Tern Bio", "Tern Bio, a cluster in Hamburg, Germany, signed") == ("DE", "DE-HH")
    assert place_of("Life Science Nord", "") == ("DE", "DE-HH")  # the reference list knows it
