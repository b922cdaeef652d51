"""`nscr run`: the whole pipeline in a staging folder, published in one atomic step only when every
step passed, so a run that fails changes nothing.

dist/ is a symbolic link to a folder of dist's sibling `.dist-releases/`. A run builds, validates,
reasons, checks, answers and documents in `.dist-releases/.stage-<pid>`, renames that folder to
`r-<time>-<pid>` and swaps the link with os.replace (atomic on POSIX). A real dist/ folder left by
an older version is first moved into `.dist-releases/` (the one moment without a dist/). The release
before the current one is kept; older ones, and staging folders of runs that died, are removed.
Each step runs in its own process by default, so its peak memory (ru_maxrss) is its own. Steps that
only read what earlier steps wrote run side by side (GROUPS: validation beside reasoning, QC beside
the answers...), one per core of this 2-core machine; their output is printed step by step.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import paths

# each group reads only what the groups before it wrote, so its steps run at the same time
# `full` writes nscr-full.* from the build's graph and the reasoner's output, which nothing before it reads
GROUPS = (("build",), ("validate", "reason"), ("qc", "answer", "full"), ("figures", "docs"), ("htmldocs",))  # htmldocs links the figures
STEPS = tuple(step for group in GROUPS for step in group)
KEEP = 2  # the current release and the one before it


@dataclass
class StepResult:
    step: str
    code: int
    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system seconds of the step and every process it waited for (the JVM, rudof...)


def releases_dir(dist: Path) -> Path:
    return dist.parent / f".{dist.name}-releases"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(releases: Path) -> None:
    """Remove staging folders whose run has died."""
    for stage in releases.glob(".stage-*"):
        pid = stage.name.removeprefix(".stage-")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def groups_of(steps: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The steps in order, consecutive steps of one of GROUPS together."""
    group_of = {step: i for i, group in enumerate(GROUPS) for step in group}
    out: list[list[str]] = []
    for step in steps:
        if out and step in group_of and group_of.get(out[-1][-1]) == group_of[step]:
            out[-1].append(step)
        else:
            out.append([step])
    return [tuple(g) for g in out]


def run_together(group: tuple[str, ...], stage: Path, quiet: bool) -> list[StepResult]:
    """The steps of one group in child processes at the same time; each one's output printed after it."""
    with tempfile.TemporaryDirectory() as tmp:
        logs = {step: open(Path(tmp) / step, "w+b") for step in group}
        try:
            with ThreadPoolExecutor(max_workers=len(group)) as pool:
                futures = [pool.submit(run_step, step, stage, True, quiet, logs[step]) for step in group]
                done = [f.result() for f in futures]
            for i, step in enumerate(group):
                if i:
                    print(f"== {step}", flush=True)
                logs[step].seek(0)
                sys.stdout.buffer.write(logs[step].read())
                sys.stdout.flush()
        finally:
            for log in logs.values():
                log.close()
    return done


def run_step(step: str, stage: Path, spawn: bool, quiet: bool = False, out=None) -> StepResult:
    """One `nscr STEP` with dist/ pointed at the staging folder: in a child process (its own peak memory)
    or in this one (tests: quicker; the peak is then this process's so far)."""
    t0 = time.perf_counter()
    if spawn:
        env = dict(os.environ, NSCR_DIST=str(stage), NSCR_CURATION=str(paths.CURATION))
        child = subprocess.Popen([sys.executable, "-m", "nscr.cli", step], env=env,
                                 stdout=subprocess.DEVNULL if quiet else out, stderr=None if quiet or out is None else out)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        code, peak_kb, cpu = child.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    else:
        from . import cli
        before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        saved = paths.DIST
        paths.DIST = stage
        try:
            code = cli.main([step])
        finally:
            paths.DIST = saved
        after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb = after[0].ru_maxrss
        cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
    return StepResult(step, code, time.perf_counter() - t0, peak_kb / 1024, cpu)


def publish(stage: Path, dist: Path) -> Path:
    """Rename the staging folder to a release and point dist at it in one atomic step."""
    releases = releases_dir(dist)
    final = releases / f"r-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}"
    os.rename(stage, final)
    link = dist.parent / f".{dist.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(final, dist.parent), link)
    if dist.exists() and not dist.is_symlink():  # a dist/ folder from before releases were staged
        os.rename(dist, releases / f"r-legacy-{os.getpid()}")
    os.replace(link, dist)
    prune(releases, final)
    return final


def prune(releases: Path, current: Path) -> None:
    kept = sorted((p for p in releases.iterdir() if p.name.startswith("r-") and p.is_dir()),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def run(steps: tuple[str, ...] = STEPS, spawn: bool = True, dist: Path | None = None,
        quiet: bool = False, findings_allowed: tuple[str, ...] = ()) -> tuple[int, list[StepResult]]:
    """Every step in a fresh staging folder; publish only when all pass. Returns (exit code, per-step figures).
    A step in `findings_allowed` may exit 1 (findings, not a failure): the benchmark's grown copies repeat
    every claim, which QC rightly reports."""
    dist = Path(dist or paths.DIST).absolute()
    releases = releases_dir(dist)
    releases.mkdir(parents=True, exist_ok=True)
    clean_stale(releases)
    stage = releases / f".stage-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    results: list[StepResult] = []
    try:
        for group in groups_of(steps):
            print(f"== {group[0]}", flush=True)
            if spawn and len(group) > 1:
                done = run_together(group, stage, quiet)
            else:
                done = []
                for i, step in enumerate(group):
                    if i:
                        print(f"== {step}", flush=True)
                    done.append(run_step(step, stage, spawn, quiet))
                    if done[-1].code != 0:
                        break
            results += done
            failed = next((r for r in done if r.code != 0 and not (r.code == 1 and r.step in findings_allowed)), None)
            if failed:
                print(f"release not published: `nscr {failed.step}` failed (exit {failed.code}); "
                      f"{paths.rel(dist)} is unchanged", file=sys.stderr)
                return failed.code, results
        final = publish(stage, dist)
        print(f"published {paths.rel(dist)} -> {paths.rel(final)}")
        return 0, results
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def wall(results: list[StepResult]) -> float:
    """The run's wall time: per group of steps run together, its longest step."""
    by_step = {r.step: r for r in results}
    return sum(max(by_step[s].seconds for s in group) for group in groups_of(tuple(by_step)))


def figures(results: list[StepResult]) -> str:
    lines = [f"  {r.step:10s} {r.seconds:8.2f} s  cpu {r.cpu:8.2f} s  peak {r.peak_mb:8.0f} MB  exit {r.code}"
             for r in results]
    if results:
        lines.append(f"  {'total':10s} {wall(results):8.2f} s  cpu {sum(r.cpu for r in results):8.2f} s  "
                     f"peak {max(r.peak_mb for r in results):8.0f} MB  (wall: steps of a group run side by side)")
    return "\n".join(lines)
