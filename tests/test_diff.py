"""`nscr diff OLD NEW` on two real builds: the committed curation, and a copy with one statement
changed, one added and one removed."""
from __future__ import annotations

import csv

from conftest import build_into

from nscr import cli, diff


def edit_statements(path):
    """kras-s06's summary changed, kras-s05 removed, kras-s99 added (a copy of kras-s07 with a new key)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, body = rows[0], rows[1:]
    keys = [r[0] for r in body]
    summary = header.index("summary")
    body[keys.index("kras-s06")][summary] = "A changed summary, written for the diff test."
    added = list(body[keys.index("kras-s07")])
    added[0] = "kras-s99"
    body = [r for r in body if r[0] != "kras-s05"] + [added]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join("\t".join(r) + "\n" for r in [header] + body))


def test_diff_of_two_real_builds(curation_copy, tmp_path, capsys):
    dist = build_into(tmp_path / "old")  # from the same copy, so the recorded table paths agree
    edit_statements(curation_copy / "kras" / "statements.tsv")
    new = build_into(tmp_path / "new")
    changes = diff.compare(diff.load(dist), diff.load(new))
    statements = {(c.change, c.iri) for c in changes if c.section == "statement"}
    assert statements == {("added", "nscr:statement/kras-s99"), ("removed", "nscr:statement/kras-s05"),
                          ("changed", "nscr:statement/kras-s06")}
    changed = next(c for c in changes if c.iri == "nscr:statement/kras-s06" and c.section == "statement")
    assert "A changed summary, written for the diff test." in changed.detail and changed.detail.count("->") == 1
    assert not [c for c in changes if c.section != "statement"]  # nor labels: kras-s05's goes with it

    tsv_file = tmp_path / "changes.tsv"
    assert cli.main(["diff", str(dist), str(new / "nscr.ttl"), "--tsv", str(tsv_file)]) == 0
    out = capsys.readouterr().out
    assert "statements: 1 added, 1 removed, 1 changed" in out and "strategies: 0 added, 0 removed, 0 changed" in out
    rows = list(csv.DictReader(open(tsv_file, encoding="utf-8"), delimiter="\t"))
    assert tuple(rows[0]) == diff.COLUMNS
    assert {(r["section"], r["change"], r["iri"]) for r in rows if r["section"] == "statement"} == \
        {("statement", change, iri) for change, iri in statements}


def test_labels_and_identifiers_are_compared_too(graph):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS, SKOS
    new = Graph()
    for t in graph:
        new.add(t)
    egfr = URIRef("https://w3id.org/nscr/gene/EGFR")
    new.remove((egfr, RDFS.label, None))
    new.add((egfr, RDFS.label, Literal("EGFR renamed", lang="en")))
    new.remove((egfr, SKOS.exactMatch, URIRef("https://identifiers.org/hgnc:3236")))
    changes = diff.compare(graph, new)
    assert [(c.section, c.change, c.iri, c.detail) for c in changes] == [
        ("label", "changed", "nscr:gene/EGFR", "'EGFR' -> 'EGFR renamed'"),
        ("identifier", "removed", "nscr:gene/EGFR", "skos:exactMatch hgnc:3236")]
    assert diff.report([], "a", "b").endswith("no statement, strategy, label or identifier changed\n")


def test_a_folder_without_a_release_is_an_error(tmp_path, capsys):
    assert cli.main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert "holds no release graph" in capsys.readouterr().err
    assert cli.main(["diff", str(tmp_path / "absent.ttl"), str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
