"""Model v2: what the graph says is exactly what the review says, and a user reaches it in few hops.

Expected values come from reading the review (passages cited in each test), never from running the
build and copying its output."""
from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from nscr import iris, paths
from nscr.prefixes import NSCR, expand
from nscr.tables import load_curation

from conftest import needs_shared

DRUG, CLASS, GENE, FAMILY = (lambda k: iris.mint("drug", k)), (lambda k: iris.mint("drugclass", k)), \
    (lambda k: iris.mint("gene", k)), (lambda k: iris.mint("family", k))
STATEMENT, STRATEGY = (lambda k: iris.mint("statement", k)), (lambda k: iris.mint("strategy", k))


def objects(graph, s, p) -> set:
    return set(graph.objects(s, p))


# -- statements: drugs and classes they concern -------------------------------------------------

def test_class_claim_reaches_exactly_the_drugs_the_review_lists(graph):
    # 2.1.1 (6277-6433): T790M arises on first-generation EGFR TKIs "(gefitinib, erlotinib, icotinib)"
    assert objects(graph, STATEMENT("egfr-s02"), NSCR.concernsDrug) == {DRUG("gefitinib"), DRUG("erlotinib"), DRUG("icotinib")}


def test_claim_whose_therapy_is_unstated_reaches_no_drug(graph):
    # 2.1.1 (7599-7737) calls T790M and C797S the commonest resistance mutations without naming a drug
    for key in ("egfr-s10", "egfr-s11"):
        assert (STATEMENT(key), NSCR.therapyScope, NSCR.TherapyUnstated) in graph
        assert objects(graph, STATEMENT(key), NSCR.concernsDrug) == set()
    unstated = set(graph.subjects(NSCR.therapyScope, NSCR.TherapyUnstated))
    assert unstated and not any(objects(graph, s, NSCR.concernsDrug) for s in unstated)


def test_the_review_never_says_t790m_resists_osimertinib(graph):
    t790m = iris.mint("alteration", "EGFR-T790M")
    for st in graph.subjects(NSCR.hasSubject, t790m):
        if (st, NSCR.hasPredicate, NSCR.PredictsResistanceTo) in graph:
            assert DRUG("osimertinib") not in objects(graph, st, NSCR.concernsDrug), st


def test_class_member_expansion_stays_inside_the_stated_classes(graph):
    for st in graph.subjects(NSCR.therapyScope, NSCR.ClassMembersClaim):
        named = objects(graph, st, NSCR.concernsDrugClass)
        for drug in objects(graph, st, NSCR.concernsDrug):
            stated = objects(graph, drug, NSCR.withinClass)
            regimen = graph.value(st, NSCR.hasObject)
            assert stated & named or drug in objects(graph, regimen, NSCR.includesDrug), (st, drug)


def test_concerned_classes_generalise_upward_only(graph):
    # egfr-s02 names first-generation EGFR TKIs: it concerns them and EGFR TKIs, not third-generation ones
    classes = objects(graph, STATEMENT("egfr-s02"), NSCR.concernsDrugClass)
    assert {CLASS("FirstGenerationEGFRTKI"), CLASS("EGFRTKI")} <= classes
    assert CLASS("ThirdGenerationEGFRTKI") not in classes


def test_subject_kind_and_gene_are_one_hop(graph):
    assert (STATEMENT("egfr-s02"), NSCR.subjectKind, NSCR.AlterationSubject) in graph
    assert (STATEMENT("egfr-s12"), NSCR.subjectKind, NSCR.CompoundProfileSubject) in graph
    assert (STATEMENT("egfr-s60"), NSCR.subjectKind, NSCR.MechanismSubject) in graph
    assert objects(graph, STATEMENT("egfr-s12"), NSCR.aboutGene) == {GENE("EGFR")}
    every = set(graph.subjects(RDF.type, NSCR.ResistanceStatement))
    assert every == set(graph.subjects(NSCR.subjectKind, None))


# -- gene families ---------------------------------------------------------------------------------

def test_a_family_named_without_members_stays_a_family(graph):
    # 2.1.1 (10610-10925) names FGFR fusions without a member
    assert objects(graph, iris.mint("alteration", "FGFR-fusion"), NSCR.inGene) == {FAMILY("FGFR")}
    assert objects(graph, STATEMENT("egfr-s40"), NSCR.aboutGene) == {FAMILY("FGFR")}
    # 2.1.3 (21410-21570): "the ErbB family": EGFR is not listed as involved on its own
    genes = objects(graph, iris.mint("mechanism", "kras-mech-rtk-shp2"), NSCR.involvesGene)
    assert FAMILY("ERBB") in genes and GENE("EGFR") not in genes


