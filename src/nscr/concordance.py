"""Concordance with CIViC: each resistance/sensitivity statement of the graph set beside CIViC's predictive
evidence on the same gene, the same alteration (or every component of the same profile) and the same drug,
in non-small cell lung cancer. CIViC is a second, independent source: the report shows where the two
agree and where they differ; nothing of the review's claims is changed to fit CIViC.

Which CIViC items (the filtered copy in data/reference/civic_evidence.tsv, `wanted_eids`): Predictive
items whose DOID and disease name are NSCLC or one of its subtypes (`NSCLC_DOIDS`); "Lung Cancer" (DOID:1324) and "Lung
Carcinoma" (DOID:3905) are left out because they mix small cell and non-small cell disease, and "Lung
Small Cell Carcinoma" (DOID:5409) is never taken; at least one gene of the molecular profile is a gene of
the curation.

Which statements: those whose disease context is NSCLC (MONDO:0005233), whose subject is an alteration or
a compound profile (mechanisms and immune subjects are not compared) and whose therapy scope lets the
claim reach drugs: a drug or a combination of drugs as named (level `drug`), or a drug class meaning its
members, compared only for the drugs the review itself puts in the class (nscr:includesDrug of the class
individual, drawn from nscr:statedDrugClass; the reasoner's memberships in nscr-inferred.ttl are never
read) (level `class-level`). "Therapy not stated" statements, and combinations naming a class, are not
compared.

Alterations (`variant_rule`, conservative: no match rather than a wrong one): a CIViC variant name is
compared with the graph's alteration in the same HGNC gene (families never match) by one of RULES; any
other name (Expression, Wildtype, Rare Mutation, exon-junction fusion variants, c. notation...) matches
nothing. A CIViC profile of components joined by AND matches a compound profile whose present components
match them one to one, with no absent component and the allelic phase not stated; profiles with OR or NOT
match nothing.

Drugs: CIViC therapy names equal, after case and hyphen folding, to a drug's label or alternative label.
A CIViC item on one therapy, or on substitutes (each applies alone), is compared with a single drug; a
CIViC combination only with a regimen of exactly the same drugs; sequential items are not compared.

Verdict: the statement's claim (predicate resistance|sensitivity, direction supports|disputes) against
CIViC's (significance Resistance | Sensitivity/Response, evidence_direction Supports | Does Not Support):
the same claim with the same direction agrees; the same claim with the opposite direction, or the opposite
claims both supported, contradicts; anything else (one side saying only that the other claim is not
supported) gets no verdict and no row. Other significances (Reduced Sensitivity, Adverse Response) are not
compared.

The link: each agreement becomes `statement skos:relatedMatch <https://civicdb.org/links/evidence_items/EID>`
(the form of the export's own `evidence_civic_url` column and of the snapshot README; bioregistry's
`civic.eid`; a test checks it against the row's column). skos:relatedMatch, not a concordance node: the CIViC item is a different assertion from
another population that bears on the same claim, which is what relatedMatch says, it needs no new class or
shape (the closed shapes already allow it and require an IRI), and the verdict, level and rule stay in the
report, which curators read. Contradictions are not linked: they are a question for a curator, not a fact.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Namespace, URIRef

from .prefixes import NSCR

FILE = "civic_evidence.tsv"
REPORT = "reports/civic-concordance.tsv"  # under dist/
EVIDENCE = "https://civicdb.org/links/evidence_items/"
OA = Namespace("http://www.w3.org/ns/oa#")
NSCLC_MONDO = URIRef("http://purl.obolibrary.org/obo/MONDO_0005233")
# DOID -> CIViC's disease name: NSCLC and the DOID subtypes of it that the export uses; an item must carry
# both (a DOID typed from memory can name another disease). Small cell lung cancer (5409) and the mixed
# "Lung Cancer" (1324) / "Lung Carcinoma" (3905) are deliberately absent.
NSCLC_DOIDS = {"3908": "Lung Non-small Cell Carcinoma", "3910": "Lung Adenocarcinoma",
               "3907": "Lung Squamous Cell Carcinoma", "6482": "Lung Acinar Adenocarcinoma",
               "4829": "Adenosquamous Lung Carcinoma"}
CLAIMS = {"Resistance": "resistance", "Sensitivity/Response": "sensitivity"}
DIRECTIONS = {"Supports": True, "Does Not Support": False}
COLUMNS = ["statement", "gene", "alteration", "drug", "level", "verdict", "review_claim", "summary", "section",
           "passage_start", "passage_end", "review_excerpt", "civic_eid", "civic_iri", "civic_molecular_profile",
           "civic_therapies", "civic_interaction", "civic_disease", "civic_claim", "civic_evidence_level",
           "civic_statement", "match_rule"]
EXCERPT_WORDS = 6  # the review's own words stay far below copycheck's run of ten


# -- CIViC rows ---------------------------------------------------------------

def is_nsclc(row: dict) -> bool:
    """CIViC's disease is NSCLC or one of its subtypes: its DOID and its name as NSCLC_DOIDS lists them."""
    return NSCLC_DOIDS.get(row["doid"]) == row["disease"]


