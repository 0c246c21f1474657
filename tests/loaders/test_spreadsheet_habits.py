"""Issue 17, section 8: what analysts type in spreadsheets, read in every input format.

Dates in words keep their precision, numeric day/month dates are read only when
unambiguous or when told the order, countries may be names, kinds any case, a
party cell with commas gets a hint, and edge lists (Kumu, Gephi) are agreements.
"""

from __future__ import annotations

import json
from pathlib import Path

import clusterkg
import pytest
from clusterkg.pipeline import load

ORGS = "id,name,aliases,kind,country\nlink-j,Life Science Innovation Network Japan,LINK-J,cluster,JP\n" \
       "medcity,MedCity,,cluster,GB\nkanagawa,Kanagawa Prefecture,,government,JP\n"


def folder(tmp_path: Path, agreements_csv: str, orgs: str = ORGS) -> Path:
    (tmp_path / "organizations.csv").write_text(orgs, encoding="utf-8")
    (tmp_path / "agreements.csv").write_text(agreements_csv, encoding="utf-8")
    return tmp_path


def messages(ds) -> list[str]:
    return [str(p) for p in ds.problems]


# -- dates ---------------------------------------------------------------------------------------

YAML = """\
organizations:
  - {id: link-j, name: LINK-J, kind: cluster, country: JP}
  - {id: medcity, name: MedCity, kind: cluster, country: GB}
agreements:
  - type: mou
    parties: [link-j, medcity]
    signed: June 2017
    sources:
      - title: t
        published: Nov. 15, 2019
"""


def test_june_2017_in_yaml(tmp_path):
    (tmp_path / "data.yaml").write_text(YAML, encoding="utf-8")
    ds = load(tmp_path / "data.yaml")
    assert ds.valid, messages(ds)
    (agreement,) = ds.agreements.values()
    assert (str(agreement.signed), agreement.signed.precision) == ("2017-06", "month")
    assert str(agreement.sources[0].published) == "2019-11-15"
    assert agreement.id == "mou-link-j-medcity-2017-06"


def test_june_2017_in_json(tmp_path):
    document = {
        "organizations": [{"id": "a", "name": "A", "kind": "cluster", "country": "JP"},
                          {"id": "b", "name": "B", "kind": "cluster", "country": "JP"}],
        "agreements": [{"type": "mou", "parties": ["a", "b"], "signed": "15 November 2019", "sources": [{"title": "t"}]}],
    }
    (tmp_path / "data.json").write_text(json.dumps(document), encoding="utf-8")
    ds = load(tmp_path / "data.json")
    assert ds.valid, messages(ds)
    assert [str(a.signed) for a in ds.agreements.values()] == ["2019-11-15"]


def test_june_2017_and_unambiguous_numeric_dates_in_csv(tmp_path):
    ds = load(folder(tmp_path, "type,parties,signed,end,source_title\n"
                               "mou,LINK-J; MedCity,June 2017,15/11/2019,t\n"
                               "mou,LINK-J; Kanagawa Prefecture,2017/06,Dec 2020,t\n"))
    assert ds.valid, messages(ds)
    dates = sorted((str(a.signed), a.signed.precision, str(a.end)) for a in ds.agreements.values())
    assert dates == [("2017-06", "month", "2019-11-15"), ("2017-06", "month", "2020-12")]


def test_ambiguous_numeric_date_in_csv_is_refused_with_the_reason(tmp_path):
    ds = load(folder(tmp_path, "type,parties,signed,source_title\nmou,LINK-J; MedCity,3/4/2019,t\n"))
    assert not ds.valid
    (message,) = messages(ds)
    assert message.startswith(f"{tmp_path / 'agreements.csv'}:2: signed: '3/4/2019' could be 3 April or 4 March 2019")
    assert "--dayfirst" in message


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, "2019-04-03"), (False, "2019-03-04")])
def test_day_order_given_to_load(tmp_path, dayfirst, expected):
    data = folder(tmp_path, "type,parties,signed,source_title\nmou,LINK-J; MedCity,3/4/2019,t\n")
    for ds in (load(data, dayfirst=dayfirst), clusterkg.load(str(data), dayfirst=dayfirst)):
        assert [str(a.signed) for a in ds.agreements.values()] == [expected]
    assert not load(data).valid  # the order was not left behind