def test_family_members_come_from_famplex(graph):
    members = {str(m) for m in objects(graph, FAMILY("FGFR"), NSCR.hasMember)}
    assert {f"https://identifiers.org/hgnc:{n}" for n in (3688, 3689, 3690, 3691)} <= members
    assert objects(graph, FAMILY("FGFR"), NSCR.memberGene) == {GENE("FGFR1")}
    assert (FAMILY("SFK"), SKOS.exactMatch, URIRef("https://identifiers.org/fplx:SRC")) in graph
    assert not list(graph.objects(FAMILY("BET"), SKOS.exactMatch))


def test_a_family_without_famplex_id_is_a_listed_gap(dist):
    with open(dist / "gaps.tsv", encoding="utf-8") as f:
        rows = {(r["kind"], r["key"]) for r in csv.DictReader(f, delimiter="\t")}
    assert ("family", "BET") in rows


def test_no_entity_carries_another_entitys_name(graph):
    egfr_names = {str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(GENE("EGFR"), p)}
    assert "ErbB family" not in egfr_names
    assert not list(graph.subject_objects(SKOS.hiddenLabel))


# -- interpreted spellings --------------------------------------------------------------------------

def test_a_misprint_is_a_mention_never_a_label(graph):
    # 2.1.2 prints "axitinib" twice (16646, 16702) where osimertinib is meant: the misprint is a mention read as
    # osimertinib and never a label or synonym of osimertinib. Axitinib is also a real drug, named correctly in
    # 4.2.1 (67238-67509): the one entity that may carry the name is that drug, and the 2.1.2 facts never reach it.
    named_axitinib = {s for p in (RDFS.label, SKOS.altLabel) for s, o in graph.subject_objects(p)
                      if str(o).lower() == "axitinib" and str(s).startswith(str(NSCR))}  # NSCR's own entities
    assert DRUG("osimertinib") not in named_axitinib
    assert named_axitinib == {DRUG("axitinib")}
    for key in ("m-axitinib-16646", "m-axitinib-16702"):
        mention = iris.mint("mention", key)
        assert objects(graph, mention, NSCR.interpretedAs) == {DRUG("osimertinib")}
        assert (STATEMENT("egfr-s71"), NSCR.restsOnMention, mention) in graph
    assert DRUG("axitinib") not in objects(graph, STATEMENT("egfr-s71"), NSCR.concernsDrug)


@needs_shared
def test_every_mention_span_is_exactly_the_written_form(graph):
    text = paths.review_text_path().read_text(encoding="utf-8")
    mentions = list(graph.subjects(RDF.type, NSCR.InterpretedMention))
    assert len(mentions) >= 10
    oa = "http://www.w3.org/ns/oa#"
    for m in mentions:
        passage = graph.value(m, NSCR.hasPassage)
        start, end = int(graph.value(passage, URIRef(oa + "start"))), int(graph.value(passage, URIRef(oa + "end")))
        assert text[start:end] == str(graph.value(m, NSCR.writtenForm)), m


# -- conditions, amplification, units, rankings ----------------------------------------------------

def test_absence_is_a_component_of_the_profile(graph):
    profile = iris.mint("profile", "EGFR-C797S-without-T790M")
    assert objects(graph, profile, NSCR.hasComponent) == {iris.mint("alteration", "EGFR-C797S")}
    assert objects(graph, profile, NSCR.lacksComponent) == {iris.mint("alteration", "EGFR-T790M")}
    for key in ("egfr-s12", "egfr-s13", "egfr-s14"):
        assert graph.value(STATEMENT(key), NSCR.hasSubject) == profile


def test_amplification_and_copy_gain_have_one_type(graph):
    so = expand("SO:0001742")
    for key in ("ERBB2-amp", "ERBB2-cn-gain", "MET-amp", "MET-gain"):
        assert graph.value(iris.mint("alteration", key), NSCR.alterationType) == so, key
    assert not list(graph.subjects(RDF.type, expand("SO:0001880")))


def test_figures_carry_ucum_codes(graph):
    codes = {str(o) for o in graph.objects(None, NSCR.ucumCode)}
    assert "%" in codes and "percent" not in codes
    figure = iris.mint("figure", "kras-f01")  # 2.1.3: G12C is 45% of KRAS mutations
    assert (figure, NSCR.hasUnit, NSCR.Percent) in graph


def test_rankings_are_queryable_within_their_scope(graph):
    # 2.1.1 (9521-9770): on osimertinib, MET amplification is the commonest off-target mechanism, HER2 next
    st = ox.Store()
    st.bulk_load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    rows = {(s["key"].value, int(s["rank"].value)) for s in st.query("""
        PREFIX nscr: <https://w3id.org/nscr/>
        SELECT ?key ?rank WHERE { ?r nscr:scopeTherapy <https://w3id.org/nscr/drug/osimertinib> ;
            nscr:rankPosition ?rank ; nscr:ranks/nscr:curationKey ?key }""")}
    assert {("MET-amp", 1), ("ERBB2-amp", 2)} <= rows


