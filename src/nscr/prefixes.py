"""The one prefix map of the project (bioregistry-style prefixes), read from prefixes.tsv."""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from rdflib import Graph, Namespace, URIRef

NSCR = Namespace("https://w3id.org/nscr/")

# Reference-table prefixes (as the snapshot writes CURIEs) -> our registry prefixes.
REFERENCE_PREFIX = {
    "HGNC": "hgnc", "NCBIGene": "NCBIGene", "UniProt": "uniprot", "Ensembl": "ensembl",
    "CHEMBL": "chembl.compound", "DrugBank": "drugbank", "MESH": "mesh", "FPLX": "fplx", "PubChem": "pubchem.compound",
}


@lru_cache(maxsize=1)
def prefix_map() -> dict[str, str]:
    """Prefix -> namespace IRI, in registry order."""
    text = resources.files("nscr").joinpath("prefixes.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {row["prefix"]: row["namespace"] for row in rows}


def expand(curie: str) -> URIRef:
    """Expand a CURIE with the registry; raise ValueError for an unknown prefix."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in prefix_map():
        raise ValueError(f"unknown prefix in {curie!r}")
    return URIRef(prefix_map()[prefix] + local)


def contract(iri: str) -> str:
    """Shortest CURIE for an IRI, or the IRI itself when no namespace matches."""
    best = None
    for prefix, ns in prefix_map().items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefix_map()[best])):
            best = prefix
    return f"{best}:{iri[len(prefix_map()[best]):]}" if best else iri


def bind_all(graph: Graph) -> Graph:
    for prefix, ns in prefix_map().items():
        graph.bind(prefix, Namespace(ns), override=True, replace=True)
    return graph


def sparql_header() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefix_map().items())
