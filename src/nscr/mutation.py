"""Mutation testing of the shapes: seed single-triple faults into the real graph and count how many
`nscr validate` catches.

Fault kinds, each derived from the ontology, the generated shapes' inputs and the graph itself:
  required   every property shapes/required.tsv or an OWL restriction makes required, dropped from one
             individual of the class;
  literal    every IRI-valued property given a string literal instead of its IRI;
  datatype   every datatype property given a value of the wrong kind (an IRI);
  identifier every external identifier namespace the graph carries, one mapping corrupted;
  wrongclass every object property with a range pointed at an individual outside that range;
  functional every functional property given a second value;
  closed     every root class with individuals given an unknown (misspelt) property;
  sparql     every SPARQL-based rule, broken by its case in tests/shapes/cases/.
A fault counts as caught when validation reports a violation on the individual the fault touched,
on the property it touched (or on the node itself). Faults the model does not call faults (dropping
a property no rule requires, even one every individual happens to carry today) are listed as
excluded, with the reason. Faults on unrelated individuals are validated together in batches (no two
faults of a batch touch the same or neighbouring individuals), so the run stays short.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from .prefixes import NSCR, contract
from .shapegen import _classes_of, _properties, _restrictions, _roots, load_iri_valued, load_required
from .validate import load_shapes, reference_results, sparql_results, validate_store

NT = str  # one N-Triples line


@dataclass
class Fault:
    kind: str
    description: str
    subject: URIRef
    prop: URIRef | None
    remove: list[NT] = field(default_factory=list)
    add: list[NT] = field(default_factory=list)
    update: str | None = None  # a SPARQL Update (the sparql kind), instead of remove/add
    expect: set[tuple[str, str]] = field(default_factory=set)  # (focus, shape) for the sparql kind


@dataclass
class Outcome:
    faults: list[Fault]
    caught: list[Fault]
    missed: list[Fault]
    excluded: list[tuple[str, str]]

    @property
    def rate(self) -> float:
        return len(self.caught) / len(self.faults) if self.faults else 0.0

    def text(self) -> str:
        per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f in self.faults:
            per_kind[f.kind][0] += 1
        for f in self.caught:
            per_kind[f.kind][1] += 1
        lines = [f"mutation test: {len(self.caught)} of {len(self.faults)} seeded faults caught ({100 * self.rate:.1f}%)"]
        lines += [f"  {kind:11s} {caught:4d} / {total:4d}" for kind, (total, caught) in sorted(per_kind.items())]
        lines.append(f"missed ({len(self.missed)}):")
        lines += [f"  [{f.kind}] {f.description}" for f in self.missed] or ["  none"]
        lines.append(f"excluded, not faults by the model's rules ({len(self.excluded)}):")
        lines += [f"  {what}: {why}" for what, why in self.excluded] or ["  none"]
        return "\n".join(lines)


def _another_literal(o: Literal) -> Literal:
    """A different, well-typed value of the same datatype (so only the cardinality is wrong)."""
    if isinstance(o.toPython(), int):
        return Literal(o.toPython() + 1, datatype=o.datatype)
    return Literal(str(o) + " (second)", datatype=o.datatype, lang=o.language)


def _nt(s, p, o) -> NT:
    return f"{s.n3()} {p.n3()} {o.n3()} ."


class Seeder:
    """Builds the fault list for one graph, choosing a different individual per fault where it can."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.individuals = sorted(s for s in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef))
        self.supers: dict[URIRef, set[URIRef]] = {}
        self.members: dict[URIRef, list[URIRef]] = defaultdict(list)
        for ind in self.individuals:
            for t in graph.objects(ind, RDF.type):
                for c in self._up(t):
                    self.members[c].append(ind)
        self.used: set[URIRef] = set()
        self.individual_set = set(self.individuals)
        self.member_sets = {c: set(m) for c, m in self.members.items()}

    def _up(self, cls) -> set[URIRef]:
        if cls not in self.supers:
            self.supers[cls] = {c for c in self.g.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}
        return self.supers[cls]

    def is_a(self, ind, cls) -> bool:
        return ind in self.member_sets.get(cls, ())

    def pick(self, candidates):
        """A candidate not used by an earlier fault (else any), in a fixed hashed order, so that faults
        spread over unrelated individuals and can be validated in the same batch."""
        candidates = sorted(set(candidates), key=lambda c: (hashlib.sha1(str(c).encode()).hexdigest(), str(c)))
        for c in candidates:
            if c not in self.used:
                self.used.add(c)
                return c
        return candidates[0] if candidates else None

    def triples_of(self, prop, *, iri_objects=None):
        out = []
        for s, o in self.g.subject_objects(prop):
            if s not in self.individual_set:
                continue
            if iri_objects is True and not isinstance(o, URIRef):
                continue
            if iri_objects is False and not isinstance(o, Literal):
                continue
            out.append((s, o))
        return out


