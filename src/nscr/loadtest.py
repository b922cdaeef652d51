"""Load and latency figures for the served graph, on loopback only.

`load_test` keeps a fixed number of clients sending stored queries with no pause, for a number of
queries or of seconds, checks every answer against the embedded store's, and reports latency
percentiles, errors, wrong answers and (given the server's pid) the most threads its process tree
had. `runaway` sends a query that would run for ever and reports how it was stopped.
`endpoint_benchmark` starts the real servers itself (`nscr serve` and, when installed, Virtuoso),
and prints all of it. Figures are printed, never asserted.
"""
from __future__ import annotations

import ipaddress
import os
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import children, paths, queries, remote
from .endpoint import ask_release
from .servers import INFERRED_GRAPH, MAIN_GRAPH, Served, VirtuosoServer, release_files

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK_ANY = "ASK { ?s ?p ?o }"  # the probe that killed Oxigraph's own server (issue 8)


def ensure_loopback(endpoint: str) -> None:
    host = urllib.parse.urlparse(endpoint).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"load tests only target this machine (127.0.0.0/8, ::1, localhost), not {host!r}")


def comparable(rows: list[list[str]]) -> list[tuple[str, ...]]:
    """Rows as sorted tuples; '|'-joined aggregates compared as sets (engines order GROUP_CONCAT freely)."""
    return sorted(tuple("|".join(sorted(c.split("|"))) for c in r) for r in rows)


def mix() -> list[queries.StoredQuery]:
    """What the clients send: every competency question, and the bare ASK of the issue's probe."""
    return queries.catalogue("cq") + [queries.parse_query(ASK_ANY, "ask-any", require_question=False)]


def expected_answers(pool: list[queries.StoredQuery], dist: Path | None = None) -> dict[str, list]:
    dist = dist or paths.DIST
    store = queries.store([dist / "nscr.nt", dist / "nscr-inferred.ttl"])
    return {q.name: comparable(queries.run(q, store, {}).rows) for q in pool}


@dataclass
class LoadReport:
    clients: int
    sent: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong: list[str] | None = None  # answers that differ from the embedded store's, when checked
    max_threads: int | None = None

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")

    def text(self) -> str:
        threads = f", max threads {self.max_threads}" if self.max_threads is not None else ""
        wrong = f", wrong answers {len(self.wrong)}" if self.wrong is not None else ""
        return (f"{self.sent} queries from {self.clients} clients in {self.seconds:.1f} s "
                f"({self.sent / self.seconds:.0f} queries/s): p50 {1000 * self.percentile(50):.1f} ms, "
                f"p95 {1000 * self.percentile(95):.1f} ms, max {1000 * max(self.latencies, default=0):.1f} ms, "
                f"errors {len(self.errors)}{wrong}{threads}")


def load_test(endpoint: str, clients: int = 8, total: int | None = 2000, default_graphs: list[str] | None = None,
              seconds: float = 600, expected: dict[str, list] | None = None, watch: int | None = None) -> LoadReport:
    """`clients` threads send stored queries round robin with no pause until `total` are sent or
    `seconds` pass. With `expected` (query name -> comparable rows) each answer is checked; with
    `watch` (a server's pid) its process tree's thread count is sampled every 0.1 s."""
    ensure_loopback(endpoint)
    pool = mix() if expected else queries.catalogue("cq")
    lock, counter = threading.Lock(), iter(range(total if total is not None else 1 << 62))
    report = LoadReport(clients, 0, 0.0, wrong=[] if expected else None, max_threads=0 if watch else None)
    deadline, done = time.monotonic() + seconds, threading.Event()

    def client():
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            query = pool[n % len(pool)]
            started = time.perf_counter()
            try:
                rows = remote.run_remote(query, endpoint, {}, default_graphs).rows
                elapsed = time.perf_counter() - started
                with lock:
                    report.latencies.append(elapsed)
                    if expected and comparable(rows) != expected[query.name]:
                        report.wrong.append(query.name)
            except remote.RemoteError as e:
                with lock:
                    report.errors.append(str(e))
            with lock:
                report.sent += 1

    def sample():
        while not done.wait(0.1):
            report.max_threads = max(report.max_threads, children.threads(children.descendants(watch)))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    sampler = threading.Thread(target=sample) if watch else None
    for t in threads + ([sampler] if sampler else []):
        t.start()
    for t in threads:
        t.join()
    done.set()
    if sampler:
        sampler.join()
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class Runaway:
    query: str
    status: int
    seconds: float
    message: str
    workers_before: list[int]
    workers_after: list[int]
    cpu_after: float  # CPU seconds the server's process tree used in the second after the answer

    def text(self) -> str:
        gone = sorted(set(self.workers_before) - set(self.workers_after))
        return (f"{self.query}: HTTP {self.status} after {self.seconds:.2f} s ({self.message.strip()}); "
                f"worker(s) killed: {gone or 'none'}; CPU used by the server in the next second: {self.cpu_after:.2f} s")


