"""Load and latency figures for the served graph, on loopback only.

`load_test` sends a bounded number of stored queries from a fixed number of concurrent
clients and reports latency percentiles and errors. `endpoint_benchmark` starts the real
servers itself (Oxigraph and, when installed, Virtuoso), loads the release, and compares
each stored query's latency embedded and remote. Figures are printed, never asserted.
"""
from __future__ import annotations

import ipaddress
import os
import statistics
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, queries, remote
from .servers import INFERRED_GRAPH, MAIN_GRAPH, OxigraphServer, VirtuosoServer, free_port, release_files


def ensure_loopback(endpoint: str) -> None:
    host = urllib.parse.urlparse(endpoint).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"load tests only target this machine (127.0.0.0/8, ::1, localhost), not {host!r}")


@dataclass
class LoadReport:
    clients: int
    sent: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")

    def text(self) -> str:
        return (f"{self.sent} queries from {self.clients} clients in {self.seconds:.1f} s "
                f"({self.sent / self.seconds:.0f} queries/s): p50 {1000 * self.percentile(50):.1f} ms, "
                f"p95 {1000 * self.percentile(95):.1f} ms, max {1000 * max(self.latencies, default=0):.1f} ms, "
                f"errors {len(self.errors)}")


def load_test(endpoint: str, clients: int = 8, total: int = 2000, default_graphs: list[str] | None = None,
              time_limit: float = 600) -> LoadReport:
    """`total` stored queries (competency questions, round robin) from `clients` threads; stops at the limit."""
    ensure_loopback(endpoint)
    pool = queries.catalogue("cq")
    lock, counter = threading.Lock(), iter(range(total))
    report = LoadReport(clients, 0, 0.0)
    deadline = time.monotonic() + time_limit

    def worker():
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            try:
                remote.run_remote(pool[n % len(pool)], endpoint, {}, default_graphs)
                elapsed = time.perf_counter() - started
                with lock:
                    report.latencies.append(elapsed)
                    report.sent += 1
            except remote.RemoteError as e:
                with lock:
                    report.errors.append(str(e))
                    report.sent += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report.seconds = time.perf_counter() - started
    return report


def _median_ms(run, repeat: int = 5) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def endpoint_benchmark(clients: int = 8, total: int = 2000) -> str:
    dist = paths.DIST
    files = release_files(dist)
    cqs = queries.catalogue("cq")
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        embedded = queries.store([dist / "nscr.nt", dist / "nscr-inferred.ttl"])
        oxi = OxigraphServer(Path(tmp) / "oxi", free_port())
        t0 = time.perf_counter()
        oxi.ensure_loaded(files)
        lines.append(f"Oxigraph: bulk load of the release + inferred graph: {time.perf_counter() - t0:.2f} s")
        servers = [("oxigraph", oxi, [])]
        virt = VirtuosoServer(Path(tmp) / "virtuoso") if VirtuosoServer.available() else None
        with oxi:
            if virt:
                virt.start()
                os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR] = "dba", "dba"
                try:
                    t0 = time.perf_counter()
                    remote.load(virt.store_url, [(p, g) for p, g in files])
                    lines.append(f"Virtuoso: Graph Store PUT of both graphs, counted back: {time.perf_counter() - t0:.2f} s")
                finally:
                    del os.environ[remote.USER_VAR], os.environ[remote.PASSWORD_VAR]
                servers.append(("virtuoso", virt, [MAIN_GRAPH, INFERRED_GRAPH]))
            try:
                header = f"{'query':48s} {'embedded':>9s}" + "".join(f" {name:>9s}" for name, _, _ in servers)
                lines += ["", "Median latency per stored query, ms (5 runs after a warm-up; remote includes HTTP and JSON):",
                          header]
                for q in cqs:
                    cells = [_median_ms(lambda q=q: queries.run(q, embedded, {}))]
                    for _, server, graphs in servers:
                        cells.append(_median_ms(lambda q=q, s=server, g=graphs: remote.run_remote(q, s.query_url, {}, g)))
                    lines.append(f"{q.name:48s}" + "".join(f" {c:9.2f}" for c in cells))
                lines.append("")
                for name, server, graphs in servers:
                    lines.append(f"Load test on {name}: " + load_test(server.query_url, clients, total, graphs).text())
            finally:
                if virt:
                    virt.stop()
    return "\n".join(lines)
