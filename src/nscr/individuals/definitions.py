"""definitions.tsv: the review's definitions of resistance (primary, acquired...) to a therapy, in the
settings they apply to; their measurable conditions are rows of criteria.tsv."""
from __future__ import annotations

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "definitions"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.ResistanceDefinition)
    ctx.set_label(node, row["label"])
    ctx.link_keywords(row, node, "timing", NSCR.definesTiming)
    ctx.link_therapies(row, node, {"therapy": NSCR.definitionTherapy})
    ctx.link_keywords(row, node, "setting", NSCR.clinicalSetting)
    if not any(r["definition"] == row.key for r in ctx.c["criteria"]):
        ctx.errors.append(row.error("definition", f"definition {row.key!r} has no row in criteria.tsv"))
