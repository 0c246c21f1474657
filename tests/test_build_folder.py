"""Build folders: nothing half-built is ever used, one build at a time, and a build is never read as input.

Issue 16 points 1, 2 and 4 and issue 17 section 6. A build killed at any step
leaves a folder the reading commands refuse (the manifest is written last);
a second build into a busy folder fails naming the first.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterkg import pipeline
from clusterkg.cli import main
from clusterkg.loaders.read import BUILD_MANIFEST, expand
from clusterkg.manifest import build_lock, check_build, read_manifest
from clusterkg.model.problems import ClusterKGError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# Steps that need no browser assets or server are enough to test the folder's life cycle.
QUICK = [s for s in pipeline.STEPS if s[0] in {"records", "summary", "rejected", "metrics", "rdf"}]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    pipeline.build([DATA], out, steps=QUICK, rdf=["nt", "ttl", "jsonld"])
    return out


def test_a_complete_build_has_a_manifest_that_checks_out(built):
    manifest = check_build(built, ["records.jsonl", "graph.nt"], deep=True)
    assert manifest["counts"]["agreement"] == len(pipeline.load(DATA).agreements)
    assert set(manifest["files"]) == {"records.jsonl", "summary.json", "metrics.csv", "metrics.json",
                                      "graph.nt", "graph.ttl", "graph.jsonld"}
    assert not (built / pipeline.STAGING).exists()


def test_a_file_cut_short_is_refused_with_a_message_to_rebuild(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    with (copy / "graph.nt").open("r+b") as handle:
        handle.truncate(1000)
    with pytest.raises(ClusterKGError, match=r"graph.nt: 1000 bytes, but the build wrote .*rebuild|build .* again"):
        check_build(copy, ["graph.nt"])
    # `load sparql` of such a file once replaced a whole server graph with a third of it.
    result = CliRunner().invoke(main, ["rdf", "store", str(copy / "graph.nt"), "--store", str(tmp_path / "st")])
    assert result.exit_code == 1 and "graph.nt" in result.output and "again" in result.output
    assert "Traceback" not in result.output


def test_a_changed_byte_is_found_by_the_deep_check(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    data = bytearray((copy / "records.jsonl").read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    (copy / "records.jsonl").write_bytes(bytes(data))
    check_build(copy, ["records.jsonl"])  # same size: the quick check passes
    with pytest.raises(ClusterKGError, match="checksum"):
        check_build(copy, ["records.jsonl"], deep=True)


_KILLER = """
import os, signal, sys
from clusterkg import pipeline
quick = [s for s in pipeline.STEPS if s[0] in {"records", "summary", "rejected", "metrics", "rdf"}]
n = int(sys.argv[3])
def killed(ctx):
    os.kill(os.getpid(), signal.SIGKILL)
steps = quick[:n] + [("kill", killed)] + quick[n:]
pipeline.build([sys.argv[1]], sys.argv[2], steps=steps)
"""


@pytest.mark.parametrize("after", range(len(QUICK) + 1))
def test_a_build_killed_at_any_step_leaves_a_folder_that_is_refused(built, tmp_path, after):
    out = tmp_path / "out"
    shutil.copytree(built, out)  # a complete earlier build, then a rebuild that dies
    done = subprocess.run([sys.executable, "-c", _KILLER, str(DATA), str(out), str(after)], capture_output=True)
    assert done.returncode == -signal.SIGKILL
    with pytest.raises(ClusterKGError, match="not a complete build"):
        check_build(out)
    # ... and the next build of the folder is complete again: the dead build left no lock behind.
    pipeline.build([DATA], out, steps=QUICK)
    check_build(out, deep=True)


def test_a_second_build_into_a_busy_folder_fails_naming_the_first(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with build_lock(out):
        with pytest.raises(ClusterKGError, match=rf"another build is writing this folder \(pid {os.getpid()}"):
            pipeline.build([DATA], out, steps=QUICK)
    pipeline.build([DATA], out, steps=QUICK)  # free again once the first is done


def test_a_corrupt_property_graph_from_an_earlier_build_is_replaced(tmp_path):
    out = tmp_path / "out"
    (out / "falkordb").mkdir(parents=True)
    (out / "falkordb" / "graph.rdb").write_bytes(b"REDIS0011 this is not a graph" * 10)
    steps = [s for s in pipeline.STEPS if s[0] in {"records", "property-graph"}]
    pipeline.build([DATA], out, steps=steps)
    check_build(out, ["falkordb"])
    assert (out / "falkordb" / "graph.rdb").read_bytes()[:5] == b"REDIS"


def test_outputs_of_the_previous_build_that_this_one_did_not_make_are_removed(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    pipeline.build([DATA], out, steps=[s for s in QUICK if s[0] != "rdf"])
    assert not (out / "graph.nt").exists()
    assert "graph.nt" not in read_manifest(out)["files"]


def test_a_build_folder_given_as_input_stands_for_its_records(built):
    files, problems = expand([built])
    assert files == [built / "records.jsonl"] and problems == []
    result = CliRunner().invoke(main, ["validate", str(built)])
    assert result.exit_code == 0, result.output


def test_building_into_a_folder_inside_the_input_works_every_time(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for _ in range(2):
        pipeline.build([data], data / "out", steps=QUICK)
    assert check_build(data / "out")["counts"] == read_manifest(data / "out")["counts"]
    files, _ = expand([data])
    assert not any("out" in f.relative_to(data).parts for f in files)


def test_an_interrupted_build_folder_given_as_input_is_a_problem_not_its_summary(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / BUILD_MANIFEST).unlink()
    (copy / ".clusterkg.lock").touch()
    files, problems = expand([copy])
    assert files == [] and "incomplete build folder" in problems[0].message


def test_a_folder_that_cannot_be_read_is_reported_not_skipped(tmp_path, monkeypatch):
    # As root every folder is readable, so the failure os.walk reports is simulated.
    (tmp_path / "a.yaml").write_text("organizations: []\n")
    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "secret")))
        yield from real_walk(top, onerror=onerror, **kw)

    monkeypatch.setattr(os, "walk", walk)
    files, problems = expand([tmp_path])
    assert files == [tmp_path / "a.yaml"]
    assert [p.location.file for p in problems] == [str(tmp_path / "secret")]
    assert "cannot read this folder" in problems[0].message


def test_load_accepts_one_path_as_a_string_or_a_path():
    assert len(pipeline.load(str(DATA)).agreements) == len(pipeline.load(DATA).agreements) > 0
    with pytest.raises(ClusterKGError, match="inputs are paths"):
        pipeline.load([DATA, 3])


def test_one_rdf_serialisation_by_default_and_the_others_on_request(tmp_path):
    pipeline.build([DATA], tmp_path / "one", steps=QUICK)
    assert sorted(p.name for p in (tmp_path / "one").glob("graph.*")) == ["graph.nt"]
    result = CliRunner().invoke(main, ["build", str(DATA), "-o", str(tmp_path / "bad"), "--rdf", "nt,xml"])
    assert result.exit_code == 1 and "unknown RDF format 'xml'" in result.output


def test_a_failed_step_leaves_no_staged_outputs_behind(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)

    def broken(ctx):
        ctx.path("half.txt").write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ClusterKGError, match="the broken step could not write: No space left on device"):
        pipeline.build([DATA], out, steps=QUICK[:1] + [("broken", broken)])
    assert not (out / pipeline.STAGING).exists() and not (out / "half.txt").exists()
    with pytest.raises(ClusterKGError, match="not a complete build"):
        check_build(out)
