"""Reasoning: consistency, the reasoner fills the defined drug classes, clashes are caught."""
from __future__ import annotations

from rdflib import RDF, RDFS, Graph

from nscr import cli, iris
from nscr.prefixes import NSCR
from nscr.reason import dl_module, read_triples, reason

FIXTURES = __import__("pathlib").Path(__file__).parent / "reasoning"


def inferred_types(path) -> dict[str, set[str]]:
    g = Graph().parse(path)
    out: dict[str, set[str]] = {}
    for s, o in g.subject_objects(RDF.type):
        out.setdefault(str(s), set()).add(str(o))
    return out


def test_reasoner_fills_the_defined_drug_classes(reasoned):
    types = inferred_types(reasoned / "nscr-inferred.ttl")
    assert str(NSCR.ThirdGenerationEGFRTKI) in types[str(iris.mint("drug", "osimertinib"))]
    assert str(NSCR.FirstGenerationEGFRTKI) in types[str(iris.mint("drug", "gefitinib"))]
    assert str(NSCR.KRASG12CInhibitor) in types[str(iris.mint("drug", "sotorasib"))]
    assert str(NSCR.METInhibitor) in types[str(iris.mint("drug", "capmatinib"))]
    assert str(NSCR.CombinationRegimen) in types[str(iris.regimen("combination", ["gefitinib", "osimertinib"]))]
    # Cetuximab inhibits EGFR but is an antibody, so it is no EGFR TKI.
    assert str(NSCR.EGFRTKI) not in types.get(str(iris.mint("drug", "cetuximab")), set())
    # None of this was asserted in the build.
    built = Graph().parse(reasoned / "nscr.nt")
    assert (iris.mint("drug", "osimertinib"), RDF.type, NSCR.ThirdGenerationEGFRTKI) not in built


def test_reasoner_places_vaccines_by_platform(reasoned):
    """Section 3.2 as curated in drugs.tsv: TG4010 is a viral vector vaccine (63705-63849), racotumomab a
    ganglioside (anti-idiotype) vaccine, CIMAvax-EGF and the MAGE-A3 vaccine protein vaccines; tecemotide's
    row gives no platform (the review states none), so no platform class may claim it."""
    types = inferred_types(reasoned / "nscr-inferred.ttl")
    drug = lambda k: types.get(str(iris.mint("drug", k)), set())  # noqa: E731
    assert str(NSCR.ViralVectorVaccine) in drug("tg4010")
    assert str(NSCR.GangliosideVaccine) in drug("racotumomab")
    assert str(NSCR.ProteinVaccine) in drug("cimavax-egf") and str(NSCR.ProteinVaccine) in drug("mage-a3-vaccine")
    platforms = {str(NSCR[k + "Vaccine"]) for k in ("WholeCell", "Peptide", "Protein", "ViralVector", "Ganglioside",
                                                    "DendriticCell", "MRNA", "DNA")}
    assert not drug("tecemotide") & platforms
    assert not drug("belagenpumatucel-l") & platforms  # whole cells, but the text does not say so
    assert len(drug("tg4010") & platforms) == 1
    # cabozantinib inhibits KDR (VEGFR2) in drugs.tsv: an anti-angiogenic agent by definition
    assert str(NSCR.AntiAngiogenicAgent) in drug("cabozantinib")
    assert str(NSCR.AntiAngiogenicAgent) not in drug("osimertinib")


def test_reasoner_fills_the_immunotherapy_agent_classes_from_targets_and_modality(dist, tmp_path):
    """Fixture agents (tests/reasoning/immuno-agents.ttl) until curated ones exist: a drug that inhibits VEGFA,
    or a VEGF receptor, is anti-angiogenic; one that blocks IL-1beta targets a cytokine; a cytokine given as
    a drug is a cytokine therapy; a peptide-platform vaccine a peptide vaccine; and nothing more."""
    data = Graph().parse(dist / "nscr.nt") + Graph().parse(FIXTURES / "immuno-agents.ttl")
    data.serialize(tmp_path / "agents.nt", format="nt", encoding="utf-8")
    outcome = reason(tmp_path / "agents.nt", out=tmp_path / "inferred.ttl")
    assert outcome.consistent and outcome.disagreements == [], outcome.text()
    types = inferred_types(tmp_path / "inferred.ttl")
    drug = lambda k: types.get(str(iris.mint("drug", "fixture-" + k)), set())  # noqa: E731
    new = {str(NSCR[c]) for c in ("AntiAngiogenicAgent", "CytokineTargetingAgent", "CytokineTherapy", "PeptideVaccine")}
    assert drug("anti-vegfa") & new == {str(NSCR.AntiAngiogenicAgent)}
    assert drug("vegfr3-tki") & new == {str(NSCR.AntiAngiogenicAgent)}
    assert drug("anti-il1b") & new == {str(NSCR.CytokineTargetingAgent)}
    assert drug("il2") & new == {str(NSCR.CytokineTherapy)}
    assert drug("peptide-vaccine") & new == {str(NSCR.PeptideVaccine)}


def test_module_keeps_classification_inputs_and_drops_statements(dist):
    triples = read_triples(dist / "nscr.nt")
    module = {(t.subject.value, t.predicate.value, t.object.value) for t in dl_module(triples)}
    assert (str(iris.mint("drug", "osimertinib")), str(NSCR.inhibits), str(iris.mint("gene", "EGFR"))) in module
    assert not any(s.startswith(f"{NSCR}statement/") for s, _, _ in module)
    assert len(module) < len(triples)


