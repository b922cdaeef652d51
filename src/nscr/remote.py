"""Talking to remote SPARQL 1.1 stores: stored queries through SPARQLWrapper, and loading the
release into any Graph Store HTTP Protocol endpoint, then counting the triples back.

Credentials come only from NSCR_ENDPOINT_USER and NSCR_ENDPOINT_PASSWORD (never the command
line), and they are never printed. Every failure becomes one RemoteError line.
"""
from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .prefixes import contract
from .queries import Result, StoredQuery, bound_text, query_form

USER_VAR, PASSWORD_VAR = "NSCR_ENDPOINT_USER", "NSCR_ENDPOINT_PASSWORD"
DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


class RemoteError(Exception):
    pass


def _credentials() -> tuple[str, str] | None:
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    return (user, password) if user and password is not None else None


def _opener(url: str) -> urllib.request.OpenerDirector:
    creds = _credentials()
    if not creds:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, *creds)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                       urllib.request.HTTPBasicAuthHandler(manager))


def _explain(endpoint: str, error: BaseException) -> RemoteError:
    if isinstance(error, urllib.error.HTTPError):
        body = error.read(300).decode("utf-8", "replace").strip().splitlines()
        hint = f" (check {USER_VAR} and {PASSWORD_VAR})" if error.code == 401 else ""
        return RemoteError(f"{endpoint} answered HTTP {error.code} {error.reason}" + (f": {body[0]}" if body else "")
                           + hint)
    if isinstance(error, (TimeoutError, socket.timeout)) or "timed out" in str(error):
        return RemoteError(f"{endpoint} did not answer in time (timed out waiting; --timeout sets how long)")
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, (BrokenPipeError, ConnectionResetError)):
        return RemoteError(f"{endpoint} closed the connection while nscr was sending (a server refusing the login "
                           f"does this: check {USER_VAR} and {PASSWORD_VAR})")
    if isinstance(error, urllib.error.URLError):
        return RemoteError(f"{endpoint} is unreachable ({error.reason}); check the URL and that the server runs")
    if isinstance(error, http.client.IncompleteRead):
        return RemoteError(f"{endpoint} cut its answer off ({len(error.partial)} bytes arrived); try again")
    if isinstance(error, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)):
        return RemoteError(f"{endpoint} closed the connection without answering; check the URL and the server's log")
    if isinstance(error, http.client.HTTPException):
        return RemoteError(f"{endpoint} did not answer in HTTP ({str(error).strip() or 'garbled answer'}); "
                           "check that the URL is a SPARQL endpoint")
    if isinstance(error, OSError):
        return RemoteError(f"{endpoint} could not be reached ({error.strerror or error})")
    detail = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
    return RemoteError(f"{endpoint}: the request failed ({detail})")


