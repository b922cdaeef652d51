"""docs/w3id/.htaccess: rules generated from the endpoint's routes, checked for real. Debian's Apache with
mod_rewrite serves the generated file at /nscr/ as w3id.org does, in front of a running `nscr serve`, and
every request, whatever its Accept header, ends at what the server itself answers for it."""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from nscr import cli, endpoint, entitypages, releaseinfo, w3id
from nscr.servers import ApacheServer, Served

ENTITIES = ["/gene/EGFR", "/regimen/adagrasib~or~sotorasib~~and~~carboplatin~~and~~palbociclib",
            "/profile/EGFR-C797S+T790M-cis"]
ACCEPTS = ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
           "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
           "TEXT/HTML", "text/turtle; charset=utf-8", "application/ld+json;q=0.5, text/turtle",
           "text/html;q=0.1, application/n-triples", "*/*", "", "text/*", "image/png"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, accept: str = "", follow: bool = True, data: bytes | None = None, type_: str | None = None):
    """(status, Content-Type, body, Location) of one request; redirects followed unless `follow` is false."""
    headers = {"Accept": accept} if accept else {}
    if type_:
        headers["Content-Type"] = type_
    opener = urllib.request.build_opener(*([] if follow else [NoRedirect]))
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read(), r.headers.get("Location")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read(), e.headers.get("Location")


@pytest.fixture(scope="module")
def hosts(reasoned, tmp_path_factory):
    """(`nscr serve` on the release, the base URL of Apache standing in for w3id.org in front of it)."""
    with Served(tmp_path_factory.mktemp("w3id") / "store", dist=reasoned) as server, \
            ApacheServer(w3id.htaccess(server.url), prefix="nscr") as apache:
        yield server, f"{apache.url}/nscr"


@pytest.fixture(scope="module")
def served(hosts):
    return hosts[0]


@pytest.fixture(scope="module")
def w3id_org(hosts):
    return hosts[1]


@pytest.mark.parametrize("accept", ACCEPTS)
def test_an_entity_iri_ends_at_the_representation_the_server_gives(served, w3id_org, accept):
    for path in ENTITIES:
        status, _, _, location = fetch(w3id_org + path, accept, follow=False)
        chosen = [key for media, key in w3id.FORMATS.items() if re.search(w3id.accept_first(media), accept, re.I)]
        assert (status, location) == (303, served.url + path + (f"?format={chosen[0]}" if chosen else ""))
        via = fetch(w3id_org + path, accept)
        direct = fetch(served.url + path, accept)
        assert via[:3] == direct[:3]
        media = entitypages.negotiate(accept, None)
        assert (via[0], via[1].split(";")[0]) == ((200, media) if media else (406, "text/plain"))


def test_a_format_in_the_iri_wins_over_accept_as_on_the_server(served, w3id_org):
    status, _, _, location = fetch(f"{w3id_org}/gene/EGFR?format=nt", "text/html", follow=False)
    assert (status, location) == (303, f"{served.url}/gene/EGFR?format=nt")
    assert fetch(f"{w3id_org}/gene/EGFR?format=nt", "text/html")[1].startswith("application/n-triples")


def test_sparql_queries_and_the_query_page_reach_the_endpoint(served, w3id_org):
    ask = urllib.parse.quote("ASK { ?g a <https://w3id.org/nscr/Gene> }")
    for route in ("sparql", "query"):
        status, media, body, _ = fetch(f"{w3id_org}/{route}?query={ask}", "application/sparql-results+json")
        assert (status, media.split(";")[0], b'"boolean":true' in body.replace(b" ", b"")) == \
            (200, "application/sparql-results+json", True)
    query = b"SELECT (COUNT(*) AS ?n) WHERE { ?g a <https://w3id.org/nscr/Gene> }"
    status, _, _, location = fetch(f"{w3id_org}/query", data=query, type_="application/sparql-query", follow=False)
    assert (status, location) == (307, f"{served.url}/query")  # 307: the client POSTs the same body again
    assert fetch(location, "text/csv", data=query, type_="application/sparql-query")[:3] == \
        fetch(f"{served.url}/query", "text/csv", data=query, type_="application/sparql-query")[:3]
    status, media, body, _ = fetch(f"{w3id_org}/", "text/html")
    assert (status, media.split(";")[0]) == (200, "text/html") and b"yasgui" in body.lower()


def test_every_route_has_its_rule_and_nothing_else_is_sent_on(w3id_org):
    text = w3id.htaccess("https://nscr.example.org")
    rules = re.findall(r"^RewriteRule (\S+) ", text, re.M)
    assert {w3id._route(pattern) for pattern, _ in endpoint.ROUTES} == set(rules)
    assert fetch(f"{w3id_org}/no-such-route", follow=False)[0] == 404


@pytest.mark.parametrize("accept", ACCEPTS + ["text/html;level=1", "text/html ;q=1", "text/htmlx", " text/turtle,*/*",
                                             "application/n-triples;Q=0.2, text/html"])
def test_a_format_is_named_only_where_the_server_would_pick_it(accept):
    """The Accept conditions, read as Python regular expressions (the same PCRE syntax), pick at most one
    type, and only the one entitypages.negotiate picks."""
    chosen = [media for media in w3id.FORMATS if re.search(w3id.accept_first(media), accept, re.I)]
    assert len(chosen) <= 1 and all(entitypages.negotiate(accept, None) == media for media in chosen)


def test_the_host_comes_from_release_toml_and_is_written_only_when_set(tmp_path, monkeypatch, capsys):
    release = tmp_path / "release.toml"
    original = releaseinfo.public_base
    monkeypatch.setattr(releaseinfo, "public_base", lambda path=None: original(release))
    monkeypatch.setattr(w3id, "OUT", tmp_path / "docs" / "w3id" / ".htaccess")
    release.write_text('version = "0.1.0"\npublic_base = ""\n')
    assert cli.main(["w3id", "--if-configured"]) == 0 and "not written" in capsys.readouterr().out
    assert cli.main(["w3id"]) == 2 and "sets no public_base" in capsys.readouterr().err
    assert not w3id.OUT.exists()
    release.write_text('version = "0.1.0"\npublic_base = "https://nscr.example.org/"\n')
    assert cli.main(["w3id", "--if-configured"]) == 0
    assert w3id.OUT.read_text() == w3id.htaccess("https://nscr.example.org")
    assert "RewriteRule ^(query|sparql)$ https://nscr.example.org/$0 [R=307,L]" in w3id.OUT.read_text()
    assert cli.main(["w3id", "--target", "http://127.0.0.1:7878"]) == 0 and "127.0.0.1:7878/$0" in w3id.OUT.read_text()
    release.write_text('version = "0.1.0"\npublic_base = "nscr.example.org"\n')
    assert cli.main(["w3id"]) == 2
    assert re.search(r"release.toml, row 2, field 'public_base': 'nscr.example.org' is not a base URL",
                     capsys.readouterr().err)
    assert cli.main(["w3id", "--target", "https://x.org/?a=1"]) == 2


def test_the_committed_redirect_file_matches_the_configured_host():
    """docs/w3id/.htaccess exists exactly when release.toml names a host, and is what `nscr w3id` writes for it."""
    base = w3id.configured()
    assert w3id.OUT.is_file() == bool(base)
    if base:
        assert w3id.OUT.read_text(encoding="utf-8") == w3id.htaccess(base)
