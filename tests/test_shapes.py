"""SHACL: the built graph conforms, and every hand-written shape has a case that must fail it.

Each case in tests/shapes/cases/ is a SPARQL Update that breaks the real graph in
one way, with the exact results of the hand-written shapes expected in its '# expect:'
lines (focus node | path | constraint component | shape), in the manner of the W3C SHACL
test suite. The shapes generated from the ontology (nscrshape:) may report the same fault
too; tests/test_mutations.py measures what they catch.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from nscr import cli, paths
from nscr.validate import SH, core_results, load_shapes, pyshacl_core_results, pyshacl_reference, validate_graph

CASES = sorted((Path(__file__).parent / "shapes" / "cases").glob("*.ru"))


def expected(case: Path) -> set[tuple[str, str, str, str]]:
    out = set()
    for line in case.read_text().splitlines():
        if line.startswith("# expect:"):
            out.add(tuple(part.strip() for part in line[len("# expect:"):].split("|")))
    return out


def broken(graph: Graph, *cases: Path) -> Graph:
    """The graph with each case's update applied, in order."""
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for case in cases:
        store.update(case.read_text())
    return Graph().parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")


def test_built_graph_conforms(graph):
    report = validate_graph(graph)
    assert report.conforms, report.text()
    assert report.results == []
    assert report.targets > 300


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_fails_exactly_as_expected(graph, case):
    report = validate_graph(broken(graph, case))
    assert not report.conforms
    assert {r.key() for r in report.results if not r.shape.startswith("nscrshape:")} == expected(case)


def test_every_shape_has_a_failing_case():
    shapes = Graph().parse(paths.SHAPES)  # the hand-written ones; the generated ones are mutation-tested
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    named |= {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    covered = {e[3] for case in CASES for e in expected(case)}
    from nscr.prefixes import contract
    assert {contract(str(s)) for s in named} <= covered


def test_sparql_constraints_agree_with_pyshacl(graph):
    """pySHACL, running the whole shapes file itself, is the oracle for the fast path."""
    sparql_cases = [c for c in CASES if any(e[2] == "sh:SPARQLConstraintComponent" for e in expected(c))]
    data = broken(graph, *sparql_cases)
    ours = sorted({r.key() for r in validate_graph(data).results})
    assert ours == pyshacl_reference(data, load_shapes())
    assert len([k for k in ours if k[2] == "sh:SPARQLConstraintComponent"]) == len(sparql_cases)


def test_validate_cli_exit_codes(graph, dist, tmp_path, capsys):
    assert cli.main(["validate", str(dist / "nscr.ttl")]) == 0
    assert "Conforms: yes" in capsys.readouterr().out
    bad = tmp_path / "bad.nt"
    broken(graph, CASES[0]).serialize(bad, format="nt", encoding="utf-8")
    assert cli.main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Violation" in out and "nscr:alteration/EGFR-T790M nscr:proteinChange" in out
    assert cli.main(["validate", str(tmp_path / "missing.ttl")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_shapes_file_is_the_one_in_the_repository():
    assert paths.SHAPES.is_file()


# pySHACL reports sh:minCount on a literal focus node (the spec's reading: a literal has no values on any
# path); rudof skips property shapes for literal focus nodes. The literal is reported either way (sh:nodeKind).
RUDOF_DIVERGENCE = {("http://purl.obolibrary.org/obo/MONDO_0005233", "skos:exactMatch", "sh:MinCountConstraintComponent",
                     "nscr:DiseaseShape")}


def test_rudof_core_agrees_with_pyshacl(graph):
    """The fast core engine (rudof) gives pySHACL's results, the oracle, on a graph broken by every failing
    case at once (one pySHACL run instead of one per case: the comparison is of two engines on the same
    data, so a divergence on any case's fault still shows; that each case's fault is found is
    test_case_fails_exactly_as_expected's job)."""
    data, shapes = broken(graph, *CASES), Graph().parse(paths.SHAPES)  # generated ones: tests/test_mutations.py
    ours = {r.key() for r in core_results(data, shapes)}
    oracle = set(pyshacl_core_results(data, shapes))
    assert ours == oracle - RUDOF_DIVERGENCE
    assert oracle - ours <= RUDOF_DIVERGENCE
    assert len(ours) > len(CASES) / 2  # most cases break a core constraint: the faults are there to be found
