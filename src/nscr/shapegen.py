"""SHACL shapes generated from the ontology, so that shapes and ontology cannot drift apart.

From ontology/nscr.ttl and its imports, for every object and datatype property:
  * a domain shape: whatever carries the property is an instance of its rdfs:domain;
  * a value shape: its values are IRIs of its rdfs:range (sh:class), or literals of its datatype,
    at most one when the property is functional;
for every annotation property listed in shapes/iri-valued.tsv: its values are IRIs;
for every OWL cardinality restriction on a named class: sh:minCount / sh:maxCount (qualified when
the restriction names a class); for every row of shapes/required.tsv (what OWL does not say):
the class's individuals carry the property at least `min` times;
and for every root class of the project's own hierarchy: a closed shape allowing exactly the
properties the ontology declares for it (by domain, or without domain) plus annotation properties,
so a misspelt or unknown property is reported.

`nscr shapes` writes shapes/generated/nscr-structure.ttl (committed; a test regenerates and compares
it). The Turtle is written by hand, sorted and with named shapes only, so it is byte-stable.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, URIRef
from rdflib.collection import Collection

from . import paths
from .errors import CurationError, CurationErrors
from .prefixes import NSCR, contract, expand

SHAPE_NS = "https://w3id.org/nscr/shape/"
GENERATED = paths.ROOT / "shapes" / "generated" / "nscr-structure.ttl"
REQUIRED = paths.ROOT / "shapes" / "required.tsv"
IRI_VALUED = paths.ROOT / "shapes" / "iri-valued.tsv"
# Always allowed on a closed shape: typing and the annotation vocabulary of RDF/OWL itself.
BUILTIN_IGNORED = (RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.deprecated, OWL.versionInfo)
PREFIXES = ("nscr", "nscrshape", "rdf", "rdfs", "owl", "xsd", "sh", "skos", "dcterms", "oa", "IAO", "ECO", "SO", "BFO", "RO",
            "oboInOwl")


@dataclass(frozen=True)
class Required:
    cls: URIRef
    prop: URIRef
    min: int
    line: int


def _read_tsv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    shown = paths.rel(path)
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if tuple(reader.fieldnames or ()) != columns:
            raise CurationErrors([CurationError(shown, 1, None, f"header must be {' '.join(columns)}")])
        return [(n, row) for n, row in enumerate(reader, start=2)]


def _curie(path: Path, line: int, column: str, text: str) -> URIRef:
    try:
        return expand(text)
    except ValueError as e:
        raise CurationErrors([CurationError(paths.rel(path), line, column, str(e))]) from None


def load_required(path: Path = REQUIRED) -> list[Required]:
    out = []
    for line, row in _read_tsv(path, ("class", "property", "min", "note")):
        if not row["min"].isdigit() or int(row["min"]) < 1:
            raise CurationErrors([CurationError(paths.rel(path), line, "min", f"{row['min']!r} is not a count >= 1")])
        out.append(Required(_curie(path, line, "class", row["class"]), _curie(path, line, "property", row["property"]),
                            int(row["min"]), line))
    return out


def load_iri_valued(path: Path = IRI_VALUED) -> list[URIRef]:
    return [_curie(path, line, "property", row["property"]) for line, row in _read_tsv(path, ("property", "note"))]


# -- reading the ontology ----------------------------------------------------------------------

def _classes_of(g: Graph, node) -> list[URIRef] | None:
    """A named class, or the named members of an owl:unionOf; None for anything else."""
    if isinstance(node, URIRef):
        return [node]
    union = g.value(node, OWL.unionOf)
    if union is not None:
        members = list(Collection(g, union))
        if all(isinstance(m, URIRef) for m in members):
            return sorted(members)
    return None


def _superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in g.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def _project_classes(g: Graph) -> list[URIRef]:
    return sorted(c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(str(NSCR)))


def _roots(g: Graph) -> list[URIRef]:
    """Project classes with no project superclass, that are not controlled-value enumerations of
    another root and are not defined classes (a defined class is inferred, never asserted alone)."""
    out = []
    for c in _project_classes(g):
        supers = {s for s in _superclasses(g, c) - {c} if str(s).startswith(str(NSCR))}
        if not supers and (c, OWL.equivalentClass, None) not in g:
            out.append(c)
    return out


def _properties(g: Graph) -> list[URIRef]:
    props = set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(g.subjects(RDF.type, OWL.DatatypeProperty))
    return sorted(p for p in props if isinstance(p, URIRef))


def _annotation_properties(g: Graph) -> list[URIRef]:
    return sorted(p for p in g.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(p, URIRef))


# -- writing Turtle ----------------------------------------------------------------------------

def _t(term) -> str:
    text = contract(str(term))
    return text if text != str(term) and ":" in text and "/" not in text.split(":", 1)[1] else f"<{term}>"


def _shape(name: str) -> str:
    return f"nscrshape:{name}"


def _local(term: URIRef) -> str:
    """A shape-name fragment for a term: its local name for the project's terms, PREFIX-local otherwise."""
    return contract(str(term)).removeprefix("nscr:").replace(":", "-")


