"""Candidates that merge, not double: one id rule, matching, additions, and merging into the data.

The data and press texts in tests/fixtures/merge/ were written for these tests
(invented organisations). The seed texts are read from ../shared/seeds when they
are on this machine, never copied into the repository.
"""

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.merge import (
    Index,
    agreement_id,
    dates_compatible,
    more_precise,
    plan_merge,
    types_compatible,
    write_merge,
)
from clusterkg.loaders.press.candidates import extract_files, to_document, to_yaml
from clusterkg.loaders.press.names import Gazetteer
from clusterkg.model.dates import PartialDate

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "merge"
SEED_DIRS = [Path(os.environ["CLUSTERKG_SEEDS"])] if os.environ.get("CLUSTERKG_SEEDS") else []
SEED_DIRS += [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]
SEEDS = next((d for d in SEED_DIRS if d.is_dir()), None)
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the seed documents (../shared/seeds) are not on this machine")
TODAY = __import__("datetime").date(2026, 1, 2)
p = PartialDate.parse


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target


def candidates_for(texts, known_paths):
    known = load_dataset(known_paths) if known_paths else None
    gazetteer = Gazetteer(known.organizations.values()) if known else Gazetteer()
    return to_document(extract_files(texts, gazetteer), gazetteer, known)


def write_candidates(path: Path, document: dict, status: str | None = "accept") -> Path:
    if status is not None:
        for agreement in document["agreements"]:
            agreement["status"] = status
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def merge(candidates: Path, data: Path):
    result = plan_merge(candidates, data, TODAY)
    write_merge(result)
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def only_insertions(before: str, after: str) -> bool:
    """Every line of ``before`` is in ``after``, in order: nothing was rewritten, only added."""
    lines = iter(after.splitlines())
    return all(any(line == other for other in lines) for line in before.splitlines())


# --- one id rule --------------------------------------------------------------------------------

def test_typed_without_id_and_extracted_get_one_id(tmp_path):
    # the same MoU typed without an id, and extracted from a press release without the data
    typed = tmp_path / "typed.yaml"
    text = (FIXTURES / "data" / "records.yaml").read_text(encoding="utf-8")
    text = text.replace('  - id: mou-alpine-kyushu-2023\n', '  -\n').replace('signed: "2023-05"', 'signed: "2023-05-17"')
    typed.write_text(text, encoding="utf-8")
    dataset = load_dataset([typed])
    assert dataset.valid, dataset.problems
    (typed_id,) = [a.id for a in dataset.agreements.values() if a.type == "mou"]
    extracted = candidates_for([FIXTURES / "alpine-kyushu.txt"], [])
    (candidate,) = extracted["agreements"]
    assert candidate["id"] == typed_id == "mou-alpine-biocluster-kyushu-bio-forum-2023-05-17"


def test_typed_with_an_id_and_extracted_get_that_id():
    document = candidates_for([FIXTURES / "alpine-kyushu.txt"], [FIXTURES / "data"])
    (candidate,) = document["agreements"]
    assert candidate["matches"] == candidate["id"] == "mou-alpine-kyushu-2023"
    assert candidate["status"] == "pending"
    # only what is new: the release's source, the signatory not on record, the day
    add = candidate["add"]
    assert [s["title"] for s in add["sources"]] == ["Alpine Biocluster and Kyushu Bio Forum sign memorandum"]
    assert add["sources"][0]["evidence"].startswith("Alpine Biocluster and Kyushu Bio Forum signed")
    names = [s["name"] for s in add["signatories"]]
    assert "Ken Arai" in names and "Marta Gruber" not in names  # she is on record as a person
    assert add["signed"] == "2023-05-17"


def test_derived_ids_keep_the_date_precision():
    assert agreement_id("mou", ["b", "a"], p("2017-06")) == "mou-a-b-2017-06"
    assert agreement_id("mou", ["a", "b"], None) == "mou-a-b-undated"


def test_sample_data_ids_are_explicit_so_they_stay_as_written():
    documents = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in (ROOT / "data").glob("*.yaml")]
    agreements = [a for d in documents for a in (d or {}).get("agreements") or []]
    assert agreements and all(a.get("id") for a in agreements)


