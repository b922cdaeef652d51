"""Reading the curated TSV tables: column schemas and cell-level checks.

Every problem is reported as a CurationError naming the file, the line (as an
editor numbers it, header = line 1) and the column; all problems of a pass are
collected so a curator sees them together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import CurationError, CurationErrors
from .serialize import FORBIDDEN

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
SYMBOL = re.compile(r"^[A-Z0-9][A-Za-z0-9-]*$")
CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9.]*:[A-Za-z0-9_.-]+$")
INT = re.compile(r"^[0-9]+$")
DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
REF_RANGE = re.compile("([0-9]+)(?:[-\u2013]([0-9]+))?")  # 30, or a range as the review prints it: 30-32, 30\u201332

MAX_BYTE_ERRORS = 20  # a file full of bad bytes is named by its first ones

PROVENANCE = {"section": "section", "refs": "refs?", "start": "int", "end": "int", "summary": "text", "note": "text?"}
LIFECYCLE = {"deprecated": "bool?", "replaced_by": "key?"}


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: dict[str, str]
    provenance: bool = True

    def all_columns(self) -> dict[str, str]:
        cols = dict(self.columns)
        if self.provenance:
            cols.update(PROVENANCE)
        cols.update(LIFECYCLE)
        return cols


# Column kinds: a trailing '?' marks an optional column; '*list' kinds are '|'-joined.
TABLES: dict[str, Table] = {t.name: t for t in [
    Table("genes", "symbol", {"symbol": "symbol", "synonyms": "textlist?", "note": "text?"}, provenance=False),
    Table("families", "family", {"family": "symbol", "label": "text", "fplx": "curie?", "synonyms": "textlist?",
                                 "note": "text?"}, provenance=False),
    Table("drugs", "drug", {"drug": "key", "label": "text", "modality": "keyword", "targets": "symbollist?",
                            "selective_for": "keylist?", "generation": "generationlist?", "classes_stated": "keylist?",
                            "code_names": "textlist?", "platform": "keyword?", "antigens": "symbollist?"}),
    Table("interventions", "intervention", {"intervention": "key", "label": "text", "intervention_type": "keyword",
                                            "synonyms": "textlist?"}),
    Table("alterations", "alteration", {"alteration": "key", "gene": "symbollist", "alteration_type": "keyword",
                                        "protein_change": "text?", "exon": "int?", "fusion_partner": "text?",
                                        "label": "text?"}),
    Table("profiles", "profile", {"profile": "key", "components": "keylist", "phase": "keyword",
                                  "background": "keylist?", "absent": "keylist?", "label": "text?"}),
    Table("mechanisms", "mechanism", {"mechanism": "key", "label": "text", "mechanism_class": "keywordlist",
                                      "genes": "symbollist?", "alterations": "keylist?", "pathways": "curielist?",
                                      "cell_types": "curielist?"}),
    Table("statements", "statement", {"statement": "key", "subject": "key", "predicate": "keyword",
                                      "therapy": "therapy", "therapy_scope": "keyword", "direction": "keyword",
                                      "timing": "keyword", "mechanism": "keylist?", "prior_therapy": "therapy?",
                                      "line": "int?", "evidence_stage": "keyword?", "disease": "curie?",
                                      "context": "keylist?", "definition": "key?"}),
    Table("strategies", "strategy", {"strategy": "key", "label": "text", "therapy": "therapy?",
                                     "resistance_to": "therapy", "addresses": "keylist",
                                     "strategy_type": "keywordlist", "evidence_stage": "keyword?",
                                     "outcome": "keyword", "trials": "keylist?"}),
    Table("trials", "trial", {"trial": "key", "label": "text", "nct": "nct?", "phase": "keyword?",
                              "therapy": "therapy?", "comparator": "therapy?", "outcome": "keyword"}),
    Table("figures", "figure", {"figure": "key", "about": "key", "measure": "keyword", "low": "decimal",
                                "high": "decimal?", "unit": "keyword", "population": "text?",
                                "population_therapy": "therapy?"}),
    Table("mentions", "mention", {"mention": "key", "written": "text", "means": "text", "in": "keylist?",
                                  "certainty": "keyword"}),
    Table("rankings", "ranking", {"ranking": "key", "subject": "key", "prominence": "keyword", "rank": "int?",
                                  "among": "text", "among_class": "keyword?", "scope_therapy": "therapy?",
                                  "population": "text?", "measure": "keyword?"}),
    Table("subjects", "subject", {"subject": "key", "label": "text", "kind": "keyword", "cell_type": "curielist?",
                                  "genes": "symbollist?", "pathways": "curielist?", "synonyms": "textlist?",
                                  "definition": "key?"}),
    Table("definitions", "definition", {"definition": "key", "label": "text", "timing": "keyword?",
                                        "therapy": "therapy", "setting": "keywordlist"}),
    Table("criteria", "criterion", {"criterion": "key", "definition": "key", "measure": "keyword",
                                    "comparator": "keyword", "value": "decimal", "unit": "keyword"}),
    Table("table1", "fragment", {"fragment": "key", "column": "text", "start": "int", "end": "int",
                                 "used_by": "keylist?", "note": "text?"}, provenance=False),
]}


@dataclass
class Row:
    table: str
    file: str
    line: int
    values: dict[str, object] = field(default_factory=dict)
    last_read: str | None = field(default=None, compare=False, repr=False)  # the column a builder read last

    def __getitem__(self, column: str):
        self.last_read = column
        return self.values.get(column)

    def get(self, column: str, default=None):
        value = self.values.get(column)
        if value not in (None, [], ""):
            self.last_read = column
        return default if value in (None, [], "") else value

    def error(self, column: str | None, message: str) -> CurationError:
        return CurationError(self.file, self.line, column, message)

    @property
    def key(self) -> str:
        return self.values[TABLES[self.table].key]


def _parse_cell(kind: str, raw: str, row: Row, column: str, errors: list[CurationError]):
    base = kind.rstrip("?")
    if raw == "":
        if not kind.endswith("?"):
            errors.append(row.error(column, "is required but empty"))
        return [] if base.endswith("list") or base == "refs" else None
    if raw != raw.strip():
        errors.append(row.error(column, "has leading or trailing spaces"))
    if base.endswith("list"):
        items = raw.split("|")
        if any(i == "" or i != i.strip() for i in items):
            errors.append(row.error(column, f"list {raw!r} has an empty or padded item (join with '|' and no spaces)"))
        return [_parse_cell(base[:-4], i.strip(), row, column, errors) for i in items if i.strip()]
    checks = {"key": KEY, "symbol": SYMBOL, "curie": CURIE, "int": INT, "decimal": DECIMAL,
              "nct": re.compile(r"^NCT[0-9]{8}$"), "generation": re.compile(r"^([A-Z0-9]+:)?[1-4]$")}
    if base in checks and not checks[base].match(raw):
        errors.append(row.error(column, f"{raw!r} is not a valid {base}"))
        return None
    if base == "int":
        return int(raw)
    if base == "refs":
        numbers: list[int] = []
        for item in raw.split("|"):
            m = REF_RANGE.fullmatch(item)
            if not m or (m.group(2) and int(m.group(2)) <= int(m.group(1))):
                errors.append(row.error(column, f"{raw!r} must be reference numbers joined by '|' (a range such as "
                                                "30-32 or 30\u201332 is expanded)"))
                return []
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            numbers.extend(range(first, last + 1))
        return numbers
    if base == "bool":
        if raw not in ("true", "false"):
            errors.append(row.error(column, f"{raw!r} must be true or false"))
        return raw == "true"
    return raw


def _cell_of(line: str, position: int, header: list[str]) -> str | None:
    """The column a character position of a line falls in."""
    index = line.count("\t", 0, position)
    return header[index] if index < len(header) else None


def _character_problem(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, carried by the surrogateescape handler
        return f"holds byte 0x{code - 0xDC00:02X}, which is not UTF-8 (save the file as UTF-8)"
    names = {0x0B: "a vertical tab", 0x0C: "a form feed", 0x0D: "a carriage return", 0x00: "a NUL byte",
             0x1B: "an escape character"}
    what = names.get(code, f"character U+{code:04X}")
    return f"holds {what}, which RDF/XML and N-Triples cannot carry (delete it or retype the text)"


def _decode(path: Path, shown: str, errors: list[CurationError]) -> str | None:
    """The file's text, or None after naming why it cannot be read as a table: a binary file, a BOM.
    Bytes that are not UTF-8 are kept as lone surrogates, for the cell check to name their row and field."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        errors.append(CurationError(shown, 1, None, "starts with a byte-order mark (BOM); save as UTF-8 without BOM"))
        data = data[3:]
    header = data.split(b"\n", 1)[0]
    try:
        if b"\0" in header:
            raise UnicodeDecodeError("utf-8", header, 0, 1, "NUL")
        header.decode("utf-8")
    except UnicodeDecodeError:
        errors.append(CurationError(shown, None, None, "is a binary file or not UTF-8 text (its header row cannot "
                                                       "be read); save it as UTF-8 tab-separated text"))
        return None
    return data.decode("utf-8", errors="surrogateescape")