def profile_genes(profile: str) -> set[str]:
    """Gene symbols named in a CIViC molecular profile (both partners of a fusion, 'v' = any partner)."""
    genes = set()
    for part in re.split(r"\s+(?:AND|OR)\s+", profile.replace("(", " ").replace(")", " ")):
        tokens = part.split()
        if tokens and tokens[0] == "NOT":
            tokens = tokens[1:]
        if tokens:
            genes.update(g for g in tokens[0].split("::") if g != "v")
    return genes


def wanted_eids(rows: list[dict], genes: set[str]) -> set[str]:
    """The CIViC items the project keeps: predictive, in NSCLC, on at least one gene of the curation."""
    return {r["evidence_id"] for r in rows
            if r["evidence_type"] == "Predictive" and is_nsclc(r) and profile_genes(r["molecular_profile"]) & genes}


def read_rows(folder: Path) -> list[dict]:
    path = folder / FILE
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


# -- alterations ----------------------------------------------------------------

@dataclass(frozen=True)
class Alt:
    """What the graph says of one alteration, as the rules read it."""
    key: str
    gene: str  # HGNC symbol; '' for a gene family
    kind: str  # the curation keyword of its SO type (missense, fusion, amplification...)
    protein_change: str = ""
    exon: str = ""
    partner: str = ""
    label: str = ""


GENERIC_MUTATION = re.compile(r"^[\w-]+(?: \([\w-]+\))? mutation(?: \(.*\))?$", re.I)
RESIDUE = re.compile(r"^([A-Z]\d+)X?$")
PROTEIN_CHANGE = re.compile(r"^[A-Z]\d+\S*$")


def _fusion(variant: str, gene: str, alt: Alt) -> bool:
    m = re.fullmatch(r"(\S+)::(\S+) Fusion", variant)
    if not m or alt.kind != "fusion" or gene not in (m[1], m[2]):
        return False
    other = m[2] if gene == m[1] else m[1]
    return alt.partner == "" if other == "v" else alt.partner == other


def _exon(kind: tuple[str, ...], word: str):
    def rule(variant: str, alt: Alt) -> bool:
        m = re.fullmatch(rf"Exon (\d+) {word}", variant, re.I)
        return bool(m) and alt.kind in kind and alt.exon == m[1] and not alt.protein_change
    return rule


