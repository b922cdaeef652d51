"""The public read-only SPARQL endpoint that `nscr serve` runs: a small HTTP front end (the standard
library's HTTP server with a fixed pool of handler threads) over a few query worker processes
(queryworker.py) that hold the store read-only.

Why not Oxigraph's own server: with `--timeout-s` it keeps one thread per query for the whole
window and dies of thread exhaustion under ordinary load, and without it a runaway query never
stops; a reverse proxy can drop the client but cannot stop the work inside the engine. Here a
query past its budget gets its worker killed (the work ends with the process) and replaced, and its
client gets 504; answers are buffered up to a byte limit and refused past it (507), never cut.

Routes live in one table (ROUTES): path pattern -> {method: handler}. A handler gets the request
and returns a Reply."""
from __future__ import annotations

import http.server
import json
import os
import queue
import re
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import children, entitypages, querypage

QUERY_TYPES = ("application/sparql-query",)
FORM_TYPE = "application/x-www-form-urlencoded"
UI_FILES = {"index.html": "text/html; charset=utf-8", "yasgui.min.js": "application/javascript",
            "yasgui.min.css": "text/css", "logo.svg": "image/svg+xml"}


class PortInUse(Exception):
    pass


class WorkerFailed(Exception):
    """A query worker could not start, or died when nobody had asked it anything."""


@dataclass
class Limits:
    budget: float = 20.0            # seconds a query may run
    max_bytes: int = 16 << 20       # largest answer sent
    workers: int = 3                # query worker processes
    threads: int = 16               # HTTP handler threads
    wait: float = 10.0              # seconds a request waits for a free worker before 503
    max_request: int = 1 << 20      # largest request body
    memory_mb: int = 2048           # address space of each worker (0: no cap)


@dataclass
class Reply:
    status: int
    body: bytes
    type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def plain(status: int, text: str, **headers: str) -> Reply:
    return Reply(status, (text.rstrip("\n") + "\n").encode(), headers=headers)


class Worker:
    """One query worker process and its pipes."""

    def __init__(self, process: subprocess.Popen):
        self.process, self.busy = process, False
        self.pending = bytearray()

    def _chunk(self, deadline: float) -> bytes:
        left = deadline - time.monotonic()
        fd = self.process.stdout.fileno()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        data = os.read(fd, 1 << 20)
        if not data:
            raise EOFError
        return data

    def read_header(self, deadline: float) -> dict:
        while b"\n" not in self.pending:
            self.pending += self._chunk(deadline)
        line, _, rest = bytes(self.pending).partition(b"\n")
        self.pending = bytearray(rest)
        return json.loads(line)

    def ask(self, request: dict, seconds: float) -> tuple[dict, bytes]:
        """Send a request and wait at most `seconds` for the answer (TimeoutError, EOFError if it died)."""
        deadline = time.monotonic() + seconds
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        header = self.read_header(deadline)
        while len(self.pending) < header["length"]:  # the answer is complete; only the pipe transfer is left
            self.pending += self._chunk(deadline + 60)
        body = bytes(self.pending[:header["length"]])
        del self.pending[:header["length"]]
        return header, body

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