# --- matching -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "same"), [
    ("mou", "moc", True), ("mou", "loi", True), ("moc", "collaboration", True), ("mou", "partnership", True),
    ("mou", "funding", False), ("funding", "acquisition", False), ("other", "funding", True), ("other", "mou", True),
])
def test_type_families(a, b, same):
    assert types_compatible(a, b) is same


@pytest.mark.parametrize(("a", "b", "compatible"), [
    (("2020-09", None), ("2020-09-18", None), True),          # a month holds its days
    (("2020", None), ("2020-09-18", None), True),
    (("2020-09-17", None), ("2020-09-18", None), False),      # two days
    (("2020-08", None), ("2020-09-18", None), False),
    ((None, "2015-12-02"), ("2015-11", "2015-12-02"), True),  # announced a few weeks after signing
    ((None, "2015-12-02"), ("2015-11", None), True),
    ((None, "2021-12-02"), ("2015-11", None), False),         # announced six years later: another one
    ((None, "2015-10-02"), ("2015-11", None), False),         # announced before it was signed
    ((None, None), ("2015-11", None), True),                  # an undated side: compatible with any
])
def test_dates_compatible_at_their_precision(a, b, compatible):
    parse = lambda pair: tuple(p(x) if x else None for x in pair)
    assert dates_compatible(*parse(a), *parse(b)) is compatible
    assert dates_compatible(*parse(b), *parse(a)) is compatible


def test_more_precise():
    assert more_precise(p("2023-05-17"), p("2023-05"))
    assert more_precise(p("2023-05"), None)
    assert not more_precise(p("2023-05"), p("2023-05-17"))
    assert not more_precise(p("2023-06-01"), p("2023-05"))
    assert not more_precise(p("2023-05"), p("2023-05"))


def test_a_renamed_organisation_matches_its_predecessor():
    index = Index.of(load_dataset([FIXTURES / "data"]))
    found = index.find_matches("mou", ["harbour-health-lab", "kyushu-bio-forum"], p("2018-10-02"), None)
    assert [k.id for k in found] == ["moc-harbour-med-lab-kyushu-bio-forum-2018-10"]
    # a signatory for the successor is one for the party on record
    add = index.additions(found[0], {"signatories": [{"name": "Aroha Smith", "on_behalf_of": "harbour-health-lab"}]})
    assert add == {"signatories": [{"name": "Aroha Smith", "on_behalf_of": "harbour-med-lab"}]}


def test_other_parties_types_or_dates_do_not_match():
    index = Index.of(load_dataset([FIXTURES / "data"]))
    assert not index.find_matches("mou", ["alpine-biocluster", "harbour-med-lab"], p("2023-05"), None)
    assert not index.find_matches("funding", ["alpine-biocluster", "kyushu-bio-forum"], p("2023-05"), None)
    assert not index.find_matches("mou", ["alpine-biocluster", "kyushu-bio-forum"], p("2024-05"), None)
    assert [k.id for k in index.find_matches("other", ["kyushu-bio-forum", "alpine-biocluster"], None, None)] == [
        "mou-alpine-kyushu-2023"]


def test_fewer_or_more_parties_is_an_overlap_not_a_match():
    index = Index.of(load_dataset([FIXTURES / "data"]))
    parties = ["alpine-biocluster", "kyushu-bio-forum", "lakeside-pharma"]
    assert not index.find_matches("mou", parties, p("2023-05-17"), None)
    assert [k.id for k in index.find_overlaps("mou", parties, p("2023-05-17"), None)] == ["mou-alpine-kyushu-2023"]


def test_known_sources_and_signatories_are_not_proposed_again():
    index = Index.of(load_dataset([FIXTURES / "data"]))
    known = index.by_id["mou-alpine-kyushu-2023"]
    record = {
        "sources": [
            {"title": "another title", "url": "https://example.org/alpine/2023-kyushu/"},  # the same address
            {"title": "Alpine Biocluster signs with Kyushu"},  # the same title, no address
        ],
        "signatories": [{"name": "Gruber Marta", "on_behalf_of": "alpine-biocluster"}],  # family name first
        "signed": "2023",  # less precise than on record
    }
    assert index.additions(known, record) == {}


