"""Biolink and KGX: the mapping (ontology/mappings/biolink.tsv) checked against the Biolink Model that the
`biolink-model` package ships, read offline by `bmt`; dist/kgx/ checked against the model's slots, enums,
domains and ranges (the `kgx` package cannot be used: it fetches the model from the network when it is
imported, and its pins need a 30-minute resolve and an older numpy); the prefix map checked against
`bioregistry`."""
from __future__ import annotations

import csv
from importlib import resources

import pytest
from rdflib import OWL, RDF, DCTERMS, URIRef

from nscr import biolink, kgx, vocab
from nscr.errors import CurationErrors
from nscr.prefixes import NSCR, contract, expand, prefix_map

# prefixes bioregistry does not know, and why the project keeps them
NOT_IN_BIOREGISTRY = {
    "nscr": "this project's terms and individuals",
    "nscrshape": "this project's generated SHACL shapes",
    "spex": "the SIB SPARQL examples vocabulary, which bioregistry 0.15.6 does not list",
}


@pytest.fixture(scope="module")
def toolkit():
    """bmt reading the biolink-model package's YAML (its default is a download), no predicate map (ditto)."""
    from bmt import Toolkit
    schema = resources.files("biolink_model").joinpath("schema/biolink_model.yaml")
    return Toolkit(str(schema), predicate_map={"predicate mappings": []})


def read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_model_is_the_packaged_release(toolkit):
    from importlib.metadata import version
    assert toolkit.get_model_version() == version("biolink-model")


def test_every_mapped_term_exists_in_biolink_with_its_kind(toolkit):
    onto = vocab.ontology_graph()
    for m in biolink.load():
        element = toolkit.get_element(m.biolink)
        assert element is not None, f"row {m.line}: {m.biolink} is not in Biolink {toolkit.get_model_version()}"
        assert not element.deprecated, f"row {m.line}: {m.biolink} is deprecated"
        if m.kind == "class":
            assert toolkit.is_category(m.biolink), f"row {m.line}: {m.biolink} is no node category"
            kind = OWL.Class if m.export == "node" else OWL.AnnotationProperty  # `values`: the property's values
            assert (m.nscr, RDF.type, kind) in onto, f"row {m.line}: {m.nscr_curie} is no {contract(str(kind))}"
        elif m.kind == "qualifier":
            assert "qualifier" in toolkit.get_ancestors(m.biolink), f"row {m.line}: {m.biolink} is no qualifier"
            assert (m.nscr, RDF.type, OWL.AnnotationProperty) in onto
        elif m.kind == "predicate":
            assert toolkit.is_predicate(m.biolink), f"row {m.line}: {m.biolink} is no predicate"
            kind = NSCR.StatementPredicate if m.export == "statements" else OWL.ObjectProperty
            assert (m.nscr, RDF.type, kind) in onto, f"row {m.line}: {m.nscr_curie} is no {contract(str(kind))}"
        else:
            assert "association" in toolkit.get_ancestors(m.biolink), f"row {m.line}: {m.biolink} is no association"
            assert (m.nscr, RDF.type, OWL.Class) in onto


def test_a_bad_mapping_row_names_file_row_and_field(tmp_path):
    bad = tmp_path / "biolink.tsv"
    bad.write_text("\t".join(biolink.COLUMNS) + "\n"
                   "nscr:Gene\tbiolink:Gene\tclass\tskos:exactMatch\ttriples\t\t\tx\n"
                   "nope:Gene\tGene\tclass\tskos:sameAs\tnode\t\tnscr:Gene\tx\n", encoding="utf-8")
    with pytest.raises(CurationErrors) as e:
        biolink.load(bad)
    messages = [(err.row, err.field) for err in e.value.errors]
    assert messages == [(2, "export"), (3, "nscr_id"), (3, "biolink_id"), (3, "match")]
    assert str(bad) in str(e.value) or "biolink.tsv" in str(e.value)


@pytest.fixture(scope="module")
def kgx_files(dist):
    return read(dist / kgx.NODES), read(dist / kgx.EDGES)


def test_kgx_columns_are_biolink_slots_with_the_required_ones(toolkit, kgx_files):
    nodes, edges = kgx_files
    edge_columns = kgx.edge_columns(biolink.load())
    assert "disease_context_qualifier" in edge_columns
    for table, cls, columns in ((nodes, "named thing", kgx.NODE_COLUMNS), (edges, "association", edge_columns)):
        assert tuple(table[0]) == columns
        for column in columns:
            assert toolkit.get_element(f"biolink:{column}") is not None, f"{column} is no Biolink slot"
        required = {s.name.replace(" ", "_") for s in toolkit.view.class_induced_slots(cls) if s.required}
        assert required <= set(columns), f"{cls} requires {sorted(required - set(columns))}"
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    assert {e["knowledge_level"] for e in edges} <= levels and {e["agent_type"] for e in edges} <= agents


