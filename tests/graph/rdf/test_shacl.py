"""graph/rdf/shacl.problems: a SHACL violation comes back as a model Problem at the file and line of
the record it is about (from the dataset's origins), with the rule as the field.

The oracle is the dataset itself: ``Dataset.origins`` says where each record was read, so the
problem of a record broken by hand must point there, and a record without an origin points at
``graph``.
"""

from __future__ import annotations

from clusterkg.graph.rdf import to_graph
from clusterkg.graph.rdf.shacl import problems
from clusterkg.model.problems import Location, Problem
from clusterkg.ontology import vocab
from rdflib import URIRef

BASE = "https://example.org/kg/"


def test_the_sample_dataset_has_no_shacl_problems(sample_dataset):
    assert problems(sample_dataset, sample_dataset.origins, BASE) == []


def _broken(sample_dataset) -> tuple[object, str]:
    """The sample's graph with one agreement's sources removed, and that agreement's id."""
    agreement_id = sorted(sample_dataset.agreements)[0]
    graph = to_graph(sample_dataset, BASE)
    graph.remove((URIRef(f"{BASE}agreement/{agreement_id}"), vocab.PROV.wasDerivedFrom, None))
    return graph, agreement_id


def test_a_violation_is_a_problem_at_the_records_file_and_line(sample_dataset):
    graph, agreement_id = _broken(sample_dataset)
    where = sample_dataset.origins[("agreement", agreement_id)]
    assert where.line is not None
    found = problems(graph, sample_dataset.origins, BASE)
    assert len(found) == 1, [str(p) for p in found]
    problem = found[0]
    assert isinstance(problem, Problem)
    assert problem.location == where
    assert problem.field == "at least one source"
    assert problem.record == f"agreement {agreement_id}"
    assert str(problem).startswith(f"{where}: at least one source: ")


def test_a_record_without_an_origin_is_placed_in_the_graph(sample_dataset):
    graph, agreement_id = _broken(sample_dataset)
    (problem,) = problems(graph, {}, BASE)
    assert problem.location == Location("graph")
    assert problem.record == f"agreement {agreement_id}"
