"""Values in FalkorDB's parameter header: any text written by the batch path reads back equal.

The one place values enter Cypher text is the ``CYPHER rows=<literal> ...``
prefix that :meth:`FalkorGraph.write_batches` builds with :func:`cypher_literal`
(FalkorDB's own parser reads it back). Hypothesis writes arbitrary text through
that path into a real embedded server and reads it back with an ordinary query.
One server for this module, ~50 examples per property, so it stays fast.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from clusterkg.graph.cypher.falkor import EmbeddedServer, cypher_literal
from clusterkg.graph.cypher.falkor.literal import has_nul
from clusterkg.graph.cypher.load import SchemaKeyError, _columns, check_keys
from clusterkg.model.problems import ClusterKGError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

#: Texts that have broken Cypher literal encoders somewhere: quotes, escapes, the end of a map,
#: a parameter sign, line and paragraph separators, NUL and other controls, RTL, emoji.
NASTY = [
    "", "'", '"', "\\", "\\\\", '\\"', "\\'", "\\u0041", "\\n", "}", "{", "]", "$x", "$rows", "`",
    "a\nb", "a\r\nb", "\t", "\x00", "a\x00b", "\x01\x1f\x7f", "\u2028", "\u2029", "\u0085", "\ufeff",
    "\u202eRTL\u202c", "שלום", "مرحبا", "😀", "👩‍🔬", "𝄞", "x'}) DETACH DELETE n //",
    '"}] MATCH (n) DETACH DELETE n //', "\\u00", "\\u0000", "/* */", "// c", "CYPHER rows=1",
]

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    with EmbeddedServer(tmp_path_factory.mktemp("literal")) as server:
        g = server.graph("literal")
        yield g
        g.delete()


def _write_and_read(graph, values: list) -> list | None:
    """Write ``values`` through the batch path and read them back; None when refused (a NUL)."""
    graph.delete()
    rows = [[i, value] for i, value in enumerate(values)]
    statement = "UNWIND $rows AS row CREATE (:T {i: row[0], v: row[1]})"
    if has_nul(values):
        # FalkorDB keeps texts as C strings: a NUL is refused in words, and its batch is not sent
        # (the batches before it are: each batch is its own transaction).
        with pytest.raises(ClusterKGError, match=r"cannot store text holding a NUL character \(U\+0000\), in the row"):
            graph.write_batches(statement, rows, batch_size=7)
        first = next(i for i, value in enumerate(values) if has_nul(value))
        assert graph.read("MATCH (n:T) RETURN count(n) AS n") == [{"n": first // 7 * 7}]
        return None
    graph.write_batches(statement, rows, batch_size=7)
    got = graph.read("MATCH (n:T) RETURN n.i AS i, n.v AS v ORDER BY i")
    return [row["v"] for row in got]


def _round_trip(graph, values: list) -> None:
    got = _write_and_read(graph, values)
    assert got is None or got == values


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_each_nasty_text_reads_back_equal(graph, text):
    _round_trip(graph, [text, [text, text + "x"]])


def test_a_nul_is_refused_and_names_its_row(graph):
    assert _write_and_read(graph, ["fine", "a\x00b"]) is None
    with pytest.raises(ClusterKGError, match=r"in the row \[1, 'a\\x00b'\]"):
        graph.write_batches("UNWIND $rows AS row CREATE (:T {v: row[1]})", [[0, "ok"], [1, "a\x00b"]])
    with pytest.raises(ClusterKGError, match=r"parameter text: FalkorDB cannot store"):
        graph.read("RETURN $text AS t", {"text": "\x00"})


@SETTINGS
@given(st.lists(st.text(), min_size=1, max_size=12))
@example(NASTY)
@example([t for t in NASTY if "\x00" not in t])
def test_any_text_reads_back_equal(graph, texts):
    _round_trip(graph, texts)


@SETTINGS
@given(st.lists(st.lists(st.one_of(st.text(), st.integers(-2**63, 2**63 - 1), st.booleans()), max_size=4),
                min_size=1, max_size=8))
def test_lists_and_numbers_read_back_equal(graph, values):
    _round_trip(graph, values)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["id", "name", "aliases", "title"]), st.text(), min_size=1))
def test_maps_with_schema_keys_read_back_equal(graph, props):
    graph.delete()
    if has_nul(props):
        with pytest.raises(ClusterKGError, match="NUL character"):
            graph.write_batches("UNWIND $rows AS row CREATE (n:T) SET n = row", [props])
        return
    graph.write_batches("UNWIND $rows AS row CREATE (n:T) SET n = row", [props])
    assert graph.read("MATCH (n:T) RETURN properties(n) AS p") == [{"p": props}]


@SETTINGS
@given(st.text().filter(lambda t: "\x00" not in t))
def test_any_text_as_a_read_parameter_comes_back_equal(graph, text):
    # Reads and single writes take the same header: the parameter travels the same way.
    graph.write("CREATE (:T)")
    assert graph.read("MATCH (n:T) RETURN $text AS t LIMIT 1", {"text": text}) == [{"t": text}]


def test_the_literal_is_one_token_stream_whatever_the_text():
    # The literal of a text starts and ends with its quote, and no quote inside is left unescaped.
    literal = cypher_literal(['"}] MATCH (n) DETACH DELETE n //'])
    assert literal == '["\\"}] MATCH (n) DETACH DELETE n //"]'


def test_a_key_outside_the_schema_is_refused():
    with pytest.raises(SchemaKeyError, match=r"'name}\) SET n.x = 1 //' is not in the graph schema"):
        _columns([{"id": "a", "name}) SET n.x = 1 //": "v"}], ("id",))
    check_keys(["id", "name", "aliases"])  # schema keys pass


def test_the_key_check_survives_python_O():
    # An assert would vanish under -O; the check must not.
    code = ("from clusterkg.graph.cypher.load import check_keys, SchemaKeyError\n"
            "try:\n    check_keys(['evil} //'])\nexcept SchemaKeyError:\n    print('refused')\n")
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "refused"
