"""Real SPARQL servers on loopback: `nscr serve` (the read-only endpoint), the Oxigraph server
(from the `oxigraph` PyPI package, read-write) and Virtuoso Open Source (Debian's
virtuoso-opensource). One place starts, loads and stops them, for `nscr serve`, the Makefile and
the tests alike; each dies with the process that started it."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph

from . import children, paths, releasestore
from .endpoint import PortInUse
from .releasestore import fingerprint

MAIN_GRAPH = "https://w3id.org/nscr/graph/main"
INFERRED_GRAPH = "https://w3id.org/nscr/graph/inferred"
DEFAULT_PORT = 7878
HGNC_PORT = 7879


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_until_up(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    wait_until_ready(lambda: answers(url), process, seconds, log, f"the server for {url}")


def stop_process(process: subprocess.Popen | None, seconds: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def oxigraph_binary() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not found:
        raise FileNotFoundError("the oxigraph server binary is missing (pip install oxigraph)")
    return found


def release_files(dist: Path | None = None) -> list[tuple[Path, str | None]]:
    """What a server holds: the release graph and, in its own named graph, the inferred memberships."""
    dist = dist or paths.DIST
    files = [(dist / "nscr.nt", MAIN_GRAPH)]
    if (dist / "nscr-inferred.ttl").is_file():
        files.append((dist / "nscr-inferred.ttl", INFERRED_GRAPH))
    missing = [str(p) for p, _ in files if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} missing (run `make reason` first)")
    return files


class LocalServer:
    """A server process this project starts on loopback; `with server:` starts and stops it.
    It runs in its own process group and dies with the process that started it (children.spawn)."""

    process: subprocess.Popen | None = None
    stop_seconds: float = 20
    port: int
    query_path: str = "/query"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}{self.query_path}"

    def start(self) -> "LocalServer":
        raise NotImplementedError

    def stop(self) -> None:
        stop_process(self.process, self.stop_seconds)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port (connections lingering in TIME_WAIT do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until_ready(check, process: subprocess.Popen, seconds: float, log: Path | None, what: str) -> None:
    """Poll `check()` until it is true; the process dying first, or the time running out, is an error
    naming the server's last log lines."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was ready; "
                               f"last lines of its log:\n{children.tail(log)}")
        if check():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} was not ready after {seconds:.0f} s; last lines of its log:\n{children.tail(log)}")


class Served(LocalServer):
    """`nscr serve` itself, as a child process: the read-only endpoint (endpoint.py) over `store`,
    serving the release in `dist`. Ready once its /release answer carries that release's fingerprint."""

    def __init__(self, store: Path, port: int | None = None, dist: Path | None = None, budget: float = 20,
                 workers: int = 3, max_result_mb: float = 16, hgnc: bool = False, worker_memory_mb: int = 2048):
        self.store, self.port, self.dist = Path(store), port or free_port(), Path(dist or paths.DIST)
        self.budget, self.workers, self.max_result_mb, self.hgnc = budget, workers, max_result_mb, hgnc
        self.worker_memory_mb = worker_memory_mb
        self.log = self.store.parent / f"{self.store.name}.serve.log"

    def files(self) -> list[tuple[Path, str | None]]:
        return [(self.dist / "hgnc-slice.nt", None)] if self.hgnc else release_files(self.dist)

    def start(self) -> "Served":
        cmd = [sys.executable, "-m", "nscr.cli", "serve", "--port", str(self.port), "--store", str(self.store),
               "--timeout", str(self.budget), "--workers", str(self.workers), "--max-result-mb", str(self.max_result_mb),
               "--worker-memory-mb", str(self.worker_memory_mb)]
        env = dict(os.environ, NSCR_DIST=str(self.dist), PYTHONUNBUFFERED="1")
        want = fingerprint(self.files())
        self.process = children.spawn(cmd + (["--hgnc"] if self.hgnc else []), log=self.log, env=env)
        from .endpoint import ask_release
        try:
            wait_until_ready(lambda: ask_release(self.url, 2).get("fingerprint") == want, self.process, 120, self.log,
                             "nscr serve")
        except BaseException:
            self.stop()
            raise
        return self


