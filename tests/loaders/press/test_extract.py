"""Extraction from press releases: the seed documents, texts written for these tests, near misses.

Expected agreements for the seeds are worked out by hand from reading each text
(the facts data/README.md cites); the seeds are read from ../shared/seeds, never
copied into the repository.
"""

import json
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.merge import plan_merge, write_merge
from clusterkg.loaders.press.candidates import extract_files, to_document
from clusterkg.loaders.press.document import parse_document, split_sentences
from clusterkg.loaders.press.extract import Extractor
from clusterkg.loaders.press.names import Gazetteer, find_acronyms
from clusterkg.model.dates import PartialDate
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterkg.cli import main

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "press"
SAMPLE = ROOT / "tests" / "fixtures" / "sample"
TODAY = dt.date(2026, 1, 2)
SEED_DIRS = [Path(os.environ["CLUSTERKG_SEEDS"])] if os.environ.get("CLUSTERKG_SEEDS") else []
SEED_DIRS += [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]
SEEDS = next((d for d in SEED_DIRS if d.is_dir()), None)
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the seed documents (../shared/seeds) are not on this machine")


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def extract(path: Path, **kwargs):
    (result,) = extract_files([path], **kwargs)
    return result.candidates


def parties(candidate) -> frozenset[str]:
    return frozenset(candidate.parties)


# --- the seeds ----------------------------------------------------------------------

@needs_seeds
def test_catapult_and_kanagawa_one_mou_signed_by_governor_and_ceo():
    (mou,) = extract(seed("000"))
    assert mou.label == "MoU" and parties(mou) == {"Cell Therapy Catapult", "Kanagawa Prefecture"}
    assert [(s.name, s.role, s.organisation) for s in mou.signatories] == [
        ("Kuroiwa Yuji", "Governor", "Kanagawa Prefecture"),
        ("Keith Thompson", "CEO", "Cell Therapy Catapult"),
    ]
    # the article is dated 2 December 2015 but never says when the MoU was signed
    assert not mou.date_stated and mou.to_dict()["date"] is None


@needs_seeds
def test_cgt_catapult_jsrm_and_the_earlier_mous_it_mentions():
    found = {parties(c): c for c in extract(seed("001"))}
    catapult = "Cell and Gene Therapy Catapult"
    assert set(found) == {
        frozenset({catapult, "Japanese Society for Regenerative Medicine"}),
        frozenset({catapult, "Forum for Innovative Regenerative Medicine"}),
        frozenset({catapult, "Kanagawa Prefecture"}),
    }
    assert found[frozenset({catapult, "Forum for Innovative Regenerative Medicine"})].to_dict()["date"] == "2017-10"
    assert found[frozenset({catapult, "Kanagawa Prefecture"})].to_dict()["date"] == "2015-11"
    assert all(c.label == "MoU" for c in found.values())


@needs_seeds
def test_link_j_kanagawa_and_its_thirteen_earlier_partners_with_months():
    candidates = extract(seed("002"))
    link_j = "Life Science Innovation Network Japan"
    main = next(c for c in candidates if "Kanagawa Prefecture" in c.parties)
    assert parties(main) == {link_j, "Kanagawa Prefecture"}
    # "September 18" with no publication date: the year is not borrowed from another date in the text
    # (issue 11: leave a date out rather than borrow one); with --published it is 2020-09-18
    assert main.to_dict()["date"] is None
    assert main.term == "P5Y"  # "over the five years"
    assert [(s.name, s.organisation) for s in main.signatories] == [
        ("Takashi Ueda", link_j), ("Kenji Shuto", "Kanagawa Prefecture")]
    months = {}
    for c in candidates:
        if c is not main:
            assert link_j in c.parties and c.label == "MoU"
            for partner in c.parties:
                if partner != link_j:
                    months[partner] = c.to_dict()["date"]
    # by hand from the text's list of partners
    assert months == {
        "University of California San Diego": "2016-05", "Biocom": "2016-05", "Eurobiomed": "2017-06",
        "Kyoto Research Park Corp.": "2017-07", "One Nucleus": "2017-12",
        "Foundation for Biomedical Research and Innovation": "2018-02",
        "Institute for Advanced Biosciences, Keio University": "2018-04", "MedCity": "2018-06",
        "City of Kawasaki": "2018-08", "University of California Los Angeles": "2019-06",
        "Yokohama City": "2019-08", "Oxford University Innovation": "2020-07", "Osaka Prefecture": "2020-09",
    }
    assert len(months) + 1 == 14  # Kanagawa is the 14th MOU partner


