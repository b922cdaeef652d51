"""Non-drug interventions (issue 10: "some strategies are not drugs at all (radiotherapy, modulating the
gut microbiome): give them a place in the model"): interventions.tsv, its identifiers and gaps, and
therapy expressions that name an intervention as they name a drug.

Expected values come from the review (section 1, 2308-2433: radiotherapy, stereotactic RT and hadron
therapy) and from the snapshot's MeSH headings, never from running the build."""
from __future__ import annotations

import pytest
from rdflib import OWL, RDF, URIRef
from rdflib.collection import Collection

from nscr import iris, vocab
from nscr.errors import CurationErrors
from nscr.prefixes import NSCR, expand
from nscr.reference import load

from test_curation_errors import edit

INTERVENTION, DRUG = (lambda k: iris.mint("intervention", k)), (lambda k: iris.mint("drug", k))
MESH = lambda d: URIRef("http://id.nlm.nih.gov/mesh/" + d)  # noqa: E731
ROW = "fmt\tfaecal microbiota transplantation\tmicrobiota_transplant\tfecal microbiota transplantation\t4.2.2\t293\t69997\t70371\tx\t\n"


def assemble_errors() -> str:
    from nscr.build import assemble
    with pytest.raises(CurationErrors) as e:
        assemble()
    return str(e.value)


def test_intervention_types_are_keywords_under_non_drug_intervention():
    types = vocab.keywords("intervention_type")
    assert set(types) == {"radiotherapy", "microbiota_transplant", "surgery", "antibiotic_exposure"}
    g = vocab.ontology_graph()
    for term in types.values():
        assert NSCR.Therapy in set(g.transitive_objects(term, expand("rdfs:subClassOf")))
        assert NSCR.Drug not in set(g.transitive_objects(term, expand("rdfs:subClassOf")))
    # the radiotherapy intervention type is not the radiotherapy strategy type (same keyword, other column)
    assert types["radiotherapy"] != vocab.keywords("strategy_type")["radiotherapy"]


def test_non_drug_interventions_are_disjoint_from_drugs_regimens_and_classes():
    g = vocab.ontology_graph()
    groups = [set(Collection(g, m)) for d in g.subjects(RDF.type, OWL.AllDisjointClasses)
              for m in g.objects(d, OWL.members)]
    assert any({NSCR.NonDrugIntervention, NSCR.Drug, NSCR.Regimen, NSCR.DrugClass} <= grp for grp in groups)


def test_radiotherapy_row_is_typed_labelled_and_mapped(graph):
    node = INTERVENTION("radiotherapy")
    assert {NSCR.Radiotherapy, NSCR.NonDrugIntervention} <= set(graph.objects(node, RDF.type))
    assert (node, RDF.type, NSCR.Drug) not in graph
    # MeSH D011878 is the heading Radiotherapy (tree E02); the heading Radiation (D011827, G01) is the physical
    # agent, a near term a synonym "radiation" must not pull in
    assert set(graph.objects(node, expand("skos:exactMatch"))) == {MESH("D011878")}


def test_radiotherapy_has_no_ncit_term_and_is_a_gap(curation_copy):
    from nscr.build import assemble
    gaps = assemble().gaps
    assert ("intervention", "radiotherapy", "NCIT", "partial") in gaps


def test_intervention_lookup_matches_procedure_headings_only():
    ref = load()
    assert set(ref.intervention(["radiotherapy"]).ids) == {"MESH:D011878"}
    assert ref.intervention(["radiation"]).ids == {}  # the physical agent (G01) is no intervention
    full = __import__("nscr.paths", fromlist=["x"]).shared_reference()
    if full is not None:  # against the whole snapshot: entry terms and other trees are not matched
        from nscr.reference import Reference
        snap = Reference(full)
        assert set(snap.intervention(["Fecal Microbiota Transplantation"]).ids) == {"MESH:D000069467"}
        assert snap.intervention(["surgery"]).ids == {}  # "Surgery" is an entry term of the specialty (H02)
        assert snap.intervention(["antibiotic exposure"]).ids == {}


def test_a_strategy_may_combine_a_drug_with_an_intervention(curation_copy):
    from nscr.build import assemble
    path = curation_copy / "alk" / "strategies.tsv"
    edit(path, "alk-x05\tGilteritinib against lorlatinib resistance in ALK-rearranged cancer\tgilteritinib\t",
         "alk-x05\tGilteritinib against lorlatinib resistance in ALK-rearranged cancer\tgilteritinib + radiotherapy\t")
    g = assemble().graph
    regimen = iris.regimen("combination", ["gilteritinib", "radiotherapy"])
    assert (iris.mint("strategy", "alk-x05"), NSCR.usesTherapy, regimen) in g
    assert set(g.objects(regimen, NSCR.hasComponent)) == {DRUG("gilteritinib"), INTERVENTION("radiotherapy")}
    assert (regimen, NSCR.interactionType, NSCR.Combination) in g
    # drug shortcuts stay drugs: the intervention is no drug the strategy uses
    assert set(g.objects(iris.mint("strategy", "alk-x05"), NSCR.usesDrug)) == {DRUG("gilteritinib")}


def test_an_intervention_without_a_term_is_a_gap_never_a_near_term(curation_copy):
    from nscr.build import assemble
    path = curation_copy / "interventions.tsv"
    path.write_text(path.read_text(encoding="utf-8")
                    + ROW.replace("fecal microbiota transplantation", "gut microbiota transfer"), encoding="utf-8")
    result = assemble()
    assert ("intervention", "fmt", "MESH|NCIT", "none found") in result.gaps
    assert set(result.graph.objects(INTERVENTION("fmt"), expand("skos:exactMatch"))) == set()
    assert (INTERVENTION("fmt"), RDF.type, NSCR.MicrobiotaTransplant) in result.graph


@pytest.mark.parametrize("old, new, expected", [
    ("radiotherapy\tradiotherapy\tradiotherapy\t", "radiotherapy\tradiotherapy\tradiation\t",
     ("interventions.tsv, row 2, field 'intervention_type'", "'radiation' is not an allowed value")),
    ("radiotherapy\tradiotherapy\tradiotherapy\t", "osimertinib\tradiotherapy\tradiotherapy\t",
     ("interventions.tsv, row 2, field 'intervention'", "key 'osimertinib' is already defined in", "drugs.tsv, row")),
], ids=["unknown-type", "key-of-a-drug"])
def test_bad_intervention_rows_name_file_row_field(curation_copy, old, new, expected):
    edit(curation_copy / "interventions.tsv", old, new)
    err = assemble_errors()
    for text in expected:
        assert text in err, err


def test_an_unknown_therapy_key_names_both_tables(curation_copy):
    edit(curation_copy / "alk" / "strategies.tsv", "\tgilteritinib\tlorlatinib\t", "\tgilteritinib + radiation\tlorlatinib\t")
    err = assemble_errors()
    assert "alk/strategies.tsv, row" in err and "field 'therapy'" in err
    assert "drug 'radiation' is not in drugs.tsv (nor an intervention of interventions.tsv)" in err
