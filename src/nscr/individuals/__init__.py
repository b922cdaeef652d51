"""Curated rows -> RDF individuals: one small builder per table kind, all sharing one Context.

Adding a table is adding a module with TABLE and build(ctx, row), and listing it in BUILDERS (in an
order where every table a row refers to is already known; keys are known up front, so the order
only matters for labels built from other rows' labels)."""
from __future__ import annotations

from . import (alterations, criteria, definitions, drugs, families, figures, genes, interventions, mechanisms, mentions,
               profiles, rankings, statements, strategies, subjects, table1, trials)
from .context import Context, hgvs_protein, reference_iri
from .document import build_diseases, build_document
from .drug_classes import build_drug_classes

BUILDERS = (genes, families, drugs, interventions, alterations, profiles, mechanisms, subjects, definitions, criteria, trials,
            statements, strategies, figures, mentions, rankings, table1)

__all__ = ["Context", "build_individuals", "hgvs_protein", "reference_iri", "BUILDERS"]


def build_individuals(ctx: Context) -> Context:
    build_document(ctx)
    build_drug_classes(ctx)
    for module in BUILDERS:
        for row in ctx.c[module.TABLE]:
            ctx.building(row)
            module.build(ctx, row)
    ctx.building(None)
    build_diseases(ctx)
    return ctx
