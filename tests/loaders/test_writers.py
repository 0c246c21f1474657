"""Writing records: the shape of each format, and what a flat format cannot hold."""

from __future__ import annotations

import json

import openpyxl
import pytest
import yaml
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.writers import records_to_document, write
from clusterkg.model.records import Agreement, Organization, Person

LINK_J = Organization(id="link-j", name="Life Science Innovation Network Japan", aliases=["LINK-J"], kind="cluster", country="JP")
NORWAY = Organization(id="nsb", name="Norway Health Tech", kind="cluster", country="NO", names={"no": "Norsk helseteknologi"})
SHUTO = Person(id="kenji-shuto", name="Kenji Shuto", posts=[{"title": "Deputy Governor", "organization": "link-j"}])
MOU = Agreement(
    id="mou-1", type="mou", parties=["link-j", "nsb"], signed="2017-06", term="P5Y",
    signatories=[{"person": "kenji-shuto", "title": "Deputy Governor", "on_behalf_of": "link-j"}],
    sources=[{"title": "First", "publisher": "LINK-J"}, {"url": "https://example.org/second", "published": "2017"}],
)
RECORDS = [LINK_J, NORWAY, SHUTO, MOU]


def test_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="unknown format 'xml': use one of yaml, json, jsonl, csv, xlsx"):
        write(RECORDS, tmp_path / "x.xml", "xml")


def test_a_document_lists_records_by_kind_in_load_order():
    document = records_to_document([MOU, SHUTO, LINK_J])
    assert list(document) == ["organizations", "people", "agreements"]
    assert document["agreements"][0]["signed"] == "2017-06"


def test_yaml_keeps_dates_and_country_codes_as_text(tmp_path):
    (path,) = write(RECORDS, tmp_path / "data.yml", "yml")
    text = path.read_text(encoding="utf-8")
    assert "published: '2017'" in text and "country: 'NO'" in text  # quoted: not a number, not False
    document = yaml.safe_load(text)
    assert document["organizations"][1]["country"] == "NO"
    assert document["agreements"][0]["signed"] == "2017-06"  # YAML reads only full dates as dates


def test_json_and_json_lines(tmp_path):
    (path,) = write(RECORDS, tmp_path / "data.json", "json")
    assert json.loads(path.read_text(encoding="utf-8"))["people"][0]["id"] == "kenji-shuto"
    (path,) = write(RECORDS, tmp_path / "data.jsonl", "jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(line["record"], line["id"]) for line in lines] == [
        ("organization", "link-j"), ("organization", "nsb"), ("person", "kenji-shuto"), ("agreement", "mou-1"),
    ]


def test_csv_writes_one_file_per_kind_and_extra_sources_apart(tmp_path):
    paths = write(RECORDS, tmp_path / "out", "csv")
    assert [p.name for p in paths] == ["organizations.csv", "people.csv", "agreements.csv", "sources.csv"]
    agreements = (tmp_path / "out" / "agreements.csv").read_text(encoding="utf-8").splitlines()
    assert agreements[1].startswith("mou-1,mou,,link-j; nsb,| Deputy Governor | link-j | kenji-shuto,2017-06,,,,P5Y,")
    assert (tmp_path / "out" / "sources.csv").read_text(encoding="utf-8").splitlines() == [
        "agreement,id,title,publisher,url,published,accessed,evidence",
        "mou-1,,,,https://example.org/second,2017,,",  # the derived source id is not written
    ]
    ds = load_dataset([tmp_path / "out"])
    assert ds.valid and ds.agreements["mou-1"] == MOU


def test_csv_removes_files_left_from_an_earlier_write(tmp_path):
    write(RECORDS, tmp_path, "csv")
    write([LINK_J], tmp_path, "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["organizations.csv"]


def test_csv_leaves_the_folder_as_it_was_when_a_record_does_not_fit(tmp_path):
    write(RECORDS, tmp_path, "csv")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    unnamed = Agreement(type="funding", parties=["link-j"], sources=[{"title": "a"}, {"title": "b"}])
    with pytest.raises(ValueError, match="agreement between link-j has 2 sources but no id"):
        write([NORWAY, unnamed], tmp_path, "csv")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_only_agreements_may_have_several_sources_in_flat_formats(tmp_path):
    org = LINK_J.model_copy(update={"sources": MOU.sources})
    for fmt, target in [("csv", tmp_path / "out"), ("xlsx", tmp_path / "book.xlsx")]:
        with pytest.raises(ValueError, match="organization 'link-j' has 2 sources, but CSV and Excel hold one source"):
            write([org], target, fmt)
    assert not (tmp_path / "book.xlsx").exists()


def test_xlsx_writes_text_cells_never_formulas(tmp_path):
    formula = LINK_J.model_copy(update={"name": "=HYPERLINK(\"http://evil\")", "description": "1\r\n2"})
    (path,) = write([formula, MOU, SHUTO, NORWAY], tmp_path / "book.xlsx", "xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["organizations", "people", "agreements", "sources"]
    cell = workbook["organizations"]["B2"]
    assert (cell.value, cell.data_type) == (formula.name, "s")
    assert workbook["agreements"]["F2"].value == "2017-06"  # dates as text, keeping their precision
    ds = load_dataset([path])
    assert ds.organizations["link-j"].description == "1\n2"  # a line break is written as "\n"
    assert ds.agreements["mou-1"] == MOU


@pytest.mark.parametrize("bad", ["bell\x07", "not\uffffxml"])
def test_xlsx_refuses_characters_a_workbook_cannot_store(tmp_path, bad):
    with pytest.raises(ValueError, match="organization link-j: column 'description' holds a"):
        write([LINK_J.model_copy(update={"description": bad})], tmp_path / "book.xlsx", "xlsx")


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl", "xlsx"])
def test_no_records_read_back_as_no_records(tmp_path, fmt):
    (path,) = write([], tmp_path / f"empty.{fmt}", fmt)
    ds = load_dataset([path])
    assert len(ds) == 0 and ds.valid, [str(p) for p in ds.problems]


def test_no_records_as_csv_is_no_files(tmp_path):
    assert write([], tmp_path / "out", "csv") == []
    assert list((tmp_path / "out").iterdir()) == []


def test_writing_a_generator_streams_it(tmp_path):
    (path,) = write((org for org in [LINK_J, NORWAY]), tmp_path / "data.jsonl", "jsonl")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
