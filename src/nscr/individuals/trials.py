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
    phase = ctx.keyword(row, "phase", row["phase"])
    if phase:
        ctx.add(node, NSCR.trialPhase, phase)
    for column, prop in (("therapy", NSCR.testsTherapy), ("comparator", NSCR.comparator)):
        t = ctx.therapy(row, column, row[column])
        if t:
            ctx.add(node, prop, t)
    outcome = ctx.keyword(row, "outcome", row["outcome"])
    if outcome:
        ctx.add(node, NSCR.hasOutcome, outcome)
