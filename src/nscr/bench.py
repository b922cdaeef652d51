"""Benchmark: time each pipeline step on the real curation and on a copy grown N-fold.

The grown copy repeats every topic folder N times with suffixed keys (genes, drugs
and drug classes stay shared, as they would as the rest of the review is curated),
so the graph grows about N-fold in statements, strategies, passages and figures (x20 holds about
436k triples on today's curation; x17, 373k, is the smallest above 350k). Each step runs in its own
process: wall seconds, CPU seconds (user + system of the
step and the processes it waited for, the JVM included: the figure to compare on a shared machine)
and peak RSS (the largest of the step's processes). Nothing is cached: every figure is a cold run.
Figures are printed, never asserted: speed is measured, not tested.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from . import paths, release
from .tables import TABLES

# columns that hold row keys: each table's key, every key/keylist column, and a mention's `means`
KEY_COLUMNS = ({t.key for t in TABLES.values()}
               | {c for t in TABLES.values() for c, kind in t.columns.items() if kind.rstrip("?") in ("key", "keylist")}
               | {"means"})


def grow(source: Path, target: Path, factor: int) -> None:
    """Write a curation folder holding `factor` renamed copies of every topic folder."""
    target.mkdir(parents=True)
    for f in source.glob("*.tsv"):
        shutil.copy(f, target / f.name)
    from .tables import EMPTY_LIST
    topics = [d for d in sorted(source.iterdir()) if d.is_dir()]
    keys = set()
    for d in topics:
        for f in d.glob("*.tsv"):
            header, *rows = f.read_text(encoding="utf-8").rstrip("\n").split("\n")
            col = header.split("\t").index(TABLES[f.stem].key)
            keys.update(r.split("\t")[col] for r in rows if r)
    for copy in range(factor):
        def rename(cell: str) -> str:
            return "|".join(f"{k}.r{copy}" if k in keys and copy else k for k in cell.split("|")) if cell else cell
        for d in topics:
            out = target / f"{d.name}{copy}"
            out.mkdir()
            if (d / EMPTY_LIST).is_file():
                shutil.copy(d / EMPTY_LIST, out / EMPTY_LIST)
            for f in d.glob("*.tsv"):
                header, *rows = f.read_text(encoding="utf-8").rstrip("\n").split("\n")
                names = header.split("\t")
                lines = [header]
                for r in rows:
                    cells = r.split("\t")
                    lines.append("\t".join(rename(c) if n in KEY_COLUMNS else c
                                           for n, c in zip(names, cells)))
                (out / f.name).write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextmanager
def timed(results: list, step: str, detail: str = ""):
    t0 = time.perf_counter()
    yield
    results.append((step, time.perf_counter() - t0, detail))


BENCH_TOTAL = ("build", "validate", "reason", "qc", "answer", "full")  # the steps the benchmark's total adds up: the release


def run_pipeline(curation: Path, dist: Path, full_reasoning: bool) -> list[tuple[str, float, str]]:
    """`nscr run` on the curation, each step in its own process: (step, seconds, CPU, peak memory and detail)."""
    from . import release
    saved = paths.CURATION
    paths.CURATION = curation
    try:
        code, steps = release.run(release.STEPS, spawn=True, dist=dist, quiet=True, findings_allowed=("qc",))
    finally:
        paths.CURATION = saved
    if code:
        raise RuntimeError(f"the pipeline failed at `nscr {steps[-1].step}` on the grown curation")
    triples = (dist / "stats.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")[2]
    results = [(f"nscr {r.step}", r.seconds, f"cpu {r.cpu:7.2f} s  peak {r.peak_mb:6.0f} MB") for r in steps]
    results[0] = (*results[0][:2], results[0][2] + f", {triples} triples")
    if full_reasoning:
        from .reason import reason
        with timed(results, "reason: HermiT on the whole graph (in this process)"):
            outcome = reason(dist / "nscr.owl", out=None, scope="all")
        results[-1] = (*results[-1][:2], f"{outcome.individuals} individuals")
    return results


def validation_side_by_side(graph_file: Path, repeats: int = 3) -> list[str]:
    """`nscr validate FILE` against pySHACL's own command on the same file with the whole shapes file and
    advanced features, each a cold process, best of `repeats` (what a user waits for)."""
    import subprocess
    import sys
    from .validate import load_shapes
    bin_dir = Path(sys.executable).parent
    all_shapes = graph_file.parent / "all-shapes.ttl"  # hand-written + generated, as nscr validate reads them
    all_shapes.write_bytes(load_shapes().serialize(format="turtle", encoding="utf-8"))
    commands = {"nscr validate FILE": [str(bin_dir / "nscr"), "validate", str(graph_file)],
                "pyshacl -s shapes -i none -a FILE": [str(bin_dir / "pyshacl"), "-s", str(all_shapes), "-i", "none",
                                                      "-a", "-f", "table", str(graph_file)]}
    best = {}
    for name, cmd in commands.items():
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            times.append(time.perf_counter() - t0)
        best[name] = min(times)
    ours, theirs = best["nscr validate FILE"], best["pyshacl -s shapes -i none -a FILE"]
    return [f"  {name:58s} {seconds:8.2f} s" for name, seconds in best.items()] + \
           [f"  {'ratio (pySHACL / nscr validate)':58s} {theirs / ours:8.1f} x"]


def main(scales: list[int], full_reasoning: bool = False) -> str:
    """The figures per scale; pySHACL's side-by-side runs at the first scale only (minutes when grown)."""
    lines = []
    for i, factor in enumerate(scales):
        with tempfile.TemporaryDirectory() as tmp:
            curation = Path(tmp) / "curation"
            if factor == 1:
                shutil.copytree(paths.CURATION, curation)
            else:
                grow(paths.CURATION, curation, factor)
            results = run_pipeline(curation, Path(tmp) / "dist", full_reasoning)
            side_by_side = validation_side_by_side(Path(tmp) / "dist" / "nscr.ttl") if i == 0 else []
        counted = [r for r in results if r[0].removeprefix("nscr ") in BENCH_TOTAL]
        seconds = {r[0].removeprefix("nscr "): r[1] for r in counted}
        # the pipeline's wall time: steps of one group (validate beside reason, qc beside answer) run together
        wall = sum(max(seconds[s] for s in group) for group in release.groups_of(tuple(seconds)))
        cpu = sum(float(r[2].split("cpu")[1].split("s")[0]) for r in counted)
        peak = max((float(r[2].split("peak")[1].split("MB")[0]) for r in results if "peak" in r[2]), default=0)
        lines.append(f"\n== curation x{factor} ==")
        for step, seconds, detail in results:
            lines.append(f"  {step:58s} {seconds:8.2f} s  {detail}")
        lines.append(f"  {'total (' + ', '.join(BENCH_TOTAL) + '), wall as run':58s} {wall:8.2f} s  cpu {cpu:7.2f} s  "
                     f"peak {peak:6.0f} MB (largest step)")
        if side_by_side:
            lines.append("  validation as a user waits for it (cold processes, same file, best of 3):")
            lines += side_by_side
    return "\n".join(lines)


def parse_scales(text: str) -> list[int]:
    return [int(x) for x in re.split(r"[ ,]+", text.strip()) if x]
