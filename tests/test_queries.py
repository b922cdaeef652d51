"""Stored queries: competency questions answered as the review says, QC checks pass,
parameters are bound as terms, metadata and prefixes are in order."""
from __future__ import annotations

import re

import pytest

from nscr import cli, queries
from nscr.prefixes import prefix_map

CQS = queries.catalogue("cq")


@pytest.fixture(scope="module")
def store(reasoned):
    return queries.store([reasoned / "nscr.nt", reasoned / "nscr-inferred.ttl"])


def test_there_are_at_least_twelve_competency_questions():
    assert len(CQS) >= 12
    assert all(q.expected_path.is_file() for q in CQS)


@pytest.mark.parametrize("query", CQS, ids=[q.name for q in CQS])
def test_competency_question_gives_the_answer_read_from_the_review(store, query):
    columns, rows = queries.read_expected(query)
    result = queries.run(query, store, {})
    assert result.columns == columns
    assert sorted(result.rows) == sorted(rows)


def test_parameters_change_the_answer(store):
    q = queries.get("cq13-drug-classes-of-a-drug")
    afatinib = queries.run(q, store, {"drug": "nscr:drug/afatinib"}).rows
    # 2.1.1: afatinib is a second-generation EGFR TKI; drugs.tsv lists its pan-HER targets.
    assert sorted(afatinib) == [["EGFR tyrosine kinase inhibitor"], ["HER2 inhibitor"], ["second-generation EGFR TKI"]]
    q = queries.get("cq01-egfr-mutations-resisting-osimertinib")
    assert queries.run(q, store, {"drug": "https://w3id.org/nscr/drug/gefitinib"}).rows == []


@pytest.mark.parametrize("hostile", ['EGFR" } ; DROP ALL ; SELECT * { "', "EGFR> } INSERT DATA { <a> <b> <c> } #",
                                     "EGFR\\\" }", "{ } ) ( ?gene"])
def test_hostile_literal_is_bound_as_a_literal(store, hostile):
    q = queries.get("cq01-egfr-mutations-resisting-osimertinib")
    before = len(store)
    assert queries.run(q, store, {"gene": hostile}).rows == []
    assert len(store) == before
    assert queries.run(q, store, {"gene": "EGFR"}).rows, "the same parameter, harmless, does match"


def test_hostile_iri_is_refused(store):
    q = queries.get("cq01-egfr-mutations-resisting-osimertinib")
    with pytest.raises(ValueError):
        queries.run(q, store, {"drug": "<https://x> } DROP ALL {"})


def test_unknown_parameter_is_an_error(store):
    with pytest.raises(ValueError, match="has no parameter 'nope'"):
        queries.run(queries.get("cq01-egfr-mutations-resisting-osimertinib"), store, {"nope": "x"})


@pytest.mark.parametrize("query", queries.catalogue("qc"), ids=[q.name for q in queries.catalogue("qc")])
def test_quality_check_finds_nothing(store, query):
    result = queries.run(query, store, {})
    assert result.rows == [], "\n".join("\t".join(r) for r in result.rows)


def test_qc_check_catches_a_missing_label(store):
    import pyoxigraph as ox
    broken = ox.Store()
    broken.extend(store)
    broken.update("DELETE WHERE { <https://w3id.org/nscr/drug/osimertinib> <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    rows = queries.run(queries.get("one-label"), broken, {}).rows
    assert rows == [["nscr:drug/osimertinib", "0"]]


def test_every_stored_query_has_metadata_and_registered_prefixes():
    registry = prefix_map()
    for q in queries.catalogue():
        assert q.question, q.name
        for prefix, ns in re.findall(r"^PREFIX\s+([\w.-]*):\s*<([^>]+)>", q.text, re.M):
            assert registry.get(prefix) == ns, f"{q.name}: PREFIX {prefix}: <{ns}> differs from the registry"


def test_statement_export_has_the_promised_columns(store):
    result = queries.run(queries.get("export/statements"), store, {})
    assert result.columns == ["statement", "gene", "hgnc_id", "alteration", "alteration_type", "mechanism", "predicate",
                              "direction", "therapy", "therapy_ids", "timing", "evidence", "section", "refs"]
    rows = {r[0]: dict(zip(result.columns, r)) for r in result.rows}
    s17 = next(r for r in rows.values() if r["alteration"] == "C797S+T790M" and r["therapy"] == "EGFR tyrosine kinase inhibitor")
    assert s17["gene"] == "EGFR" and s17["hgnc_id"] == "HGNC:3236" and s17["predicate"] == "resistance"
    g796r = next(r for r in rows.values() if r["alteration"] == "G796R")
    assert g796r["therapy"] == "osimertinib" and "CHEBI:90943" in g796r["therapy_ids"].split("|")
    assert g796r["section"] == "2.1.1" and set(g796r["refs"].split("|")) == {"33", "34"}


def test_query_cli_formats(reasoned, in_dist, capsys):
    in_dist(reasoned)
    assert cli.main(["query", "cq09-kras-g12c-share", "--format", "tsv"]) == 0
    assert capsys.readouterr().out == "measure\tlow\tunit\nprevalence\t45\tpercent\n"
    assert cli.main(["query", "cq09-kras-g12c-share", "--format", "json"]) == 0
    assert '"value": "45"' in capsys.readouterr().out
    assert cli.main(["query", "cq09-kras-g12c-share", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "prevalence,45,percent"
    assert cli.main(["query", "no-such-query"]) == 2
    assert cli.main(["export", "strategies"]) == 0
    assert capsys.readouterr().out.startswith("strategy\tlabel\ttherapy")


def test_query_catalogue_follows_the_sib_pattern(tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from nscr import paths
    from nscr.validate import load_shapes, validate_graph
    shapes = load_shapes(paths.ROOT / "shapes" / "queries-shapes.ttl")
    graph = queries.catalogue_graph()
    report = validate_graph(graph, shapes)
    assert report.conforms, report.text()
    assert report.targets == len(queries.catalogue())
    cq = URIRef("https://w3id.org/nscr/query/cq/cq09-kras-g12c-share")
    assert (cq, RDFS.comment, Literal("What share of the KRAS mutations found in NSCLC is G12C?", lang="en")) in graph
    graph.remove((cq, RDFS.comment, None))
    assert not validate_graph(graph, shapes).conforms
