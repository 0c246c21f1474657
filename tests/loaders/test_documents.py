"""YAML, JSON and JSON Lines readers: records, lines, and clear errors."""

import json

import pytest
from clusterkg.loaders.documents import read_json, read_jsonl, read_yaml
from clusterkg.model.problems import InputError
from hypothesis import given, settings
from hypothesis import strategies as st

YAML_DOC = """\
organizations:
  - id: norway-health
    name: Norway Health Tech
    kind: cluster
    country: NO
agreements:
  - type: mou
    parties: [norway-health, link-j]
    signed: 2020-09-18
    sources:
      - title: A release
"""


def test_yaml_records_know_their_lines(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(YAML_DOC, encoding="utf-8")
    org, agreement = read_yaml(path)
    assert (org.type, org.location.line) == ("organization", 2)
    # YAML 1.1 would read NO (Norway) as false; it must stay text
    assert org.data["country"] == "NO"
    assert (agreement.type, agreement.location.line) == ("agreement", 7)
    assert agreement.field_lines["signed"] == 9
    assert agreement.locate("sources[0].title") .line == 10


def test_json_records_know_their_lines(tmp_path):
    path = tmp_path / "a.json"
    doc = {"organizations": [{"id": "a", "name": "A", "kind": "cluster", "country": "JP"}],
           "agreements": [{"type": "mou", "parties": ["a", "b"], "sources": [{"title": "t"}]}]}
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    org, agreement = read_json(path)
    assert org.location.line == 3  # by hand: line 1 '{', 2 '"organizations": [', 3 '{'
    assert agreement.location.line == 11
    assert agreement.field_lines["parties"] == 13


def test_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"record": "organization", "id": "a", "name": "A", "kind": "cluster", "country": "JP"}\n'
        "{not json\n"
        '{"record": "spaceship"}\n'
        "\n"
        '{"record": "organization", "id": "b", "name": "B", "kind": "cluster", "country": "JP"}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_jsonl(path)
    assert [str(p).split(": ")[0] for p in caught.value.problems] == [f"{path}:2", f"{path}:3"]
    assert "'record' must be one of" in str(caught.value.problems[1])
    assert [r.data["id"] for r in caught.value.partial] == ["a", "b"]
    assert caught.value.partial[1].location.line == 5


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("organizations:\n  - id: a\n    name: [unclosed\n", 4, "not valid YAML"),
        ("- just\n- a list\n", 1, "expected a mapping"),
        ("people:\n  - x\n", 1, "people[0] must be a mapping"),
        ("companies: []\n", 1, "unknown section 'companies'"),
        ("agreements: 3\n", 1, "must be a list"),
        ("", None, "the file is empty"),
    ],
)
def test_broken_yaml_is_named_with_its_line(tmp_path, text, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    problem = caught.value.problems[0]
    assert problem.location.file == str(path)
    assert problem.location.line == line
    assert words in problem.message


def test_wrong_encoding_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("organizations:\n  - name: Zürich\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    assert str(caught.value.problems[0]).startswith(f"{path}:2: not UTF-8")


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + YAML_DOC.encode())
    assert len(read_yaml(path)) == 2


def test_broken_json_names_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "agreements": [\n    {"type": "mou",}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_json(path)
    assert caught.value.problems[0].location.line == 3


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_no_input_crashes_the_readers(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    for name, reader in (("x.yaml", read_yaml), ("x.json", read_json), ("x.jsonl", read_jsonl)):
        path = folder / name
        path.write_bytes(data)
        try:
            reader(path)
        except InputError as error:
            assert error.problems and all(p.location.file == str(path) for p in error.problems)
