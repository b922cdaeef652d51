"""Real servers on loopback: the Oxigraph server and Virtuoso. Every stored query gives the same
answers remotely as embedded; loads lose no triples; bad endpoints give one line and exit 2."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from nscr import children, cli, queries, remote
from nscr.loadtest import comparable as normalise
from nscr.servers import INFERRED_GRAPH, MAIN_GRAPH, OxigraphServer, Served, VirtuosoServer, free_port
from nscr.tables import load_curation

ALL = [q for q in queries.catalogue() if not q.name.startswith("federation/")]


@pytest.fixture(scope="module")
def embedded(reasoned):
    return queries.store([reasoned / "nscr.nt", reasoned / "nscr-inferred.ttl"])


@pytest.fixture(scope="module")
def served(reasoned, tmp_path_factory):
    """The read-only release as `nscr serve` serves it (the front end and its query workers)."""
    with Served(tmp_path_factory.mktemp("served") / "store", dist=reasoned, budget=10) as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(reasoned, tmp_path_factory):
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    with server:
        os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR] = "dba", "dba"
        try:
            report = remote.load(server.store_url, [(reasoned / "nscr.nt", MAIN_GRAPH),
                                                     (reasoned / "nscr-inferred.ttl", INFERRED_GRAPH)])
        finally:
            del os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR]
        server.load_report = report
        yield server


@pytest.mark.parametrize("query", ALL, ids=[q.name for q in ALL])
def test_served_endpoint_answers_like_the_embedded_store(served, embedded, query):
    local = queries.run(query, embedded, {})
    there = remote.run_remote(query, served.query_url, {})
    assert there.columns == local.columns
    assert normalise(there.rows) == normalise(local.rows)


@pytest.mark.parametrize("query", ALL, ids=[q.name for q in ALL])
def test_virtuoso_answers_like_the_embedded_store(virtuoso, embedded, query):
    local = queries.run(query, embedded, {})
    there = remote.run_remote(query, virtuoso.query_url, {}, default_graphs=[MAIN_GRAPH, INFERRED_GRAPH])
    assert there.columns == local.columns
    assert normalise(there.rows) == normalise(local.rows)


def test_virtuoso_load_loses_nothing_and_is_repeatable(virtuoso, reasoned):
    expected = remote.local_count(reasoned / "nscr.nt")
    assert (MAIN_GRAPH, expected, expected) in virtuoso.load_report
    os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR] = "dba", "dba"
    try:
        again = remote.load(virtuoso.store_url, [(reasoned / "nscr.nt", MAIN_GRAPH)])
    finally:
        del os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR]
    assert again == [(MAIN_GRAPH, expected, expected)]


def test_virtuoso_refusing_the_login_is_one_line_naming_the_variables(virtuoso, reasoned, in_dist, capsys, monkeypatch):
    in_dist(reasoned)
    monkeypatch.setenv(remote.USER_VAR, "dba")
    monkeypatch.setenv(remote.PASSWORD_VAR, "not-the-password")
    assert cli.main(["load", "--endpoint", virtuoso.store_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and remote.PASSWORD_VAR in err and "not-the-password" not in err


def test_served_endpoint_holds_every_triple(served, reasoned):
    q = queries.StoredQuery("count", Path("-"), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "count")
    n = int(remote.run_remote(q, served.query_url, {}).rows[0][0])
    assert n == remote.local_count(reasoned / "nscr.nt") + remote.local_count(reasoned / "nscr-inferred.ttl")


def test_cli_load_into_a_writable_oxigraph(reasoned, tmp_path, in_dist, capsys):
    in_dist(reasoned)
    server = OxigraphServer(tmp_path / "rw", free_port())
    server.ensure_loaded([])
    with server:
        assert cli.main(["load", "--endpoint", f"{server.url}/store"]) == 0
        out = capsys.readouterr().out
        n = remote.local_count(reasoned / "nscr.nt")
        assert f"<{MAIN_GRAPH}>: {n} of {n} triples present" in out
        assert cli.main(["load", "--endpoint", f"{server.url}/store"]) == 0  # replacing the graph is harmless
        assert f"{n} of {n}" in capsys.readouterr().out


def test_load_into_a_read_only_endpoint_fails_loudly(served, reasoned, in_dist, capsys):
    in_dist(reasoned)
    assert cli.main(["load", "--endpoint", f"{served.url}/store"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HTTP 403" in err


def test_read_only_endpoint_refuses_updates(served):
    request = urllib.request.Request(f"{served.url}/update", data=b"update=DROP%20ALL", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (403, 405)
    q = queries.get("cq09-kras-g12c-share")  # the data is still there
    assert remote.run_remote(q, served.query_url, {}).rows == [["prevalence", "45", "%"]]


@pytest.mark.parametrize("hostile", ['EGFR" } ; DROP ALL ; SELECT * { "', "EGFR> } INSERT DATA { <a> <b> <c> } #"])
def test_hostile_parameter_is_a_literal_remotely(served, hostile):
    q = queries.get("cq20-facts-resting-on-a-misprint")
    assert remote.run_remote(q, served.query_url, {"written": hostile}).rows == []
    # 2.1.4 prints "sotolacib" twice (23722, 23788) in the passage kras-s13 and kras-x07 rest on
    assert len(remote.run_remote(q, served.query_url, {"written": "sotolacib"}).rows) == 4


def test_unreachable_endpoint_is_one_line_and_exit_2(capsys):
    port = free_port()
    assert cli.main(["query", "cq09-kras-g12c-share", "--endpoint", f"http://127.0.0.1:{port}/query"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unreachable" in err and "Traceback" not in err


def test_http_error_is_one_line(served, capsys):
    assert cli.main(["query", "cq09-kras-g12c-share", "--endpoint", f"{served.url}/no-such-path"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "404" in err


def test_silent_endpoint_times_out(capsys):
    """A server that accepts the connection and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    held = []
    threading.Thread(target=lambda: held.append(sock.accept()), daemon=True).start()
    try:
        started = time.monotonic()
        code = cli.main(["query", "cq09-kras-g12c-share", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "1"])
        assert code == 2 and time.monotonic() - started < 20
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "in time" in err
    finally:
        sock.close()


