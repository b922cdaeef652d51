"""alterations.tsv: one change in one gene (or in a family, when the review names no member),
typed with a Sequence Ontology class."""
from __future__ import annotations

from rdflib import RDF, Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context, hgvs_protein, integer

TABLE = "alterations"


def build(ctx: Context, row: Row) -> None:
    so = ctx.keyword(row, "alteration_type", row["alteration_type"])
    node = ctx.entity(row, NSCR.Alteration)
    if so:
        ctx.add(node, RDF.type, so)
        ctx.add(node, NSCR.alterationType, so)  # the curated (most specific) type, for simple queries
    for symbol in row["gene"]:
        ctx.add(node, NSCR.inGene, ctx.gene_or_family(row, "gene", symbol))
    change = row["protein_change"]
    if change:
        ctx.add(node, NSCR.proteinChange, Literal(change))
        if hgvs_protein(change):
            ctx.add(node, NSCR.hgvsProtein, Literal(hgvs_protein(change)))
    if row["exon"] is not None:
        if row["exon"] < 1:
            ctx.errors.append(row.error("exon", f"exon {row['exon']} does not exist (exons are numbered from 1)"))
        ctx.add(node, NSCR.exon, integer(row["exon"]))
    if row["fusion_partner"]:
        ctx.add(node, NSCR.fusionPartner, Literal(row["fusion_partner"]))
    ctx.set_label(node, row["label"] or f"{'/'.join(row['gene'])} {change or row['alteration_type']}")
    ctx.add(node, NSCR.shortForm, Literal(change or ctx.label_of(node)))
