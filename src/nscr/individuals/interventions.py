"""interventions.tsv: treatments and exposures that are not drugs (radiotherapy, a faecal microbiota
transplant, surgery, antibiotic exposure), typed by their intervention type and named in therapy
expressions by key exactly as drugs are. NCIt and MeSH terms come from the snapshot when one is
labelled with the row's label or a synonym; none is a gap, never a near term."""
from __future__ import annotations

from rdflib import RDF

from ..prefixes import NSCR
from ..tables import Row
from .context import Context

TABLE = "interventions"
PREFIXES = ("MESH", "NCIT")


def build(ctx: Context, row: Row) -> None:
    kind = ctx.keyword(row, "intervention_type", row["intervention_type"])
    node = ctx.entity(row, kind or NSCR.NonDrugIntervention)
    ctx.add(node, RDF.type, NSCR.NonDrugIntervention)
    ctx.set_label(node, row["label"])
    ctx.synonyms(node, row["synonyms"])
    resolved = ctx.ref.intervention([row["label"], *row["synonyms"]])
    ctx.xrefs(node, resolved)
    found = {c.split(":")[0] for c in resolved.ids}
    missing = [p for p in PREFIXES if p not in found]
    if missing:
        ctx.gaps.append(("intervention", row.key, "|".join(missing), "none found" if not found else "partial"))
