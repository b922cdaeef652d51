"""profiles.tsv: alterations considered together: two or more present (with cis/trans phase and the
background they arose on), or one present while others are absent ("C797S without T790M")."""
from __future__ import annotations

from rdflib import Literal

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "profiles"


def _alteration_label(ctx: Context, key: str) -> str:
    r = ctx.keys["alterations"].get(key)
    return (r["label"] or key) if r else key


def _short(ctx: Context, key: str) -> str:
    r = ctx.keys["alterations"].get(key)
    return (r["protein_change"] or r["label"] or key) if r else key


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.CompoundProfile)
    present, absent = row["components"], row["absent"]
    if len(present) < 2 and not (present and absent):
        ctx.errors.append(row.error("components", "a compound profile needs two or more alterations, "
                                                  "or one alteration and at least one in `absent`"))
    if set(present) & set(absent):
        ctx.errors.append(row.error("absent", f"{sorted(set(present) & set(absent))} cannot be both present and absent"))
    for column, prop in (("components", NSCR.hasComponent), ("absent", NSCR.lacksComponent),
                         ("background", NSCR.hasBackground)):
        for key in row[column]:
            alt = ctx.lookup(row, column, key, ("alterations",))
            if alt:
                ctx.add(node, prop, alt)
    phase = ctx.keyword(row, "phase", row["phase"])
    if phase:
        ctx.add(node, NSCR.allelicPhase, phase)
    short = "+".join(_short(ctx, k) for k in present) + "".join(f" without {_short(ctx, k)}" for k in absent)
    ctx.add(node, NSCR.shortForm, Literal(short))
    default = " + ".join(_alteration_label(ctx, k) for k in present)
    default += "" if row["phase"] in ("unspecified", None) else f" in {row['phase']}"
    default += "".join(f" without {_short(ctx, k)}" for k in absent)
    ctx.set_label(node, row["label"] or default)
