"""mechanisms.tsv: resistance mechanisms typed with the mechanism taxonomy, with the genes or families,
profiles, GO processes and Cell Ontology cell types they involve."""
from __future__ import annotations

from rdflib import RDF

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "mechanisms"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.ResistanceMechanism)
    ctx.set_label(node, row["label"])
    ctx.link_keywords(row, node, "mechanism_class", RDF.type)
    for symbol in row["genes"]:
        ctx.add(node, NSCR.involvesGene, ctx.gene_or_family(row, "genes", symbol))
    for key in row["alterations"]:
        target = ctx.lookup(row, "alterations", key, ("alterations", "profiles"))
        if target:
            ctx.add(node, NSCR.realisedBy, target)
    ctx.link_ontology_terms(row, node, "pathways", "GO:", NSCR.involvesPathway)
    ctx.link_ontology_terms(row, node, "cell_types", "CL:", NSCR.involvesCellType)