def test_inconsistent_fixture_is_caught(dist, tmp_path):
    data = Graph().parse(dist / "nscr.nt") + Graph().parse(FIXTURES / "inconsistent.ttl")
    data.serialize(tmp_path / "bad.owl", format="xml")
    outcome = reason(tmp_path / "bad.owl", out=tmp_path / "inferred.ttl")
    assert not outcome.consistent
    assert not (tmp_path / "inferred.ttl").exists()
    assert cli.main(["reason", str(tmp_path / "bad.owl"), "--out", str(tmp_path / "x.ttl")]) == 1


def test_clash_outside_the_module_is_caught_by_the_rl_pass(dist, tmp_path):
    data = Graph().parse(dist / "nscr.nt") + Graph().parse(FIXTURES / "clash-outside-module.ttl")
    data.serialize(tmp_path / "clash.nt", format="nt", encoding="utf-8")
    outcome = reason(tmp_path / "clash.nt", out=None)
    assert not outcome.consistent
    assert ("nscr:statement/egfr-s20", "nscr:ResistanceStatement", "nscr:Strategy") in outcome.clashes


def test_pellet_agrees_with_hermit(reasoned, tmp_path):
    outcome = reason(reasoned / "nscr.owl", reasoner="pellet", out=tmp_path / "pellet.ttl")
    assert outcome.consistent, outcome.text()
    assert inferred_types(tmp_path / "pellet.ttl") == inferred_types(reasoned / "nscr-inferred.ttl")


def test_reason_reports_missing_file(tmp_path, capsys):
    assert cli.main(["reason", str(tmp_path / "nothing.owl")]) == 2
    assert "error" in capsys.readouterr().err


def test_no_unsatisfiable_classes(reasoned):
    outcome = reason(reasoned / "nscr.owl", out=None)
    assert outcome.unsatisfiable == []
    assert outcome.rl_triples[1] > outcome.rl_triples[0]


def test_dl_and_rl_reasoners_agree_on_defined_classes(reasoned, tmp_path):
    """The default run takes the individuals' memberships from the RL closure (HermiT classifies the
    TBox); HermiT realising the classification module must agree on every defined class and give the
    same inferred file, byte for byte."""
    outcome = reason(reasoned / "nscr.owl", out=tmp_path / "module.ttl", scope="module")
    assert outcome.consistent and outcome.individuals > 300 and outcome.disagreements == []
    assert (tmp_path / "module.ttl").read_bytes() == (reasoned / "nscr-inferred.ttl").read_bytes()


def test_rl_closure_of_the_reduced_input_gives_the_same_inferred_file_as_the_whole_graph(reasoned, tmp_path,
                                                                                         monkeypatch):
    """The RL closure gets the TBox, the types and the assertions class axioms read, plus the types the other
    assertions' domains and ranges give; handed the whole graph instead it must write the same file."""
    from nscr import reason as reasoning
    triples = read_triples(reasoned / "nscr.owl")
    reduced = reasoning.rl_input(triples)
    kept = {t.predicate.value for t in reduced if reasoning.is_individual(t.subject)}  # of individuals
    assert len(reduced) < len(triples) / 2
    assert str(NSCR.hasSubject) in kept and str(NSCR.inhibits) in kept  # restrictions are on them
    assert not kept & {str(NSCR.concernsDrug), str(NSCR.hasPassage), str(RDFS.comment), str(RDFS.label),
                        str(NSCR.curationKey)}
    monkeypatch.setattr(reasoning, "rl_input", list)
    outcome = reason(reasoned / "nscr.owl", out=tmp_path / "whole.ttl")
    assert outcome.consistent and outcome.rl_triples[0] == len(triples)
    assert (tmp_path / "whole.ttl").read_bytes() == (reasoned / "nscr-inferred.ttl").read_bytes()


def test_a_clash_through_a_dropped_propertys_domain_is_still_found(dist):
    """nscr:addresses is on no restriction, so its assertions stay out of the closure's input; the type its
    domain gives (Strategy) must still be there to clash with ResistanceStatement."""
    import pyoxigraph as ox
    from nscr.reason import clashes_in, rl_closure, rl_input, schema_of
    triples = read_triples(dist / "nscr.nt")
    wrong = ox.Triple(ox.NamedNode(str(iris.mint("statement", "egfr-s20"))), ox.NamedNode(str(NSCR.addresses)),
                      ox.NamedNode(str(iris.mint("statement", "egfr-s21"))))
    reduced = rl_input(triples + [wrong])
    assert wrong not in reduced
    clashes = clashes_in(schema_of(triples), rl_closure(reduced))
    assert ("nscr:statement/egfr-s20", "nscr:ResistanceStatement", "nscr:Strategy") in clashes


def test_rl_input_keeps_everything_when_an_equality_is_entailed(dist):
    """Two outcomes of one strategy (nscr:hasOutcome is functional) make them the same individual, which the
    argument for dropping assertions does not cover: the closure then gets the whole graph."""
    import pyoxigraph as ox
    from nscr.reason import rl_input
    triples = read_triples(dist / "nscr.nt")
    strategy = next(t.subject for t in triples if t.predicate.value == str(NSCR.hasOutcome))
    outcomes = {t.object for t in triples if t.predicate.value == str(NSCR.hasOutcome)}
    mine = {t.object for t in triples if t.subject == strategy and t.predicate.value == str(NSCR.hasOutcome)}
    second = ox.Triple(strategy, ox.NamedNode(str(NSCR.hasOutcome)), sorted(outcomes - mine, key=str)[0])
    assert len(rl_input(triples)) < len(triples) and len(rl_input(triples + [second])) == len(triples) + 1
