"""Check an RDF graph against ontology/shapes.ttl with pySHACL, and say what is wrong in words.

pySHACL runs with inference off and without following owl:imports, so nothing
is fetched. Each violation comes back as a :class:`Violation`: the record it
is about (``agreement mou-x``, found from the focus node's IRI), the rule it
breaks (the constraint's ``rdfs:label``) and the shape's message; the raw
SHACL report is not shown to users. :func:`problems` turns them into the
model's :class:`~clusterkg.model.problems.Problem` objects at the record's file and line.

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
from typing import TYPE_CHECKING, Any

from rdflib.namespace import RDFS

from clusterkg.ontology.vocab import SH, SHAPES_FILE

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from rdflib import Graph
    from rdflib.term import Node

    from clusterkg.model.dataset import Dataset
    from clusterkg.model.problems import Location, Problem


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


def problems(records: Graph | Dataset | Iterable[Any], origins: Mapping[tuple[str, str], Location],
             base: str | None = None) -> list[Problem]:
    """The SHACL violations of records (or of their graph) as model Problem objects.

    Each problem has the record's file and line from ``origins`` (``(kind, id) -> Location``, as
    :attr:`Dataset.origins <clusterkg.model.dataset.Dataset.origins>` holds them; ``graph`` when the
    record has none), the rule as the field, the shape's message, and the record. The body of
    ``clusterkg validate --shacl`` and ``clusterkg rdf check``.

    >>> from clusterkg.model.problems import Location
    >>> from clusterkg.model.records import Agreement, Organization
    >>> org = Organization(id="a", name="A", kind="cluster", country="JP")
    >>> mou = Agreement(id="m", type="mou", parties=["a", "b"], sources=[{"title": "t"}])
    >>> for problem in problems([org, mou], {("agreement", "m"): Location("m.yaml", 3)}):  # b is missing
    ...     print(problem)
    m.yaml:3: parties are organisations: a party of this agreement is not an organisation of the graph (in agreement m)
    """
    from rdflib import Graph

    from clusterkg.graph.rdf import DEFAULT_BASE, to_graph
    from clusterkg.model.problems import Location, Problem

    base = base or DEFAULT_BASE
    graph = records if isinstance(records, Graph) else to_graph(records, base)
    found = []
    for violation in check(graph, base):
        kind, _, record_id = violation.record.partition(" ")
        where = origins.get((kind, record_id)) or Location("graph")
        found.append(Problem(where, violation.message, violation.rule, violation.record))
    return found
