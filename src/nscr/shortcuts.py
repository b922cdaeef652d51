"""Shortcut triples: deterministic derivations that let a query go from a statement or strategy to
its genes, drugs and drug classes in one step. Each property and its rule is defined in the ontology
(annotation nscr:Shortcut on the property); the rules only ever generalise upward (a drug to its
stated classes, a class to its superclasses), never from a class to drugs the review does not put in
it, and never from a claim whose therapy the text leaves unstated."""
from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, RDFS, Graph, URIRef

from . import vocab
from .prefixes import NSCR
from .individuals.context import Context

DRUGCLASS = str(NSCR) + "drugclass/"
IMMUNE_SUBJECTS = (NSCR.CellPopulation, NSCR.MicroenvironmentState, NSCR.ImmuneFactor, NSCR.TimingPattern)


class Shortcuts:
    def __init__(self, ctx: Context):
        self.ctx, self.g = ctx, ctx.g
        modality_by_keyword = vocab.keywords("modality")
        local = {iri: str(iri)[len(str(NSCR)):] for iri in modality_by_keyword.values()}
        self.parents: dict[str, set[str]] = {}
        for key, row in ctx.class_keys.items():
            ups = set()
            if row["parent"]:
                ups.add(row["parent"])
            if row["modality"]:
                ups.add(local[modality_by_keyword[row["modality"]]])
            self.parents[key] = ups
        onto = vocab.ontology_graph()
        for iri, key in local.items():  # a modality's broader modality (natural product -> small molecule)
            self.parents[key] = {local[o] for o in onto.objects(iri, RDFS.subClassOf) if o in local}
        self.stated = {str(d): {str(c)[len(DRUGCLASS):] for c in self.g.objects(d, NSCR.statedDrugClass)}
                       for d in set(self.g.subjects(RDF.type, NSCR.Drug))}
        self.modality = {str(d): {local[t] for t in self.g.objects(d, RDF.type) if t in local}
                         for d in set(self.g.subjects(RDF.type, NSCR.Drug))}

    # -- drug classes ------------------------------------------------------
    @lru_cache(maxsize=None)
    def up(self, key: str) -> frozenset[str]:
        """The class and every class above it (patterns' parent column and modality), transitively."""
        out = {key}
        for p in self.parents.get(key, ()):
            out |= self.up(p)
        return frozenset(out)

    def drug_classes(self, drug: URIRef) -> set[str]:
        """Upward from a drug: the classes the review puts it in and its modality, with their superclasses."""
        named = self.stated.get(str(drug), set()) | self.modality.get(str(drug), set())
        return {k for s in named for k in self.up(s)}

    def class_members(self, key: str) -> set[URIRef]:
        return {URIRef(d) for d, stated in self.stated.items() if any(key in self.up(s) for s in stated)}

    # -- therapies -----------------------------------------------------------
    def kind(self, node: URIRef) -> str:
        if str(node).startswith(DRUGCLASS):
            return "class"
        if (node, RDF.type, NSCR.NonDrugIntervention) in self.g:
            return "intervention"
        return "regimen" if (node, RDF.type, NSCR.Regimen) in self.g else "drug"

    def named_drugs(self, therapy: URIRef) -> set[URIRef]:
        """The drugs a therapy names; a non-drug intervention is none (drug shortcuts never reach it)."""
        kind = self.kind(therapy)
        if kind == "drug":
            return {therapy}
        if kind in ("class", "intervention"):
            return set()
        return {d for c in self.g.objects(therapy, NSCR.hasComponent) for d in self.named_drugs(c)}

    def named_classes(self, therapy: URIRef) -> set[str]:
        kind = self.kind(therapy)
        if kind == "class":
            return {str(therapy)[len(DRUGCLASS):]}
        if kind in ("drug", "intervention"):
            return set()
        return {k for c in self.g.objects(therapy, NSCR.hasComponent) for k in self.named_classes(c)}

    def included_drugs(self, therapy: URIRef) -> set[URIRef]:
        return self.named_drugs(therapy) | {d for k in self.named_classes(therapy) for d in self.class_members(k)}

    def classes_concerned(self, therapy: URIRef) -> set[str]:
        out = {k for c in self.named_classes(therapy) for k in self.up(c)}
        return out | {k for d in self.named_drugs(therapy) for k in self.drug_classes(d)}

    # -- genes ---------------------------------------------------------------
    def alteration_genes(self, profile: URIRef) -> set[URIRef]:
        if (profile, RDF.type, NSCR.CompoundProfile) in self.g:
            return {gene for a in self.g.objects(profile, NSCR.hasComponent) for gene in self.g.objects(a, NSCR.inGene)}
        return set(self.g.objects(profile, NSCR.inGene))

    def subject_genes(self, subject: URIRef) -> set[URIRef]:
        if (subject, RDF.type, NSCR.ResistanceMechanism) in self.g:
            genes = set(self.g.objects(subject, NSCR.involvesGene))
            return genes | {gene for p in self.g.objects(subject, NSCR.realisedBy) for gene in self.alteration_genes(p)}
        if any((subject, RDF.type, cls) in self.g for cls in IMMUNE_SUBJECTS):
            return set(self.g.objects(subject, NSCR.involvesGene))
        return self.alteration_genes(subject)

    # -- emit ----------------------------------------------------------------
    def emit(self) -> None:
        g, add = self.g, self.ctx.add
        kinds = subject_kinds()
        for key in sorted(self.ctx.class_keys):
            node = URIRef(DRUGCLASS + key)
            for k in self.up(key) - {key}:
                add(node, NSCR.withinClass, URIRef(DRUGCLASS + k))
            for d in self.class_members(key):
                add(node, NSCR.includesDrug, d)
        for key in {str(iri)[len(str(NSCR)):] for iri in vocab.keywords("modality").values()}:
            for k in self.up(key) - {key}:
                add(URIRef(DRUGCLASS + key), NSCR.withinClass, URIRef(DRUGCLASS + k))
            for d in self.class_members(key):
                add(URIRef(DRUGCLASS + key), NSCR.includesDrug, d)
        for drug in sorted(set(g.subjects(RDF.type, NSCR.Drug))):
            add(drug, NSCR.includesDrug, drug)
            for k in self.drug_classes(drug):
                add(drug, NSCR.withinClass, URIRef(DRUGCLASS + k))
        for regimen in sorted(set(g.subjects(RDF.type, NSCR.Regimen))):
            for d in self.included_drugs(regimen):
                add(regimen, NSCR.includesDrug, d)
        for alteration in sorted(set(g.subjects(RDF.type, NSCR.Alteration))):
            for gene in g.objects(alteration, NSCR.inGene):
                add(alteration, NSCR.aboutGene, gene)
        for mech in sorted(set(g.subjects(RDF.type, NSCR.ResistanceMechanism))):
            for gene in self.subject_genes(mech):
                add(mech, NSCR.aboutGene, gene)
        for st in sorted(set(g.subjects(RDF.type, NSCR.ResistanceStatement))):
            subject, obj = g.value(st, NSCR.hasSubject), g.value(st, NSCR.hasObject)
            if subject is None or obj is None:
                continue
            for gene in self.subject_genes(subject):
                add(st, NSCR.aboutGene, gene)
            for cls, kind in kinds:
                if (subject, RDF.type, cls) in g:
                    add(st, NSCR.subjectKind, kind)
                    break
            scope = g.value(st, NSCR.therapyScope)
            drugs = set()
            if scope == NSCR.TherapyAsNamed:
                drugs = self.named_drugs(obj)
            elif scope == NSCR.ClassMembersClaim:
                drugs = self.included_drugs(obj)
            for d in drugs:
                add(st, NSCR.concernsDrug, d)
            for k in self.classes_concerned(obj):
                add(st, NSCR.concernsDrugClass, URIRef(DRUGCLASS + k))
        for strategy in sorted(set(g.subjects(RDF.type, NSCR.Strategy))):
            self.emit_strategy(strategy)

    def emit_strategy(self, strategy: URIRef) -> None:
        g, add = self.g, self.ctx.add
        for context in g.objects(strategy, NSCR.overcomesResistanceTo):
            for k in self.classes_concerned(context):
                add(strategy, NSCR.resistanceToClass, URIRef(DRUGCLASS + k))
        for used in g.objects(strategy, NSCR.usesTherapy):
            for d in self.named_drugs(used):
                add(strategy, NSCR.usesDrug, d)
            for k in self.classes_concerned(used):
                add(strategy, NSCR.usesDrugClass, URIRef(DRUGCLASS + k))
        for target in g.objects(strategy, NSCR.addresses):
            if (target, RDF.type, NSCR.ResistanceStatement) in g:
                subject = g.value(target, NSCR.hasSubject)
                genes = set(g.objects(target, NSCR.aboutGene))
                mechanisms = set(g.objects(target, NSCR.viaMechanism))
                if (subject, RDF.type, NSCR.ResistanceMechanism) in g:
                    mechanisms.add(subject)
                    alterations = set(g.objects(subject, NSCR.realisedBy))
                elif any((subject, RDF.type, c) in g for c in (NSCR.Alteration, NSCR.CompoundProfile)):
                    alterations = {subject}
                else:  # a cell population, microenvironment state, immune factor or timing pattern
                    alterations = set()
            elif (target, RDF.type, NSCR.ResistanceMechanism) in g:
                genes, mechanisms = self.subject_genes(target), {target}
                alterations = set(g.objects(target, NSCR.realisedBy))
            else:
                genes, mechanisms, alterations = self.alteration_genes(target), set(), {target}
            for gene in genes:
                add(strategy, NSCR.addressesGene, gene)
            for m in mechanisms:
                add(strategy, NSCR.addressesMechanism, m)
            for a in alterations:
                add(strategy, NSCR.addressesAlteration, a)


def subject_kinds() -> list[tuple[URIRef, URIRef]]:
    """(class, subject kind) pairs from nscr:kindOfClass, most specific first (profiles before alterations)."""
    g: Graph = vocab.ontology_graph()
    pairs = sorted((cls, kind) for kind, cls in g.subject_objects(NSCR.kindOfClass))
    return sorted(pairs, key=lambda p: p[0] != NSCR.CompoundProfile)


def materialise(ctx: Context) -> None:
    Shortcuts(ctx).emit()
