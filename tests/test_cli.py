"""The command line: query names, files and parameters, --list, --version, lookup, export, and
errors that say what to do in one line (never a class name or a traceback), quiet under `| head`."""
from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from nscr import cli, paths, queries

FIXTURES = Path(__file__).parent / "fixtures"
MENTIONS = FIXTURES / "mentions.ttl"


@pytest.fixture
def here(reasoned, in_dist):
    """The CLI pointed at the test build (dist/ with the reasoner's output)."""
    return in_dist(reasoned)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def nscr(*argv, dist: Path | None = None, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, **({"NSCR_DIST": str(dist)} if dist else {}))
    return subprocess.run([sys.executable, "-m", "nscr.cli", *argv], env=env, capture_output=True, text=True, **kw)


# --- version and listing ------------------------------------------------------------------

def test_version_prints_the_package_version_and_exits_0(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"nscr {version('nscr')}\n"
    proc = nscr("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"nscr {version('nscr')}\n", "")


def test_list_shows_name_question_and_each_parameter_with_kind_and_default(capsys):
    code, out, err = run(capsys, "query", "--list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    i = lines.index("cq/cq01-egfr-mutations-resisting-osimertinib\tWhich EGFR mutations (single or compound) does the "
                    "review name as causes of resistance to osimertinib itself?")
    assert lines[i + 1:i + 3] == ["    drug (iri, default nscr:drug/osimertinib): the drug the mutations resist",
                                  "    gene (iri, default nscr:gene/EGFR): the gene (or gene family) the alterations lie in"]
    assert "    hgnc_endpoint (iri, default http://127.0.0.1:7879/query): SPARQL endpoint serving the HGNC slice " \
           "(make serve-hgnc)" in lines
    names = [line.split("\t")[0] for line in lines if not line.startswith(" ")]
    assert names == [q.name for q in queries.catalogue()]


def test_query_help_explains_names_files_and_parameters(capsys):
    with pytest.raises(SystemExit):
        cli.main(["query", "--help"])
    text = capsys.readouterr().out
    for needed in ("nscr query cq/cq01", "path/to/my-query.rq", "# parameters", "--param NAME=VALUE", "nscr query --list"):
        assert needed in text


# --- naming a query -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["cq/cq09", "cq09", "cq09-kras", "cq09-kras-g12c-share", "cq/cq09-kras-g12c-share"])
def test_short_names_run_the_query(here, capsys, name):
    assert run(capsys, "query", name, "--format", "tsv") == (0, "measure\tlow\tunit\nprevalence\t45\t%\n", "")


def test_ambiguous_or_unknown_name_lists_candidates_in_one_line(here, capsys):
    code, out, err = run(capsys, "query", "cq0")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: 'cq0' is ambiguous: it could be cq/cq01-egfr-mutations-resisting-osimertinib, ")
    code, out, err = run(capsys, "query", "cq/cq99")
    assert code == 2 and err.count("\n") == 1 and "no cq query named 'cq/cq99'; candidates: cq/cq01" in err
    code, _, err = run(capsys, "query", "one-lable")
    assert code == 2 and "candidates: qc/one-label" in err


def test_any_rq_file_runs_by_relative_or_absolute_path(here, tmp_path, capsys, monkeypatch):
    text = ('# param: change literal the protein change\n'
            'PREFIX nscr: <https://w3id.org/nscr/>\nSELECT ?low WHERE {\n  VALUES ?change { "G12C" }  # parameters\n'
            '  ?f nscr:lowValue ?low ; <http://purl.obolibrary.org/obo/IAO_0000136>/nscr:proteinChange ?change .\n}\n')
    (tmp_path / "mine.rq").write_text(text, encoding="utf-8")
    assert run(capsys, "query", str(tmp_path / "mine.rq"), "--format", "tsv") == (0, "low\n45\n", "")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "query", "mine.rq", "--format", "tsv") == (0, "low\n45\n", "")
    assert run(capsys, "query", "./mine.rq", "--param", "change=NOPE", "--format", "tsv") == (0, "low\n", "")
    code, _, err = run(capsys, "query", "mine.rq", "--param", "drug=x")
    assert code == 2 and "has no parameter 'drug' (it takes: change)" in err
    code, _, err = run(capsys, "query", "missing.rq")
    assert (code, err) == (2, "error: missing.rq: no such query file\n")


def test_a_stored_query_file_path_gives_the_stored_answer(here, capsys):
    path = paths.SPARQL / "cq" / "cq13-drug-classes-of-a-drug.rq"
    assert run(capsys, "query", str(path), "--format", "tsv") == run(capsys, "query", "cq13", "--format", "tsv")


def test_bad_files_are_one_line_naming_the_file(here, tmp_path, capsys):
    bad = tmp_path / "broken.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?p }\n", encoding="utf-8")
    code, _, err = run(capsys, "query", str(bad))
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"error: {bad} is not valid SPARQL: ")
    bad.write_text("# select what?\nDELETE WHERE { ?s ?p ?o }\n", encoding="utf-8")
    for endpoint in ([], ["--endpoint", "http://127.0.0.1:9/query"]):  # refused before anything is sent
        code, _, err = run(capsys, "query", str(bad), *endpoint)
        assert (code, err) == (2, f"error: {bad}: not a SPARQL query: after its PREFIX lines it must start with "
                                  "SELECT, ASK, CONSTRUCT or DESCRIBE, not 'DELETE'\n")
    bad.write_text("# param: drug iri the drug\nSELECT ?x WHERE { ?x ?p ?drug }\n", encoding="utf-8")
    code, _, err = run(capsys, "query", str(bad))
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"error: {bad}: the header declares parameter(s) drug")


