"""dist/kgx/nscr_nodes.tsv and nscr_edges.tsv: the graph as KGX TSV (https://github.com/biolink/kgx), the
exchange format of Biolink-aligned graphs (KG-Hub, Monarch, Translator), by the mapping in biolink.py.

Nodes are the individuals of a mapped class (categories from every mapped class above their types),
identified by the project's CURIEs, with their rdfs:label and their identifier mappings as xrefs.
Edges are (1) the review's supporting resistance and sensitivity statements, each one edge whose id is
the statement's CURIE and whose publications are the DOIs of the documents its passages are in, and
(2) the triples of the mapped properties between nodes, each identified by a UUID derived from the
triple (the form KGX gives edges without an id), so every build writes the same bytes. A statement
whose subject or therapy is no node (a timing pattern: it classifies resistance by time, names no
cause) and a disputed statement make no edge; a statement's disease (a MONDO class, itself a node) is
its edge's disease_context_qualifier. Every edge is a manual curation asserted as knowledge
(Biolink 4's knowledge_level and agent_type), primary source the project."""
from __future__ import annotations

import uuid

from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, URIRef

from . import biolink
from .prefixes import NSCR, contract

DIR = "kgx"
NODES, EDGES = f"{DIR}/nscr_nodes.tsv", f"{DIR}/nscr_edges.tsv"
INFORES = "infores:nscr"  # the project as a knowledge source (not yet in the infores catalogue)
NODE_COLUMNS = ("id", "category", "name", "xref", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
                "primary_knowledge_source", "publications")
KNOWLEDGE_LEVEL, AGENT_TYPE = "knowledge_assertion", "manual_agent"


def _superclasses(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Each named class -> itself and every named class above it (rdfs:subClassOf, transitively)."""
    parents: dict[URIRef, set[URIRef]] = {}
    for c, p in graph.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(p, URIRef):
            parents.setdefault(c, set()).add(p)
    closed: dict[URIRef, set[URIRef]] = {}

    def up(c: URIRef) -> set[URIRef]:
        if c not in closed:
            closed[c] = {c}
            for p in parents.get(c, ()):
                closed[c] |= up(p)
        return closed[c]
    for c in list(parents):
        up(c)
    return closed


def _cell(text: str) -> str:
    """One TSV cell: KGX has no quoting, so whitespace runs (a tab, a line break) become one space."""
    return " ".join(str(text).split())


def edge_columns(mappings: list[biolink.Mapping]) -> tuple[str, ...]:
    """EDGE_COLUMNS and a column per qualifier of the mapping (disease_context_qualifier)."""
    return EDGE_COLUMNS + tuple(sorted(m.biolink.split(":", 1)[1] for m in mappings if m.kind == "qualifier"))


def tables(graph: Graph, mappings: list[biolink.Mapping] | None = None) -> tuple[list[dict], list[dict]]:
    """(nodes, edges) as rows of NODE_COLUMNS and edge_columns(), sorted."""
    mappings = mappings if mappings is not None else biolink.load()
    category = {m.nscr: m.biolink for m in mappings if m.kind == "class"}
    association = next(m.biolink for m in mappings if m.kind == "association")
    closure = _superclasses(graph)
    types: dict[URIRef, set[URIRef]] = {}
    for s, t in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(t, URIRef):
            types.setdefault(s, set()).update(closure.get(t, {t}))
    cats = {s: {category[c] for c in ts if c in category} for s, ts in types.items()}
    for m in mappings:
        if m.export == "values":
            for o in graph.objects(None, m.nscr):
                cats.setdefault(o, set()).add(m.biolink)
    cats = {s: c for s, c in cats.items() if c}
    qualifiers = {m.nscr: m.biolink.split(":", 1)[1] for m in mappings if m.kind == "qualifier"}

    nodes = []
    for s in cats:
        xrefs = {contract(str(o)) for p in (SKOS.exactMatch, SKOS.closeMatch) for o in graph.objects(s, p)
                 if isinstance(o, URIRef)}
        nodes.append({"id": contract(str(s)), "category": "|".join(sorted(cats[s])),
                      "name": _cell(min((str(o) for o in graph.objects(s, RDFS.label)), default="")),
                      "xref": "|".join(sorted(xrefs)), "provided_by": INFORES})

    def edge(id_: str, s, predicate: str, o, publications=(), qualified=None) -> dict:
        return {**{column: "" for column in qualifiers.values()}, **(qualified or {}),
                "id": id_, "subject": contract(str(s)), "predicate": predicate, "object": contract(str(o)),
                "category": association, "knowledge_level": KNOWLEDGE_LEVEL, "agent_type": AGENT_TYPE,
                "primary_knowledge_source": INFORES, "publications": "|".join(sorted(publications))}

    edges = []
    by_value = {m.nscr: m.biolink for m in mappings if m.export == "statements"}
    for st in set(graph.subjects(NSCR.hasSubject, None)):
        predicate = by_value.get(graph.value(st, NSCR.hasPredicate))
        s, o = graph.value(st, NSCR.hasSubject), graph.value(st, NSCR.hasObject)
        if predicate and graph.value(st, NSCR.hasDirection) == NSCR.Supports and s in cats and o in cats:
            docs = {d for part in graph.objects(st, NSCR.hasPassage) for d in graph.objects(part, NSCR.inDocument)}
            dois = {str(i) for d in docs for i in graph.objects(d, DCTERMS.identifier)}
            qualified = {column: contract(str(graph.value(st, p))) for p, column in qualifiers.items()
                         if graph.value(st, p) is not None}
            edges.append(edge(contract(str(st)), s, predicate, o, dois, qualified))
    for m in mappings:
        if m.export != "triples":
            continue
        for s, o in graph.subject_objects(m.nscr):
            if s in cats and o in cats and (m.subject is None or m.subject in types.get(s, ())) \
                    and (m.object is None or m.object in types.get(o, ())):
                key = f"{s} {m.biolink} {o}"  # uuid5 of the triple: the same id on every build
                edges.append(edge(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}", s, m.biolink, o))
    nodes.sort(key=lambda r: r["id"])
    edges.sort(key=lambda r: (r["subject"], r["predicate"], r["object"], r["id"]))
    return nodes, edges


def tsv(rows: list[dict], columns: tuple[str, ...]) -> str:
    return "".join("\t".join(r) + "\n" for r in [columns] + [[row[c] for c in columns] for row in rows])


def files(graph: Graph) -> dict[str, bytes]:
    """dist-relative path -> bytes of the two KGX files (the build writes them atomically with the rest)."""
    mappings = biolink.load()
    nodes, edges = tables(graph, mappings)
    return {NODES: tsv(nodes, NODE_COLUMNS).encode("utf-8"),
            EDGES: tsv(edges, edge_columns(mappings)).encode("utf-8")}
