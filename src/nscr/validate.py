"""SHACL validation: core constraints in pySHACL, SPARQL-based constraints on pyoxigraph.

pySHACL evaluates sh:sparql constraints with rdflib's SPARQL engine, which costs
seconds per constraint as the graph grows; pyoxigraph answers the same queries in
milliseconds. So the shapes file is split at run time: pySHACL gets every shape
without its sh:sparql constraints, and each SPARQL constraint runs once over the
whole graph on pyoxigraph, with $this left free (every constraint query binds
$this to its target class itself) and the results kept for the shape's targets.
Both halves report (focus node, path, constraint component, shape, message).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef

from . import paths
from .prefixes import contract
from .queries import display

SH = Namespace("http://www.w3.org/ns/shacl#")
VIOLATION = SH.Violation


@dataclass(frozen=True, order=True)
class Result:
    focus: str
    path: str
    component: str
    shape: str
    severity: str
    message: str

    def key(self) -> tuple[str, str, str, str]:
        return (self.focus, self.path, self.component, self.shape)


@dataclass
class Report:
    results: list[Result]
    targets: int

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def text(self) -> str:
        if not self.results:
            return f"Conforms: yes ({self.targets} focus nodes checked against the shapes)"
        lines = [f"Conforms: {'yes' if self.conforms else 'no'} ({len(self.results)} results on {self.targets} focus nodes)"]
        for r in sorted(self.results):
            where = f" {r.path}" if r.path else ""
            lines.append(f"{r.severity:9s} {r.focus}{where} [{r.shape}, {r.component}]: {r.message}")
        return "\n".join(lines)


def _name(term) -> str:
    return contract(str(term)) if isinstance(term, URIRef) else (str(term) if term is not None else "")


def load_shapes(path: Path | None = None) -> Graph:
    return Graph().parse(path or paths.SHAPES, format="turtle")


def _owner(shapes: Graph, shape) -> str:
    """Name a shape: a named shape by its IRI; a blank property shape by the node shape holding it."""
    if isinstance(shape, URIRef):
        return _name(shape)
    for parent in shapes.subjects(SH.property, shape):
        return _name(parent)
    return "anonymous shape"


def core_results(data: Graph, shapes: Graph) -> list[Result]:
    import pyshacl
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    _, report, _ = pyshacl.validate(data, shacl_graph=core, inference="none", advanced=False,
                                    allow_warnings=True, abort_on_first=False)
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(res, SH.sourceShape)
        message = report.value(res, SH.resultMessage) or shapes.value(shape, SH.message) or ""
        out.append(Result(_name(report.value(res, SH.focusNode)), _name(report.value(res, SH.resultPath)),
                          _name(report.value(res, SH.sourceConstraintComponent)), _owner(shapes, shape),
                          _name(report.value(res, SH.resultSeverity)).removeprefix("sh:"), str(message)))
    return out


def _prefix_block(shapes: Graph, constraint) -> str:
    lines = []
    for onto in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(onto, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines))) + "\n"


def _targets(store: ox.Store, shapes: Graph, shape) -> set[str]:
    found: set[str] = set()
    queries = []
    for cls in shapes.objects(shape, SH.targetClass):
        queries.append(f"SELECT DISTINCT ?t WHERE {{ ?t a/<{RDFS.subClassOf}>* <{cls}> }}")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        queries.append(f"SELECT DISTINCT ?t WHERE {{ ?t <{prop}> ?o }}")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        queries.append(f"SELECT DISTINCT ?t WHERE {{ ?s <{prop}> ?t }}")
    for q in queries:
        found.update(str(sol["t"].value) if hasattr(sol["t"], "value") else str(sol["t"]) for sol in store.query(q))
    return found


def sparql_results(store: ox.Store, shapes: Graph) -> list[Result]:
    out = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=lambda t: (str(t[0]), str(t[1]))):
        select = str(shapes.value(constraint, SH.select))
        query = _prefix_block(shapes, constraint) + re.sub(r"\$this\b", "?this", select)
        message = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "")
        severity = _name(shapes.value(shape, SH.severity) or VIOLATION).removeprefix("sh:")
        targets = _targets(store, shapes, shape)
        for sol in store.query(query):
            this = sol["this"]
            if this is None or this.value not in targets:
                continue
            text = re.sub(r"\{[?$](\w+)\}", lambda m: display(sol[m.group(1)] if m.group(1) != "this" else this), message)
            out.append(Result(contract(this.value), "", "sh:SPARQLConstraintComponent", _name(shape), severity, text))
    return out


def to_store(data: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def reference_results(data: Graph) -> list[Result]:
    """A gene or drug that lacks an identifier the project's reference copy holds for it: a dropped identifier.

    Genes are resolved by their label (the HGNC symbol), drugs by their label and synonyms, exactly as
    the build resolves them, so a mapping the build wrote and a later step lost is reported."""
    from rdflib.namespace import SKOS

    from . import reference
    from .individuals.context import reference_iri
    from .prefixes import NSCR
    ref = reference.load()
    mapped = lambda node: set(data.objects(node, SKOS.exactMatch)) | set(data.objects(node, SKOS.closeMatch))  # noqa: E731
    out = []
    for kind, resolve in ((NSCR.Gene, lambda names: ref.gene(names[0])), (NSCR.Drug, ref.drug)):
        for node in sorted(set(data.subjects(RDF.type, kind))):
            names = [str(o) for o in data.objects(node, RDFS.label)] + [str(o) for o in data.objects(node, SKOS.altLabel)]
            resolved = resolve(names) if names else None
            if resolved is None:
                continue
            have = mapped(node)
            for curie in sorted(resolved.ids):
                if reference_iri(curie) not in have:
                    out.append(Result(contract(str(node)), "skos:exactMatch", "nscr:ReferenceIdentifierConstraint",
                                      "nscr:ReferenceIdentifiersShape", "Violation",
                                      f"the reference copy holds {curie} for this entity, but the graph does not map it"))
    return out


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    shapes = shapes if shapes is not None else load_shapes()
    store = to_store(data)
    results = core_results(data, shapes) + sparql_results(store, shapes) + reference_results(data)
    targets: set[str] = set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        targets |= _targets(store, shapes, shape)
    return Report(sorted(set(results)), len(targets))


def validate_file(path: Path, shapes: Path | None = None) -> Report:
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} does not exist (run `nscr build` first)")
    fmt = "xml" if Path(path).suffix in (".owl", ".rdf") else None
    return validate_graph(Graph().parse(path, format=fmt), load_shapes(shapes))


def pyshacl_reference(data: Graph, shapes: Graph) -> list[tuple[str, str, str, str]]:
    """The whole shapes file (SPARQL constraints included) run by pySHACL alone: the test oracle."""
    import pyshacl
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    keys = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(res, SH.sourceShape)
        component = report.value(res, SH.sourceConstraintComponent)
        owner = _owner(shapes, shape) if not isinstance(shape, BNode) or component != SH.SPARQLConstraintComponent \
            else _name(next(shapes.subjects(SH.sparql, report.value(res, SH.sourceConstraint)), shape))
        keys.append((_name(report.value(res, SH.focusNode)), _name(report.value(res, SH.resultPath)),
                     _name(component), owner))
    return sorted(set(keys))


__all__ = ["Report", "Result", "validate_graph", "validate_file", "pyshacl_reference"]
