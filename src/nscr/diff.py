"""`nscr diff OLD NEW`: what changed between two releases (release folders, or two graph files):
statements and strategies added, removed or changed (with the properties that changed), labels
changed, and identifiers (skos exact/close mappings) added or removed; as a readable report and a TSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .prefixes import NSCR, contract

ENTITY_KINDS = {"statement": NSCR.ResistanceStatement, "strategy": NSCR.Strategy}
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch)
SECTIONS = ("statement", "strategy", "label", "identifier")
COLUMNS = ("section", "change", "iri", "label", "detail")
GRAPH_FILES = ("nscr.nt", "nscr.ttl")  # what a release folder is read from, first found
FORMATS = {".nt": "nt", ".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".jsonld": "json-ld"}


@dataclass(frozen=True, order=True)
class Change:
    section: str
    change: str  # added, removed, changed
    iri: str
    label: str
    detail: str


def graph_file(path: Path) -> Path:
    """The graph a release folder holds, or the file itself."""
    path = Path(path)
    if path.is_dir():
        for name in GRAPH_FILES:
            if (path / name).is_file():
                return path / name
        raise ValueError(f"{path} holds no release graph ({' or '.join(GRAPH_FILES)}); give a release folder or a .ttl/.nt file")
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if path.suffix not in FORMATS:
        raise ValueError(f"{path}: unknown graph format {path.suffix!r} (use {', '.join(sorted(FORMATS))})")
    return path


def load(path: Path) -> Graph:
    file = graph_file(path)
    return Graph().parse(file, format=FORMATS[file.suffix])


def _term(t) -> str:
    if isinstance(t, URIRef):
        return contract(str(t))
    if isinstance(t, Literal):
        return str(t)
    return "[]"  # a blank node: compared by presence only


def _label(g: Graph, node) -> str:
    return min((str(o) for o in g.objects(node, RDFS.label)), default="")


def _properties(g: Graph, node) -> dict[str, tuple[str, ...]]:
    props: dict[str, list[str]] = {}
    for p, o in g.predicate_objects(node):
        props.setdefault(contract(str(p)), []).append(_term(o))
    return {p: tuple(sorted(v)) for p, v in props.items()}


def _entities(g: Graph, kind) -> dict[URIRef, dict]:
    return {s: _properties(g, s) for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def _project_labels(g: Graph) -> dict[URIRef, str]:
    return {s: _label(g, s) for s in set(g.subjects(RDFS.label, None))
            if isinstance(s, URIRef) and str(s).startswith(str(NSCR))}


def _mappings(g: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    return {(s, p, o) for p in MAPPINGS for s, o in g.subject_objects(p)
            if not isinstance(s, BNode) and isinstance(o, URIRef)}


def _show(values: tuple[str, ...]) -> str:
    return " | ".join(values) if values else "(none)"


def compare(old: Graph, new: Graph) -> list[Change]:
    changes: list[Change] = []
    for section, kind in ENTITY_KINDS.items():
        before, after = _entities(old, kind), _entities(new, kind)
        for node in after.keys() - before.keys():
            changes.append(Change(section, "added", contract(str(node)), _label(new, node), ""))
        for node in before.keys() - after.keys():
            changes.append(Change(section, "removed", contract(str(node)), _label(old, node), ""))
        for node in before.keys() & after.keys():
            a, b = before[node], after[node]
            diffs = [f"{p}: {_show(a.get(p, ()))} -> {_show(b.get(p, ()))}" for p in sorted(a.keys() | b.keys())
                     if a.get(p, ()) != b.get(p, ())]
            if diffs:
                changes.append(Change(section, "changed", contract(str(node)), _label(new, node), "; ".join(diffs)))
    before, after = _project_labels(old), _project_labels(new)
    for node in before.keys() & after.keys():
        if before[node] != after[node]:
            changes.append(Change("label", "changed", contract(str(node)), after[node], f"{before[node]!r} -> {after[node]!r}"))
    entities = {c.iri for c in changes}  # a statement or strategy added or removed is not listed again
    for node in after.keys() - before.keys():
        if contract(str(node)) not in entities:
            changes.append(Change("label", "added", contract(str(node)), after[node], ""))
    for node in before.keys() - after.keys():
        if contract(str(node)) not in entities:
            changes.append(Change("label", "removed", contract(str(node)), before[node], ""))
    before_m, after_m = _mappings(old), _mappings(new)
    for (s, p, o), change, g in [(m, "added", new) for m in after_m - before_m] + \
                                [(m, "removed", old) for m in before_m - after_m]:
        changes.append(Change("identifier", change, contract(str(s)), _label(g, s), f"{contract(str(p))} {contract(str(o))}"))
    return sorted(changes, key=lambda c: (SECTIONS.index(c.section), c.change, c.iri, c.detail))


def tsv(changes: list[Change]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows([c.section, c.change, c.iri, c.label, c.detail.replace("\t", " ").replace("\n", " ")] for c in changes)
    return buf.getvalue()


def report(changes: list[Change], old_name: str, new_name: str) -> str:
    """Counts per section, then every change grouped by section and kind."""
    lines = [f"nscr diff {old_name} -> {new_name}"]
    if not changes:
        return lines[0] + "\nno statement, strategy, label or identifier changed\n"
    titles = {"statement": "statements", "strategy": "strategies", "label": "labels", "identifier": "identifiers"}
    for section in SECTIONS:
        mine = [c for c in changes if c.section == section]
        counts = {k: sum(c.change == k for c in mine) for k in ("added", "removed", "changed")}
        lines.append(f"{titles[section]}: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
    for section in SECTIONS:
        for kind in ("added", "removed", "changed"):
            mine = [c for c in changes if c.section == section and c.change == kind]
            if mine:
                lines.append("")
                lines.append(f"{titles[section]} {kind}:")
                for c in mine:
                    label = f" ({c.label})" if c.label else ""
                    lines.append(f"  {c.iri}{label}" + (f": {c.detail}" if c.detail else ""))
    return "\n".join(lines) + "\n"
