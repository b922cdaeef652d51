"""table1.tsv: the fragments of the review's Table 1, which survives only as scrambled columns after
the Conclusion. Each fragment is located by its offsets (inside the Table 1 part, section `T1`) and
linked to the rows reconstructed from it (`nscr:reconstructedFrom`); a fragment no row rests on is
reported in dist/gaps.tsv, so what could not be placed is listed rather than guessed."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "table1"
SECTION = "T1"
COLUMNS = ("target", "mechanism", "strategy", "approach", "refs")
USERS = ("strategies", "statements", "alterations", "profiles", "mechanisms", "drugs", "trials")


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.Table1Fragment)
    if row["column"] not in COLUMNS:
        ctx.errors.append(row.error("column", f"{row['column']!r} is not a Table 1 column ({', '.join(COLUMNS)})"))
    ctx.add(node, NSCR.tableColumn, Literal(row["column"]))
    passage = ctx.passage(row, row["start"], row["end"], section=SECTION)
    if passage is not None:
        ctx.add(node, NSCR.hasPassage, passage)
    for key in row["used_by"]:
        user = ctx.lookup(row, "used_by", key, USERS)
        if user:
            ctx.add(user, NSCR.reconstructedFrom, node)
    if not row["used_by"]:
        ctx.gaps.append(("table1-fragment", row.key, row["column"], "not reconstructed"))
    ctx.set_label(node, f"Table 1 fragment {row.key} ({row['column']} column, review characters "
                        f"{row['start']}-{row['end']})")
