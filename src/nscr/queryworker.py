"""One query worker process: the store opened read-only, SPARQL queries in, serialised answers out.

The endpoint (endpoint.py) starts a few of these and kills one whose query runs past its time
budget, which is the only way to really stop work inside the query engine. Protocol on stdin and
stdout: one JSON line per request; per answer one JSON header line ({"status", "type", "length",
"message"}) then `length` bytes of body. The first line a worker writes says it is ready and which
release its store holds. Its address space is capped (a query that sorts or groups a huge join
kills only its worker: the client gets 500). Results are serialised into memory up to a byte limit; past it the worker
stops the query and answers 507 instead of sending a cut-off document."""
from __future__ import annotations

import json
import os
import resource
import sys

import pyoxigraph as ox

from . import children
from .releasestore import RELEASE_GRAPH, stamp

SOLUTION_FORMATS = {  # media type -> format, first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def negotiate(accept: str, offered: dict) -> str | None:
    """The offered media type the Accept header prefers (q-values, wildcards); the default when no
    header; None when the header accepts none of them."""
    if not accept.strip():
        return next(iter(offered))
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, position, media.lower()))
    for minus_q, _, media in sorted(ranked):
        if minus_q == 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            return next((m for m in offered if prefix == "*" or m.startswith(prefix + "/")), None)
    return None


class Limited:
    """A write-only buffer that refuses to grow past `limit` bytes (the query then stops)."""

    def __init__(self, limit: int):
        self.limit, self.size, self.parts, self.over = limit, 0, [], False

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.over = True
            raise OSError("result too large")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def answer(store: ox.Store, request: dict, graphs: list, limit: int) -> tuple[dict, bytes]:
    """Run one request; returns the header and the body."""
    if request.get("release"):
        return {"status": 200, "type": "application/json"}, json.dumps(stamp(store)).encode()
    default = [ox.NamedNode(g) for g in request.get("default_graphs") or []] or graphs + [ox.DefaultGraph()]
    named = [ox.NamedNode(g) for g in request.get("named_graphs") or []] or graphs
    try:
        result = store.query(request["query"], default_graph=default, named_graphs=named)
    except SyntaxError as e:
        return {"status": 400, "type": "text/plain"}, f"query refused: {str(e).splitlines()[0]}\n".encode()
    except (OSError, ValueError) as e:
        return {"status": 500, "type": "text/plain"}, f"query failed: {str(e).splitlines()[0]}\n".encode()
    offered = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else SOLUTION_FORMATS
    media = negotiate(request.get("accept", ""), offered)
    if media is None:
        return ({"status": 406, "type": "text/plain"},
                f"none of the accepted types is offered; ask for one of {', '.join(offered)}\n".encode())
    out = Limited(limit)
    try:
        result.serialize(out, offered[media])
    except OSError as e:
        if not out.over:
            return {"status": 500, "type": "text/plain"}, f"query failed: {str(e).splitlines()[0]}\n".encode()
        return ({"status": 507, "type": "text/plain"},
                f"result too large: over {limit:,} bytes, this endpoint's limit (nothing was sent); "
                "add a LIMIT or narrow the pattern\n".encode())
    return {"status": 200, "type": media}, b"".join(out.parts)


def main(argv: list[str] | None = None) -> int:
    location, parent, limit, memory_mb = (argv or sys.argv[1:])[:4]
    children.die_with_parent(int(parent))
    if int(memory_mb):  # a query that needs more memory ends this worker, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (int(memory_mb) << 20, int(memory_mb) << 20))
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # nothing else may write into the protocol stream
    store = ox.Store.read_only(location)
    release = ox.NamedNode(RELEASE_GRAPH)
    graphs = sorted((g for g in store.named_graphs() if g != release), key=str)
    replies.write(json.dumps({"ready": True, **stamp(store)}).encode() + b"\n")
    replies.flush()
    for line in sys.stdin.buffer:
        header, body = answer(store, json.loads(line), graphs, int(limit))
        header["length"] = len(body)
        replies.write(json.dumps(header).encode() + b"\n" + body)
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