# (name, test) in the order they are tried; each takes CIViC's variant name (the profile component without
# its gene) and the graph's alteration, already known to be in the same gene.
RULES = [
    ("protein change", lambda v, a: bool(PROTEIN_CHANGE.match(v)) and a.protein_change == v),
    ("residue", lambda v, a: bool(re.fullmatch(r"[A-Z]\d+", v)) and a.kind == "missense"
     and bool(RESIDUE.fullmatch(a.protein_change)) and RESIDUE.fullmatch(a.protein_change)[1] == v),
    ("amplification", lambda v, a: v.lower() == "amplification" and a.kind == "amplification"
     and "amplification" in a.label.lower()),
    ("overexpression", lambda v, a: v.lower() == "overexpression" and a.kind == "overexpression"
     and "overexpression" in a.label.lower()),
    ("exon deletion", _exon(("inframe_deletion", "deletion"), "(?:deletion|del)")),
    ("exon insertion", _exon(("inframe_insertion",), "insertion")),
    ("exon skipping", _exon(("exon_skipping",), "skipping mutation")),
    ("any mutation", lambda v, a: v.lower() == "mutation" and a.kind == "variant" and not a.protein_change
     and not a.exon and bool(GENERIC_MUTATION.match(a.label))),
    ("loss", lambda v, a: v.lower() == "loss" and a.kind == "loss_of_function" and a.label.lower().endswith(" loss")),
    ("loss of function", lambda v, a: v.lower() == "loss-of-function" and a.kind == "loss_of_function"
     and "loss-of-function" in a.label.lower()),
]


def variant_rule(component: str, alt: Alt) -> str | None:
    """The rule by which one CIViC profile component ('EGFR T790M', 'EML4::ALK Fusion') names this
    alteration, or None."""
    if not alt.gene:
        return None
    if "::" in component.split()[0]:
        return "fusion partner::gene" if _fusion(component, alt.gene, alt) else None
    gene, _, variant = component.partition(" ")
    if gene != alt.gene or not variant:
        return None
    for name, test in RULES:
        if test(variant, alt):
            return name
    return None


def profile_rule(profile: str, alts: list[Alt]) -> str | None:
    """A CIViC profile (components joined by AND) against the graph's present components, one to one."""
    if re.search(r"\b(?:OR|NOT)\b|[()]", profile):
        return None
    components = re.split(r"\s+AND\s+", profile.strip())
    if len(components) != len(alts):
        return None
    rules, free = [], list(alts)
    for component in components:
        hit = next(((a, r) for a in free if (r := variant_rule(component, a))), None)
        if hit is None:
            return None
        free.remove(hit[0])
        rules.append(hit[1])
    return "+".join(rules)


# -- the graph side -------------------------------------------------------------

def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


@dataclass
class Statement:
    iri: URIRef
    key: str
    claim: str  # resistance | sensitivity
    supports: bool
    subject_label: str
    alts: list[Alt]
    therapies: list[tuple[frozenset, str]]  # (drug IRIs, level)
    summary: str
    section: str
    start: int
    end: int