class Pool:
    """The query workers. Handler threads borrow one per query; only the main thread starts them
    (the parent-death signal follows the thread that forked), so a worker killed for its budget is
    replaced by `supervise`, which the main thread calls in a loop."""

    def __init__(self, location: Path, limits: Limits, log: Path):
        self.location, self.limits, self.log = location, limits, log
        self.cond = threading.Condition()
        self.free: list[Worker] = []
        self.all: list[Worker] = []
        self.replace: queue.Queue[int] = queue.Queue()
        self.release: dict = {}

    def _spawn(self) -> Worker:
        cmd = [sys.executable, "-m", "nscr.queryworker", str(self.location), str(os.getpid()),
               str(self.limits.max_bytes), str(self.limits.memory_mb)]
        env = dict(os.environ, MALLOC_ARENA_MAX="2")  # fewer reserved arenas: the address-space cap is for queries
        with open(self.log, "ab") as log:
            process = children.spawn(cmd, python_child=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     bufsize=0, env=env)
        worker = Worker(process)
        try:
            ready = worker.read_header(time.monotonic() + 60)
        except (TimeoutError, EOFError, ValueError):
            worker.kill()
            raise WorkerFailed(f"a query worker did not start (exit code {process.returncode}); "
                               f"last lines of {self.log}:\n{children.tail(self.log)}") from None
        self.release = {k: v for k, v in ready.items() if k != "ready"}
        with self.cond:
            self.all.append(worker)
            self.free.append(worker)
            self.cond.notify()
        return worker

    def start(self) -> None:
        for _ in range(self.limits.workers):
            self._spawn()

    def _retire(self, worker: Worker) -> None:
        worker.kill()
        with self.cond:
            self.all.remove(worker)
        self.replace.put(worker.process.pid)

    def run(self, request: dict) -> tuple[dict, bytes] | Reply:
        with self.cond:
            if not self.cond.wait_for(lambda: self.free, self.limits.wait):
                return plain(503, f"all {self.limits.workers} query workers are busy; try again shortly",
                             **{"Retry-After": "5"})
            worker = self.free.pop()
            worker.busy = True
        started = time.monotonic()
        try:
            answer = worker.ask(request, self.limits.budget)
        except TimeoutError:
            self._retire(worker)
            print(f"query stopped after {time.monotonic() - started:.1f} s (budget {self.limits.budget:g} s); "
                  f"worker {worker.process.pid} killed and replaced", file=sys.stderr, flush=True)
            return plain(504, f"query timed out: stopped after {self.limits.budget:g} s, this endpoint's limit; "
                              "add a LIMIT or narrow the pattern")
        except (EOFError, OSError, ValueError):
            self._retire(worker)
            print(f"query worker {worker.process.pid} died during a query (exit code {worker.process.returncode}); "
                  "replaced", file=sys.stderr, flush=True)
            return plain(500, "the query worker failed (out of memory?) and was replaced; "
                              "narrow the query or try again")
        with self.cond:
            worker.busy = False
            self.free.append(worker)
            self.cond.notify()
        return answer

    def supervise(self, seconds: float) -> None:
        """Replace retired workers; raise WorkerFailed if an idle one died on its own."""
        try:
            self.replace.get(timeout=seconds)
            self._spawn()
        except queue.Empty:
            pass
        with self.cond:
            dead = [w for w in self.all if not w.busy and w.process.poll() is not None]
        if dead:
            w = dead[0]
            raise WorkerFailed(f"query worker {w.process.pid} exited unexpectedly with code {w.process.returncode}; "
                               f"last lines of {self.log}:\n{children.tail(self.log)}")

    def stop(self) -> None:
        for w in list(self.all):
            try:
                w.process.stdin.close()  # a worker ends when its input does
            except OSError:
                pass
        deadline = time.monotonic() + 3
        for w in list(self.all):
            try:
                w.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                w.kill()


# --- routes --------------------------------------------------------------------------------------

def sparql(app: "App", handler: "Handler", url: urllib.parse.SplitResult, body: bytes) -> Reply:
    """SPARQL 1.1 protocol query operation: GET ?query=, POST form, POST application/sparql-query."""
    params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    media = (handler.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if handler.command == "POST":
        if media == FORM_TYPE:
            params = {**params, **urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)}
        elif media in QUERY_TYPES:
            params["query"] = [body.decode("utf-8", "replace")]
        else:
            return plain(415, f"POST a query as {FORM_TYPE} (query=...) or as application/sparql-query")
    if "update" in params:
        return read_only(app, handler, url, body)
    queries = params.get("query", [])
    if len(queries) != 1:
        return plain(400, "give exactly one query parameter (the SPARQL protocol's query=...)")
    answer = app.pool.run({"query": queries[0], "accept": handler.headers.get("Accept", ""),
                           "default_graphs": params.get("default-graph-uri", []),
                           "named_graphs": params.get("named-graph-uri", [])})
    if isinstance(answer, Reply):
        return answer
    header, data = answer
    return Reply(header["status"], data, header["type"] + ("; charset=utf-8" if header["type"].startswith("text/") else ""))


def release(app: "App", handler: "Handler", url, body: bytes) -> Reply:
    """Which release the store holds, asked of a worker (the ready check compares its fingerprint),
    and how many workers are ready."""
    answer = app.pool.run({"release": True})
    if isinstance(answer, Reply):
        return answer
    header, data = answer
    with app.pool.cond:
        ready = len(app.pool.all)
    return Reply(header["status"], json.dumps({**json.loads(data), "workers": ready}).encode(), "application/json")


