"""`clusterkg analyze` and the metrics build step, on the sample data in data/.

The numbers checked here come from the Python API (tested against sna, networkx
and hand calculations in tests/graph/analysis); these tests check the command
line around it: formats, filters, notes on stderr, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from clusterkg.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = str(ROOT / "data")


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
    assert bad.exit_code == 1 and "no organisation with id 'nobody'" in bad.output


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
    assert len(rows) == len(first.dataset.organizations)
    assert float(rows["link-j"]["betweenness"]) > 0 and rows["link-j"]["community"] != ""
    about = json.loads((tmp_path / "a" / "metrics.json").read_text())
    assert about["betweenness"]["method"] == "exact" and about["communities"]["seed"] == 0
