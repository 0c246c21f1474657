"""Assembling a dataset: references resolved, bad records rejected with reasons, nothing valid lost."""

import textwrap

import pytest
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.dataset import summarize

ORGS = """\
organizations:
  - id: link-j
    name: Life Science Innovation Network Japan
    aliases: [LINK-J]
    kind: cluster
    country: JP
    region: JP-13
  - id: kanagawa-prefecture
    name: Kanagawa Prefecture
    names: {ja: 神奈川県}
    kind: government
    country: JP
    region: JP-14
  - id: cell-therapy-catapult
    name: Cell Therapy Catapult
    kind: agency
    country: GB
  - id: cgt-catapult
    name: Cell and Gene Therapy Catapult
    aliases: [CGT Catapult]
    kind: agency
    country: GB
    predecessor: Cell Therapy Catapult
    renamed: "2016"
"""

SOURCE = "sources: [{title: A release, publisher: LINK-J}]"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path, agreements):
    write(tmp_path, "orgs.yaml", ORGS)
    path = write(tmp_path, "agreements.yaml", "agreements:\n" + textwrap.indent(textwrap.dedent(agreements), "  "))
    return load_dataset([tmp_path]), path


def messages(ds):
    return [str(p) for p in ds.problems]


def test_parties_resolve_by_id_name_alias_and_other_language(tmp_path):
    ds, _ = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, 神奈川県]
          signed: "2020-09-18"
          signatories: [{{name: Kenji Shuto, title: Deputy Governor, on_behalf_of: kanagawa prefecture}}]
          {SOURCE}
        """)
    assert ds.valid, messages(ds)
    (agreement,) = ds.agreements.values()
    assert agreement.id == "mou-kanagawa-prefecture-link-j-2020-09-18"
    assert [p.organization for p in agreement.parties] == ["link-j", "kanagawa-prefecture"]
    assert agreement.signatories[0].on_behalf_of == "kanagawa-prefecture"


def test_renames_are_followed_by_date(tmp_path):
    ds, _ = load(tmp_path, f"""\
        - type: mou
          parties: [CGT Catapult, Kanagawa Prefecture]
          signed: "2015-11"
          {SOURCE}
        - type: mou
          parties: [Cell Therapy Catapult, LINK-J]
          signed: "2018-02"
          {SOURCE}
        """)
    assert ds.valid, messages(ds)
    parties = {a.signed.year: {p.organization for p in a.parties} for a in ds.agreements.values()}
    assert "cell-therapy-catapult" in parties[2015]  # named by the later name, before the rename
    assert "cgt-catapult" in parties[2018]  # named by the old name, after the rename


def test_unknown_party_names_file_line_and_closest(tmp_path):
    ds, path = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, Kanagawa Pref]
          {SOURCE}
        """)
    (problem,) = ds.problems
    assert problem.location.file == str(path) and problem.location.line == 3
    assert problem.field == "parties[1]"
    assert "'Kanagawa Prefecture' (kanagawa-prefecture)" in problem.message


def test_a_party_listed_twice_under_two_names(tmp_path):
    ds, _ = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, Life Science Innovation Network Japan, kanagawa-prefecture]
          {SOURCE}
        """)
    (problem,) = ds.problems
    assert problem.field == "parties[1]" and "listed twice" in problem.message and "link-j" in problem.message


def test_a_signatory_must_sign_for_a_party(tmp_path):
    ds, _ = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, kanagawa-prefecture]
          signatories: [{{name: Keith Thompson, on_behalf_of: CGT Catapult}}]
          {SOURCE}
        """)
    (problem,) = ds.problems
    assert problem.field == "signatories[0].on_behalf_of" and "not a party" in problem.message


def test_end_before_signing(tmp_path):
    ds, path = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, kanagawa-prefecture]
          signed: "2020-09-18"
          end: "2020-08"
          {SOURCE}
        """)
    (problem,) = ds.problems
    assert str(problem).startswith(f"{path}:5: end: 2020-08 is before the signing date 2020-09-18")


def test_duplicate_ids_are_reported_but_exact_repeats_are_not(tmp_path):
    write(tmp_path, "1-orgs.yaml", ORGS)  # files load in name order
    write(tmp_path, "2-again.yaml", ORGS)  # the same records twice change nothing
    write(tmp_path, "clash.yaml", """\
        organizations:
          - id: link-j
            name: Something Else
            kind: company
            country: US
        """)
    ds = load_dataset([tmp_path])
    assert len(ds.organizations) == 4
    (problem,) = ds.problems
    assert problem.location.file.endswith("clash.yaml") and problem.field == "id"
    assert "duplicate id 'link-j'" in problem.message and "1-orgs.yaml:2" in problem.message


def test_the_same_agreement_twice_without_ids(tmp_path):
    one = textwrap.dedent(f"""\
        - type: mou
          parties: [LINK-J, kanagawa-prefecture]
          signed: "2020-09-18"
          {SOURCE}
        """)
    ds, _ = load(tmp_path, one * 2)
    assert ds.valid and len(ds.agreements) == 1
    ds, _ = load(tmp_path, one + one.replace("A release", "Another release"))
    (problem,) = ds.problems
    assert "duplicate id" in problem.message and "explicit id" in problem.message


def test_rejection_cascades_with_a_reason_and_keeps_the_rest(tmp_path):
    write(tmp_path, "bad-org.yaml", """\
        organizations:
          - id: one-nucleus
            name: One Nucleus
            kind: cluster
            country: Narnia
        """)
    ds, _ = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, One Nucleus]
          signed: "2017-12"
          {SOURCE}
        - type: mou
          parties: [LINK-J, kanagawa-prefecture]
          signed: "2020-09-18"
          {SOURCE}
        - id: later
          type: mou
          parties: [LINK-J, kanagawa-prefecture]
          renews: nowhere
          {SOURCE}
        """)
    assert len(ds.agreements) == 1 and len(ds.organizations) == 4
    text = "\n".join(messages(ds))
    assert "country: 'Narnia' is not an ISO 3166-1" in text
    assert "a record by that name was rejected at" in text and "bad-org.yaml:2" in text
    assert "renews: no agreement with id 'nowhere'" in text


def test_summary_counts(tmp_path):
    ds, _ = load(tmp_path, f"""\
        - type: mou
          parties: [LINK-J, kanagawa-prefecture]
          signed: "2020-09-18"
          {SOURCE}
        - type: mou
          parties: [Cell Therapy Catapult, kanagawa-prefecture]
          signed: "2015-11"
          {SOURCE}
        """)
    summary = summarize(ds)
    assert summary["records"]["agreement"] == 2
    assert summary["agreements_by_type"] == {"mou": 2}
    assert summary["agreements_by_country"] == {"GB": 1, "JP": 2}  # by hand: JP is in both
    assert summary["agreements_by_year"] == {"2015": 1, "2020": 1}


@pytest.mark.parametrize("name", ["missing.yaml", "notes.txt"])
def test_unreadable_inputs_are_named(tmp_path, name):
    target = tmp_path / name
    if name.endswith(".txt"):
        target.write_text("hello")
    ds = load_dataset([target])
    (problem,) = ds.problems
    assert problem.location.file == str(target)