class OxigraphServer(LocalServer):
    """Oxigraph's own server (`oxigraph serve`, read-write) on 127.0.0.1 over a RocksDB folder, for
    `nscr serve --writable`, loaders and tests that write. Queries see the union of the named graphs.
    Ready once it answers with the fingerprint its store holds (releasestore)."""

    def __init__(self, location: Path, port: int = DEFAULT_PORT):
        self.location, self.port = Path(location), port
        self.log = self.location.parent / f"{self.location.name}.log"

    def ensure_loaded(self, files: list[tuple[Path, str | None]]) -> bool:
        """Load the files unless the folder already holds exactly them; returns whether it loaded."""
        return releasestore.ensure_loaded(self.location, files)

    def ready(self, fp: str) -> bool:
        query = (f"SELECT ?f WHERE {{ GRAPH <{releasestore.RELEASE_GRAPH}> {{ <{releasestore.RELEASE_GRAPH}> "
                 f"<{releasestore.FINGERPRINT}> ?f }} }}")
        request = urllib.request.Request(f"{self.query_url}?query={urllib.parse.quote(query)}",
                                         headers={"Accept": "text/tab-separated-values"})
        try:
            with urllib.request.urlopen(request, timeout=2) as r:
                return f'"{fp}"' in r.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def start(self) -> "OxigraphServer":
        if not port_is_free(self.port):
            raise PortInUse(f"port {self.port} on 127.0.0.1 is in use (another server, or an earlier nscr serve "
                            "still running?); stop it or pass --port")
        fp = releasestore.stamp(pyoxigraph.Store.read_only(str(self.location))).get("fingerprint", "")
        cmd = [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
               "--union-default-graph"]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.log.write_bytes(b"")
        self.process = children.spawn(cmd, log=self.log)
        try:
            wait_until_ready(lambda: self.ready(fp), self.process, 30, self.log, "oxigraph")
        except BaseException:
            self.stop()
            raise
        return self