def read_table(path: Path, table: Table, errors: list[CurationError]) -> list[Row]:
    shown = paths.rel(path)
    text = _decode(path, shown, errors)
    if text is None:
        return []
    if "\r" in text and "\n" not in text.rstrip("\r\n"):
        errors.append(CurationError(shown, 1, None, "has CR line ends (classic Mac); save with LF line ends"))
        return []
    lines = text.split("\n")
    crlf = [number for number, line in enumerate(lines, start=1) if line.endswith("\r")]
    for number in crlf:
        lines[number - 1] = lines[number - 1][:-1]
    if crlf:
        more = f" (and {len(crlf) - 1} more rows)" if len(crlf) > 1 else ""
        errors.append(CurationError(shown, crlf[0], None, f"ends with CR LF (a Windows line end){more}; "
                                                          "save with LF line ends"))
    if not lines or not lines[0]:
        errors.append(CurationError(shown, 1, None, "has no header row"))
        return []
    header = lines[0].split("\t")
    schema = table.all_columns()
    for col in header:
        if col not in schema:
            errors.append(CurationError(shown, 1, col, f"unknown column for {table.name} (known: {', '.join(schema)})"))
    for col, kind in schema.items():
        if not kind.endswith("?") and col not in header:
            errors.append(CurationError(shown, 1, col, "required column is missing"))
    if len(set(header)) != len(header):
        errors.append(CurationError(shown, 1, None, "repeats a column"))
    rows = []
    bad = [CurationError(shown, number, _cell_of(line, m.start(), header), _character_problem(m.group()))
           for number, line in enumerate(lines, start=1) for m in FORBIDDEN.finditer(line)]
    errors.extend(bad[:MAX_BYTE_ERRORS])
    if len(bad) > MAX_BYTE_ERRORS:
        errors.append(CurationError(shown, None, None, f"and {len(bad) - MAX_BYTE_ERRORS} more such characters"))
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        row = Row(table.name, shown, number)
        if len(cells) != len(header):
            errors.append(row.error(None, f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        for col, raw in zip(header, cells):
            if col in schema:
                row.values[col] = _parse_cell(schema[col], raw, row, col, errors)
        for col, kind in schema.items():
            if col not in row.values:
                row.values[col] = [] if kind.rstrip("?").endswith("list") or kind == "refs" else None
        rows.append(row)
    declared = path.stem in intentionally_empty(path.parent)
    if not rows and not declared:
        errors.append(CurationError(shown, 1, None, f"has a header and no rows; add rows, or list {path.stem!r} in "
                                                    f"{paths.rel(path.parent / EMPTY_LIST)} if it is empty on purpose"))
    if rows and declared:
        errors.append(CurationError(shown, 2, None, f"has rows but {paths.rel(path.parent / EMPTY_LIST)} declares it "
                                                    "empty; remove it from that list"))
    return rows


EMPTY_LIST = "empty-tables.txt"


def intentionally_empty(folder: Path) -> set[str]:
    """The tables a folder declares empty on purpose: one table name a line in its empty-tables.txt, '#' comments."""
    path = folder / EMPTY_LIST
    if not path.is_file():
        return set()
    return {line.split("#", 1)[0].strip().removesuffix(".tsv") for line in path.read_text(encoding="utf-8").splitlines()} - {""}


def load_curation(root: Path | None = None) -> dict[str, list[Row]]:
    """All curated rows by table name: data/curation/<table>.tsv and data/curation/<topic>/<table>.tsv."""
    root = root or paths.CURATION
    errors: list[CurationError] = []
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    files = sorted(root.glob("*.tsv")) + sorted(root.glob("*/*.tsv"))
    for path in files:
        table = TABLES.get(path.stem)
        if table is None:
            errors.append(CurationError(paths.rel(path), None, None,
                                        f"is not a known table (known: {', '.join(TABLES)})"))
            continue
        out[table.name].extend(read_table(path, table, errors))
    seen: dict[tuple[str, str], Row] = {}
    for name, rows in out.items():
        for row in rows:
            key = row.key
            if key is None:
                continue
            kind = "symbol" if name in ("genes", "families") else "entity"  # a family key must not be a gene symbol
            if (kind, key) in seen:
                first = seen[(kind, key)]
                errors.append(row.error(TABLES[name].key, f"key {key!r} is already defined in {first.file}, row {first.line}"))
            else:
                seen[(kind, key)] = row
    if errors:
        raise CurationErrors(errors)
    return out