def entity(app: "App", handler: "Handler", url, body: bytes) -> Reply:
    """A dereferenced entity IRI (entitypages.py): HTML for browsers, RDF for clients, 404 when the
    graph says nothing about it, 406 when no format asked for is offered."""
    iri = entitypages.iri_of(url.path)
    media = entitypages.negotiate(handler.headers.get("Accept", ""), entitypages.format_param(url.query))
    if media is None:
        return plain(406, "this entity is served as " + ", ".join(entitypages.OFFERED) + " (Accept or ?format=ttl|jsonld|nt|rdf|html)")
    known = app.pool.run({"query": entitypages.ask_query(iri), "accept": "application/sparql-results+json"})
    if isinstance(known, Reply):
        return known
    if not json.loads(known[1]).get("boolean"):
        return plain(404, f"the graph says nothing about {iri}")
    vary = {"Vary": "Accept"}
    if media == "text/html":
        answer = app.pool.run({"query": entitypages.facts_query(iri), "accept": "application/sparql-results+json"})
        if isinstance(answer, Reply):
            return answer
        return Reply(200, entitypages.page(iri, entitypages.rows(answer[1])), "text/html; charset=utf-8", vary)
    answer = app.pool.run({"query": entitypages.describe_query(iri), "accept": media})
    if isinstance(answer, Reply):
        return answer
    header, data = answer
    return Reply(header["status"], data, header["type"] + ("; charset=utf-8" if header["type"].startswith("text/") else ""), vary)


def read_only(app: "App", handler: "Handler", url, body: bytes) -> Reply:
    return plain(403, "this endpoint is read-only: updates and Graph Store writes are refused "
                      "(nscr serve --writable serves a store that accepts them)")


def ui(app: "App", handler: "Handler", url, body: bytes) -> Reply:
    name = url.path.strip("/") or "index.html"
    cache = "no-cache" if name == "index.html" else "max-age=3600"  # the page lists this release's queries
    return Reply(200, app.ui[name], UI_FILES[name], {"Cache-Control": cache})


READ = ("GET", "HEAD")
ROUTES: list[tuple[re.Pattern, dict[str, Callable]]] = [
    (re.compile(r"/(query|sparql)"), {"GET": sparql, "HEAD": sparql, "POST": sparql}),
    (re.compile(r"/release"), {"GET": release}),
    (re.compile(r"/(update|store)"), {m: read_only for m in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")}),
    (re.compile(r"/(|yasgui\.min\.js|yasgui\.min\.css|logo\.svg)"), {m: ui for m in READ}),
    (entitypages.PATH, {m: entity for m in READ}),
]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nscr-endpoint"
    timeout = 30  # an idle keep-alive connection gives its thread back after this
    error_content_type = "text/plain; charset=utf-8"  # for requests that are not HTTP at all
    error_message_format = "%(code)d %(message)s\n"

    def _dispatch(self) -> None:
        app: App = self.server.app
        url = urllib.parse.urlsplit(self.path)
        methods = next((m for pattern, m in ROUTES if pattern.fullmatch(url.path)), None)
        if methods is None:
            return self._send(plain(404, f"no such path {url.path}; SPARQL queries go to /query, the query page is at /, "
                                         "entities at their IRI's path (/gene/EGFR)"))
        route = methods.get(self.command)
        if route is None:
            return self._send(plain(405, f"{self.command} is not allowed on {url.path}", Allow=", ".join(methods)))
        length = int(self.headers.get("Content-Length") or 0)
        if route is read_only:
            # read (and drop) the body first, whatever its size: a client still sending a whole graph when the
            # server closes sees a reset, not the 403
            for _ in range(0, length, 1 << 20):
                self.rfile.read(min(1 << 20, length))
                length -= 1 << 20
            self.close_connection = True
            return self._send(read_only(app, self, url, b""))
        if length > app.limits.max_request:
            self.close_connection = True  # the body stays unread
            return self._send(plain(413, f"request over {app.limits.max_request:,} bytes; send a shorter query"))
        self._send(route(app, self, url, self.rfile.read(length) if length else b""))

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def log_request(self, code="-", size="-") -> None:
        if isinstance(code, int) and code >= 500:
            self.log_message('"%s" %s', self.requestline[:200], code)


_BUSY_TEXT = b"too many connections waiting; try again\n"
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 5\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(_BUSY_TEXT), _BUSY_TEXT))


