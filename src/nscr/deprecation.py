"""OBO-style obsolescence of curated entities: a row retired with `deprecated` (and `replaced_by`) gives its
individual owl:deprecated true (individuals/context.py), IAO:0100001 "term replaced by" beside each
dcterms:isReplacedBy, and an "obsolete " prefix on its labels, as OBO tools expect. The QC check
qc/obsolete-entities keeps the three consistent."""
from __future__ import annotations

from rdflib import OWL, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

TERM_REPLACED_BY = URIRef("http://purl.obolibrary.org/obo/IAO_0100001")
PREFIX = "obsolete "


def mark_obsolete(graph: Graph) -> int:
    """Mark every deprecated subject of the graph in the OBO manner; returns how many there were."""
    deprecated = sorted(set(graph.subjects(OWL.deprecated, Literal(True))))
    for node in deprecated:
        for new in list(graph.objects(node, DCTERMS.isReplacedBy)):
            graph.add((node, TERM_REPLACED_BY, new))
        for label in list(graph.objects(node, RDFS.label)):
            if not str(label).startswith(PREFIX):
                graph.remove((node, RDFS.label, label))
                graph.add((node, RDFS.label, Literal(PREFIX + str(label), lang=label.language, datatype=label.datatype)))
    return len(deprecated)
