"""HTML documentation of the ontology (the TBox: ontology/nscr.ttl, its upstream imports and the drug-class
patterns) by pyLODE 3.3.4 into dist/docs/html/index.html, with the resistance-network figures linked from it.

pyLODE 3.3.4 is pinned (3.4.1 cannot start; later releases need Python 3.12). Its class-expression renderer
collects the members of a union or intersection in a Python set of HTML elements, so their order changes from
run to run, and a union nested in an intersection (nscr:CompoundProfile) makes it fail with "unhashable type:
'list'". `_ordered_intersperse` replaces its one helper for that: members sorted by their HTML, returned as
one element. The dates shown are the ontology header's own (owl:versionInfo, set with the release), never
the clock.
"""
from __future__ import annotations

import html
import logging

from . import paths, vocab
from .prefixes import expand
from .serialize import write_atomic

FIGURES_ANCHOR = '<div class="section" id="classes">'  # the figures go after the ontology's metadata


def _ordered_intersperse(items, sep):
    """pylode.utils.intersperse for a set of class expressions: sorted, joined by `sep`, as one span."""
    from dominate.tags import span
    out = span()
    for i, item in enumerate(sorted(items, key=lambda e: e.render() if hasattr(e, "render") else str(e))):
        if i:
            out.add(span(*(str(c) for c in sep.children), **sep.attributes))
        out.add(item)
    return out


def tbox():
    """The ontology as pyLODE is given it: IAO:0000115 definitions also as skos:definition, which pyLODE shows
    (it does not know the OBO definition property)."""
    from rdflib.namespace import SKOS
    from .build import ontology_graph
    from .patterns import emit, load_patterns
    graph = ontology_graph()
    emit(graph, load_patterns([]), vocab.keywords("modality"))
    for term, definition in list(graph.subject_objects(expand("IAO:0000115"))):
        graph.add((term, SKOS.definition, definition))
    return graph


def figures_section(figure_names: list[str]) -> str:
    """A section of the page linking (and showing) the figures in dist/figures/, relative to dist/docs/html/."""
    if not figure_names:
        return ""
    genes = sorted(n for n in figure_names if n != "overview.svg")
    links = ", ".join(f'<a href="../../figures/{html.escape(n)}">{html.escape(n[:-4])}</a>' for n in genes)
    overview = ""
    if "overview.svg" in figure_names:
        overview = ('<figure><a href="../../figures/overview.svg"><img src="../../figures/overview.svg" '
                    'alt="Overview of the whole graph" style="max-width:100%"/></a>'
                    "<figcaption>Overview: driver gene, mechanism class, therapy class</figcaption></figure>")
    return ('<div class="section" id="figures"><h2>Resistance-network figures</h2>'
            "<p>Drawn from the release graph by <code>nscr figures</code>. Each driver gene's figure shows its "
            "alterations and mechanisms, the therapies they resist (or respond to) and the strategies against "
            f"them: {links}.</p>" + overview + "</div>")


def render(figure_names: list[str] | None = None) -> str:
    import pylode.utils
    from pylode import OntPub
    pylode.utils.intersperse = _ordered_intersperse
    logging.getLogger().setLevel(logging.WARNING)  # pyLODE logs its background loading at INFO
    page = OntPub(ontology=tbox(), sort_subjects=True).make_html()
    section = figures_section(figure_names or [])
    if section:
        if FIGURES_ANCHOR not in page:
            raise RuntimeError("pyLODE's page has no classes section to put the figures before")
        page = page.replace(FIGURES_ANCHOR, section + FIGURES_ANCHOR, 1)
    return page


def write_htmldocs() -> list[str]:
    figures = sorted(p.name for p in (paths.DIST / "figures").glob("*.svg"))
    target = paths.DIST / "docs" / "html" / "index.html"
    write_atomic(target, render(figures).encode("utf-8"))
    return [paths.rel(target)]
