"""``clusterkg merge``: reviewed candidates into the data, through the command line."""

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from clusterkg.cli import main

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "merge"
SEED_DIRS = [Path(os.environ["CLUSTERKG_SEEDS"])] if os.environ.get("CLUSTERKG_SEEDS") else []
SEED_DIRS += [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]
SEEDS = next((d for d in SEED_DIRS if d.is_dir()), None)
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the seed documents (../shared/seeds) are not on this machine")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def extract_and_accept(texts, data: Path, out: Path) -> Path:
    result = run("extract", *texts, "--known", data, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "status: pending" in text
    out.write_text(text.replace("status: pending", "status: accept"), encoding="utf-8")
    return out


def test_dry_run_shows_the_diff_and_writes_nothing(data, tmp_path):
    candidates = extract_and_accept([FIXTURES / "alpine-kyushu.txt", FIXTURES / "kyushu-harbour.txt"], data,
                                    tmp_path / "c.yaml")
    before = snapshot(data)
    result = run("merge", candidates, "--into", data, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"+++ {data / 'records.yaml'}" in result.stdout
    assert '+    signed: "2023-05-17"' in result.stdout and '-    signed: "2023-05"' in result.stdout
    assert "--- /dev/null" in result.stdout and "+- id: mou-harbour-health-lab-kyushu-bio-forum-2020-11-09" in result.stdout
    assert "would merge: 0 new organisation(s), 1 new agreement(s), 1 agreement(s) added to" in result.stderr
    assert snapshot(data) == before


def test_merge_then_validate_is_clean_and_a_second_merge_adds_nothing(data, tmp_path):
    candidates = extract_and_accept([FIXTURES / "alpine-kyushu.txt", FIXTURES / "kyushu-harbour.txt"], data,
                                    tmp_path / "c.yaml")
    result = run("merge", candidates, "--into", data)
    assert result.exit_code == 0, result.output
    assert "new agreement mou-harbour-health-lab-kyushu-bio-forum-2020-11-09" in result.stderr
    assert "added to mou-alpine-kyushu-2023: 1 source" in result.stderr
    assert "wrote " in result.stderr
    validated = run("validate", data)
    assert validated.exit_code == 0 and "4 agreements" in validated.stdout, validated.output
    once = snapshot(data)
    again = run("merge", candidates, "--into", data)
    assert again.exit_code == 0
    assert "0 new organisation(s), 0 new agreement(s), 0 agreement(s) added to; 2 already in the data" in again.stderr
    assert snapshot(data) == once


def test_bad_candidates_exit_1_with_messages_and_no_traceback(data, tmp_path):
    candidates = tmp_path / "c.yaml"
    candidates.write_text("""
agreements:
- status: maybe
  type: mou
  parties: [lakeside-pharma, kyushu-bio-forum]
  sources: [{title: x}]
- status: accept
  type: mou
  parties: [lakeside-pharma, kyushu-bio-forum]
  signed: "2024-09-01"
  sources: [{title: Lakeside in Kyushu}]
""", encoding="utf-8")
    result = run("merge", candidates, "--into", data)
    assert result.exit_code == 1
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert f"{candidates}:3: status: unknown status 'maybe'" in result.stderr
    assert "candidate 1 (mou: lakeside-pharma, kyushu-bio-forum)" in result.stderr
    assert "1 problem(s), see above" in result.stderr
    # the valid one is merged all the same
    assert "new agreement mou-kyushu-bio-forum-lakeside-pharma-2024-09-01" in result.stderr
    assert run("validate", data).exit_code == 0


@pytest.mark.parametrize("content", [b"{not yaml", b"", b"\xff\xfe\x00binary"])
def test_unreadable_candidates_file(data, tmp_path, content):
    candidates = tmp_path / "c.yaml"
    candidates.write_bytes(content)
    before = snapshot(data)
    result = run("merge", candidates, "--into", data)
    assert result.exit_code == 1 and str(candidates) in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(data) == before


def test_missing_files_and_wrong_data(data, tmp_path):
    result = run("merge", tmp_path / "nowhere.yaml", "--into", data)
    assert result.exit_code == 1 and "nowhere.yaml: no such file" in result.stderr
    candidates = tmp_path / "c.yaml"
    candidates.write_text("agreements: []\n", encoding="utf-8")
    result = run("merge", candidates, "--into", tmp_path / "missing")
    assert result.exit_code == 1 and "missing: no such file or folder" in result.stderr
    (tmp_path / "data.csv").write_text("id\n")
    result = run("merge", candidates, "--into", tmp_path / "data.csv")
    assert result.exit_code == 1 and "merge writes into a folder or a YAML file" in result.stderr
    result = run("merge", candidates)
    assert result.exit_code == 2 and "--into" in result.output


def test_merge_is_listed_in_the_help():
    result = run("--help")
    assert "merge" in result.stdout


@needs_seeds
def test_seeds_extract_known_then_merge_everything_accepted(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = run("validate", data)
    count_before = int(before.stdout.split("agreements")[0].rsplit(",", 1)[1])
    candidates = extract_and_accept([SEEDS], data, tmp_path / "c.yaml")
    document = yaml.safe_load(candidates.read_text(encoding="utf-8"))
    new = [a for a in document["agreements"] if "matches" not in a]
    result = run("merge", candidates, "--into", data)
    assert "Traceback" not in result.output
    validated = run("validate", data)
    assert validated.exit_code == 0, validated.output
    count_after = int(validated.stdout.split("agreements")[0].rsplit(",", 1)[1])
    # the LINK-J partners and the other typed agreements are not doubled
    assert count_after - count_before <= len(new)
    assert "mou-link-j-kanagawa-2020" not in result.stderr.split("new agreement")[-1]
    again = run("merge", candidates, "--into", data)
    assert "0 new agreement(s), 0 agreement(s) added to" in again.stderr
