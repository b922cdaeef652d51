"""The release artefacts in the manner of the Ontology Development Kit, each with its own ontology header:

- nscr-base: the project's own axioms and individuals; the upstream terms only declared (their
  rdf:type), with owl:imports naming the import module, shipped as dist/imports/upstream.owl and found
  through dist/catalog-v001.xml (as Protégé and the OWL API look for it).
- nscr (the four files the pipeline has always read): base with its import module merged, no
  inferences. This is base's imports closure: what validation and the reasoner read.
- nscr-ontology: the TBox alone (classes, properties, their axioms and annotations). No individual,
  except those a class axiom names as a nominal (owl:hasValue, owl:oneOf), with their types, label
  and definition only.
- nscr-full: nscr plus the reasoner's inferences, written by `nscr full` after `nscr reason`, inside
  the staged release, so nothing reads its own output.

Every one is written in Turtle, RDF/XML, compacted JSON-LD (the context also in dist/context.jsonld)
and N-Triples from one sorted list of pyoxigraph triples (serialize.sorted_triples).
"""
from __future__ import annotations

import heapq
import json
from pathlib import Path

import pyoxigraph as ox

from . import paths, releaseinfo
from .prefixes import NSCR
from .serialize import is_individual, jsonld_context, read_triples, release_formats, write_atomic

OWL, RDF, RDFS = "http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", \
    "http://www.w3.org/2000/01/rdf-schema#"
NS = str(NSCR)
MAIN = ox.NamedNode(str(releaseinfo.ONTOLOGY))  # the header the build stamps (https://w3id.org/nscr/ontology)
IMPORT_MODULE = ox.NamedNode(f"{NS}imports/upstream")
TYPE, LABEL = ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "label")
DEFINITION = ox.NamedNode("http://purl.obolibrary.org/obo/IAO_0000115")
TITLE, COMMENT = ox.NamedNode("http://purl.org/dc/terms/title"), ox.NamedNode(RDFS + "comment")
VERSION_IRI, IMPORTS = ox.NamedNode(OWL + "versionIRI"), ox.NamedNode(OWL + "imports")
HAS_VALUE, ONE_OF = ox.NamedNode(OWL + "hasValue"), ox.NamedNode(OWL + "oneOf")
FIRST, REST = ox.NamedNode(RDF + "first"), ox.NamedNode(RDF + "rest")
# a subject typed with one of these is part of the TBox
SCHEMA_TYPES = {ox.NamedNode(OWL + t) for t in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
                                                "Ontology", "TransitiveProperty", "FunctionalProperty",
                                                "InverseFunctionalProperty", "SymmetricProperty", "AsymmetricProperty",
                                                "ReflexiveProperty", "IrreflexiveProperty", "DeprecatedClass",
                                                "DeprecatedProperty")} | \
    {ox.NamedNode(RDFS + "Class"), ox.NamedNode(RDFS + "Datatype"), ox.NamedNode(RDF + "Property")}

# file stem -> (what it is, for its header's rdfs:comment)
VARIANTS = {
    "nscr": "The release graph: the project's axioms and individuals with the upstream import module merged, "
            "without inferences (what validation and the reasoner read).",
    "nscr-base": "Base module: the project's own axioms and individuals; upstream terms are only declared and the "
                 "import module is named by owl:imports (dist/imports/upstream.owl, see dist/catalog-v001.xml).",
    "nscr-ontology": "The ontology alone (TBox): classes, properties, their axioms and annotations, for reuse by "
                     "other ontologies; individuals only where a class axiom names them (owl:hasValue, owl:oneOf).",
    "nscr-full": "Full release: the release graph with the import module merged and the reasoners' inferences "
                 "(class memberships and the classified hierarchy) added.",
}
FORMATS = ("ttl", "owl", "jsonld", "nt")
MEDIA_TYPES = {"ttl": "text/turtle", "owl": "application/rdf+xml", "jsonld": "application/ld+json",
               "nt": "application/n-triples", "xml": "application/xml", "tsv": "text/tab-separated-values"}
# the release's tables for other tools' loaders, described in void.ttl beside the RDF files
MAPPING_FILES = ("mappings/nscr.sssom.tsv", "kgx/nscr_nodes.tsv", "kgx/nscr_edges.tsv")
CONTEXT = "context.jsonld"
CATALOG = "catalog-v001.xml"
IMPORT_FILE = "imports/upstream"


def ontology_iri(stem: str) -> ox.NamedNode:
    return MAIN if stem == "nscr" else ox.NamedNode(f"{NS}{stem}.owl")


def version_iri(stem: str, release: releaseinfo.Release) -> ox.NamedNode:
    return ox.NamedNode(f"{NS}releases/{release.version}/{stem}.owl")


def with_header(triples: list, stem: str, release: releaseinfo.Release, imports: bool = False) -> list:
    """The triples with the build's header (on MAIN) given to the variant's ontology IRI, its version IRI
    under releases/VERSION/, its description as a second rdfs:comment, and owl:imports when asked."""
    iri = ontology_iri(stem)
    body, header = [], []
    for t in triples:
        (header if t.subject == MAIN else body).append(t)
    out = [ox.Triple(iri, t.predicate, version_iri(stem, release) if t.predicate == VERSION_IRI else t.object)
           for t in header]
    out.append(ox.Triple(iri, COMMENT, ox.Literal(VARIANTS[stem], language="en")))
    if imports:
        out.append(ox.Triple(iri, IMPORTS, IMPORT_MODULE))
    return list(heapq.merge(body, sorted(set(out), key=str), key=str))  # body is sorted already