def workers_of(pid: int) -> list[int]:
    return [p for p in children.descendants(pid) if p != pid]


def runaway(endpoint: str, query: str, pid: int, timeout: float = 120) -> Runaway:
    """POST a query that never ends on its own; how the server stopped it, and whether it went idle."""
    ensure_loopback(endpoint)
    before = workers_of(pid)
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=data, headers={"Accept": "application/sparql-results+json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            status, message = r.status, f"{len(r.read())} bytes"
    except urllib.error.HTTPError as e:
        status, message = e.code, e.read().decode("utf-8", "replace")
    seconds = time.monotonic() - started
    base = endpoint.rsplit("/", 1)[0]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and ask_release(base).get("workers", 0) < len(before):
        time.sleep(0.1)  # the replacement worker starting up is not the runaway's work
    tree = children.descendants(pid)
    cpu0 = children.cpu_seconds(tree)
    time.sleep(1)
    return Runaway(query, status, seconds, message, before, workers_of(pid), children.cpu_seconds(tree) - cpu0)


def _median_ms(run, repeat: int = 5) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def endpoint_benchmark(clients: int = 8, seconds: float = 60, budget: float = 10, emit=print) -> None:
    """Print each figure as soon as it is measured."""
    dist = paths.DIST
    files = release_files(dist)
    cqs = queries.catalogue("cq")
    with tempfile.TemporaryDirectory() as tmp:
        embedded = queries.store([dist / "nscr.nt", dist / "nscr-inferred.ttl"])
        served = Served(Path(tmp) / "store", dist=dist, budget=budget)
        t0 = time.perf_counter()
        served.start()
        emit(f"nscr serve: load of the release + inferred graph and start: {time.perf_counter() - t0:.2f} s")
        servers = [("nscr serve", served, [])]
        virt = VirtuosoServer(Path(tmp) / "virtuoso") if VirtuosoServer.available() else None
        try:
            if virt:
                virt.start()
                os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR] = "dba", "dba"
                try:
                    t0 = time.perf_counter()
                    remote.load(virt.store_url, [(p, g) for p, g in files])
                    emit(f"Virtuoso: Graph Store PUT of both graphs, counted back: {time.perf_counter() - t0:.2f} s")
                finally:
                    del os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR]
                servers.append(("virtuoso", virt, [MAIN_GRAPH, INFERRED_GRAPH]))
            header = f"{'query':48s} {'embedded':>9s}" + "".join(f" {name:>10s}" for name, _, _ in servers)
            emit("\nMedian latency per stored query, ms (5 runs after a warm-up; remote includes HTTP and JSON):")
            emit(header)
            for q in cqs:
                cells = [_median_ms(lambda q=q: queries.run(q, embedded, {}))]
                for _, server, graphs in servers:
                    cells.append(_median_ms(lambda q=q, s=server, g=graphs: remote.run_remote(q, s.query_url, {}, g)))
                emit(f"{q.name:48s}" + "".join(f" {c:10.2f}" for c in cells))
            emit("")
            expected = expected_answers(mix(), dist)
            report = load_test(served.query_url, clients, None, seconds=seconds, expected=expected,
                               watch=served.process.pid)
            emit(f"Load test on nscr serve, {clients} clients with no pause for {seconds:g} s: {report.text()}")
            if virt:
                emit("Load test on virtuoso: "
                             + load_test(virt.query_url, clients, 2000, [MAIN_GRAPH, INFERRED_GRAPH]).text())
            emit(f"\nRunaway queries on nscr serve (budget {budget:g} s):")
            for query in (COUNT_JOIN, CROSS_JOIN):
                emit("  " + runaway(served.query_url, query, served.process.pid).text())
        finally:
            served.stop()
            if virt:
                virt.stop()
