"""trials.tsv: named clinical trials with phase, therapies and outcome."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "trials"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.ClinicalTrial)
    ctx.set_label(node, row["label"])
    if row["nct"]:
        ctx.add(node, NSCR.nctId, Literal(row["nct"]))
    ctx.link_keywords(row, node, "phase", NSCR.trialPhase)
    ctx.link_therapies(row, node, {"therapy": NSCR.testsTherapy, "comparator": NSCR.comparator})
    ctx.link_keywords(row, node, "outcome", NSCR.hasOutcome)