class PooledHTTPServer(http.server.HTTPServer):
    """HTTPServer with a fixed number of handler threads (ThreadingHTTPServer starts one per
    connection, without bound); connections beyond the waiting room get 503 at once."""

    request_queue_size = 128

    def __init__(self, address, threads: int, waiting: int = 64):
        super().__init__(address, Handler)
        self.waiting: queue.Queue = queue.Queue(waiting)
        for _ in range(threads):
            threading.Thread(target=self._take, daemon=True).start()

    def process_request(self, request, client_address) -> None:
        try:
            self.waiting.put_nowait((request, client_address))
        except queue.Full:
            try:
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """One line on stderr (a client that hangs up mid-answer is routine), never a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            print(f"error answering {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)

    def _take(self) -> None:
        while True:
            request, client_address = self.waiting.get()
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)


def bind(port: int, threads: int = Limits.threads) -> PooledHTTPServer:
    """Claim 127.0.0.1:port first thing, so a busy port is refused before any work is done."""
    try:
        return PooledHTTPServer(("127.0.0.1", port), threads)
    except OSError as e:
        if e.errno == 98:  # EADDRINUSE
            raise PortInUse(f"port {port} on 127.0.0.1 is in use (another server, or an earlier nscr serve still "
                            "running?); stop it or pass --port") from None
        raise


@dataclass
class App:
    limits: Limits
    pool: Pool
    ui: dict[str, bytes]


def ui_files(cache: Path, oxigraph: str) -> dict[str, bytes]:
    """Oxigraph's query editor (YASGUI script, style and logo), fetched once from the oxigraph binary of
    the venv and kept in `cache`, so the editor people know keeps working in front of the workers; the
    page around it is ours (querypage.py)."""
    version = subprocess.run([oxigraph, "--version"], capture_output=True, text=True).stdout.split()[-1]
    folder = cache / f"oxigraph-ui-{version}"
    if not all((folder / name).is_file() for name in UI_FILES):
        from .servers import free_port, stop_process, wait_until_up
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache, prefix=".ui.") as tmp:
            port = free_port()
            process = children.spawn([oxigraph, "serve", "--location", f"{tmp}/store", "--bind", f"127.0.0.1:{port}"],
                                     log=Path(tmp) / "log")
            try:
                wait_until_up(f"http://127.0.0.1:{port}/", process, 30)
                staging = Path(tmp) / "ui"
                staging.mkdir()
                for name in UI_FILES:
                    path = "" if name == "index.html" else name
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10) as r:
                        (staging / name).write_bytes(r.read())
                try:
                    os.replace(staging, folder)
                except OSError:  # another nscr serve put the page there first
                    pass
            finally:
                stop_process(process)
    files = {name: (folder / name).read_bytes() for name in UI_FILES}
    files["index.html"] = querypage.page()  # our page around Oxigraph's editor: prefixes and stored queries
    return files


def serve(httpd: PooledHTTPServer, location: Path, limits: Limits, log: Path, ui: dict[str, bytes],
          on_ready: Callable[[dict], None]) -> None:
    """Start the workers, serve until KeyboardInterrupt (SIGTERM is turned into one by the caller);
    raises WorkerFailed when a worker cannot start or dies on its own."""
    pool, serving = Pool(location, limits, log), False
    try:
        pool.start()
        httpd.app = App(limits, pool, ui)
        threading.Thread(target=httpd.serve_forever, args=(0.2,), daemon=True).start()
        serving = True
        on_ready(pool.release)
        while True:
            pool.supervise(0.2)
    finally:
        if serving:
            httpd.shutdown()
        httpd.server_close()
        pool.stop()


def ask_release(url: str, timeout: float = 5) -> dict:
    """The release a running endpoint's store holds ({} when it does not answer as ours)."""
    try:
        with urllib.request.urlopen(f"{url}/release", timeout=timeout) as r:
            return json.loads(r.read())
    except (OSError, ValueError, socket.timeout):
        return {}
