"""The small Python API of clusterkg/__init__.py."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_load_then_build_in_a_fresh_process(tmp_path):
    # clusterkg.build is the API function even after the pipeline has been imported
    code = (
        "import clusterkg, sys\n"
        f"ds = clusterkg.load([{str(ROOT / 'tests' / 'fixtures' / 'sample')!r}])\n"
        "assert ds.valid and len(ds.agreements) == 22, ds.problems\n"
        "assert callable(clusterkg.build)\n"
        f"ctx = clusterkg.build([{str(ROOT / 'tests' / 'fixtures' / 'sample')!r}], {str(tmp_path / 'out')!r})\n"
        "print(sorted(p.name for p in ctx.written)[:3])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "records.jsonl").is_file()
    assert clusterkg_validate_problems() == []


def clusterkg_validate_problems():
    import clusterkg

    return clusterkg.validate([ROOT / "tests" / "fixtures" / "sample"])
