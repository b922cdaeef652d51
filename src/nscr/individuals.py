"""Curated rows -> RDF individuals, with the cross-table checks that only the whole curation can make.

Every problem is collected with its file, row and field; the caller raises them together.
"""
from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from . import iris, source, therapy, vocab
from .errors import CurationError
from .patterns import generation_property
from .prefixes import NSCR, REFERENCE_PREFIX, expand
from .reference import Reference
from .tables import Row

OA = "http://www.w3.org/ns/oa#"
AUTHOR_STATEMENT = expand("ECO:0000033")
NSCLC = "MONDO:0005233"
AA3 = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly", "H": "His",
       "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp",
       "Y": "Tyr", "V": "Val"}
REVIEW = iris.mint("source", "review")
INTERACTIONS = {"combination": NSCR.Combination, "sequential": NSCR.Sequential, "substitutes": NSCR.Substitutes}


def hgvs_protein(change: str | None) -> str | None:
    """T790M -> p.Thr790Met; None when the change does not name both residues."""
    m = re.fullmatch(r"([A-Z])(\d+)([A-Z])", change or "")
    if not m or m.group(1) not in AA3 or m.group(3) not in AA3:
        return None
    return f"p.{AA3[m.group(1)]}{m.group(2)}{AA3[m.group(3)]}"


def decimal(text: str) -> Literal:
    """xsd:decimal in its canonical lexical form (45 -> "45.0"), so every RDF syntax writes the same literal."""
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def reference_iri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return expand(f"{REFERENCE_PREFIX.get(prefix, prefix)}:{local}")


