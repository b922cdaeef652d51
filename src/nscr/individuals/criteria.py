"""criteria.tsv: one measurable condition of a definition of resistance: measure, comparator and a
threshold with its UCUM unit (at least 6 weeks on treatment; PD-L1 expression of 50% or more)."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context, decimal

TABLE = "criteria"


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.DefinitionCriterion)
    definition = ctx.lookup(row, "definition", row["definition"], ("definitions",))
    if definition is not None:
        ctx.add(node, NSCR.criterionOf, definition)
    measure = ctx.keyword(row, "measure", row["measure"])
    comparator = ctx.keyword(row, "comparator", row["comparator"])
    unit = ctx.keyword(row, "unit", row["unit"])
    for prop, term in ((NSCR.criterionMeasure, measure), (NSCR.thresholdComparator, comparator), (NSCR.hasUnit, unit)):
        if term is not None:
            ctx.add(node, prop, term)
    ctx.add(node, NSCR.thresholdValue, decimal(row["value"]))
    if unit is not None:
        ctx.add(node, NSCR.ucumCode, Literal(row["unit"]))
    if definition is not None:
        ctx.set_label(node, f"{ctx.label_of(definition)}: {row['measure']} {row['comparator']} {row['value']} {row['unit']}")
