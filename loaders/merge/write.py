"""What a planned merge writes: checked by loading the data as it would be, shown as a diff,
and written a whole file at a time."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from clusterkg.loaders.merge.result import MergeResult
from clusterkg.loaders.read import expand, read_inputs
from clusterkg.model.problems import Location, Problem


def verify(result: MergeResult, data: Path) -> None:
    """Load the data as it would be after the merge; on any problem, write nothing and say why."""
    from clusterkg.loaders.assemble import assemble

    files, _ = expand([data])
    with tempfile.TemporaryDirectory(prefix="clusterkg-merge-") as tmp:
        back: dict[str, str] = {}
        inputs = []
        changed = {p.resolve(): p for p in result.files}
        for i, path in enumerate([*files, *(p for p in result.files if not p.exists())]):
            key = path.resolve()
            if key in changed:
                copy_path = Path(tmp) / str(i) / path.name
                copy_path.parent.mkdir()
                copy_path.write_text(result.files[changed[key]][1], encoding="utf-8")
                back[str(copy_path)] = str(path)
                inputs.append(copy_path)
            else:
                inputs.append(path)
        raws, problems = read_inputs(inputs)
        after = assemble(raws, problems)
    if after.problems:
        def untemp(text: str) -> str:
            for temporary, original in back.items():
                text = text.replace(temporary, original)
            return text

        result.problems.extend(
            Problem(Location(untemp(p.location.file), p.location.line, p.location.sheet),
                    untemp(p.message), p.field, p.record) for p in after.problems)
        result.problems.append(Problem(Location(str(data)), "merging would make the data invalid, so nothing was "
                                       "written (the lines above are those of the files as --dry-run shows them)"))
        result.files.clear()
        result.added_agreements.clear()
        result.added_organizations.clear()
        result.updated_agreements.clear()


def write_merge(result: MergeResult) -> list[Path]:
    """Write the files a planned merge changes, each in one step (a whole file or none)."""
    written = []
    for path, (_, text) in result.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        bom = path.exists() and path.read_bytes().startswith(b"\xef\xbb\xbf")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
                handle.write(text)
            if path.exists():
                shutil.copymode(path, tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written


def diff(result: MergeResult) -> str:
    """What a merge would write, as a unified diff per file."""
    import difflib

    parts = []
    for path, (before, after) in result.files.items():
        parts.extend(difflib.unified_diff(
            (before or "").splitlines(keepends=True), after.splitlines(keepends=True),
            fromfile=str(path) if before is not None else "/dev/null", tofile=str(path)))
    text = "".join(parts)
    return text if not text or text.endswith("\n") else text + "\n"
