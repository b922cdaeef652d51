"""Real SPARQL servers on loopback: the Oxigraph server (from the `oxigraph` PyPI package) and
Virtuoso Open Source (Debian's virtuoso-opensource). One place starts, loads and stops them, for
`nscr serve`, the Makefile and the tests alike."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from . import paths

MAIN_GRAPH = "https://w3id.org/nscr/graph/main"
INFERRED_GRAPH = "https://w3id.org/nscr/graph/inferred"
DEFAULT_PORT = 7878
HGNC_PORT = 7879


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}\n{detail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"no answer from {url} after {seconds:.0f} s")


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


def fingerprint(files: list[tuple[Path, str | None]]) -> str:
    h = hashlib.sha256()
    for path, graph in files:
        h.update(f"{path.name}\t{graph}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


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
    """A server process this project starts on loopback; `with server:` starts and stops it."""

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


class OxigraphServer(LocalServer):
    """`oxigraph serve` on 127.0.0.1 over a persistent RocksDB folder.

    The folder is (re)loaded only when the release files changed (a fingerprint is kept beside it),
    so a restart does not reload. Read-only unless writable=True; queries see the union of the
    named graphs as their default graph."""

    def __init__(self, location: Path, port: int = DEFAULT_PORT, writable: bool = False, timeout_s: int = 30):
        self.location, self.port, self.writable, self.timeout_s = Path(location), port, writable, timeout_s
        self.log = self.location.parent / f"{self.location.name}.log"

    def ensure_loaded(self, files: list[tuple[Path, str | None]]) -> bool:
        """Load the files unless the folder already holds exactly them; returns whether it loaded."""
        stamp = self.location.parent / f"{self.location.name}.loaded"
        want = fingerprint(files)
        if self.location.is_dir() and stamp.is_file() and stamp.read_text() == want:
            return False
        self.location.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.location.parent, prefix=f".{self.location.name}."))
        try:
            for path, graph in files:
                cmd = [oxigraph_binary(), "load", "--location", str(staging), "--file", str(path)]
                if graph:
                    cmd += ["--graph", graph]
                subprocess.run(cmd, check=True, capture_output=True, text=True)
            if self.location.exists():
                shutil.rmtree(self.location)
            os.replace(staging, self.location)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        stamp.write_text(want)
        return True

    def start(self) -> "OxigraphServer":
        mode = "serve" if self.writable else "serve-read-only"
        cmd = [oxigraph_binary(), mode, "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
               "--union-default-graph"]
        if not self.writable:
            cmd += ["--timeout-s", str(self.timeout_s)]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        wait_until_up(f"{self.query_url}?query={urllib.parse.quote('ASK {}')}", self.process, 30, self.log)
        return self


DEBIAN_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def virtuoso_ini(template: str, folder: Path, isql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with its files moved into `folder`, loopback-only ports, the folder
    allowed for bulk loading, and result limits raised so no answer is silently cut."""
    changes = {
        "ServerPort": None, "DirsAllowed": f"., {folder}, /usr/share/virtuoso-opensource-7/vad",
        "ResultSetMaxRows": "1000000", "MaxQueryExecutionTime": "600", "NumberOfBuffers": "170000",
        "MaxDirtyBuffers": "130000", "ThreadsPerQuery": "2", "DefaultHost": f"127.0.0.1:{http_port}",
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
        with open(log, "w") as out:
            self.process = subprocess.Popen([self.binary, "+configfile", str(ini), "+foreground"], cwd=self.folder,
                                            stdout=out, stderr=subprocess.STDOUT)
        wait_until_up(f"{self.query_url}?query={urllib.parse.quote('ASK {}')}", self.process, 90, log)
        return self

    def sql(self, statement: str) -> str:
        run = subprocess.run([self.isql, f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={statement}"],
                             capture_output=True, text=True, timeout=120)
        if run.returncode != 0 or "*** Error" in run.stdout:
            raise RuntimeError(f"isql failed: {run.stdout[-1000:]}{run.stderr[-1000:]}")
        return run.stdout