# -- strategies: resistance context, genes, drugs ------------------------------------------------

def test_kras_strategies_do_not_leak_into_egfr_answers(graph):
    met = GENE("MET")
    egfr_context = {s for s in graph.subjects(NSCR.addressesGene, met)
                    if (s, NSCR.resistanceToClass, CLASS("EGFRTKI")) in graph}
    kras_context = {s for s in graph.subjects(NSCR.addressesGene, met)
                    if (s, NSCR.resistanceToClass, CLASS("KRASInhibitor")) in graph}
    assert egfr_context and kras_context
    assert all("/egfr-x" in str(s) for s in egfr_context)
    assert all("/kras-x" in str(s) for s in kras_context)
    # 2.1.4 (22747-22859): crizotinib plus sotorasib restores sotorasib sensitivity in MET-amplified disease
    assert STRATEGY("kras-x03") in kras_context


def test_a_single_agent_is_not_typed_a_combination(graph):
    # egfr-x40: pralsetinib alone for RET fusion; no curated type is a kind of combination
    types = objects(graph, STRATEGY("egfr-x40"), RDF.type)
    assert NSCR.BypassInhibition in types and NSCR.CombinationStrategy not in types
    for cls in graph.subjects(RDFS.subClassOf, NSCR.Strategy):
        assert (cls, RDFS.subClassOf, NSCR.CombinationStrategy) not in graph


def test_combination_is_inferred_from_the_regimen(reasoned):
    from rdflib import Graph
    inferred = Graph().parse(reasoned / "nscr-inferred.ttl")
    assert (STRATEGY("egfr-x23"), RDF.type, NSCR.CombinationStrategy) in inferred
    assert (STRATEGY("egfr-x40"), RDF.type, NSCR.CombinationStrategy) not in inferred


def test_strategy_drugs_and_therapy_drugs(graph):
    # FLAURA2 (2.1.2, 14238-14475): osimertinib with pemetrexed and carboplatin or cisplatin
    assert objects(graph, STRATEGY("egfr-x12"), NSCR.usesDrug) == {
        DRUG("osimertinib"), DRUG("pemetrexed"), DRUG("carboplatin"), DRUG("cisplatin")}
    assert objects(graph, CLASS("KRASG12CInhibitor"), NSCR.includesDrug) == {DRUG("sotorasib"), DRUG("adagrasib")}
    assert (CLASS("AXLAntibodyDrugConjugate"), NSCR.withinClass, CLASS("AntibodyDrugConjugate")) in graph


def test_stated_classes_agree_with_the_reasoner(reasoned):
    """What the review says a drug is (statedDrugClass) must follow from its targets and generation."""
    from rdflib import Graph
    g = Graph().parse(reasoned / "nscr.nt", format="nt") + Graph().parse(reasoned / "nscr-inferred.ttl")
    for drug, cls in g.subject_objects(NSCR.statedDrugClass):
        owl_class = g.value(cls, NSCR.definedByClass)
        assert (drug, RDF.type, owl_class) in g, (drug, owl_class)


def test_inferred_hierarchy_ships(reasoned):
    from rdflib import Graph
    inferred = Graph().parse(reasoned / "nscr-inferred.ttl")
    assert (NSCR.AXLAntibodyDrugConjugate, RDFS.subClassOf, NSCR.AntibodyDrugConjugate) in inferred


# -- flat tables -----------------------------------------------------------------------------------

def read_table(dist, name):
    with open(dist / "tables" / f"{name}.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("name", ["genes", "families", "drugs", "alterations", "profiles", "mechanisms",
                                  "statements", "strategies", "trials", "figures", "mentions", "rankings"])
def test_one_table_per_entity_type(dist, name):
    rows = read_table(dist, name)
    assert len(rows) == len(load_curation()[name]), name
    assert all(r.get("iri", "").startswith("https://w3id.org/nscr/") for r in rows), name


def test_statement_table_prints_the_phase(dist):
    rows = {r["subject"]: r for r in read_table(dist, "statements")}
    assert rows["EGFR-C797S+T790M-cis"]["phase"] == "cis"
    assert rows["EGFR-C797S+T790M-trans"]["phase"] == "trans"
    row = read_table(dist, "statements")[0]
    for column in ("iri", "subject_kind", "phase", "evidence_code", "evidence_stage", "start", "end", "summary"):
        assert column in row
