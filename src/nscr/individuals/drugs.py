"""drugs.tsv: one drug or agent, typed by modality, with its targets, generation, the classes the
review itself puts it in, and every identifier the snapshot holds for it."""
from __future__ import annotations

from rdflib import RDF

from ..patterns import generation_property
from ..prefixes import NSCR
from ..tables import Row
from .context import Context, integer

TABLE = "drugs"


def build(ctx: Context, row: Row) -> None:
    modality = ctx.keyword(row, "modality", row["modality"])
    node = ctx.entity(row, modality or NSCR.Drug)
    ctx.add(node, RDF.type, NSCR.Drug)
    label = row["label"]
    # an INN printed with a capital (Osimertinib) is labelled in lower case; a code name (Vx-001) keeps its form
    is_inn = label[:1].isupper() and label[1:].islower() and not any(c.isdigit() for c in label)
    ctx.set_label(node, label.lower() if is_inn else label)
    ctx.synonyms(node, row["code_names"])
    for symbol in row["targets"]:
        ctx.add(node, NSCR.inhibits, ctx.gene_or_family(row, "targets", symbol))
    if row["platform"]:
        if row["modality"] != "vaccine":
            ctx.errors.append(row.error("platform", f"a platform is given for vaccines only (modality is {row['modality']!r})"))
        ctx.link_keywords(row, node, "platform", NSCR.vaccinePlatform)
    for symbol in row["antigens"]:
        ctx.add(node, NSCR.targetsAntigen, ctx.gene_or_family(row, "antigens", symbol))
    for key in row["selective_for"]:
        alt = ctx.lookup(row, "selective_for", key, ("alterations",))
        if alt:
            ctx.add(node, NSCR.selectiveFor, alt)
    for key in row["classes_stated"]:
        if key not in ctx.class_keys and key not in ctx.modalities:
            ctx.errors.append(row.error("classes_stated", f"{key!r} is neither a class of ontology/patterns/drug_class.tsv "
                                                          "nor a modality class"))
        else:
            ctx.add(node, NSCR.statedDrugClass, ctx.drug_class(key))
    families = set()
    for cell in row["generation"]:
        family, _, number = cell.rpartition(":")
        family = family or (row["targets"][0] if row["targets"] else "")
        if not family:
            ctx.errors.append(row.error("generation", "a generation needs a target family: list targets, or write e.g. ALK:2"))
        elif family not in ctx.generation_families:
            ctx.errors.append(row.error("generation", f"no generation property is declared for {family}: add "
                                                      f"nscr:generationAs{family} to ontology/nscr.ttl (see nscr:generationAsALK)"))
        elif family in families:
            ctx.errors.append(row.error("generation", f"{family} is given two generations; write one per target family"))
        else:
            families.add(family)
            ctx.add(node, generation_property(family), integer(int(number)))
            ctx.add(node, NSCR.generation, integer(int(number)))
    resolved = ctx.ref.drug([row["label"], *row["code_names"]])
    ctx.xrefs(node, resolved)
    found = {c.split(":")[0] for c in resolved.ids}
    missing = [p for p in ("CHEBI", "CHEMBL", "DrugBank", "NCIT", "MESH") if p not in found]
    if missing:
        ctx.gaps.append(("drug", row.key, "|".join(missing), "none found" if not found else "partial"))

