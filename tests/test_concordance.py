"""CIViC concordance: the rules one by one, and the report of the real graph against the project's copy of
CIViC's rows. The agreement and the contradiction checked here were worked out by reading both sources:

- agreement (class-level): egfr-s02, T790M acquired under first-generation EGFR TKIs, which the review names
  (gefitinib, erlotinib, icotinib); CIViC EID 238 (T790M, erlotinib, Resistance, Supports, level A) and
  EID 239 (gefitinib, Resistance, level B).
- agreement (drug): kras-s14, sotorasib for KRAS G12C; CIViC EID 9431 (CodeBreaK 100, Sensitivity/Response).
- contradiction (drug): alk-s25, the review gives EML4-ALK variants as a cause of primary crizotinib
  resistance; CIViC EIDs 262 and 1207 report EML4::ALK fusion-positive NSCLC responding to crizotinib.
"""
from __future__ import annotations

import csv

import pytest
from rdflib import SKOS, URIRef

from nscr import concordance, paths
from nscr.concordance import Alt, profile_rule, variant_rule, verdict
from nscr.copies import review_grams, shared_run
from nscr.prefixes import NSCR

T790M = Alt("EGFR-T790M", "EGFR", "missense", "T790M", label="EGFR T790M")


def report_rows(dist):
    with open(dist / concordance.REPORT, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


# -- the alteration rules, each with a case it must take and one it must refuse -------------------------

def test_protein_change_is_exact():
    assert variant_rule("EGFR T790M", T790M) == "protein change"
    assert variant_rule("EGFR T790A", T790M) is None
    assert variant_rule("ERBB2 T790M", T790M) is None  # same change, other gene
    ins = Alt("k", "EGFR", "inframe_insertion", "A763_Y764insFQEA")
    assert variant_rule("EGFR A763_Y764insFQEA", ins) == "protein change"
    assert variant_rule("EGFR A763_Y764insFQ", ins) is None


def test_residue_only_matches_residue_only():
    v600 = Alt("BRAF-V600", "BRAF", "missense", "V600X", label="BRAF V600 mutation")
    assert variant_rule("BRAF V600", v600) == "residue"
    assert variant_rule("BRAF V600E", v600) is None  # a residue claim is not a claim about V600E
    v600e = Alt("BRAF-V600E", "BRAF", "missense", "V600E")
    assert variant_rule("BRAF V600", v600e) is None
    assert variant_rule("BRAF V600E", v600e) == "protein change"


def test_amplification_needs_the_word_not_only_the_type():
    amp = Alt("MET-amp", "MET", "amplification", label="MET amplification")
    gain = Alt("MET-gain", "MET", "amplification", label="MET copy number gain")
    assert variant_rule("MET Amplification", amp) == "amplification"
    assert variant_rule("MET Amplification", gain) is None
    assert variant_rule("MET Overexpression", amp) is None


def test_overexpression_is_not_expression():
    over = Alt("ERBB2-overexp", "ERBB2", "overexpression", label="HER2 overexpression")
    assert variant_rule("ERBB2 Overexpression", over) == "overexpression"
    assert variant_rule("ERBB2 Expression", over) is None
    assert variant_rule("YAP1 Overexpression", Alt("YAP1-up", "YAP1", "overexpression", label="YAP1 upregulation")) is None


def test_exon_rules_need_the_same_exon_and_kind():
    del19 = Alt("EGFR-ex19del", "EGFR", "inframe_deletion", exon="19", label="EGFR exon 19 deletion")
    assert variant_rule("EGFR Exon 19 Deletion", del19) == "exon deletion"
    assert variant_rule("EGFR Exon 19 del", del19) == "exon deletion"
    assert variant_rule("EGFR Exon 20 Deletion", del19) is None
    assert variant_rule("EGFR Exon 19 Insertion", del19) is None
    ins20 = Alt("EGFR-ex20ins", "EGFR", "inframe_insertion", exon="20")
    assert variant_rule("EGFR Exon 20 Insertion", ins20) == "exon insertion"
    skip = Alt("MET-ex14skip", "MET", "exon_skipping", exon="14")
    assert variant_rule("MET Exon 14 Skipping Mutation", skip) == "exon skipping"
    assert variant_rule("MET Exon 14 Skipping Mutation", Alt("x", "MET", "exon_skipping", exon="16")) is None


def test_any_mutation_only_for_a_generic_mutation():
    assert variant_rule("KRAS Mutation", Alt("KRAS-mut", "KRAS", "variant", label="KRAS mutation")) == "any mutation"
    assert variant_rule("STK11 Mutation", Alt("STK11-mut", "STK11", "variant", label="LKB1 (STK11) mutation")) == "any mutation"
    assert variant_rule("BRAF Mutation", Alt("BRAF-nonV600", "BRAF", "variant", label="BRAF non-V600 mutation")) is None
    assert variant_rule("PIK3CA Mutation", Alt("PIK3CA-alt", "PIK3CA", "variant",
                                               label="PIK3CA driver alteration (kind not stated)")) is None
    assert variant_rule("KRAS Mutation", Alt("KRAS-G12C", "KRAS", "missense", "G12C", label="KRAS mutation")) is None


def test_loss_rules():
    assert variant_rule("CDKN2A Loss", Alt("CDKN2A-loss", "CDKN2A", "loss_of_function", label="CDKN2A loss")) == "loss"
    lof = Alt("NF2-lof", "NF2", "loss_of_function", label="NF2 loss-of-function mutation")
    assert variant_rule("NF2 Loss-of-function", lof) == "loss of function"
    assert variant_rule("NF2 Loss", lof) is None


def test_fusions_by_partner():
    any_alk = Alt("ALK-fusion", "ALK", "fusion", label="ALK fusion")
    eml4 = Alt("EML4-ALK", "ALK", "fusion", partner="EML4", label="EML4-ALK fusion (variants)")
    assert variant_rule("v::ALK Fusion", any_alk) == "fusion partner::gene"
    assert variant_rule("v::ALK Fusion", eml4) is None  # any partner is not EML4 in particular
    assert variant_rule("EML4::ALK Fusion", eml4) == "fusion partner::gene"
    assert variant_rule("EML4::ALK Fusion", any_alk) is None
    assert variant_rule("EML4::ALK e6::e20", eml4) is None  # an exon-junction variant the review does not name
    assert variant_rule("KIF5B::RET Fusion", eml4) is None


def test_a_gene_family_never_matches():
    assert variant_rule("FGFR1 Amplification", Alt("FGFR-amp", "", "amplification", label="FGFR amplification")) is None


def test_profiles_match_every_component_one_to_one():
    c797s = Alt("EGFR-C797S", "EGFR", "missense", "C797S")
    assert profile_rule("EGFR T790M", [T790M]) == "protein change"
    assert profile_rule("EGFR C797S AND EGFR T790M", [c797s, T790M]) == "protein change+protein change"
    assert profile_rule("EGFR T790M AND EGFR C797S", [c797s, T790M]) is not None
    assert profile_rule("EGFR T790M", [c797s, T790M]) is None  # a part is not the whole
    assert profile_rule("EGFR C797S AND EGFR T790M", [T790M]) is None
    assert profile_rule("EGFR T790M AND EGFR T790M", [c797s, T790M]) is None
    assert profile_rule("EGFR C797S OR EGFR T790M", [c797s, T790M]) is None
    assert profile_rule("EGFR C797S AND NOT EGFR T790M", [c797s]) is None


def test_verdicts():
    assert verdict("resistance", True, "resistance", True) == "agrees"
    assert verdict("resistance", True, "sensitivity", True) == "contradicts"
    assert verdict("sensitivity", True, "resistance", True) == "contradicts"
    assert verdict("resistance", True, "resistance", False) == "contradicts"  # CIViC: evidence does not support it
    assert verdict("resistance", False, "resistance", False) == "agrees"
    assert verdict("resistance", True, "sensitivity", False) is None  # 'not sensitive' is not 'resistant'
    assert verdict("resistance", False, "sensitivity", False) is None


# -- the copy and the disease rule ---------------------------------------------------------------

def test_the_copy_keeps_nsclc_predictive_items_only():
    rows = concordance.read_rows(paths.REFERENCE)
    assert rows, "data/reference/civic_evidence.tsv is missing: run `nscr reference`"
    assert {r["evidence_type"] for r in rows} == {"Predictive"}
    assert {r["doid"] for r in rows} <= set(concordance.NSCLC_DOIDS)
    for r in rows:
        assert concordance.NSCLC_DOIDS[r["doid"]] == r["disease"], r["evidence_id"]
    eids = {r["evidence_id"] for r in rows}
    assert {"238", "239", "9431", "262", "1207"} <= eids
    # small cell lung cancer (EGFR L858R erlotinib, HER2 amplification) and the mixed "Lung Cancer" item on
    # T790M and gefitinib are left out though their genes are the graph's
    assert not eids & {"4293", "1044", "642"}


def test_small_cell_never_passes():
    assert not concordance.is_nsclc({"doid": "5409", "disease": "Lung Small Cell Carcinoma"})
    assert not concordance.is_nsclc({"doid": "1324", "disease": "Lung Cancer"})
    assert not concordance.is_nsclc({"doid": "3908", "disease": "Lung Small Cell Carcinoma"})  # DOID and name must agree
    assert not concordance.is_nsclc({"doid": "4450", "disease": "Renal Cell Carcinoma"})
    assert concordance.is_nsclc({"doid": "3910", "disease": "Lung Adenocarcinoma"})


# -- the report of the real graph ----------------------------------------------------------------

def test_report_is_recomputed_from_the_copy(dist, graph):
    rows = concordance.compare(graph, concordance.read_rows(paths.REFERENCE))
    review = paths.review_text_path()
    text = concordance.report_tsv(rows, review.read_text(encoding="utf-8") if review else None)
    assert (dist / concordance.REPORT).read_text(encoding="utf-8") == text


def test_known_agreements(dist):
    rows = {(r["statement"], r["civic_eid"]): r for r in report_rows(dist)}
    for eid, drug in (("238", "erlotinib"), ("239", "gefitinib")):
        row = rows[("egfr-s02", eid)]
        assert (row["verdict"], row["level"], row["drug"], row["gene"]) == ("agrees", "class-level", drug, "EGFR")
        assert row["civic_claim"] == "Resistance" and row["match_rule"] == "protein change"
    row = rows[("kras-s14", "9431")]
    assert (row["verdict"], row["level"], row["drug"]) == ("agrees", "drug", "sotorasib")


def test_known_contradiction(dist):
    rows = {(r["statement"], r["civic_eid"]): r for r in report_rows(dist)}
    for eid in ("262", "1207"):
        row = rows[("alk-s25", eid)]
        assert (row["verdict"], row["level"], row["drug"]) == ("contradicts", "drug", "crizotinib")
        assert row["review_claim"] == "resistance" and row["civic_claim"] == "Sensitivity/Response"
    assert not any(r["statement"] == "alk-s25" and r["verdict"] == "agrees" for r in rows.values())


def test_class_level_rows_only_for_drugs_the_review_puts_in_the_class(dist, graph):
    rows = report_rows(dist)
    assert any(r["level"] == "class-level" for r in rows)
    by_label = {str(graph.value(d, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): d
                for d in graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NSCR.Drug)}
    for r in rows:
        if r["level"] != "class-level":
            continue
        st = URIRef(str(NSCR) + "statement/" + r["statement"])
        cls = graph.value(st, NSCR.hasObject)
        assert graph.value(st, NSCR.therapyScope) == NSCR.ClassMembersClaim
        for drug in r["drug"].split("|"):
            d = by_label[drug]
            assert (cls, NSCR.includesDrug, d) in graph, (r["statement"], drug)
            assert set(graph.objects(d, NSCR.statedDrugClass)), drug  # the review itself classes it
    # egfr-s02's class holds gefitinib, erlotinib and icotinib only: CIViC's T790M items on afatinib and
    # dacomitinib (EIDs 1863, 240; second generation) never reach it
    assert not {r["civic_eid"] for r in rows if r["statement"] == "egfr-s02"} & {"1863", "240"}


def test_no_unstated_or_non_nsclc_statement_is_compared(dist, graph):
    for r in report_rows(dist):
        st = URIRef(str(NSCR) + "statement/" + r["statement"])
        assert graph.value(st, NSCR.therapyScope) != NSCR.TherapyUnstated
        assert str(graph.value(st, NSCR.diseaseContext)).endswith("MONDO_0005233")
        assert r["civic_disease"] in concordance.NSCLC_DOIDS.values()


def test_agreements_are_linked_and_only_they(dist, graph):
    rows = report_rows(dist)
    agreeing = {(r["statement"], r["civic_iri"]) for r in rows if r["verdict"] == "agrees"}
    linked = {(str(s).rsplit("/", 1)[1], str(o)) for s, o in graph.subject_objects(SKOS.relatedMatch)
              if str(o).startswith(concordance.EVIDENCE)}
    assert linked == agreeing and len(linked) > 10
    assert all(iri == concordance.EVIDENCE + eid for eid, iri in ((r["civic_eid"], r["civic_iri"]) for r in rows))
    # the IRI is the one CIViC's export gives the item, not a form typed here
    with (paths.REFERENCE / concordance.FILE).open(encoding="utf-8", newline="") as f:
        url = {row["evidence_id"]: row["evidence_civic_url"] for row in csv.DictReader(f, delimiter="\t")}
    assert all(r["civic_iri"] == url[r["civic_eid"]] for r in rows)


@pytest.mark.skipif(paths.review_text_path() is None, reason="../shared/source/review.txt is absent")
def test_report_quotes_no_sentence_of_the_review(dist):
    text = (dist / concordance.REPORT).read_text(encoding="utf-8")
    assert shared_run(text, review_grams(paths.review_text_path().read_text(encoding="utf-8"))) is None
    review = paths.review_text_path().read_text(encoding="utf-8")
    for r in report_rows(dist):
        words = r["review_excerpt"].rstrip(" …").split()
        assert 0 < len(words) <= concordance.EXCERPT_WORDS
        assert review[int(r["passage_start"]):int(r["passage_end"])].split()[:len(words)] == words


def test_reasoner_membership_never_widens_a_class_claim(graph):
    """HermiT puts lazertinib in the EGFR TKI class (nscr-inferred.ttl), but the review does not: a CIViC
    item on lazertinib is not compared with egfr-s47 (KRAS mutation, resistance to EGFR TKIs), even with
    the reasoner's membership in the graph, while the same item on erlotinib, a stated member, is."""
    from rdflib import RDF, Graph
    g = Graph()
    g += graph  # a copy: the session graph stays as built
    lazertinib = URIRef(str(NSCR) + "drug/lazertinib")
    g.add((lazertinib, RDF.type, NSCR.EGFRTKI))
    assert (URIRef(str(NSCR) + "drugclass/EGFRTKI"), NSCR.includesDrug, lazertinib) not in g
    item = {"molecular_profile": "KRAS Mutation", "disease": "Lung Non-small Cell Carcinoma", "doid": "3908",
            "therapies": "Lazertinib", "therapy_interaction_type": "", "evidence_type": "Predictive",
            "evidence_direction": "Supports", "evidence_level": "B", "significance": "Resistance",
            "evidence_statement": "", "evidence_id": "900001"}
    assert [r for r in concordance.compare(g, [item]) if r.statement.key == "egfr-s47"] == []
    rows = concordance.compare(g, [dict(item, therapies="Erlotinib")])
    assert [(r.statement.key, r.drugs, r.level, r.verdict) for r in rows if r.statement.key == "egfr-s47"] == \
        [("egfr-s47", ["erlotinib"], "class-level", "agrees")]