def test_a_candidate_repeated_in_another_release_matches_the_first(tmp_path):
    copy = tmp_path / "again.txt"
    copy.write_text((FIXTURES / "kyushu-harbour.txt").read_text(encoding="utf-8").replace(
        "Kyushu Bio Forum and Harbour Health Lab deepen ties", "Marine biotech exchange between Kyushu and Harbour"),
        encoding="utf-8")
    document = candidates_for([FIXTURES / "kyushu-harbour.txt", copy], [])
    first, second = document["agreements"]
    assert "matches" not in first
    assert second["matches"] == second["id"] == first["id"]
    assert [s["title"] for s in second["add"]["sources"]] == ["Marine biotech exchange between Kyushu and Harbour"]
    assert "signatories" not in second["add"]
    assert "status: pending" in to_yaml(document, 2)


# --- merging ------------------------------------------------------------------------------------

def test_merge_adds_new_records_in_a_new_file_and_additions_in_place(data, tmp_path):
    before = snapshot(data)
    document = candidates_for([FIXTURES / "alpine-kyushu.txt", FIXTURES / "kyushu-harbour.txt"], [data])
    candidates = write_candidates(tmp_path / "candidates.yaml", document)
    result = merge(candidates, data)
    assert not result.problems, result.problems
    assert result.added_agreements == ["mou-harbour-health-lab-kyushu-bio-forum-2020-11-09"]
    (updated,) = result.updated_agreements.values()
    assert list(result.updated_agreements) == ["mou-alpine-kyushu-2023"]
    assert "1 source" in updated and "signed 2023-05-17" in updated
    after = snapshot(data)
    assert set(after) == {"records.yaml", "merged-2026-01-02.yaml"}
    old, new = before["records.yaml"].decode(), after["records.yaml"].decode()
    assert only_insertions(old.replace('    signed: "2023-05"\n', ""), new)
    assert 'signed: "2023-05-17"' in new
    # the other records' text is unchanged, byte for byte
    for record in ("  # no id: it gets the derived one\n  - type: moc\n", "  - {id: loi-lakeside-alpine, type: loi"):
        assert record in new
    merged = yaml.safe_load(after["merged-2026-01-02.yaml"])
    (agreement,) = merged["agreements"]
    assert agreement["id"] == "mou-harbour-health-lab-kyushu-bio-forum-2020-11-09"
    assert agreement["sources"][0]["evidence"].startswith("Kyushu Bio Forum and Harbour Health Lab signed")
    assert agreement["extraction"]["evidence"]
    assert not set(agreement) & {"status", "matches", "add", "distinct", "overlaps"}
    dataset = load_dataset([data])
    assert dataset.valid, dataset.problems
    assert len(dataset.agreements) == 4


def test_merge_is_idempotent(data, tmp_path):
    document = candidates_for([FIXTURES / "alpine-kyushu.txt", FIXTURES / "kyushu-harbour.txt"], [data])
    candidates = write_candidates(tmp_path / "candidates.yaml", document)
    merge(candidates, data)
    once = snapshot(data)
    again = merge(candidates, data)
    assert not again.problems and not again.files
    assert not again.added_agreements and not again.updated_agreements
    assert len(again.unchanged) == 2
    assert snapshot(data) == once


def test_pending_and_rejected_are_left_alone_and_the_candidates_file_is_not_changed(data, tmp_path):
    document = candidates_for([FIXTURES / "alpine-kyushu.txt", FIXTURES / "kyushu-harbour.txt"], [data])
    document["agreements"][0]["status"] = "reject"
    del document["agreements"][1]["status"]  # no status: pending
    candidates = write_candidates(tmp_path / "candidates.yaml", document, status=None)
    text = candidates.read_bytes()
    before = snapshot(data)
    result = merge(candidates, data)
    assert (result.pending, result.rejected, result.files) == (1, 1, {})
    assert snapshot(data) == before and candidates.read_bytes() == text


