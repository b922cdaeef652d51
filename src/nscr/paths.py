"""Where things live in the repository, and where ../shared is when present."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("NSCR_ROOT", Path(__file__).resolve().parents[2]))
ONTOLOGY = ROOT / "ontology" / "nscr.ttl"
IMPORTS = ROOT / "ontology" / "imports" / "upstream.ttl"
PATTERNS = ROOT / "ontology" / "patterns" / "drug_class.tsv"
SHAPES = ROOT / "shapes" / "nscr-shapes.ttl"
CURATION = Path(os.environ.get("NSCR_CURATION", ROOT / "data" / "curation"))
REFERENCE = ROOT / "data" / "reference"
SOURCE_META = ROOT / "data" / "source"
SPARQL = ROOT / "sparql"
DIST = Path(os.environ.get("NSCR_DIST", ROOT / "dist"))
SHARED = Path(os.environ.get("NSCR_SHARED", ROOT.parent / "shared"))
CACHE = Path(os.environ.get("NSCR_CACHE", ROOT / ".cache"))  # kept between runs, outside dist/
STORE = Path(os.environ.get("NSCR_STORE", CACHE / "store"))  # the served RocksDB store


def shared_reference() -> Path | None:
    path = SHARED / "reference"
    return path if (path / "SHA256SUMS").is_file() else None


def review_text_path() -> Path | None:
    path = SHARED / "source" / "review.txt"
    return path if path.is_file() else None


def rel(path: Path) -> str:
    """A path as shown to people: relative to the repository when inside it."""
    for candidate in (Path(os.path.abspath(path)), Path(path).resolve()):  # dist/ (a link) before its target
        try:
            return str(candidate.relative_to(ROOT))
        except ValueError:
            continue
    return str(path)