class GraphSide:
    """The statements of a built graph that can be compared, and its drugs by name."""

    def __init__(self, g: Graph):
        self.g = g
        from . import vocab
        self.kinds = {iri: kw for kw, iri in vocab.keywords("alteration_type").items()}
        self.drugs_by_name: dict[str, set[URIRef]] = {}
        for d in g.subjects(RDF.type, NSCR.Drug):
            for name in list(g.objects(d, RDFS.label)) + list(g.objects(d, SKOS.altLabel)):
                self.drugs_by_name.setdefault(_norm(str(name)), set()).add(d)

    def label(self, node) -> str:
        return str(self.g.value(node, RDFS.label) or node)

    def alt(self, node) -> Alt:
        g = self.g
        genes = [x for x in g.objects(node, NSCR.inGene) if (x, RDF.type, NSCR.Gene) in g]
        value = lambda p: str(g.value(node, p) or "")  # noqa: E731
        return Alt(value(NSCR.curationKey), self.label(genes[0]) if len(genes) == 1 else "",
                   self.kinds.get(g.value(node, NSCR.alterationType), ""), value(NSCR.proteinChange),
                   value(NSCR.exon), value(NSCR.fusionPartner), self.label(node))

    def subject_alts(self, subject) -> list[Alt] | None:
        g = self.g
        if (subject, RDF.type, NSCR.CompoundProfile) in g:
            if g.value(subject, NSCR.lacksComponent) is not None or \
                    g.value(subject, NSCR.allelicPhase) != NSCR.PhaseUnspecified:
                return None
            return sorted((self.alt(a) for a in g.objects(subject, NSCR.hasComponent)), key=lambda a: a.key)
        if (subject, RDF.type, NSCR.Alteration) in g:
            return [self.alt(subject)]
        return None

    def therapies(self, obj, scope) -> list[tuple[frozenset, str]]:
        g = self.g
        if scope == NSCR.TherapyAsNamed and (obj, RDF.type, NSCR.Drug) in g:
            return [(frozenset([obj]), "drug")]
        if scope == NSCR.TherapyAsNamed and (obj, RDF.type, NSCR.Regimen) in g \
                and g.value(obj, NSCR.interactionType) == NSCR.Combination:
            parts = set(g.objects(obj, NSCR.hasComponent))
            if parts and all((p, RDF.type, NSCR.Drug) in g for p in parts):
                return [(frozenset(parts), "drug")]
        if scope == NSCR.ClassMembersClaim and (obj, RDF.type, NSCR.DrugClass) in g:
            return [(frozenset([d]), "class-level") for d in sorted(g.objects(obj, NSCR.includesDrug))]
        return []

    def statements(self) -> list[Statement]:
        g, out = self.g, []
        for st in sorted(g.subjects(RDF.type, NSCR.ResistanceStatement)):
            if g.value(st, NSCR.diseaseContext) != NSCLC_MONDO:
                continue
            subject = g.value(st, NSCR.hasSubject)
            alts = self.subject_alts(subject) if subject is not None else None
            therapies = self.therapies(g.value(st, NSCR.hasObject), g.value(st, NSCR.therapyScope))
            if not alts or not therapies:
                continue
            passage = g.value(st, NSCR.hasPassage)
            section = g.value(passage, NSCR.inSection)
            out.append(Statement(
                st, str(g.value(st, NSCR.curationKey)),
                "resistance" if g.value(st, NSCR.hasPredicate) == NSCR.PredictsResistanceTo else "sensitivity",
                g.value(st, NSCR.hasDirection) != NSCR.Disputes, self.label(subject), alts, therapies,
                str(g.value(st, RDFS.comment) or ""), str(section).rsplit("/", 1)[-1] if section else "",
                int(g.value(passage, OA.start)), int(g.value(passage, OA.end))))
        return out

    def civic_therapies(self, row: dict) -> list[frozenset]:
        """The drug sets a CIViC item speaks of: one per therapy (alone or substitutes), or the combination."""
        names = [n.strip() for n in row["therapies"].split(",") if n.strip()]
        found = [self.drugs_by_name.get(_norm(n), set()) for n in names]
        drugs = [next(iter(f)) if len(f) == 1 else None for f in found]  # an ambiguous name matches nothing
        kind = row["therapy_interaction_type"]
        if kind == "Combination":
            return [frozenset(drugs)] if all(drugs) and len(set(drugs)) == len(drugs) else []
        if kind == "Substitutes" or (kind == "" and len(names) == 1):
            return [frozenset([d]) for d in drugs if d]
        return []


# -- comparing ----------------------------------------------------------------

def verdict(claim: str, supports: bool, civic_claim: str, civic_supports: bool) -> str | None:
    if claim == civic_claim:
        return "agrees" if supports == civic_supports else "contradicts"
    return "contradicts" if supports and civic_supports else None


@dataclass
class Row:
    statement: Statement
    civic: dict
    drugs: list[str]
    level: str
    verdict: str
    rule: str


