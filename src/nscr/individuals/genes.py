"""genes.tsv: one gene per approved HGNC symbol, with the snapshot's identifiers."""
from __future__ import annotations


from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "genes"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.Gene)
    ctx.set_label(node, row["symbol"])
    ctx.synonyms(node, row["synonyms"])
    resolved = ctx.ref.gene(row["symbol"])
    if resolved is None:
        ctx.errors.append(row.error("symbol", f"{row['symbol']!r} is not an approved HGNC symbol in data/reference/hgnc.tsv "
                                              "(new gene? run `nscr reference` to refresh the copy)"))
        return
    ctx.xrefs(node, resolved, close_prefixes=("UniProt", "NCIT"))
    found = {c.split(":")[0] for c in resolved.ids}
    missing = [p for p in ("HGNC", "NCBIGene", "UniProt", "Ensembl", "NCIT") if p not in found]
    if missing:
        ctx.gaps.append(("gene", row.key, "|".join(missing), "partial"))
