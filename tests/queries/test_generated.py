"""The Cypher and SPARQL libraries give the same rows on a small generated dataset (issue 15), and a
few queries the rows of a plain-Python reference worked out from the records.

The sample (test_twins.py) holds the edge cases; this holds the load-time summaries
(graph/cypher/summaries.py) to the records on data the generator makes: many organisations per
country, hubs, agreements of one party, month and year dates, renewals. Parameters are drawn from
the data as the benchmarks draw them (benchmarks/query_params.py), so every query returns rows;
the limit is raised above every total, so that the rows compared do not depend on where the two
engines cut ties.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from clusterkg.graph import rdf
from clusterkg.graph.cypher.load import load
from clusterkg.graph.cypher.summaries import last_key
from clusterkg.graph.queries import library, run_query
from clusterkg.graph.rdf import sparql
from clusterkg.graph.rdf.store import oxigraph_store
from clusterkg.loaders.assemble import load_dataset

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from query_params import parameter_sets  # noqa: E402

from .test_twins import as_set  # noqa: E402

ALL = 1_000_000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from clusterkg.synthetic.generate import generate, write_generated

    folder = tmp_path_factory.mktemp("generated")
    write_generated(generate(300, 900, 7), folder / "data", "jsonl")
    ds = load_dataset([folder / "data"])
    assert ds.valid, ds.problems[:3]
    return ds


@pytest.fixture(scope="module")
def engines(falkordb_server, generated):
    graph = falkordb_server.graph("queries-generated")
    graph.delete()
    load(graph, generated)
    yield graph, oxigraph_store(rdf.nt_bytes(generated))
    graph.delete()


def _params(generated):
    sets = parameter_sets(generated, random.Random(3), 4)
    for name, query in library().items():
        for values in sets[name]:
            if any(p.name == "limit" for p in query.params):
                values = {**values, "limit": ALL}
            yield name, values


@pytest.mark.parametrize("name", sorted(library()))
def test_both_libraries_give_the_same_rows_on_generated_data(name, generated, engines):
    graph, store = engines
    answered = 0
    for query, values in _params(generated):
        if query != name:
            continue
        expected = run_query(graph, name, values)
        result = sparql.run(name, store, values)
        if expected:
            answered += 1
            assert result.columns == list(expected[0]), (name, values)
        assert as_set(result.rows, result.columns) == as_set(expected, result.columns), (name, values)
    if name != "agreements_by_programme":  # the generator makes no programmes
        assert answered, f"{name}: no parameter set gave rows, so nothing was compared"


def test_inactive_since_and_most_connected_match_a_plain_python_reference(generated, engines):
    graph, _ = engines
    agreements: dict[str, list] = {org: [] for org in generated.organizations}
    for agreement in generated.agreements.values():
        for org in {p.organization for p in agreement.parties}:
            agreements[org].append(agreement)

    since = "2019"
    expected = set()
    for org, mine in agreements.items():
        dated = [a.date for a in mine if a.date is not None]
        if any(d.latest().isoformat() >= since for d in dated):
            continue
        last = max((last_key(d.isoformat()) for d in dated), default=None)
        status = "never" if not mine else "undated" if not dated else "stopped"
        expected.add((org, last.split("|", 1)[1] if last else None, len(mine), status))
    rows = run_query(graph, "inactive_since", {"since": since, "limit": ALL})
    assert {(r["organization"], r["last"], r["agreements"], r["status"]) for r in rows} == expected
    assert {r["total"] for r in rows} == {len(expected)}

    country = max({o.country for o in generated.organizations.values()},
                  key=lambda c: sum(o.country == c for o in generated.organizations.values()))
    reference = []
    for org, mine in agreements.items():
        if generated.organizations[org].country != country:
            continue
        partners = {p.organization for a in mine for p in a.parties} - {org}
        with_partner = [a for a in mine if {p.organization for p in a.parties} - {org}]
        if partners:
            reference.append((-len(partners), -len(with_partner), org))
    top = [org for _, _, org in sorted(reference)[:5]]
    rows = run_query(graph, "most_connected", {"country": country, "limit": 5})
    assert [r["organization"] for r in rows] == top
    assert rows[0]["total"] == len(reference)
