"""The Python API: `nscr.load()` gives the release as a pyoxigraph store, `nscr.query(name, **params)` runs a
stored query on it and gives its rows.

    import nscr
    store = nscr.load()                                   # dist/ as `make run` published it
    rows = nscr.query("cq13", drug="nscr:drug/afatinib")  # [{'drug_class': 'EGFR tyrosine kinase inhibitor'}, ...]

A query runs exactly as `nscr query` runs it (queries.answer: the same name resolution, the same
parameter binding, the same checks), so a row holds what `nscr query --format tsv` prints: an IRI as
a CURIE where the project's prefix map has one (a CURIE can be passed back as a parameter), a
literal as its text, None where a variable is unbound. `terms=True` gives pyoxigraph terms instead.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox

from . import paths, queries

_cache: dict[tuple, ox.Store] = {}


def _files(dist: str | Path | None) -> list[Path]:
    """The release files a store holds, the ones `nscr serve` serves (servers.release_files)."""
    from .servers import release_files
    folder = Path(dist) if dist is not None else paths.DIST
    if not folder.is_dir():
        raise FileNotFoundError(f"{paths.rel(folder)} is not a release folder: run `make run` (or `nscr run`) "
                                "first, or give nscr.load() the folder of a release")
    return [path for path, _ in release_files(folder)]


def load(dist: str | Path | None = None) -> ox.Store:
    """A new in-memory pyoxigraph.Store holding a release: nscr.nt and, when the reasoner has run,
    nscr-inferred.ttl, both in the default graph (what `nscr query` queries).

    `dist` is a release folder (default: the project's dist/). Nothing is built: a folder without
    nscr.nt raises FileNotFoundError saying to run `make run` first, since building writes dist/ and
    takes a pipeline's time, which a load should not do behind its caller's back."""
    return queries.store(_files(dist))


def _default_store() -> ox.Store:
    """dist/'s store, loaded once and reloaded when a file of the release changes."""
    files = _files(None)
    key = tuple((str(f.resolve()), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if key not in _cache:
        _cache.clear()
        _cache[key] = queries.store(files)
    return _cache[key]


def _value(name: str, value) -> str:
    """A parameter value as `--param` takes it: text, or a pyoxigraph IRI or literal."""
    if isinstance(value, str):
        return value
    if isinstance(value, ox.NamedNode):
        return str(value)  # <...>
    if isinstance(value, ox.Literal):
        return value.value
    raise TypeError(f"parameter {name}: give a string (an IRI, a CURIE or a literal's text) or a pyoxigraph "
                    f"NamedNode or Literal, not {type(value).__name__}")


def query(name: str, /, *, store: ox.Store | None = None, terms: bool = False, **params) -> list[dict]:
    """Run a stored query (sparql/KIND/NAME.rq: kind/stem, stem or a unique prefix of it, as
    `nscr query` takes it; or the path of any .rq file) and return its rows as a list of dicts,
    column name -> value, in the query's order.

    Each keyword argument replaces a parameter's default the way `--param NAME=VALUE` does: an IRI
    as http(s)://..., <...> or a CURIE (nscr:drug/afatinib), a literal as its text; a pyoxigraph
    NamedNode or Literal works too. `store` defaults to dist/'s release (nscr.load(), kept between
    calls). Values are CURIE/text strings, None when unbound; with `terms=True`, pyoxigraph terms.
    An ASK query gives [{'answer': True or False}], a CONSTRUCT one subject/predicate/object rows.

    An unknown query name or parameter, or a value that is not a valid IRI, raises ValueError with
    the message the CLI prints (candidate names, the parameters the query takes); an IRI that names
    nothing in the graph runs anyway, with a UserWarning."""
    stored = queries.resolve(name)
    given = {key: _value(key, value) for key, value in params.items()}
    queries.bindings(stored, given)  # a bad name or value fails before any store is loaded
    result = queries.answer(stored, given, store if store is not None else _default_store(),
                            warn=lambda message: warnings.warn(message, stacklevel=4))
    if result.columns == ["answer"] and result.raw and isinstance(result.raw[0][0], bool):
        return [{"answer": result.raw[0][0]}]
    rows = result.raw if terms else [[None if t is None else queries.display(t) for t in r] for r in result.raw]
    return [dict(zip(result.columns, row)) for row in rows]
