"""SHACL validation: core constraints on rudof, SPARQL-based constraints on pyoxigraph, and the
identifiers of the reference copy, all on one parse of the data.

The data is loaded once into a pyoxigraph store. The shapes file is split at run time: rudof's native
engine (pyrudof) gets every shape without its sh:sparql constraints, and each SPARQL constraint runs
once over the whole graph on pyoxigraph, with $this left free (every constraint query binds $this to
its target class itself) and the results kept for the shape's targets. pySHACL, which would take
seconds per SPARQL constraint and several times longer for the core, is the test oracle for both
halves. Every part reports (focus node, path, constraint component, shape, message).
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
    """The hand-written shapes (or the file given) plus the shapes generated from the ontology."""
    from .shapegen import GENERATED
    graph = Graph().parse(path or paths.SHAPES, format="turtle")
    if path is None or Path(path).resolve() == paths.SHAPES.resolve():
        graph.parse(GENERATED, format="turtle")
    return graph


def _owner(shapes: Graph, shape) -> str:
    """Name a shape: a named shape by its IRI; a blank property shape by the node shape holding it."""
    if isinstance(shape, URIRef):
        return _name(shape)
    for parent in shapes.subjects(SH.property, shape):
        return _name(parent)
    return "anonymous shape"


SKOLEM = "urn:nscr:shape-node:"


def core_shapes(shapes: Graph) -> Graph:
    """The shapes without their sh:sparql constraints (those run on pyoxigraph)."""
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


# rudof keeps what it computes for every shape of one run until the run ends, so its peak memory grows
# with shapes x data (6 GB for all 187 node shapes on 370k triples); on a graph of more than
# GROUPED_FROM triples the shapes run a group at a time (each run costs a pass: +1 s CPU at 28k)
SHAPES_PER_RUN = 16
GROUPED_FROM = 100_000
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def shape_groups(core: Graph, size: int = SHAPES_PER_RUN) -> list[Graph]:
    """The shapes that select focus nodes (node shapes, shapes with a target), `size` at a time, each
    group with every node of the shapes graph it reaches (its property shapes, lists, the shapes it
    names), so each group validates on its own exactly as it would inside the whole file."""
    roots = sorted(set(core.subjects(RDF.type, SH.NodeShape)) | {s for t in TARGETS for s in core.subjects(t, None)})
    groups = []
    for i in range(0, len(roots), size):
        group, todo, seen = Graph(), list(roots[i:i + size]), set(roots[i:i + size])
        while todo:
            node = todo.pop()
            for p, o in core.predicate_objects(node):
                group.add((node, p, o))
                if o not in seen and (o, None, None) in core:
                    seen.add(o)
                    todo.append(o)
        groups.append(group)
    return groups


def core_results(data: Graph, shapes: Graph, ntriples: str | None = None) -> list[Result]:
    """The core constraints on rudof's native SHACL engine (Rust, pyrudof); pySHACL is its test oracle.

    Blank nodes of the shapes graph are skolemised first, so that a result's source shape can be
    traced back to the named node shape that holds it. The data is read once; the shapes run in
    groups (shape_groups), which bounds rudof's memory."""
    import tempfile

    import pyrudof
    core = Graph()
    for triple in core_shapes(shapes):
        core.add(tuple(URIRef(SKOLEM + str(t)) if isinstance(t, BNode) else t for t in triple))
    entries = []
    with tempfile.TemporaryDirectory() as tmp:
        data_file, shapes_file = Path(tmp) / "data.nt", Path(tmp) / "shapes.nt"
        data_file.write_text(ntriples or data.serialize(format="nt", encoding="utf-8").decode("utf-8"), encoding="utf-8")
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(str(data_file), format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        large = (ntriples.count("\n") if ntriples else len(data)) > GROUPED_FROM
        for group in shape_groups(core, SHAPES_PER_RUN if large else len(core)):
            shapes_file.write_bytes(group.serialize(format="nt", encoding="utf-8"))
            rudof.reset_shacl()
            rudof.read_shacl(str(shapes_file), format=pyrudof.ShaclFormat.NTriples)
            entries += rudof.validate_shacl()
    out = []
    for e in entries:
        source = e.source_shape or ""
        shape = BNode(source[len(SKOLEM):]) if source.startswith(SKOLEM) else URIRef(source)
        message = shapes.value(shape, SH.message) or e.message or ""
        out.append(Result(_entry_name(e.focus_node), _entry_name(e.path), _entry_name(e.constraint_component),
                          _owner(shapes, shape), str(e.severity).rsplit("#", 1)[-1].removeprefix("sh:"), str(message)))
    return out


def _entry_name(text) -> str:
    """A node as rudof prints it (IRI, or a quoted literal) named as _name names rdflib terms."""
    if not text:
        return ""
    text = str(text)
    if text.startswith('"'):
        return text[1:text.rindex('"')]
    return contract(text.strip("<>"))


def pyshacl_core_results(data: Graph, shapes: Graph) -> list[tuple[str, str, str, str]]:
    """The same core constraints run by pySHACL: the oracle the tests compare rudof with."""
    import pyshacl
    _, report, _ = pyshacl.validate(data, shacl_graph=core_shapes(shapes), inference="none", advanced=False,
                                    allow_warnings=True, abort_on_first=False)
    return sorted({(_name(report.value(res, SH.focusNode)), _name(report.value(res, SH.resultPath)),
                    _name(report.value(res, SH.sourceConstraintComponent)), _owner(shapes, report.value(res, SH.sourceShape)))
                   for res in report.subjects(RDF.type, SH.ValidationResult)})


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


def reference_results(store: ox.Store) -> list[Result]:
    """A gene or drug that lacks an identifier the project's reference copy holds for it: a dropped identifier.

    Genes are resolved by their label (the HGNC symbol), drugs by their label and synonyms, exactly as
    the build resolves them, so a mapping the build wrote and a later step lost is reported."""
    from . import reference
    from .individuals.context import reference_iri
    ref = reference.load()
    rows = store.query("""
        PREFIX nscr: <https://w3id.org/nscr/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?node ?kind ?name ?mapped WHERE {
          VALUES ?kind { nscr:Gene nscr:Drug } ?node a ?kind .
          { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name } UNION { ?node skos:exactMatch|skos:closeMatch ?mapped }
        }""")
    names: dict[tuple[str, str], list[str]] = {}
    mapped: dict[str, set[str]] = {}
    for r in rows:
        node = r["node"].value
        names.setdefault((node, r["kind"].value), [])
        if r["name"] is not None:
            names[(node, r["kind"].value)].append(r["name"].value)
        if r["mapped"] is not None:
            mapped.setdefault(node, set()).add(r["mapped"].value)
    out = []
    for (node, kind), found in sorted(names.items()):
        labels = sorted(set(found))
        resolved = (ref.gene(labels[0]) if kind.endswith("/Gene") else ref.drug(labels)) if labels else None
        if resolved is None:
            continue
        for curie in sorted(resolved.ids):
            if str(reference_iri(curie)) not in mapped.get(node, set()):
                out.append(Result(contract(node), "skos:exactMatch", "nscr:ReferenceIdentifierConstraint",
                                  "nscr:ReferenceIdentifiersShape", "Violation",
                                  f"the reference copy holds {curie} for this entity, but the graph does not map it"))
    return out


def validate_store(store: ox.Store, shapes: Graph) -> Report:
    """Every check on one parse of the data: rudof (core), pyoxigraph (SPARQL rules), the reference copy."""
    ntriples = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8")
    results = core_results(None, shapes, ntriples) + sparql_results(store, shapes) + reference_results(store)
    targets: set[str] = set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        targets |= _targets(store, shapes, shape)
    return Report(sorted(set(results)), len(targets))


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    return validate_store(to_store(data), shapes if shapes is not None else load_shapes())


def validate_file(path: Path, shapes: Path | None = None) -> Report:
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} does not exist (run `nscr build` first)")
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".").replace("owl", "rdf")))
    return validate_store(store, load_shapes(shapes))


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
