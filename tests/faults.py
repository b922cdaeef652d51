"""Helpers of the fault-injection suite: a scratch copy of the curation, a published old release
that a failed run must leave byte-identical, one-cell edits, and the check that an error names
file, row and field."""
from __future__ import annotations

import os
import re
from pathlib import Path

from nscr import paths, release

import faultlog


def rows_of(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").rstrip("\n").split("\n")]


def set_cell(path: Path, key: str, column: str, value: str) -> int:
    """Set one cell of the row with `key` (adding the column if the header lacks it); its line number."""
    lines = rows_of(path)
    header = lines[0]
    if column not in header:
        header.append(column)
        for cells in lines[1:]:
            cells.append("")
    col = header.index(column)
    for number, cells in enumerate(lines[1:], start=2):
        if cells[0] == key:
            cells[col] = value
            path.write_text("\n".join("\t".join(c) for c in lines) + "\n", encoding="utf-8")
            return number
    raise AssertionError(f"no row {key!r} in {path}")


def cell(path: Path, key: str, column: str) -> str:
    lines = rows_of(path)
    return next(c for c in lines[1:] if c[0] == key)[lines[0].index(column)]


def snapshot(dist: Path) -> dict[str, bytes]:
    """Every file under dist/ (through the link) with its bytes, and where the link points."""
    out = {str(p.relative_to(dist)): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    out["<link>"] = os.readlink(dist).encode() if dist.is_symlink() else b"<folder>"
    return out


def where(path: Path, row: int | None, field: str | None) -> str:
    return paths.rel(path) + (f", row {row}" if row is not None else "") + (f", field '{field}'" if field else "")


def run_fails(capsys, dist: Path, suite: str, expected: str, *also: str,
              steps: tuple[str, ...] = ("build", "validate", "qc")) -> str:
    """Run the staged pipeline in-process: it must fail, name `expected` (file, row, field) and leave dist/ as it was."""
    before = snapshot(dist)
    code, _ = release.run(steps, spawn=False, dist=dist)
    err = capsys.readouterr().err
    named = code != 0 and expected in err and all(a in err for a in also)
    untouched = snapshot(dist) == before and not list(release.releases_dir(dist).glob(".stage-*"))
    faultlog.record(suite, named and bool(re.search(r", row \d+, field '", expected)), untouched)
    assert code != 0, err
    assert expected in err, err
    for text in also:
        assert text in err, err
    assert untouched
    return err