class IndividualBuilder:
    def __init__(self, curation: dict[str, list[Row]], patterns: list[Row], ref: Reference):
        self.c, self.patterns, self.ref = curation, patterns, ref
        self.g = Graph()
        self.errors: list[CurationError] = []
        self.gaps: list[tuple[str, str, str, str]] = []
        self.keys = {name: {r.key: r for r in rows} for name, rows in curation.items()}
        self.class_keys = {r["class"]: r for r in patterns}
        self.labels: dict[URIRef, str] = {}

    # -- helpers -------------------------------------------------------
    def add(self, s, p, o):
        self.g.add((s, p, o))

    def keyword(self, row: Row, column: str, value: str | None) -> URIRef | None:
        if value is None:
            return None
        table = row.table if column == "phase" else ""
        known = vocab.keywords(column, table)
        if value not in known:
            self.errors.append(row.error(column, f"{value!r} is not an allowed value (allowed: {', '.join(sorted(known))})"))
            return None
        return known[value]

    def entity(self, row: Row, kind: str, cls: URIRef) -> URIRef:
        node = iris.mint(kind, row.key)
        self.add(node, RDF.type, OWL.NamedIndividual)
        self.add(node, RDF.type, cls)
        self.add(node, NSCR.curationKey, Literal(row.key))
        self.add(node, NSCR.curationTable, Literal(row.file.removeprefix("data/curation/")))
        if row.get("deprecated"):
            self.add(node, OWL.deprecated, Literal(True))
            if row.get("replaced_by"):
                self.add(node, DCTERMS.isReplacedBy, iris.mint(kind, row["replaced_by"]))
        if row.get("note"):
            self.add(node, NSCR.curatorNote, Literal(row["note"]))
        if "section" in row.values:
            self.provenance(row, node)
        return node

    def provenance(self, row: Row, node: URIRef) -> None:
        sections = source.sections()
        number, start, end = row["section"], row["start"], row["end"]
        if number not in sections:
            self.errors.append(row.error("section", f"{number!r} is not a section of the review"))
            return
        if start is None or end is None:
            return
        sec = sections[number]
        if not start < end:
            self.errors.append(row.error("end", f"end {end} must be greater than start {start}"))
            return
        if not (sec.start <= start and end <= sec.end):
            self.errors.append(row.error("start", f"passage {start}-{end} is outside section {number} ({sec.start}-{sec.end})"))
        passage = iris.mint("passage", f"{start}-{end}")
        self.add(passage, RDF.type, OWL.NamedIndividual)
        self.add(passage, RDF.type, NSCR.DocumentPart)
        self.add(passage, RDFS.label, Literal(f"review characters {start}-{end} (section {number})"))
        self.add(passage, URIRef(OA + "start"), Literal(start, datatype=XSD.integer))
        self.add(passage, URIRef(OA + "end"), Literal(end, datatype=XSD.integer))
        self.add(passage, NSCR.inSection, iris.mint("section", number))
        self.add(passage, NSCR.inDocument, REVIEW)
        self.add(node, NSCR.hasPassage, passage)
        for ref in row["refs"] or []:
            self.add(node, NSCR.citesReference, Literal(ref, datatype=XSD.integer))
        self.add(node, RDFS.comment, Literal(row["summary"], lang="en"))

    def gene(self, row: Row, column: str, symbol: str) -> URIRef:
        if symbol not in self.keys["genes"]:
            self.errors.append(row.error(column, f"gene {symbol!r} is not listed in genes.tsv"))
        return iris.mint("gene", symbol)

    def lookup(self, row: Row, column: str, key: str, tables: tuple[str, ...]) -> URIRef | None:
        kinds = {"alterations": "alteration", "profiles": "profile", "mechanisms": "mechanism",
                 "statements": "statement", "trials": "trial", "drugs": "drug", "strategies": "strategy"}
        for t in tables:
            if key in self.keys[t]:
                return iris.mint(kinds[t], key)
        self.errors.append(row.error(column, f"{key!r} is not a key of {' or '.join(tables)}"))
        return None

    def therapy(self, row: Row, column: str, text: str | None) -> URIRef | None:
        if not text:
            return None
        try:
            expr = therapy.parse(text)
        except therapy.TherapySyntaxError as e:
            self.errors.append(row.error(column, str(e)))
            return None
        return self._therapy_node(row, column, expr)

    def _therapy_node(self, row: Row, column: str, expr) -> URIRef | None:
        if isinstance(expr, therapy.DrugRef):
            if expr.key not in self.keys["drugs"]:
                self.errors.append(row.error(column, f"drug {expr.key!r} is not in drugs.tsv"))
                return None
            return iris.mint("drug", expr.key)
        if isinstance(expr, therapy.ClassRef):
            modalities = {str(iri)[len(str(NSCR)):]: iri for iri in vocab.keywords("modality").values()}
            if expr.key in self.class_keys:
                label = self.class_keys[expr.key]["label"]
            elif expr.key in modalities:
                label = str(vocab.ontology_graph().value(modalities[expr.key], RDFS.label))
            else:
                self.errors.append(row.error(column, f"class {expr.key!r} is neither in ontology/patterns/drug_class.tsv "
                                                     f"nor a modality class ({', '.join(sorted(modalities))})"))
                return None
            node = iris.mint("drugclass", expr.key)
            self.add(node, RDF.type, OWL.NamedIndividual)
            self.add(node, RDF.type, NSCR.DrugClass)
            self.set_label(node, label)
            self.add(node, NSCR.definedByClass, NSCR[expr.key])
            return node
        parts = [self._therapy_node(row, column, c) for c in expr.components]
        if any(p is None for p in parts):
            return None
        node = iris.regimen(expr.interaction, [therapy.key_of(c) for c in expr.components])
        self.add(node, RDF.type, OWL.NamedIndividual)
        self.add(node, RDF.type, NSCR.Regimen)
        self.add(node, NSCR.interactionType, INTERACTIONS[expr.interaction])
        for p in parts:
            self.add(node, NSCR.hasComponent, p)
        joiner = {"combination": " + ", "sequential": " then ", "substitutes": " / "}[expr.interaction]
        names = [self.label_of(p) for p in parts]
        if expr.interaction != "sequential":
            names = sorted(names)
        label = joiner.join(f"({n})" if any(j.strip() in n.split() for j in ("+", "then", "/")) else n for n in names)
        self.add(node, RDFS.label, Literal(label, lang="en"))
        self.labels[node] = label
        return node

    def label_of(self, node: URIRef) -> str:
        if node in self.labels:
            return self.labels[node]
        for o in self.g.objects(node, RDFS.label):
            return str(o)
        return str(node).rsplit("/", 1)[-1]

    def set_label(self, node: URIRef, text: str, lang: str | None = "en") -> None:
        self.labels[node] = text
        self.add(node, RDFS.label, Literal(text, lang=lang))

    def xrefs(self, node: URIRef, resolved, close_prefixes=("UniProt", "NCIT")) -> None:
        for curie, label in sorted(resolved.ids.items()):
            iri = reference_iri(curie)
            prop = SKOS.closeMatch if curie.split(":")[0] in close_prefixes and node.startswith(str(NSCR) + "gene/") else SKOS.exactMatch
            self.add(node, prop, iri)
            if label:
                self.add(iri, RDFS.label, Literal(label))

    # -- tables --------------------------------------------------------
    def build(self) -> Graph:
        self.document()
        for row in self.c["genes"]:
            self.gene_row(row)
        for row in self.c["drugs"]:
            self.drug_row(row)
        for row in self.c["alterations"]:
            self.alteration_row(row)
        for row in self.c["profiles"]:
            self.profile_row(row)
        for row in self.c["mechanisms"]:
            self.mechanism_row(row)
        for row in self.c["trials"]:
            self.trial_row(row)
        for row in self.c["statements"]:
            self.statement_row(row)
        for row in self.c["strategies"]:
            self.strategy_row(row)
        for row in self.c["figures"]:
            self.figure_row(row)
        self.diseases()
        return self.g

    def diseases(self) -> None:
        """Cross-references (NCIt, DOID) of every MONDO disease the statements name, from its MONDO row."""
        for disease in sorted({row["disease"] or NSCLC for row in self.c["statements"]} | {NSCLC}):
            resolved = self.ref.disease(disease)
            if resolved is None:
                continue
            node = expand(disease)
            for curie, label in sorted(resolved.ids.items()):
                if curie != disease:
                    self.add(node, SKOS.exactMatch, expand(curie))
                    if label:
                        self.add(expand(curie), RDFS.label, Literal(label))

    def document(self) -> None:
        meta = source.review_meta()
        self.add(REVIEW, RDF.type, OWL.NamedIndividual)
        self.add(REVIEW, RDF.type, NSCR.SourceDocument)
        self.add(REVIEW, RDFS.label, Literal(meta["title"], lang="en"))
        self.add(REVIEW, DCTERMS.identifier, Literal("doi:" + meta["doi"]))
        self.add(REVIEW, DCTERMS.source, expand("doi:" + meta["doi"]))
        self.add(REVIEW, DCTERMS.bibliographicCitation, Literal(meta["citation"]))
        self.add(REVIEW, DCTERMS.license, URIRef(meta["licence"]))
        self.add(REVIEW, NSCR.sha256, Literal(meta["sha256"]))
        self.add(REVIEW, NSCR.characterCount, Literal(int(meta["characters"]), datatype=XSD.integer))
        for sec in source.sections().values():
            node = iris.mint("section", sec.number)
            self.add(node, RDF.type, OWL.NamedIndividual)
            self.add(node, RDF.type, NSCR.DocumentPart)
            self.add(node, RDFS.label, Literal(f"{sec.number} {sec.title}"))
            self.add(node, NSCR.sectionNumber, Literal(sec.number))
            self.add(node, URIRef(OA + "start"), Literal(sec.start, datatype=XSD.integer))
            self.add(node, URIRef(OA + "end"), Literal(sec.end, datatype=XSD.integer))
            self.add(node, NSCR.inDocument, REVIEW)

    def gene_row(self, row: Row) -> None:
        node = self.entity(row, "gene", NSCR.Gene)
        self.set_label(node, row["symbol"], lang=None)  # a symbol is a code, not English
        for s in row["spellings_seen"]:
            self.add(node, SKOS.altLabel, Literal(s))
        resolved = self.ref.gene(row["symbol"])
        if resolved is None:
            self.errors.append(row.error("symbol", f"{row['symbol']!r} is not an approved HGNC symbol in data/reference/hgnc.tsv (new gene? run `nscr reference` to refresh the copy)"))
            return
        self.xrefs(node, resolved)
        found = {c.split(":")[0] for c in resolved.ids}
        missing = [p for p in ("HGNC", "NCBIGene", "UniProt", "Ensembl", "NCIT") if p not in found]
        if missing:
            self.gaps.append(("gene", row.key, "|".join(missing), "partial"))

    def drug_row(self, row: Row) -> None:
        modality = self.keyword(row, "modality", row["modality"])
        node = self.entity(row, "drug", modality or NSCR.Drug)
        self.add(node, RDF.type, NSCR.Drug)
        self.set_label(node, row["label"].lower() if row["label"][:1].isupper() and row["label"][1:].islower() else row["label"])
        for name in row["code_names"]:
            self.add(node, SKOS.altLabel, Literal(name))
        for name in row["spellings_seen"]:
            self.add(node, SKOS.hiddenLabel, Literal(name))
        for symbol in row["targets"]:
            self.add(node, NSCR.inhibits, self.gene(row, "targets", symbol))
        for key in row["selective_for"]:
            alt = self.lookup(row, "selective_for", key, ("alterations",))
            if alt:
                self.add(node, NSCR.selectiveFor, alt)
        if row["generation"] is not None:
            family, _, number = row["generation"].rpartition(":")
            family = family or (row["targets"][0] if row["targets"] else "")
            if not family:
                self.errors.append(row.error("generation", "a generation needs a target family: list targets, or write e.g. ALK:2"))
            else:
                self.add(node, generation_property(self.g, family), Literal(int(number), datatype=XSD.integer))
                self.add(node, NSCR.generation, Literal(int(number), datatype=XSD.integer))
        resolved = self.ref.drug([row["label"], *row["code_names"]])
        self.xrefs(node, resolved)
        found = {c.split(":")[0] for c in resolved.ids}
        missing = [p for p in ("CHEBI", "CHEMBL", "DrugBank", "NCIT", "MESH") if p not in found]
        if missing:
            self.gaps.append(("drug", row.key, "|".join(missing), "none found" if not found else "partial"))

    def alteration_row(self, row: Row) -> None:
        so = self.keyword(row, "alteration_type", row["alteration_type"])
        node = self.entity(row, "alteration", NSCR.Alteration)
        if so:
            self.add(node, RDF.type, so)
            self.add(node, NSCR.alterationType, so)  # the curated (most specific) type, for simple queries
        for symbol in row["gene"]:
            self.add(node, NSCR.inGene, self.gene(row, "gene", symbol))
        change = row["protein_change"]
        if change:
            self.add(node, NSCR.proteinChange, Literal(change))
            if hgvs_protein(change):
                self.add(node, NSCR.hgvsProtein, Literal(hgvs_protein(change)))
        if row["exon"] is not None:
            self.add(node, NSCR.exon, Literal(row["exon"], datatype=XSD.integer))
        if row["fusion_partner"]:
            self.add(node, NSCR.fusionPartner, Literal(row["fusion_partner"]))
        self.set_label(node, row["label"] or f"{'/'.join(row['gene'])} {change or row['alteration_type']}")
        self.add(node, NSCR.shortForm, Literal(change or self.label_of(node)))

    def profile_row(self, row: Row) -> None:
        node = self.entity(row, "profile", NSCR.CompoundProfile)
        if len(row["components"]) < 2:
            self.errors.append(row.error("components", "a compound profile needs two or more alterations"))
        for key in row["components"]:
            alt = self.lookup(row, "components", key, ("alterations",))
            if alt:
                self.add(node, NSCR.hasComponent, alt)
        for key in row["background"]:
            alt = self.lookup(row, "background", key, ("alterations",))
            if alt:
                self.add(node, NSCR.hasBackground, alt)
        phase = self.keyword(row, "phase", row["phase"])
        if phase:
            self.add(node, NSCR.allelicPhase, phase)
        parts = [self.c_label("alterations", k) for k in row["components"]]
        short = [self.keys["alterations"][k]["protein_change"] or self.c_label("alterations", k)
                 for k in row["components"] if k in self.keys["alterations"]]
        self.add(node, NSCR.shortForm, Literal("+".join(short)))
        self.set_label(node, row["label"] or " + ".join(parts) + ("" if row["phase"] == "unspecified" else f" in {row['phase']}"))

    def c_label(self, table: str, key: str) -> str:
        r = self.keys[table].get(key)
        return (r["label"] if r and r.get("label") else key) if r else key

    def mechanism_row(self, row: Row) -> None:
        node = self.entity(row, "mechanism", NSCR.ResistanceMechanism)
        self.set_label(node, row["label"])
        for kw in row["mechanism_class"]:
            cls = self.keyword(row, "mechanism_class", kw)
            if cls:
                self.add(node, RDF.type, cls)
        for symbol in row["genes"]:
            self.add(node, NSCR.involvesGene, self.gene(row, "genes", symbol))
        for key in row["alterations"]:
            target = self.lookup(row, "alterations", key, ("alterations", "profiles"))
            if target:
                self.add(node, NSCR.realisedBy, target)
        for go in row["pathways"]:
            if not go.startswith("GO:") or self.ref.term(go) is None:
                self.errors.append(row.error("pathways", f"{go!r} is not a GO term in data/reference (run `nscr reference` after adding it)"))
            else:
                self.add(node, NSCR.involvesPathway, expand(go))
        for cl in row["cell_types"]:
            if not cl.startswith("CL:") or self.ref.term(cl) is None:
                self.errors.append(row.error("cell_types", f"{cl!r} is not a Cell Ontology term in data/reference "
                                                           f"(run `nscr reference` after adding it)"))
            else:
                self.add(node, NSCR.involvesCellType, expand(cl))

    def trial_row(self, row: Row) -> None:
        node = self.entity(row, "trial", NSCR.ClinicalTrial)
        self.set_label(node, row["label"])
        if row["nct"]:
            self.add(node, NSCR.nctId, Literal(row["nct"]))
        phase = self.keyword(row, "phase", row["phase"])
        if phase:
            self.add(node, NSCR.trialPhase, phase)
        for column, prop in (("therapy", NSCR.testsTherapy), ("comparator", NSCR.comparator)):
            t = self.therapy(row, column, row[column])
            if t:
                self.add(node, prop, t)
        outcome = self.keyword(row, "outcome", row["outcome"])
        if outcome:
            self.add(node, NSCR.hasOutcome, outcome)

    def statement_row(self, row: Row) -> None:
        node = self.entity(row, "statement", NSCR.ResistanceStatement)
        subject = self.lookup(row, "subject", row["subject"], ("alterations", "profiles", "mechanisms"))
        predicate = self.keyword(row, "predicate", row["predicate"])
        obj = self.therapy(row, "therapy", row["therapy"])
        direction = self.keyword(row, "direction", row["direction"])
        timing = self.keyword(row, "timing", row["timing"])
        prior = self.therapy(row, "prior_therapy", row["prior_therapy"])
        for prop, value in ((NSCR.hasSubject, subject), (NSCR.hasPredicate, predicate), (NSCR.hasObject, obj),
                            (NSCR.hasDirection, direction), (NSCR.hasTiming, timing)):
            if value is not None:
                self.add(node, prop, value)
        for key in row["mechanism"]:
            mech = self.lookup(row, "mechanism", key, ("mechanisms",))
            if mech:
                self.add(node, NSCR.viaMechanism, mech)
        if prior:
            self.add(node, NSCR.priorTherapy, prior)
        if row["line"] is not None:
            self.add(node, NSCR.lineOfTherapy, Literal(row["line"], datatype=XSD.integer))
        stage = self.keyword(row, "evidence_stage", row["evidence_stage"])
        if stage:
            self.add(node, NSCR.evidenceStage, stage)
        self.add(node, NSCR.evidenceCode, AUTHOR_STATEMENT)
        disease = row["disease"] or NSCLC
        if self.ref.disease(disease) is None:
            self.errors.append(row.error("disease", f"{disease!r} is not a MONDO class in data/reference/mondo.tsv"))
        self.add(node, NSCR.diseaseContext, expand(disease))
        if subject is not None and obj is not None and predicate is not None:
            verb = "resistance to" if row["predicate"] == "resistance" else "sensitivity to"
            claim = f"{self.label_of(subject)} predicts {verb} {self.label_of(obj)}"
            context = [row["timing"]] if row["timing"] not in ("unspecified", None) else []
            if prior is not None:
                context.append(f"after {self.label_of(prior)}")
            if context:
                claim += f" ({', '.join(context)})"
            self.set_label(node, claim if row["direction"] == "supports" else f"disputed: {claim}")
            if row["direction"] == "supports":
                shortcut = NSCR.confersResistanceTo if row["predicate"] == "resistance" else NSCR.confersSensitivityTo
                self.add(subject, shortcut, obj)

    def strategy_row(self, row: Row) -> None:
        node = self.entity(row, "strategy", NSCR.Strategy)
        self.set_label(node, row["label"])
        for kw in row["strategy_type"]:
            cls = self.keyword(row, "strategy_type", kw)
            if cls:
                self.add(node, RDF.type, cls)
        t = self.therapy(row, "therapy", row["therapy"])
        if t:
            self.add(node, NSCR.usesTherapy, t)
        for key in row["addresses"]:
            target = self.lookup(row, "addresses", key, ("statements", "mechanisms", "alterations", "profiles"))
            if target:
                self.add(node, NSCR.addresses, target)
        for key in row["trials"]:
            trial = self.lookup(row, "trials", key, ("trials",))
            if trial:
                self.add(node, NSCR.testedIn, trial)
        stage = self.keyword(row, "evidence_stage", row["evidence_stage"])
        if stage:
            self.add(node, NSCR.evidenceStage, stage)
        outcome = self.keyword(row, "outcome", row["outcome"])
        if outcome:
            self.add(node, NSCR.hasOutcome, outcome)
        self.add(node, NSCR.evidenceCode, AUTHOR_STATEMENT)

    def figure_row(self, row: Row) -> None:
        node = self.entity(row, "figure", NSCR.QuantitativeFigure)
        about = self.lookup(row, "about", row["about"], ("statements", "alterations", "profiles", "mechanisms"))
        if about:
            self.add(node, expand("IAO:0000136"), about)
        measure = self.keyword(row, "measure", row["measure"])
        if measure:
            self.add(node, NSCR.measure, measure)
        self.add(node, NSCR.lowValue, decimal(row["low"]))
        if row["high"] is not None:
            self.add(node, NSCR.highValue, decimal(row["high"]))
            try:
                if float(row["high"]) < float(row["low"]):
                    self.errors.append(row.error("high", f"high {row['high']} is below low {row['low']}"))
            except ValueError:
                pass
        self.add(node, NSCR.unit, Literal(row["unit"]))
        if row["population"]:
            self.add(node, NSCR.populationDescription, Literal(row["population"]))
        t = self.therapy(row, "population_therapy", row["population_therapy"])
        if t:
            self.add(node, NSCR.populationTherapy, t)
        rng = row["low"] + (f"-{row['high']}" if row["high"] is not None else "")
        about_label = self.label_of(about) if about is not None else row["about"]
        self.set_label(node, f"{row['measure']} of {rng} {row['unit']}: {about_label}")