def seed(graph: Graph, cases: list[Path]) -> tuple[list[Fault], list[tuple[str, str]]]:
    sd = Seeder(graph)
    individuals = set(sd.individuals)
    faults: list[Fault] = []
    excluded: list[tuple[str, str]] = []
    name = lambda t: contract(str(t))  # noqa: E731

    # required: what the model requires, dropped from one individual
    required = {(r.cls, r.prop) for r in load_required()}
    required |= {(c, p) for c, p, kind, count, _ in _restrictions(graph) if kind == "min" and count >= 1}
    for cls, prop in sorted(required, key=lambda t: (str(t[0]), str(t[1]))):
        carriers = [i for i in sd.members.get(cls, []) if (i, prop, None) in graph]
        ind = sd.pick(carriers)
        if ind is None:
            excluded.append((f"drop {name(prop)} from a {name(cls)}", "no individual of the class in this graph"))
            continue
        faults.append(Fault("required", f"{name(prop)} dropped from {name(ind)} ({name(cls)})", ind, prop,
                            remove=[_nt(ind, prop, o) for o in graph.objects(ind, prop)]))
    # what every individual of a class carries today but no rule requires: excluded, with the reason
    for cls in _roots(graph):
        inds = sd.members.get(cls, [])
        if not inds:
            continue
        common = set.intersection(*[set(graph.predicates(i, None)) for i in inds]) - {RDF.type}
        for prop in sorted(common, key=str):
            if not any(p == prop and sd.is_a(inds[0], c) for c, p in required):
                excluded.append((f"drop {name(prop)} from a {name(cls)}",
                                 "every individual carries it today, but the model makes it optional"))

    def swap_one_value(kind, props, iri_objects, what, replacement):
        """For each property, one value of one individual replaced by a value of the wrong kind."""
        for prop in props:
            pairs = sd.triples_of(prop, iri_objects=iri_objects)
            if not pairs:
                excluded.append((f"{name(prop)} {what}", "the property has no values in this graph"))
                continue
            ind = sd.pick([s for s, _ in pairs])
            o = next(o for s, o in sorted(pairs) if s == ind)
            bad = replacement(o)
            faults.append(Fault(kind, f"{name(prop)} of {name(ind)} {what} ({bad.n3()} for {o.n3()})", ind, prop,
                                remove=[_nt(ind, prop, o)], add=[_nt(ind, prop, bad)]))

    # literal: IRI-valued properties given a string; datatype: datatype properties given an IRI
    iri_props = [p for p in _properties(graph) if (p, RDF.type, OWL.ObjectProperty) in graph] + load_iri_valued()
    swap_one_value("literal", sorted(set(iri_props), key=str), True, "as a string", lambda o: Literal(str(o)))
    swap_one_value("datatype", [p for p in _properties(graph) if (p, RDF.type, OWL.DatatypeProperty) in graph], False,
                   "given an IRI", lambda o: NSCR["not-a-value"])

    # identifier: one mapping per identifier namespace corrupted (digits turned into letters)
    by_namespace: dict[str, list[tuple[URIRef, URIRef, URIRef]]] = defaultdict(list)
    for prop in (SKOS.exactMatch, SKOS.closeMatch, NSCR.diseaseContext):
        for s, o in sd.triples_of(prop, iri_objects=True):
            ns = contract(str(o)).split(":", 1)[0] if ":" in contract(str(o)) else str(o)
            by_namespace[ns].append((s, prop, o))
    for ns in sorted(by_namespace):
        ind = sd.pick([s for s, _, _ in by_namespace[ns]])
        s, prop, o = next(t for t in sorted(by_namespace[ns]) if t[0] == ind)
        bad = URIRef(str(o)[:-1] + "Q" if str(o)[-1].isdigit() else str(o) + "%20x")
        faults.append(Fault("identifier", f"{ns} identifier {name(o)} of {name(ind)} corrupted to {name(bad)}", ind, prop,
                            remove=[_nt(s, prop, o)], add=[_nt(s, prop, bad)]))
    for prop in (p for p in _properties(graph) if "nct" in str(p).lower()):
        trials = sd.triples_of(prop, iri_objects=False)
        if trials:
            ind = sd.pick([s for s, _ in trials])
            o = next(o for s, o in sorted(trials) if s == ind)
            faults.append(Fault("identifier", f"NCT number {o} of {name(ind)} corrupted", ind, prop,
                                remove=[_nt(ind, prop, o)], add=[_nt(ind, prop, Literal(str(o)[:-1]))]))

    # wrongclass: object properties pointed at an individual outside their range
    for prop in _properties(graph):
        if (prop, RDF.type, OWL.ObjectProperty) not in graph:
            continue
        ranges = [c for r in graph.objects(prop, RDFS.range) for c in (_classes_of(graph, r) or [])]
        pairs = sd.triples_of(prop, iri_objects=True)
        if not ranges:
            if pairs:
                excluded.append((f"{name(prop)} pointed at the wrong class", "the ontology gives it no range"))
            continue
        if not pairs:
            continue
        outside = [i for i in sd.individuals if not any(sd.is_a(i, r) for r in ranges)]
        ind = sd.pick([s for s, _ in pairs])
        o = next(o for s, o in sorted(pairs) if s == ind)
        wrong = outside[len(outside) // 2]
        faults.append(Fault("wrongclass", f"{name(prop)} of {name(ind)} pointed at {name(wrong)} (not {' or '.join(map(name, ranges))})",
                            ind, prop, remove=[_nt(ind, prop, o)], add=[_nt(ind, prop, wrong)]))

    # functional: a second value
    for prop in _properties(graph):
        if (prop, RDF.type, OWL.FunctionalProperty) not in graph:
            continue
        pairs = sd.triples_of(prop)
        if not pairs:
            continue
        ind = sd.pick([s for s, _ in pairs])
        o = next(o for s, o in sorted(pairs) if s == ind)
        others = sorted({v for _, v in pairs if v != o and type(v) is type(o)}, key=str)
        ranges = [c for r in graph.objects(prop, RDFS.range) for c in (_classes_of(graph, r) or [])]
        others += sorted({m for r in ranges for m in sd.members.get(r, []) if m != o}, key=str)
        second = others[0] if others else (_another_literal(o) if isinstance(o, Literal) else None)
        if second is None:
            excluded.append((f"second value of {name(prop)}", "no other value of the right kind in this graph"))
            continue
        faults.append(Fault("functional", f"{name(prop)} of {name(ind)} given a second value {second.n3()}", ind, prop,
                            add=[_nt(ind, prop, second)]))

    # closed: an unknown property on an individual of each root class
    for root in _roots(graph):
        inds = sd.members.get(root, [])
        if not inds:
            continue
        ind = sd.pick(inds)
        typo = NSCR["hasPasage"]
        faults.append(Fault("closed", f"unknown property {name(typo)} on {name(ind)} ({name(root)})", ind, typo,
                            add=[_nt(ind, typo, Literal("x"))]))

    # sparql: the failing case of every SPARQL-based rule
    for case in cases:
        expect = set()
        for line in case.read_text().splitlines():
            if line.startswith("# expect:"):
                focus, _, component, shape = (p.strip() for p in line[len("# expect:"):].split("|"))
                if component in ("sh:SPARQLConstraintComponent", "nscr:ReferenceIdentifierConstraint"):
                    expect.add((focus, shape))
        if expect:
            focus = sorted(expect)[0][0]
            faults.append(Fault("sparql", f"{case.stem}: breaks {', '.join(sorted({s for _, s in expect}))}",
                                URIRef(focus), None, update=case.read_text(), expect=expect))
    assert all(f.subject in individuals or f.kind == "sparql" for f in faults)
    return faults, sorted(set(excluded))


def _neighbours(graph: Graph, node, individuals: set) -> set:
    """The individual itself, the individuals it points at, and those pointing at it."""
    near = {o for o in graph.objects(node, None) if o in individuals} | {s for s in graph.subjects(None, node) if s in individuals}
    return near | {node}


def batches(graph: Graph, faults: list[Fault]) -> list[list[Fault]]:
    """Group remove/add faults so that no fault's individual is, or neighbours, another's in the batch
    (a fault can then only show up on its own individual); SPARQL-rule cases run one by one."""
    individuals = {s for s in graph.subjects(RDF.type, OWL.NamedIndividual)}
    out: list[tuple[set, set, list[Fault]]] = []  # (subjects, their neighbourhoods, faults)
    for f in faults:
        if f.update is not None:
            out.append(({None}, {None}, [f]))
            continue
        near = _neighbours(graph, f.subject, individuals)
        for subjects, hood, group in out:
            if None not in subjects and f.subject not in hood and not (near & subjects):
                subjects.add(f.subject)
                hood |= near
                group.append(f)
                break
        else:
            out.append(({f.subject}, set(near), [f]))
    return [group for _, _, group in out]


def caught_by(report_results, fault: Fault) -> bool:
    focus = contract(str(fault.subject))
    if fault.kind == "sparql":
        found = {(r.focus, r.shape) for r in report_results}
        return fault.expect <= found
    paths = {contract(str(fault.prop)) if fault.prop is not None else "", ""}
    if fault.kind == "identifier":  # the dropped-identifier check names the mappings as one path
        paths |= {"skos:exactMatch", "skos:closeMatch"}
    return any(r.focus == focus and r.path in paths and r.severity == "Violation" for r in report_results)


def run(graph: Graph, cases: list[Path]) -> Outcome:
    faults, excluded = seed(graph, cases)
    shapes = load_shapes()
    base_lines = [_nt(s, p, o) for s, p, o in graph]
    base = set(base_lines)
    caught, missed = [], []
    for group in batches(graph, faults):
        store = ox.Store()
        if group[0].update is not None:  # a SPARQL rule's case: only the SPARQL and reference checks can see it
            store.bulk_load("\n".join(base_lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            store.update(group[0].update)
            results = sparql_results(store, shapes) + reference_results(store)
        else:
            lines = set(base)
            for f in group:
                lines -= set(f.remove)
                lines |= set(f.add)
            store.bulk_load("\n".join(sorted(lines)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            results = validate_store(store, shapes).results
        for f in group:
            (caught if caught_by(results, f) else missed).append(f)
    return Outcome(faults, caught, missed, excluded)
