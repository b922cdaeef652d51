"""Assemble the release graph (ontology + upstream imports + drug-class patterns + individuals)
and write dist/ in every release format, atomically and byte-reproducibly."""
from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate

from . import artefacts, concordance, deprecation, kgx, paths, queries, reference, releaseinfo, sssom, vocab
from .errors import CurationError, CurationErrors
from .individuals import Context, build_individuals
from .shortcuts import materialise
from .origin import COLUMNS_FILE, columns_tsv
from .patterns import emit as emit_patterns
from .patterns import generation_families, load_patterns
from .prefixes import bind_all, contract
from .serialize import ntriples_text, sorted_triples, turtle_text, write_atomic
from .copies import review_grams, shared_run
from .tables import TABLES, load_curation


@dataclass
class BuildResult:
    parts: tuple[Graph, ...]  # the ontology with its imports and patterns, the individuals: written as one graph
    gaps: list[tuple[str, str, str, str]]
    columns: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (table, property, column) -> triples
    concordance: list = field(default_factory=list)  # concordance.Row: statements beside CIViC's evidence
    mappings: list = field(default_factory=list)  # Context.mappings, for dist/mappings/nscr.sssom.tsv
    triples: int = 0  # triples in the release graph, set by write_dist

    @property
    def graph(self) -> Graph:
        """The parts merged into one rdflib graph (for callers that want one; write_dist never merges)."""
        merged = bind_all(Graph())
        for part in self.parts:
            merged += part
        return merged


def ontology_graph() -> Graph:
    """The ontology with its imports, as one ontology: a copy of the parse vocab.ontology_graph() holds
    (parsed once per process), without the import module's own header."""
    if not paths.IMPORTS.is_file():
        raise FileNotFoundError(f"{paths.rel(paths.IMPORTS)} does not exist (run `nscr imports`)")
    g = bind_all(Graph())
    header = URIRef("https://w3id.org/nscr/imports/upstream")
    for triple in vocab.ontology_graph():
        if triple[0] != header:
            g.add(triple)
    return releaseinfo.stamp(g)


def assemble() -> BuildResult:
    """The whole graph; raises CurationErrors listing every problem found."""
    curation = load_curation()
    errors: list[CurationError] = []
    patterns = load_patterns(errors)
    if errors:
        raise CurationErrors(errors)
    review = paths.review_text_path()
    ctx = Context(curation, patterns, reference.load(), review.read_text(encoding="utf-8") if review else None)
    graph = ontology_graph()  # the generation properties a drug row may use are declared there
    ctx.generation_families = generation_families(graph)
    build_individuals(ctx)
    symbols = {r["symbol"] for r in curation["genes"]} | {r["family"] for r in curation["families"]}
    for row in patterns:
        for symbol in row["targets"] + row["targets_all"]:
            if symbol not in symbols:
                ctx.errors.append(CurationError(paths.rel(paths.PATTERNS), row.line, "targets",
                                                f"{symbol!r} is neither a gene of genes.tsv nor a family of families.tsv"))
    check_copies(curation, ctx)
    if ctx.errors:
        raise CurationErrors(ctx.errors)
    deprecation.mark_obsolete(ctx.g)
    emit_patterns(graph, patterns, vocab.keywords("modality"), {r["family"] for r in curation["families"]})
    materialise(ctx)
    civic = concordance.compare(ctx.g, concordance.read_rows(paths.REFERENCE))
    concordance.link(ctx.g, civic)
    return BuildResult((graph, ctx.g), sorted(ctx.gaps), ctx.columns, civic, ctx.mappings)