def test_edited_candidate_url_and_new_organisation(data, tmp_path):
    candidates = tmp_path / "candidates.yaml"
    candidates.write_text("""
organizations:
- {id: fjord-life-science, name: Fjord Life Science, kind: cluster, country: NO}
agreements:
- status: accept
  type: partnership
  parties: [Fjord Life Science, ABC Tirol]
  signed: "2024-02"
  sources:
  - title: Fjord and Alpine partner up
    url: https://example.org/fjord/alpine
    evidence: Fjord Life Science and Alpine Biocluster entered a partnership in February 2024.
""", encoding="utf-8")
    result = merge(candidates, data)
    assert not result.problems, result.problems
    assert result.added_organizations == ["fjord-life-science"]
    merged = yaml.safe_load((data / "merged-2026-01-02.yaml").read_text(encoding="utf-8"))
    (agreement,) = merged["agreements"]
    # names are written as the ids they resolve to; the address and the evidence are kept
    assert agreement["parties"] == ["fjord-life-science", "alpine-biocluster"]
    assert agreement["id"] == "partnership-alpine-biocluster-fjord-life-science-2024-02"
    assert agreement["sources"][0]["url"] == "https://example.org/fjord/alpine"
    assert merged["organizations"][0]["country"] == "NO"  # read as text, never as false
    assert load_dataset([data]).valid


def test_a_second_merge_the_same_day_appends_to_the_merged_file(data, tmp_path):
    first = tmp_path / "first.yaml"
    write_candidates(first, candidates_for([FIXTURES / "kyushu-harbour.txt"], [data]))
    merge(first, data)
    before = (data / "merged-2026-01-02.yaml").read_text(encoding="utf-8")
    second = tmp_path / "second.yaml"
    second.write_text("""
agreements:
- status: accept
  type: funding
  parties: [lakeside-pharma]
  signed: "2025"
  sources: [{title: Lakeside funds a prize, url: "https://example.org/lakeside/prize"}]
""", encoding="utf-8")
    result = merge(second, data)
    assert result.added_agreements == ["funding-lakeside-pharma-2025"]
    after = (data / "merged-2026-01-02.yaml").read_text(encoding="utf-8")
    assert after.startswith(before) or only_insertions(before, after)
    assert len(load_dataset([data]).agreements) == 5


def test_merge_into_a_single_yaml_file(tmp_path):
    data = tmp_path / "records.yaml"
    shutil.copy(FIXTURES / "data" / "records.yaml", data)
    old = data.read_text(encoding="utf-8")
    candidates = write_candidates(tmp_path / "c.yaml", candidates_for([FIXTURES / "kyushu-harbour.txt"], [data]))
    result = merge(candidates, data)
    assert not result.problems, result.problems
    assert only_insertions(old, data.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "records.yaml"]
    assert len(load_dataset([data]).agreements) == 4


