"""Dereferenceable IRIs: a GET on an entity's path (/gene/EGFR, /statement/egfr-s02...) answers with
what the graph says about it, in the format the client asks for: an HTML page for browsers, Turtle,
JSON-LD, N-Triples or RDF/XML for linked-data clients (content negotiation on Accept, or ?format=).

Every answer comes from the release store through the same bounded query workers as /query, so an
entity page can never cost more than a query. The page shows our summaries and the passage offsets,
never the review's text."""
from __future__ import annotations

import html
import json
import re
import urllib.parse

from . import iris
from .prefixes import NSCR, prefix_map

KINDS = tuple(k for k in iris.KINDS if k != "query")  # /query is the SPARQL endpoint itself
# the characters iris.mint leaves unescaped, plus %XX: nothing that could end an IRI inside a query
PATH = re.compile(r"/(" + "|".join(KINDS) + r")/[A-Za-z0-9%+\-_.():~/]+")
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
             "rdf": "application/rdf+xml"}
OFFERED = ("text/html", *RDF_TYPES.values())
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAPPINGS = {"http://www.w3.org/2004/02/skos/core#" + m for m in ("exactMatch", "closeMatch", "relatedMatch",
                                                                 "broadMatch", "narrowMatch")}
PASSAGE = f"{NSCR}hasPassage"
LIMIT = 2000


def negotiate(accept: str, fmt: str | None) -> str | None:
    """The media type to answer with: ?format= wins; else the Accept entry of highest weight among
    those offered (an exact type before type/*, and */* read as Turtle, the linked-data default);
    None when nothing acceptable is offered."""
    if fmt:
        return "text/html" if fmt == "html" else RDF_TYPES.get(fmt)
    entries = []
    for order, part in enumerate(p for p in accept.split(",") if p.strip()):
        media, *params = [p.strip().lower() for p in part.split(";")]
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        entries.append((media, float(q) if re.fullmatch(r"[01](\.\d{0,3})?", q) else 0.0, order))
    if not entries:
        return "text/turtle"

    def weight(offered: str) -> tuple[float, int]:
        for test in (lambda m: m == offered, lambda m: m.endswith("/*") and m != "*/*" and offered.startswith(m[:-1]),
                     lambda m: m == "*/*" and offered == "text/turtle"):
            found = [(q, -order) for m, q, order in entries if test(m)]
            if found:
                return max(found)
        return (0.0, 0)
    best = max(OFFERED, key=weight)
    return best if weight(best)[0] > 0 else None


def ask_query(iri: str) -> str:
    return f"ASK {{ <{iri}> ?p ?o }}"


def describe_query(iri: str) -> str:
    """What the graph says about the entity and every named node that points at it (blank nodes, the
    ontology's restriction axioms, are left to the ontology files)."""
    return (f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
            f"{{ ?s ?q <{iri}> FILTER isIRI(?s) }} }}")


def facts_query(iri: str) -> str:
    return f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?dir ?p ?plabel ?x ?xlabel WHERE {{
  {{ <{iri}> ?p ?x . BIND("out" AS ?dir) }} UNION {{ ?x ?p <{iri}> . FILTER isIRI(?x) BIND("in" AS ?dir) }}
  OPTIONAL {{ ?p rdfs:label ?plabel FILTER (LANG(?plabel) IN ("en", "")) }}
  OPTIONAL {{ ?x rdfs:label ?xlabel FILTER (LANG(?xlabel) IN ("en", "")) }}
}} ORDER BY ?dir ?p ?x LIMIT {LIMIT}"""


def rows(results_json: bytes) -> list[dict[str, str]]:
    data = json.loads(results_json)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def short(iri: str) -> str:
    """A CURIE through the project's prefix map where one fits, else the IRI."""
    for prefix, ns in sorted(prefix_map().items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def href(iri: str) -> str:
    """Our own IRIs link to this server's page for them; others to themselves."""
    return "/" + iri[len(str(NSCR)):] if iri.startswith(str(NSCR)) else iri


def _link(iri: str, label: str | None = None) -> str:
    text = label or short(iri)
    return f'<a href="{html.escape(href(iri))}">{html.escape(text)}</a>'


def page(iri: str, facts: list[dict[str, str]]) -> bytes:
    """The HTML page of one entity from the rows of facts_query."""
    out = [f for f in facts if f["dir"] == "out"]
    incoming = [f for f in facts if f["dir"] == "in"]
    first = lambda p: next((f["x"] for f in out if f["p"] == p), None)  # noqa: E731
    label = first(LABEL) or short(iri)
    types = [f for f in out if f["p"] == TYPE and not f["x"].endswith("NamedIndividual")]
    text = first(DEFINITION) or first(COMMENT)
    parts = [f"<h1>{html.escape(label)}</h1>",
             f'<p class="iri"><code>{html.escape(iri)}</code></p>']
    if types:
        parts.append("<p>a " + ", ".join(_link(f["x"], f.get("xlabel")) for f in types) + "</p>")
    if text:
        parts.append(f'<p class="definition">{html.escape(text)}</p>')
    ids = [f for f in out if f["p"] in MAPPINGS]
    if ids:
        parts.append("<h2>Identifiers</h2><ul>" + "".join(
            f'<li>{_link(f["x"])} <small>({html.escape(short(f["p"]))})</small></li>' for f in ids) + "</ul>")
    passages = [f for f in out if f["p"] == PASSAGE]
    if passages:
        parts.append("<h2>Where the review says it</h2><ul>" + "".join(
            f'<li>{_link(f["x"], f.get("xlabel"))}</li>' for f in passages) + "</ul>")
    shown = {LABEL, TYPE, DEFINITION, COMMENT, PASSAGE, *MAPPINGS}
    rest = [f for f in out if f["p"] not in shown]
    if rest:
        parts.append("<h2>Facts</h2><table>" + "".join(
            f'<tr><th>{_link(f["p"], f.get("plabel"))}</th><td>'
            + (_link(f["x"], f.get("xlabel")) if f["x"].startswith(("http://", "https://")) else html.escape(f["x"]))
            + "</td></tr>" for f in rest) + "</table>")
    if incoming:
        parts.append("<h2>Referred to by</h2><table>" + "".join(
            f'<tr><th>{_link(f["p"], f.get("plabel"))}</th><td>{_link(f["x"], f.get("xlabel"))}</td></tr>'
            for f in incoming) + "</table>")
    if len(facts) >= LIMIT:
        parts.append(f"<p>Only the first {LIMIT} facts are shown; the Turtle view has them all.</p>")
    formats = " · ".join(f'<a href="?format={k}" type="{v}">{k}</a>' for k, v in RDF_TYPES.items())
    parts.append(f'<p class="formats">Also as {formats} · <a href="/">query page</a></p>')
    alternates = "".join(f'<link rel="alternate" type="{v}" href="?format={k}">' for k, v in RDF_TYPES.items())
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(label)} · NSCR</title>'
            f"{alternates}<style>body{{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}}"
            f"th{{text-align:left;padding-right:1em;vertical-align:top;font-weight:normal;color:#555}}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n").encode("utf-8")


def iri_of(path: str) -> str:
    """The entity IRI a request path names (the path is the IRI's own, already percent-encoded)."""
    return f"{NSCR}{path[1:]}"


def format_param(query: str) -> str | None:
    values = urllib.parse.parse_qs(query).get("format")
    return values[0] if values else None
