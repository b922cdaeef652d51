"""Immunotherapy model (issue 10): non-molecular subjects, definitions of resistance as criteria, and
vaccine platforms and antigens, on the slice curated in data/curation/ici/.

Expected values come from reading sections 3.1.1, 3.1.2 and 3.2 of the review (passages cited),
never from running the build."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF

from nscr import imports, iris, paths, vocab
from nscr.errors import CurationErrors
from nscr.prefixes import NSCR, expand

from test_curation_errors import edit

STATEMENT, SUBJECT = (lambda k: iris.mint("statement", k)), (lambda k: iris.mint("subject", k))
DEFINITION, CRITERION = (lambda k: iris.mint("definition", k)), (lambda k: iris.mint("criterion", k))
DRUG, GENE = (lambda k: iris.mint("drug", k)), (lambda k: iris.mint("gene", k))


# -- subjects.tsv ---------------------------------------------------------------------------------

@pytest.mark.parametrize("statement, subject, cls, kind", [
    ("ici-s02", "ici-subj-mdsc", NSCR.CellPopulation, NSCR.CellPopulationSubject),
    ("ici-s03", "ici-subj-hypoxia", NSCR.MicroenvironmentState, NSCR.MicroenvironmentStateSubject),
    ("ici-s04", "ici-subj-vegf", NSCR.ImmuneFactor, NSCR.ImmuneFactorSubject),
    ("ici-s05", "ici-subj-early-progression", NSCR.TimingPattern, NSCR.TimingPatternSubject),
])
def test_each_subject_kind_is_typed_and_gives_its_shortcut(graph, statement, subject, cls, kind):
    assert (SUBJECT(subject), RDF.type, cls) in graph
    assert (STATEMENT(statement), NSCR.hasSubject, SUBJECT(subject)) in graph
    assert set(graph.objects(STATEMENT(statement), NSCR.subjectKind)) == {kind}


def test_subject_terms_and_genes(graph):
    # 3.1.2 (59656-59931): MDSC infiltration; the snapshot's CL term for them is CL:0000889
    assert set(graph.objects(SUBJECT("ici-subj-mdsc"), NSCR.involvesCellType)) == {expand("CL:0000889")}
    # 3.1.2 (59932-60028): hypoxia raises VEGF (HGNC: VEGF is a previous symbol of VEGFA)
    assert set(graph.objects(SUBJECT("ici-subj-hypoxia"), NSCR.involvesPathway)) == {expand("GO:0001666")}
    assert set(graph.objects(STATEMENT("ici-s04"), NSCR.aboutGene)) == {GENE("VEGFA")}
    assert set(graph.objects(STATEMENT("ici-s03"), NSCR.aboutGene)) == set()  # the state names no gene


def test_cell_and_process_terms_are_pulled_into_the_imports():
    assert {"CL:0000889", "GO:0001666"} <= imports.used_curies()
    text = paths.IMPORTS.read_text(encoding="utf-8")
    assert "CL:0000889" in text and "GO:0001666" in text


# -- definitions.tsv and criteria.tsv ---------------------------------------------------------

def _criteria(graph, definition):
    out = set()
    for c in graph.subjects(NSCR.criterionOf, DEFINITION(definition)):
        notation = lambda p: str(graph.value(graph.value(c, p), expand("skos:notation")))  # noqa: E731
        out.add((notation(NSCR.criterionMeasure), notation(NSCR.thresholdComparator),
                 Decimal(str(graph.value(c, NSCR.thresholdValue))), str(graph.value(c, NSCR.ucumCode))))
    return out


def test_time_windows_of_primary_and_acquired_resistance(graph):
    # 3.1.1 (53882-54070): progression after at least 6 weeks, not beyond 6 months of ICI treatment
    assert _criteria(graph, "ici-def-primary") == {("drug_exposure", "ge", Decimal(6), "wk"),
                                                   ("drug_exposure", "le", Decimal(6), "mo")}
    # 3.1.1 (54071-54279): after at least 6 months of benefit
    assert _criteria(graph, "ici-def-acquired") == {("clinical_benefit_duration", "ge", Decimal(6), "mo")}
    # 3.1.1 (54581-54963): within 12 weeks of the last dose
    assert _criteria(graph, "ici-def-acquired-after-last-dose") == {("time_since_last_dose", "le", Decimal(12), "wk")}
    # 3.1.1 (53272-53477): PD-L1 expression >= 50%
    assert _criteria(graph, "ici-def-durable-benefit") == {("pd_l1_expression", "ge", Decimal(50), "%")}


def test_definitions_carry_timing_therapy_and_setting(graph):
    icis = iris.mint("drugclass", "ImmuneCheckpointInhibitor")
    for key, timing in (("ici-def-primary", NSCR.PrimaryResistance), ("ici-def-acquired", NSCR.AcquiredResistance)):
        assert graph.value(DEFINITION(key), NSCR.definesTiming) == timing
        assert graph.value(DEFINITION(key), NSCR.definitionTherapy) == icis
        assert set(graph.objects(DEFINITION(key), NSCR.clinicalSetting)) == {NSCR.MetastaticSetting}
    assert graph.value(DEFINITION("ici-def-durable-benefit"), NSCR.definesTiming) is None  # benefit, not resistance
    assert graph.value(CRITERION("ici-crit-primary-max"), NSCR.hasUnit) == NSCR.Month


def test_statement_links_the_definition_it_uses(graph):
    # 3.1.2 (60240-60378): clonal evolution causes acquired resistance
    assert set(graph.objects(STATEMENT("ici-s01"), NSCR.usesDefinition)) == {DEFINITION("ici-def-acquired")}
    assert graph.value(STATEMENT("ici-s01"), NSCR.hasTiming) == NSCR.AcquiredResistance
    # every statement of 3.1.1-3.1.2 that says "acquired resistance" (53479-53745, 60030-60378) links ici-def-acquired
    # and so do the two of 4.3 (72631-73110: more Tregs and dendritic cells "may be responsible for acquired resistance")
    assert set(graph.subjects(NSCR.usesDefinition, None)) == {STATEMENT(k) for k in ("ici-s01", "ici-s06", "ici-s27",
                                                                                      "ici-s28", "ici-s29",
                                                                                      "ctl-s01", "ctl-s02")}


def test_criteria_measures_are_their_own_vocabulary():
    criteria, figures = vocab.keywords("measure", "criteria"), vocab.keywords("measure", "figures")
    assert {"drug_exposure", "objective_response", "stable_disease_duration", "time_since_last_dose",
            "progression_confirmation_interval", "pd_l1_expression"} <= set(criteria)
    assert not set(criteria) & set(figures)
    assert set(vocab.keywords("comparator")) == {"lt", "le", "gt", "ge", "eq"}


# -- vaccines -------------------------------------------------------------------------------------

def test_vaccine_platform_and_antigen(graph):
    # 3.2 (63705-63849): TG4010 is a viral vector vaccine carrying the human MUC1 gene
    assert set(graph.objects(DRUG("tg4010"), NSCR.vaccinePlatform)) == {NSCR.ViralVectorPlatform}
    assert set(graph.objects(DRUG("tg4010"), NSCR.targetsAntigen)) == {GENE("MUC1")}
    assert set(graph.objects(DRUG("tg4010"), NSCR.inhibits)) == set()  # the antigen is not a target
    assert set(graph.subjects(NSCR.vaccinePlatform, None)) <= set(graph.subjects(RDF.type, NSCR.Vaccine))
    assert set(vocab.keywords("platform")) == {"whole_cell", "peptide", "protein", "viral_vector", "ganglioside",
                                               "dendritic_cell", "mrna", "dna"}


# -- bad input --------------------------------------------------------------------------------

def assemble_errors() -> str:
    from nscr.build import assemble
    with pytest.raises(CurationErrors) as e:
        assemble()
    return str(e.value)


@pytest.mark.parametrize("file, old, new, expected", [
    ("ici/subjects.tsv", "tumour hypoxia\tmicroenvironment_state", "tumour hypoxia\talteration",
     ("ici/subjects.tsv, row 3, field 'kind'", "have their own table")),
    ("ici/subjects.tsv", "CL:0000889", "CL:9999999", ("field 'cell_type'", "'CL:9999999' is not a Cell Ontology term")),
    ("ici/statements.tsv", "ici-def-acquired\t", "ici-def-primary\t",
     ("ici/statements.tsv, row 2, field 'definition'", "defines primary resistance")),
    ("ici/criteria.tsv", "ici-def-primary\tdrug_exposure", "ici-def-nothing\tprevalence",
     ("field 'measure'", "'prevalence' is not an allowed value", "'ici-def-nothing' is not a key of definitions")),
    ("drugs.tsv", "tg4010\tTG4010\tvaccine", "tg4010\tTG4010\tmonoclonal_antibody", ("field 'platform'", "vaccines only")),
], ids=["subject-kind", "cl-term", "definition-timing", "criterion-measure-and-definition", "platform-not-vaccine"])
def test_bad_immunotherapy_rows_name_file_row_field(curation_copy, file, old, new, expected):
    edit(curation_copy / file, old, new)
    err = assemble_errors()
    for text in expected:
        assert text in err, err


def test_cell_population_without_cl_term_is_a_gap(curation_copy):
    from nscr.build import assemble
    edit(curation_copy / "ici" / "subjects.tsv", "cell_population\tCL:0000889", "cell_population\t")
    gaps = assemble().gaps
    assert ("cell_population", "ici-subj-mdsc", "CL", "none found") in gaps
    # 3.1.2 (59656-59931): tumour-associated macrophages have no CL term in the snapshot, a gap of their own
    assert ("cell_population", "ici-subj-tam", "CL", "none found") in gaps
    # 4.4 (75627-75907): cancer-associated fibroblasts have none either
    assert ("cell_population", "vxx-subj-caf", "CL", "none found") in gaps
    assert not any(g[0] == "cell_population" and g[1] not in {"ici-subj-mdsc", "ici-subj-tam", "vxx-subj-caf"} for g in gaps)


def test_existing_drug_rows_have_no_platform(graph):
    vaccines = set(graph.subjects(RDF.type, NSCR.Vaccine))
    # the section 3.2 vaccines (tg4010 and the others the review names) and nothing else carries a platform
    assert {DRUG("tg4010"), DRUG("mage-a3-vaccine"), DRUG("cimavax-egf"), DRUG("racotumomab")} <= vaccines
    assert set(graph.subjects(NSCR.vaccinePlatform, None)) <= vaccines
    assert DRUG("osimertinib") not in set(graph.subjects(NSCR.vaccinePlatform, None))


def test_strategy_addressing_an_immune_subject_gets_no_alteration_shortcut(curation_copy):
    # a strategy may address a statement whose subject is a cell population (ici-s02: MDSCs); the
    # addressesAlteration shortcut is for alterations and profiles only, so the subject must not get it
    from nscr.build import assemble
    edit(curation_copy / "egfr" / "strategies.tsv", "\tegfr-s19|egfr-mech-target-dependent\t", "\tegfr-s19|ici-s02\t")
    graph = assemble().graph
    strategy = iris.mint("strategy", "egfr-x01")
    assert SUBJECT("ici-subj-mdsc") not in set(graph.objects(strategy, NSCR.addressesAlteration))
    # the EGFR half of the same strategy still gets its alterations through egfr-s19's mechanism
    assert iris.mint("alteration", "EGFR-L718Q") in set(graph.objects(strategy, NSCR.addressesAlteration))


def test_a_strategy_may_name_no_agent(curation_copy):
    # 4.3 (74272-74497) lists approaches with no agent; such a row builds, with no usesTherapy
    from nscr.build import assemble
    edit(curation_copy / "egfr" / "strategies.tsv", "egfr-x01\tFirst- or second-generation EGFR TKI for on-target resistance "
         "to third-generation TKIs\tclass:FirstGenerationEGFRTKI / class:SecondGenerationEGFRTKI\t",
         "egfr-x01\tFirst- or second-generation EGFR TKI for on-target resistance to third-generation TKIs\t\t")
    graph = assemble().graph
    assert not set(graph.objects(iris.mint("strategy", "egfr-x01"), NSCR.usesTherapy))


# -- strategy and mechanism keywords (issue 10, sections 4.1-4.5 and 5) -----------------------------

STRATEGY_TYPES = {"adoptive_cell_therapy", "neoantigen_vaccination", "angiogenesis_inhibition", "cytokine_blockade",
                  "cytokine_therapy", "microbiome_modulation", "alternative_checkpoint_blockade", "vaccine_adjuvant",
                  "immune_stimulation", "tme_modulation", "antigen_presentation_enhancement", "t_cell_activation",
                  "biomarker_selection", "dosing_schedule", "rechallenge", "adjuvant_therapy", "radiotherapy",
                  "vaccination"}


def _parents(term):
    return set(vocab.ontology_graph().transitive_objects(term, expand("rdfs:subClassOf")))


def test_immunotherapy_strategy_types_are_keywords_with_definitions():
    types = vocab.keywords("strategy_type")
    assert STRATEGY_TYPES <= set(types)
    g = vocab.ontology_graph()
    for kw in STRATEGY_TYPES:
        assert g.value(types[kw], expand("IAO:0000115")) and g.value(types[kw], expand("rdfs:label")), kw
    assert not {k for k in types if "combination" in k} - {"tki_generation_combination", "chemotherapy_combination",
                                                           "immunotherapy_combination"}  # no new combination keyword
    # a strategy keyword never names a drug class or modality: the IRIs differ from the drug-side terms
    assert types["cytokine_therapy"] != vocab.keywords("modality")["cytokine"]


def test_new_mechanism_classes_sit_under_the_right_parents():
    m = vocab.keywords("mechanism_class")
    assert NSCR.ImmuneEvasion in _parents(m["antigen_loss"])
    assert NSCR.ImmuneEvasion in _parents(m["immunosuppressive_cytokine"])
    assert NSCR.ImmunosuppressiveCells in _parents(m["caf"])
    # a pre-existing resistant subclone is selected by any therapy: not an immune escape
    assert NSCR.ImmuneEvasion not in _parents(m["resistant_subclone"])
    assert m["clonal_selection"] in _parents(m["resistant_subclone"]) & _parents(m["clonal_evolution"])
    assert NSCR.ImmuneEvasion in _parents(m["clonal_evolution"])  # clonal evolution keeps its meaning


# -- defined drug classes of immunotherapy (ontology/patterns/drug_class.tsv) ----------------------

@pytest.mark.parametrize("old, new, expected", [
    ("ViralVectorVaccine\tviral vector vaccine\t\tvaccine\t\t\t\t\tviral_vector",
     "ViralVectorVaccine\tviral vector vaccine\t\tmonoclonal_antibody\t\t\t\t\tviral_vector",
     ("drug_class.tsv", "field 'platform'", "set modality to vaccine")),
    ("ViralVectorVaccine\tviral vector vaccine\t\tvaccine\t\t\t\t\tviral_vector",
     "ViralVectorVaccine\tviral vector vaccine\t\tvaccine\t\t\t\t\tviral",
     ("field 'platform'", "'viral' is not an allowed value")),
    ("CytokineTherapy\tcytokine given as therapy\t\tcytokine\t\t", "CytokineTherapy\tcytokine given as therapy\t\tcytokine\tIL1B\t",
     ("field 'modality_only'", "needs a modality and no other condition")),
], ids=["platform-not-vaccine", "unknown-platform", "modality-only-with-targets"])
def test_bad_pattern_rows_name_file_row_field(tmp_path, monkeypatch, old, new, expected):
    path = tmp_path / "drug_class.tsv"
    path.write_text(paths.PATTERNS.read_text(encoding="utf-8"), encoding="utf-8")
    edit(path, old, new)
    monkeypatch.setattr(paths, "PATTERNS", path)
    err = assemble_errors()
    for text in expected:
        assert text in err, err


def test_immunotherapy_classes_are_defined_from_targets_modality_and_platform():
    from nscr.build import ontology_graph
    from nscr.patterns import emit, load_patterns
    g = ontology_graph()
    emit(g, load_patterns([]), vocab.keywords("modality"))
    eq = lambda c: next(g.objects(c, expand("owl:equivalentClass")), None)  # noqa: E731
    assert eq(NSCR.CytokineTherapy) == NSCR.Cytokine  # modality_only
    assert eq(NSCR.TyrosineKinaseInhibitor) is None  # a modality alone keeps a class primitive
    for cls in (NSCR.AntiAngiogenicAgent, NSCR.CytokineTargetingAgent, NSCR.PeptideVaccine):
        assert eq(cls) is not None
    # the platform classes and the platform individuals are different terms
    assert (NSCR.PeptidePlatform, RDF.type, NSCR.VaccinePlatform) in g
    assert (NSCR.PeptideVaccine, RDF.type, NSCR.VaccinePlatform) not in g


# -- timing patterns: how resistance shows over time, not a cause (issue 10, 3.1.1) ------------------

def test_statements_about_timing_patterns_are_pattern_statements(reasoned):
    from rdflib import Graph
    inferred = Graph().parse(reasoned / "nscr-inferred.ttl")
    members = set(inferred.subjects(RDF.type, NSCR.ResistancePatternStatement))
    # 3.1.1 (56483-56933): early progression (fast progression, HPD) and late progression after benefit
    assert {STATEMENT(k) for k in ("ici-s05", "ici-s06", "ici-s07", "ici-s08", "ici-s09")} <= members
    assert STATEMENT("ici-s02") not in members  # MDSCs are a cause, not a pattern
    assert not any(str(m).startswith(str(NSCR) + "statement/egfr") for m in members)


def test_pattern_statement_is_defined_in_the_ontology():
    g = vocab.ontology_graph()
    assert "not what causes it" in str(g.value(NSCR.ResistancePatternStatement, expand("IAO:0000115")))
    assert g.value(NSCR.ResistancePatternStatement, expand("owl:equivalentClass")) is not None
    assert (NSCR.patternDefinedBy, expand("rdfs:range"), NSCR.ResistanceDefinition) in g


QC_ANCHORED = paths.ROOT / "sparql" / "qc" / "timing-patterns-anchored.rq"


def _unanchored(graph) -> set:
    return {row[0] for row in graph.query(QC_ANCHORED.read_text(encoding="utf-8"))}


def test_unanchored_timing_patterns_are_reported(graph):
    # the three SITC patterns (55734-56012) have no statement and no definition the text ties them to
    sitc = {SUBJECT("ici-subj-sitc-" + k) for k in ("primary", "acquired", "after-discontinuation")}
    assert _unanchored(graph) == sitc


def test_a_definition_links_a_timing_pattern_and_anchors_it(curation_copy):
    from nscr.build import assemble
    path = curation_copy / "ici" / "subjects.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    # the definition column is the last one, empty in every row today
    lines = [line + "ici-def-post-treatment" if line.startswith("ici-subj-sitc-after-discontinuation\t") else line
             for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
    g = assemble().graph
    node = SUBJECT("ici-subj-sitc-after-discontinuation")
    assert set(g.objects(node, NSCR.patternDefinedBy)) == {DEFINITION("ici-def-post-treatment")}
    assert node not in _unanchored(g)


@pytest.mark.parametrize("key, value, expected", [
    ("ici-subj-mdsc", "ici-def-primary", "only a timing pattern is defined by a definition"),
    ("ici-subj-sitc-primary", "ici-def-nothing", "'ici-def-nothing' is not a key of definitions"),
], ids=["not-a-pattern", "unknown-definition"])
def test_bad_pattern_definitions_name_file_row_field(curation_copy, key, value, expected):
    path = curation_copy / "ici" / "subjects.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith(key + "\t"))
    assert lines[row].endswith("\t")  # the definition column is the last one
    lines[row] += value
    path.write_text("\n".join(lines), encoding="utf-8")
    err = assemble_errors()
    assert f"ici/subjects.tsv, row {row + 1}, field 'definition'" in err and expected in err, err


def test_questions_about_causes_of_ici_resistance_leave_pattern_statements_out():
    from nscr import queries
    causes = [q for q in queries.catalogue("cq") if any("cause of ici resistance" in k.lower() for k in q.keywords)]
    assert any(q.name.startswith("cq/cq43") for q in causes)
    for q in causes:
        assert "FILTER NOT EXISTS { ?st a nscr:ResistancePatternStatement }" in q.text, q.name
