"""Defined drug classes generated from ontology/patterns/drug_class.tsv (a DOSDP-style table).

Each row becomes an OWL class equivalent to: modality AND (inhibits value T1 OR inhibits value T2 ...)
[AND inhibits value G, for each G of targets_all] [AND generation value N]
[AND selectiveFor value alteration], so the reasoner fills
it from what drugs.tsv says about each drug.
"""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD

from . import iris, paths
from .errors import CurationError
from .prefixes import NSCR, expand
from .tables import Row, Table, read_table

PATTERN = Table("drug_class", "class", {"class": "key", "label": "text", "parent": "key?", "modality": "keyword?",
                                        "targets": "symbollist?", "targets_all": "symbollist?", "generation": "int?", "selective_for": "keylist?",
                                        "definition": "text"}, provenance=False)


def load_patterns(errors: list[CurationError]) -> list[Row]:
    return read_table(paths.PATTERNS, PATTERN, errors)


def class_iri(key: str) -> URIRef:
    return NSCR[key]


def _bnode(graph: Graph, seed: str) -> BNode:
    # Deterministic blank-node ids keep the serialisations byte-identical.
    return BNode(f"pattern-{seed}")


def emit(graph: Graph, rows: list[Row], modalities: dict[str, URIRef]) -> None:
    for row in rows:
        cls = class_iri(row["class"])
        graph.add((cls, RDF.type, OWL.Class))
        graph.add((cls, RDFS.label, Literal(row["label"], lang="en")))
        graph.add((cls, expand("IAO:0000115"), Literal(row["definition"], lang="en")))
        graph.add((cls, RDFS.subClassOf, class_iri(row["parent"]) if row["parent"] else NSCR.Drug))
        parts: list = [modalities[row["modality"]] if row["modality"] else NSCR.Drug]
        n = 0
        if row["targets"]:
            # "inhibits any of the targets" as a union of hasValue restrictions: equivalent to
            # inhibits some {targets} in OWL 2 DL, and within what OWL 2 RL engines can apply.
            options = []
            for gene in row["targets"]:
                n += 1
                restriction = _bnode(graph, f"{row['class']}-{n}")
                graph.add((restriction, RDF.type, OWL.Restriction))
                graph.add((restriction, OWL.onProperty, NSCR.inhibits))
                graph.add((restriction, OWL.hasValue, iris.mint("gene", gene)))
                options.append(restriction)
            if len(options) == 1:
                parts.append(options[0])
            else:
                union = _bnode(graph, f"{row['class']}-any")
                Collection(graph, _bnode(graph, f"{row['class']}-any-list"), options)
                graph.add((union, RDF.type, OWL.Class))
                graph.add((union, OWL.unionOf, _bnode(graph, f"{row['class']}-any-list")))
                parts.append(union)
        for gene in row["targets_all"]:
            n += 1
            restriction = _bnode(graph, f"{row['class']}-{n}")
            graph.add((restriction, RDF.type, OWL.Restriction))
            graph.add((restriction, OWL.onProperty, NSCR.inhibits))
            graph.add((restriction, OWL.hasValue, iris.mint("gene", gene)))
            parts.append(restriction)
        if row["generation"] is not None:
            n += 1
            restriction = _bnode(graph, f"{row['class']}-{n}")
            graph.add((restriction, RDF.type, OWL.Restriction))
            graph.add((restriction, OWL.onProperty, NSCR.generation))
            graph.add((restriction, OWL.hasValue, Literal(row["generation"], datatype=XSD.integer)))
            parts.append(restriction)
        for alteration in row["selective_for"]:
            n += 1
            restriction = _bnode(graph, f"{row['class']}-{n}")
            graph.add((restriction, RDF.type, OWL.Restriction))
            graph.add((restriction, OWL.onProperty, NSCR.selectiveFor))
            graph.add((restriction, OWL.hasValue, iris.mint("alteration", alteration)))
            parts.append(restriction)
        if len(parts) > 1:
            definition = _bnode(graph, f"{row['class']}-def")
            Collection(graph, _bnode(graph, f"{row['class']}-def-list"), parts)
            graph.add((definition, RDF.type, OWL.Class))
            graph.add((definition, OWL.intersectionOf, _bnode(graph, f"{row['class']}-def-list")))
            graph.add((cls, OWL.equivalentClass, definition))