def test_federated_query_joins_a_second_endpoint(reasoned, embedded, tmp_path):
    with Served(tmp_path / "hgnc", dist=reasoned, hgnc=True) as hgnc:
        q = queries.get("federation/genes-with-hgnc-names")
        rows = queries.run(q, embedded, {"hgnc_endpoint": hgnc.query_url}).rows
    by_symbol = {r[0]: r for r in rows}
    assert by_symbol["EGFR"][1:] == ["hgnc:3236", "epidermal growth factor receptor", "gene with protein product"]
    assert by_symbol["KRAS"][2] == "KRAS proto-oncogene, GTPase"
    assert len(rows) == len({r[0] for r in rows}) == len(list((Path(__file__).parents[1] / "data/curation/genes.tsv")
                                                              .read_text().strip().split("\n"))) - 1


def test_serve_restarts_without_reloading_and_stops_on_ctrl_c(reasoned, tmp_path):
    env = dict(os.environ, NSCR_DIST=str(reasoned))
    port, store = free_port(), tmp_path / "store"
    cmd = [sys.executable, "-m", "nscr.cli", "serve", "--port", str(port), "--store", str(store)]
    for expected in ("loaded store", "reusing store"):
        proc = children.spawn(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        while not lines or "Ctrl-C" not in lines[-1]:
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        assert expected in lines[0] and f"http://127.0.0.1:{port}/query" in "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert b"yasgui" in page.read().lower()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "server stopped" in out


def test_load_tests_only_target_loopback():
    from nscr.loadtest import ensure_loopback
    ensure_loopback("http://127.0.0.1:7878/query")
    ensure_loopback("http://localhost:7878/query")
    ensure_loopback("http://[::1]:7878/query")
    for far in ("http://10.0.0.5/query", "http://192.168.1.2/sparql", "https://example.org/sparql"):
        with pytest.raises(ValueError, match="only target this machine"):
            ensure_loopback(far)


HOSTILE_COMMENTS = '''# question: which genes to copy, insert or delete? (SPARQLWrapper reads this as a COPY update)
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>  # copy of the registry entry
PREFIX nscr: <https://w3id.org/nscr/>
# insert a comment here, delete it later
SELECT ?gene WHERE {  # copy
  ?g a nscr:Gene ; rdfs:label ?gene .  # insert, delete
  FILTER (?gene != "# delete me")
}
ORDER BY ?gene
'''


def test_keywords_in_comments_do_not_change_the_query_form(served, embedded):
    from SPARQLWrapper import SPARQLWrapper
    stock = SPARQLWrapper(served.query_url)
    stock.setQuery(HOSTILE_COMMENTS)
    assert stock.queryType == "COPY" and stock.isSparqlUpdateRequest(), "the stock guess is wrong on this text"
    q = queries.parse_query(HOSTILE_COMMENTS, "hostile-comments")
    there = remote.run_remote(q, served.query_url, {})
    local = queries.run(q, embedded, {})
    assert there.columns == ["gene"] and len(there.rows) == len(load_curation()["genes"])
    assert there.rows == local.rows


def test_construct_and_ask_files_run_remotely(served, embedded):
    ask = queries.parse_query("# copy?\nASK { ?s a <https://w3id.org/nscr/Gene> }", "ask", require_question=False)
    assert remote.run_remote(ask, served.query_url, {}).rows == [["true"]]
    construct = queries.parse_query("# insert\nCONSTRUCT { ?d <http://x/p> ?l } WHERE { ?d a <https://w3id.org/nscr/Drug> ; "
                                    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }", "construct", require_question=False)
    there, local = remote.run_remote(construct, served.query_url, {}), queries.run(construct, embedded, {})
    assert there.columns == local.columns == ["subject", "predicate", "object"]
    assert there.rows == local.rows and len(there.rows) >= 41


PARAMETRISED = [q for q in ALL if q.params]


@pytest.mark.parametrize("query", PARAMETRISED, ids=[q.name for q in PARAMETRISED])
def test_the_raw_file_posted_to_the_server_gives_the_documented_answer(served, embedded, query):
    """What a user does without nscr: POST the file as it is, read SPARQL JSON back."""
    import json
    import urllib.parse
    data = urllib.parse.urlencode({"query": query.path.read_text(encoding="utf-8")}).encode()
    request = urllib.request.Request(served.query_url, data=data, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    rows = [[remote._display(b.get(c)) for c in body["head"]["vars"]] for b in body["results"]["bindings"]]
    assert normalise(rows) == normalise(queries.run(query, embedded, {}).rows)


class Canned:
    """A loopback HTTP server that answers every request with one canned reply (a bad endpoint)."""

    def __init__(self, reply: bytes):
        self.reply = reply
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/query"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    request += chunk
                length = int(next((line.split(b":")[1] for line in request.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), b"0"))
                body = request.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in request else b""
                while len(body) < length:
                    body += conn.recv(65536)
                conn.sendall(self.reply)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.sock.close()


def http_reply(body: bytes, content_type: str = "application/sparql-results+json") -> bytes:
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


@pytest.mark.parametrize("reply, message", [
    (http_reply(b'{"head": {"vars": ["measure"]}, "results": {"bindings": [{"measure": {"type": "lit'),
     "error: the endpoint's answer is not valid JSON (cut off?): Unterminated string starting at: line 1 column 79 (http://127.0.0.1:"),
    (http_reply(b"<html><body>Welcome</body></html>", "text/html"),
     "answered text/html, not SPARQL JSON results; check that the URL is a SPARQL query endpoint"),
    (http_reply(b'{"hello": "world"}'), "did not return SPARQL JSON results"),
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"head\": {",
     "cut its answer off"),
    (b"", "closed the connection without answering"),
    (b"SPARQL? never heard of it\r\n\r\n", "did not answer in HTTP"),
], ids=["truncated-json", "html", "not-sparql-json", "short-body", "hang-up", "not-http"])
def test_a_bad_answer_is_one_line_saying_what_happened(capsys, reply, message):
    with Canned(reply) as server:
        code = cli.main(["query", "cq09", "--endpoint", server.url, "--timeout", "5"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert "Error" not in err and "Traceback" not in err and "Exception" not in err
