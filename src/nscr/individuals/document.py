"""The source review, its sections, and the disease the statements hold in (not from a table)."""
from __future__ import annotations

from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from .. import iris, source
from ..prefixes import NSCR, expand
from .context import NSCLC, OA, REVIEW, Context, en, integer


def build_document(ctx: Context) -> None:
    meta = source.review_meta()
    ctx.add(REVIEW, RDF.type, OWL.NamedIndividual)
    ctx.add(REVIEW, RDF.type, NSCR.SourceDocument)
    ctx.add(REVIEW, expand("rdfs:label"), en(meta["title"]))
    ctx.add(REVIEW, DCTERMS.identifier, Literal("doi:" + meta["doi"]))
    ctx.add(REVIEW, DCTERMS.source, expand("doi:" + meta["doi"]))
    ctx.add(REVIEW, DCTERMS.bibliographicCitation, Literal(meta["citation"]))
    ctx.add(REVIEW, DCTERMS.license, URIRef(meta["licence"]))
    ctx.add(REVIEW, NSCR.sha256, Literal(meta["sha256"]))
    ctx.add(REVIEW, NSCR.characterCount, integer(int(meta["characters"])))
    for sec in source.sections().values():
        node = iris.mint("section", sec.number)
        ctx.add(node, RDF.type, OWL.NamedIndividual)
        ctx.add(node, RDF.type, NSCR.DocumentPart)
        ctx.add(node, expand("rdfs:label"), en(f"{sec.number} {sec.title}"))
        ctx.add(node, NSCR.sectionNumber, Literal(sec.number))
        ctx.add(node, URIRef(OA + "start"), integer(sec.start))
        ctx.add(node, URIRef(OA + "end"), integer(sec.end))
        ctx.add(node, NSCR.inDocument, REVIEW)


def build_diseases(ctx: Context) -> None:
    """Cross-references (NCIt, DOID) of every MONDO disease the statements name, from its MONDO row."""
    for disease in sorted({row["disease"] or NSCLC for row in ctx.c["statements"]} | {NSCLC}):
        resolved = ctx.ref.disease(disease)
        if resolved is None:
            continue
        ctx.xrefs(expand(disease), resolved, skip=(disease,))
