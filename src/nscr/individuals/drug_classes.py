"""One DrugClass individual per defined class of ontology/patterns/drug_class.tsv and per drug
modality, so a statement's or strategy's class object is an individual that object properties reach
(nscr:withinClass, nscr:includesDrug), with nscr:definedByClass naming the OWL class that fixes it."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS

from ..prefixes import NSCR, expand
from .context import Context, en


def build_drug_classes(ctx: Context) -> None:
    onto = ontology_labels()
    for key, iri in sorted(ctx.modalities.items()):
        _emit(ctx, key, onto.get(iri, key), iri)
    for key, row in sorted(ctx.class_keys.items()):
        _emit(ctx, key, row["label"], NSCR[key], row["definition"])


def _emit(ctx: Context, key: str, label: str, cls, definition: str | None = None) -> None:
    node = ctx.drug_class(key)
    ctx.add(node, RDF.type, OWL.NamedIndividual)
    ctx.add(node, RDF.type, NSCR.DrugClass)
    ctx.set_label(node, label)
    ctx.add(node, NSCR.definedByClass, cls)
    if definition:
        ctx.add(node, expand("IAO:0000115"), en(definition))


def ontology_labels() -> dict:
    from .. import vocab
    g = vocab.ontology_graph()
    return {s: str(o) for s, o in g.subject_objects(RDFS.label)}
