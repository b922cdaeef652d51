"""The HTML ontology documentation (pyLODE): parses, names every nscr class with its label and definition,
dates only from the ontology, the figures linked, byte-identical across processes."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import html5lib
import pytest
from rdflib import Literal

from nscr import htmldocs

FIGURES = ["ALK.svg", "overview.svg"]


@pytest.fixture(scope="module")
def page() -> str:
    return htmldocs.render(FIGURES)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_page_parses_as_html(page):
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    tree = parser.parse(page)
    assert tree.find(".//h1") is not None
    assert not [e for e in parser.errors if e[1] not in ("unexpected-end-tag",)][:1], parser.errors[:3]


def test_every_nscr_class_has_its_label_and_definition(page):
    graph = htmldocs.tbox()
    rows = list(graph.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c ?label ?definition WHERE { ?c a owl:Class ; rdfs:label ?label ;
          <http://purl.obolibrary.org/obo/IAO_0000115> ?definition
          FILTER(STRSTARTS(STR(?c), "https://w3id.org/nscr/")) }"""))
    assert len(rows) > 100
    blocks = {}
    for m in re.finditer(r'<div class="property entity" id="[^"]*">(.*?)(?=<div class="property entity"|<div class="section")',
                         page, re.S):
        iri = re.search(r"<code>(https?://[^<]+)</code>", m.group(1))
        if iri:
            blocks[iri.group(1)] = _text(m.group(1))
    for cls, label, definition in rows:
        block = blocks.get(str(cls))
        assert block is not None, f"{cls} has no entry"
        assert " ".join(str(label).split()) in block, cls
        assert " ".join(str(definition).split()) in block, cls


def test_dates_come_from_the_ontology_only(page):
    graph = htmldocs.tbox()
    known = {str(o) for o in graph.objects() if isinstance(o, Literal)}
    dates = set(re.findall(r"\b20\d\d-\d\d-\d\d\b", _text(page)))
    assert dates, "the page shows the release date"
    for d in dates:
        assert any(d in k for k in known), d


def test_figures_are_linked_and_shown(page):
    for name in FIGURES:
        assert f'href="../../figures/{name}"' in page
    assert '<img src="../../figures/overview.svg"' in page
    assert page.index('id="metadata"') < page.index('id="figures"') < page.index('id="classes"')


def test_written_into_dist_and_byte_identical_across_processes(tmp_path, page):
    (tmp_path / "figures").mkdir()
    for name in FIGURES:
        (tmp_path / "figures" / name).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    env = dict(os.environ, NSCR_DIST=str(tmp_path), PYTHONHASHSEED="11")
    done = subprocess.run([sys.executable, "-m", "nscr.cli", "htmldocs"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "docs" / "html" / "index.html").read_text(encoding="utf-8") == page