def import_module() -> list:
    """The committed import module (ontology/imports/upstream.ttl)."""
    return read_triples(paths.IMPORTS)


def base(triples: list, module: list) -> list:
    """The release graph without what only the import module says: its terms keep their declarations
    (rdf:type) and whatever the hand-edited ontology itself says of them."""
    own = set(read_triples(paths.ONTOLOGY))
    imported = {(t.subject, t.predicate, t.object) for t in module if t.predicate != TYPE and t not in own}
    # compared as tuples: sorted_triples hands over quads and triples, and a Quad never equals a Triple
    return [t for t in triples if (t.subject, t.predicate, t.object) not in imported]


def nominals(triples: list) -> set:
    """The individuals class axioms name: objects of owl:hasValue and members of owl:oneOf lists."""
    first, rest = {}, {}
    for t in triples:
        if t.predicate == FIRST:
            first[t.subject] = t.object
        elif t.predicate == REST:
            rest[t.subject] = t.object
    named = {t.object for t in triples if t.predicate == HAS_VALUE and isinstance(t.object, ox.NamedNode)}
    for node in (t.object for t in triples if t.predicate == ONE_OF):
        while node in first:
            if isinstance(first[node], ox.NamedNode):
                named.add(first[node])
            node = rest.get(node)
    return named


def tbox(triples: list) -> list:
    """Every triple of a schema subject (typed with an OWL/RDFS schema type, or a blank node: the build
    puts blank nodes only in the ontology's axioms) and, of each nominal, its types, label and definition."""
    schema = {t.subject for t in triples if t.predicate == TYPE and t.object in SCHEMA_TYPES}
    keep = nominals(triples) - schema
    return [t for t in triples if isinstance(t.subject, ox.BlankNode)
            or (t.subject in schema and not is_individual(t.subject))
            or (t.subject in keep and t.predicate in (TYPE, LABEL, DEFINITION))]


def files(stem: str, triples: list) -> dict[str, bytes]:
    return {f"{stem}.{ext}": data for ext, data in release_formats(triples).items()}


def context_json() -> bytes:
    return (json.dumps({"@context": jsonld_context()}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def catalog_xml() -> bytes:
    """An OASIS XML catalogue (catalog-v001.xml, as the ODK ships) resolving base's owl:imports locally."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
            f'  <uri name="{IMPORT_MODULE.value}" uri="{IMPORT_FILE}.owl"/>\n'
            '</catalog>\n').encode("utf-8")


def build_outputs(triples: list, release: releaseinfo.Release | None = None) -> dict[str, bytes]:
    """File name -> bytes of what the build writes: nscr.*, nscr-base.*, nscr-ontology.*, the import module
    base names (in Turtle and RDF/XML, with a version IRI), its catalogue and the JSON-LD context."""
    release = release or releaseinfo.load()
    module = import_module()
    out = files("nscr", triples)
    out |= files("nscr-base", with_header(base(triples, module), "nscr-base", release, imports=True))
    out |= files("nscr-ontology", with_header(tbox(triples), "nscr-ontology", release))
    stamped = sorted(set(module) | {ox.Triple(IMPORT_MODULE, VERSION_IRI,
                                               ox.NamedNode(f"{NS}releases/{release.version}/{IMPORT_FILE}.owl"))}, key=str)
    formats = release_formats(stamped)
    out[f"{IMPORT_FILE}.ttl"], out[f"{IMPORT_FILE}.owl"] = formats["ttl"], formats["owl"]
    out[CATALOG] = catalog_xml()
    out[CONTEXT] = context_json()
    return out


def full(asserted: list, inferred: list, release: releaseinfo.Release) -> list:
    """The release graph plus the inferences, under the nscr-full header."""
    return with_header(sorted(set(asserted) | set(inferred), key=str), "nscr-full", release)


def write_full(dist: Path | None = None) -> list[str]:
    """`nscr full`: nscr-full.* and the VoID/DCAT description (void.ttl) from dist/nscr.nt and
    dist/nscr-inferred.ttl; returns the files written."""
    from . import void
    dist = Path(dist or paths.DIST)
    for name in ("nscr.nt", "nscr-inferred.ttl"):
        if not (dist / name).is_file():
            step = "build" if name == "nscr.nt" else "reason"
            raise FileNotFoundError(f"{paths.rel(dist / name)} does not exist (run `nscr {step}` first)")
    release = releaseinfo.load()
    asserted, inferred = read_triples(dist / "nscr.nt"), read_triples(dist / "nscr-inferred.ttl")
    triples = full(asserted, inferred, release)
    outputs = files("nscr-full", triples)
    for name, data in sorted(outputs.items()):
        write_atomic(dist / name, data)
    sizes = {p.name: p.stat().st_size for p in sorted(dist.glob("nscr*.*")) if p.is_file()}
    sizes |= {name: (dist / name).stat().st_size
              for name in (CONTEXT, CATALOG, f"{IMPORT_FILE}.ttl", f"{IMPORT_FILE}.owl", *MAPPING_FILES)
              if (dist / name).is_file()}
    write_atomic(dist / void.PATH, void.void_ttl(triples, inferred, sizes, release))
    return [paths.rel(dist / name) for name in sorted(outputs)] + [paths.rel(dist / void.PATH)]