def test_written_date_in_an_excel_text_cell(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    orgs = book.active
    orgs.title = "organizations"
    for row in [["id", "name", "kind", "country"], ["a", "A", "Cluster", "Japan"], ["b", "B", "cluster", "UK"]]:
        orgs.append(row)
    agreements = book.create_sheet("agreements")
    agreements.append(["type", "parties", "signed", "source_title"])
    agreements.append(["MoU", "a; b", "Jun 2017", "t"])
    book.save(tmp_path / "book.xlsx")
    ds = load(tmp_path / "book.xlsx")
    assert ds.valid, messages(ds)
    (agreement,) = ds.agreements.values()
    assert (str(agreement.signed), agreement.signed.precision) == ("2017-06", "month")
    assert [(o.kind, o.country) for o in ds.organizations.values()] == [("cluster", "JP"), ("cluster", "GB")]


# -- countries and kinds ------------------------------------------------------------------------


def test_country_names_and_kind_in_any_case_in_csv(tmp_path):
    orgs = ("id,name,kind,country\none-nucleus,One Nucleus,Cluster,UK\nlink-j,LINK-J,CLUSTER,Japan\n"
            "bio,BIO,Society,USA\nkhidi,KHIDI,Agency,South Korea\n")
    ds = load(folder(tmp_path, "type,parties,source_title\nmou,LINK-J; One Nucleus,t\n", orgs))
    assert ds.valid, messages(ds)
    assert {o.id: (o.kind, o.country) for o in ds.organizations.values()} == {
        "one-nucleus": ("cluster", "GB"), "link-j": ("cluster", "JP"), "bio": ("society", "US"),
        "khidi": ("agency", "KR"),
    }
    # UK is not the ISO code: a note, not an error, naming the row
    (warning,) = [str(w) for w in ds.warnings]
    assert warning.startswith(f"{tmp_path / 'organizations.csv'}:2: country: 'UK' read as GB")


def test_korea_alone_is_refused(tmp_path):
    ds = load(folder(tmp_path, "type,parties,source_title\nmou,LINK-J; MedCity,t\n",
                     ORGS + "khidi,KHIDI,,agency,Korea\n"))
    assert any("'Korea' could be South Korea (KR) or North Korea (KP)" in m for m in messages(ds))


# -- parties separated by commas ----------------------------------------------------------------


def test_comma_between_known_parties_gets_a_hint(tmp_path):
    ds = load(folder(tmp_path, 'type,parties,source_title\nmou,"LINK-J, MedCity",t\n'))
    (message,) = messages(ds)
    assert "a mou needs at least two parties" in message
    assert "separate parties with ';'" in message and "'LINK-J; MedCity'" in message


def test_comma_hint_when_the_joined_name_is_unknown(tmp_path):
    ds = load(folder(tmp_path, 'type,parties,source_title\nmou,"LINK-J, MedCity; Kanagawa Prefecture",t\n'))
    (message,) = messages(ds)
    assert "unknown organisation 'LINK-J, MedCity'" in message and "separate parties with ';'" in message


def test_comma_hint_in_yaml_says_list(tmp_path):
    (tmp_path / "data.yaml").write_text(YAML.replace("[link-j, medcity]", '"link-j, medcity"'), encoding="utf-8")
    (message,) = messages(load(tmp_path / "data.yaml"))
    assert "a mou needs at least two parties" in message and "[link-j, medcity]" in message


def test_no_comma_hint_when_a_part_is_unknown(tmp_path):
    ds = load(folder(tmp_path, 'type,parties,source_title\nmou,"LINK-J, Nowhere",t\n'))
    assert not any("separate parties" in m for m in messages(ds))


# -- edge lists ---------------------------------------------------------------------------------


def test_kumu_connections_sheet_is_read_as_agreements(tmp_path):
    (tmp_path / "organizations.csv").write_text(ORGS, encoding="utf-8")
    (tmp_path / "connections.csv").write_text(
        "From,To,Type,Date,Label,URL\n"
        "LINK-J,MedCity,MoU,June 2017,LINK-J and MedCity MoU,https://example.org/a\n"
        "Kanagawa Prefecture,LINK-J,,2020-09-18,,\n", encoding="utf-8")
    ds = load(tmp_path)
    assert ds.valid, messages(ds)
    by_parties = {tuple(sorted(p.organization for p in a.parties)): a for a in ds.agreements.values()}
    first = by_parties[("link-j", "medcity")]
    assert (first.type, str(first.signed), first.title) == ("mou", "2017-06", "LINK-J and MedCity MoU")
    assert first.sources[0].url == "https://example.org/a"
    second = by_parties[("kanagawa", "link-j")]
    assert second.type == "other"  # no type given: other, as the closed list has it
    assert second.sources[0].title == "connections.csv"  # no URL: the file it was read from


@pytest.mark.parametrize(("header", "type_cell"), [("Source,Target,Type", "Undirected"),
                                                   ("Party 1,Party 2,Type", "collaboration")])
def test_gephi_and_party_columns(tmp_path, header, type_cell):
    (tmp_path / "organizations.csv").write_text(ORGS, encoding="utf-8")
    (tmp_path / "edges.csv").write_text(f"{header},Weight\nLINK-J,MedCity,{type_cell},1\n", encoding="utf-8")
    ds = load(tmp_path)
    assert ds.valid, messages(ds)
    (agreement,) = ds.agreements.values()
    assert sorted(p.organization for p in agreement.parties) == ["link-j", "medcity"]
    assert agreement.type == ("other" if type_cell == "Undirected" else type_cell)  # Gephi's Type is the direction


def test_edge_list_sheet_in_excel(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    orgs = book.active
    orgs.title = "Organizations"
    for row in ORGS.strip().split("\n"):
        orgs.append(row.split(","))
    elements = book.create_sheet("Elements")  # Kumu's other sheet: left alone
    elements.append(["Label", "Type"])
    connections = book.create_sheet("Connections")
    connections.append(["From", "To", "Type"])
    connections.append(["LINK-J", "Kanagawa Prefecture", "partnership"])
    book.save(tmp_path / "kumu.xlsx")
    ds = load(tmp_path / "kumu.xlsx")
    assert ds.valid, messages(ds)
    (agreement,) = ds.agreements.values()
    assert agreement.type == "partnership"
    assert agreement.sources[0].title == "kumu.xlsx[Connections]"


def test_edge_list_missing_its_other_end(tmp_path):
    (tmp_path / "organizations.csv").write_text(ORGS, encoding="utf-8")
    (tmp_path / "connections.csv").write_text("From,Type\nLINK-J,mou\n", encoding="utf-8")
    (message,) = messages(load(tmp_path))
    assert "an edge list needs two party columns: 'from' and 'to'" in message
