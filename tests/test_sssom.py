"""dist/mappings/nscr.sssom.tsv: validated by the `sssom` package against the SSSOM schema, one row per
skos mapping of the graph, with the snapshot file and the kind of match as justification."""
from __future__ import annotations

import csv

import pytest
from rdflib import Literal, URIRef

from nscr import paths, releaseinfo, sssom
from nscr.prefixes import expand


def table(dist):
    with open(dist / sssom.PATH, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = [line[1:] for line in lines if line.startswith("#")]
    rows = list(csv.DictReader([line for line in lines if line and not line.startswith("#")], delimiter="\t"))
    return header, rows


def by_pair(rows):
    return {(r["subject_id"], r["object_id"]): r for r in rows}


def test_the_sssom_package_validates_the_file(dist):
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate
    msdf = parse_sssom_table(dist / sssom.PATH)
    checks = [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness,
              SchemaValidationType.StrictCurieFormat]
    reports = validate(msdf, checks, fail_on_error=False)
    assert {check.value: [r.message for r in report.results][:3] for check, report in reports.items()} == \
        {check.value: [] for check in checks}
    assert len(msdf.df) == len(table(dist)[1]) > 600
    assert msdf.metadata["mapping_set_id"].startswith("https://w3id.org/nscr/")
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_metadata_block_takes_its_date_and_version_from_the_release_input(dist):
    header, _ = table(dist)
    release = releaseinfo.load()
    assert f'mapping_date: "{release.date}"' in header and f'mapping_set_version: "{release.version}"' in header
    assert header[0] == "curie_map:" and '  semapv: "https://w3id.org/semapv/vocab/"' in header


def test_one_row_per_skos_mapping_of_the_graph_with_its_predicate(dist, graph):
    _, rows = table(dist)
    assert {(r["subject_id"], r["predicate_id"], r["object_id"]) for r in rows} == sssom.mapped_subjects(graph)
    assert len(by_pair(rows)) == len(rows)  # never two predicates for one pair


def test_every_gene_family_and_drug_with_an_identifier_is_mapped(dist, graph):
    _, rows = table(dist)
    subjects = {r["subject_id"] for r in rows}
    for kind in ("Gene", "GeneFamily", "Drug"):
        for node in graph.subjects(expand("rdf:type"), expand(f"nscr:{kind}")):
            has_ids = any(graph.objects(node, expand("skos:exactMatch"))) or any(graph.objects(node, expand("skos:closeMatch")))
            assert has_ids == (f"nscr:{str(node)[len('https://w3id.org/nscr/'):]}" in subjects), node


def test_rows_name_the_snapshot_file_and_how_the_match_was_made(dist):
    _, rows = table(dist)
    rows = by_pair(rows)
    egfr = rows[("nscr:gene/EGFR", "hgnc:3236")]
    assert (egfr["subject_label"], egfr["object_label"], egfr["mapping_justification"], egfr["confidence"]) == \
        ("EGFR", "EGFR", "semapv:LexicalMatching", "0.95")
    assert egfr["comment"].startswith("data/reference/hgnc.tsv")
    uniprot = rows[("nscr:gene/EGFR", "uniprot:P00533")]
    assert (uniprot["predicate_id"], uniprot["mapping_justification"]) == \
        ("skos:closeMatch", "semapv:BackgroundKnowledgeBasedMatching")
    # osimertinib: ChEBI by its ChEBI name, PubChem through ChEBI's cross-reference (chebi_pubchem.tsv)
    chebi = rows[("nscr:drug/osimertinib", "CHEBI:90943")]
    assert chebi["mapping_justification"] == "semapv:LexicalMatching" and "data/reference/chebi.tsv" in chebi["comment"]
    pubchem = rows[("nscr:drug/osimertinib", "pubchem.compound:71496458")]
    assert pubchem["mapping_justification"] == "semapv:MappingChaining"
    assert "chebi_pubchem.tsv" in pubchem["comment"] and "CHEBI:90943" in pubchem["comment"]
    nsclc = rows[("MONDO:0005233", "DOID:3908")]
    assert nsclc["subject_label"] == "non-small cell lung carcinoma" and "mondo.tsv" in nsclc["comment"]
    assert rows[("MONDO:0005233", "NCIT:C2926")]["object_label"] == "Lung Non-Small Cell Carcinoma"
    assert rows[("nscr:family/FGFR", "fplx:FGFR")]["mapping_justification"] == "semapv:ManualMappingCuration"
    for row in rows.values():
        assert (paths.REFERENCE / row["comment"].split()[0].removeprefix("data/reference/")).is_file(), row
        assert row["mapping_justification"] in sssom.JUSTIFICATION.values()
        if "drug_xrefs.tsv" in row["comment"] and row["mapping_justification"] != "semapv:LexicalMatching":
            assert "CC BY-NC 4.0" in row["comment"], row  # the DrugBank-derived links carry their licence note


def test_a_pubchem_cid_without_inchikey_agreement_is_only_a_close_match(dist):
    agreed = {(r["chebi_id"], r["pubchem_cid"]): r["inchikey_match"] == "yes"
              for r in csv.DictReader(open(paths.REFERENCE / "chebi_pubchem.tsv", encoding="utf-8"), delimiter="\t")}
    _, rows = table(dist)
    pubchem = [r for r in rows if r["object_id"].startswith("pubchem.compound:")]
    assert pubchem and {r["predicate_id"] for r in pubchem} == {"skos:exactMatch", "skos:closeMatch"}
    for r in pubchem:
        chebi = r["comment"].split("cross-reference of ")[1].split(";")[0]
        assert agreed[(chebi, r["object_id"].split(":")[1])] == (r["predicate_id"] == "skos:exactMatch"), r


def test_the_graph_carries_each_mapping_as_an_obo_dbxref_too(dist, graph):
    _, rows = table(dist)
    xref = expand("oboInOwl:hasDbXref")
    for r in rows:
        subject = expand(r["subject_id"])
        assert (subject, xref, Literal(r["object_id"])) in graph, r
    assert len(set(graph.triples((None, xref, None)))) == len(rows)


def test_a_mapping_without_a_route_is_refused(graph):
    node = URIRef("https://w3id.org/nscr/gene/EGFR")
    with pytest.raises(ValueError, match="no route"):
        sssom.rows(graph, [(node, expand("skos:exactMatch"), expand("hgnc:3236"), "EGFR", None)])