def test_additions_to_a_record_on_one_line_and_to_one_without_an_id(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    candidates.write_text("""
agreements:
- status: accept
  matches: loi-lakeside-alpine
  add:
    signed: "2022-03"
    sources: [{title: Lakeside and Alpine, url: "https://example.org/lakeside/alpine"}]
- status: accept
  matches: moc-harbour-med-lab-kyushu-bio-forum-2018-10
  add: {signed: "2018-10-02"}
""", encoding="utf-8")
    result = merge(candidates, data)
    assert not result.problems, result.problems
    text = (data / "records.yaml").read_text(encoding="utf-8")
    assert ('- {id: loi-lakeside-alpine, type: loi, parties: [lakeside-pharma, alpine-biocluster], '
            'sources: [*alpine-news, {title: Lakeside and Alpine, url: \'https://example.org/lakeside/alpine\'}], '
            'signed: "2022-03"}') in text
    dataset = load_dataset([data])
    assert dataset.valid, dataset.problems
    # the record without an id keeps the id it had: merge wrote it, so the new day does not change it
    moc = dataset.agreements["moc-harbour-med-lab-kyushu-bio-forum-2018-10"]
    assert str(moc.signed) == "2018-10-02"
    assert "id: moc-harbour-med-lab-kyushu-bio-forum-2018-10" in text


def test_an_unmarked_duplicate_is_refused_with_the_reason(data, tmp_path):
    document = candidates_for([FIXTURES / "alpine-kyushu.txt", FIXTURES / "kyushu-harbour.txt"], [data])
    duplicate = document["agreements"][0]
    for key in ("matches", "add"):
        del duplicate[key]
    duplicate["id"] = "mou-alpine-kyushu-again"
    candidates = write_candidates(tmp_path / "c.yaml", document)
    result = merge(candidates, data)
    (problem,) = result.problems
    text = str(problem)
    assert str(candidates) in text and "candidate 1 (mou: alpine-biocluster, kyushu-bio-forum" in text
    assert "duplicates agreement mou-alpine-kyushu-2023" in text and "records.yaml:" in text
    assert "matches: mou-alpine-kyushu-2023" in text and "distinct: true" in text
    # the other candidate is merged all the same
    assert result.added_agreements == ["mou-harbour-health-lab-kyushu-bio-forum-2020-11-09"]
    assert len(load_dataset([data]).agreements) == 4
    # marked distinct, it is another agreement
    duplicate["distinct"] = True
    result = merge(write_candidates(tmp_path / "c.yaml", document), data)
    assert not result.problems and result.added_agreements == ["mou-alpine-kyushu-again"]


def test_two_accepted_candidates_of_one_new_agreement_are_not_both_added(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    one = {"type": "mou", "parties": ["lakeside-pharma", "kyushu-bio-forum"], "signed": "2024-09-01",
           "sources": [{"title": "Lakeside in Kyushu"}]}
    candidates.write_text(yaml.safe_dump({"agreements": [
        {"status": "accept", **one}, {"status": "accept", **one, "sources": [{"title": "A second report"}]},
    ]}), encoding="utf-8")
    result = merge(candidates, data)
    assert result.added_agreements == ["mou-kyushu-bio-forum-lakeside-pharma-2024-09-01"]
    assert "candidate 2" in str(result.problems[0]) and "duplicates agreement mou-kyushu-bio-forum" in str(result.problems[0])


def test_fewer_parties_on_record_is_refused_unless_distinct(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    record = {"status": "accept", "type": "mou", "parties": ["alpine-biocluster", "kyushu-bio-forum", "lakeside-pharma"],
              "signed": "2023-05-17", "sources": [{"title": "Three sign"}]}
    candidates.write_text(yaml.safe_dump({"agreements": [record]}), encoding="utf-8")
    (problem,) = merge(candidates, data).problems
    assert "may be recorded already as mou-alpine-kyushu-2023" in str(problem)
    candidates.write_text(yaml.safe_dump({"agreements": [{**record, "distinct": True}]}), encoding="utf-8")
    assert not merge(candidates, data).problems


# --- bad input ----------------------------------------------------------------------------------

GOOD = """
- status: accept
  type: mou
  parties: [lakeside-pharma, kyushu-bio-forum]
  signed: "2024-09-01"
  sources: [{title: Lakeside in Kyushu}]
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("agreements: [unclosed\n", "not valid YAML"),
    ("", "the file is empty"),
    ("- just a list\n", "expected a mapping"),
    ("\x00\x01binary", "not"),
])
def test_a_candidates_file_that_cannot_be_read(data, tmp_path, text, expected):
    candidates = tmp_path / "c.yaml"
    candidates.write_text(text, encoding="utf-8")
    before = snapshot(data)
    result = merge(candidates, data)
    assert result.problems and str(candidates) in str(result.problems[0]) and expected in str(result.problems[0])
    assert snapshot(data) == before


def test_not_utf8(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    candidates.write_bytes("agreements:\n- status: accept\n  notes: caf\xe9\n".encode("latin-1"))
    result = merge(candidates, data)
    assert "not UTF-8" in str(result.problems[0]) and str(candidates) in str(result.problems[0])


@pytest.mark.parametrize(("bad", "expected"), [
    ("  status: acept\n", "status: unknown status 'acept'; use one of pending, accept, reject"),
    ("  status: [accept]\n", "unknown status"),
    ("  status: accept\n  type: memo\n", "type:"),
    ("  status: accept\n  signed: 2023-13\n", "signed:"),
    ("  status: accept\n  parties: [nobody-we-know, kyushu-bio-forum]\n", "unknown organisation"),
    ("  status: accept\n  sources: []\n", "sources:"),
    ("  status: accept\n  matches: mou-not-there\n", "matches: matches 'mou-not-there': no agreement with this id"),
    ("  status: accept\n  matches: mou-alpine-kyushu-2023\n  add: {note: x}\n", "add: unknown key 'note'"),
    ("  status: accept\n  matches: mou-alpine-kyushu-2023\n  add: {signed: '2024-01'}\n", "contradicts the signing date"),
    ("  status: accept\n  matches: mou-alpine-kyushu-2023\n  add: {sources: [{publisher: x}]}\n", "add.sources[0]"),
    ("  status: accept\n  distinct: maybe\n", "distinct: expected true or false"),
    ("  status: accept\n  signatories: [{name: A B, on_behalf_of: alpine-biocluster}]\n", "not a party"),
])
def test_a_broken_candidate_is_named_and_the_others_still_merge(data, tmp_path, bad, expected):
    good = yaml.safe_load(GOOD)[0]
    broken = {"status": "accept", "type": "mou", "parties": ["lakeside-pharma", "harbour-health-lab"],
              "signed": "2024-10-01", "sources": [{"title": "Lakeside in Harbour"}]}
    broken.update(yaml.safe_load(bad))  # the broken candidate is the second one
    candidates = tmp_path / "c.yaml"
    candidates.write_text(yaml.safe_dump({"agreements": [good, broken]}, sort_keys=False), encoding="utf-8")
    result = merge(candidates, data)
    messages = "\n".join(map(str, result.problems))
    assert expected in messages and "candidate 2" in messages and str(candidates) in messages, messages
    assert result.added_agreements == ["mou-kyushu-bio-forum-lakeside-pharma-2024-09-01"]
    assert load_dataset([data]).valid


def test_a_proposed_organisation_without_a_country(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    candidates.write_text("""
organizations:
- {id: misty-bio, name: Misty Bio, kind: other}
agreements:
- status: accept
  type: mou
  parties: [misty-bio, lakeside-pharma]
  sources: [{title: Misty and Lakeside}]
""", encoding="utf-8")
    before = snapshot(data)
    (problem,) = merge(candidates, data).problems
    assert "candidate 1" in str(problem) and "misty-bio" in str(problem) and "country" in str(problem)
    assert snapshot(data) == before


def test_data_that_is_not_valid_is_not_merged_into(data, tmp_path):
    (data / "broken.yaml").write_text("agreements:\n- {type: mou, parties: [nobody], sources: [{title: x}]}\n")
    candidates = write_candidates(tmp_path / "c.yaml", candidates_for([FIXTURES / "kyushu-harbour.txt"], [FIXTURES / "data"]))
    from clusterkg.model.problems import InputError

    with pytest.raises(InputError) as error:
        plan_merge(candidates, data, TODAY)
    assert "fix them first" in str(error.value)


def test_an_agreement_in_a_csv_file_is_not_edited(tmp_path):
    from clusterkg.loaders.writers import write

    data = tmp_path / "data"
    write([record for _, record in load_dataset([FIXTURES / "data"]).records()], data, "csv")
    candidates = tmp_path / "c.yaml"
    candidates.write_text("""
agreements:
- status: accept
  matches: mou-alpine-kyushu-2023
  add: {sources: [{title: More on Alpine and Kyushu}]}
""", encoding="utf-8")
    (problem,) = merge(candidates, data).problems
    assert "merge edits YAML files only" in str(problem) and "candidate 1" in str(problem)


# --- the seeds: extract with the data, accept everything, merge ---------------------------------

@needs_seeds
def test_seeds_extracted_with_the_data_merge_without_duplicates(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = load_dataset([data])
    document = candidates_for(sorted(SEEDS.glob("*.txt")), [data])
    # the same agreements typed and extracted: one id
    assert any(a.get("matches") == "mou-link-j-kanagawa-2020" == a["id"] for a in document["agreements"])
    candidates = write_candidates(tmp_path / "candidates.yaml", document)
    result = merge(candidates, data)
    after = load_dataset([data])
    assert after.valid, after.problems
    # every agreement added is new: none of them matches one that was on record
    index = Index.of(before)
    for ident in result.added_agreements:
        agreement = after.agreements[ident]
        parties = [party.organization for party in agreement.parties]
        assert not index.find_matches(agreement.type, parties, agreement.signed, agreement.announced), ident
    matched = sum(1 for a in document["agreements"] if "matches" in a)
    assert len(after.agreements) - len(before.agreements) <= len(document["agreements"]) - matched
    # what was refused says why
    for problem in result.problems:
        assert "candidate" in str(problem)
    again = merge(candidates, data)
    assert not again.files


def test_nothing_is_written_when_the_merged_data_would_not_load(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    candidates.write_text("""
organizations:
- {id: misty-bio, name: Misty Bio, kind: cluster, country: IE, parent: nobody-at-all}
agreements:
- status: accept
  type: mou
  parties: [misty-bio, lakeside-pharma]
  signed: "2024"
  sources: [{title: Misty and Lakeside}]
""", encoding="utf-8")
    before = snapshot(data)
    result = merge(candidates, data)
    messages = "\n".join(map(str, result.problems))
    assert "parent: unknown organisation 'nobody-at-all'" in messages
    assert f"{data / 'merged-2026-01-02.yaml'}:" in messages and "clusterkg-merge-" not in messages
    assert "nothing was written" in messages
    assert snapshot(data) == before and not result.added_agreements


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.sampled_from(["accept", "pending", "reject", "mou", "link", "2024-01", "alpine-biocluster", "lakeside-pharma", "mou-alpine-kyushu-2023"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["title", "url", "name", "on_behalf_of", "organization", "signed", "sources", "signatories", "x"]), inner, max_size=3),
    max_leaves=8,
)
_fields = st.sampled_from(["status", "matches", "add", "distinct", "type", "parties", "signed", "announced",
                           "signatories", "sources", "id", "overlaps", "extraction", "nonsense"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(_fields, _values, max_size=6), max_size=3))
def test_any_candidate_is_a_message_never_a_crash(data, tmp_path, agreements):
    candidates = tmp_path / "fuzz.yaml"
    for agreement in agreements:
        agreement.setdefault("status", "accept")
    candidates.write_text(yaml.safe_dump({"agreements": agreements}), encoding="utf-8")
    before = snapshot(data)
    result = plan_merge(candidates, data, TODAY)  # plans only: the data stays as it is
    assert all(isinstance(str(p), str) for p in result.problems)
    assert snapshot(data) == before


def test_extracted_without_the_data_each_duplicate_is_refused_and_matches_without_add_adds_the_rest(data, tmp_path):
    document = candidates_for([FIXTURES / "alpine-kyushu.txt"], [])  # no --known: its parties are proposed anew
    assert {o["name"] for o in document["organizations"]} == {"Alpine Biocluster", "Kyushu Bio Forum"}
    for org in document["organizations"]:  # ids of their own: the names say who they are
        org["id"] += "-new"
    (agreement,) = document["agreements"]
    agreement["parties"] = [party + "-new" for party in agreement["parties"]]
    for signatory in agreement.get("signatories", []):
        if signatory.get("on_behalf_of"):
            signatory["on_behalf_of"] += "-new"
    candidates = write_candidates(tmp_path / "c.yaml", document)
    before = snapshot(data)
    result = merge(candidates, data)
    (problem,) = result.problems
    assert "duplicates agreement mou-alpine-kyushu-2023" in str(problem)
    assert "compatible dates (2023-05-17 / 2023-05)" in str(problem)
    assert len(result.same_organizations) == 2 and snapshot(data) == before
    # the reviewer does as the message says; with no `add`, what the candidate itself says is added
    document["agreements"][0]["matches"] = "mou-alpine-kyushu-2023"
    result = merge(write_candidates(tmp_path / "c.yaml", document), data)
    assert not result.problems, result.problems
    (what,) = result.updated_agreements.values()
    assert "1 source" in what and "signed 2023-05-17" in what
    assert not result.added_organizations
    assert load_dataset([data]).valid
