"""rankings.tsv: the review's rankings ("the most common", "next", "one of the three major", "rare"),
each within its stated set, scope therapy and population."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context, integer

TABLE = "rankings"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.RankingStatement)
    subject = ctx.lookup(row, "subject", row["subject"], ("alterations", "profiles", "mechanisms"))
    if subject:
        ctx.add(node, NSCR.ranks, subject)
    ctx.link_keywords(row, node, "prominence", NSCR.prominence)
    if row["rank"] is not None:
        if row["rank"] < 1:
            ctx.errors.append(row.error("rank", "a rank position starts at 1"))
        ctx.add(node, NSCR.rankPosition, integer(row["rank"]))
    if row["prominence"] == "ranked" and row["rank"] is None:
        ctx.errors.append(row.error("rank", "prominence 'ranked' needs the position in `rank`"))
    if row["prominence"] == "most_common" and row["rank"] not in (None, 1):
        ctx.errors.append(row.error("rank", "most_common is rank 1"))
    ctx.add(node, NSCR.rankedAmong, Literal(row["among"]))
    ctx.link_keywords(row, node, "among_class", NSCR.rankedAmongClass, vocabulary="mechanism_class")
    ctx.link_therapies(row, node, {"scope_therapy": NSCR.scopeTherapy})
    if row["population"]:
        ctx.add(node, NSCR.populationDescription, Literal(row["population"]))
    ctx.link_keywords(row, node, "measure", NSCR.measure)
    what = ctx.label_of(subject) if subject is not None else row["subject"]
    place = {"most_common": "most common", "ranked": f"number {row['rank']}", "among_major": "one of the major ones",
             "frequent": "frequent", "rare": "rare"}.get(row["prominence"], row["prominence"])
    ctx.set_label(node, f"{what}: {place} among {row['among']}")
