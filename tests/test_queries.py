"""Stored queries: competency questions answered as the review says, QC checks pass,
parameters are bound as terms, metadata and prefixes are in order."""
from __future__ import annotations

import re

import pyoxigraph
import pytest

from nscr import cli, paths, queries
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
    # 2.1.1: afatinib is a second-generation EGFR TKI; 2.2.4 lists it among the pan-HER TKIs (46009-46196)
    # and calls it a HER2-targeted inhibitor (48873-49035).
    assert sorted(afatinib) == [["EGFR tyrosine kinase inhibitor"], ["HER2 inhibitor"], ["pan-HER tyrosine kinase inhibitor"],
                                ["second-generation EGFR TKI"]]
    q = queries.get("cq01-egfr-mutations-resisting-osimertinib")
    assert queries.run(q, store, {"drug": "https://w3id.org/nscr/drug/gefitinib"}).rows == []


@pytest.mark.parametrize("hostile", ['EGFR" } ; DROP ALL ; SELECT * { "', "EGFR> } INSERT DATA { <a> <b> <c> } #",
                                     "EGFR\\\" }", "{ } ) ( ?gene"])
def test_hostile_literal_is_bound_as_a_literal(store, hostile):
    q = queries.get("cq20-facts-resting-on-a-misprint")
    before = len(store)
    assert queries.run(q, store, {"written": hostile}).rows == []
    assert len(store) == before
    assert queries.run(q, store, {"written": "sotolacib"}).rows, "the same parameter, harmless, does match"


def test_hostile_iri_is_refused(store):
    q = queries.get("cq01-egfr-mutations-resisting-osimertinib")
    with pytest.raises(ValueError):
        queries.run(q, store, {"drug": "<https://x> } DROP ALL {"})


def test_unknown_parameter_is_an_error(store):
    with pytest.raises(ValueError, match="has no parameter 'nope'"):
        queries.run(queries.get("cq01-egfr-mutations-resisting-osimertinib"), store, {"nope": "x"})


ERROR_CHECKS = [q for q in queries.catalogue("qc") if q.severity == "error"]


@pytest.mark.parametrize("query", ERROR_CHECKS, ids=[q.name for q in ERROR_CHECKS])
def test_error_level_check_finds_nothing(store, query):
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
    assert result.columns == ["statement", "iri", "subject", "subject_kind", "genes", "subject_short_form", "phase",
                              "predicate", "direction", "therapy", "therapy_scope", "concerns_drugs", "timing",
                              "mechanism", "evidence_code", "evidence_stage", "section", "refs", "start", "end", "summary"]
    rows = {r[0]: dict(zip(result.columns, r)) for r in result.rows}
    # 2.1.1 (8116-8250): C797S and T790M in cis resist every EGFR TKI; in trans (7951-8115) third-generation ones
    cis = rows["egfr-s17"]
    assert (cis["subject_short_form"], cis["phase"], cis["genes"], cis["predicate"]) == ("C797S+T790M", "cis", "EGFR", "resistance")
    assert rows["egfr-s15"]["phase"] == "trans"
    g796r = next(r for r in rows.values() if r["subject_short_form"] == "G796R")
    assert g796r["therapy"] == "osimertinib" and g796r["concerns_drugs"] == "osimertinib"
    assert g796r["section"] == "2.1.1" and set(g796r["refs"].split("|")) == {"33", "34"}
    assert g796r["evidence_code"] == "ECO:0000033" and (g796r["start"], g796r["end"]) == ("8367", "8623")


