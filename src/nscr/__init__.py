"""NSCR: resistance to targeted therapy and immunotherapy in NSCLC as a knowledge graph.

From Python (see nscr.api and the README's "Use it from Python"):

    import nscr
    store = nscr.load()                                   # the release in dist/, a pyoxigraph.Store
    rows = nscr.query("cq13", drug="nscr:drug/afatinib")  # a stored query's rows, a list of dicts
"""

__version__ = "0.1.0"
__all__ = ["load", "query"]


def __getattr__(name: str):
    """load and query come from nscr.api when first used, so that `nscr` commands that never query start fast."""
    if name in __all__:
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'nscr' has no attribute {name!r}")