DEBIAN_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def virtuoso_ini(template: str, folder: Path, isql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with its files moved into `folder`, loopback-only ports, the folder
    allowed for bulk loading, result limits raised so no answer is silently cut, and no refusal on the
    optimiser's cost estimate."""
    changes = {
        "ServerPort": None, "DirsAllowed": f"., {folder}, /usr/share/virtuoso-opensource-7/vad",
        "ResultSetMaxRows": "1000000", "MaxQueryExecutionTime": "600", "NumberOfBuffers": "170000",
        "MaxDirtyBuffers": "130000", "ThreadsPerQuery": "2", "DefaultHost": f"127.0.0.1:{http_port}",
        # Virtuoso's cost estimate refuses some queries before running them (cq51 was "estimated" at 1e9 s
        # on a graph it answers in milliseconds); 0 turns the estimate-based refusal off
        "MaxQueryCostEstimationTime": "0",
    }
    out, section = [], ""
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        key = stripped.split("=", 1)[0].strip() if "=" in stripped and not stripped.startswith(";") else ""
        if key == "ServerPort":
            port = isql_port if section == "[Parameters]" else http_port
            line = f"ServerPort = 127.0.0.1:{port}"
        elif key in changes:
            line = f"{key} = {changes[key]}"
        elif key in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"):
            line = f"{key} = {folder}/{Path(stripped.split('=', 1)[1].split(';')[0].strip()).name}"
        elif section == "[Plugins]" and key.startswith("Load"):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


class VirtuosoServer(LocalServer):
    """Virtuoso Open Source 7 from Debian, with its database, ports and ini in one folder.

    It binds loopback only; the password is Virtuoso's default for a new database (dba), which is
    acceptable only because nothing but this machine can reach it."""

    binary = "virtuoso-t"
    isql = "isql-vt"
    stop_seconds = 60
    query_path = "/sparql"

    def __init__(self, folder: Path, http_port: int | None = None, isql_port: int | None = None):
        self.folder = Path(folder)
        self.port = http_port or free_port()
        self.isql_port = isql_port or free_port()

    @classmethod
    def available(cls) -> bool:
        return shutil.which(cls.binary) is not None and shutil.which(cls.isql) is not None and DEBIAN_INI.is_file()

    @property
    def store_url(self) -> str:
        """Graph Store Protocol endpoint; writes need HTTP digest authentication."""
        return f"{self.url}/sparql-graph-crud-auth"

    def start(self) -> "VirtuosoServer":
        if not self.available():
            raise FileNotFoundError("Virtuoso is not installed (apt-get install virtuoso-opensource; `make system-deps`)")
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(virtuoso_ini(DEBIAN_INI.read_text(), self.folder, self.isql_port, self.port))
        log = self.folder / "server.out"
        log.write_bytes(b"")
        self.process = children.spawn([self.binary, "+configfile", str(ini), "+foreground"], log=log, cwd=self.folder)
        wait_until_up(f"{self.query_url}?query={urllib.parse.quote('ASK {}')}", self.process, 90, log)
        return self

    def sql(self, statement: str) -> str:
        run = subprocess.run([self.isql, f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={statement}"],
                             capture_output=True, text=True, timeout=120)
        if run.returncode != 0 or "*** Error" in run.stdout:
            raise RuntimeError(f"isql failed: {run.stdout[-1000:]}{run.stderr[-1000:]}")
        return run.stdout


APACHE = Path("/usr/sbin/apache2")
APACHE_MODULES = Path("/usr/lib/apache2/modules")


class ApacheServer(LocalServer):
    """Debian's Apache httpd with mod_rewrite on 127.0.0.1, serving one .htaccess at /PREFIX/ the way
    w3id.org serves https://w3id.org/PREFIX/ (AllowOverride All), to check generated redirect rules for
    real. Its document root is a fresh world-readable temporary folder (Apache started as root serves as
    www-data), removed on stop."""

    def __init__(self, htaccess: str, prefix: str = "nscr", port: int | None = None):
        self.htaccess, self.prefix, self.port = htaccess, prefix, port or free_port()
        self.folder: Path | None = None

    @classmethod
    def available(cls) -> bool:
        return APACHE.is_file() and (APACHE_MODULES / "mod_rewrite.so").is_file()

    def config(self) -> str:
        f = self.folder
        modules = [("mpm_event", "mod_mpm_event"), ("authz_core", "mod_authz_core"), ("rewrite", "mod_rewrite"),
                   ("headers", "mod_headers")]
        return "\n".join([*(f"LoadModule {name}_module {APACHE_MODULES / so}.so" for name, so in modules),
                          *(["User www-data", "Group www-data"] if os.geteuid() == 0 else []),
                          f"Listen 127.0.0.1:{self.port}", "ServerName 127.0.0.1", f"ServerRoot {f}",
                          f"PidFile {f}/apache.pid", f"DefaultRuntimeDir {f}", f"ErrorLog {f}/error.log",
                          "LogLevel warn rewrite:trace2", f"DocumentRoot {f}/www",
                          f"<Directory {f}/www>", "  AllowOverride All", "  Require all granted", "</Directory>", ""])

    def start(self) -> "ApacheServer":
        import tempfile
        if not self.available():
            raise FileNotFoundError("Apache httpd with mod_rewrite is not installed (apt-get install apache2; "
                                    "`make system-deps`)")
        self.folder = Path(tempfile.mkdtemp(prefix="nscr-apache-"))
        site = self.folder / "www" / self.prefix
        site.mkdir(parents=True)
        (site / ".htaccess").write_text(self.htaccess, encoding="utf-8")
        for p in (self.folder, self.folder / "www", site):
            p.chmod(0o755)
        (site / ".htaccess").chmod(0o644)
        (self.folder / "httpd.conf").write_text(self.config(), encoding="utf-8")
        log = self.folder / "error.log"
        self.process = children.spawn([str(APACHE), "-f", str(self.folder / "httpd.conf"), "-DFOREGROUND"],
                                      log=self.folder / "server.out")
        try:
            wait_until_ready(lambda: not port_is_free(self.port), self.process, 30, log, "apache2")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        super().stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
