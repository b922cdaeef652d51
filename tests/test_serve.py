"""`nscr serve` supervises what it starts (issue 8, points 2 and 7): its children die with it, even
under kill -9; a busy port is refused with exit 2; readiness means this server with this release;
a child that dies on its own is an error exit with its last log lines; staging folders left by a
killed run are cleaned; a store whose content differs from the release is rebuilt; a server a test
starts dies with the test process. Real processes on loopback, each bounded in time."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from nscr import children, releasestore
from nscr.servers import MAIN_GRAPH, OxigraphServer, Served, free_port, release_files


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone_within(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


class Serve:
    """`nscr serve ARGS` as a child of the test (dies with it), its output read line by line."""

    def __init__(self, dist: Path, *args: str):
        env = dict(os.environ, NSCR_DIST=str(dist), PYTHONUNBUFFERED="1")
        self.process = children.spawn([sys.executable, "-m", "nscr.cli", "serve", *args], env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []

    def until(self, text: str) -> str:
        while not self.lines or text not in self.lines[-1]:
            line = self.process.stdout.readline()
            assert line, "".join(self.lines)
            self.lines.append(line)
        return "".join(self.lines)

    def finish(self, seconds: float = 30) -> tuple[int, str]:
        out, _ = self.process.communicate(timeout=seconds)
        return self.process.returncode, "".join(self.lines) + out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serve(reasoned):
    started: list[Serve] = []

    def start(*args: str) -> Serve:
        started.append(Serve(reasoned, *args))
        return started[-1]
    yield start
    for s in started:
        s.stop()


def test_kill_9_of_nscr_serve_leaves_no_orphan(reasoned, tmp_path):
    server = Served(tmp_path / "store", dist=reasoned).start()
    tree = children.descendants(server.process.pid)
    assert len(tree) == 4  # nscr serve and its three query workers
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    assert gone_within(tree), [p for p in tree if alive(p)]


def test_kill_9_of_writable_serve_takes_oxigraph_down(serve, tmp_path):
    port = free_port()
    s = serve("--writable", "--port", str(port), "--store", str(tmp_path / "rw"))
    s.until("Ctrl-C")
    tree = children.descendants(s.process.pid)
    assert len(tree) == 2
    os.kill(s.process.pid, signal.SIGKILL)
    assert gone_within(tree)
    again = serve("--writable", "--port", str(port), "--store", str(tmp_path / "rw"))  # no orphan holds port or store
    assert "reusing store" in again.until("Ctrl-C")


def test_a_busy_port_is_refused_with_exit_2(reasoned, serve, tmp_path):
    with Served(tmp_path / "a", dist=reasoned) as running:
        for extra in ([], ["--writable"]):
            s = serve("--port", str(running.port), "--store", str(tmp_path / "b"), *extra)
            code, out = s.finish()
            assert code == 2 and f"port {running.port} on 127.0.0.1 is in use" in out, out
            assert "SPARQL endpoint" not in out and "Traceback" not in out
        assert running.process.poll() is None  # the server that holds the port is untouched


def test_a_store_in_use_is_refused_with_exit_2(reasoned, serve, tmp_path):
    with Served(tmp_path / "store", dist=reasoned):
        code, out = serve("--port", str(free_port()), "--store", str(tmp_path / "store")).finish()
    assert code == 2 and "in use by another nscr serve" in out, out


def test_stale_staging_folders_are_cleaned(reasoned, tmp_path):
    left = [tmp_path / ".store.k1ll3d", tmp_path / ".store.abc123"]
    for folder in left:
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "000001.sst").write_bytes(b"half a store")
    with Served(tmp_path / "store", dist=reasoned):
        assert not any(f.exists() for f in left)
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_store_changed_by_a_writable_delete_is_rebuilt(reasoned, serve, tmp_path):
    store, files = tmp_path / "store", release_files(reasoned)
    assert releasestore.ensure_loaded(store, files) is True
    assert releasestore.ensure_loaded(store, files) is False  # unchanged: reused
    with OxigraphServer(store, free_port()) as writable:  # what `nscr serve --writable` runs
        update = urllib.parse.urlencode({"update": f"DROP GRAPH <{MAIN_GRAPH}>"}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{writable.url}/update", data=update), timeout=30).close()
    assert not releasestore.holds(store, files)
    s = serve("--port", str(free_port()), "--store", str(store))
    out = s.until("Ctrl-C")
    assert out.startswith("loaded store"), out
    assert releasestore.holds(store, files)


def test_readiness_asks_the_store_for_its_release(reasoned, tmp_path):
    with Served(tmp_path / "store", dist=reasoned) as server:
        from nscr.endpoint import ask_release
        release = ask_release(server.url)
    assert release["fingerprint"] == releasestore.fingerprint(release_files(reasoned))
    assert release["workers"] == 3 and len(release["digest"]) == 64


def test_a_worker_that_dies_on_its_own_is_an_error_exit_with_its_log(serve, tmp_path):
    s = serve("--port", str(free_port()), "--store", str(tmp_path / "store"))
    s.until("Ctrl-C")
    workers = [p for p in children.descendants(s.process.pid) if p != s.process.pid]
    os.kill(workers[0], signal.SIGKILL)
    code, out = s.finish()
    assert code == 1 and f"query worker {workers[0]} exited unexpectedly with code -9" in out, out
    assert "last lines of" in out and "server stopped" not in out
    assert gone_within(workers)


def test_oxigraph_dying_under_writable_serve_is_an_error_exit_with_its_log(serve, tmp_path):
    s = serve("--writable", "--port", str(free_port()), "--store", str(tmp_path / "rw"))
    s.until("Ctrl-C")
    (oxigraph,) = [p for p in children.descendants(s.process.pid) if p != s.process.pid]
    os.kill(oxigraph, signal.SIGKILL)
    code, out = s.finish()
    assert code == 1 and "oxigraph exited unexpectedly with code -9" in out and "last lines of" in out, out


def test_ctrl_c_stops_every_child(serve, tmp_path):
    s = serve("--port", str(free_port()), "--store", str(tmp_path / "store"))
    s.until("Ctrl-C")
    tree = children.descendants(s.process.pid)
    s.process.send_signal(signal.SIGINT)
    code, out = s.finish()
    assert code == 0 and out.rstrip().endswith("server stopped") and gone_within(tree)


HOLDER = """
import sys, time
from pathlib import Path
from nscr.servers import OxigraphServer, free_port
server = OxigraphServer(Path(sys.argv[1]), free_port())
server.ensure_loaded([])
server.start()
print(server.process.pid, flush=True)
time.sleep(600)
"""


def test_a_server_a_test_starts_dies_with_the_test_process(tmp_path):
    """A test process killed outright (as a CI timeout does) takes its servers with it."""
    holder = children.spawn([sys.executable, "-c", HOLDER, str(tmp_path / "store")], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(holder.stdout.readline())
        assert alive(pid)
        holder.kill()
        holder.wait()
        assert gone_within([pid])
    finally:
        holder.kill()
