"""mechanisms.tsv: resistance mechanisms typed with the mechanism taxonomy, with the genes or families,
profiles, GO processes and Cell Ontology cell types they involve."""
from __future__ import annotations

from rdflib import RDF

from ..prefixes import NSCR, expand
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
    for column, prefix, prop, what in (("pathways", "GO:", NSCR.involvesPathway, "GO term"),
                                       ("cell_types", "CL:", NSCR.involvesCellType, "Cell Ontology term")):
        for curie in row[column]:
            if not curie.startswith(prefix) or ctx.ref.term(curie) is None:
                ctx.errors.append(row.error(column, f"{curie!r} is not a {what} in data/reference "
                                                    "(run `nscr reference` after adding it)"))
            else:
                ctx.add(node, prop, expand(curie))
