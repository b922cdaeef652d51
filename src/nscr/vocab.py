"""Controlled keywords of the curation tables, read from skos:notation in the ontology.

The ontology is the one place a keyword is defined: each column's allowed values
are the notations found under that column's root class (or among its individuals).
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from . import paths
from .prefixes import NSCR, expand

# column -> (root, mode): "class" = subclasses of root, "individual" = members of root,
# "namespace" = any term under the root IRI. The `phase` column is handled in keywords().
COLUMNS = {
    "alteration_type": (expand("SO:"), "namespace"),
    "mechanism_class": (NSCR.ResistanceMechanism, "class"),
    "modality": (NSCR.Drug, "class"),
    "strategy_type": (NSCR.Strategy, "class"),
    "evidence_stage": (expand("ECO:0000000"), "class"),
    "timing": (NSCR.ResistanceTiming, "individual"),
    "predicate": (NSCR.StatementPredicate, "individual"),
    "direction": (NSCR.StatementDirection, "individual"),
    "outcome": (NSCR.StrategyOutcome, "individual"),
    "measure": (NSCR.MeasureType, "individual"),
    "therapy_scope": (NSCR.TherapyScope, "individual"),
    "certainty": (NSCR.Certainty, "individual"),
    "prominence": (NSCR.Prominence, "individual"),
    "unit": (NSCR.Unit, "individual"),
    "kind": (NSCR.SubjectKind, "individual"),
    "setting": (NSCR.ClinicalSetting, "individual"),
    "comparator": (NSCR.Comparator, "individual"),
    "platform": (NSCR.VaccinePlatform, "individual"),
    "intervention_type": (NSCR.NonDrugIntervention, "class"),
}
TRIAL_PHASES = ("phase1", "phase1_2", "phase2", "phase3")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(paths.ONTOLOGY, format="turtle")
    if paths.IMPORTS.exists():
        g.parse(paths.IMPORTS, format="turtle")
    return g


def _notations(graph: Graph, root: URIRef, mode: str) -> dict[str, URIRef]:
    out = {}
    for term, notation in graph.subject_objects(SKOS.notation):
        if mode == "namespace":
            ok = str(term).startswith(str(root))
        elif mode == "individual":
            ok = (term, RDF.type, root) in graph
        else:
            ok = term == root or root in graph.transitive_objects(term, RDFS.subClassOf)
        if ok:
            out[str(notation)] = term
    return out


@lru_cache(maxsize=None)
def keywords(column: str, table: str = "") -> dict[str, URIRef]:
    """Keyword -> IRI for a controlled column."""
    g = ontology_graph()
    if column == "phase":
        if table == "profiles":
            return _notations(g, NSCR.AllelicPhase, "individual")
        stages = keywords("evidence_stage")
        return {k: stages[k] for k in TRIAL_PHASES}
    if column == "measure" and table == "criteria":
        return _notations(g, NSCR.CriterionMeasure, "individual")
    root, mode = COLUMNS[column]
    return _notations(g, root, mode)


def all_columns() -> list[tuple[str, str]]:
    return [("alteration_type", ""), ("mechanism_class", ""), ("modality", ""), ("strategy_type", ""),
            ("evidence_stage", ""), ("timing", ""), ("predicate", ""), ("direction", ""), ("outcome", ""),
            ("measure", ""), ("therapy_scope", ""), ("certainty", ""), ("prominence", ""), ("unit", ""),
            ("phase", "profiles"), ("phase", "trials"), ("kind", ""), ("setting", ""), ("comparator", ""),
            ("platform", ""), ("measure", "criteria"), ("intervention_type", "")]
