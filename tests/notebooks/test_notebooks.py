"""The analyst notebooks: committed without outputs, and they run from top to bottom.

Executed with nbclient in the kernel named in the notebook ("python3", the
ipykernel of the test environment), from the notebooks/ folder as an analyst
would open them. Each must draw at least one chart, and its prose (markdown) must not
hard-code a count the data determines: those are printed by code cells. Each notebook runs once;
a last cell added here reads back the notebook's ``metrics`` table (when it
has one) for the test that compares every way of asking for a measure."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: Appended to each notebook before it runs: prints its metrics table as JSON, if it made one.
_READ_BACK = """
import json as _json
if "metrics" in globals():
    print("METRICS " + metrics.to_json(orient="index", double_precision=15))
"""


def _number(value) -> float | None:
    """A cell as a number; None for an empty cell, NaN or pandas' NA (undefined)."""
    if value is None or value == "" or str(value) == "<NA>":
        return None
    number = float(value)
    return None if number != number else number


ANALYST_NOTEBOOKS = {"brokers_between_regions.ipynb", "network_growth.ipynb", "organisation_profile.ipynb",
                     "data_quality.ipynb"}


def test_there_are_the_analyst_notebooks():
    assert {p.name for p in NOTEBOOKS} >= ANALYST_NOTEBOOKS


@pytest.fixture(scope="module")
def counts() -> set[int]:
    """Counts the data in data/ determines: what the build's summary counts, and the gaps in the records."""
    import clusterkg
    from clusterkg.graph.network import organization_graph

    ds = clusterkg.load([ROOT / "data"])
    found = {len(ds.organizations), len(ds.agreements), len(ds.people)}
    agreements = ds.agreements.values()
    found |= {sum(a.date is None for a in agreements), sum(a.expires() is None for a in agreements),
              sum(not a.signatories for a in agreements), sum(not any(s.url for s in a.sources) for a in agreements)}
    for column in ("type",):
        found |= set(ds.to_frames().agreements[column].value_counts().tolist())
    frames = ds.to_frames()
    found |= set(frames.parties.groupby("country")["agreement"].nunique().tolist())
    found |= set(frames.organizations["country"].value_counts().tolist())
    found |= set(frames.organizations["kind"].value_counts().tolist())
    found |= set(frames.agreements["date_earliest"].dt.year.value_counts().tolist())
    g = organization_graph(ds, isolates=False)
    found |= {g.number_of_nodes(), g.number_of_edges(), len({c for _, c in g.nodes(data="country")})}
    found |= {d for _, d in g.degree()}
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_does_not_hard_code_counts(path, counts):
    """A number in a markdown cell that equals a count of the data will be wrong when data/ grows: print it
    from a code cell instead. Years (four digits) and references such as (1989) are not counts here."""
    import re

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"`[^`]*`", "", cell.source)  # code (ids, options such as P5Y) is not prose
        for run in re.findall(r"(?<![\w.])\d+(?![\w.])", text):
            if len(run) == 4 and run[:2] in ("19", "20"):
                continue
            assert int(run) not in counts, f"{path.name}: markdown hard-codes {run}, a count of the data: {cell.source[:120]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.fixture(scope="module")
def executed():
    """Each notebook, run once: path -> (the executed notebook, its metrics table as a dict or None)."""
    cache: dict[Path, tuple] = {}

    def run(path: Path):
        if path not in cache:
            notebook = nbformat.read(path, as_version=4)
            notebook.cells.append(nbformat.v4.new_code_cell(_READ_BACK))
            client = NotebookClient(notebook, timeout=180, kernel_name=notebook.metadata.kernelspec.name,
                                    resources={"metadata": {"path": str(path.parent)}})
            client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
            text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
            metrics = json.loads(text.split("METRICS ", 1)[1]) if "METRICS " in text else None
            cache[path] = (notebook, metrics)
        return cache[path]

    return run


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_and_draws_a_chart(path, executed):
    notebook, _ = executed(path)
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, f"{path.name} drew no chart"


def test_one_measure_one_value_everywhere(tmp_path, executed):
    """Issue 17, section 2: LINK-J's betweenness was 0.131 in metrics.csv and on the map, 0.336 from
    `analyze centrality` and `analyze metrics`, 0.411 and 0.115 in the notebooks. Build once, then ask
    every way for the same filters (none), and compare every measure of every organisation to 1e-9."""
    import csv
    import io

    from click.testing import CliRunner

    import clusterkg
    from clusterkg.cli import main
    from clusterkg.graph.map.render import SIZE_METRICS, metric_values
    from clusterkg.graph.network import organization_graph

    data = ROOT / "data"
    result = clusterkg.build([data], tmp_path / "out")
    ds = result.dataset

    def read(text: str) -> dict[str, dict[str, str]]:
        return {row["node"]: row for row in csv.DictReader(io.StringIO(text))}

    def cli(*args: str) -> dict[str, dict[str, str]]:
        run = CliRunner().invoke(main, ["analyze", *args, str(data), "--format", "csv"])
        assert run.exit_code == 0, run.output
        return read(run.stdout)

    sources = {
        "metrics.csv": read((tmp_path / "out" / "metrics.csv").read_text(encoding="utf-8")),
        "analyze metrics": cli("metrics"),
        "analyze metrics --isolates": cli("metrics", "--isolates"),
        "analyze centrality": cli("centrality"),
        "clusterkg.metrics": {n: row for n, row in clusterkg.metrics(ds).to_dict(orient="index").items()},
        "notebook": executed(ROOT / "notebooks" / "organisation_profile.ipynb")[1],
    }
    graph = organization_graph(ds)
    sources["map"] = {}
    for name in SIZE_METRICS:
        for node, value in metric_values(graph, name).items():
            sources["map"].setdefault(node, {})[name.replace("-", "_")] = value

    reference = sources["metrics.csv"]
    assert "link-j" in reference and "cell-therapy-catapult" not in reference
    compared = 0
    for label, table in sources.items():
        assert table, f"{label}: nothing to compare"
        assert set(table) <= set(reference), label
        for node, row in table.items():
            for measure, value in row.items():
                if measure in ("node", "name", "former_names", "country", "kind", "group"):
                    continue
                expected, found = _number(reference[node][measure]), _number(value)
                if expected is None or found is None:
                    # Undefined (an isolate's structural holes, its community): undefined everywhere,
                    # but on the map, which sizes such a node as 0.
                    assert (expected is None and found is None) or (label == "map" and found == 0), \
                        (label, node, measure, value, reference[node][measure])
                    continue
                assert abs(found - expected) <= 1e-9, (label, node, measure, value, reference[node][measure])
                compared += 1
    # The betweenness the issue quotes, the same in all seven.
    values = {label: float(t["link-j"]["betweenness"]) for label, t in sources.items()}
    assert max(values.values()) - min(values.values()) <= 1e-9, values
    assert compared > 1000