def check_copies(curation, ctx: Context) -> None:
    """No text cell may share a run of ten words with the review; skipped, with a note, without the review."""
    if ctx.review_text is None:
        print("note: ../shared/source/review.txt is absent, so text copied from the review is not checked",
              file=sys.stderr)
        return
    grams = review_grams(ctx.review_text)
    for name, rows in sorted(curation.items()):
        text_columns = [c for c, kind in TABLES[name].all_columns().items() if kind.rstrip("?") in ("text", "textlist")]
        for row in rows:
            for column in text_columns:
                value = row.values.get(column)
                for text in value if isinstance(value, list) else [value]:
                    run = shared_run(text, grams) if text else None
                    if run:
                        ctx.errors.append(row.error(column, f"shares {len(run.split())} words with the review "
                                                            f"(\"{run[:120]}\"); say it in your own words"))


def gaps_tsv(gaps) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(["kind", "key", "missing_identifiers", "status"])
    w.writerows(gaps)
    return buf.getvalue()


def export_tables(ntriples: bytes) -> dict[str, str]:
    """One flat TSV per entity type (sparql/export/*.rq run on the built graph), with IRIs and identifiers."""
    import pyoxigraph as ox
    st = ox.Store()
    st.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    out = {}
    for query in queries.catalogue("export"):
        result = queries.run(query, st, {})
        # aggregated cells ('|'-joined) come in engine order: sort them so every build writes the same bytes
        table = queries.Result(result.columns, [["|".join(sorted(str(t.value).split("|"))) if t is not None else ""
                                                 for t in raw] for raw in result.raw], result.raw)
        out[query.name.split("/", 1)[1]] = queries.render(table, "tsv")
    return out


def stats_tsv(triples: list) -> str:
    """Counts per class (asserted rdf:type) and per predicate, as ODK release reports do, of the release's
    triples (serialize.sorted_triples)."""
    rdf_type = str(RDF.type)
    types = Counter(t.object.value for t in triples if t.predicate.value == rdf_type and isinstance(t.object, ox.NamedNode))
    preds = Counter(t.predicate.value for t in triples)

    def contracted(counts: Counter) -> list[tuple[str, int]]:  # contract each distinct IRI once
        out: Counter = Counter()
        for iri, n in counts.items():
            out[contract(iri)] += n
        return sorted(out.items())
    lines = ["kind\tterm\tcount\n", f"total\ttriples\t{len(triples)}\n"]
    lines += [f"class\t{t}\t{n}\n" for t, n in contracted(types)]
    lines += [f"predicate\t{p}\t{n}\n" for p, n in contracted(preds)]
    return "".join(lines)


def write_dist(result: BuildResult) -> dict[str, str]:
    """Every release file into dist/; the graph's files all come from one sorted list of its triples."""
    triples = sorted_triples(*result.parts)
    outputs = artefacts.build_outputs(triples)  # nscr.*, nscr-base.*, nscr-ontology.*, imports, context
    outputs["gaps.tsv"] = gaps_tsv(result.gaps).encode("utf-8")
    outputs["stats.tsv"] = stats_tsv(triples).encode("utf-8")
    outputs[str(COLUMNS_FILE)] = columns_tsv(result.columns).encode("utf-8")
    outputs["queries.ttl"] = turtle_text(queries.catalogue_graph()).encode("utf-8")
    review = paths.review_text_path()
    outputs[concordance.REPORT] = concordance.report_tsv(result.concordance, review.read_text(encoding="utf-8")
                                                         if review else None).encode("utf-8")
    # both parts read as one graph, without merging them (labels of diseases sit in the ontology part)
    whole = ReadOnlyGraphAggregate(list(result.parts))
    outputs[sssom.PATH] = sssom.sssom_tsv(whole, result.mappings).encode("utf-8")
    outputs.update(kgx.files(whole))  # dist/kgx/: nodes and edges
    outputs["hgnc-slice.nt"] = ntriples_text(reference.hgnc_slice_graph(reference.load())).encode("utf-8")
    for name, text in sorted(export_tables(outputs["nscr.nt"]).items()):
        outputs[f"tables/{name}.tsv"] = text.encode("utf-8")
    for name, data in sorted(outputs.items()):
        write_atomic(paths.DIST / name, data)
    result.triples = len(triples)
    return {name: paths.rel(paths.DIST / name) for name in outputs}