# --- parameters -------------------------------------------------------------------------------

def test_an_iri_naming_nothing_warns_but_runs(here, capsys):
    code, out, err = run(capsys, "query", "cq13", "--param", "drug=nscr:drug/osimertinibb", "--format", "tsv")
    assert code == 0 and out == "drug_class\n"
    assert err.startswith("warning: parameter drug: <https://w3id.org/nscr/drug/osimertinibb> names nothing in the graph")
    assert err.count("\n") == 1
    code, out, err = run(capsys, "query", "cq13", "--param", "drug=nscr:drug/afatinib", "--format", "tsv")
    assert code == 0 and err == "" and "second-generation EGFR TKI" in out


@pytest.mark.parametrize("pair, message", [("drug", "--param takes NAME=VALUE"), ("=x", "--param takes NAME=VALUE"),
                                            ("drug=<https://x> } DROP ALL {", "parameter drug:"),
                                            ("drug=nope:x", "neither an IRI nor a CURIE with a known prefix")])
def test_bad_param_is_one_line_and_exit_2(here, capsys, pair, message):
    code, out, err = run(capsys, "query", "cq13", "--param", pair)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_hostile_literal_through_the_cli_changes_nothing(here, capsys):
    before = len(queries.store())
    code, out, err = run(capsys, "query", "cq20", "--param", 'written=axitinib"\n} # parameters\nSELECT * {', "--format", "tsv")
    assert (code, out, err) == (0, "fact\twritten\tstart\tread_as\n", "")
    assert len(queries.store()) == before


# --- export -----------------------------------------------------------------------------------

def test_export_takes_any_query_under_sparql_export(here, tmp_path, capsys, monkeypatch):
    shutil_copy = __import__("shutil").copytree
    shutil_copy(paths.SPARQL, tmp_path / "sparql")
    (tmp_path / "sparql" / "export" / "drug-labels.rq").write_text(
        "# question: Every drug with its label.\nPREFIX nscr: <https://w3id.org/nscr/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { ?d a nscr:Drug ; rdfs:label ?label } ORDER BY ?label\n", encoding="utf-8")
    monkeypatch.setattr(paths, "SPARQL", tmp_path / "sparql")
    code, out, err = run(capsys, "export", "drug-labels", "--format", "csv")
    assert code == 0 and err == "" and out.startswith("label\n") and "\nosimertinib\n" in out
    code, out, _ = run(capsys, "export", "strat")
    assert code == 0 and out.startswith("strategy\tiri\tlabel\ttherapy")
    code, _, err = run(capsys, "export", "cq01")
    assert code == 2 and "no export query named 'cq01'; candidates: export/alterations, export/drug-labels" in err
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    assert "drug-labels, drugs, families" in capsys.readouterr().out


# --- lookup -----------------------------------------------------------------------------------

def test_lookup_finds_an_entity_by_label_case_insensitively(here, capsys):
    code, out, err = run(capsys, "lookup", "OSIMERTINIB")
    assert code == 0 and err == ""
    first = out.splitlines()[0].split("\t")
    assert first[:3] == ["nscr:drug/osimertinib", "osimertinib", "rdfs:label"]
    assert {"nscr:Drug", "nscr:ThirdGenerationEGFRTKI"} <= set(first[3].split(" "))  # asserted and inferred types
    assert "interpreted mentions" not in out


def test_lookup_exact_first_then_contains(here, capsys):
    code, out, _ = run(capsys, "lookup", "egfr")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == ["nscr:gene/EGFR", "hgnc:3236"]
    code, out, _ = run(capsys, "lookup", "egfr", "--contains")
    found = [line.split("\t")[0] for line in out.splitlines()]
    assert found[:2] == ["nscr:gene/EGFR", "hgnc:3236"] and "nscr:alteration/EGFR-C797S" in found[2:]


def test_lookup_of_nothing_is_exit_1(here, capsys):
    code, out, err = run(capsys, "lookup", "no such entity")
    assert (code, out) == (1, "") and err == "no label matches 'no such entity'; --contains matches parts of labels\n"