@needs_seeds
def test_delegation_text_yields_only_the_signed_memorandum_of_cooperation():
    # Takeda's and Eisai's collaborations are described, not announced as signed agreements
    (moc,) = extract(seed("003"))
    assert moc.label == "MoC"
    assert parties(moc) == {"Medical Research Council", "Japan Agency for Medical Research and Development"}


@needs_seeds
def test_fbri_and_life_science_nord_letter_of_intent():
    (loi,) = extract(seed("004"))
    assert loi.label == "LoI"
    assert parties(loi) == {"Foundation for Biomedical Research and Innovation", "Life Science Nord"}


@needs_seeds
def test_known_organisations_are_written_by_id_and_the_result_loads(tmp_path):
    data = load_dataset([ROOT / "data"])
    gazetteer = Gazetteer(data.organizations.values())
    results = extract_files(sorted(SEEDS.glob("*.txt")), gazetteer)
    document = to_document(results, gazetteer)
    by_parties = {frozenset(a["parties"]): a for a in document["agreements"]}
    assert frozenset({"link-j", "kanagawa-prefecture"}) in by_parties
    assert frozenset({"cell-therapy-catapult", "kanagawa-prefecture"}) in by_parties
    out = tmp_path / "candidates.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(SEEDS), "--known", str(ROOT / "data"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # every proposed organisation got a country from the text, so data + candidates load
    loaded = load_dataset([ROOT / "data", out])
    assert not [p for p in loaded.problems if "candidates.yaml" in p.location.file and "country" in str(p)]


# --- texts written for these tests -----------------------------------------------------

def test_three_parties_with_date_signatories_and_term():
    (mou,) = extract(FIXTURES / "three-party.txt")
    assert parties(mou) == {"Medicon Valley Alliance", "BioCatalyst Osaka", "Hokkaido Bioindustry Association"}
    assert mou.date == PartialDate.parse("2024-02-28") and mou.date_stated
    assert [s.name for s in mou.signatories] == ["Anette Steenberg", "Kenta Mori", "Yumi Sato"]
    assert mou.term == "P3Y"


def test_a_renewal_in_markdown():
    mou, original = extract(FIXTURES / "renewal.md")
    assert mou.renewal and mou.label == "MoU"
    assert parties(mou) == {"BioWales", "Saxony Biotech e.V."}
    assert mou.to_dict()["date"] == "2023-06-09" and mou.term == "P5Y"
    # a renewal implies the agreement it renews: a second record, undated (the text gives no date), a guess
    assert original.earlier and original.label == "MoU" and parties(original) == parties(mou)
    assert original.to_dict()["date"] is None and original.confidence < mou.confidence


def test_html_main_text_only_and_details_from_a_later_sentence():
    (loi,) = extract(FIXTURES / "announce.html")
    # the navigation, the script and the "related news" box name other agreements: ignored
    assert parties(loi) == {"Ostrava Life Science Cluster", "BioNorth"}
    assert loi.to_dict()["date"] == "2021-04-19"
    assert [(s.name, s.role) for s in loi.signatories] == [("Petra Novak", "Managing Director"), ("James Reid", "CEO")]


def test_names_in_other_languages_and_today_means_the_publication_date():
    (deal,) = extract(FIXTURES / "japanese-names.txt")
    assert parties(deal) == {"Université de Strasbourg", "Takara Bio Co., Ltd."}  # not the observer
    # a "collaboration agreement" is type other (press-dev README conventions, issue 11)
    assert deal.label == "other" and deal.to_dict()["date"] == "2022-11-15"


@pytest.mark.parametrize("path", sorted((FIXTURES / "near-misses").glob("*.txt")), ids=lambda p: p.stem)
def test_near_misses_yield_nothing(path):
    assert extract(path) == []


# --- pieces ---------------------------------------------------------------------------

def test_acronyms_tied_to_long_names():
    text = ('Life Science Innovation Network Japan (head office: Tokyo; hereinafter "LINK-J") and the '
            "Japanese Foundation for Biomedical Research and Innovation (FBRI) met.")
    assert find_acronyms(text) == {
        "LINK-J": "Life Science Innovation Network Japan",
        "FBRI": "Foundation for Biomedical Research and Innovation",
    }


def test_sentences_keep_offsets_and_abbreviations():
    text = "Kyoto Research Park Corp. signed.\nDr. Ito, CEO of Acme Inc., spoke. It ended."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Kyoto Research Park Corp. signed.", "Dr. Ito, CEO of Acme Inc., spoke.", "It ended."]
    assert all(text[s.start: s.end] == s.text for s in sentences)


