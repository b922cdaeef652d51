"""subjects.tsv: non-molecular subjects of resistance statements (immunotherapy): cell populations,
microenvironment states, cytokines or antigens, and timing patterns, typed by the class their kind
stands for (nscr:kindOfClass), with the Cell Ontology types, genes and GO processes they involve, and for
a timing pattern the definition of resistance that states it (nscr:patternDefinedBy)."""
from __future__ import annotations

from ..prefixes import NSCR
from ..tables import Row
from .. import vocab
from .context import Context

TABLE = "subjects"
CLASSES = (NSCR.CellPopulation, NSCR.MicroenvironmentState, NSCR.ImmuneFactor, NSCR.TimingPattern)


def subject_class(ctx: Context, row: Row):
    """The class of the row's kind, or None (with an error) for a kind that has its own table."""
    kind = ctx.keyword(row, "kind", row["kind"])
    if kind is None:
        return None
    cls = vocab.ontology_graph().value(kind, NSCR.kindOfClass)
    if cls not in CLASSES:
        allowed = sorted(k for k, t in vocab.keywords("kind").items()
                         if vocab.ontology_graph().value(t, NSCR.kindOfClass) in CLASSES)
        ctx.errors.append(row.error("kind", f"{row['kind']!r} subjects have their own table; "
                                            f"subjects.tsv takes {', '.join(allowed)}"))
        return None
    return cls


def build(ctx: Context, row: Row) -> None:
    cls = subject_class(ctx, row)
    node = ctx.entity(row, cls or NSCR.CellPopulation)
    ctx.set_label(node, row["label"])
    ctx.synonyms(node, row["synonyms"])
    for symbol in row["genes"]:
        ctx.add(node, NSCR.involvesGene, ctx.gene_or_family(row, "genes", symbol))
    ctx.link_ontology_terms(row, node, "cell_type", "CL:", NSCR.involvesCellType)
    ctx.link_ontology_terms(row, node, "pathways", "GO:", NSCR.involvesPathway)
    if cls == NSCR.CellPopulation and not row["cell_type"]:
        ctx.gaps.append(("cell_population", row.key, "CL", "none found"))
    if row["definition"]:
        if row["kind"] != "timing_pattern":
            ctx.errors.append(row.error("definition", f"only a timing pattern is defined by a definition of resistance "
                                                      f"(kind is {row['kind']!r})"))
        definition = ctx.lookup(row, "definition", row["definition"], ("definitions",))
        if definition is not None:
            ctx.add(node, NSCR.patternDefinedBy, definition)
