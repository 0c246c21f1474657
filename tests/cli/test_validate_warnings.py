"""`clusterkg validate` warns, without failing, when an agreement dated after a rename names the
old organisation by id (issue 17, section 1). The records are written here; the dates decide."""

from __future__ import annotations

import json

from click.testing import CliRunner

from clusterkg.cli import main

RECORDS = """\
organizations:
  - {id: cell-therapy-catapult, name: Cell Therapy Catapult, kind: research-institute, country: GB}
  - {id: cgt-catapult, name: Cell and Gene Therapy Catapult, kind: research-institute, country: GB,
     predecessor: cell-therapy-catapult, renamed: "2016"}
  - {id: kanagawa, name: Kanagawa Prefecture, kind: government, country: JP}
agreements:
  - id: mou-2015
    type: mou
    parties: [cell-therapy-catapult, kanagawa]
    signed: 2015-11
    sources: [{title: press release}]
  - id: mou-2019
    type: mou
    parties: [cell-therapy-catapult, kanagawa]
    signed: 2019-03-01
    sources: [{title: press release}]
"""


def test_validate_warns_but_passes(tmp_path):
    (tmp_path / "records.yaml").write_text(RECORDS, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    warnings = [line for line in lines if line.startswith("warning: ")]
    # Only the 2019 MoU: the 2015 one was signed under the old name.
    assert len(warnings) == 1 and "parties[0]: 'cell-therapy-catapult' (Cell Therapy Catapult) was renamed" in warnings[0]
    assert "(in agreement mou-2019)" in warnings[0] and "records.yaml" in warnings[0]
    assert lines[-1].startswith("valid: 3 organizations") and lines[-1].endswith("; 1 warning")
    records = json.loads(CliRunner().invoke(main, ["validate", str(tmp_path), "--format", "json"]).stdout)
    assert [(r["record"], r["severity"]) for r in records] == [("agreement mou-2019", "warning")]


def test_the_sample_data_has_no_such_warning():
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "sample"
    result = CliRunner().invoke(main, ["validate", str(data)])
    assert result.exit_code == 0 and "warning:" not in result.stdout