def compare(g: Graph, civic_rows: list[dict]) -> list[Row]:
    """Every (statement, CIViC item) pair on the same gene, alteration or profile, and drug, with a verdict."""
    side = GraphSide(g)
    usable = [r for r in civic_rows if r["evidence_type"] == "Predictive" and is_nsclc(r)
              and r["significance"] in CLAIMS and r["evidence_direction"] in DIRECTIONS]
    sets = {r["evidence_id"]: side.civic_therapies(r) for r in usable}
    out = []
    for st in side.statements():
        for r in usable:
            rule = profile_rule(r["molecular_profile"], st.alts)
            if rule is None:
                continue
            hits = [(drugs, level) for drugs, level in st.therapies if drugs in sets[r["evidence_id"]]]
            v = verdict(st.claim, st.supports, CLAIMS[r["significance"]], DIRECTIONS[r["evidence_direction"]])
            if not hits or v is None:
                continue
            labels = sorted({" + ".join(sorted(side.label(d) for d in drugs)) for drugs, _ in hits})
            level = "drug" if any(level == "drug" for _, level in hits) else "class-level"
            out.append(Row(st, r, labels, level, v, rule))
    return sorted(out, key=lambda x: (x.statement.key, int(x.civic["evidence_id"])))


def link(g: Graph, rows: list[Row]) -> int:
    """skos:relatedMatch from each statement to the CIViC items that agree with it; returns how many."""
    pairs = {(r.statement.iri, URIRef(EVIDENCE + r.civic["evidence_id"])) for r in rows if r.verdict == "agrees"}
    for st, item in sorted(pairs):
        g.add((st, SKOS.relatedMatch, item))
    return len(pairs)


def excerpt(review: str | None, start: int, end: int) -> str:
    """The passage's first few words, enough to find it, never a copied sentence."""
    if not review:
        return ""
    words = review[start:end].split()
    return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")


def report_tsv(rows: list[Row], review: str | None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    w.writerow(COLUMNS)
    clean = lambda s: " ".join(str(s).split())  # noqa: E731
    for x in rows:
        st, c = x.statement, x.civic
        w.writerow([clean(v) for v in [
            st.key, "|".join(sorted({a.gene for a in st.alts})), st.subject_label, "|".join(x.drugs), x.level,
            x.verdict, st.claim + ("" if st.supports else " (disputed)"), st.summary, st.section, st.start, st.end,
            excerpt(review, st.start, st.end), c["evidence_id"], EVIDENCE + c["evidence_id"],
            c["molecular_profile"], c["therapies"], c["therapy_interaction_type"], c["disease"],
            c["significance"] + ("" if DIRECTIONS[c["evidence_direction"]] else " (does not support)"),
            c["evidence_level"], c["evidence_statement"], x.rule]])
    return buf.getvalue()


def summary(report: Path) -> str:
    """Counts of agreements and contradictions (all, class-level) by gene, from a written report."""
    from collections import Counter
    with open(report, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    by_gene: dict[str, Counter] = {}
    for r in rows:
        by_gene.setdefault(r["gene"], Counter())[(r["verdict"], r["level"])] += 1
    total = Counter((r["verdict"], r["level"]) for r in rows)

    def line(name: str, c: Counter) -> str:
        n = lambda v: c[(v, "drug")] + c[(v, "class-level")]  # noqa: E731
        return (f"  {name:12s} agrees {n('agrees'):4d} (class-level {c[('agrees', 'class-level')]:3d})   "
                f"contradicts {n('contradicts'):4d} (class-level {c[('contradicts', 'class-level')]:3d})")
    statements = len({r["statement"] for r in rows})
    items = len({r["civic_eid"] for r in rows})
    out = [f"CIViC concordance: {len(rows)} statement x evidence pairs, {statements} statements, {items} CIViC items"]
    out += [line(gene, c) for gene, c in sorted(by_gene.items())]
    out.append(line("all", total))
    return "\n".join(out)
