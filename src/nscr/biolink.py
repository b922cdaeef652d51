"""The mapping of the project's classes and predicates to the Biolink Model, read from its one source,
ontology/mappings/biolink.tsv (checked against the Biolink Model itself by tests/test_kgx.py through `bmt`).

Each row maps one nscr term to one Biolink term, with the SKOS match (exact, close, broad: the Biolink
term is broader) and what the KGX export (kgx.py) does with it: `node` (every individual of the class,
or of a subclass, is a node with that category), `values` (every value of the property is a node of
that category: the MONDO classes of nscr:diseaseContext), `triples` (every triple of the property between two
nodes is an edge; `subject` and `object`, when given, are the classes its ends must have, so that
edges fit the Biolink predicate's domain and range), `statements` (every
supporting nscr:ResistanceStatement whose nscr:hasPredicate is this value is an edge; for a qualifier,
the property's value on the statement fills the edge's column of that name) or `-` (recorded
for integrators, written by no rule: the shortcut properties, whose edges the statements give with
their ids and passages).

The mapping lives in a TSV rather than as skos matches in nscr.ttl: the export needs the `export` and
`subject` columns, which are not mappings, and the graph's skos:exactMatch/closeMatch triples are the
identifier mappings the SSSOM file lists, which Biolink terms would join."""
from __future__ import annotations

import csv
from dataclasses import dataclass

from rdflib import URIRef

from . import paths
from .errors import CurationError, CurationErrors
from .prefixes import expand

PATH = paths.ROOT / "ontology" / "mappings" / "biolink.tsv"
COLUMNS = ("nscr_id", "biolink_id", "kind", "match", "export", "subject", "object", "comment")
KINDS = {"class": ("node", "values"), "association": ("-",), "predicate": ("triples", "statements", "-"),
         "qualifier": ("statements",)}
MATCHES = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch")
# the two prefixes a KGX file uses beyond the project's map (checked against bioregistry by a test)
KGX_PREFIXES = {"biolink": "https://w3id.org/biolink/vocab/",
                "infores": "https://w3id.org/information-resource-registry/"}


@dataclass(frozen=True)
class Mapping:
    nscr: URIRef
    nscr_curie: str
    biolink: str  # a CURIE: biolink:Gene, biolink:has_part
    kind: str
    match: str
    export: str
    subject: URIRef | None
    object: URIRef | None
    line: int


def load(path=None) -> list[Mapping]:
    """Every row, checked for form; raises CurationErrors naming the file, row and field of each problem."""
    path = path or PATH
    name = paths.rel(path)
    errors: list[CurationError] = []
    out: list[Mapping] = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise CurationErrors([CurationError(name, 1, None, f"the header must be {' '.join(COLUMNS)}")])
        seen: dict[tuple[str, str], int] = {}
        for line, row in enumerate(reader, start=2):
            def bad(field: str, message: str) -> None:
                errors.append(CurationError(name, line, field, message))
            nscr_iri = None
            ends: dict[str, URIRef | None] = {"subject": None, "object": None}
            try:
                nscr_iri = expand(row["nscr_id"] or "")
            except ValueError as e:
                bad("nscr_id", str(e))
            if not (row["biolink_id"] or "").startswith("biolink:") or " " in row["biolink_id"]:
                bad("biolink_id", f"{row['biolink_id']!r} is not a biolink: CURIE")
            if row["kind"] not in KINDS:
                bad("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)}")
            elif row["export"] not in KINDS[row["kind"]]:
                bad("export", f"{row['export']!r} is not one of {', '.join(KINDS[row['kind']])} for a {row['kind']}")
            if row["match"] not in MATCHES:
                bad("match", f"{row['match']!r} is not one of {', '.join(MATCHES)}")
            for end in ends:
                if row[end]:
                    try:
                        ends[end] = expand(row[end])
                    except ValueError as e:
                        bad(end, str(e))
            key = (row["nscr_id"], row["kind"])
            if key in seen:
                bad("nscr_id", f"{row['nscr_id']} is mapped twice (also row {seen[key]})")
            seen[key] = line
            if nscr_iri is not None:
                out.append(Mapping(nscr_iri, row["nscr_id"], row["biolink_id"], row["kind"], row["match"],
                                   row["export"], ends["subject"], ends["object"], line))
    if errors:
        raise CurationErrors(errors)
    return out