def _display(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return contract(term["value"])
    value = term["value"]
    if term.get("datatype") == DECIMAL and "." in value:
        value = value.rstrip("0").rstrip(".") if value.rstrip("0").rstrip(".") else "0"
    return value


class Client(SPARQLWrapper):
    """SPARQLWrapper that takes the query form from our parse of the query (queries.query_form)
    instead of its own guess. SPARQLWrapper._parseQueryType looks for the first of SELECT, ASK, ...,
    INSERT, DELETE, COPY, ADD... anywhere after the PREFIX lines, comments and strings included,
    so a comment like "# copy gain" made a stored query a COPY update."""

    def _parseQueryType(self, query: str) -> str:
        return query_form(query)


STATUS = {"EndPointNotFound": "HTTP 404, not a SPARQL endpoint", "Unauthorized": "HTTP 401, credentials needed "
          f"(set {USER_VAR} and {PASSWORD_VAR})", "QueryBadFormed": "HTTP 400, query refused",
          "EndPointInternalError": "HTTP 500, server error", "URITooLong": "HTTP 414, query too long"}


def _results(endpoint: str, form: str, content_type: str, data: bytes) -> Result:
    """The endpoint's answer as a Result: SPARQL JSON results, or RDF for CONSTRUCT and DESCRIBE."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = ox.RdfFormat.from_media_type(content_type) or ox.RdfFormat.TURTLE
        try:
            triples = sorted(([t.subject, t.predicate, t.object] for t in ox.parse(data, format=fmt)),
                             key=lambda r: [str(x) for x in r])
        except SyntaxError as e:
            raise RemoteError(f"the endpoint's answer is not valid RDF (cut off?): {str(e).splitlines()[0]} "
                              f"({endpoint})") from None
        rows = [[contract(t.value) if isinstance(t, ox.NamedNode) else t.value for t in r] for r in triples]
        return Result(["subject", "predicate", "object"], rows, triples)
    try:
        body = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise RemoteError(f"the endpoint's answer is not UTF-8 text ({endpoint})") from None
    except json.JSONDecodeError as e:
        if "json" not in content_type:
            raise RemoteError(f"{endpoint} answered {content_type or 'without a content type'}, not SPARQL JSON "
                              "results; check that the URL is a SPARQL query endpoint") from None
        raise RemoteError(f"the endpoint's answer is not valid JSON (cut off?): {e.msg}: line {e.lineno} "
                          f"column {e.colno} ({endpoint})") from None
    if not isinstance(body, dict) or "head" not in body or not ("boolean" in body or "results" in body):
        raise RemoteError(f"{endpoint} did not return SPARQL JSON results (no head and results); "
                          "check that the URL is a SPARQL query endpoint")
    if "boolean" in body:
        return Result(["answer"], [["true" if body["boolean"] else "false"]], [[body["boolean"]]])
    columns = body["head"].get("vars", [])
    bindings = body.get("results", {}).get("bindings", [])
    raw = [[b.get(c) for c in columns] for b in bindings]
    return Result(columns, [[_display(t) for t in r] for r in raw], raw)


def run_remote(query: StoredQuery, endpoint: str, params: dict[str, str],
               default_graphs: list[str] | None = None, timeout: float = 30) -> Result:
    """A stored query on a remote endpoint, as the same Result the embedded store gives.

    The text goes as it is, comments included (they hold nothing a parser needs to skip); the query
    form is set from our own parse, so keywords in comments cannot turn a SELECT into an update."""
    text = bound_text(query, params)
    form = query_form(text)
    sw = Client(endpoint)
    sw.setMethod(POST)
    sw.setQuery(text)
    sw.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
    sw.setTimeout(int(timeout))
    for g in default_graphs or []:
        sw.addDefaultGraph(g)
    creds = _credentials()
    if creds:
        sw.setCredentials(*creds)
    try:
        with warnings.catch_warnings():  # SPARQLWrapper warns on stderr about content types; we explain instead
            warnings.simplefilter("ignore")
            response = sw.query().response
            content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            data = response.read()
    except SPARQLWrapperException as e:
        status = STATUS.get(type(e).__name__, "with an error")
        detail = str(e).split("Response:", 1)[1].strip().splitlines()[0] if "Response:" in str(e) else ""
        raise RemoteError(f"{endpoint} answered {status}" + (f": {detail[:200]}" if detail else "")) from None
    except Exception as e:  # network errors come as several urllib/socket/http.client types
        raise _explain(endpoint, e) from None
    return _results(endpoint, form, content_type, data)


def graph_store_url(endpoint: str, graph: str) -> str:
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _authorization(request: urllib.request.Request, creds: tuple[str, str], timeout: float) -> str | None:
    """An Authorization header for `request`, from the challenge a bodiless HEAD to its URL gets.

    Servers such as Virtuoso answer an unauthenticated upload with 401 and close the connection
    before reading the body, so urllib's usual try-then-authenticate breaks the pipe mid-upload
    about half the time; authenticating up front avoids that. None when no challenge comes."""
    probe = urllib.request.Request(request.full_url, method="HEAD")
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return None
    except urllib.error.HTTPError as e:
        challenge = e.headers.get("WWW-Authenticate", "") if e.code == 401 else ""
        e.close()
    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "basic":
        return "Basic " + base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
    if scheme.lower() == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, *creds)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        answer = urllib.request.HTTPDigestAuthHandler(manager).get_authorization(request, fields)
        return f"Digest {answer}" if answer else None
    return None


def put_graph(endpoint: str, graph: str, path: Path, timeout: float = 300) -> None:
    """Replace a named graph with the file's triples (Graph Store Protocol PUT): loading twice is harmless."""
    media = "application/n-triples" if path.suffix == ".nt" else "text/turtle"
    request = urllib.request.Request(graph_store_url(endpoint, graph), data=path.read_bytes(), method="PUT",
                                     headers={"Content-Type": media})
    try:
        creds = _credentials()
        header = _authorization(request, creds, timeout) if creds else None
        if header:
            request.add_unredirected_header("Authorization", header)
        with _opener(endpoint).open(request, timeout=timeout) as response:
            response.read()
    except Exception as e:
        raise _explain(endpoint, e) from None


def count_graph(endpoint: str, graph: str, timeout: float = 300) -> int:
    """Triples in a named graph, read back with a Graph Store Protocol GET."""
    request = urllib.request.Request(graph_store_url(endpoint, graph), headers={"Accept": "application/n-triples"})
    try:
        with _opener(endpoint).open(request, timeout=timeout) as response:
            media = response.headers.get_content_type()
            data = response.read()
    except Exception as e:
        raise _explain(endpoint, e) from None
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    return len(set(ox.parse(data, format=fmt)))


def local_count(path: Path) -> int:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    return len(set(ox.parse(path=str(path), format=fmt)))


def load(endpoint: str, files: list[tuple[Path, str]]) -> list[tuple[str, int, int]]:
    """PUT each file into its graph and count it back; RemoteError when anything is missing."""
    report = []
    for path, graph in files:
        put_graph(endpoint, graph, path)
        expected, found = local_count(path), count_graph(endpoint, graph)
        report.append((graph, expected, found))
        if found != expected:
            raise RemoteError(f"{endpoint}: graph <{graph}> holds {found} triples after loading, expected {expected}")
    return report
