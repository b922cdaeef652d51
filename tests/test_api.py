"""The Python API (nscr.load, nscr.query) on the real release: the same answers as `nscr query` and the
competency questions' expected answers, through the same parameter binding, with plain errors."""
from __future__ import annotations

import pyoxigraph
import pytest

import nscr
from nscr import cli, queries


@pytest.fixture(scope="module")
def store(reasoned):
    return nscr.load(reasoned)


def test_load_gives_a_store_holding_the_release_and_the_inferences(store, reasoned):
    assert isinstance(store, pyoxigraph.Store)
    inferred = list(pyoxigraph.parse(path=str(reasoned / "nscr-inferred.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    asserted = pyoxigraph.Store()
    asserted.bulk_load(path=str(reasoned / "nscr.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert inferred and all(pyoxigraph.Quad(t.subject, t.predicate, t.object) in store for t in inferred[:200])
    assert len(store) >= len(asserted) and any(pyoxigraph.Quad(t.subject, t.predicate, t.object) not in asserted
                                               for t in inferred)


def test_a_competency_question_gives_its_expected_rows(store):
    query = queries.get("cq01")
    columns, expected = queries.read_expected(query)
    rows = nscr.query("cq01", store=store)
    assert rows and all(list(r) == columns for r in rows)
    assert sorted([r[c] or "" for c in columns] for r in rows) == sorted(expected)


def test_parameters_are_bound_as_the_cli_binds_them(store, reasoned, in_dist, capsys):
    in_dist(reasoned)
    assert cli.main(["query", "cq13", "--param", "drug=nscr:drug/afatinib", "--format", "tsv"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    rows = nscr.query("cq13", drug="nscr:drug/afatinib")  # no store: dist/'s release, loaded by the API
    assert [[r[c] for c in header.split("\t")] for r in rows] == [line.split("\t") for line in lines]
    assert {r["drug_class"] for r in rows} != {r["drug_class"] for r in nscr.query("cq13", store=store)}
    same = nscr.query("cq13", store=store, drug=pyoxigraph.NamedNode("https://w3id.org/nscr/drug/afatinib"))
    assert same == nscr.query("cq13", store=store, drug="https://w3id.org/nscr/drug/afatinib") == rows


def test_terms_gives_pyoxigraph_terms_and_a_file_path_works(store, tmp_path):
    rows = nscr.query("cq13", store=store, terms=True)
    assert rows and all(isinstance(v, (pyoxigraph.NamedNode, pyoxigraph.Literal)) for r in rows for v in r.values())
    ask = tmp_path / "any-gene.rq"
    ask.write_text("ASK { ?g a <https://w3id.org/nscr/Gene> }\n", encoding="utf-8")
    assert nscr.query(str(ask), store=store) == [{"answer": True}]
    ask.write_text("ASK { ?g a <https://w3id.org/nscr/NoSuchClass> }\n", encoding="utf-8")
    assert nscr.query(str(ask), store=store) == [{"answer": False}]


def test_unknown_names_parameters_and_values_are_plain_errors(store):
    with pytest.raises(ValueError, match=r"^no stored query named 'cq13-drugs'; candidates: cq/cq13-drug-classes"):
        nscr.query("cq13-drugs", store=store)
    with pytest.raises(ValueError, match=r"^cq/cq13-drug-classes-of-a-drug has no parameter 'drg' \(it takes: drug\)$"):
        nscr.query("cq13", store=store, drg="nscr:drug/afatinib")
    with pytest.raises(ValueError, match=r"^parameter drug: 'nope:x' is neither an IRI nor a CURIE"):
        nscr.query("cq13", store=store, drug="nope:x")
    with pytest.raises(TypeError, match=r"^parameter drug: give a string"):
        nscr.query("cq13", store=store, drug=3)
    with pytest.warns(UserWarning, match=r"parameter drug: <https://w3id.org/nscr/drug/nothing> names nothing"):
        assert nscr.query("cq13", store=store, drug="nscr:drug/nothing") == []


def test_a_folder_without_a_release_says_to_run_make_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make run`"):
        nscr.load(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="nscr.nt missing"):
        nscr.load(tmp_path)


def test_no_stored_query_has_a_parameter_the_api_keeps_for_itself():
    """query()'s own keywords (store, terms) cannot also be a query's parameter names."""
    assert not {p.name for q in queries.catalogue() for p in q.params} & {"store", "terms"}
    assert set(nscr.__all__) == {"load", "query"} and nscr.load.__doc__ and nscr.query.__doc__
