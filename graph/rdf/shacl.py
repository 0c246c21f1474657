"""Check an RDF graph against ontology/shapes.ttl with pySHACL, and say what is wrong in words.

pySHACL runs with inference off and without following owl:imports, so nothing
is fetched. Each violation comes back as a :class:`Violation`: the record it
is about (``agreement mou-x``, found from the focus node's IRI), the rule it
breaks (the constraint's ``rdfs:label``) and the shape's message; the raw
SHACL report is not shown to users.

Examples
--------
>>> from clusterkg.model.records import Agreement, Organization
>>> from clusterkg.graph.rdf import to_graph
>>> org = Organization(id="a", name="A", kind="cluster", country="JP")
>>> mou = Agreement(id="m", type="mou", parties=["a", "b"], sources=[{"title": "t"}])
>>> graph = to_graph([org, Organization(id="b", name="B", kind="city", country="DE"), mou])
>>> check(graph)
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from clusterkg.ontology.vocab import SHAPES_FILE
from rdflib.namespace import RDFS

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset
    from rdflib import Graph
    from rdflib.term import Node

from clusterkg.ontology.vocab import SH

_RECORD_KINDS = ("organization", "agreement", "person", "programme", "event", "source", "place")


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: ``record`` (``agreement mou-x``), ``rule``, ``message``, the node and the value."""

    record: str
    rule: str
    message: str
    focus: str
    value: str | None = None
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.record}: {self.rule}: {self.message}"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    from rdflib import Graph

    return Graph().parse(SHAPES_FILE, format="turtle")


def record_of(focus: str, base: str | None = None) -> str:
    """``agreement mou-x`` for ``{base}agreement/mou-x`` (or a node below it); the IRI when unknown.

    >>> record_of("https://clusterkg.example/id/agreement/mou-x/party/1")
    'agreement mou-x'
    """
    text = str(focus)
    if base is None or not text.startswith(base):
        for kind in _RECORD_KINDS:
            marker = f"/{kind}/"
            if marker in text:
                rest = text.split(marker, 1)[1]
                return f"{kind} {rest.split('/', 1)[0]}"
        return text
    parts = text[len(base):].split("/")
    return f"{parts[0]} {parts[1]}" if len(parts) > 1 and parts[0] in _RECORD_KINDS else text


def check(graph: Graph, base: str | None = None) -> list[Violation]:
    """Every violation of the shapes in ``graph``, sorted by record; empty when it conforms."""
    from pyshacl import validate

    shapes = shapes_graph()
    _, report, _ = validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        do_owl_imports=False,
    )
    found = set()
    # Only the report's own results: nested sh:detail results repeat them in SHACL's words.
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        rule = _rule(shapes, report.value(result, SH.sourceShape), report.value(result, SH.sourceConstraint))
        found.add(Violation(
            record=record_of(str(focus), base),
            rule=rule,
            message=str(message) if message is not None else "breaks this rule",
            focus=str(focus),
            value=None if value is None else str(value),
            severity=str(severity).rsplit("#", 1)[-1],
        ))
    return sorted(found)


def _rule(shapes: Graph, shape: Node | None, constraint: Node | None) -> str:
    for node in (constraint, shape):
        if node is not None:
            label = shapes.value(node, RDFS.label)
            if label is not None:
                return str(label)
    return "shape"


def check_dataset(ds: Dataset, base: str | None = None) -> list[Violation]:
    """Build the dataset's graph and check it (see :func:`check`)."""
    from clusterkg.graph.rdf import DEFAULT_BASE, to_graph

    base = base or DEFAULT_BASE
    return check(to_graph(ds, base), base)
