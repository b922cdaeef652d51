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
    ctx.link_keywords(row, node, "strategy_type", RDF.type)
    ctx.link_therapies(row, node, {"therapy": NSCR.usesTherapy, "resistance_to": NSCR.overcomesResistanceTo})
    for key in row["addresses"]:
        target = ctx.lookup(row, "addresses", key, ("statements", "mechanisms", "alterations", "profiles"))
        if target:
            ctx.add(node, NSCR.addresses, target)
    for key in row["trials"]:
        trial = ctx.lookup(row, "trials", key, ("trials",))
        if trial:
            ctx.add(node, NSCR.testedIn, trial)
    ctx.link_keywords(row, node, "evidence_stage", NSCR.evidenceStage)
    ctx.link_keywords(row, node, "outcome", NSCR.hasOutcome)
    ctx.add(node, NSCR.evidenceCode, AUTHOR_STATEMENT)
