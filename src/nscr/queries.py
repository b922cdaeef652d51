"""Stored SPARQL queries: competency questions (sparql/cq), QC checks (sparql/qc), exports
(sparql/export) and federated queries (sparql/federation), each a .rq file that runs as it is on
any SPARQL 1.1 endpoint. Its leading '#' lines carry the metadata, and its parameters' default
values stand in ONE marked VALUES block right after the outer WHERE {:

    # question: Which EGFR alterations confer resistance to osimertinib?
    # keywords: EGFR, osimertinib, on-target
    # param: drug iri the drug whose resistance is asked about
    # param: gene literal
    # severity: error            (QC checks only)
    SELECT ... WHERE {
      VALUES (?drug ?gene) { (<https://w3id.org/nscr/drug/osimertinib> "EGFR") }  # parameters

A parameter used as a SERVICE endpoint cannot take its value from VALUES (engines evaluate
SERVICE ?x before VALUES binds ?x), so its default is the IRI written in the SERVICE clause, marked
on the same line:  SERVICE <http://127.0.0.1:7879/query> {  # parameter: hgnc_endpoint

`--param` values replace those terms as RDF terms serialised by pyoxigraph (see bound_text), never
as pasted text. Queries run on an embedded pyoxigraph store holding dist/nscr.nt and, when the
reasoner has run, dist/nscr-inferred.ttl.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .prefixes import contract, expand

SEVERITIES = ("error", "warning", "info")  # QC levels, as ODK's robot report has ERROR, WARN and INFO
KINDS = ("cq", "qc", "export", "federation")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
FORMAT_HINT = ("defaults belong in one VALUES block right after the outer WHERE {, ending in '# parameters', "
               "e.g.  VALUES ?drug { <https://w3id.org/nscr/drug/osimertinib> }  # parameters")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "iri" or "literal"
    default: str | None  # the default as people write it: the IRI, or the literal's text (None: UNDEF)
    description: str = ""
    term: object = None  # the default as a pyoxigraph term
    service: bool = False  # names the endpoint of a SERVICE clause


@dataclass
class StoredQuery:
    name: str
    path: Path
    text: str
    question: str
    keywords: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    severity: str = "error"
    title: str = ""
    block: tuple[int, int, list[str]] | None = None  # span of the marked VALUES clause, its variables
    services: dict[str, tuple[int, int]] = field(default_factory=dict)  # parameter -> span of the SERVICE IRI

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".expected.tsv")

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


@dataclass
class Result:
    columns: list[str]
    rows: list[list[str]]
    raw: list[list[object]]


# --- reading SPARQL text ---------------------------------------------------------------------

IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def code_mask(text: str) -> str:
    """The text with comments and the insides of string literals blanked, offsets unchanged, so
    that keywords are only ever found in the query itself."""
    out, i, n = list(text), 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif c == "<":
            m = IRIREF.match(text, i)
            i = m.end() if m else i + 1
        elif c in "\"'":
            long_ = text.startswith(c * 3, i)
            close = c * 3 if long_ else c
            j = i + len(close)
            while j < n and not text.startswith(close, j) and (long_ or text[j] != "\n"):
                j += 2 if text[j] == "\\" else 1
            end = min(n, j + len(close))
            out[i + len(close):j] = " " * (min(j, n) - i - len(close))
            i = end
        else:
            i += 1
    return "".join(out)


PROLOGUE = re.compile(r"\s*(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue (BASE and PREFIX
    declarations), comments and strings ignored. ValueError for anything else (e.g. an update)."""
    code, pos = code_mask(text), 0
    while (m := PROLOGUE.match(code, pos)):
        pos = m.end()
    word = re.match(r"\s*([A-Za-z]+)", code[pos:])
    form = word.group(1).upper() if word else ""
    if form not in FORMS:
        raise ValueError(f"not a SPARQL query: after its PREFIX lines it must start with SELECT, ASK, CONSTRUCT "
                         f"or DESCRIBE, not {form or 'nothing'!r}")
    return form


WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
VALUES_MARK = re.compile(r"^[ \t]*(?P<clause>VALUES\b.*?)[ \t]*(?P<mark>#)[ \t]*parameters[ \t]*$",
                         re.IGNORECASE | re.MULTILINE)
SERVICE_MARK = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?(?P<iri><[^>\s]*>)\s*\{[ \t]*(?P<mark>#)[ \t]*"
                          r"parameter:[ \t]*(?P<name>\w+)[ \t]*$", re.IGNORECASE | re.MULTILINE)


def _values_terms(clause: str, where: str) -> tuple[list[str], list]:
    """Variables and their one row of terms, parsed by pyoxigraph from the VALUES clause itself."""
    try:
        solutions = ox.Store().query(f"SELECT * WHERE {{ {clause} }}")
        columns = [v.value for v in solutions.variables]
        rows = [[s[c] for c in columns] for s in solutions]
    except SyntaxError as e:
        raise ValueError(f"{where}: the '# parameters' VALUES block is not valid SPARQL ({str(e).splitlines()[0]}); "
                         "write full IRIs in <...>, prefixed names cannot be used there") from None
    if len(rows) != 1:
        raise ValueError(f"{where}: the '# parameters' VALUES block must hold exactly one row of defaults, "
                         f"it holds {len(rows)}")
    return columns, rows[0]


def _display_default(term) -> str | None:
    return None if term is None else term.value


def parse_query(text: str, name: str, where: str | None = None, require_question: bool = True) -> StoredQuery:
    """A query from its text; `where` names it in errors (the file, by default the name)."""
    where = where or name
    meta: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep:
            meta.setdefault(key.strip(), []).append(value.strip())
    if require_question and "question" not in meta:
        raise ValueError(f"{where}: the header has no '# question:' line")
    declared: dict[str, tuple[str, str]] = {}
    for spec in meta.get("param", []):
        parts = spec.split(None, 2)
        if len(parts) < 2 or parts[1] not in ("iri", "literal") or not re.fullmatch(r"\w+", parts[0]):
            raise ValueError(f"{where}: bad '# param: {spec}' (expected: # param: NAME iri|literal [description])")
        if parts[0] in declared:
            raise ValueError(f"{where}: parameter {parts[0]!r} is declared twice in the header")
        declared[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")

    code = code_mask(text)
    defaults: dict[str, object] = {}
    block = None
    marks = [m for m in VALUES_MARK.finditer(text) if code[m.start("mark")] == " " and code[m.start("clause")] == "V"]
    if len(marks) > 1:
        raise ValueError(f"{where}: {len(marks)} VALUES blocks are marked '# parameters'; there must be one")
    if marks:
        m = marks[0]
        outer = WHERE.search(code)
        if outer is None or code[outer.end():m.start("clause")].strip():
            raise ValueError(f"{where}: the '# parameters' VALUES block must come right after the outer WHERE {{")
        clause = text[m.start("clause"):m.end("clause")]
        names, terms = _values_terms(clause, where)
        defaults.update(zip(names, terms))
        block = (m.start("clause"), m.end(), names)
    services = {}
    for m in SERVICE_MARK.finditer(text):
        if code[m.start("mark")] != " ":
            continue
        pname = m.group("name")
        if pname in defaults or pname in services:
            raise ValueError(f"{where}: parameter {pname!r} has two defaults (VALUES block and SERVICE)")
        defaults[pname] = ox.NamedNode(m.group("iri")[1:-1])
        services[pname] = (m.start("iri"), m.end("iri"))
    for var in re.findall(r"\bSERVICE\s+(?:SILENT\s+)?\?(\w+)", code, re.IGNORECASE):
        if var in defaults:
            raise ValueError(f"{where}: SERVICE ?{var} cannot take its endpoint from VALUES (engines evaluate SERVICE "
                             f"first); write  SERVICE <default endpoint> {{  # parameter: {var}")

    missing = [n for n in declared if n not in defaults]
    if missing:
        raise ValueError(f"{where}: the header declares parameter(s) {', '.join(missing)} that the query gives no "
                         f"default for; {FORMAT_HINT}")
    undeclared = [n for n in defaults if n not in declared]
    if undeclared:
        raise ValueError(f"{where}: the query binds {', '.join('?' + n for n in undeclared)} as a parameter but the "
                         f"header has no '# param: NAME iri|literal' line for it")
    params = []
    for pname, (kind, description) in declared.items():
        term = defaults[pname]
        if term is not None and (kind == "iri") != isinstance(term, ox.NamedNode):
            raise ValueError(f"{where}: parameter {pname!r} is declared {kind} but its default {term} is "
                             f"{'an IRI' if isinstance(term, ox.NamedNode) else 'not an IRI'}")
        params.append(Param(pname, kind, _display_default(term), description, term, pname in services))
    severity = (meta.get("severity") or ["error"])[0]
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: '# severity: {severity}' is not one of {', '.join(SEVERITIES)}")
    return StoredQuery(name, Path(where), text, " ".join(meta.get("question", [])),
                       [k.strip() for k in ",".join(meta.get("keywords", [])).split(",") if k.strip()],
                       params, severity, (meta.get("title") or [""])[0],
                       block, services)


def parse_query_file(path: Path, name: str, require_question: bool = True) -> StoredQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{paths.rel(path)} is not UTF-8 text") from None
    query = parse_query(text, name, paths.rel(path), require_question)
    query.path = path
    return query


def catalogue(kind: str | None = None) -> list[StoredQuery]:
    kinds = [kind] if kind else list(KINDS)
    out = []
    for k in kinds:
        for path in sorted((paths.SPARQL / k).glob("*.rq")):
            out.append(parse_query_file(path, f"{k}/{path.stem}"))
    return out


def get(name: str, kind: str | None = None) -> StoredQuery:
    """A stored query by name: kind/stem or stem, or a unique prefix of the stem (cq/cq01, cq01,
    one-label), within `kind` when given. ValueError naming the candidates otherwise."""
    wanted_kind, sep, stem = name.partition("/")
    if sep and wanted_kind not in KINDS:
        raise ValueError(f"no stored query named {name!r}: {wanted_kind!r} is not one of the kinds "
                         f"{', '.join(KINDS)} (nscr query --list shows them)")
    if not sep:
        wanted_kind, stem = kind, name
    elif kind and wanted_kind != kind:
        raise ValueError(f"{name!r} is not a {kind} query (nscr query --list shows them)")
    pool = catalogue(wanted_kind)
    stems = {q.name: q.name.split("/", 1)[1] for q in pool}
    exact = [q for q in pool if stems[q.name] == stem]
    if len(exact) == 1:
        return exact[0]
    found = exact or [q for q in pool if stems[q.name].startswith(stem)] if stem else []
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"{name!r} is ambiguous: it could be {', '.join(q.name for q in found)} (give more of the name)")
    what = f"no {wanted_kind} query" if wanted_kind else "no stored query"
    raise ValueError(f"{what} named {name!r}; {_candidates(stem, stems, bool(wanted_kind))} "
                     "(nscr query --list shows them all)")


def _candidates(stem: str, stems: dict[str, str], all_if_none: bool, most: int = 6) -> str:
    """Names near an unknown one: close spellings, then those sharing its longest known beginning."""
    close = difflib.get_close_matches(stem, list(stems.values()), n=most, cutoff=0.6)
    shared = []
    for cut in range(len(stem) - 1, 1, -1):
        shared = [s for s in stems.values() if s.startswith(stem[:cut])]
        if shared:
            break
    picked = list(dict.fromkeys(close + shared)) or (list(stems.values()) if all_if_none else [])
    if not picked:
        return "no name is near it"
    names = [n for n, s in stems.items() if s in picked]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return f"candidates: {', '.join(names[:most])}{more}"


def resolve(name_or_path: str, kind: str | None = None) -> StoredQuery:
    """A stored query (see get), or any .rq file on disk given by a relative or absolute path."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise ValueError(f"{name_or_path}: no such query file")
        return parse_query_file(path, paths.rel(path), require_question=False)
    return get(name_or_path, kind)


def term_for(param: Param, value: str):
    if param.kind == "literal":
        default = param.term
        if isinstance(default, ox.Literal) and default.language:
            return ox.Literal(value, language=default.language)
        if isinstance(default, ox.Literal) and default.datatype.value != XSD_STRING:
            return ox.Literal(value, datatype=default.datatype)
        return ox.Literal(value)
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        if value.startswith(("http://", "https://")):
            return ox.NamedNode(value)
    except ValueError:
        raise ValueError(f"parameter {param.name}: {value!r} is not a valid IRI") from None
    try:
        return ox.NamedNode(str(expand(value)))
    except ValueError:
        raise ValueError(f"parameter {param.name}: {value!r} is neither an IRI nor a CURIE with a known prefix") from None


def bindings(query: StoredQuery, given: dict[str, str]) -> dict:
    """Parameter name -> term: the given value, else the default (None for UNDEF)."""
    known = {p.name: p for p in query.params}
    for name in given:
        if name not in known:
            raise ValueError(f"{query.name} has no parameter {name!r} (it takes: {', '.join(known) or 'none'})")
    return {p.name: term_for(p, given[p.name]) if p.name in given else p.term for p in query.params}


def values_clause(names: list[str], terms: list) -> str:
    cells = [str(t) if t is not None else "UNDEF" for t in terms]
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ {cells[0]} }}"
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(cells)}) }}"


def store(graph_files: list[Path] | None = None) -> ox.Store:
    files = graph_files or [paths.DIST / "nscr.nt", paths.DIST / "nscr-inferred.ttl"]
    if not files[0].is_file():
        raise FileNotFoundError(f"{paths.rel(files[0])} does not exist (run `nscr build` first)")
    st = ox.Store()
    for f in files:
        if f.is_file():
            st.bulk_load(path=str(f), format=ox.RdfFormat.from_extension(f.suffix.lstrip(".")))
    return st


def display(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return contract(term.value)
    return term.value


def bound_text(query: StoredQuery, params: dict[str, str]) -> str:
    """The query text with the given parameter values in place of the defaults.

    With no values it is the file's text itself, defaults included. Otherwise the marked VALUES
    line is rewritten whole, and each marked SERVICE IRI replaced, with terms serialised by
    pyoxigraph (IRIs checked, literals escaped on one line), so a value can never change the
    query's structure. This is also the text sent to remote endpoints."""
    if not params:
        return query.text
    values = bindings(query, params)
    edits = [(start, end, str(values[name])) for name, (start, end) in query.services.items()]
    if query.block:
        start, end, names = query.block
        edits.append((start, end, values_clause(names, [values[n] for n in names]) + "  # parameters"))
    text = query.text
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def unknown_iris(query: StoredQuery, st: ox.Store, given: dict[str, str]) -> list[tuple[str, ox.NamedNode]]:
    """The given IRI parameter values (endpoints aside) that are neither subject nor object of any triple."""
    out = []
    for name, term in bindings(query, given).items():
        p = query.param(name)
        if name in given and p.kind == "iri" and not p.service:
            if next(st.quads_for_pattern(term, None, None), None) is None and \
                    next(st.quads_for_pattern(None, None, term), None) is None:
                out.append((name, term))
    return out


def run(query: StoredQuery, st: ox.Store, params: dict[str, str]) -> Result:
    solutions = st.query(bound_text(query, params))
    if isinstance(solutions, ox.QueryBoolean):
        return Result(["answer"], [["true" if bool(solutions) else "false"]], [[bool(solutions)]])
    if isinstance(solutions, ox.QueryTriples):
        raw = sorted(([t.subject, t.predicate, t.object] for t in solutions), key=lambda r: [str(x) for x in r])
        return Result(["subject", "predicate", "object"], [[display(t) for t in r] for r in raw], raw)
    columns = [v.value for v in solutions.variables]
    raw = [[sol[c] for c in columns] for sol in solutions]
    rows = [[display(t) for t in r] for r in raw]
    return Result(columns, rows, raw)


def answer(query: StoredQuery, params: dict[str, str], st: ox.Store | None = None, warn=None) -> Result:
    """Run a query on the embedded store as `nscr query` and nscr.query() both do: the values are
    checked before any store is loaded, `warn(message)` hears of each IRI value that names nothing
    in the graph, and a query that is not valid SPARQL is a ValueError naming its file. `st`
    defaults to store() (dist/)."""
    bindings(query, params)  # refuse bad values before loading the store
    st = store() if st is None else st
    for name, term in unknown_iris(query, st, params):
        if warn:
            warn(f"parameter {name}: {term} names nothing in the graph (`nscr lookup LABEL` finds an entity's IRI)")
    try:
        return run(query, st, params)
    except SyntaxError as e:
        raise ValueError(f"{paths.rel(query.path)} is not valid SPARQL: {str(e).splitlines()[0]}") from None


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        def js(t):
            if t is None:
                return None
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.Literal):
                d = {"type": "literal", "value": t.value}
                if t.language:
                    d["xml:lang"] = t.language
                elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    d["datatype"] = t.datatype.value
                return d
            return {"type": "bnode", "value": str(t)}
        body = {"head": {"vars": result.columns},
                "results": {"bindings": [{c: js(t) for c, t in zip(result.columns, r) if t is not None}
                                         for r in result.raw]}}
        return json.dumps(body, indent=1, sort_keys=True) + "\n"
    if fmt in ("tsv", "csv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n",
                       quoting=csv.QUOTE_NONE if fmt == "tsv" else csv.QUOTE_MINIMAL, escapechar="\\")
        w.writerow(result.columns)
        w.writerows(result.rows)
        return buf.getvalue()
    widths = [max([len(c)] + [len(r[i]) for r in result.rows]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in result.rows]
    lines.append(f"({len(result.rows)} rows)")
    return "\n".join(lines) + "\n"


def read_expected(query: StoredQuery) -> tuple[list[str], list[list[str]]]:
    with open(query.expected_path, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    return lines[0], lines[1:]


def catalogue_graph():
    """The stored queries as RDF in the manner of the SIB SPARQL examples (sh:SPARQLExecutable with
    the question in rdfs:comment, schema:keywords, schema:target and, for a federated query, the
    endpoints its SERVICE clauses call as spex:federatesWith), for endpoints and query editors."""
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    from .prefixes import NSCR, bind_all
    sh, schema = Namespace("http://www.w3.org/ns/shacl#"), Namespace("https://schema.org/")
    spex = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
    g = bind_all(Graph())
    for q in catalogue():
        node = URIRef(f"{NSCR}query/{q.name}")
        # the file's text without its header: the defaults stand in its VALUES block
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
        kind = sh.SPARQLAskExecutable if query_form(q.text) == "ASK" else sh.SPARQLSelectExecutable
        g.add((node, RDF.type, sh.SPARQLExecutable))
        g.add((node, RDF.type, kind))
        if q.name.startswith("cq/"):
            g.add((node, RDF.type, NSCR.CompetencyQuestion))
        g.add((node, sh.ask if kind == sh.SPARQLAskExecutable else sh.select, Literal(body.strip() + "\n")))
        g.add((node, RDFS.comment, Literal(q.question, lang="en")))
        if q.title:
            g.add((node, RDFS.label, Literal(q.title, lang="en")))
        g.add((node, DCTERMS.identifier, Literal(q.name)))
        g.add((node, schema.target, URIRef(f"{NSCR}sparql")))
        for service in sorted(set(re.findall(r"\bSERVICE\s+(?:SILENT\s+)?<([^>]+)>", q.text, re.IGNORECASE))):
            g.add((node, spex.federatesWith, URIRef(service)))
        for k in q.keywords:
            g.add((node, schema.keywords, Literal(k)))
        for p in q.params:
            g.add((node, NSCR.queryParameter, Literal(f"{p.name} ({p.kind})" + (f" = {p.default}" if p.default else "")
                                                      + (f": {p.description}" if p.description else ""))))
    return g
