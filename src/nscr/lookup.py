"""Finding an entity's IRI from a name: labels (rdfs:label, skos:altLabel) and, separately, the
interpreted mentions of the review (what it prints, nscr:writtenForm, and the entity the curator
reads it as, nscr:interpretedAs). A written form is never a label: an entity is only ever found
by its own labels, and a mention only in the mentions block."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .prefixes import contract, expand


def _iri(curie: str) -> ox.NamedNode:
    return ox.NamedNode(str(expand(curie)))


RDF_TYPE = _iri("rdf:type")
LABELS = {"rdfs:label": _iri("rdfs:label"), "skos:altLabel": _iri("skos:altLabel")}
MENTION = _iri("nscr:InterpretedMention")
WRITTEN_FORM = _iri("nscr:writtenForm")
INTERPRETED_AS = _iri("nscr:interpretedAs")
HAS_PASSAGE = _iri("nscr:hasPassage")
START, END = _iri("oa:start"), _iri("oa:end")


@dataclass(frozen=True)
class LabelMatch:
    entity: str  # CURIE
    label: str
    prop: str  # rdfs:label or skos:altLabel
    types: tuple[str, ...]
    exact: bool

    def line(self) -> str:
        return "\t".join([self.entity, self.label, self.prop, " ".join(self.types)])


@dataclass(frozen=True)
class MentionMatch:
    mention: str
    written: str
    read_as: str
    offsets: tuple[tuple[int, int], ...]
    exact: bool

    def line(self) -> str:
        spans = " ".join(f"{s}-{e}" for s, e in self.offsets) or "(no offsets)"
        return "\t".join([self.written, self.read_as or "(not interpreted)", spans, self.mention])


def _show(term) -> str:
    return contract(term.value) if isinstance(term, ox.NamedNode) else str(term)


def _matches(value: str, text: str, contains: bool) -> bool | None:
    """True for an exact (case-insensitive) match, False for a substring one, None for none."""
    v, t = value.casefold(), text.casefold()
    if v == t:
        return True
    return False if contains and t in v else None


def _objects(st: ox.Store, subject, predicate) -> list:
    return [q.object for q in st.quads_for_pattern(subject, predicate, None)]


def _is_mention(st: ox.Store, node) -> bool:
    return next(st.quads_for_pattern(node, RDF_TYPE, MENTION), None) is not None


def labels(st: ox.Store, text: str, contains: bool = False) -> list[LabelMatch]:
    found = set()
    for prop, predicate in LABELS.items():
        for quad in st.quads_for_pattern(None, predicate, None):
            if not isinstance(quad.subject, ox.NamedNode) or not isinstance(quad.object, ox.Literal):
                continue
            exact = _matches(quad.object.value, text, contains)
            if exact is None or _is_mention(st, quad.subject):
                continue
            types = tuple(sorted({_show(t) for t in _objects(st, quad.subject, RDF_TYPE) if isinstance(t, ox.NamedNode)}))
            found.add(LabelMatch(_show(quad.subject), quad.object.value, prop, types, exact))
    # exact matches first, the graph's own entities before the external identifiers they match
    return sorted(found, key=lambda m: (not m.exact, not m.entity.startswith("nscr:"), m.entity, m.prop, m.label))


def _offsets(st: ox.Store, node) -> set[tuple[int, int]]:
    out = set()
    for start in _objects(st, node, START):
        for end in _objects(st, node, END):
            try:
                out.add((int(start.value), int(end.value)))
            except ValueError:
                pass
    return out


def mentions(st: ox.Store, text: str, contains: bool = False) -> list[MentionMatch]:
    found = set()
    for quad in st.quads_for_pattern(None, RDF_TYPE, MENTION):
        m = quad.subject
        for written in _objects(st, m, WRITTEN_FORM):
            exact = _matches(written.value, text, contains)
            if exact is None:
                continue
            spans = set(_offsets(st, m))
            for passage in _objects(st, m, HAS_PASSAGE):
                spans |= _offsets(st, passage)
            read_as = " ".join(sorted(_show(t) for t in _objects(st, m, INTERPRETED_AS)))
            found.add(MentionMatch(_show(m), written.value, read_as, tuple(sorted(spans)), exact))
    return sorted(found, key=lambda x: (not x.exact, x.written.casefold(), x.offsets, x.mention))
