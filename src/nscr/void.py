"""dist/void.ttl: a VoID and DCAT description of the release, its counts computed from the full graph
(every triple, entity, class and property partition), its licence and sources as the ontology header
says, the frozen snapshot files by checksum, the SPARQL endpoint and each file of the release as a
distribution with its media type and size."""
from __future__ import annotations

import base64
import csv
from collections import Counter, defaultdict
from urllib.parse import quote

import pyoxigraph as ox

from . import paths, releaseinfo
from .prefixes import NSCR, contract, prefix_map

PATH = "void.ttl"
NS = str(NSCR)
DATASET = f"{NS}dataset"
ENDPOINT = f"{NS}sparql"  # as queries.ttl gives it (schema:target)
VOID, DCAT, DCT = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
COPIED = (DCT + "license", DCT + "source", DCT + "creator", DCT + "contributor", DCT + "issued", DCT + "created",
          DCT + "bibliographicCitation")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD + "integer"))


def counts(triples: list) -> dict:
    """The VoID figures of a graph: triples, entities (named subjects in the project's namespace),
    distinct subjects and objects, and per class the entities typed with it, per property its triples."""
    subjects, objects, entities = set(), set(), set()
    by_class, by_property = defaultdict(set), Counter()
    for t in triples:
        subjects.add(t.subject)
        objects.add(t.object)
        by_property[t.predicate.value] += 1
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(NS):
            entities.add(t.subject)
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            by_class[t.object.value].add(t.subject)
    return {"triples": len(triples), "entities": len(entities), "distinctSubjects": len(subjects),
            "distinctObjects": len(objects), "properties": len(by_property), "classes": len(by_class),
            "class_entities": {c: len(s) for c, s in by_class.items()}, "property_triples": dict(by_property)}


def snapshot_files() -> list[tuple[str, str]]:
    """(file, SHA-256) of each snapshot file the project keeps a copy of (data/reference/SOURCES.tsv)."""
    with open(paths.REFERENCE / "SOURCES.tsv", encoding="utf-8") as f:
        return sorted((r["file"], r["snapshot_sha256"]) for r in csv.DictReader(f, delimiter="\t"))


def named_information(sha256_hex: str) -> str:
    """The RFC 6920 ni: URI of a file's SHA-256: a name for content that has no address of its own."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).decode("ascii").rstrip("=")
    return f"ni:///sha-256;{digest}"


def void_ttl(triples: list, inferred: list, sizes: dict[str, int], release: releaseinfo.Release) -> bytes:
    """The description as Turtle; `triples` is the full graph, `sizes` file name -> bytes of the release."""
    from .artefacts import MEDIA_TYPES
    out: list[ox.Triple] = []
    dataset = _n(DATASET)

    def add(s, p: str, o) -> None:
        out.append(ox.Triple(s, _n(p), o))

    def text(value: str) -> ox.Literal:
        return ox.Literal(value, language="en")
    figures = counts(triples)
    add(dataset, RDF_TYPE, _n(VOID + "Dataset"))
    add(dataset, RDF_TYPE, _n(DCAT + "Dataset"))
    add(dataset, DCT + "title", text("NSCR knowledge graph of resistance in non-small cell lung cancer"))
    add(dataset, DCT + "description", text("The full release (nscr-full): ontology, imported upstream terms, curated "
                                           "individuals and the reasoners' inferences; the counts are of that graph."))
    headers = {t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object.value == OWL_ONTOLOGY}
    for t in triples:  # licence, sources, creator and dates as the ontology header gives them
        if t.subject in headers and t.predicate.value in COPIED:
            add(dataset, t.predicate.value, t.object)
    add(dataset, DCAT + "version", ox.Literal(release.version))
    add(dataset, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(release.version))
    add(dataset, VOID + "sparqlEndpoint", _n(ENDPOINT))
    add(dataset, VOID + "uriSpace", ox.Literal(NS))
    add(dataset, VOID + "feature", _n("http://www.w3.org/ns/formats/N-Triples"))
    add(dataset, VOID + "vocabulary", _n(NS))
    for key in ("triples", "entities", "distinctSubjects", "distinctObjects", "properties", "classes"):
        add(dataset, VOID + key, _int(figures[key]))
    for cls, n in sorted(figures["class_entities"].items()):
        part = _n(f"{DATASET}/class/{quote(contract(cls), safe=':')}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", _n(cls))
        add(part, VOID + "entities", _int(n))
    for prop, n in sorted(figures["property_triples"].items()):
        part = _n(f"{DATASET}/property/{quote(contract(prop), safe=':')}")
        add(dataset, VOID + "propertyPartition", part)
        add(part, VOID + "property", _n(prop))
        add(part, VOID + "triples", _int(n))
    subset = _n(f"{DATASET}/inferred")
    add(dataset, VOID + "subset", subset)
    add(subset, RDF_TYPE, _n(VOID + "Dataset"))
    add(subset, DCT + "title", text("what the reasoners infer (nscr-inferred.ttl)"))
    add(subset, VOID + "triples", _int(len(inferred)))
    for name, digest in snapshot_files():
        source = _n(named_information(digest))
        add(dataset, DCT + "source", source)
        add(source, RDF_TYPE, _n(DCAT + "Dataset"))
        add(source, DCT + "title", text(f"{name} of the frozen identifier snapshot (the project keeps the rows it "
                                        f"uses in data/reference/{name})"))
    download = f"{NS}releases/{release.version}/"
    for name, size in sorted(sizes.items()):
        media = MEDIA_TYPES.get(name.rsplit(".", 1)[-1])
        if media is None:
            continue
        dist = _n(f"{DATASET}/distribution/{name}")
        add(dataset, DCAT + "distribution", dist)
        add(dist, RDF_TYPE, _n(DCAT + "Distribution"))
        add(dist, DCT + "title", ox.Literal(name))
        add(dist, DCAT + "downloadURL", _n(download + name))
        add(dist, DCAT + "mediaType", _n(f"https://www.iana.org/assignments/media-types/{media}"))
        add(dist, DCAT + "byteSize", _int(size))
        if name == "nscr-full.nt":
            add(dataset, VOID + "dataDump", _n(download + name))
    return ox.serialize(sorted(set(out), key=str), format=ox.RdfFormat.TURTLE, prefixes=prefix_map())
