"""figures.tsv: numbers the review reports (prevalence, frequency, response and survival figures, counts), with range, UCUM
unit and the population counted; about a statement, alteration, profile, mechanism, definition, strategy or trial."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import IS_ABOUT, Context, decimal

TABLE = "figures"
DURATIONS = ("d", "wk", "mo", "a")
SHARES = ("%", "1")
UNITS_OF = {"prevalence": SHARES, "frequency": SHARES + ("{count}",), "response_rate": SHARES,
            "immune_response_rate": SHARES, "survival_rate": SHARES, "count": ("{count}",),
            "median_response_duration": DURATIONS, "median_overall_survival": DURATIONS,
            "median_progression_free_survival": DURATIONS}
ABOUT_TABLES = ("statements", "alterations", "profiles", "mechanisms", "definitions", "strategies", "trials")


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.QuantitativeFigure)
    about = ctx.lookup(row, "about", row["about"], ABOUT_TABLES)
    if about:
        ctx.add(node, IS_ABOUT, about)
    ctx.link_keywords(row, node, "measure", NSCR.measure)
    ctx.add(node, NSCR.lowValue, decimal(row["low"]))
    if row["high"] is not None:
        ctx.add(node, NSCR.highValue, decimal(row["high"]))
        if float(row["high"]) < float(row["low"]):
            ctx.errors.append(row.error("high", f"high {row['high']} is below low {row['low']}"))
    unit = ctx.keyword(row, "unit", row["unit"])
    allowed = UNITS_OF.get(row["measure"])
    if unit and allowed and row["unit"] not in allowed:
        ctx.errors.append(row.error("unit", f"a {row['measure']} figure takes one of {', '.join(allowed)}, not {row['unit']!r}"))
    if unit:
        ctx.add(node, NSCR.hasUnit, unit)
        ctx.add(node, NSCR.ucumCode, Literal(row["unit"]))
    if row["population"]:
        ctx.add(node, NSCR.populationDescription, Literal(row["population"]))
    ctx.link_therapies(row, node, {"population_therapy": NSCR.populationTherapy})
    rng = row["low"] + (f"-{row['high']}" if row["high"] is not None else "")
    about_label = ctx.label_of(about) if about is not None else row["about"]
    ctx.set_label(node, f"{row['measure']} of {rng} {row['unit']}: {about_label}")