def test_kgx_nodes_and_edges_are_consistent(toolkit, kgx_files):
    nodes, edges = kgx_files
    ids = [n["id"] for n in nodes]
    assert ids == sorted(set(ids)) and len(ids) > 700
    known = set(prefix_map()) | set(biolink.KGX_PREFIXES)
    for n in nodes:
        assert n["id"].split(":", 1)[0] in known and n["name"], n
        assert all(toolkit.is_category(c) for c in n["category"].split("|")), n
        assert all(x.split(":", 1)[0] in known for x in n["xref"].split("|") if x), n
    assert len({e["id"] for e in edges}) == len(edges) > 1000
    assert edges == sorted(edges, key=lambda e: (e["subject"], e["predicate"], e["object"], e["id"]))
    assert {e["subject"] for e in edges} | {e["object"] for e in edges} <= set(ids)
    egfr = next(n for n in nodes if n["id"] == "nscr:gene/EGFR")
    assert egfr["category"] == "biolink:Gene" and "hgnc:3236" in egfr["xref"].split("|")


def test_every_edge_fits_its_predicates_domain_and_range(toolkit, kgx_files):
    nodes, edges = kgx_files
    categories = {n["id"]: n["category"].split("|") for n in nodes}
    ancestors = {}
    qualifiers = [m for m in biolink.load() if m.kind == "qualifier"]

    def fits(node: str, name: str | None) -> bool:
        for c in categories[node]:
            if c not in ancestors:
                ancestors[c] = set(toolkit.get_ancestors(c, mixin=True))
        return name is None or any(name in ancestors[c] for c in categories[node])
    misfits = set()
    for e in edges:
        slot = toolkit.get_element(e["predicate"])
        if not fits(e["subject"], slot.domain) or not fits(e["object"], slot.range):
            misfits.add((e["predicate"], categories[e["subject"]][0], categories[e["object"]][0]))
        for m in qualifiers:
            column = m.biolink.split(":", 1)[1]
            if e[column] and not fits(e[column], toolkit.get_element(m.biolink).range):
                misfits.add((column, e[column]))
    assert misfits == set()
    assert sum(bool(e["disease_context_qualifier"]) for e in edges) > 300


def test_statement_edges_are_the_supporting_statements_with_the_reviews_doi(kgx_files, graph):
    _, edges = kgx_files
    by_id = {e["id"]: e for e in edges}
    doi = str(graph.value(URIRef(str(NSCR) + "source/review"), DCTERMS.identifier))
    disease = contract(str(graph.value(URIRef(str(NSCR) + "statement/egfr-s02"), NSCR.diseaseContext)))
    assert by_id["nscr:statement/egfr-s02"] == {
        "id": "nscr:statement/egfr-s02", "subject": "nscr:alteration/EGFR-T790M",
        "predicate": "biolink:associated_with_resistance_to", "object": "nscr:drugclass/FirstGenerationEGFRTKI",
        "category": "biolink:Association", "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent",
        "primary_knowledge_source": kgx.INFORES, "publications": doi,
        "disease_context_qualifier": disease}
    disputed = {contract(str(s)) for s in graph.subjects(NSCR.hasDirection, NSCR.Disputes)}
    assert disputed and not disputed & set(by_id)
    # the resistance edges are exactly the shortcut's pairs between nodes (the shortcut is drawn from them)
    node_ids = {e["subject"] for e in edges} | {e["object"] for e in edges}
    for shortcut, predicate in ((NSCR.confersResistanceTo, "biolink:associated_with_resistance_to"),
                                (NSCR.confersSensitivityTo, "biolink:associated_with_sensitivity_to")):
        pairs = {(contract(str(s)), contract(str(o))) for s, o in graph.subject_objects(shortcut)}
        exported = {(e["subject"], e["object"]) for e in edges if e["predicate"] == predicate}
        assert exported == {p for p in pairs if p[0] in node_ids and p[1] in node_ids} and len(exported) > 50


def test_the_export_depends_on_the_graph_alone(dist, graph):
    """Recomputed from the parsed release graph, the files are byte for byte the build's."""
    for name, data in kgx.files(graph).items():
        assert (dist / name).read_bytes() == data, name


def test_every_prefix_is_spelt_as_bioregistry_spells_it():
    import bioregistry
    problems = []
    for prefix, namespace in sorted((prefix_map() | biolink.KGX_PREFIXES).items()):
        resource = bioregistry.get_resource(prefix)
        if resource is None:
            assert prefix in NOT_IN_BIOREGISTRY, f"{prefix}: unknown to bioregistry and not listed as the project's own"
            parsed = bioregistry.parse_iri(namespace + "x")
            if parsed[0] is not None:
                problems.append(f"{prefix}: bioregistry knows {namespace} as {parsed[0]}")
            continue
        preferred = resource.get_preferred_prefix() or resource.prefix
        if prefix != preferred:
            problems.append(f"{prefix}: bioregistry's preferred prefix is {preferred}")
        if namespace not in resource.get_uri_prefixes():
            problems.append(f"{prefix}: {namespace} is not one of bioregistry's URI prefixes for {resource.prefix}")
    assert problems == []
    assert expand("NCBIGene:1956") == URIRef("https://identifiers.org/ncbigene:1956")
