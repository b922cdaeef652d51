"""families.tsv: gene families and complexes the review names without a member, with their FamPlex
identifier and members (FamPlex isa/partof, never the curator's list); no identifier is a gap."""
from __future__ import annotations

from .. import iris
from ..prefixes import NSCR, expand
from ..tables import Row
from .context import Context, en

TABLE = "families"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.GeneFamily)
    ctx.set_label(node, row["label"])
    ctx.synonyms(node, row["synonyms"])
    fplx = row["fplx"]
    if not fplx:
        ctx.gaps.append(("family", row.key, "FPLX", "none found"))
        return
    entity = ctx.ref.family_ids(fplx)
    if entity is None:
        ctx.errors.append(row.error("fplx", f"{fplx!r} is not a FamPlex entity in data/reference/famplex_entities.tsv "
                                            "(run `nscr reference` after adding it)"))
        return
    ctx.xrefs(node, entity)
    for rel in ctx.ref.family_members(fplx):
        member = expand(rel["child_id"].replace("FPLX:", "fplx:").replace("HGNC:", "hgnc:")) if rel["child_id"] else None
        if member is None:
            continue
        ctx.add(node, NSCR.hasMember, member)
        ctx.add(member, expand("rdfs:label"), en(rel["child_name"]))
    for symbol in ctx.ref.family_genes(fplx):
        if symbol in ctx.keys["genes"]:
            ctx.add(node, NSCR.memberGene, iris.mint("gene", symbol))