def test_evidence_offsets_point_at_the_text():
    doc = parse_document((FIXTURES / "three-party.txt").read_text(encoding="utf-8"), "three-party.txt")
    (mou,) = Extractor().extract(doc)
    for evidence in mou.evidence:
        assert doc.text[evidence.start: evidence.end] == evidence.text


def test_published_option_gives_the_year_a_text_leaves_out():
    doc = parse_document("Acme Cluster signed a memorandum of understanding with Beta University on 3 March.", "x.txt",
                         published=PartialDate.parse("2019-03-05"))
    (mou,) = Extractor().extract(doc)
    assert mou.to_dict()["date"] == "2019-03-03"


# --- output and command line -----------------------------------------------------------

def test_jsonl_has_the_stable_shape(tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(FIXTURES), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(list(FIXTURES.rglob("*.*")))  # one object per input file, near misses too
    keys = {"type", "parties", "date", "signatories", "scope", "duration", "evidence", "confidence"}
    for line in lines:
        assert set(line) == {"file", "agreements"}
        for agreement in line["agreements"]:
            assert keys <= set(agreement)
            assert agreement["type"] in {"MoU", "LoI", "MoC", "partnership", "other"}
            assert all(set(s) == {"name", "role", "organisation"} for s in agreement["signatories"])


def test_yaml_candidates_merge_cleanly_with_their_proposed_organisations(tmp_path):
    """The YAML is a review file: once accepted (and the countries the text did not give are
    added), its candidates merge into a copy of the data and the data still validates."""
    out = tmp_path / "candidates.yaml"
    result = CliRunner().invoke(main, ["extract", str(FIXTURES / "three-party.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Proposed organisations without a country" in text  # the text names no country for them
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    before = {p.name: p.read_text(encoding="utf-8") for p in data.iterdir()}
    # as extracted, nothing is merged: the candidate waits for review
    pending = plan_merge(out, data, TODAY)
    assert pending.pending == 1 and not pending.files and not pending.problems
    # accepted as it stands, it is refused for the countries only, and nothing is written
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(text.replace("- status: pending\n", "- status: accept\n"), encoding="utf-8")
    refused = plan_merge(accepted, data, TODAY)
    assert refused.problems and not refused.files and not refused.added_agreements
    assert all("country" in str(p) for p in refused.problems), [str(p) for p in refused.problems]
    # with the countries the reviewer adds, it merges cleanly: the dry run shows it, exit 0
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(accepted.read_text(encoding="utf-8").replace("  kind: other\n  sources:", "  kind: other\n  country: JP\n  sources:"),
                     encoding="utf-8")
    dry = CliRunner().invoke(main, ["merge", str(fixed), "--into", str(data), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert {p.name: p.read_text(encoding="utf-8") for p in data.iterdir()} == before  # a dry run writes nothing
    plan = plan_merge(fixed, data, TODAY)
    assert not plan.problems, [str(p) for p in plan.problems]
    (agreement_id,) = plan.added_agreements
    assert set(plan.added_organizations) == {"medicon-valley-alliance", "biocatalyst-osaka", "hokkaido-bioindustry-association"}
    write_merge(plan)
    # the records already there are untouched, and the data validates with the new agreement in it
    assert all((data / name).read_text(encoding="utf-8") == old for name, old in before.items())
    ds = load_dataset([data])
    assert ds.valid, [str(p) for p in ds.problems]
    agreement = ds.agreements[agreement_id]
    assert agreement.type == "mou" and len(agreement.parties) == 3 and len(agreement.signatories) == 3
    assert agreement.extraction.confidence > 0.5 and agreement.extraction.evidence
    assert ds.organizations["medicon-valley-alliance"].country == "DK"
    assert not plan_merge(fixed, data, TODAY).files  # merging again adds nothing


def test_a_missing_file_is_a_clear_error():
    result = CliRunner().invoke(main, ["extract", "no/such/file.txt"])
    assert result.exit_code == 1 and "no/such/file.txt" in result.output and "Traceback" not in result.output


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Aa MoU signed with and the of ( ) , ; . \n Ltd Co. in May 2017 X Y Z 株式会社 \"")), max_size=300))
def test_any_text_extracts_without_crashing(text):
    doc = parse_document(text, "fuzz.txt")
    for candidate in Extractor().extract(doc):
        assert len(candidate.parties) >= 2
        json.dumps(candidate.to_dict())
