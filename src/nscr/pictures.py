"""Resistance-network pictures drawn from the built graph with Graphviz `dot`: dist/figures/<GENE>.svg for
each driver gene and dist/figures/overview.svg for the whole graph.

Driver genes. A gene is a driver when some statement is about it (nscr:aboutGene) and concerns a drug that
inhibits it (nscr:concernsDrug, nscr:inhibits): the review treats it as a target whose drugs tumours come to
resist. Each statement is drawn in the figure of
  1. the driver genes it is about whose drugs it concerns (on target: ALK G1202R against crizotinib -> ALK);
  2. otherwise the driver genes of its molecular context (nscr:inMolecularContext: KRAS G12D in ROS1-fusion
     NSCLC against crizotinib -> ROS1);
  3. otherwise the driver genes the drugs it concerns inhibit (MET amplification against osimertinib -> EGFR;
     a multi-target drug such as crizotinib puts an off-target statement in each of its targets' figures).
A statement with none (an immunotherapy claim about a cell population) is in the overview only.

A gene's figure: subjects (alterations, profiles, mechanisms...) -> the therapies named in the statements
(red: predicts resistance; green dashed: predicts sensitivity; dotted: the review disputes it) -> the
strategies that address those statements, or their subjects in a resistance context that includes one of the
gene's drugs (from the therapy they overcome resistance to, or else from what they address). A grey dotted
arrow from a subject to a mechanism is the statement's nscr:viaMechanism.

The overview aggregates the resistance statements: the driver genes each is drawn for (or its subject kind when
it has none) -> its mechanism class (the subject's or the nscr:viaMechanism's taxonomy class, at most two levels
below nscr:ResistanceMechanism) -> the top drug classes of its therapy (no modality classes), with the number
of statements on each arrow.

Output is deterministic: sorted input, no timestamps, Graphviz's version comment removed.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import paths, queries
from .prefixes import NSCR
from .serialize import write_atomic

N = str(NSCR)
PREFIXES = f"PREFIX nscr: <{N}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
           "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
RESISTANCE, SENSITIVITY, DISPUTES = N + "PredictsResistanceTo", N + "PredictsSensitivityTo", N + "Disputes"
FONT = "Helvetica"
OUTCOME_COLOURS = {"PositiveOutcome": "#1b7837", "MixedOutcome": "#b8860b", "NegativeOutcome": "#b2182b",
                   "OngoingOutcome": "#2166ac", "UnreportedOutcome": "#555555"}


README_FIGURE = "KRAS.svg"  # the one figure committed under docs/figures/ for the README (a test compares it)


class GraphvizMissing(RuntimeError):
    pass


def _rows(st: ox.Store, text: str) -> list[tuple[str | None, ...]]:
    return sorted(tuple(None if t is None else t.value for t in row) for row in st.query(PREFIXES + text))


def _labels(st: ox.Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for iri, label in _rows(st, "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(isIRI(?s)) }"):
        out.setdefault(iri, label)
    return out


@dataclass
class Statement:
    iri: str
    subject: str
    predicate: str
    therapy: str
    disputed: bool
    mechanisms: set[str] = field(default_factory=set)
    about: set[str] = field(default_factory=set)
    context_genes: set[str] = field(default_factory=set)
    drug_targets: set[str] = field(default_factory=set)
    therapy_classes: set[str] = field(default_factory=set)


@dataclass
class Facts:
    """What the figures need from the graph, read once."""
    labels: dict[str, str]
    statements: dict[str, Statement]
    drivers: list[str]
    subject_kinds: dict[str, str]  # subject -> the label of its kind
    mechanism_types: dict[str, set[str]]
    mechanism_parents: dict[str, str]  # taxonomy class -> its parent class
    strategies: dict[str, dict]
    types: dict[str, set[str]]


def read_facts(st: ox.Store) -> Facts:
    statements: dict[str, Statement] = {}
    for s, subj, pred, obj, direction in _rows(st, """
        SELECT ?s ?subj ?pred ?obj ?dir WHERE { ?s a nscr:ResistanceStatement ; nscr:hasSubject ?subj ;
          nscr:hasPredicate ?pred ; nscr:hasObject ?obj . OPTIONAL { ?s nscr:hasDirection ?dir } }"""):
        statements[s] = Statement(s, subj, pred, obj, direction == DISPUTES)

    def collect(attr: str, text: str) -> None:
        for s, value in _rows(st, text):
            if s in statements:
                getattr(statements[s], attr).add(value)

    collect("mechanisms", "SELECT ?s ?m WHERE { ?s nscr:viaMechanism ?m }")
    collect("about", "SELECT ?s ?g WHERE { ?s nscr:aboutGene ?g }")
    collect("context_genes", "SELECT ?s ?g WHERE { ?s nscr:inMolecularContext/nscr:hasComponent?/nscr:inGene ?g }")
    collect("drug_targets", "SELECT ?s ?g WHERE { ?s nscr:concernsDrug/nscr:inhibits ?g . ?g a nscr:Gene }")
    # top therapy classes: within no other class but modality classes (whose OWL class is a curation keyword)
    collect("therapy_classes", """
        SELECT ?s ?c WHERE { ?s a nscr:ResistanceStatement ; nscr:concernsDrugClass ?c .
          ?c nscr:definedByClass ?cc . FILTER NOT EXISTS { ?cc skos:notation ?n }
          FILTER NOT EXISTS { ?c nscr:withinClass ?up . ?up nscr:definedByClass ?upc .
                              FILTER NOT EXISTS { ?upc skos:notation ?n2 } } }""")
    drivers = sorted({g for (g,) in _rows(st, """
        SELECT DISTINCT ?g WHERE { ?s nscr:aboutGene ?g ; nscr:concernsDrug ?d . ?d nscr:inhibits ?g .
          ?g a nscr:Gene }""")})
    types: dict[str, set[str]] = defaultdict(set)
    for iri, cls in _rows(st, f"SELECT ?s ?c WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), \"{N}\")) }}"):
        types[iri].add(cls)
    mechanism_types = {iri: {c for c in cs if c != N + "ResistanceMechanism"}
                       for iri, cs in types.items() if N + "ResistanceMechanism" in cs}
    parents = dict(_rows(st, f"""SELECT ?c ?p WHERE {{ ?c rdfs:subClassOf ?p .
        ?p rdfs:subClassOf* nscr:ResistanceMechanism FILTER(STRSTARTS(STR(?c), "{N}")) }}"""))
    strategies: dict[str, dict] = defaultdict(lambda: {"addresses": set(), "context": set(), "context_targets": set(),
                                                       "outcome": None})
    for t, a in _rows(st, "SELECT ?t ?a WHERE { ?t a nscr:Strategy ; nscr:addresses ?a }"):
        strategies[t]["addresses"].add(a)
    for t, c in _rows(st, "SELECT ?t ?c WHERE { ?t a nscr:Strategy ; nscr:overcomesResistanceTo ?c }"):
        strategies[t]["context"].add(c)
    for t, g in _rows(st, "SELECT ?t ?g WHERE { ?t a nscr:Strategy ; nscr:overcomesResistanceTo/nscr:includesDrug/nscr:inhibits ?g }"):
        strategies[t]["context_targets"].add(g)
    for t, o in _rows(st, "SELECT ?t ?o WHERE { ?t a nscr:Strategy ; nscr:hasOutcome ?o }"):
        strategies[t]["outcome"] = o
    kinds = dict(_rows(st, "SELECT ?subj ?kl WHERE { ?s nscr:hasSubject ?subj ; nscr:subjectKind/rdfs:label ?kl }"))
    return Facts(_labels(st), statements, drivers, kinds, mechanism_types, parents, dict(strategies), dict(types))


def statement_drivers(s: Statement, drivers: set[str]) -> set[str]:
    """The driver genes whose figure shows the statement (the rule in the module docstring)."""
    return (s.about & s.drug_targets & drivers) or (s.context_genes & drivers) or (s.drug_targets & drivers)


# --- DOT text -------------------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def _attrs(**kw) -> str:
    return "[" + ", ".join(f"{k}={_quote(str(v))}" for k, v in sorted(kw.items())) + "]"


def _header(title: str) -> list[str]:
    return ["digraph G {",
            f"  graph {_attrs(rankdir='LR', fontname=FONT, fontsize=18, labelloc='t', label=title, nodesep=0.15, ranksep=1.1, newrank='true', bgcolor='white')};",
            f"  node {_attrs(fontname=FONT, fontsize=11, shape='box', style='rounded,filled', fillcolor='white', margin='0.12,0.04')};",
            f"  edge {_attrs(fontname=FONT, fontsize=10, arrowsize=0.7)};"]


def _subject_style(facts: Facts, iri: str) -> dict:
    kinds = facts.types.get(iri, set())
    if N + "ResistanceMechanism" in kinds:
        return {"shape": "ellipse", "fillcolor": "#fde0c5"}
    if N + "CompoundProfile" in kinds:
        return {"fillcolor": "#e7d4e8"}
    if N + "Alteration" in kinds:
        return {"fillcolor": "#d1e5f0"}
    return {"shape": "note", "fillcolor": "#f0f0f0"}


def _therapy_style(facts: Facts, iri: str) -> dict:
    kinds = facts.types.get(iri, set())
    if N + "DrugClass" in kinds:
        return {"shape": "box", "style": "filled", "fillcolor": "#fff7bc"}
    if N + "Regimen" in kinds:
        return {"shape": "box", "style": "rounded,filled,dashed", "fillcolor": "#fffde0"}
    return {"shape": "box", "style": "rounded,filled", "fillcolor": "#fff7bc"}


def gene_dot(facts: Facts, gene: str) -> str:
    drivers = set(facts.drivers)
    chosen = sorted((s for s in facts.statements.values() if gene in statement_drivers(s, drivers)),
                    key=lambda s: s.iri)
    label = facts.labels.get(gene, gene.rsplit("/", 1)[-1])
    title = (f"{label}: resistance network ({len(chosen)} statements)\n"
             "red: predicts resistance   green dashed: predicts sensitivity   dotted: disputed   "
             "grey: acts through mechanism   right: strategies, coloured by outcome")
    lines = _header(title)
    subjects, therapies = set(), set()
    edges: set[tuple] = set()
    for s in chosen:
        subjects.add(s.subject)
        therapies.add(s.therapy)
        resist = s.predicate == RESISTANCE
        style = "dotted" if s.disputed else ("solid" if resist else "dashed")
        edges.add((s.subject, s.therapy, "#b2182b" if resist else "#1b7837", style, "true"))
        for m in s.mechanisms:
            if m != s.subject:
                subjects.add(m)
                edges.add((s.subject, m, "#999999", "dotted", "false"))
    statement_iris = {s.iri for s in chosen}
    strategies = []
    for t, info in sorted(facts.strategies.items()):
        via_statement = info["addresses"] & statement_iris
        via_subject = (info["addresses"] & subjects) if gene in info["context_targets"] else set()
        if not (via_statement or via_subject):
            continue
        strategies.append(t)
        sources = info["context"] & therapies
        if not sources:
            sources = {facts.statements[a].subject for a in via_statement} | via_subject
        for src in sources:
            edges.add((src, t, "#2166ac", "solid", "true"))
    lines.append("  { rank=min;")
    for iri in sorted(subjects):
        lines.append(f"    {_quote(iri)} {_attrs(label=_wrap(facts.labels.get(iri, iri)), URL=iri, tooltip=iri, **_subject_style(facts, iri))};")
    lines.append("  }")
    for iri in sorted(therapies - subjects):
        lines.append(f"  {_quote(iri)} {_attrs(label=_wrap(facts.labels.get(iri, iri)), URL=iri, tooltip=iri, **_therapy_style(facts, iri))};")
    lines.append("  { rank=max;")
    for t in strategies:
        colour = OUTCOME_COLOURS.get((facts.strategies[t]["outcome"] or "").removeprefix(N), "#555555")
        outcome = facts.labels.get(facts.strategies[t]["outcome"] or "", "outcome not stated")
        lines.append(f"    {_quote(t)} {_attrs(label=_wrap(facts.labels.get(t, t)) + chr(10) + '[' + outcome + ']', URL=t, tooltip=t, shape='box', style='filled', fillcolor='#f7fbff', color=colour, penwidth=1.6)};")
    lines.append("  }")
    for src, dst, colour, style, constraint in sorted(edges):
        lines.append(f"  {_quote(src)} -> {_quote(dst)} {_attrs(color=colour, style=style, constraint=constraint)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def mechanism_class(facts: Facts, mechanism: str) -> str:
    """The most specific taxonomy class of a mechanism, rolled up to at most two levels below the root."""
    def depth(c: str) -> int:
        d = 0
        while c in facts.mechanism_parents and d < 20:
            c, d = facts.mechanism_parents[c], d + 1
        return d
    classes = sorted(facts.mechanism_types.get(mechanism, set()), key=lambda c: (-depth(c), c))
    if not classes:
        return N + "ResistanceMechanism"
    c = classes[0]
    while depth(c) > 2:
        c = facts.mechanism_parents[c]
    return c


def overview_dot(facts: Facts) -> str:
    drivers = set(facts.drivers)
    left: dict[str, str] = {}
    first: dict[tuple[str, str], int] = defaultdict(int)
    second: dict[tuple[str, str], int] = defaultdict(int)
    resistance = [s for _, s in sorted(facts.statements.items()) if s.predicate == RESISTANCE]
    for s in resistance:
        genes = sorted(statement_drivers(s, drivers)) or ["kind:" + facts.subject_kinds.get(s.subject, "other subject")]
        mechs = ({s.subject} if s.subject in facts.mechanism_types else set()) | s.mechanisms
        classes = sorted({mechanism_class(facts, m) for m in mechs}) or ["none"]
        therapy = sorted(s.therapy_classes) or [s.therapy]
        for g in genes:
            left[g] = (facts.labels.get(g, g) if not g.startswith("kind:")
                       else f"no driver gene:\n{g.removeprefix('kind:')}")
            for c in classes:
                first[(g, "mech:" + c)] += 1
        for c in classes:
            for t in therapy:
                second[("mech:" + c, t)] += 1
    for d in drivers:  # every driver gene is named, even one the review gives no resistance for
        left.setdefault(d, facts.labels.get(d, d) + "\n(no resistance statement)")
    title = (f"NSCR overview: {len(resistance)} resistance statements\n"
             "driver gene (or the subject's kind) -> mechanism class -> therapy class; numbers: statements")
    lines = _header(title)
    lines.append("  { rank=min;")
    for g in sorted(left):
        extra = {"penwidth": 2, "fontsize": 13, "fillcolor": "#d1e5f0"} if g in drivers else {"fillcolor": "#f0f0f0"}
        lines.append(f"    {_quote(g)} {_attrs(label=left[g], **extra)};")
    lines.append("  }")
    for m in sorted({m for _, m in first}):
        name = "mechanism not stated" if m == "mech:none" else facts.labels.get(m.removeprefix("mech:"), m)
        lines.append(f"  {_quote(m)} {_attrs(label=_wrap(name, 24), shape='ellipse', fillcolor='#fde0c5')};")
    lines.append("  { rank=max;")
    for t in sorted({t for _, t in second}):
        lines.append(f"  {_quote(t)} {_attrs(label=_wrap(facts.labels.get(t, t), 24), fillcolor='#fff7bc')};")
    lines.append("  }")
    for (src, dst), n in sorted(first.items()) + sorted(second.items()):
        lines.append(f"  {_quote(src)} -> {_quote(dst)} "
                     f"{_attrs(label=n, penwidth=round(min(0.8 + n / 4, 6), 2), color='#4d4d4d80')};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- rendering ------------------------------------------------------------------------------------------


def dot_binary() -> str:
    found = shutil.which("dot")
    if not found:
        raise GraphvizMissing("Graphviz `dot` is not installed: run `make graphviz` (Debian package graphviz)")
    return found


_GENERATOR = re.compile(r"<!-- Generated by graphviz[^>]*-->\n")


def render_svg(dot_text: str) -> bytes:
    """SVG from DOT text; Graphviz's version comment is dropped so the file depends on the graph alone."""
    done = subprocess.run([dot_binary(), "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True,
                          env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "0"})
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return _GENERATOR.sub("", done.stdout.decode("utf-8")).encode("utf-8")


def file_stem(facts: Facts, gene: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", facts.labels.get(gene, gene.rsplit("/", 1)[-1]))


def figures(st: ox.Store | None = None) -> dict[str, bytes]:
    """file name -> SVG, for every driver gene and the overview."""
    facts = read_facts(st or queries.store())
    out = {"overview.svg": render_svg(overview_dot(facts))}
    for gene in facts.drivers:
        out[file_stem(facts, gene) + ".svg"] = render_svg(gene_dot(facts, gene))
    return out


def write_figures(refresh_docs: bool = False) -> list[str]:
    """Every figure into dist/figures/ (and, with refresh_docs, the README's copy into docs/figures/)."""
    folder = paths.DIST / "figures"
    written = []
    pictures = figures()
    for name, svg in sorted(pictures.items()):
        write_atomic(folder / name, svg)
        written.append(paths.rel(folder / name))
    if refresh_docs:
        write_atomic(paths.ROOT / "docs" / "figures" / README_FIGURE, pictures[README_FIGURE])
        written.append(paths.rel(paths.ROOT / "docs" / "figures" / README_FIGURE))
    for stale in sorted(folder.glob("*.svg")):
        if stale.name not in pictures:
            stale.unlink()
    return written
