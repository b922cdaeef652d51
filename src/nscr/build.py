"""Assemble the release graph (ontology + upstream imports + drug-class patterns + individuals)
and write dist/ in every release format, atomically and byte-reproducibly."""
from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass, field

from rdflib import RDF, Graph, URIRef

from . import paths, queries, reference, releaseinfo, sssom, vocab
from .errors import CurationError, CurationErrors
from .individuals import Context, build_individuals
from .shortcuts import materialise
from .origin import COLUMNS_FILE, columns_tsv
from .patterns import emit as emit_patterns
from .patterns import generation_families, load_patterns
from .prefixes import bind_all, contract
from .serialize import all_formats, ntriples_text, turtle_text, write_atomic
from .copies import review_grams, shared_run
from .tables import TABLES, load_curation


@dataclass
class BuildResult:
    graph: Graph
    gaps: list[tuple[str, str, str, str]]
    columns: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (table, property, column) -> triples
    mappings: list = field(default_factory=list)  # Context.mappings, for dist/mappings/nscr.sssom.tsv


def ontology_graph() -> Graph:
    g = bind_all(Graph())
    g.parse(paths.ONTOLOGY, format="turtle")
    imports = Graph().parse(paths.IMPORTS, format="turtle")
    header = URIRef("https://w3id.org/nscr/imports/upstream")
    for triple in imports:
        if triple[0] != header:  # the release is one ontology: drop the import module's own header
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
    emit_patterns(graph, patterns, vocab.keywords("modality"), {r["family"] for r in curation["families"]})
    materialise(ctx)
    graph += ctx.g
    return BuildResult(graph, sorted(ctx.gaps), ctx.columns, ctx.mappings)


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


def stats_tsv(graph: Graph) -> str:
    """Counts per class (asserted rdf:type) and per predicate, as ODK release reports do."""
    types = Counter(contract(str(o)) for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    preds = Counter(contract(str(p)) for p in graph.predicates())
    lines = ["kind\tterm\tcount\n", f"total\ttriples\t{len(graph)}\n"]
    lines += [f"class\t{t}\t{n}\n" for t, n in sorted(types.items())]
    lines += [f"predicate\t{p}\t{n}\n" for p, n in sorted(preds.items())]
    return "".join(lines)


def write_dist(result: BuildResult) -> dict[str, str]:
    outputs = {f"nscr.{ext}": data for ext, data in all_formats(result.graph).items()}
    outputs["gaps.tsv"] = gaps_tsv(result.gaps).encode("utf-8")
    outputs["stats.tsv"] = stats_tsv(result.graph).encode("utf-8")
    outputs[str(COLUMNS_FILE)] = columns_tsv(result.columns).encode("utf-8")
    outputs["queries.ttl"] = turtle_text(queries.catalogue_graph()).encode("utf-8")
    outputs[sssom.PATH] = sssom.sssom_tsv(result.graph, result.mappings).encode("utf-8")
    outputs["hgnc-slice.nt"] = ntriples_text(reference.hgnc_slice_graph(reference.load())).encode("utf-8")
    for name, text in sorted(export_tables(outputs["nscr.nt"]).items()):
        outputs[f"tables/{name}.tsv"] = text.encode("utf-8")
    for name, data in sorted(outputs.items()):
        write_atomic(paths.DIST / name, data)
    return {name: paths.rel(paths.DIST / name) for name in outputs}
