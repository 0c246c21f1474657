"""CSV files: every kind of column, line numbers, and errors that name the file and line.

The fixture folder tests/fixtures/csv was written by hand: each expected value
below was read off it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clusterkg.loaders import columns
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.csvfiles import format_row, read_csv
from clusterkg.model.problems import InputError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "csv"

ORG_HEADER = "id,name,kind,country\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_csv(path)
    return caught.value


def by_id(records):
    return {r.data.get("id"): r for r in records}


# -- the fixture, column by column --------------------------------------------------


def test_the_fixture_folder_loads_without_a_problem():
    ds = load_dataset([FIXTURES])
    assert ds.valid, [str(p) for p in ds.problems]
    # Counted by hand in the six files.
    assert {kind: len(records) for kind, records in ds.collections().items()} == {
        "organization": 6, "person": 1, "programme": 1, "event": 1, "agreement": 2,
    }


def test_organizations_columns():
    orgs = by_id(read_csv(FIXTURES / "organizations.csv"))
    link_j, kanagawa, cgt = orgs["link-j"].data, orgs["kanagawa-prefecture"].data, orgs["cgt-catapult"].data
    assert link_j["names"] == {"ja": "一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン"}
    assert link_j["description"] == "A network of life-science\ncompanies; founded 2016"  # multi-line, ';' literal
    assert link_j["sources"] == [{
        "title": "About LINK-J", "publisher": "LINK-J", "url": "https://www.link-j.org/en/about/", "published": "2016-03",
    }]
    assert kanagawa["names"] == {"ja": "神奈川県", "de": "Präfektur Kanagawa"}
    assert kanagawa["aliases"] == ["Kanagawa"] and kanagawa["wikidata"] == "Q127513"
    assert cgt["aliases"] == ["CGT Catapult", "Catapult; CGT"]  # "\;" is a ';' inside a value
    assert cgt["member_of"] == ["UK Catapult Network"]
    assert (cgt["predecessor"], cgt["renamed"]) == ("Cell Therapy Catapult", "2016")
    assert orgs["jetro"].data["description"] == 'Japan\'s trade agency, "JETRO"'  # quotes doubled in the file
    assert "sources" not in kanagawa and "region" not in cgt  # empty cells are left out


def test_agreements_columns():
    first, second = read_csv(FIXTURES / "agreements.csv")
    assert first.data["parties"] == [
        {"organization": "LINK-J", "role": "coordinator"}, {"organization": "Kanagawa Prefecture"},
    ]
    assert first.data["signatories"] == [
        {"name": "Kenji Shuto", "title": "Deputy Governor", "on_behalf_of": "Kanagawa Prefecture"},
        {"name": "Hiroshi Sato", "on_behalf_of": "LINK-J"},  # the empty title is left out
    ]
    assert first.data["scope"] == ["regenerative medicine", "digital health"]
    assert first.data["activities"] == ["joint seminars"]
    assert first.data["term"] == "P3Y" and first.data["status"] == "active"
    assert first.data["sources"] == [{
        "title": "LINK-J and Kanagawa sign MoU", "publisher": "LINK-J",
        "url": "https://www.link-j.org/en/news/2020-09-18", "published": "2020-09-20",
        "evidence": '"LINK-J and Kanagawa\nPrefecture signed a memorandum"', "accessed": "2021-01-05",
    }]
    assert "id" not in second.data and second.data["signed"] == "2017-06"
    assert second.data["notes"] == "First; tentative"  # a single-valued cell is taken literally


def test_people_programmes_events_and_sources():
    (person,) = read_csv(FIXTURES / "people.csv")  # this file starts with a byte-order mark
    assert person.data["id"] == "kenji-shuto"
    assert person.data["names"] == {"ja": "首藤健治"}
    assert person.data["posts"] == [
        {"title": "Deputy Governor", "organization": "Kanagawa Prefecture", "start": "2019-04"},
        {"title": "Advisor", "organization": "LINK-J", "start": "2015", "end": "2018"},
    ]
    (programme,) = read_csv(FIXTURES / "programmes.csv")
    assert programme.data["aliases"] == ["RIT", "JETRO RIT"] and programme.data["start"] == "2008"
    (event,) = read_csv(FIXTURES / "events.csv")
    assert event.data["participants"] == [{"organization": "LINK-J", "role": "exhibitor"}, {"organization": "Kanagawa Prefecture"}]
    (source,) = read_csv(FIXTURES / "sources.csv")
    assert source.type == "source" and source.data["agreement"] == "mou-link-j-kanagawa-2020"


def test_sources_csv_adds_sources_to_agreements():
    ds = load_dataset([FIXTURES])
    agreement = ds.agreements["mou-link-j-kanagawa-2020"]
    assert [s.title for s in agreement.sources] == ["LINK-J and Kanagawa sign MoU", "Kanagawa press release"]
    assert str(agreement.signed) == "2020-09-18" and agreement.signed.precision == "day"
    loi = next(a for a in ds.agreements.values() if a.type == "loi")
    assert str(loi.signed) == "2017-06" and loi.signed.precision == "month"  # a month stays a month


def test_line_numbers_count_multi_line_cells_and_blank_lines():
    orgs = by_id(read_csv(FIXTURES / "organizations.csv"))
    # link-j's description spans lines 2-3, line 5 is blank.
    assert {key: raw.location.line for key, raw in orgs.items()} == {
        "link-j": 2, "kanagawa-prefecture": 4, "cgt-catapult": 6, "cell-therapy-catapult": 7,
        "catapult-network": 8, "jetro": 9,
    }
    first, second = read_csv(FIXTURES / "agreements.csv")
    assert (first.location.line, second.location.line) == (2, 4)  # the evidence spans lines 2-3


def test_a_problem_in_a_row_after_a_multi_line_cell_names_its_line(tmp_path):
    path = write(tmp_path, "organizations.csv", ORG_HEADER + 'a,"A\n\nwith lines",cluster,JP\nb,B,cluster,XX\n')
    ds = load_dataset([path])
    (problem,) = ds.problems
    assert str(problem).startswith(f"{path}:5: country: 'XX' is not an ISO 3166-1")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_utf8_with_or_without_bom_and_any_line_ending(tmp_path, bom, newline):
    text = ORG_HEADER + 'kanagawa,"神奈川県\nKanagawa",government,JP\nlink-j,LINK-J,cluster,JP\n'
    path = tmp_path / "organizations.csv"
    path.write_bytes(bom + text.replace("\n", newline).encode("utf-8"))
    first, second = read_csv(path)
    assert first.data == {"id": "kanagawa", "name": f"神奈川県{newline}Kanagawa", "kind": "government", "country": "JP"}
    assert (first.location.line, second.location.line) == (2, 4)


def test_headers_ignore_case_spaces_and_dashes(tmp_path):
    path = write(tmp_path, "organizations.csv", " ID ,Name,KIND,Country,Source Title,source-url\nx,X,cluster,JP,T,https://x.org\n")
    (raw,) = read_csv(path)
    assert raw.data["sources"] == [{"title": "T", "url": "https://x.org"}]


@pytest.mark.parametrize("name", ["2020-agreements.csv", "linkj.agreements.csv", "Agreements.csv", "agreement.csv"])
def test_file_names_may_have_a_prefix_and_any_case(tmp_path, name):
    (raw,) = read_csv(write(tmp_path, name, "type,parties\nmou,A; B\n"))
    assert raw.type == "agreement"


def test_a_header_only_file_holds_no_records(tmp_path):
    assert read_csv(write(tmp_path, "organizations.csv", ORG_HEADER)) == []


# -- cells --------------------------------------------------------------------------


def test_escapes_in_multi_valued_cells():
    assert columns.LIST.decode(r"a\;b; c\\; d") == (["a;b", "c\\", "d"], [])
    assert columns.LIST.encode(["a;b", "c\\", "d"]) == r"a\;b; c\\; d"
    assert columns.LIST.decode(r"C:\path; x") == ([r"C:\path", "x"], [])  # other backslashes are kept
    assert columns.LIST.decode(" ; ;") == (None, [])


def test_party_cells():
    assert columns.ROLES.decode(r"A [lead]; B\[1\] ; C [co\]lead]") == (
        [{"organization": "A", "role": "lead"}, {"organization": "B[1]"}, {"organization": "C", "role": "co]lead"}], [],
    )
    value, problems = columns.ROLES.decode("A [lead; B ]x[; [r]; C [r] x")
    assert value is None
    assert [p.split(" ", 2)[1] for p in problems] == ["1", "2", "3", "4"]
    assert "without a closing ']'" in problems[0] and "no organisation" in problems[2] and "after the ']'" in problems[3]


def test_signatory_cells():
    assert columns.SIGNATORIES.decode("Yuji Kuroiwa | Governor | Kanagawa; | CEO | CTC | keith-thompson") == (
        [{"name": "Yuji Kuroiwa", "title": "Governor", "on_behalf_of": "Kanagawa"},
         {"title": "CEO", "on_behalf_of": "CTC", "person": "keith-thompson"}], [],
    )
    assert columns.SIGNATORIES.encode([{"person": "keith-thompson", "on_behalf_of": "CTC"}]) == "|  | CTC | keith-thompson"
    value, problems = columns.SIGNATORIES.decode("Yuji Kuroiwa | Kanagawa; | Governor | Kanagawa; A | B | | x")
    assert value is None
    assert "has 2 parts" in problems[0] and "has no name or person" in problems[1] and "has no on_behalf_of" in problems[2]


def test_post_and_names_cells():
    assert columns.POSTS.decode("CEO | CTC | 2012 ; Chair | LINK-J | | 2020") == (
        [{"title": "CEO", "organization": "CTC", "start": "2012"},
         {"title": "Chair", "organization": "LINK-J", "end": "2020"}], [],
    )
    assert columns.POSTS.decode("CEO")[1] == [
        "entry 1 'CEO' has 1 part separated by '|'; expected 'title | organisation | start | end' entries "
        "separated by ';' (start and end are optional)"
    ]
    assert columns.NAMES.decode(r"ja=神奈川県; de=a\=b=c") == ({"ja": "神奈川県", "de": "a=b=c"}, [])
    _, problems = columns.NAMES.decode("神奈川県; ja=x; ja=y; =z")
    assert ["has no '='" in problems[0], "second time" in problems[1], "both" in problems[2]] == [True] * 3


def test_malformed_cells_are_reported_at_their_row_and_column(tmp_path):
    path = write(tmp_path, "agreements.csv", "type,parties,source_title\nmou,A [lead; B,T\n")
    (raw,) = read_csv(path)
    (problem,) = raw.problems
    assert str(problem) == (
        f"{path}:2: parties: entry 1 'A [lead' has '[' without a closing ']'; expected 'Organisation name [role]' "
        "entries separated by ';' (the role is optional; write \\[ for a literal '[')"
    )
    ds = load_dataset([path])
    assert str(ds.problems[0]) == str(problem)


def test_a_value_under_no_header(tmp_path):
    path = write(tmp_path, "organizations.csv", "id,name,,kind,country\nx,X,oops,cluster,JP,extra\n")
    (raw,) = read_csv(path)
    assert [str(p) for p in raw.problems] == [
        f"{path}:2: a value in column 3, which has no header: 'oops' (in organization x)",
        f"{path}:2: a value in column 6, which has no header: 'extra' (in organization x)",
    ]


def test_every_problem_of_a_row_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "organizations.csv", ORG_HEADER + "ok,OK,cluster,JP\nBad Id,,planet,XX\n")
    ds = load_dataset([path])
    assert list(ds.organizations) == ["ok"]
    assert sorted(p.field for p in ds.problems) == ["country", "id", "kind", "name"]
    assert all(str(p).startswith(f"{path}:3: ") for p in ds.problems)


# -- broken files ---------------------------------------------------------------------


def test_wrong_encoding_names_file_and_line(tmp_path):
    path = write(tmp_path, "organizations.csv", ORG_HEADER + "a,A,cluster,JP\nb,Café,cluster,FR\n", "latin-1")
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}:3: not UTF-8 text (byte 0xe9")
    assert "save the file as UTF-8" in problem.message


def test_a_truncated_file_names_the_line_the_open_cell_starts(tmp_path):
    path = write(tmp_path, "organizations.csv", ORG_HEADER + 'a,A,cluster,JP\nb,"B is cut\nshort')
    error = error_of(path)
    (problem,) = error.problems
    assert str(problem).startswith(f"{path}:3: a quoted cell that starts in the row at line 3 is not closed")
    assert "line 4" in problem.message
    assert [r.data["id"] for r in error.partial] == ["a"]  # the rows before it are still read
    ds = load_dataset([path])
    assert list(ds.organizations) == ["a"] and not ds.valid


def test_a_stray_quote(tmp_path):
    path = write(tmp_path, "organizations.csv", ORG_HEADER + 'a,"A"B,cluster,JP\n')
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}:2: not valid CSV in the row starting at line 2")


def test_unknown_column_suggests_the_closest(tmp_path):
    path = write(tmp_path, "organizations.csv", "id,name,kind,contry\n")
    problems = [str(p) for p in error_of(path).problems]
    assert problems[0].startswith(f"{path}:1: unknown column 'contry' (did you mean 'country'?); the columns of organizations.csv are: id, name,")
    assert problems[1].startswith(f"{path}:1: the required column 'country' is missing")


def test_missing_required_column(tmp_path):
    path = write(tmp_path, "agreements.csv", "\n\ntype,signed\n")
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}:3: the required column 'parties' is missing")


def test_a_column_twice(tmp_path):
    path = write(tmp_path, "people.csv", "id,name,Name\n")
    (problem,) = error_of(path).problems
    assert str(problem) == f"{path}:1: column 'name' appears twice"


@pytest.mark.parametrize("sep, said", [(";", "';'"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs(tmp_path, sep, said):
    path = write(tmp_path, "organizations.csv", sep.join(["id", "name", "kind", "country"]) + "\nx;X;cluster;JP\n")
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}:1: the header has one column")
    assert f"seems to separate its columns with {said}" in problem.message


@pytest.mark.parametrize("name, hint", [("stuff.csv", ""), ("agreemnts.csv", " (did you mean agreements.csv?)")])
def test_a_file_name_that_says_nothing(tmp_path, name, hint):
    path = write(tmp_path, name, ORG_HEADER)
    (problem,) = error_of(path).problems
    assert str(problem) == (
        f"{path}: cannot tell what records this CSV holds{hint}: name it organizations.csv, agreements.csv, "
        "people.csv, programmes.csv, events.csv or sources.csv"
    )


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n", b",,\n"], ids=["empty", "bom", "blank", "commas"])
def test_an_empty_file(tmp_path, content):
    path = tmp_path / "agreements.csv"
    path.write_bytes(content)
    (problem,) = error_of(path).problems
    assert str(problem) == f"{path}: the file is empty: the first line must name the columns (id, type, title, parties, ...)"


def test_a_broken_file_does_not_stop_the_others(tmp_path):
    write(tmp_path, "organizations.csv", ORG_HEADER + "a,A,cluster,JP\nb,B,cluster,JP\n")
    broken = write(tmp_path, "agreements.csv", "type;parties\n")
    ds = load_dataset([tmp_path])
    assert sorted(ds.organizations) == ["a", "b"]
    (problem,) = ds.problems
    assert problem.location.file == str(broken) and problem.location.line == 1


def test_an_unknown_source_row_names_its_line(tmp_path):
    path = write(tmp_path, "sources.csv", "agreement,title\nno-such-agreement,T\n")
    ds = load_dataset([path])
    (problem,) = ds.problems
    assert str(problem) == f"{path}:2: agreement: no agreement with this id in the input"


# -- writing cells ----------------------------------------------------------------------


def test_format_row_quotes_what_needs_it():
    assert format_row(["a", "", 'say "hi"', "x,y", "line\nbreak", "cr\ronly"]) == (
        'a,,"say ""hi""","x,y","line\nbreak","cr\ronly"\n'
    )


