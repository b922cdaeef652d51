"""The source review: its fingerprint, its sections, and finding passages in its text.

The text itself is not part of the repository (it lives in ../shared/source); the
graph records its SHA-256 and length so that a different edition is detected.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    start: int
    end: int


@lru_cache(maxsize=1)
def review_meta() -> dict[str, str]:
    with open(paths.SOURCE_META / "review.tsv", encoding="utf-8") as f:
        return {r["property"]: r["value"] for r in csv.DictReader(f, delimiter="\t")}


@lru_cache(maxsize=1)
def sections() -> dict[str, Section]:
    with open(paths.SOURCE_META / "sections.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    total = int(review_meta()["characters"])
    starts = [int(r["start"]) for r in rows] + [total]
    out = {}
    for i, r in enumerate(rows):
        # A section ends where the next section at the same or a higher level starts.
        depth = r["section"].count(".")
        end = total
        for later in rows[i + 1:]:
            if later["section"].count(".") <= depth:
                end = int(later["start"])
                break
        out[r["section"]] = Section(r["section"], r["title"], starts[i], end)
    return out


class ReviewMismatch(Exception):
    pass


def load_text(path: Path | None = None) -> str:
    """The review text, checked against the recorded SHA-256."""
    path = path or paths.review_text_path()
    if path is None:
        raise FileNotFoundError("review.txt not found (expected ../shared/source/review.txt or NSCR_SHARED)")
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != review_meta()["sha256"]:
        raise ReviewMismatch(f"{path}: sha256 {digest} differs from the recorded edition {review_meta()['sha256']}")
    return data.decode("utf-8")


def section_at(offset: int) -> Section:
    """The deepest section containing the offset."""
    best = None
    for sec in sections().values():
        if sec.start <= offset < sec.end and (best is None or sec.start >= best.start):
            best = sec
    if best is None:
        raise ValueError(f"offset {offset} lies before the first section")
    return best


def locate(text: str, needle: str) -> list[tuple[int, int]]:
    """All (start, end) spans of needle in text, matching any run of white space loosely."""
    words = needle.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]