def test_lookup_reads_a_given_graph_and_its_synonyms(capsys):
    code, out, _ = run(capsys, "lookup", "tagrisso", "--graph", str(MENTIONS))
    assert (code, out) == (0, "nscr:drug/osimertinib\tTagrisso\tskos:altLabel\tnscr:Drug owl:NamedIndividual\n")


def test_a_mention_is_never_a_label_match(capsys):
    """The misprint "osimertinb" is a mention's written form (and the mention's own label): label
    lookup finds nothing, and only --mentions shows what it is read as, and where."""
    code, out, err = run(capsys, "lookup", "osimertinb", "--graph", str(MENTIONS))
    assert (code, out) == (1, "") and "no label matches" in err
    code, out, err = run(capsys, "lookup", "Osimertinb", "--graph", str(MENTIONS), "--mentions")
    assert (code, err) == (0, "")
    assert out == "interpreted mentions\nosimertinb\tnscr:drug/osimertinib\t1200-1210\tnscr:mention/m1\n"


def test_lookup_mentions_block_follows_the_labels(capsys):
    code, out, _ = run(capsys, "lookup", "osimertinib", "--graph", str(MENTIONS), "--mentions", "--contains")
    assert code == 0
    assert out == ("nscr:drug/osimertinib\tosimertinib\trdfs:label\tnscr:Drug owl:NamedIndividual\n"
                   "nscr:drug/osimertinib-mesylate\tosimertinib mesylate\trdfs:label\tnscr:Drug owl:NamedIndividual\n"
                   "\ninterpreted mentions\n"
                   "Osimertinib\tnscr:drug/osimertinib\t5000-5011\tnscr:mention/m3\n")
    code, out, _ = run(capsys, "lookup", "amivantamb", "--graph", str(MENTIONS), "--mentions")
    assert out == "interpreted mentions\namivantamb\tnscr:drug/amivantamab\t900-910 3400-3410\tnscr:mention/m2\n"
    code, out, _ = run(capsys, "lookup", "amivantamab", "--graph", str(MENTIONS), "--mentions")
    assert code == 0 and out.endswith("\ninterpreted mentions\n(none)\n")


def test_lookup_graph_errors_are_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "lookup", "x", "--graph", str(tmp_path / "none.ttl"))
    assert (code, err) == (2, f"error: graph file {tmp_path / 'none.ttl'} does not exist\n")
    (tmp_path / "bad.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    code, _, err = run(capsys, "lookup", "x", "--graph", str(tmp_path / "bad.ttl"))
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: a graph file cannot be parsed: ")


# --- errors and pipes -------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["vocab"], ["query", "--list"], ["query", "cq01"], ["export", "statements"],
                                  ["lookup", "egfr", "--contains"], ["--help"]], ids=" ".join)
def test_a_closed_pipe_ends_quietly_with_exit_0(reasoned, argv):
    """`nscr vocab | head`: the reader goes away before nscr writes; no message, exit 0."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte
    try:
        proc = subprocess.run([sys.executable, "-m", "nscr.cli", *argv], stdout=write, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ, NSCR_DIST=str(reasoned)), timeout=120)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_head_reads_the_first_lines_and_nscr_exits_0(reasoned):
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", f"{sys.executable} -m nscr.cli vocab | head -n 2"],
                          capture_output=True, text=True, env=dict(os.environ, NSCR_DIST=str(reasoned)), timeout=120)
    assert proc.returncode == 0 and proc.stderr == "" and len(proc.stdout.splitlines()) == 2


@pytest.mark.parametrize("error, message", [
    (KeyError("drug"), "error: unexpected failure ('drug'); please report it with the command you ran\n"),
    (TypeError(), "error: unexpected failure (no detail); please report it with the command you ran\n"),
    (FileNotFoundError(2, "No such file or directory", "/nowhere/x.nt"), "error: /nowhere/x.nt does not exist\n"),
    (PermissionError(13, "Permission denied", "/root/x"), "error: /root/x: permission denied (check the file's owner and mode)\n"),
    (ValueError("say what to do"), "error: say what to do\n"),
])
def test_unexpected_errors_never_show_a_class_name(capsys, monkeypatch, error, message):
    def boom(args):
        raise error
    monkeypatch.setattr(cli, "cmd_vocab", boom)
    code, out, err = run(capsys, "vocab")
    assert (code, err) == (2, message)
    assert type(error).__name__ not in err and "Traceback" not in err


def test_missing_build_says_to_build(tmp_path, in_dist, capsys):
    in_dist(tmp_path)
    code, _, err = run(capsys, "query", "cq01")
    assert (code, err) == (2, f"error: {tmp_path / 'nscr.nt'} does not exist (run `nscr build` first)\n")