def test_query_cli_formats(reasoned, in_dist, capsys):
    in_dist(reasoned)
    assert cli.main(["query", "cq09-kras-g12c-share", "--format", "tsv"]) == 0
    assert capsys.readouterr().out == "measure\tlow\tunit\nprevalence\t45\t%\n"
    assert cli.main(["query", "cq09-kras-g12c-share", "--format", "json"]) == 0
    assert '"value": "45"' in capsys.readouterr().out
    assert cli.main(["query", "cq09-kras-g12c-share", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "prevalence,45,%"
    assert cli.main(["query", "no-such-query"]) == 2
    assert cli.main(["export", "strategies"]) == 0
    assert capsys.readouterr().out.startswith("strategy\tiri\tlabel\ttherapy")


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


# --- parameters: the defaults live in the file ---------------------------------------------

PARAMETRISED = [q for q in queries.catalogue() if q.params]
RAW_RUNNABLE = [q for q in PARAMETRISED if not q.services]  # a SERVICE default needs the HGNC server


def _unmarked(text: str) -> str:
    """The text without its '# parameters' line: what a query with run-time-only defaults looked like."""
    return "\n".join(line for line in text.splitlines() if not line.rstrip().endswith("# parameters"))


@pytest.mark.parametrize("query", RAW_RUNNABLE, ids=[q.name for q in RAW_RUNNABLE])
def test_raw_file_answers_exactly_like_nscr_query_without_param(store, reasoned, in_dist, capsys, query):
    solutions = store.query(query.path.read_text(encoding="utf-8"))  # the file as a user would send it
    columns = [v.value for v in solutions.variables]
    rows = [[queries.display(s[c]) for c in columns] for s in solutions]
    in_dist(reasoned)
    assert cli.main(["query", query.name, "--format", "tsv"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out == queries.render(queries.Result(columns, rows, []), "tsv")
    assert rows, "the default answer is not empty"


def test_without_the_values_block_the_answers_grow(store):
    """The check above can fail: the defaults restrict the answers (cq01 6x, cq13 12x)."""
    for name in ("cq01", "cq13", "cq08"):
        q = queries.get(name)
        assert len(list(store.query(_unmarked(q.text)))) > len(list(store.query(q.text))), q.name


@pytest.mark.parametrize("query", queries.catalogue(), ids=[q.name for q in queries.catalogue()])
def test_the_tool_sends_the_file_itself_when_no_parameter_is_given(query):
    assert queries.bound_text(query, {}) == query.path.read_text(encoding="utf-8")
    if query.params:
        assert all(p.term is not None for p in query.params), "every stored parameter has a default"
        rebound = queries.bound_text(query, {p.name: p.term.value for p in query.params})
        assert queries.parse_query(rebound, query.name).params == query.params


def test_every_parametrised_query_keeps_its_defaults_in_the_body():
    assert len(PARAMETRISED) >= 11
    for q in PARAMETRISED:
        assert not re.search(r"^# param: \w+ (iri|literal) (https?://|\"|[A-Z0-9.]+$)", q.text, re.M), q.name
        marked = [line for line in q.text.splitlines() if line.rstrip().endswith("# parameters")]
        assert len(marked) == (0 if q.services else 1), q.name


def test_defaults_are_parsed_back_from_the_values_block():
    q = queries.get("cq/cq01")
    assert [(p.name, p.kind, p.default) for p in q.params] == [
        ("drug", "iri", "https://w3id.org/nscr/drug/osimertinib"), ("gene", "iri", "https://w3id.org/nscr/gene/EGFR")]
    assert q.param("drug").description == "the drug the mutations resist"
    assert queries.get("cq08").param("section").default == "2.1.4"


def test_federated_default_endpoint_is_the_service_iri():
    q = queries.get("federation/genes-with-hgnc-names")
    p = q.param("hgnc_endpoint")
    assert (p.default, p.service) == ("http://127.0.0.1:7879/query", True)
    assert "SERVICE ?" not in queries.code_mask(q.text) and "SERVICE <http://127.0.0.1:7879/query>" in q.text
    bound = queries.bound_text(q, {"hgnc_endpoint": "http://127.0.0.1:9/query"})
    assert "SERVICE <http://127.0.0.1:9/query> {" in bound and "7879" not in bound.split("SERVICE", 1)[1].split("\n")[0]
    with pytest.raises(ValueError, match="not a valid IRI"):
        queries.bound_text(q, {"hgnc_endpoint": "http://x> { ?s ?p ?o } #"})


def test_a_parameter_replaces_only_its_own_default(store):
    q = queries.get("cq01")
    bound = queries.bound_text(q, {"gene": "nscr:gene/KRAS"})
    assert ('  VALUES (?drug ?gene) { (<https://w3id.org/nscr/drug/osimertinib> <https://w3id.org/nscr/gene/KRAS>) }'
            '  # parameters\n') in bound
    assert queries.run(q, store, {"gene": "nscr:gene/KRAS"}).rows == []  # osimertinib resistance names no KRAS mutation


def test_parameter_inside_a_subquery_takes_effect(store):
    q = queries.get("cq15")
    assert queries.run(q, store, {}).rows == [["2.1.1", "6277", "6433", "22"]]
    assert queries.run(q, store, {"alteration": "nscr:alteration/EGFR-C797S"}).rows == []


@pytest.mark.parametrize("hostile", ['EGFR"\n} # parameters\nSELECT * { ?s ?p ?o }', 'x") } # parameters',
                                     "EGFR'''\"\"\"", "line\r\nbreak\t\\"])
def test_hostile_literal_stays_one_term_of_one_values_row(store, hostile):
    q = queries.get("cq20")
    bound = queries.bound_text(q, {"written": hostile})
    assert len(bound.splitlines()) == len(q.text.splitlines())
    again = queries.parse_query(bound, "rebound")
    assert again.param("written").term == pyoxigraph.Literal(hostile)
    before = len(store)
    assert queries.run(q, store, {"written": hostile}).rows == []
    assert len(store) == before


def test_typed_default_keeps_its_datatype():
    text = ('# question: q\n# param: n literal a number\nSELECT ?x WHERE {\n'
            '  VALUES ?n { "3"^^<http://www.w3.org/2001/XMLSchema#integer> }  # parameters\n  BIND (?n + 1 AS ?x)\n}\n')
    q = queries.parse_query(text, "typed")
    assert queries.run(q, pyoxigraph.Store(), {"n": "41"}).rows == [["42"]]


BAD_FORMATS = {
    "declared but not in VALUES": ("# question: q\n# param: drug iri d\n# param: gene literal\nSELECT ?x WHERE {\n"
                                   '  VALUES ?drug { <https://w3id.org/nscr/drug/x> }  # parameters\n}\n',
                                   "declares parameter\\(s\\) gene"),
    "in VALUES but not declared": ("# question: q\n# param: drug iri d\nSELECT ?x WHERE {\n"
                                   '  VALUES (?drug ?gene) { (<https://w3id.org/nscr/drug/x> "EGFR") }  # parameters\n}\n',
                                   "binds \\?gene as a parameter but the header"),
    "old header default": ("# question: q\n# param: drug iri https://w3id.org/nscr/drug/x\nSELECT ?x WHERE { }\n",
                           "gives no default for"),
    "prefixed name": ("# question: q\n# param: drug iri d\nPREFIX nscr: <https://w3id.org/nscr/>\nSELECT ?x WHERE {\n"
                      "  VALUES ?drug { nscr:x }  # parameters\n}\n", "write full IRIs"),
    "not after WHERE": ("# question: q\n# param: drug iri d\nSELECT ?x WHERE {\n  ?x ?p ?o .\n"
                        "  VALUES ?drug { <https://w3id.org/nscr/drug/x> }  # parameters\n}\n", "right after the outer WHERE"),
    "two blocks": ("# question: q\n# param: a iri d\nSELECT ?x WHERE {\n  VALUES ?a { <http://a> }  # parameters\n"
                   "  VALUES ?b { <http://b> }  # parameters\n}\n", "2 VALUES blocks"),
    "two rows": ("# question: q\n# param: a iri d\nSELECT ?x WHERE {\n  VALUES ?a { <http://a> <http://b> }  # parameters\n}\n",
                 "exactly one row"),
    "wrong kind": ("# question: q\n# param: a literal d\nSELECT ?x WHERE {\n  VALUES ?a { <http://a> }  # parameters\n}\n",
                   "declared literal but its default"),
    "SERVICE from VALUES": ("# question: q\n# param: e iri d\nSELECT ?x WHERE {\n  VALUES ?e { <http://a/q> }  # parameters\n"
                            "  SERVICE ?e { ?x ?p ?o }\n}\n", "SERVICE \\?e cannot take its endpoint from VALUES"),
}


@pytest.mark.parametrize("case", BAD_FORMATS, ids=list(BAD_FORMATS))
def test_malformed_parameters_are_an_error_naming_the_file(tmp_path, case):
    text, message = BAD_FORMATS[case]
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        queries.parse_query_file(path, "bad")
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_a_marker_inside_a_string_is_not_a_marker():
    text = '# question: q\nSELECT ?x WHERE {\n  BIND ("VALUES ?a { <http://a> }  # parameters" AS ?x)\n}\n'
    assert queries.parse_query(text, "s").block is None


@pytest.mark.parametrize("text, form", [
    ("# copy, insert or delete?\nPREFIX a: <http://a#>  # copy\nSELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("BASE <http://x/> PREFIX : <http://x#> ASK { ?s ?p 'INSERT' }", "ASK"),
    ("prefix x: <http://x>\n# delete\nconstruct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/insert>", "DESCRIBE"),
])
def test_query_form_ignores_comments_strings_and_iris(text, form):
    assert queries.query_form(text) == form


@pytest.mark.parametrize("update", ["INSERT DATA { <a> <b> <c> }", "# select\nDROP ALL", "PREFIX a: <http://a>", ""])
def test_an_update_or_nothing_is_not_a_query(update):
    with pytest.raises(ValueError, match="not a SPARQL query"):
        queries.query_form(update)


def test_names_resolve_by_unique_prefix():
    full = queries.get("cq/cq01-egfr-mutations-resisting-osimertinib")
    for name in ("cq/cq01", "cq01", "cq01-egfr", "cq01-egfr-mutations-resisting-osimertinib"):
        assert queries.get(name).name == full.name
    assert queries.get("one").name == "qc/one-label"
    assert queries.get("stat", kind="export").name == "export/statements"
    with pytest.raises(ValueError, match="ambiguous.*cq/cq10-interpreted-spellings.*cq/cq15-provenance-of-t790m"):
        queries.get("cq1")
    with pytest.raises(ValueError, match="no stored query named 'cq96'; candidates: cq/cq01"):
        queries.get("cq96")
    with pytest.raises(ValueError, match="no export query named 'cq01'; candidates: export/alterations, export/drugs, export/families"):
        queries.get("cq01", kind="export")


def test_catalogue_holds_the_defaults_parsed_from_the_block():
    from rdflib import Literal, URIRef

    from nscr.prefixes import NSCR
    from rdflib.namespace import Namespace
    graph = queries.catalogue_graph()
    node = URIRef("https://w3id.org/nscr/query/cq/cq13-drug-classes-of-a-drug")
    select = str(graph.value(node, Namespace("http://www.w3.org/ns/shacl#").select))
    assert "VALUES ?drug { <https://w3id.org/nscr/drug/osimertinib> }  # parameters" in select
    assert not select.startswith("#") and "# question" not in select
    assert (node, NSCR.queryParameter,
            Literal("drug (iri) = https://w3id.org/nscr/drug/osimertinib: the drug whose classes are asked for")) in graph


def test_every_cookbook_pattern_is_a_stored_query_with_a_checked_answer():
    """docs/QUERYING.md names stored queries; each must exist and carry an expected answer the tests compare."""
    text = (paths.ROOT / "docs" / "QUERYING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(cq/cq\d\d-[a-z0-9-]+)`", text))
    assert len(named) >= 12
    for name in named:
        q = queries.get(name)
        assert q.name == name and q.expected_path.is_file(), name


def test_a_federated_query_names_the_endpoint_it_calls():
    from rdflib import URIRef
    from rdflib.namespace import Namespace
    spex = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
    graph = queries.catalogue_graph()
    federated = URIRef("https://w3id.org/nscr/query/federation/genes-with-hgnc-names")
    assert set(graph.objects(federated, spex.federatesWith)) == {URIRef("http://127.0.0.1:7879/query")}
    cq = URIRef("https://w3id.org/nscr/query/cq/cq13-drug-classes-of-a-drug")
    assert not set(graph.objects(cq, spex.federatesWith))
