"""Benchmark: time each pipeline step on the real curation and on a copy grown N-fold.

The grown copy repeats every topic folder N times with suffixed keys (genes, drugs
and drug classes stay shared, as they would as the rest of the review is curated),
so the graph grows about N-fold in statements, strategies, passages and figures.
Figures are printed, never asserted: speed is measured, not tested.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from . import paths
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


def run_pipeline(curation: Path, dist: Path, full_reasoning: bool) -> list[tuple[str, float, str]]:
    from . import queries
    from .build import assemble, write_dist
    from .reason import reason
    from .validate import validate_file

    saved = paths.CURATION, paths.DIST
    paths.CURATION, paths.DIST = curation, dist
    results: list[tuple[str, float, str]] = []
    try:
        with timed(results, "build (tables -> graph)"):
            built = assemble()
        with timed(results, "write dist (4 formats)", f"{len(built.graph)} triples"):
            write_dist(built)
        with timed(results, "validate (rudof core + oxigraph SPARQL + identifiers)"):
            report = validate_file(dist / "nscr.ttl")
        results[-1] = (*results[-1][:2], "conforms" if report.conforms else f"{len(report.results)} results")
        with timed(results, "reason: HermiT on the classification module + OWL RL"):
            outcome = reason(dist / "nscr.owl", out=dist / "nscr-inferred.ttl")
        results[-1] = (*results[-1][:2], f"{outcome.individuals} individuals, HermiT {outcome.seconds:.1f} s, "
                                         f"RL {outcome.rl_seconds:.2f} s")
        if full_reasoning:
            with timed(results, "reason: HermiT on the whole graph"):
                outcome = reason(dist / "nscr.owl", out=None, full=True)
            results[-1] = (*results[-1][:2], f"{outcome.individuals} individuals")
        with timed(results, "load embedded store (pyoxigraph)"):
            st = queries.store([dist / "nscr.nt", dist / "nscr-inferred.ttl"])
        cqs = queries.catalogue("cq")
        with timed(results, "answer competency questions", f"{len(cqs)} queries"):
            for q in cqs:
                queries.run(q, st, {})
        with timed(results, "QC checks", f"{len(queries.catalogue('qc'))} queries"):
            for q in queries.catalogue("qc"):
                queries.run(q, st, {})
    finally:
        paths.CURATION, paths.DIST = saved
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
    lines = []
    for factor in scales:
        with tempfile.TemporaryDirectory() as tmp:
            curation = Path(tmp) / "curation"
            if factor == 1:
                shutil.copytree(paths.CURATION, curation)
            else:
                grow(paths.CURATION, curation, factor)
            results = run_pipeline(curation, Path(tmp) / "dist", full_reasoning)
            side_by_side = validation_side_by_side(Path(tmp) / "dist" / "nscr.ttl")
        total = sum(r[1] for r in results)
        lines.append(f"\n== curation x{factor} ==")
        for step, seconds, detail in results:
            lines.append(f"  {step:58s} {seconds:8.2f} s  {detail}")
        lines.append(f"  {'total':58s} {total:8.2f} s")
        lines.append("  validation as a user waits for it (cold processes, same file, best of 3):")
        lines += side_by_side
    return "\n".join(lines)


def parse_scales(text: str) -> list[int]:
    return [int(x) for x in re.split(r"[ ,]+", text.strip()) if x]
