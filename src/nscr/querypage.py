"""The served query page: Oxigraph's YASGUI editor (its script and style, fetched from the venv's
oxigraph binary), opened with the project's prefixes, and every stored competency question and export
in a side list; one click opens the query in a new tab titled with its question and runs it.

The page is generated from sparql/ and the prefix map, so it always lists the queries the release
answers; nothing in it is typed by hand."""
from __future__ import annotations

import html
import json

from . import queries
from .prefixes import sparql_header

KINDS = ("cq", "export")
STARTER = "SELECT ?class ?label WHERE {\n  ?class a owl:Class ; rdfs:label ?label .\n  FILTER STRSTARTS(STR(?class), STR(nscr:))\n}\nORDER BY ?label\nLIMIT 50\n"

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>NSCR SPARQL endpoint: resistance in non-small cell lung cancer</title>
<link href="./yasgui.min.css" rel="stylesheet" type="text/css">
<script src="./yasgui.min.js"></script>
<link rel="icon" type="image/svg+xml" href="/logo.svg">
<style>
body {{ margin: 0; font-family: sans-serif; display: flex; height: 100vh; }}
#nscr-examples {{ width: 330px; overflow-y: auto; border-right: 1px solid #ccc; padding: 8px; box-sizing: border-box; }}
#nscr-examples h1 {{ font-size: 15px; margin: 4px 0 8px; }}
#nscr-examples h2 {{ font-size: 13px; margin: 12px 0 4px; color: #555; }}
#nscr-examples button {{ display: block; width: 100%; text-align: left; margin: 2px 0; padding: 4px 6px;
  border: 1px solid #ddd; background: #fafafa; cursor: pointer; font-size: 12px; }}
#nscr-examples button:hover {{ background: #eef; }}
#yasgui {{ flex: 1; overflow: auto; }}
</style>
</head>
<body>
<nav id="nscr-examples" aria-label="stored queries">
<h1>Stored queries</h1>
<p style="font-size:12px">Click one to open it in a new tab and run it. Every query starts with the project's prefixes.</p>
{sections}
</nav>
<div id="yasgui"></div>
<script>
const NSCR_QUERIES = {data};
const NSCR_PREFIXES = {prefixes};
const base = window.location.href.replace(/[?#].*$/, "").replace(/\\/$/, "");
Yasgui.Yasqe.defaults.value = NSCR_PREFIXES + {starter};
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint: base + "/query" }},
  copyEndpointOnNewTab: true,
  persistenceId: null,
}});
function nscrOpen(name) {{
  const q = NSCR_QUERIES[name];
  const tab = yasgui.addTab(true, {{ name: q.title }});
  const yasqe = tab.getYasqe();
  yasqe.setValue(q.query);
  yasqe.query();
}}
document.querySelectorAll("#nscr-examples button").forEach(b => b.addEventListener("click", () => nscrOpen(b.dataset.query)));
</script>
</body>
</html>
"""


def stored() -> list[queries.StoredQuery]:
    return [q for kind in KINDS for q in queries.catalogue(kind)]


def page() -> bytes:
    """The HTML of the query page (deterministic: the same sparql/ gives the same bytes)."""
    items = stored()
    data = {q.name: {"title": q.title or q.question, "question": q.question, "query": q.text} for q in items}
    sections = []
    for kind, heading in (("cq", "Competency questions"), ("export", "Exports")):
        buttons = "".join(
            f'<button type="button" data-query="{html.escape(q.name)}" title="{html.escape(q.question)}">'
            f"{html.escape(q.title or q.question)}</button>\n"
            for q in items if q.name.startswith(kind + "/"))
        sections.append(f"<h2>{heading}</h2>\n{buttons}")

    def js(value) -> str:  # JSON that cannot close the script element
        return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return TEMPLATE.format(sections="".join(sections), data=js(data), prefixes=js(sparql_header()),
                           starter=js(STARTER)).encode("utf-8")
