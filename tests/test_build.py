"""The build: byte-identical releases, stable IRIs, identifiers only from the reference copy."""
from __future__ import annotations

import csv
import os
import subprocess
import sys

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from nscr import iris, paths, reference
from nscr.individuals import hgvs_protein, reference_iri
from nscr.prefixes import NSCR
from nscr.tables import load_curation


def build_in(folder, seed: str, inferred=None) -> dict[str, bytes]:
    """`nscr build` into folder, then (given the reasoner's output to put beside it) `nscr full`."""
    env = dict(os.environ, PYTHONHASHSEED=seed, NSCR_DIST=str(folder))
    subprocess.run([sys.executable, "-m", "nscr.cli", "build"], check=True, env=env, capture_output=True)
    if inferred is not None:
        (folder / "nscr-inferred.ttl").write_bytes(inferred.read_bytes())
        subprocess.run([sys.executable, "-m", "nscr.cli", "full"], check=True, env=env, capture_output=True)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path, reasoned):
    first = build_in(tmp_path / "a", "1", reasoned / "nscr-inferred.ttl")
    second = build_in(tmp_path / "b", "2", reasoned / "nscr-inferred.ttl")
    assert set(first) >= {"nscr.ttl", "nscr.owl", "nscr.jsonld", "nscr.nt", "gaps.tsv", "stats.tsv", "void.ttl",
                          "context.jsonld", "catalog-v001.xml", "imports/upstream.owl"} | \
        {f"nscr-{kind}.{ext}" for kind in ("base", "ontology", "full") for ext in ("ttl", "owl", "jsonld", "nt")}
    assert first == second


def test_same_key_same_iri_and_changed_key_other_iri():
    assert iris.mint("drug", "osimertinib") == iris.mint("drug", "osimertinib")
    assert iris.mint("drug", "osimertinib") != iris.mint("drug", "gefitinib")
    assert iris.mint("alteration", "EGFR-T790M") == URIRef("https://w3id.org/nscr/alteration/EGFR-T790M")


def test_regimen_iri_ignores_component_order_except_for_sequences():
    assert iris.regimen("combination", ["osimertinib", "gefitinib"]) == iris.regimen("combination", ["gefitinib", "osimertinib"])
    assert iris.regimen("sequential", ["a", "b"]) != iris.regimen("sequential", ["b", "a"])
    assert iris.regimen("combination", ["a", "b"]) != iris.regimen("substitutes", ["a", "b"])
    # readable slugs, no parentheses or nested slashes, one more ~ per level of nesting (issue 11)
    inner = iris.regimen_key("substitutes", ["cisplatin", "carboplatin"])
    assert inner == "carboplatin~or~cisplatin"
    outer = iris.regimen("combination", ["pemetrexed", inner, "osimertinib"])
    assert str(outer) == "https://w3id.org/nscr/regimen/carboplatin~or~cisplatin~~and~~osimertinib~~and~~pemetrexed"
    # (a or b) and c differs from a or (b and c)
    assert outer != iris.regimen("substitutes", ["carboplatin", iris.regimen_key("combination", ["cisplatin", "osimertinib"])])


def test_hgvs_from_short_form():
    assert hgvs_protein("T790M") == "p.Thr790Met"
    assert hgvs_protein("L718X") is None
    assert hgvs_protein(None) is None


def test_every_curated_row_becomes_one_individual(graph):
    curation = load_curation()
    for table, kind, cls in [("statements", "statement", NSCR.ResistanceStatement), ("strategies", "strategy", NSCR.Strategy),
                             ("drugs", "drug", NSCR.Drug), ("alterations", "alteration", NSCR.Alteration),
                             ("trials", "trial", NSCR.ClinicalTrial), ("genes", "gene", NSCR.Gene)]:
        keys = {r.key for r in curation[table]}
        built = {str(s).rsplit("/", 1)[1] for s in graph.subjects(RDF.type, cls) if str(s).startswith(f"{NSCR}{kind}/")}
        assert built == {iris.mint(kind, k).rsplit("/", 1)[1] for k in keys}, table


def test_supporting_statements_get_shortcut_triples(graph):
    t790m, first_gen = iris.mint("alteration", "EGFR-T790M"), iris.mint("drugclass", "FirstGenerationEGFRTKI")
    assert (t790m, NSCR.confersResistanceTo, first_gen) in graph
    # 2.1.1 says C797S responds to gefitinib only without T790M: the condition is on the profile
    c797s_alone, gefitinib = iris.mint("profile", "EGFR-C797S-without-T790M"), iris.mint("drug", "gefitinib")
    assert (c797s_alone, NSCR.confersSensitivityTo, gefitinib) in graph
    assert (iris.mint("alteration", "EGFR-C797S"), NSCR.confersSensitivityTo, gefitinib) not in graph
    assert (c797s_alone, NSCR.confersResistanceTo, gefitinib) not in graph


