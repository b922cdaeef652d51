"""The ODK-style artefacts (nscr-base, nscr-ontology, nscr-full, each in four syntaxes with its own header),
the JSON-LD context, the VoID/DCAT description and OBO-style deprecation, on the session's real release."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from nscr import artefacts, cli, queries, releaseinfo, void
from nscr.deprecation import TERM_REPLACED_BY

STEMS = ("nscr", "nscr-base", "nscr-ontology", "nscr-full")
OWL, RDF, RDFS = "http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", \
    "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
NS = "https://w3id.org/nscr/"
PARSE = {"ttl": ox.RdfFormat.TURTLE, "owl": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
         "nt": ox.RdfFormat.N_TRIPLES}


def triples(folder, name) -> set:
    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(folder / name), format=PARSE[name.rsplit(".", 1)[1]])}


def named(ts) -> set:
    """The triples without a blank node (those compare across files as they are)."""
    return {t for t in ts if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}


def body(ts) -> set:
    """The triples but the ontology header (each file has its own)."""
    heads = {t.subject for t in ts if t.predicate.value == RDF + "type" and t.object.value == OWL + "Ontology"}
    return {t for t in ts if t.subject not in heads}


@pytest.fixture(scope="module")
def parsed(reasoned):
    return {stem: triples(reasoned, f"{stem}.nt") for stem in STEMS}


@pytest.mark.parametrize("stem", STEMS)
def test_each_syntax_holds_the_same_graph_as_the_ntriples(reasoned, parsed, stem):
    for ext in ("ttl", "owl", "jsonld"):
        other = triples(reasoned, f"{stem}.{ext}")
        assert len(other) == len(parsed[stem]) and named(other) == named(parsed[stem]), f"{stem}.{ext}"


@pytest.mark.parametrize("stem", STEMS)
def test_each_artefact_has_its_own_header_with_version_iri_dates_and_creator(parsed, stem):
    release = releaseinfo.load()
    iri = "https://w3id.org/nscr/ontology" if stem == "nscr" else f"{NS}{stem}.owl"
    head = {(t.predicate.value, t.object.value) for t in parsed[stem] if t.subject.value == iri}
    assert (RDF + "type", OWL + "Ontology") in head
    assert (OWL + "versionIRI", f"{NS}releases/{release.version}/{stem}.owl") in head
    assert {(OWL + "versionInfo", release.version), (DCT + "issued", release.date), (DCT + "created", release.created),
            (DCT + "creator", release.creator), (DCT + "license", "https://creativecommons.org/licenses/by/4.0/")} <= head
    assert ((OWL + "imports", f"{NS}imports/upstream") in head) == (stem == "nscr-base")
    ontologies = {t.subject.value for t in parsed[stem] if t.object.value == OWL + "Ontology"}
    assert ontologies == {iri}, "one header per file, the build's own renamed"


def test_base_declares_the_imported_terms_and_nscr_is_base_with_its_imports_merged(reasoned, parsed):
    module = artefacts.import_module()
    gene = ox.NamedNode("http://purl.obolibrary.org/obo/CL_0000451")  # dendritic cell: in the import module only
    base = parsed["nscr-base"]
    assert ox.Triple(gene, ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Class")) in base
    assert not [t for t in base if t.subject == gene and t.predicate.value == RDFS + "label"], "only declared"
    assert [t for t in parsed["nscr"] if t.subject == gene and t.predicate.value == RDFS + "label"]
    assert body(base) | body(module) == body(parsed["nscr"])
    assert triples(reasoned, "imports/upstream.owl") == triples(reasoned, "imports/upstream.ttl")
    catalog = (reasoned / "catalog-v001.xml").read_text(encoding="utf-8")
    assert f'name="{NS}imports/upstream" uri="imports/upstream.owl"' in catalog


def test_base_has_no_inference_and_full_is_the_release_graph_plus_the_inferences(reasoned, parsed):
    inferred = triples(reasoned, "nscr-inferred.ttl")
    new = inferred - parsed["nscr"]
    assert len(new) > 100, "the reasoners add memberships the graph does not assert"
    assert not new & parsed["nscr-base"]
    assert body(parsed["nscr-full"]) == body(parsed["nscr"]) | inferred
    assert body(parsed["nscr-base"]) <= body(parsed["nscr-full"])


def test_the_ontology_file_is_the_tbox_without_individuals_but_nominals(parsed):
    tbox, whole = parsed["nscr-ontology"], parsed["nscr"]
    individual = lambda term: isinstance(term, ox.NamedNode) and term.value.startswith(NS) and "/" in term.value[len(NS):]  # noqa: E731
    nominals = artefacts.nominals(list(whole))
    assert ox.NamedNode(f"{NS}gene/EGFR") in nominals
    for t in tbox:
        if individual(t.subject) or t.predicate.value == RDF + "type" and t.object.value == OWL + "NamedIndividual":
            assert t.subject in nominals and t.predicate.value in (RDF + "type", RDFS + "label", artefacts.DEFINITION.value), t
    classes = {t.subject for t in whole if t.predicate.value == RDF + "type" and t.object.value == OWL + "Class"}
    assert classes == {t.subject for t in tbox if t.predicate.value == RDF + "type" and t.object.value == OWL + "Class"}
    assert not [t for t in tbox if t.predicate.value in (f"{NS}hasPassage", f"{NS}curationKey", f"{NS}curationTable")]
    assert not [t for t in tbox if t.subject.value.startswith("https://identifiers.org/")]
    # every blank node of the graph is an axiom, and every one is kept
    assert {t for t in whole if isinstance(t.subject, ox.BlankNode)} <= tbox


@pytest.mark.parametrize("stem", STEMS)
def test_jsonld_is_compacted_with_the_published_context_and_expands_to_the_ntriples(reasoned, parsed, stem):
    context = json.loads((reasoned / "context.jsonld").read_text(encoding="utf-8"))
    doc = json.loads((reasoned / f"{stem}.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == context["@context"]
    assert context["@context"]["nscr"] == NS and context["@context"]["SO"]["@prefix"] is True
    gene = next(node for node in doc["@graph"] if node["@id"] == "nscr:gene/EGFR")
    assert "nscr:Gene" in gene["@type"] and "rdfs:label" in gene
    # the document with its context given by reference to the published file expands to the same triples
    doc["@context"] = (reasoned / "context.jsonld").as_uri()
    from rdflib import Graph
    expanded = Graph().parse(data=json.dumps(doc), format="json-ld", base=reasoned.as_uri() + "/")
    assert len(expanded) == len(parsed[stem]) and \
        {(str(s), str(p), str(o)) for s, p, o in expanded if "BNode" not in (type(s).__name__, type(o).__name__)} == \
        {(t.subject.value, t.predicate.value, t.object.value) for t in named(parsed[stem])}


def test_void_counts_are_the_full_graphs_and_every_distribution_is_described(reasoned, parsed):
    d = triples(reasoned, "void.ttl")
    dataset = ox.NamedNode(void.DATASET)

    def value(s, p):
        return {t.object.value for t in d if t.subject == s and t.predicate.value == p}
    full = parsed["nscr-full"]
    figures = void.counts(sorted(full, key=str))
    assert value(dataset, void.VOID + "triples") == {str(len(full))}
    assert value(dataset, void.VOID + "entities") == {str(len({t.subject for t in full if t.subject.value.startswith(NS)
                                                                and isinstance(t.subject, ox.NamedNode)}))}
    assert value(dataset, void.VOID + "classes") == {str(len({t.object for t in full if t.predicate.value == RDF + "type"}))}
    assert value(dataset, void.VOID + "properties") == {str(len({t.predicate for t in full}))}
    gene = ox.NamedNode(f"{void.DATASET}/class/nscr:Gene")
    assert value(gene, void.VOID + "entities") == {str(figures["class_entities"][f"{NS}Gene"])}
    assert value(dataset, DCT + "license") == {"https://creativecommons.org/licenses/by/4.0/"}
    assert "https://doi.org/10.3389/fimmu.2024.1366260" in value(dataset, DCT + "source")
    assert len([s for s in value(dataset, DCT + "source") if s.startswith("ni:///sha-256;")]) == len(void.snapshot_files())
    assert value(dataset, void.VOID + "sparqlEndpoint") == {void.ENDPOINT}
    assert value(dataset, "http://www.w3.org/ns/dcat#version") == {releaseinfo.load().version}
    distributions = value(dataset, "http://www.w3.org/ns/dcat#distribution")
    names = {f"{stem}.{ext}" for stem in STEMS for ext in artefacts.FORMATS} | {"nscr-inferred.ttl", "context.jsonld"}
    names |= set(artefacts.MAPPING_FILES)
    assert {f"{void.DATASET}/distribution/{n}" for n in names} <= distributions
    for name in names:
        node = ox.NamedNode(f"{void.DATASET}/distribution/{name}")
        assert value(node, "http://www.w3.org/ns/dcat#byteSize") == {str((reasoned / name).stat().st_size)}, name
        assert value(node, "http://www.w3.org/ns/dcat#mediaType") == \
            {f"https://www.iana.org/assignments/media-types/{artefacts.MEDIA_TYPES[name.rsplit('.', 1)[1]]}"}


def test_full_needs_the_reasoners_output(dist, tmp_path, in_dist, capsys):
    import shutil
    shutil.copy(dist / "nscr.nt", tmp_path / "nscr.nt")
    in_dist(tmp_path)
    assert cli.main(["full"]) == 2
    assert "nscr-inferred.ttl does not exist (run `nscr reason` first)" in capsys.readouterr().err
    assert not (tmp_path / "nscr-full.nt").exists()


def test_a_retired_row_is_marked_obsolete_in_the_obo_manner(curation_copy):
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL as ROWL, RDFS as RRDFS
    from nscr.build import assemble
    f = curation_copy / "egfr" / "figures.tsv"
    lines = f.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t") + ["deprecated", "replaced_by"]
    lines = ["\t".join(header)] + [line + ("\ttrue\tegfr-f02" if line.startswith("egfr-f01\t") else "\t\t")
                                   for line in lines[1:] if line]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    g = assemble().parts[1]
    old, new = URIRef(f"{NS}figure/egfr-f01"), URIRef(f"{NS}figure/egfr-f02")
    assert (old, ROWL.deprecated, Literal(True)) in g
    assert set(g.objects(old, DCTERMS.isReplacedBy)) == set(g.objects(old, TERM_REPLACED_BY)) == {new}
    labels = [str(label) for label in g.objects(old, RRDFS.label)]
    assert labels and all(label.startswith("obsolete ") for label in labels)
    assert not [str(label) for label in g.objects(new, RRDFS.label) if str(label).startswith("obsolete")]
    # the QC check holds on it, and catches each of the three marks gone
    store = ox.Store()
    store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    check = queries.get("qc/obsolete-entities")
    assert queries.run(check, store, {}).rows == []
    store.update(f"DELETE WHERE {{ <{old}> <{TERM_REPLACED_BY}> ?x }}")
    store.update(f'DELETE {{ <{old}> <{RDFS}label> ?l }} INSERT {{ <{old}> <{RDFS}label> "plain"@en }} '
                 f'WHERE {{ <{old}> <{RDFS}label> ?l }}')
    assert [row[1] for row in queries.run(check, store, {}).rows] == \
        ["dcterms:isReplacedBy without IAO:0100001", "label without the obsolete prefix"]