def test_tables_cover_every_field_of_the_model():
    from clusterkg.model.records import RECORD_TYPES

    for kind, cls in RECORD_TYPES.items():
        assert columns.TABLES[kind].fields == set(cls.model_fields), kind
    assert {c.sub for c in columns.TABLES["agreement"].columns if c.sub} == set(columns.SOURCE_KEYS)


# -- docs/formats.md is accurate against the columns ---------------------------------------

DOC = Path(__file__).parent.parent.parent / "docs" / "formats.md"


def _sections(text: str) -> dict[str, str]:
    parts = text.split("\n### ")
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def test_the_format_docs_name_every_column_of_every_file():
    sections = _sections(DOC.read_text(encoding="utf-8"))
    for table in columns.TABLES.values():
        section = sections[f"{table.file}.csv"]
        missing = [
            name for name in table.names
            if f"`{name}`" not in section and not (name.startswith("source_") and "`source_*`" in section)
        ]
        assert not missing, f"docs/formats.md, section {table.file}.csv, does not name {missing}"
    cells = sections["Cells"]
    assert all(f"`{c.name}`" in cells for c in columns.TABLES["agreement"].columns if c.sub)


def test_the_examples_in_the_format_docs_read_without_a_problem(tmp_path):
    from clusterkg.loaders.documents import read_jsonl, read_yaml
    from clusterkg.loaders.parse import parse

    text = DOC.read_text(encoding="utf-8")
    raws = []
    for title, section in _sections(text).items():
        if title.endswith(".csv"):
            (block,) = [b.split("\n", 1)[1] for b in section.split("```")[1::2] if b.startswith("csv")]
            path = write(tmp_path, title, block)
            raws += read_csv(path)
    (yaml_block,) = [b.split("\n", 1)[1] for b in text.split("```")[1::2] if b.startswith("yaml")]
    raws += read_yaml(write(tmp_path, "doc.yaml", yaml_block))
    (jsonl_block,) = [b.split("\n", 1)[1] for b in text.split("```")[1::2] if b.startswith("json\n")]
    raws += read_jsonl(write(tmp_path, "doc.jsonl", jsonl_block))
    assert {r.type for r in raws} == {"organization", "person", "programme", "event", "agreement", "source"}
    for raw in raws:
        assert not raw.problems, raw.problems
        if raw.type != "source":
            record, problems = parse(raw)
            assert not problems, [str(p) for p in problems]
