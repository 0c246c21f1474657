"""Bad input to `clusterkg extract` (issue 11): each file that cannot be read gets one clear message
naming it, and the other files are still read. The texts are invented for these tests."""

import json

import pytest
from click.testing import CliRunner
from clusterkg.cli import main
from clusterkg.loaders.press import document as document_module
from clusterkg.loaders.press.candidates import extract_files
from clusterkg.loaders.press.document import read_document
from clusterkg.model.problems import InputError

GOOD = "Orion Cluster signed a memorandum of understanding with Vega University on 4 May 2021.\n"


def problem_of(path):
    with pytest.raises(InputError) as caught:
        read_document(path)
    (problem,) = caught.value.problems
    assert str(path) in str(problem)
    return problem.message


def test_an_empty_file_or_only_whitespace(tmp_path):
    for name, content in (("empty.txt", b""), ("blank.txt", b" \n\n\t\n")):
        (tmp_path / name).write_bytes(content)
        assert "empty" in problem_of(tmp_path / name)


@pytest.mark.parametrize("content, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (b"some words\x00\x01\x02\x03 and more", "binary"),
])
def test_binary_files_are_named_for_what_they_are(tmp_path, content, kind):
    path = tmp_path / "release.txt"  # the suffix says text; the bytes do not
    path.write_bytes(content)
    message = problem_of(path)
    assert kind in message and "convert" in message


def test_text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Zürich Biotech Forum signed a memorandum of understanding with Lyon Santé on 3 June 2020.".encode("cp1252"))
    doc = read_document(path)
    assert "Zürich Biotech Forum" in doc.text and "Lyon Santé" in doc.text
    (warning,) = doc.warnings
    assert str(path) in warning and "not UTF-8" in warning


def test_utf16_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(GOOD.encode("utf-16"))
    assert read_document(path).text == GOOD.strip()


def test_a_very_large_file_is_read_up_to_the_limit_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(document_module, "MAX_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_text(GOOD + "Filler words for a long page. " * 200, encoding="utf-8")
    doc = read_document(path)
    assert doc.text.startswith("Orion Cluster") and len(doc.text) <= 1000
    (warning,) = doc.warnings
    assert "very large" in warning and "first 1,000 bytes" in warning


def test_html_keeps_the_article_and_drops_scripts_and_navigation(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>News</title><script>var s = 'Cygnus Park signed an MoU with Lyra Hub on 1 May 2020';</script>"
        "<style>p {color: red}</style></head><body><nav><a href='/'>Home</a> Cygnus Park and Lyra Hub signed an MoU</nav>"
        "<div class='sidebar'>Related: Pavo Labs signed a letter of intent with Ara Institute</div>"
        f"<article><h1>Orion and Vega sign</h1><p>{GOOD}</p></article>"
        "<footer>Copyright</footer></body></html>", encoding="utf-8")
    (result,) = extract_files([path])
    assert "Cygnus" not in result.document.text and "Pavo" not in result.document.text
    assert [set(c.parties) for c in result.candidates] == [{"Orion Cluster", "Vega University"}]


def test_html_with_nothing_but_markup_is_a_problem(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav>Home | News</nav><script>x()</script></body></html>", encoding="utf-8")
    assert "no text" in problem_of(path)


def test_the_command_reads_every_other_file_and_exits_1(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-scan.txt").write_bytes(b"%PDF-1.4\n\x00\x00")
    (folder / "d-latin.txt").write_bytes("Åland Bio signed a memorandum of understanding with Nord Pharma Forum.".encode("cp1252"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(folder), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["file"] for line in lines] == ["a-good.txt", "d-latin.txt"]  # the readable ones, all of them
    assert lines[0]["agreements"][0]["parties"] == ["Orion Cluster", "Vega University"]
    messages = result.output
    assert "b-empty.txt: empty file" in messages and "c-scan.txt: not text: a PDF document" in messages
    assert "d-latin.txt:1: not UTF-8" in messages and "2 file(s) could not be read" in messages
