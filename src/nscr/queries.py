"""Stored SPARQL queries: competency questions (sparql/cq), QC checks (sparql/qc) and exports
(sparql/export), each a .rq file whose leading '#' lines carry its metadata:

    # question: Which EGFR alterations confer resistance to osimertinib?
    # keywords: EGFR, osimertinib, on-target
    # param: drug iri https://w3id.org/nscr/drug/osimertinib
    # severity: error            (QC checks only)

Parameters are bound as RDF terms in a VALUES block (see bound_text), never
pasted into the query text. Queries run on an embedded pyoxigraph store holding
dist/nscr.nt and, when the reasoner has run, dist/nscr-inferred.ttl.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .prefixes import contract, expand

KINDS = ("cq", "qc", "export", "federation")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "iri" or "literal"
    default: str | None


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

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".expected.tsv")


@dataclass
class Result:
    columns: list[str]
    rows: list[list[str]]
    raw: list[list[object]]


def parse_query_file(path: Path, name: str) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep:
            meta.setdefault(key.strip(), []).append(value.strip())
    if "question" not in meta:
        raise ValueError(f"{paths.rel(path)}: the header has no '# question:' line")
    params = []
    for spec in meta.get("param", []):
        parts = spec.split(None, 2)
        if len(parts) < 2 or parts[1] not in ("iri", "literal"):
            raise ValueError(f"{paths.rel(path)}: bad '# param: {spec}' (expected: NAME iri|literal [DEFAULT])")
        params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    return StoredQuery(name, path, text, " ".join(meta["question"]),
                       [k.strip() for k in ",".join(meta.get("keywords", [])).split(",") if k.strip()],
                       params, (meta.get("severity") or ["error"])[0], (meta.get("title") or [""])[0])


def catalogue(kind: str | None = None) -> list[StoredQuery]:
    kinds = [kind] if kind else list(KINDS)
    out = []
    for k in kinds:
        for path in sorted((paths.SPARQL / k).glob("*.rq")):
            out.append(parse_query_file(path, f"{k}/{path.stem}"))
    return out


def get(name: str) -> StoredQuery:
    for q in catalogue():
        if q.name == name or q.name.split("/", 1)[1] == name:
            return q
    raise ValueError(f"no stored query named {name!r} (nscr query --list shows them)")


def term_for(param: Param, value: str):
    if param.kind == "literal":
        return ox.Literal(value)
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if value.startswith(("http://", "https://")):
        return ox.NamedNode(value)
    try:
        return ox.NamedNode(str(expand(value)))
    except ValueError:
        raise ValueError(f"parameter {param.name}: {value!r} is neither an IRI nor a CURIE with a known prefix") from None


def bindings(query: StoredQuery, given: dict[str, str]) -> dict:
    known = {p.name: p for p in query.params}
    for name in given:
        if name not in known:
            raise ValueError(f"{query.name} has no parameter {name!r} (it takes: {', '.join(known) or 'none'})")
    out = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is not None:
            out[ox.Variable(p.name)] = term_for(p, value)
    return out


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


WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bound_text(query: StoredQuery, params: dict[str, str]) -> str:
    """The query with its parameters as a VALUES block of RDF terms, placed first in the outer WHERE.

    Terms are serialised by pyoxigraph (IRIs checked, literals escaped), so a value can never
    change the query's structure; this is also the form sent to remote endpoints."""
    values = bindings(query, params)
    text = query.text
    for var, term in list(values.items()):
        # SPARQL engines evaluate SERVICE ?x before VALUES can bind ?x: put the (checked) IRI term there.
        pattern = re.compile(r"SERVICE\s+(SILENT\s+)?\?" + re.escape(var.value) + r"\b", re.IGNORECASE)
        if isinstance(term, ox.NamedNode) and pattern.search(text):
            text = pattern.sub(lambda m: f"SERVICE {m.group(1) or ''}{term}", text)
            del values[var]
    if not values:
        return text
    match = WHERE.search(text)
    if match is None:
        raise ValueError(f"{query.name}: cannot bind parameters, the query has no WHERE {{")
    names = " ".join(f"?{v.value}" for v in values)
    terms = " ".join(str(t) for t in values.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}"
    return text[:match.end()] + block + text[match.end():]


def run(query: StoredQuery, st: ox.Store, params: dict[str, str]) -> Result:
    solutions = st.query(bound_text(query, params))
    if isinstance(solutions, ox.QueryBoolean):
        return Result(["answer"], [["true" if bool(solutions) else "false"]], [[bool(solutions)]])
    columns = [v.value for v in solutions.variables]
    raw = [[sol[c] for c in columns] for sol in solutions]
    rows = [[display(t) for t in r] for r in raw]
    return Result(columns, rows, raw)


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
    the question in rdfs:comment, schema:keywords and schema:target), for endpoints and query editors."""
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    from .prefixes import NSCR, bind_all
    sh, schema = Namespace("http://www.w3.org/ns/shacl#"), Namespace("https://schema.org/")
    g = bind_all(Graph())
    for q in catalogue():
        node = URIRef(f"{NSCR}query/{q.name}")
        body = "\n".join(line for line in bound_text(q, {}).splitlines() if not line.startswith("#"))
        kind = sh.SPARQLAskExecutable if re.search(r"^\s*ASK\b", body, re.M | re.I) else sh.SPARQLSelectExecutable
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
        for k in q.keywords:
            g.add((node, schema.keywords, Literal(k)))
        for p in q.params:
            g.add((node, NSCR.queryParameter, Literal(f"{p.name} ({p.kind})" + (f" = {p.default}" if p.default else ""))))
    return g
