"""Which curated row and column a node of the graph comes from, so that a failure found on the graph
(a shape, a QC check, the reasoner) names the file, row and field a curator edits.

Every individual built from a row carries nscr:curationTable (its file under data/curation/) and
nscr:curationKey; a node without them (a passage, a regimen) is traced to an individual that links
to it. The column comes from reports/columns.tsv, which the build writes: for each table and
property, the column its values were read from. No rule of the shapes is repeated here.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .errors import CurationError
from .prefixes import NSCR, contract, expand
from .tables import TABLES

COLUMNS_FILE = Path("reports") / "columns.tsv"


def columns_tsv(counts: dict[tuple[str, str, str], int]) -> str:
    """table, property, column: the column most of a property's values came from, per table."""
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for (table, prop, column), n in counts.items():
        key = (table, prop)
        if key not in best or (n, column) > best[key]:
            best[key] = (n, column)
    lines = ["table\tproperty\tcolumn\n"]
    lines += [f"{t}\t{contract(p)}\t{best[(t, p)][1]}\n" for t, p in sorted(best)]
    return "".join(lines)


def read_columns(dist: Path) -> dict[tuple[str, str], str]:
    path = dist / COLUMNS_FILE
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as f:
        return {(r["table"], str(expand(r["property"]))): r["column"] for r in csv.DictReader(f, delimiter="\t")}


def _iri(text: str) -> str | None:
    """An IRI from what reports show: a CURIE, <iri> or a full IRI; None for a literal."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://")):
        return text
    try:
        return str(expand(text)) if ":" in text and " " not in text else None
    except ValueError:
        return None


class Locator:
    """Maps graph nodes to (file, row, field) of the curation; built on demand, only when something failed."""

    def __init__(self, store: ox.Store, dist: Path, curation: Path | None = None):
        self.store, self.columns = store, read_columns(dist)
        self.curation = curation or paths.CURATION
        self._lines: dict[str, dict[str, tuple[int, dict[str, str]]]] = {}

    @classmethod
    def for_file(cls, graph_file: Path) -> "Locator":
        store = ox.Store()
        store.bulk_load(path=str(graph_file),
                        format=ox.RdfFormat.from_extension(graph_file.suffix.lstrip(".").replace("owl", "rdf")))
        return cls(store, graph_file.parent)

    def _row_of(self, table_file: str, key: str) -> tuple[int, dict[str, str]] | None:
        """(line, cells by column) of the row with that key."""
        if table_file not in self._lines:
            found: dict[str, tuple[int, dict[str, str]]] = {}
            path = self.curation / table_file
            table = TABLES.get(path.stem)
            if table is not None and path.is_file():
                lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
                header = lines[0].split("\t")
                if table.key in header:
                    col = header.index(table.key)
                    for number, line in enumerate(lines[1:], start=2):
                        cells = line.split("\t")
                        if len(cells) > col:
                            found.setdefault(cells[col], (number, dict(zip(header, cells))))
            self._lines[table_file] = found
        return self._lines[table_file].get(key)

    def _origin(self, node: str) -> tuple[str, str, str | None] | None:
        """(table file, key, property linking to the node) of the row the node comes from."""
        q = (f"SELECT ?t ?k WHERE {{ <{node}> <{NSCR.curationTable}> ?t ; <{NSCR.curationKey}> ?k }} "
             "ORDER BY ?t ?k LIMIT 1")
        for sol in self.store.query(q):
            return sol["t"].value, sol["k"].value, None
        q = (f"SELECT ?t ?k ?p WHERE {{ ?s ?p <{node}> . ?s <{NSCR.curationTable}> ?t ; <{NSCR.curationKey}> ?k }} "
             "ORDER BY ?t ?k ?p LIMIT 1")
        for sol in self.store.query(q):
            return sol["t"].value, sol["k"].value, sol["p"].value
        return None

    def locate(self, node: str, prop: str | None = None, values: tuple[str, ...] = ()) -> \
            tuple[str, int | None, str | None] | None:
        """(file as shown, row, field) for a node (CURIE or IRI) and the property at fault, if known; without
        one, the column whose cell holds one of `values`, or else the row's key column (the row as a whole)."""
        iri = _iri(node)
        if iri is None:
            return None
        try:
            found = self._origin(iri)
        except (SyntaxError, ValueError):
            return None
        if found is None:
            return None
        table_file, key, link = found
        table = Path(table_file).stem
        prop_iri = _iri(prop) if prop else None
        column = self.columns.get((table, prop_iri or "")) if prop_iri else None
        if column is None and link is not None:
            column = self.columns.get((table, link))
        line, cells = self._row_of(table_file, key) or (None, {})
        if column is None:
            column = next((c for c, cell in cells.items() for v in values if v and v in cell.split("|")), None)
        if column is None and table in TABLES:
            column = TABLES[table].key
        return paths.rel(self.curation / table_file), line, column

    def error(self, node: str, prop: str | None, message: str, values: tuple[str, ...] = ()) -> CurationError | None:
        where = self.locate(node, prop, values)
        if where is None:
            return None
        shown = f" ({node}{' ' + prop if prop else ''})"
        return CurationError(where[0], where[1], where[2], message + shown)
