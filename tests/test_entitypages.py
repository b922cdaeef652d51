"""Dereferenceable IRIs against the real served endpoint: content negotiation over HTTP (HTML, Turtle,
JSON-LD, N-Triples, RDF/XML), 404 and 406, and the HTML page in headless Chromium. What each page must
show is read from the release graph in the test, not typed in."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from nscr import browser, entitypages, iris
from nscr.servers import Served

GENE = iris.mint("gene", "EGFR")
STATEMENT = iris.mint("statement", "egfr-s02")


@pytest.fixture(scope="module")
def server(reasoned, tmp_path_factory):
    with Served(tmp_path_factory.mktemp("entity-store") / "store", dist=reasoned) as s:
        yield s


@pytest.fixture(scope="module")
def release(reasoned):
    # the store serves the release graph with the reasoner's inferences
    return Graph().parse(reasoned / "nscr.nt", format="nt").parse(reasoned / "nscr-inferred.ttl", format="turtle")


def get(url: str, accept: str = "") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read()


@pytest.mark.parametrize("accept, fmt, media, parse_as", [
    ("text/turtle", None, "text/turtle", "turtle"),
    ("application/ld+json", None, "application/ld+json", "json-ld"),
    ("application/n-triples", None, "application/n-triples", "nt"),
    ("application/rdf+xml;q=0.9, text/plain;q=0.1", None, "application/rdf+xml", "xml"),
    ("*/*", None, "text/turtle", "turtle"),
    ("text/html", "ttl", "text/turtle", "turtle"),
], ids=["turtle", "jsonld", "ntriples", "rdfxml", "any", "format-param"])
def test_an_entity_iri_answers_in_the_format_asked(server, release, accept, fmt, media, parse_as):
    path = GENE[len("https://w3id.org/nscr"):] + (f"?format={fmt}" if fmt else "")
    status, ctype, body = get(server.url + path, accept)
    assert status == 200 and ctype.split(";")[0] == media
    graph = Graph().parse(data=body, format=parse_as)
    # every fact the release states about the gene, and each one pointing at it
    assert set(graph.triples((GENE, None, None))) == set(release.triples((GENE, None, None)))
    assert set(graph.triples((None, None, GENE))) == {t for t in release.triples((None, None, GENE)) if isinstance(t[0], URIRef)}


def test_the_html_page_shows_label_identifiers_and_what_refers_to_it(server, release):
    status, ctype, body = get(server.url + "/gene/EGFR", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and ctype.startswith("text/html")
    text = body.decode("utf-8")
    assert "<h1>EGFR</h1>" in text
    for mapped in release.objects(GENE, SKOS.exactMatch):
        assert f'href="{mapped}"' in text
    statements = [s for s in release.subjects(None, GENE) if str(s).startswith(str(iris.mint("statement", "")))]
    assert statements and all(f'href="{entitypages.href(str(s))}"' in text for s in statements)


def test_unknown_entities_and_unoffered_formats_are_refused(server):
    assert get(server.url + "/gene/NOSUCHGENE", "text/turtle")[0] == 404
    assert get(server.url + "/gene/EGFR", "image/png")[0] == 406
    assert get(server.url + "/gene/EGFR%3E%20%3Fp", "text/turtle")[0] == 404  # cannot reach into the query
    assert get(server.url + "/gene/EG>FR", "text/turtle")[0] == 404


def test_the_entity_page_in_a_browser(server, release):
    text, links = browser.page_text(server.url + STATEMENT[len("https://w3id.org/nscr"):])
    label = str(release.value(STATEMENT, RDFS.label))
    summary = release.value(STATEMENT, RDFS.comment)
    assert label in text and isinstance(summary, Literal) and str(summary) in text
    subject = release.value(STATEMENT, URIRef("https://w3id.org/nscr/hasSubject"))
    assert server.url + entitypages.href(str(subject)) in links
