"""Reasoning: consistency, the reasoner fills the defined drug classes, clashes are caught."""
from __future__ import annotations

from rdflib import RDF, Graph

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


def test_dl_and_rl_reasoners_agree_on_defined_classes(reasoned):
    outcome = reason(reasoned / "nscr.owl", out=None)
    assert outcome.disagreements == []
