"""What every table builder shares: the graph being built, the errors found so far, the curated keys,
and the helpers that turn a cell into a term (keywords, keys, genes or families, therapy expressions,
provenance). One Context is built per build; each table module only adds its own triples."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from .. import iris, paths, source, therapy, vocab
from ..errors import CurationError
from ..prefixes import NSCR, REFERENCE_PREFIX, contract, expand
from ..reference import Reference, Route
from ..tables import TABLES, Row

OA = "http://www.w3.org/ns/oa#"
HAS_DBXREF = expand("oboInOwl:hasDbXref")
IS_ABOUT = expand("IAO:0000136")
AUTHOR_STATEMENT = expand("ECO:0000033")
NSCLC = "MONDO:0005233"
REVIEW = iris.mint("source", "review")
INTERACTIONS = {"combination": NSCR.Combination, "sequential": NSCR.Sequential, "substitutes": NSCR.Substitutes}
# table -> IRI kind of its rows
KINDS = {"genes": "gene", "families": "family", "drugs": "drug", "alterations": "alteration", "profiles": "profile",
         "mechanisms": "mechanism", "statements": "statement", "strategies": "strategy", "trials": "trial",
         "figures": "figure", "mentions": "mention", "rankings": "ranking", "table1": "fragment",
         "subjects": "subject", "definitions": "definition", "criteria": "criterion",
         "interventions": "intervention"}
AA3 = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly", "H": "His",
       "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp",
       "Y": "Tyr", "V": "Val"}


def hgvs_protein(change: str | None) -> str | None:
    """T790M -> p.Thr790Met; None when the change does not name both residues."""
    m = re.fullmatch(r"([A-Z])(\d+)([A-Z])", change or "")
    if not m or m.group(1) not in AA3 or m.group(3) not in AA3:
        return None
    return f"p.{AA3[m.group(1)]}{m.group(2)}{AA3[m.group(3)]}"


def decimal(text: str) -> Literal:
    """xsd:decimal in its canonical lexical form (45 -> "45.0"), so every RDF syntax writes the same literal."""
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def en(text: str) -> Literal:
    """Every rdfs:label and comment of the release is English-tagged (the OBO label policy)."""
    return Literal(text, lang="en")


def reference_iri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return expand(f"{REFERENCE_PREFIX.get(prefix, prefix)}:{local}")


@lru_cache(maxsize=4)
def _curation_shown(curation: Path) -> str:
    return paths.rel(curation).rstrip("/") + "/"


def curation_table(row: Row) -> str:
    """The row's file relative to the curation folder (`alk/alterations.tsv`) wherever that folder is, so the
    graph does not depend on where it was built from (a grown copy in a temporary folder, for example)."""
    return row.file.removeprefix(_curation_shown(paths.CURATION))


class Context:
    def __init__(self, curation: dict[str, list[Row]], patterns: list[Row], ref: Reference,
                 review_text: str | None = None):
        self.c, self.patterns, self.ref, self.review_text = curation, patterns, ref, review_text
        self.g = Graph()
        self.errors: list[CurationError] = []
        self.gaps: list[tuple[str, str, str, str]] = []
        self.generation_families: set[str] = set()  # set by the build from the ontology
        self.keys = {name: {r.key: r for r in rows} for name, rows in curation.items()}
        self.class_keys = {r["class"]: r for r in patterns}
        self.modalities = {str(iri)[len(str(NSCR)):]: iri for iri in vocab.keywords("modality").values()}
        self.labels: dict[URIRef, str] = {}
        # where triples come from, so a failure found on the graph names the column to edit:
        # the row being built, the column each helper-made term came from, and (table, property, column) counts
        self.row: Row | None = None
        self.made: dict[object, str] = {}
        self.columns: dict[tuple[str, str, str], int] = {}
        self.mappings: list[tuple[URIRef, URIRef, URIRef, str, Route | None]] = []  # for the SSSOM file

    def building(self, row: Row | None) -> None:
        self.row, self.made = row, {}
        self.row_node = iris.mint(KINDS[row.table], row.key) if row is not None else None
        if row is not None:
            row.last_read = None

    # -- basic terms -----------------------------------------------------
    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))
        row = self.row
        if row is not None and s == self.row_node:
            column = self.made.get(o) or row.last_read
            if column is not None:
                key = (row.table, str(p), column)
                self.columns[key] = self.columns.get(key, 0) + 1

    def _made(self, column: str, term):
        """Remember which column of the row being built a term came from."""
        if term is not None and self.row is not None:
            self.made[term] = column
        return term

    def set_label(self, node: URIRef, text: str) -> None:
        self.labels[node] = text
        self.add(node, RDFS.label, en(text))

    def label_of(self, node: URIRef) -> str:
        if node in self.labels:
            return self.labels[node]
        for o in self.g.objects(node, RDFS.label):
            return str(o)
        return str(node).rsplit("/", 1)[-1]

    def keyword(self, row: Row, column: str, value: str | None, vocabulary: str | None = None) -> URIRef | None:
        """The term a keyword cell names; `vocabulary` when the column uses another column's list."""
        if value is None:
            return None
        known = vocab.keywords(vocabulary or column, row.table)
        if value not in known:
            self.errors.append(row.error(column, f"{value!r} is not an allowed value (allowed: {', '.join(sorted(known))})"))
            return None
        return self._made(column, known[value])

    def link_keywords(self, row: Row, node: URIRef, column: str, prop: URIRef, vocabulary: str | None = None) -> None:
        """(node, prop, term) for the keyword, or each keyword of a list, in the cell."""
        values = row[column] if isinstance(row[column], list) else [row[column]]
        for value in values:
            term = self.keyword(row, column, value, vocabulary)
            if term is not None:
                self.add(node, prop, term)

    def link_therapies(self, row: Row, node: URIRef, columns: dict[str, URIRef]) -> None:
        """(node, prop, therapy) for each therapy-expression column that is filled."""
        for column, prop in columns.items():
            t = self.therapy(row, column, row[column])
            if t is not None:
                self.add(node, prop, t)

    def synonyms(self, node: URIRef, names: list[str]) -> None:
        for name in names:
            self.add(node, SKOS.altLabel, en(name))

    def entity(self, row: Row, cls: URIRef) -> URIRef:
        """The row's individual with its type, key, table, lifecycle and provenance."""
        kind = KINDS[row.table]
        node = iris.mint(kind, row.key)
        self.add(node, RDF.type, OWL.NamedIndividual)
        self.add(node, RDF.type, cls)
        row.last_read = TABLES[row.table].key
        self.add(node, NSCR.curationKey, Literal(row.key))
        self.add(node, NSCR.curationTable, Literal(curation_table(row)))
        if row.get("replaced_by") and not row.get("deprecated"):
            self.errors.append(row.error("replaced_by", "only a deprecated row is replaced; set `deprecated` to true"))
        if row.get("deprecated"):
            self.add(node, OWL.deprecated, Literal(True))
            if row.get("replaced_by"):
                if row["replaced_by"] not in self.keys[row.table]:
                    self.errors.append(row.error("replaced_by", f"{row['replaced_by']!r} is not a key of {row.table}"))
                self.add(node, DCTERMS.isReplacedBy, iris.mint(kind, row["replaced_by"]))
        if row.get("note"):
            self.add(node, NSCR.curatorNote, Literal(row["note"]))
        if "section" in row.values:
            self.provenance(row, node)
        return node

    def passage(self, row: Row, start: int, end: int, section: str | None = None) -> URIRef | None:
        """The passage individual for start-end, after checking it lies in the row's section (or `section`)."""
        sections = source.sections()
        number = section or row["section"]
        if number not in sections:
            self.errors.append(row.error("section", f"{number!r} is not a section of the review"))
            return None
        sec = sections[number]
        if not start < end:
            self.errors.append(row.error("end", f"end {end} must be greater than start {start}"))
            return None
        if not (sec.start <= start and end <= sec.end):
            self.errors.append(row.error("start", f"passage {start}-{end} is outside section {number} ({sec.start}-{sec.end})"))
        node = iris.mint("passage", f"{start}-{end}")
        self.add(node, RDF.type, OWL.NamedIndividual)
        self.add(node, RDF.type, NSCR.DocumentPart)
        self.add(node, RDFS.label, en(f"review characters {start}-{end} (section {number})"))
        self.add(node, URIRef(OA + "start"), integer(start))
        self.add(node, URIRef(OA + "end"), integer(end))
        self.add(node, NSCR.inSection, iris.mint("section", number))
        self.add(node, NSCR.inDocument, REVIEW)
        return node

    def provenance(self, row: Row, node: URIRef) -> None:
        start, end = row["start"], row["end"]
        if start is not None and end is not None:
            passage = self._made("start", self.passage(row, start, end))
            if passage is not None:
                self.add(node, NSCR.hasPassage, passage)
        for ref in row["refs"] or []:
            self.add(node, NSCR.citesReference, integer(ref))
        self.add(node, RDFS.comment, en(row["summary"]))

    def link_ontology_terms(self, row: Row, node: URIRef, column: str, prefix: str, prop: URIRef) -> None:
        """(node, prop, term) for each CURIE of the cell, which must be a `prefix` term of data/reference."""
        what = {"GO:": "GO term", "CL:": "Cell Ontology term"}.get(prefix, f"{prefix} term")
        for curie in row[column]:
            if not curie.startswith(prefix) or self.ref.term(curie) is None:
                self.errors.append(row.error(column, f"{curie!r} is not a {what} in data/reference "
                                                     "(run `nscr reference` after adding it)"))
            else:
                self.add(node, prop, expand(curie))

    # -- references to other rows -----------------------------------------
    def gene_or_family(self, row: Row, column: str, symbol: str) -> URIRef:
        """A symbol cell names a gene of genes.tsv or a family of families.tsv (never both)."""
        in_genes, in_families = symbol in self.keys["genes"], symbol in self.keys["families"]
        if in_genes and in_families:
            self.errors.append(row.error(column, f"{symbol!r} is both a gene and a family key; rename the family"))
        if in_families:
            return self._made(column, iris.mint("family", symbol))
        if not in_genes:
            self.errors.append(row.error(column, f"{symbol!r} is neither a gene of genes.tsv nor a family of families.tsv"))
        return self._made(column, iris.mint("gene", symbol))

    def lookup(self, row: Row, column: str, key: str, tables: tuple[str, ...]) -> URIRef | None:
        for t in tables:
            if key in self.keys[t]:
                return self._made(column, iris.mint(KINDS[t], key))
        self.errors.append(row.error(column, f"{key!r} is not a key of {' or '.join(tables)}"))
        return None

    def drug_class(self, key: str) -> URIRef:
        return iris.mint("drugclass", key)

    def therapy(self, row: Row, column: str, text: str | None) -> URIRef | None:
        if not text:
            return None
        try:
            expr = therapy.parse(text)
        except therapy.TherapySyntaxError as e:
            self.errors.append(row.error(column, str(e)))
            return None
        return self._made(column, self._therapy_node(row, column, expr))

    def _therapy_node(self, row: Row, column: str, expr) -> URIRef | None:
        if isinstance(expr, therapy.DrugRef):  # a drug key, or a non-drug intervention's key (keys are unique across both)
            if expr.key in self.keys["interventions"]:
                return iris.mint("intervention", expr.key)
            if expr.key not in self.keys["drugs"]:
                self.errors.append(row.error(column, f"drug {expr.key!r} is not in drugs.tsv (nor an intervention of "
                                                     "interventions.tsv)"))
                return None
            return iris.mint("drug", expr.key)
        if isinstance(expr, therapy.ClassRef):
            if expr.key not in self.class_keys and expr.key not in self.modalities:
                self.errors.append(row.error(column, f"class {expr.key!r} is neither in ontology/patterns/drug_class.tsv "
                                                     f"nor a modality class ({', '.join(sorted(self.modalities))})"))
                return None
            return self.drug_class(expr.key)
        parts = [self._therapy_node(row, column, c) for c in expr.components]
        if any(p is None for p in parts):
            return None
        keys = [therapy.key_of(c) for c in expr.components]
        if len(set(keys)) != len(keys):
            self.errors.append(row.error(column, f"{therapy.render(expr)!r} names the same component twice"))
            return None
        node = iris.regimen(expr.interaction, keys)
        self.add(node, RDF.type, OWL.NamedIndividual)
        self.add(node, RDF.type, NSCR.Regimen)
        self.add(node, NSCR.interactionType, INTERACTIONS[expr.interaction])
        for p in parts:
            self.add(node, NSCR.hasComponent, p)
        joiner = {"combination": " + ", "sequential": " then ", "substitutes": " / "}[expr.interaction]
        names = [self.label_of(p) for p in parts]
        if expr.interaction != "sequential":
            names = sorted(names)
        label = joiner.join(f"({n})" if any(j.strip() in n.split() for j in ("+", "then", "/")) else n for n in names)
        self.set_label(node, label)
        return node

    def xrefs(self, node: URIRef, resolved, close_prefixes: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> None:
        """Mappings to the snapshot's identifiers (exact, or close for the prefixes named or a close route),
        each also as an oboInOwl:hasDbXref CURIE for OBO tools, and remembered with its route for SSSOM."""
        for curie, label in sorted(resolved.ids.items()):
            if curie in skip:
                continue
            iri, route = reference_iri(curie), resolved.how.get(curie)
            close = curie.split(":")[0] in close_prefixes or (route is not None and route.close)
            predicate = SKOS.closeMatch if close else SKOS.exactMatch
            self.add(node, predicate, iri)
            self.add(node, HAS_DBXREF, Literal(contract(str(iri))))
            self.mappings.append((node, predicate, iri, label, route))
            if label:
                self.add(iri, RDFS.label, en(label))

    def check_review_span(self, row: Row, column: str, start: int | None, end: int | None, expected: str) -> None:
        """Where the review text is at hand, the characters at start-end must be exactly `expected`."""
        if self.review_text is None or start is None or end is None:
            return
        found = self.review_text[start:end]
        if found != expected:
            self.errors.append(row.error(column, f"the review has {found!r} at {start}-{end}, not {expected!r} "
                                                 f"(use `nscr locate {expected!r}` to find the offsets)"))
