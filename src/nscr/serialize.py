"""Deterministic serialisation and atomic writes.

Blank nodes get canonical labels (rdflib's RDFC-style canonicalisation) so that
the same graph always gives the same bytes; files are written to a temporary
name and renamed, so a failed run never leaves a half-written file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

import pyoxigraph as ox

from .prefixes import bind_all, prefix_map


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def canonical(graph: Graph) -> Graph:
    source = graph if not any(isinstance(t, BNode) for triple in graph for t in triple) else to_canonical_graph(graph)
    out = Graph()
    for triple in source:
        out.add(triple)
    return bind_all(out)


def turtle_text(graph: Graph) -> str:
    return canonical(graph).serialize(format="turtle")


def ntriples_text(graph: Graph) -> str:
    lines = canonical(graph).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def all_formats(graph: Graph) -> dict[str, bytes]:
    """Extension -> bytes for the release formats, from one canonical graph."""
    g = canonical(graph)
    nt = "\n".join(sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())) + "\n"
    # pyoxigraph streams the sorted triples in the order given, keeping the canonical blank-node labels.
    triples = list(ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    prefixes = {p: ns for p, ns in prefix_map().items() if p != "rdf"} | {"rdf": prefix_map()["rdf"]}
    return {
        "ttl": g.serialize(format="turtle").encode("utf-8"),
        "owl": ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes),
        "jsonld": ox.serialize(triples, format=ox.RdfFormat.JSON_LD, prefixes=prefixes),
        "nt": nt.encode("utf-8"),
    }
