"""`clusterkg analyze` and the metrics build step, on the sample data in data/.

The numbers checked here come from the Python API (tested against sna, networkx
and hand calculations in tests/graph/analysis); these tests check the command
line around it: formats, filters, notes on stderr, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterkg.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = str(ROOT / "tests" / "fixtures" / "sample")


def run(*args: str):
    result = CliRunner().invoke(main, ["analyze", *args])
    return result


def test_centrality_csv_is_sorted_by_betweenness():
    result = run("centrality", DATA, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["node"] == "link-j"
    values = [float(r["betweenness"]) for r in rows]
    assert values == sorted(values, reverse=True)
    assert {"degree", "weighted_degree", "closeness", "pagerank", "eigenvector"} <= set(rows[0])


def test_sampled_betweenness_is_announced_on_stderr():
    result = run("centrality", DATA, "--exact-threshold", "5", "--sample-size", "10", "--seed", "3", "--top", "2")
    assert result.exit_code == 0, result.output
    assert "betweenness estimated from 10 sampled sources (seed 3)" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 4  # header, rule, two rows


def test_brokerage_json_and_sna_form():
    result = run("brokerage", DATA, "--format", "json", "--permutations", "50")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    top = records[0]
    assert top["node"] == "link-j" and top["group"] == "JP"
    assert {"boundary_spanner", "boundary_spanner_z", "boundary_spanner_p", "constraint", "hierarchy"} <= set(top)
    assert "50 permutations of the country labels (seed 0)" in result.stderr
    sna = run("brokerage", DATA, "--form", "sna", "--graph-level", "--format", "csv")
    rows = {r["role"]: r for r in csv.DictReader(io.StringIO(sna.stdout))}
    # On a symmetric graph sna counts each open pair both ways.
    assert rows["representative"]["raw"] == rows["gatekeeper"]["raw"]


def test_brokerage_by_kind_with_filters():
    result = run("brokerage", DATA, "--by", "kind", "--country", "JP", "--country", "GB", "--format", "csv",
                 "--permutations", "0")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["group"] in {"cluster", "government", "university", "company", "research-institute",
                                       "society", "funder", "agency", "city", "hospital", "investor", "other"}
                        for r in rows)


def test_communities_summary_members_and_matrix():
    summary = run("communities", DATA)
    assert summary.exit_code == 0 and "modularity" in summary.stderr
    members = run("communities", DATA, "--show", "members", "--format", "csv")
    assert "link-j" in members.stdout
    matrix = run("communities", DATA, "--show", "matrix", "--format", "json")
    rows = {row["country"]: row for row in json.loads(matrix.stdout)}
    assert rows["JP"]["GB"] == rows["GB"]["JP"] > 0


def test_timeline_variants():
    yearly = run("timeline", DATA, "--format", "csv")
    assert yearly.exit_code == 0, yearly.output
    assert yearly.stdout.startswith("year,signed,in_force")
    org = run("timeline", DATA, "--org", "link-j", "--years", "2016-2018", "--format", "json")
    assert [r["year"] for r in json.loads(org.stdout)] == [2016, 2017, 2018]
    diff = run("timeline", DATA, "--compare", "2017", "2020", "--format", "csv")
    assert diff.exit_code == 0 and "status" in diff.stdout.splitlines()[0]
    ties = run("timeline", DATA, "--new-ties", "--format", "csv")
    assert ties.stdout.startswith("first,year,source,target")
    bad = run("timeline", DATA, "--years", "soon")
    assert bad.exit_code == 2 and "--years" in bad.output


def test_suggest_gives_reasons_and_refuses_unknown_ids():
    result = run("suggest", DATA, "--for", "medcity", "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3 and all(r["reason"].startswith("shares ") for r in rows)
    bad = run("suggest", DATA, "--for", "nobody")
    assert bad.exit_code == 1 and "--for: unknown organisation 'nobody'; closest known:" in bad.output


def test_unknown_type_and_bad_date_are_errors_without_traceback():
    result = run("centrality", DATA, "--type", "treaty")
    assert result.exit_code == 1 and "unknown agreement type 'treaty'" in result.output
    result = run("centrality", DATA, "--as-of", "someday")
    assert result.exit_code == 1 and "as_of" in result.output


def test_build_writes_metrics_deterministically(tmp_path):
    from clusterkg.pipeline import build

    first = build([DATA], tmp_path / "a")
    build([DATA], tmp_path / "b")
    metrics = (tmp_path / "a" / "metrics.csv").read_text(encoding="utf-8")
    assert metrics == (tmp_path / "b" / "metrics.csv").read_text(encoding="utf-8")
    rows = {r["node"]: r for r in csv.DictReader(io.StringIO(metrics))}
    # One row per organisation over time: the Cell Therapy Catapult is a former name of cgt-catapult.
    assert len(rows) == len(first.dataset.organizations) - 1 and "cell-therapy-catapult" not in rows
    assert rows["cgt-catapult"]["former_names"] == "formerly Cell Therapy Catapult (until 2016)"
    assert float(rows["link-j"]["betweenness"]) > 0 and rows["link-j"]["community"] != ""
    about = json.loads((tmp_path / "a" / "metrics.json").read_text())
    assert about["betweenness"]["method"] == "exact" and about["communities"]["seed"] == 0



# -- issue 17 ------------------------------------------------------------------------------------


def test_brokers_between_japan_and_europe_in_words():
    result = run("brokers", DATA, "--between", "JP", "--and", "Europe")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("open Japan–Europe pairs: organisations with no agreement between them but a partner "
                             "in common.")
    assert lines[1].startswith("- Life Science Innovation Network Japan connects ")
    assert "broker" in result.stdout and "sentence" not in result.stdout  # the table below, without sentences
    records = json.loads(run("brokers", DATA, "--between", "JP", "--and", "Europe", "--format", "json").stdout)
    assert records[0]["broker"] == "link-j" and records[0]["pairs"] / records[0]["share"] == pytest.approx(
        int(lines[0].split()[0]))
    groups = run("brokers", DATA, "--groups", "Japan=JP; Europe=GB,DE,FR,SE,NL,BE; North America=US,CA",
                 "--format", "csv")
    assert groups.exit_code == 0 and groups.stdout.splitlines()[1].startswith("link-j,")
    bad = run("brokers", DATA, "--between", "Atlantis")
    assert bad.exit_code == 1 and "'Atlantis' is not" in bad.output


def test_brokerage_leads_with_counts_and_explains_undefined_z():
    result = run("brokerage", DATA, "--permutations", "20", "--top", "40")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header[:7] == ["node", "group", "coordinator", "itinerant", "boundary_spanner", "liaison", "total"]
    assert header.index("coordinator_expected") < header.index("coordinator_z") and "total_z" not in header
    assert "nan" not in result.stdout.lower() and "undefined" in result.stdout
    assert "a z-score is undefined where the count cannot vary" in result.stderr
    continents = run("brokerage", DATA, "--by", "continent", "--permutations", "0", "--format", "csv")
    assert {r["group"] for r in csv.DictReader(io.StringIO(continents.stdout))} >= {"Asia", "Europe", "North America"}


def test_no_lineage_keeps_the_catapult_apart_and_suggest_never_proposes_it():
    merged = run("centrality", DATA, "--format", "csv")
    split = run("centrality", DATA, "--no-lineage", "--format", "csv")
    assert "cell-therapy-catapult" not in merged.stdout and "cell-therapy-catapult" in split.stdout
    for extra in ((), ("--no-lineage",)):
        result = run("suggest", DATA, "--for", "link-j", "--format", "json", "--top", "50", *extra)
        assert result.exit_code == 0, result.output
        assert "cell-therapy-catapult" not in {r["candidate"] for r in json.loads(result.stdout)}
    former = run("suggest", DATA, "--for", "cell-therapy-catapult", "--format", "json")
    assert former.exit_code == 0 and "former name of cgt-catapult" in former.stderr


def test_timeline_compare_reports_the_rename():
    result = run("timeline", DATA, "--compare", "2015", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["node"]: r for r in json.loads(result.stdout)}
    assert rows["cgt-catapult"]["status"] == "renamed" and "cell-therapy-catapult" not in rows
    assert "open-ended" in result.stderr


def test_open_ended_agreements_are_counted_and_can_be_given_a_term():
    kept = run("centrality", DATA, "--as-of", "2030", "--format", "csv")
    assert "as of 2030-12-31: 18 agreements in force, 18 of them open-ended" in kept.stderr
    assumed = run("centrality", DATA, "--as-of", "2030", "--open-ended", "assume:P5Y", "--format", "csv")
    assert assumed.exit_code == 0 and "18 more ended by that term" in assumed.stderr
    # Every sample agreement in force in 2030 is open-ended (and signed before 2025): none is left.
    assert len(kept.stdout.splitlines()) > 10 and len(assumed.stdout.splitlines()) == 1
    yearly = run("timeline", DATA, "--open-ended", "exclude", "--format", "csv")
    assert "open_ended_left_out" in yearly.stdout.splitlines()[0]
    bad = run("centrality", DATA, "--as-of", "2030", "--open-ended", "forever")
    assert bad.exit_code == 1 and "open_ended: 'forever' is not a rule" in bad.output
