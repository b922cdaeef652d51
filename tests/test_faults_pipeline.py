"""Fault injection, bad bytes and the staged release: each bad byte in a table is named with file, row
and field; a failure in any step after the build leaves the published dist/ byte-identical; every
artefact parses back with a second parser; CLI mistakes get plain messages."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from nscr import cli, paths, release
from nscr.serialize import all_formats

from faults import run_fails, set_cell, snapshot, where

BYTES = {  # name: (bytes put in the summary of egfr-f01, text the error holds, row+field named)
    "Latin-1 byte": (b"caf\xe9", "byte 0xE9, which is not UTF-8", True),
    "escape": (b"a\x1bb", "escape character", True),
    "NUL": (b"a\x00b", "NUL byte", True),
    "U+FFFE": ("a\ufffeb".encode(), "U+FFFE", True),
    "U+FFFF": ("a\uffffb".encode(), "U+FFFF", True),
    "lone surrogate (CESU bytes)": (b"a\xed\xa0\x80b", "not UTF-8", True),
    "vertical tab": (b"a\x0bb", "vertical tab", True),
    "form feed": (b"a\x0cb", "form feed", True),
    "CR inside a cell": (b"a\rb", "carriage return", True),
    "C0 0x01": (b"a\x01b", "U+0001", True),
}
FILE_FAULTS = {  # name: (rewrite of the whole file, text the error holds, row named)
    "BOM": (lambda b: b"\xef\xbb\xbf" + b, "byte-order mark", 1),
    "CR LF line ends": (lambda b: b.replace(b"\n", b"\r\n"), "CR LF", 1),
    "classic Mac CR line ends": (lambda b: b.replace(b"\n", b"\r"), "classic Mac", 1),
    "binary file": (lambda b: bytes(range(256)) * 8, "binary file", None),
}


@pytest.mark.parametrize("case", BYTES, ids=list(BYTES))
def test_a_bad_byte_is_named_with_file_row_and_field(scratch, capsys, case):
    curation, dist = scratch
    bad, text, _ = BYTES[case]
    path = curation / "egfr" / "figures.tsv"
    row = set_cell(path, "egfr-f01", "summary", "MARKER summary of the prevalence figure")
    path.write_bytes(path.read_bytes().replace(b"MARKER", bad))
    run_fails(capsys, dist, "bytes", where(path, row, "summary"), text)


@pytest.mark.parametrize("case", FILE_FAULTS, ids=list(FILE_FAULTS))
def test_a_bad_file_is_named(scratch, capsys, case):
    curation, dist = scratch
    rewrite, text, row = FILE_FAULTS[case]
    path = curation / "egfr" / "figures.tsv"
    path.write_bytes(rewrite(path.read_bytes()))
    run_fails(capsys, dist, "bytes", where(path, row, None) + ":", text)


def test_the_serialisers_refuse_a_character_rdf_xml_cannot_carry():
    g = Graph()
    g.add((URIRef("https://w3id.org/nscr/x"), URIRef("https://w3id.org/nscr/p"), Literal("a\x1bb")))
    with pytest.raises(ValueError, match="U\\+001B"):
        all_formats(g)


def test_odd_but_legal_text_survives_every_format():
    """Characters a careless writer gets wrong (quotes, backslash, DEL, C1, U+2028, astral) parse back."""
    import pyoxigraph as ox
    text = 'q"uote \\ back \x7f del \x85 nel \u2028 ls <tag> & amp \U0001F600 \u00e9'
    g = Graph()
    g.add((URIRef("https://w3id.org/nscr/x"), URIRef("https://w3id.org/nscr/p"), Literal(text, lang="en")))
    for ext, data in all_formats(g).items():
        fmt = {"ttl": "turtle", "owl": "xml", "jsonld": "json-ld", "nt": "nt"}[ext]
        assert {str(o) for o in Graph().parse(data=data, format=fmt).objects()} == {text}, ext
        oxfmt = {"ttl": ox.RdfFormat.TURTLE, "owl": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
                 "nt": ox.RdfFormat.N_TRIPLES}[ext]
        assert [t.object.value for t in ox.parse(data, format=oxfmt)] == [text], ext


@pytest.mark.reasoner
def test_every_artefact_parses_back_with_a_second_parser(reasoned):
    """rdflib and pyoxigraph read every RDF file of the release; owlready2 reads the RDF/XML."""
    import owlready2
    import pyoxigraph as ox
    files = sorted(p for p in reasoned.rglob("*") if p.suffix in (".ttl", ".nt", ".owl", ".jsonld"))
    assert {p.name for p in files} >= {"nscr.ttl", "nscr.nt", "nscr.owl", "nscr.jsonld", "nscr-inferred.ttl",
                                       "queries.ttl", "hgnc-slice.nt", "void.ttl", "upstream.owl"} | \
        {f"nscr-{kind}.{ext}" for kind in ("base", "ontology", "full") for ext in ("ttl", "owl", "jsonld", "nt")}
    for path in files:
        fmt = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".jsonld": "json-ld"}[path.suffix]
        n = len(Graph().parse(path, format=fmt))
        oxfmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".owl": ox.RdfFormat.RDF_XML,
                 ".jsonld": ox.RdfFormat.JSON_LD}[path.suffix]
        assert len(set(ox.parse(path=str(path), format=oxfmt))) == n, path.name
    onto = owlready2.World().get_ontology((reasoned / "nscr.owl").as_uri()).load()
    assert len(list(onto.classes())) > 50
    # every other RDF/XML file too; base's owl:imports is found in imports/ as catalog-v001.xml says
    owlready2.onto_path.append(str(reasoned / "imports"))
    try:
        for name in ("nscr-base.owl", "nscr-ontology.owl", "nscr-full.owl", "imports/upstream.owl"):
            world = owlready2.World()
            onto = world.get_ontology((reasoned / name).as_uri()).load()
            assert len(list(world.classes())) > 50 if name.startswith("nscr") else len(list(onto.classes())) > 10, name
            if name == "nscr-base.owl":
                assert [o.base_iri for o in onto.imported_ontologies] == ["https://w3id.org/nscr/imports/upstream#"]
    finally:
        owlready2.onto_path.remove(str(reasoned / "imports"))


def _published(tmp_path, monkeypatch):
    """A real release published by `nscr run` (build, validate) into tmp_path/dist."""
    dist = tmp_path / "dist"
    monkeypatch.setattr(paths, "DIST", dist)
    code, _ = release.run(("build", "validate"), spawn=False, dist=dist)
    assert code == 0
    return dist


def test_a_failure_in_each_later_step_leaves_dist_byte_identical(tmp_path, monkeypatch, capsys):
    """validate (a shape), qc (an ERROR check) and answer (a broken query) each fail after a good build."""
    dist = _published(tmp_path, monkeypatch)
    before = snapshot(dist)
    assert before["nscr.ttl"].startswith(b"@prefix") and before["<link>"].startswith(b".dist-releases/r-")
    faults = {"validate": ("statements", "refs", "999"), "qc": ("figures", "summary", "Prevalence  of EGFR drivers.")}
    import shutil
    copy = tmp_path / "curation"
    for step, (table, column, value) in faults.items():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(paths.ROOT / "data" / "curation", copy)
        monkeypatch.setattr(paths, "CURATION", copy)
        file, key = {"statements": ("egfr/statements.tsv", "egfr-s02"), "figures": ("egfr/figures.tsv", "egfr-f01")}[table]
        row = set_cell(copy / file, key, column, value)
        steps = ("build", "validate", "qc") if step == "qc" else ("build", "validate")
        if step == "qc":
            steps = ("build", "qc")  # the shapes would stop it first; the QC check must do it alone
        run_fails(capsys, dist, "staging", where(copy / file, row, column), f"`nscr {step}` failed", steps=steps)
        assert snapshot(dist) == before
    monkeypatch.setattr(paths, "CURATION", paths.ROOT / "data" / "curation")
    monkeypatch.setattr(paths, "SPARQL", tmp_path / "sparql")
    shutil.copytree(paths.ROOT / "sparql", tmp_path / "sparql")
    (tmp_path / "sparql" / "cq" / "cq01-broken.rq").write_text("# question: broken?\nSELECT ?x WHERE { ?x ?y \n")
    code, results = release.run(("build", "answer"), spawn=False, dist=dist)
    assert code != 0 and results[-1].step == "answer"
    assert snapshot(dist) == before and not list(release.releases_dir(dist).glob(".stage-*"))


def test_a_run_that_passes_swaps_the_link_and_keeps_the_previous_release(tmp_path, monkeypatch, capsys):
    dist = _published(tmp_path, monkeypatch)
    first = dist.resolve()
    code, _ = release.run(("build",), spawn=False, dist=dist)
    assert code == 0 and dist.resolve() != first and first.is_dir()
    assert (dist / "nscr.ttl").read_bytes() == (first / "nscr.ttl").read_bytes()  # deterministic
    release.run(("build",), spawn=False, dist=dist)
    assert not first.exists()  # only the current release and the one before are kept


def test_a_stale_staging_folder_of_a_dead_run_is_removed(tmp_path):
    releases = tmp_path / ".dist-releases"
    (releases / ".stage-999999999").mkdir(parents=True)
    release.clean_stale(releases)
    assert not (releases / ".stage-999999999").exists()


def test_a_legacy_dist_folder_becomes_a_release(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "nscr.ttl").write_text("old\n")
    stage = release.releases_dir(dist) / ".stage-1"
    stage.mkdir(parents=True)
    (stage / "nscr.ttl").write_text("new\n")
    release.publish(stage, dist)
    assert dist.is_symlink() and (dist / "nscr.ttl").read_text() == "new\n"
    assert any((p / "nscr.ttl").read_text() == "old\n" for p in release.releases_dir(dist).glob("r-legacy-*"))


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_empty_graph_does_not_conform(tmp_path, capsys):
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    code, _, err = run(capsys, "validate", str(empty))
    assert code == 1 and "holds no triples; an empty graph does not conform" in err
    foreign = tmp_path / "foreign.nt"
    foreign.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    code, _, err = run(capsys, "validate", str(foreign))
    assert code == 1 and "holds no node the shapes apply to" in err


@pytest.mark.parametrize("argv,message", [
    (["query", "cq13", "--param", "drug"], "--param takes NAME=VALUE"),
    (["query", "cq13", "--param", "drug=nscr:drug/afatinib", "--param", "drug=nscr:drug/gefitinib"],
     "--param drug is given twice"),
])
def test_parameter_mistakes_get_plain_messages(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.strip() == f"error: {message}" + err.strip().split(message, 1)[1]
    assert "Traceback" not in err and "dictionary update" not in err


@pytest.mark.reasoner
def test_reason_on_another_file_writes_next_to_it_never_over_the_release(reasoned, tmp_path, capsys, in_dist):
    in_dist(reasoned)
    release_inferred = (reasoned / "nscr-inferred.ttl").read_bytes()
    other = tmp_path / "other.owl"
    other.write_bytes((reasoned / "nscr.owl").read_bytes())
    code, out, _ = run(capsys, "reason", str(other))
    assert code == 0 and (tmp_path / "other-inferred.ttl").is_file()
    assert (reasoned / "nscr-inferred.ttl").read_bytes() == release_inferred
    code, _, err = run(capsys, "reason", str(other), "--out", str(other))
    assert code == 2 and "would overwrite" in err


def test_steps_that_read_only_earlier_outputs_are_grouped_in_order():
    assert release.groups_of(release.STEPS) == [("build",), ("validate", "reason"), ("qc", "answer", "full"),
                                                ("figures", "docs"), ("htmldocs",)]
    assert release.groups_of(("build", "qc")) == [("build",), ("qc",)]
    assert release.groups_of(("build", "reason", "qc", "answer")) == [("build",), ("reason",), ("qc", "answer")]


def test_a_failure_in_a_step_run_side_by_side_publishes_nothing(tmp_path, monkeypatch, capsys):
    """validate and reason run at the same time in child processes; a shape violation in validate stops the
    run after the group, names file, row and field, and leaves dist as it was."""
    import shutil
    dist = _published(tmp_path, monkeypatch)
    before = snapshot(dist)
    copy = tmp_path / "curation"
    shutil.copytree(paths.ROOT / "data" / "curation", copy)
    monkeypatch.setattr(paths, "CURATION", copy)
    row = set_cell(copy / "egfr/statements.tsv", "egfr-s02", "refs", "999")
    code, results = release.run(("build", "validate", "reason"), spawn=True, dist=dist)
    out = capsys.readouterr()
    assert code != 0 and [r.step for r in results] == ["build", "validate", "reason"]
    assert results[1].code != 0 and results[2].code == 0  # reason ran beside validate and passed
    assert where(copy / "egfr/statements.tsv", row, "refs") in out.out + out.err
    assert "== validate" in out.out and "== reason" in out.out and "`nscr validate` failed" in out.err
    assert snapshot(dist) == before and not list(release.releases_dir(dist).glob(".stage-*"))
    assert release.wall(results) < sum(r.seconds for r in results)
