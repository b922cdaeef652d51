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

from .prefixes import bind_all, prefix_map

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


def _rdflib_term(term):
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
            out.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return bind_all(out)


def turtle_text(graph: Graph) -> str:
    return canonical(graph).serialize(format="turtle")


def ntriples_text(graph: Graph) -> str:
    lines = canonical(graph).serialize(format="nt").split("\n")
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def all_formats(graph: Graph) -> dict[str, bytes]:
    """Extension -> bytes for the release formats, from one canonical graph."""
    check_characters(graph)
    g = canonical(graph)
    nt = "\n".join(sorted(line for line in g.serialize(format="nt").split("\n") if line.strip())) + "\n"
    # pyoxigraph streams the sorted triples in the order given, keeping the canonical blank-node labels.
    triples = list(ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    prefixes = {p: ns for p, ns in prefix_map().items() if p != "rdf"} | {"rdf": prefix_map()["rdf"]}
    return {
        "ttl": g.serialize(format="turtle").encode("utf-8"),
        "owl": ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes),
        "jsonld": ox.serialize(triples, format=ox.RdfFormat.JSON_LD, prefixes=prefixes),
        "nt": nt.encode("utf-8"),
    }
