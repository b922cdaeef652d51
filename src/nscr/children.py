"""Child processes that die with the process that started them, and what they left in their logs.

Every server and query worker this project starts goes through `spawn`: the child gets its own
process group (a Ctrl-C in the terminal reaches only the supervisor, which then stops its children
in order) and the kernel's parent-death signal (PR_SET_PDEATHSIG), so a `kill -9` of the
supervisor, or of a test process, takes its children down too. Linux delivers that signal when the
*thread* that forked the child ends, so spawn only from a thread that lives as long as the child
(the main thread)."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1

# Runs in the child between fork and exec: ask for SIGKILL when the parent dies, and exit at once if
# the parent is already gone (it died before prctl), then become the real command. The signal
# setting survives execve, so it holds for binaries we cannot change (oxigraph, virtuoso-t).
_EXEC_WITH_PARENT_DEATH = (
    "import ctypes, os, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)\n"
    "os.getppid() == int(sys.argv[1]) or os._exit(1)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n")


def die_with_parent(parent: int) -> None:
    """Called first thing in a Python child: SIGKILL when `parent` dies; exit now if it already did."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def spawn(cmd: list[str], log: Path | None = None, python_child: bool = False, **popen) -> subprocess.Popen:
    """Start `cmd` in its own process group, killed by the kernel when this process dies.

    A Python child (`python_child`, e.g. `python -m nscr.queryworker`) calls `die_with_parent`
    itself, which saves an interpreter start; anything else is exec'd through a small wrapper.
    stdout and stderr go to `log` (appended) unless popen says otherwise."""
    if not python_child:
        cmd = [sys.executable, "-c", _EXEC_WITH_PARENT_DEATH, str(os.getpid()), *cmd]
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            popen.setdefault("stdout", out)
            popen.setdefault("stderr", subprocess.STDOUT)
            return subprocess.Popen(cmd, process_group=0, **popen)
    return subprocess.Popen(cmd, process_group=0, **popen)


def tail(log: Path | None, lines: int = 15) -> str:
    """The last lines of a log, for an error message."""
    if log is None or not log.is_file():
        return ""
    with open(log, "rb") as f:
        f.seek(max(0, f.seek(0, os.SEEK_END) - 16384))
        text = f.read().decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc (Linux)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def threads(pids: list[int]) -> int:
    """Threads of these processes together (those still alive)."""
    total = 0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (those still alive)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total
