"""The RocksDB store a server reads: the release loaded into its named graphs, plus one more graph
saying which release it is.

The graph <https://w3id.org/nscr/graph/release> holds two triples: the fingerprint of the release
files the store was loaded from, and a digest of what the other graphs held right after loading.
A store is reused only when both still match (so a `--writable` DELETE makes it be rebuilt), and a
server is ready only when it answers with the fingerprint of the release it was asked to serve.
Loading goes into a `.NAME.*` staging folder next to the store and is renamed into place; staging
folders left by a killed run are removed under the store's lock."""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

RELEASE_GRAPH = "https://w3id.org/nscr/graph/release"
FINGERPRINT = "https://w3id.org/nscr/releaseFingerprint"
DIGEST = "https://w3id.org/nscr/contentDigest"


class StoreBusy(Exception):
    """Another process holds the store's lock."""


def fingerprint(files: list[tuple[Path, str | None]]) -> str:
    """SHA-256 over the release files' names, target graphs and bytes."""
    h = hashlib.sha256()
    for path, graph in files:
        h.update(f"{path.name}\t{graph}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def content_digest(store: ox.Store) -> str:
    """An order-free digest of every quad outside the release graph (sum of SHA-256s mod 2^256)."""
    release, total = ox.NamedNode(RELEASE_GRAPH), 0
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name != release:
            total += int.from_bytes(hashlib.sha256(str(quad).encode()).digest(), "big")
    return f"{total % (1 << 256):064x}"


def stamp(store: ox.Store) -> dict[str, str]:
    """What the release graph says: {'fingerprint': ..., 'digest': ...} (empty when absent)."""
    release = ox.NamedNode(RELEASE_GRAPH)
    names = {FINGERPRINT: "fingerprint", DIGEST: "digest"}
    return {names[q.predicate.value]: q.object.value
            for q in store.quads_for_pattern(release, None, None, release) if q.predicate.value in names}


def stamp_quads(fp: str, digest: str) -> list[ox.Quad]:
    release = ox.NamedNode(RELEASE_GRAPH)
    return [ox.Quad(release, ox.NamedNode(FINGERPRINT), ox.Literal(fp), release),
            ox.Quad(release, ox.NamedNode(DIGEST), ox.Literal(digest), release)]


@contextmanager
def locked(location: Path):
    """Hold `location`'s lock file (exclusive, non-blocking) for the duration."""
    location.parent.mkdir(parents=True, exist_ok=True)
    lock = open(location.parent / f"{location.name}.lock", "a+")
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy(f"the store {location} is in use by another nscr serve or load; stop it first") from None
        yield lock
    finally:
        lock.close()


def clean_staging(location: Path) -> list[Path]:
    """Remove staging folders of `location` left by an earlier, killed run (call under the lock)."""
    stale = sorted(location.parent.glob(f".{location.name}.*"))
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def holds(location: Path, files: list[tuple[Path, str | None]]) -> bool:
    """Whether the store holds exactly these release files, checked against its own content."""
    if not location.is_dir():
        return False
    try:
        store = ox.Store.read_only(str(location))
    except OSError:
        return False
    found = stamp(store)
    return found.get("fingerprint") == fingerprint(files) and found.get("digest") == content_digest(store)


def ensure_loaded(location: Path, files: list[tuple[Path, str | None]]) -> bool:
    """Load the files unless the store already holds exactly them; returns whether it loaded."""
    with locked(Path(location)):
        return load_if_needed(Path(location), files)


def load_if_needed(location: Path, files: list[tuple[Path, str | None]]) -> bool:
    """`ensure_loaded` for a caller that already holds the store's lock (`nscr serve` holds it while serving)."""
    clean_staging(location)
    if holds(location, files):
        return False
    staging = Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}."))
    try:
        store = ox.Store(str(staging))
        for path, graph in files:
            fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
            store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(graph) if graph else None)
        store.extend(stamp_quads(fingerprint(files), content_digest(store)))
        store.flush()
        del store  # closes RocksDB before the folder moves
        if location.exists():
            old = Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}."))
            os.replace(location, old / "old")
            os.replace(staging, location)
            shutil.rmtree(old)
        else:
            os.replace(staging, location)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True
