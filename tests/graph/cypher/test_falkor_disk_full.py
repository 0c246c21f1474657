"""Issue 16, point 5: a full disk while the embedded graph is saved is an error in words, naming the
folder, and never a graph silently saved without part of its data.

Before: a failed ``SAVE`` was a bare ``redis ResponseError`` traceback, and a failed save at close
(``SHUTDOWN SAVE``, refused by the server) was swallowed: the server was then terminated without
saving, so the build's graph silently lacked what was written after the last save (its metrics).

The disk is really full here: a 1 MB tmpfs mounted for the test (this needs root, or a user
namespace; where ``mount`` is refused those tests are skipped and say so). The same error paths are
also forced without a mount, by putting a folder where the server writes its temporary save file
(``temp-PID.rdb``), so that the save fails with "Is a directory".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from clusterkg.graph.cypher.falkor import RDB, EmbeddedServer
from clusterkg.model.problems import ClusterKGError

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "tests" / "fixtures" / "sample"
NODES = "UNWIND range(1, $n) AS i CREATE (:Filler {id: i, text: 'some text to take room ' + toString(i)})"


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs, unmounted afterwards."""
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}): the full disk is not simulated")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Take all but ``leave`` bytes of the disk."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    if free > leave:
        with open(disk / "filler", "wb") as handle:
            handle.write(b"\0" * (free - leave))


def _graph_file(folder: Path) -> bytes | None:
    return (folder / RDB).read_bytes() if (folder / RDB).exists() else None


def test_a_save_on_a_full_disk_is_an_error_in_words(tiny_disk):
    folder = tiny_disk / "falkordb"
    with EmbeddedServer(folder) as server:
        graph = server.graph()
        graph.write(NODES.replace("$n", "10"))
        server.save()
        before = _graph_file(folder)
        graph.write(NODES.replace("$n", "20000"))
        _fill(tiny_disk, 64 * 1024)
        with pytest.raises(ClusterKGError, match=rf"{folder}: could not save the graph \(No space left on device\)"):
            server.save()
        assert _graph_file(folder) == before  # the last good save, whole
        # And at close, where the failure used to be swallowed: an error too, and the server stopped.
        with pytest.raises(ClusterKGError, match=rf"{folder}: could not save the graph \(No space left on device\)"):
            server.close()
        assert not server.running
    assert _graph_file(folder) == before


def test_a_build_whose_graph_cannot_be_saved_fails_and_leaves_the_folder_as_it_was(tiny_disk):
    from clusterkg.pipeline import STEPS, build

    steps = [step for step in STEPS if step[0] in ("records", "property-graph")]
    out = tiny_disk / "out"
    build([SAMPLE], out, steps=steps)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "lock"}
    records = (out / "records.jsonl").stat().st_size
    # Room for this build's records.jsonl and the server's log, not for its graph (about 25 KB).
    _fill(tiny_disk, records + 12 * 1024)
    with pytest.raises(ClusterKGError) as error:
        build([SAMPLE], out, steps=steps)
    message = str(error.value)
    assert message.startswith(f"{out}: the property graph could not be saved (No space left on device); "
                              f"nothing of this build was moved into {out}")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
             if p.is_file() and p.name != "lock" and ".building" not in p.parts}
    before.pop(Path("clusterkg-build.json"))  # removed when a build starts: the folder is refused until one completes
    before.pop(Path(".clusterkg.lock"), None)
    after.pop(Path(".clusterkg.lock"), None)
    assert after == before  # the previous build's outputs, untouched


def _block_the_save_file(server: EmbeddedServer) -> Path:
    """A folder where the server writes its temporary save file, so that the save fails."""
    blocker = server.folder / f"temp-{server.process.pid}.rdb"
    blocker.mkdir()
    return blocker


def test_a_failed_save_is_said_in_words_without_a_small_disk(tmp_path):
    folder = tmp_path / "falkordb"
    with EmbeddedServer(folder) as server:
        server.graph().write(NODES.replace("$n", "10"))
        server.save()
        before = _graph_file(folder)
        server.graph().write(NODES.replace("$n", "100"))  # the metrics, say, written after the last save
        blocker = _block_the_save_file(server)
        with pytest.raises(ClusterKGError, match=rf"{folder}: could not save the graph \(.*\).*{RDB} there is as it was"):
            server.save()
        with pytest.raises(ClusterKGError, match=rf"{folder}: could not save the graph"):
            server.close()  # used to stop without saving, and say nothing
        assert not server.running
        shutil.rmtree(blocker)
    assert _graph_file(folder) == before
