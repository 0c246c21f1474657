"""Build folders: one build at a time, a manifest written last, and checks before a folder is used.

A build writes every output under a staging folder inside OUT, moves them into
place when all steps are done, and then writes ``clusterkg-build.json`` (the
manifest: what was built, from which inputs, the counts, and the size and
SHA-256 of every file). The manifest is removed first when a build starts, so a
folder whose build was interrupted has none, and the commands that read a build
(``query``, ``load``, ``export``, the RDF commands) refuse it with a message
that says to rebuild (:func:`check_build`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clusterkg import __version__
from clusterkg.loaders.read import BUILD_LOCK, BUILD_MANIFEST, is_build_folder
from clusterkg.model.problems import ClusterKGError

FORMAT = 1
#: Where `clusterkg build` writes and where `query`, `export` and `load` read, unless told otherwise.
DEFAULT_BUILD = Path("build")
#: Files of an output folder that are not data: the embedded server's log and lock files.
_NOT_DATA = frozenset({"falkordb.log", "lock", "falkordb.sock"})
#: Outputs that their own engine rewrites when it runs (the embedded graph saves on stop, with a
#: new timestamp inside): checked for presence, not size or checksum.
_REWRITTEN = ("falkordb/",)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(out: Path, names: Iterable[str]) -> Iterator[tuple[str, Path]]:
    """Every file of the named outputs, folders walked, as (path relative to OUT, path)."""
    for name in sorted(names):
        path = out / name
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.name not in _NOT_DATA):
                yield file.relative_to(out).as_posix(), file
        elif path.is_file():
            yield name, path


def write_manifest(out: Path, outputs: Iterable[str], *, inputs: Iterable[Path | str], counts: dict[str, Any],
                   steps: Iterable[str]) -> dict[str, Any]:
    """Write OUT/clusterkg-build.json for the given outputs (a temporary name, then a rename)."""
    manifest = {
        "clusterkg": __version__,
        "format": FORMAT,
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": [str(Path(p).resolve()) for p in inputs],
        "steps": list(steps),
        "counts": counts,
        "files": {rel: {"bytes": path.stat().st_size, "sha256": _sha256(path)} for rel, path in _files(out, outputs)},
    }
    partial = out / (BUILD_MANIFEST + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, out / BUILD_MANIFEST)
    return manifest


def read_manifest(out: Path | str) -> dict[str, Any] | None:
    """The manifest of build folder ``out``, or None when it has none (or an unreadable one)."""
    try:
        manifest = json.loads((Path(out) / BUILD_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def check_build(out: Path | str, needs: Iterable[str] = (), *, deep: bool = False) -> dict[str, Any]:
    """Refuse a build folder that is incomplete or changed since its build; return its manifest.

    Parameters
    ----------
    out : path
        The build folder.
    needs : names
        Outputs the caller reads (``records.jsonl``, ``falkordb``): each must be
        in the manifest. Every file listed under them is checked.
    deep : bool
        Also compare SHA-256 checksums (reads every byte; for loads that send
        the data elsewhere). Otherwise sizes are compared.

    Raises
    ------
    ClusterKGError
        With a message naming the folder or file and saying to rebuild.
    """
    out = Path(out)
    rebuild = f"run `clusterkg build INPUTS -o {out}` again"
    if not out.is_dir():
        raise ClusterKGError(f"{out}: no such build folder; {rebuild}")
    manifest = read_manifest(out)
    if manifest is None:
        raise ClusterKGError(f"{out}: not a complete build (no {BUILD_MANIFEST}: the build was interrupted, failed, "
                             f"or is still running); {rebuild}")
    files: dict[str, Any] = manifest["files"]
    for need in needs:
        if not any(rel == need or rel.startswith(need + "/") for rel in files):
            raise ClusterKGError(f"{out}: this build has no {need}; {rebuild}")
    for rel, facts in files.items():
        if needs and not any(rel == n or rel.startswith(n + "/") for n in needs):
            continue
        path = out / rel
        if not path.is_file():
            raise ClusterKGError(f"{path}: missing from the build; {rebuild}")
        if rel.startswith(_REWRITTEN):
            continue
        size = path.stat().st_size
        if size != facts.get("bytes"):
            raise ClusterKGError(f"{path}: {size} bytes, but the build wrote {facts.get('bytes')}: "
                                 f"it changed or was cut short since; {rebuild}")
        if deep and _sha256(path) != facts.get("sha256"):
            raise ClusterKGError(f"{path}: its content changed since the build (checksum differs); {rebuild}")
    return manifest


def check_build_files(paths: Iterable[Path], *, deep: bool = False) -> None:
    """Check every file that lies in a build folder (``build/graph.nt``) against that build's manifest.

    Files elsewhere (the user's own RDF, say) are not checked: nothing says what they should hold.
    """
    for path in paths:
        path = Path(path)
        if path.is_file() and is_build_folder(path.parent):
            check_build(path.parent, [path.name], deep=deep)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold OUT's lock for one build; a second build into the same folder fails, naming the first.

    The lock is an advisory ``flock`` on OUT/.clusterkg.lock, released by the
    kernel when the process ends however it ends, so a killed build leaves no
    stale lock. The file says who holds it.
    """
    path = out / BUILD_LOCK
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ClusterKGError(f"{out}: another build is writing this folder ({holder}); "
                                 "wait for it to finish, or build into another folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, "
                     f"started {dt.datetime.now().isoformat(timespec='seconds')}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock
