"""alterations.tsv: one change in one gene (or in a family, when the review names no member),
typed with a Sequence Ontology class."""
from __future__ import annotations

import re

from rdflib import RDF, Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import AA3, Context, hgvs_protein, integer

TABLE = "alterations"
SHORT_FORM = re.compile(r"([A-Za-z])(\d+)([A-Za-z]?)")


def check_residues(ctx: Context, row: Row, change: str) -> None:
    """The residues of a short form (T790M, L718X, G796) are amino-acid one-letter codes; X (any residue)
    only as the new one. The form itself is the shapes' to check."""
    m = SHORT_FORM.fullmatch(change)
    if not m:
        return
    old, position, new = m.groups()
    if old.upper() not in AA3:
        ctx.errors.append(row.error("protein_change", f"{old!r} in {change!r} is not an amino acid (one-letter codes "
                                                      f"{''.join(sorted(AA3))}; X only for the new residue)"))
    if new and new.upper() not in AA3 and new.upper() != "X":
        ctx.errors.append(row.error("protein_change", f"{new!r} in {change!r} is not an amino acid (one-letter codes "
                                                      f"{''.join(sorted(AA3))}, or X for any)"))
    if int(position) < 1:
        ctx.errors.append(row.error("protein_change", f"position {position} in {change!r} does not exist (residues are "
                                                      "numbered from 1)"))


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
        check_residues(ctx, row, change)
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
