"""mentions.tsv: places where the review prints a name wrongly or in a form the curator interpreted:
the written form at its exact offsets, the entity it is read as (a row key, or class:Key for a drug class), how sure, and why. The written form
never becomes a label or synonym of anything (so "axitinib" never finds osimertinib)."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "mentions"
MEANS = ("drugs", "interventions", "alterations", "profiles", "genes", "families", "trials", "mechanisms")
IN = ("statements", "strategies", "trials", "figures", "drugs", "alterations", "profiles", "mechanisms", "rankings")


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.InterpretedMention)
    ctx.add(node, NSCR.writtenForm, Literal(row["written"]))
    ctx.check_review_span(row, "start", row["start"], row["end"], row["written"])
    meant = ctx.therapy(row, "means", row["means"]) if row["means"].startswith("class:") \
        else ctx.lookup(row, "means", row["means"], MEANS)
    if meant:
        ctx.add(node, NSCR.interpretedAs, meant)
    ctx.link_keywords(row, node, "certainty", NSCR.interpretationCertainty)
    for key in row["in"]:
        user = ctx.lookup(row, "in", key, IN)
        if user:
            ctx.add(user, NSCR.restsOnMention, node)
    meant_label = ctx.label_of(meant) if meant is not None else row["means"]
    ctx.set_label(node, f"'{row['written']}' at {row['start']} read as {meant_label}")
