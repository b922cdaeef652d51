"""Defined drug classes generated from ontology/patterns/drug_class.tsv (a DOSDP-style table).

Each row becomes an OWL class equivalent to: modality AND (inhibits value T1 OR inhibits value T2 ...)
[AND inhibits value G, for each G of targets_all] [AND generationAs<first target> value N]
[AND selectiveFor value alteration] [AND vaccinePlatform value P], so the reasoner fills
it from what drugs.tsv says about each drug. A row with a modality and no other condition stays a
primitive class (the review's word for a group it does not define, such as "TKI"), unless
`modality_only` is true: then it is every drug of that modality (CytokineTherapy = cytokine).
"""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD

from . import iris, paths, vocab
from .errors import CurationError
from .prefixes import NSCR, expand
from .tables import Row, Table, read_table

PATTERN = Table("drug_class", "class", {"class": "key", "label": "text", "parent": "key?", "modality": "keyword?",
                                        "targets": "symbollist?", "targets_all": "symbollist?", "generation": "int?", "selective_for": "keylist?",
                                        "platform": "keyword?", "modality_only": "bool?", "definition": "text"}, provenance=False)


def check(rows: list[Row], errors: list[CurationError]) -> None:
    """Row-level rules of the pattern table that its column kinds cannot say."""
    platforms = vocab.keywords("platform")
    for row in rows:
        if row["platform"] is not None and row["platform"] not in platforms:
            errors.append(row.error("platform", f"{row['platform']!r} is not an allowed value (allowed: {', '.join(sorted(platforms))})"))
        if row["platform"] is not None and row["modality"] != "vaccine":
            errors.append(row.error("platform", "a platform class is a class of vaccines: set modality to vaccine"))
        conditions = row["targets"] or row["targets_all"] or row["generation"] is not None or row["selective_for"] or row["platform"]
        if row["modality_only"] and (not row["modality"] or conditions):
            errors.append(row.error("modality_only", "modality_only needs a modality and no other condition"))


def load_patterns(errors: list[CurationError]) -> list[Row]:
    rows = read_table(paths.PATTERNS, PATTERN, errors)
    check(rows, errors)
    return rows


def class_iri(key: str) -> URIRef:
    return NSCR[key]


def generation_property(family: str) -> URIRef:
    """nscr:generationAs<FAMILY>: an inhibitor's generation within one target family (a drug can be a
    second-generation ALK TKI and inhibit EGFR without being a second-generation EGFR TKI). These
    properties are declared in ontology/nscr.ttl, so the shapes generated from it know them."""
    return NSCR[f"generationAs{family}"]


def generation_families(ontology: Graph) -> set[str]:
    """The target families the ontology declares a generation property for."""
    return {str(p)[len(str(NSCR)) + len("generationAs"):] for p in ontology.subjects(RDFS.subPropertyOf, NSCR.generation)
            if str(p).startswith(str(NSCR) + "generationAs")}


def has_value(graph: Graph, prop: URIRef, value) -> BNode:
    """A fresh owl:hasValue restriction (blank-node labels are canonicalised when serialised)."""
    restriction = BNode()
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, prop))
    graph.add((restriction, OWL.hasValue, value))
    return restriction


def class_expression(graph: Graph, operator: URIRef, members: list) -> BNode:
    """An anonymous owl:Class built with owl:intersectionOf or owl:unionOf over the members."""
    node, items = BNode(), BNode()
    Collection(graph, items, members)
    graph.add((node, RDF.type, OWL.Class))
    graph.add((node, operator, items))
    return node


def target_iri(symbol: str, families: set[str]) -> URIRef:
    return iris.mint("family" if symbol in families else "gene", symbol)


def emit(graph: Graph, rows: list[Row], modalities: dict[str, URIRef], families: set[str] = frozenset()) -> None:
    for row in rows:
        cls = class_iri(row["class"])
        graph.add((cls, RDF.type, OWL.Class))
        graph.add((cls, RDFS.label, Literal(row["label"], lang="en")))
        graph.add((cls, expand("IAO:0000115"), Literal(row["definition"], lang="en")))
        graph.add((cls, RDFS.subClassOf, class_iri(row["parent"]) if row["parent"] else NSCR.Drug))
        parts: list = [modalities[row["modality"]] if row["modality"] else NSCR.Drug]
        # "inhibits any of the targets" as a union of hasValue restrictions: equivalent to
        # inhibits some {targets} in OWL 2 DL, and within what OWL 2 RL engines can apply.
        options = [has_value(graph, NSCR.inhibits, target_iri(g, families)) for g in row["targets"]]
        if len(options) == 1:
            parts.append(options[0])
        elif options:
            parts.append(class_expression(graph, OWL.unionOf, options))
        parts += [has_value(graph, NSCR.inhibits, target_iri(g, families)) for g in row["targets_all"]]
        if row["generation"] is not None:
            family = (row["targets"] or row["targets_all"])[0]
            parts.append(has_value(graph, generation_property(family), Literal(row["generation"], datatype=XSD.integer)))
        parts += [has_value(graph, NSCR.selectiveFor, iris.mint("alteration", a)) for a in row["selective_for"]]
        if row["platform"]:
            parts.append(has_value(graph, NSCR.vaccinePlatform, vocab.keywords("platform")[row["platform"]]))
        if len(parts) > 1:
            graph.add((cls, OWL.equivalentClass, class_expression(graph, OWL.intersectionOf, parts)))
        elif row["modality_only"]:
            graph.add((cls, OWL.equivalentClass, parts[0]))