def test_every_identifier_comes_from_the_reference_copy_with_its_label(graph):
    ref = reference.load()
    known: dict[str, str] = {}
    for row in load_curation()["genes"]:
        known.update(ref.gene(row["symbol"]).ids)
    for row in load_curation()["drugs"]:
        known.update(ref.drug([row["label"], *row["code_names"]]).ids)
    for row in load_curation()["interventions"]:
        known.update(ref.intervention([row["label"], *row["synonyms"]]).ids)
    diseases = {"MONDO:0005233"} | {row["disease"] for row in load_curation()["statements"] if row["disease"]}
    for curie in sorted(diseases):  # NSCLC by default, and every disease a statement names (breast cancer...)
        known.update(ref.disease(curie).ids)
    for row in load_curation()["families"]:
        if row["fplx"]:
            known[row["fplx"].replace("FPLX:", "fplx:")] = ref.family(row["fplx"])["name"]
    by_iri = {str(reference_iri(c)): label for c, label in known.items()}
    mapped = {str(o) for p in (SKOS.exactMatch, SKOS.closeMatch) for o in graph.objects(None, p)}
    assert mapped, "no identifiers at all"
    assert mapped <= set(by_iri), sorted(mapped - set(by_iri))[:5]
    for iri in mapped:
        labels = {str(o) for o in graph.objects(URIRef(iri), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
        assert labels <= ({by_iri[iri]} if by_iri[iri] else set()), iri


def test_gene_identifiers_are_complete(graph):
    egfr = iris.mint("gene", "EGFR")
    targets = {str(o) for o in graph.objects(egfr, SKOS.exactMatch)}
    assert "https://identifiers.org/hgnc:3236" in targets
    assert "https://identifiers.org/ncbigene:1956" in targets
    assert any(t.startswith("https://identifiers.org/ensembl:ENSG") for t in targets)
    assert "http://purl.uniprot.org/uniprot/P00533" in {str(o) for o in graph.objects(egfr, SKOS.closeMatch)}


def test_gaps_report_lists_drugs_without_identifiers(dist):
    with open(dist / "gaps.tsv", encoding="utf-8") as f:
        gaps = {r["key"]: r for r in csv.DictReader(f, delimiter="\t")}
    assert gaps["tno155"]["status"] == "none found"
    assert "osimertinib" not in gaps or "CHEBI" not in gaps["osimertinib"]["missing_identifiers"]


def test_stats_count_triples(dist, graph):
    first = (dist / "stats.tsv").read_text().splitlines()[1]
    assert first == f"total\ttriples\t{len(graph)}"


def canonical(g) -> list[str]:
    """The graph's triples with blank nodes canonically renamed (pyoxigraph's canonicalisation, seconds
    where rdflib's isomorphism check takes a minute on the release)."""
    import pyoxigraph as ox
    triples = ox.parse(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(q) for q in ds)


def test_dist_formats_hold_the_same_graph(dist, graph):
    """rdflib, a parser other than the writer's, reads every syntax back to the same graph."""
    from rdflib import Graph
    reference = canonical(graph)
    for name, fmt in (("nscr.ttl", "turtle"), ("nscr.owl", "xml"), ("nscr.jsonld", "json-ld")):
        assert canonical(Graph().parse(dist / name, format=fmt)) == reference, name


def test_default_dist_is_inside_the_repository():
    assert paths.DIST.name == "dist" or "NSCR_DIST" in os.environ


def test_benchmark_growth_renames_every_key_it_copies(tmp_path):
    """`nscr bench` grows the curation N-fold; every table kind must survive it without clashing keys."""
    from nscr.bench import grow
    grow(paths.CURATION, tmp_path / "grown", 2)
    once, twice = load_curation(), load_curation(tmp_path / "grown")
    for table in ("statements", "strategies", "mentions", "rankings", "profiles", "figures"):
        assert len(twice[table]) == 2 * len(once[table]), table
    assert len(twice["drugs"]) == len(once["drugs"]) and len(twice["families"]) == len(once["families"])


def test_benchmark_growth_is_reproducible_wherever_it_is_written(tmp_path, monkeypatch):
    """The same scale gives the same tables, and the rows record their table relative to the curation folder,
    so two grown copies in different temporary folders build the same graph (they once differed by
    nscr:curationTable holding the folder's absolute path)."""
    from nscr.bench import grow
    from nscr.individuals.context import curation_table
    committed = paths.CURATION
    first, second = tmp_path / "a" / "curation", tmp_path / "elsewhere" / "grown"
    grow(committed, first, 2)
    grow(committed, second, 2)

    def tree(folder):
        return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}
    assert tree(first) == tree(second)

    def recorded(folder):
        monkeypatch.setattr(paths, "CURATION", folder)
        rows = load_curation(folder)
        return sorted((name, curation_table(r), r.line) for name, table in rows.items() for r in table)
    tables = recorded(first)
    assert tables == recorded(second)
    assert ("statements", "egfr1/statements.tsv", 2) in tables and not [t for t in tables if str(tmp_path) in t[1]]
    assert ("statements", "egfr/statements.tsv", 2) in recorded(committed)
