"""statements.tsv: the unit of evidence: a subject predicts resistance (or sensitivity) to a therapy,
with how the therapy was named (its scope), direction, timing, conditions, evidence and passage."""
from __future__ import annotations


from ..prefixes import NSCR, expand
from ..tables import Row
from .context import AUTHOR_STATEMENT, NSCLC, Context, integer

TABLE = "statements"
SUBJECT_TABLES = ("alterations", "profiles", "mechanisms", "subjects")


def build(ctx: Context, row: Row) -> None:
    node = ctx.entity(row, NSCR.ResistanceStatement)
    subject = ctx.lookup(row, "subject", row["subject"], SUBJECT_TABLES)
    predicate = ctx.keyword(row, "predicate", row["predicate"])
    obj = ctx.therapy(row, "therapy", row["therapy"])
    scope = ctx.keyword(row, "therapy_scope", row["therapy_scope"])
    direction = ctx.keyword(row, "direction", row["direction"])
    timing = ctx.keyword(row, "timing", row["timing"])
    prior = ctx.therapy(row, "prior_therapy", row["prior_therapy"])
    for prop, value in ((NSCR.hasSubject, subject), (NSCR.hasPredicate, predicate), (NSCR.hasObject, obj),
                        (NSCR.therapyScope, scope), (NSCR.hasDirection, direction), (NSCR.hasTiming, timing),
                        (NSCR.priorTherapy, prior)):
        if value is not None:
            ctx.add(node, prop, value)
    if obj is not None and row["therapy_scope"] == "class_members" and not str(obj).startswith(str(NSCR) + "drugclass/"):
        if not any(part.startswith("class:") for part in row["therapy"].replace("(", " ").replace(")", " ").split()):
            ctx.errors.append(row.error("therapy_scope", "class_members needs a drug class (class:...) in `therapy`"))
    for key in row["mechanism"]:
        mech = ctx.lookup(row, "mechanism", key, ("mechanisms",))
        if mech:
            ctx.add(node, NSCR.viaMechanism, mech)
    for key in row["context"]:
        setting = ctx.lookup(row, "context", key, ("alterations", "profiles"))
        if setting:
            ctx.add(node, NSCR.inMolecularContext, setting)
    if row["definition"]:
        _link_definition(ctx, row, node)
    if row["line"] is not None:
        if row["line"] < 1:
            ctx.errors.append(row.error("line", f"line {row['line']} is not a line of therapy (the first line is 1)"))
        ctx.add(node, NSCR.lineOfTherapy, integer(row["line"]))
    ctx.link_keywords(row, node, "evidence_stage", NSCR.evidenceStage)
    ctx.add(node, NSCR.evidenceCode, AUTHOR_STATEMENT)
    disease = row["disease"] or NSCLC
    if ctx.ref.disease(disease) is None:
        ctx.errors.append(row.error("disease", f"{disease!r} is not a MONDO class in data/reference/mondo.tsv"))
    ctx.add(node, NSCR.diseaseContext, expand(disease))
    if subject is not None and obj is not None and predicate is not None:
        ctx.set_label(node, _claim(ctx, row, subject, obj, prior))
        if row["direction"] == "supports":
            shortcut = NSCR.confersResistanceTo if row["predicate"] == "resistance" else NSCR.confersSensitivityTo
            ctx.add(subject, shortcut, obj)


def _claim(ctx: Context, row: Row, subject, obj, prior) -> str:
    verb = "resistance to" if row["predicate"] == "resistance" else "sensitivity to"
    claim = f"{ctx.label_of(subject)} predicts {verb} {ctx.label_of(obj)}"
    context = [row["timing"]] if row["timing"] not in ("unspecified", None) else []
    if prior is not None:
        context.append(f"after {ctx.label_of(prior)}")
    if row["therapy_scope"] == "unstated":
        context.append("therapy not stated")
    if context:
        claim += f" ({', '.join(context)})"
    return claim if row["direction"] == "supports" else f"disputed: {claim}"


def _link_definition(ctx: Context, row: Row, node) -> None:
    """usesDefinition, after checking the definition defines the statement's own timing."""
    definition = ctx.lookup(row, "definition", row["definition"], ("definitions",))
    if definition is None:
        return
    ctx.add(node, NSCR.usesDefinition, definition)
    defined = ctx.keys["definitions"][row["definition"]]["timing"]
    if defined and defined != row["timing"]:
        ctx.errors.append(row.error("definition", f"{row['definition']!r} defines {defined} resistance, "
                                                  f"but the statement's timing is {row['timing']!r}"))