def _msg(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def _class_constraint(classes: list[URIRef]) -> str:
    if len(classes) == 1:
        return f"sh:class {_t(classes[0])}"
    return "sh:or ( " + " ".join(f"[ sh:class {_t(c)} ]" for c in classes) + " )"


def _names(classes: list[URIRef]) -> str:
    return " or ".join(contract(str(c)) for c in classes)


def _property_blocks(g: Graph) -> list[str]:
    blocks = []
    for prop in _properties(g):
        name = _local(prop)
        lines = [f"{_shape(name)} a sh:NodeShape ;", f"    sh:targetSubjectsOf {_t(prop)} ;"]
        domain = [c for d in g.objects(prop, RDFS.domain) for c in (_classes_of(g, d) or [])]
        if domain:
            lines.append(f"    {_class_constraint(sorted(set(domain)))} ;")
            lines.append(f"    sh:message {_msg(f'{contract(str(prop))} is used only on {_names(sorted(set(domain)))} (its domain)')} ;")
        lines.append(f"    sh:property {_shape(name + '-values')} .")
        value = [f"{_shape(name + '-values')} a sh:PropertyShape ;", f"    sh:path {_t(prop)} ;"]
        ranges = [c for r in g.objects(prop, RDFS.range) for c in (_classes_of(g, r) or [])]
        functional = (prop, RDF.type, OWL.FunctionalProperty) in g
        if (prop, RDF.type, OWL.DatatypeProperty) in g:
            datatypes = [r for r in ranges if str(r).startswith(str(XSD)) or r == RDFS.Literal]
            if datatypes and datatypes[0] != RDFS.Literal:
                value.append(f"    sh:datatype {_t(datatypes[0])} ;")
                what = f"literals of {contract(str(datatypes[0]))}"
            else:
                value.append("    sh:nodeKind sh:Literal ;")
                what = "literals"
        else:
            value.append("    sh:nodeKind sh:IRI ;")
            if ranges:
                value.append(f"    {_class_constraint(sorted(set(ranges)))} ;")
                what = f"IRIs of {_names(sorted(set(ranges)))}"
            else:
                what = "IRIs"
        if functional:
            value.append("    sh:maxCount 1 ;")
        value.append(f"    sh:message {_msg(f'{contract(str(prop))} takes {what}' + (', one at most' if functional else '') + ' (its range)')} .")
        blocks.append("\n".join(lines) + "\n" + "\n".join(value))
    return blocks


def _iri_valued_blocks(iri_valued: list[URIRef]) -> list[str]:
    blocks = []
    for prop in sorted(set(iri_valued)):
        name = _local(prop)
        blocks.append(f"{_shape(name)} a sh:NodeShape ;\n    sh:targetSubjectsOf {_t(prop)} ;\n"
                      f"    sh:property {_shape(name + '-values')} .\n"
                      f"{_shape(name + '-values')} a sh:PropertyShape ;\n    sh:path {_t(prop)} ;\n    sh:nodeKind sh:IRI ;\n"
                      f"    sh:message {_msg(f'{contract(str(prop))} points at IRIs, never at strings')} .")
    return blocks


def _restrictions(g: Graph) -> list[tuple[URIRef, URIRef, str, int, URIRef | None]]:
    """(class, property, 'min'|'max', count, qualifying class) from OWL cardinality restrictions."""
    kinds = {OWL.minCardinality: ("min", False), OWL.maxCardinality: ("max", False), OWL.cardinality: ("exact", False),
             OWL.minQualifiedCardinality: ("min", True), OWL.maxQualifiedCardinality: ("max", True),
             OWL.qualifiedCardinality: ("exact", True)}
    out = []
    for cls in _project_classes(g):
        for restriction in g.objects(cls, RDFS.subClassOf):
            if not isinstance(restriction, BNode):
                continue
            prop = g.value(restriction, OWL.onProperty)
            for pred, (kind, qualified) in kinds.items():
                count = g.value(restriction, pred)
                if prop is None or count is None:
                    continue
                on = g.value(restriction, OWL.onClass) if qualified else None
                for k in (("min", "max") if kind == "exact" else (kind,)):
                    out.append((cls, prop, k, int(count), on))
    return sorted(out, key=lambda r: (str(r[0]), str(r[1]), r[2], r[3], str(r[4])))


def _cardinality_blocks(g: Graph, required: list[Required]) -> list[str]:
    per_class: dict[URIRef, list[str]] = {}
    for cls, prop, kind, count, on in _restrictions(g):
        name = f"{_local(cls)}-{_local(prop)}-{kind}{count}" + (f"-{_local(on)}" if on is not None else "")
        if on is not None:
            body = (f"    sh:path {_t(prop)} ;\n    sh:qualifiedValueShape [ sh:class {_t(on)} ] ;\n"
                    f"    sh:qualified{kind.capitalize()}Count {count} ;")
            what = f"{'at least' if kind == 'min' else 'at most'} {count} values of class {contract(str(on))}"
        else:
            body = f"    sh:path {_t(prop)} ;\n    sh:{kind}Count {count} ;"
            what = f"{'at least' if kind == 'min' else 'at most'} {count} values"
        per_class.setdefault(cls, []).append(
            f"{_shape(name)} a sh:PropertyShape ;\n{body}\n"
            f"    sh:message {_msg(f'{contract(str(prop))} on {contract(str(cls))} has {what} (OWL restriction)')} .")
    for req in required:
        name = f"{_local(req.cls)}-{_local(req.prop)}-required"
        per_class.setdefault(req.cls, []).append(
            f"{_shape(name)} a sh:PropertyShape ;\n    sh:path {_t(req.prop)} ;\n    sh:minCount {req.min} ;\n"
            f"    sh:message {_msg(f'every {contract(str(req.cls))} carries {contract(str(req.prop))}' + (f' at least {req.min} times' if req.min > 1 else '') + ' (shapes/required.tsv)')} .")
    blocks = []
    for cls in sorted(per_class):
        props = sorted(b.split(" ", 1)[0] for b in per_class[cls])
        blocks.append(f"{_shape(_local(cls) + '-cardinality')} a sh:NodeShape ;\n    sh:targetClass {_t(cls)} ;\n"
                      f"    sh:property {' , '.join(props)} .\n" + "\n".join(sorted(per_class[cls])))
    return blocks


def allowed_properties(g: Graph, root: URIRef) -> list[URIRef]:
    """The properties an individual of `root` may carry: those whose domain is root, a subclass or a
    superclass of it, and those with no domain."""
    related = _superclasses(g, root) | set(g.transitive_subjects(RDFS.subClassOf, root))
    out = []
    for prop in _properties(g):
        domains = [c for d in g.objects(prop, RDFS.domain) for c in (_classes_of(g, d) or [])]
        if not domains or any(d in related for d in domains):
            out.append(prop)
    return out


def _closed_blocks(g: Graph, iri_valued: list[URIRef]) -> list[str]:
    ignored = sorted(set(BUILTIN_IGNORED) | set(_annotation_properties(g)) | set(iri_valued), key=str)
    ignored_text = " ".join(_t(p) for p in ignored)
    blocks = []
    for root in _roots(g):
        allowed = allowed_properties(g, root)
        paths_text = " , ".join(f"[ sh:path {_t(p)} ]" for p in allowed) or "[ sh:path rdf:type ]"
        blocks.append(f"{_shape(_local(root) + '-closed')} a sh:NodeShape ;\n    sh:targetClass {_t(root)} ;\n"
                      f"    sh:closed true ;\n    sh:ignoredProperties ( {ignored_text} ) ;\n"
                      f"    sh:property {paths_text} ;\n"
                      f"    sh:message {_msg(f'an individual of {contract(str(root))} carries only the properties the ontology declares for it')} .")
    return blocks


def generate(ontology: Graph | None = None) -> str:
    """The generated shapes as Turtle text."""
    if ontology is None:
        from .build import ontology_graph
        ontology = ontology_graph()
    required, iri_valued = load_required(), load_iri_valued()
    from .prefixes import prefix_map
    head = [f"@prefix {p}: <{prefix_map()[p]}> ." for p in PREFIXES]
    head += ["", "# GENERATED by `nscr shapes` from ontology/nscr.ttl (+ imports), shapes/required.tsv and",
             "# shapes/iri-valued.tsv. Do not edit: edit those and regenerate (a test compares).", "",
             "<https://w3id.org/nscr/shape/structure> a owl:Ontology ;",
             '    rdfs:label "NSCR structural shapes, generated from the ontology"@en .', ""]
    sections = [("Domains and ranges of object and datatype properties", _property_blocks(ontology)),
                ("Annotation properties whose values are IRIs", _iri_valued_blocks(iri_valued)),
                ("Cardinalities: OWL restrictions and shapes/required.tsv", _cardinality_blocks(ontology, required)),
                ("Closed shapes for the root classes of the project's hierarchy", _closed_blocks(ontology, iri_valued))]
    body = []
    for title, blocks in sections:
        body += ["#" * 65, f"# {title}", "#" * 65, ""]
        body += [b + "\n" for b in blocks]
    return "\n".join(head + body)


def write(path: Path = GENERATED) -> str:
    from .serialize import write_atomic
    text = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return text
