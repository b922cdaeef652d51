"""Deterministic serialisation and atomic writes.

Blank nodes get canonical labels (rdflib's RDFC-style canonicalisation) so that
the same graph always gives the same bytes; files are written to a temporary
name and renamed, so a failed run never leaves a half-written file.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

import pyoxigraph as ox

from . import paths
from .prefixes import NSCR, bind_all, prefix_map

# characters XML 1.0 cannot carry (C0 controls but TAB and LF, CR kept out of one-line cells, U+FFFE/U+FFFF,
# lone surrogates): the table reader refuses them and no serialiser here may ever write one
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


FILE_MODE = 0o644  # readable by others (a web server), whatever the umask; mkstemp alone gives 0600


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def check_characters(graph: Graph) -> None:
    """Refuse a graph with a term XML 1.0 cannot carry, rather than write an RDF/XML file no parser reads."""
    for triple in graph:
        for term in triple:
            m = FORBIDDEN.search(str(term))
            if m:
                raise ValueError(f"{triple[0]} {triple[1]}: a term holds character U+{ord(m.group()):04X}, which "
                                 "RDF/XML cannot carry; nothing was written")


def rdflib_term(term):
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    plain = term.language or term.datatype.value == XSD_STRING  # rdflib keeps "x" and "x"^^xsd:string apart
    return Literal(term.value, lang=term.language, datatype=None if plain else URIRef(term.datatype.value))


def canonical(graph: Graph) -> Graph:
    """The graph with canonical blank-node labels (RDFC-1.0, on pyoxigraph). Only the triples that hold a
    blank node take part in the labelling (the ontology's axioms), so its cost does not grow with the
    curated individuals."""
    with_bnodes, out = Graph(), Graph()
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            with_bnodes.add(triple)
        else:
            out.add(triple)
    if len(with_bnodes):
        dataset = ox.Dataset(ox.parse(with_bnodes.serialize(format="nt", encoding="utf-8"),
                                      format=ox.RdfFormat.N_TRIPLES))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        for quad in dataset:
            out.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return bind_all(out)


def turtle_text(graph: Graph) -> str:
    """rdflib's Turtle (nested blank nodes, long literals on several lines): for the committed files people
    read and review (the imports module) and the small catalogues; the release graph goes through
    release_formats."""
    return canonical(graph).serialize(format="turtle")


def sorted_triples(*graphs: Graph) -> list:
    """The union of the graphs as pyoxigraph triples, without duplicates, blank nodes canonically labelled
    (RDFC-1.0; only the triples holding one take part) and sorted by their N-Triples form: the one
    order every release format is written in. Refuses a term RDF/XML cannot carry."""
    data = b"".join(g.serialize(format="nt", encoding="utf-8") for g in graphs)
    # rdflib's N-Triples writer escapes only \\, \n, \r and ": a forbidden character shows in the text
    # (CR as \r); only then is each term looked at, to name the triple (or to clear a literal backslash-r)
    if FORBIDDEN.search(data.decode("utf-8")) or b"\\r" in data:
        for g in graphs:
            check_characters(g)
    plain, with_bnodes = set(), []
    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            with_bnodes.append(ox.Quad(t.subject, t.predicate, t.object))
        else:
            plain.add(t)
    if with_bnodes:
        dataset = ox.Dataset(with_bnodes)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        plain.update(ox.Triple(q.subject, q.predicate, q.object) for q in dataset)
    return sorted(plain, key=str)


def ntriples_bytes(triples: list) -> bytes:
    """Sorted N-Triples, one triple a line."""
    # split at LF only: a literal may hold U+2028 or NEL, which str.splitlines() would cut at
    lines = [line for line in ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").split("\n") if line]
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8") if lines else b""


def ntriples_text(graph: Graph) -> str:
    return ntriples_bytes(sorted_triples(graph)).decode("utf-8")


def jsonld_context() -> dict:
    """The JSON-LD context of the project's prefix map (prefixes.tsv): a namespace ending in `/`, `#` or
    `:` is a plain term; one ending otherwise (the OBO `..._` ones) needs `@prefix: true` for JSON-LD 1.1
    to expand CURIEs with it."""
    return {p: ns if ns[-1] in "/#:" else {"@id": ns, "@prefix": True} for p, ns in prefix_map().items()}


def jsonld_bytes(triples: list) -> bytes:
    """Compacted JSON-LD of sorted triples (sorted_triples): one node object per subject in that order,
    IRIs as CURIEs of the prefix map, rdf:type as @type, plain strings as JSON strings, and the context
    of jsonld_context() inline (the same as dist/context.jsonld), so the file parses offline."""
    import json

    from .prefixes import contract
    curies: dict[str, str] = {}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    BlankNode, NamedNode = ox.BlankNode, ox.NamedNode

    def curie(iri: str) -> str:
        c = curies.get(iri)
        if c is None:
            c = curies[iri] = contract(iri)
        return c

    def value(term):
        kind = type(term)
        if kind is NamedNode:
            return {"@id": curie(term.value)}
        if kind is BlankNode:
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        return term.value if datatype == XSD_STRING else {"@value": term.value, "@type": curie(datatype)}
    nodes, node, subject = [], None, None
    for t in triples:
        if t.subject != subject:
            subject = t.subject
            node = {"@id": f"_:{subject.value}" if type(subject) is BlankNode else curie(subject.value)}
            nodes.append(node)
        obj, predicate = t.object, t.predicate.value
        if predicate == rdf_type and type(obj) is NamedNode:
            node.setdefault("@type", []).append(curie(obj.value))
        else:
            node.setdefault(curie(predicate), []).append(value(obj))
    # one node object a line: readable diffs, and json's C encoder (indent= would use the slow Python one)
    context = json.dumps(jsonld_context(), ensure_ascii=False)
    lines = ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)
    return f'{{"@context": {context},\n"@graph": [\n{lines}\n]}}\n'.encode("utf-8")


def release_formats(triples: list) -> dict[str, bytes]:
    """Extension -> bytes for the release formats, all written from the same sorted triples (see
    sorted_triples), so every run gives the same bytes: pyoxigraph's Turtle and RDF/XML, compacted
    JSON-LD (jsonld_bytes) and sorted N-Triples."""
    prefixes = {p: ns for p, ns in prefix_map().items() if p != "rdf"} | {"rdf": prefix_map()["rdf"]}
    return {
        "ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "owl": ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes),
        "jsonld": jsonld_bytes(triples),
        "nt": ntriples_bytes(triples),
    }


def all_formats(*graphs: Graph) -> dict[str, bytes]:
    """Extension -> bytes for the release formats of the union of the graphs."""
    return release_formats(sorted_triples(*graphs))


def read_triples(path: Path) -> list:
    """Every triple of an RDF file (RDF/XML for .owl/.rdf/.xml, else by extension), as pyoxigraph Triples
    (ox.parse gives quads, and a Quad never equals a Triple, so sets of both would hold each twice)."""
    suffix = Path(path).suffix.lstrip(".").lower()
    fmt = ox.RdfFormat.RDF_XML if suffix in ("owl", "rdf", "xml") else ox.RdfFormat.from_extension(suffix)
    if fmt is None:
        raise ValueError(f"{paths.rel(path)}: no RDF format is known for the extension .{suffix}")
    return [q.triple for q in ox.parse(path=str(path), format=fmt)]


def is_individual(term) -> bool:
    """An NSCR individual (nscr:drug/..., nscr:statement/...), not a class or property of the ontology."""
    ns = str(NSCR)
    return isinstance(term, ox.NamedNode) and term.value.startswith(ns) and "/" in term.value[len(ns):]
