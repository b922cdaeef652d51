"""strategies.tsv: ways to overcome a resistance: the therapy used, the therapy whose resistance it
overcomes, what it addresses, its types, trials, evidence and outcome."""
from __future__ import annotations

from rdflib import RDF

from ..prefixes import NSCR
from ..tables import Row
from .context import AUTHOR_STATEMENT, Context

TABLE = "strategies"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.Strategy)
    ctx.set_label(node, row["label"])
    for kw in row["strategy_type"]:
        cls = ctx.keyword(row, "strategy_type", kw)
        if cls:
            ctx.add(node, RDF.type, cls)
    for column, prop in (("therapy", NSCR.usesTherapy), ("resistance_to", NSCR.overcomesResistanceTo)):
        t = ctx.therapy(row, column, row[column])
        if t:
            ctx.add(node, prop, t)
    for key in row["addresses"]:
        target = ctx.lookup(row, "addresses", key, ("statements", "mechanisms", "alterations", "profiles"))
        if target:
            ctx.add(node, NSCR.addresses, target)
    for key in row["trials"]:
        trial = ctx.lookup(row, "trials", key, ("trials",))
        if trial:
            ctx.add(node, NSCR.testedIn, trial)
    stage = ctx.keyword(row, "evidence_stage", row["evidence_stage"])
    if stage:
        ctx.add(node, NSCR.evidenceStage, stage)
    outcome = ctx.keyword(row, "outcome", row["outcome"])
    if outcome:
        ctx.add(node, NSCR.hasOutcome, outcome)
    ctx.add(node, NSCR.evidenceCode, AUTHOR_STATEMENT)
