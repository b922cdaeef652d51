"""`nscr`: the one front door of the package. Exit codes: 0 ok, 1 invalid/inconsistent, 2 error."""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from . import paths
from .errors import EXIT_ERROR, EXIT_INVALID, EXIT_OK, CurationError, CurationErrors


QUERY_HELP = """\
names:
  nscr query cq/cq01                  a unique prefix of a stored query's name (cq01, one-label, export/stat)
  nscr query path/to/my-query.rq      any .rq file; its '# param:' header lines work the same way

parameters:
  Each stored query holds its parameters' defaults itself, so the raw file sent to any SPARQL endpoint
  gives the documented answer. The header declares them,
      # param: drug iri the drug the mutations resist
  and one VALUES block right after the outer WHERE { holds the defaults:
      VALUES (?drug ?gene) { (<https://w3id.org/nscr/drug/osimertinib> "EGFR") }  # parameters
  --param NAME=VALUE replaces a default with an RDF term (an IRI as <...>, http(s)://... or a CURIE
  such as nscr:drug/afatinib; a literal as its text), never with pasted text. An IRI that names
  nothing in the graph is run anyway, with a warning on stderr.

examples:
  nscr query --list
  nscr query cq13 --param drug=nscr:drug/afatinib --format tsv
  nscr query cq07 --endpoint http://127.0.0.1:7878/query
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("nscr")
    except PackageNotFoundError:  # running from a source tree that was never installed
        from . import __version__
        return __version__


def cmd_build(args) -> int:
    from .build import assemble, write_dist
    t0 = time.perf_counter()
    result = assemble()
    written = write_dist(result)
    print(f"built {result.triples} triples in {time.perf_counter() - t0:.2f} s")
    for name, where in sorted(written.items()):
        print(f"  {where}")
    if result.gaps:
        kinds = Counter(gap[0] for gap in result.gaps)
        fragments = kinds.pop("table1-fragment", 0)
        print(f"{sum(kinds.values())} entities lack some identifiers"
              + (f", {fragments} Table 1 fragments are not reconstructed" if fragments else "")
              + f": see {written['gaps.tsv']}")
    return EXIT_OK


def cmd_reference(args) -> int:
    from . import reference
    shared = Path(args.shared) if args.shared else paths.shared_reference()
    if shared is None or not (shared / "SHA256SUMS").is_file():
        print("error: the reference snapshot was not found (../shared/reference or --shared)", file=sys.stderr)
        return EXIT_ERROR
    bad = reference.verify_snapshot(shared)
    if bad:
        print(f"error: snapshot files fail SHA256SUMS: {', '.join(bad)}", file=sys.stderr)
        return EXIT_ERROR
    files = reference.filtered_files(shared)
    if args.check:
        stale = [n for n, text in files.items() if not (paths.REFERENCE / n).is_file()
                 or (paths.REFERENCE / n).read_text(encoding="utf-8") != text]
        if stale:
            print(f"data/reference differs from the snapshot for: {', '.join(stale)} (run `nscr reference`)")
            return EXIT_INVALID
        print("data/reference matches the snapshot")
        return EXIT_OK
    from .serialize import write_atomic
    for name, text in files.items():
        write_atomic(paths.REFERENCE / name, text.encode("utf-8"))
    print(f"wrote {len(files)} files to {paths.rel(paths.REFERENCE)}")
    return EXIT_OK


def cmd_imports(args) -> int:
    from .imports import write_imports
    text = write_imports()
    print(f"wrote {paths.rel(paths.IMPORTS)} ({text.count(chr(10))} lines)")
    return EXIT_OK


def cmd_shapes(args) -> int:
    from . import shapegen
    if args.check:
        current = shapegen.GENERATED.read_text(encoding="utf-8") if shapegen.GENERATED.is_file() else ""
        if current != shapegen.generate():
            print(f"{paths.rel(shapegen.GENERATED)} is out of date with the ontology: run `nscr shapes`", file=sys.stderr)
            return EXIT_INVALID
        print(f"{paths.rel(shapegen.GENERATED)} matches the ontology")
        return EXIT_OK
    text = shapegen.write()
    print(f"wrote {paths.rel(shapegen.GENERATED)} ({text.count(chr(10))} lines, "
          f"{text.count(' a sh:NodeShape')} node shapes)")
    return EXIT_OK


def cmd_locate(args) -> int:
    from . import source
    text = source.load_text(Path(args.review) if args.review else None)
    spans = source.locate(text, args.text)
    if not spans:
        print(f"not found: {args.text!r}", file=sys.stderr)
        return EXIT_INVALID
    for start, end in spans:
        sec = source.section_at(start)
        print(f"{start}\t{end}\t{sec.number}\t{text[start:end][:80]!r}")
    return EXIT_OK


def cmd_vocab(args) -> int:
    from . import vocab
    from .prefixes import contract
    for column, table in vocab.all_columns():
        for kw, iri in sorted(vocab.keywords(column, table).items()):
            print(f"{column}{'(' + table + ')' if table else ''}\t{kw}\t{contract(str(iri))}")
    return EXIT_OK


def _located(graph_file: Path, failures) -> int:
    """Print each failure (node, property, message) as the curated file, row and field it comes from;
    the number of failures that could be placed."""
    from .origin import Locator
    if not failures:
        return 0
    locator = Locator.for_file(graph_file)
    lines = set()
    for node, prop, message, *values in failures:
        err = locator.error(node, prop, message, tuple(values[0]) if values else ())
        if err is not None:
            lines.add(f"error: {err}")
    for line in sorted(lines):
        print(line, file=sys.stderr)
    return len(lines)


def _graph_is_empty(path: Path) -> bool:
    """Whether a graph file holds no triple (read up to the first one only)."""
    import pyoxigraph as ox
    if not path.is_file():
        return False  # validate_file names the missing file
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").replace("owl", "rdf"))
    return next(iter(ox.parse(path=str(path), format=fmt)), None) is None


def cmd_validate(args) -> int:
    from .validate import validate_file
    graph_file = Path(args.file) if args.file else paths.DIST / "nscr.ttl"
    if _graph_is_empty(graph_file):
        print(f"error: {paths.rel(graph_file)} holds no triples; an empty graph does not conform", file=sys.stderr)
        return EXIT_INVALID
    report = validate_file(graph_file, Path(args.shapes) if args.shapes else None)
    if report.targets == 0:
        print(f"error: {paths.rel(graph_file)} holds no node the shapes apply to (an empty or foreign graph "
              "does not conform)", file=sys.stderr)
        return EXIT_INVALID
    print(report.text())
    if not report.conforms:
        _located(graph_file, [(r.focus, r.path or None, r.message) for r in report.results if r.severity == "Violation"])
    return EXIT_OK if report.conforms else EXIT_INVALID


def cmd_reason(args) -> int:
    from .reason import reason
    source = Path(args.file) if args.file else paths.DIST / "nscr.owl"
    out = Path(args.out) if args.out else source.with_name(source.stem + "-inferred.ttl")
    if out.suffix == source.suffix and out.resolve() == source.resolve():
        raise ValueError(f"--out {out} would overwrite the ontology being reasoned over")
    outcome = reason(source, reasoner=args.reasoner, out=out, scope="all" if args.full else args.dl_scope)
    print(outcome.text())
    if outcome.clashes:
        _located(source, [(ind, "rdf:type", f"is both {a} and {b}, which are disjoint")
                          for ind, a, b in outcome.clashes])
    return EXIT_OK if outcome.consistent else EXIT_INVALID


def _params(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--param takes NAME=VALUE, e.g. --param drug=nscr:drug/afatinib (got {pair!r})")
        if name.strip() in out:
            raise ValueError(f"--param {name.strip()} is given twice")
        out[name.strip()] = value
    return out


def _show_default(p) -> str:
    from .prefixes import contract
    if p.term is None:
        return "no default"
    return f"default {contract(p.default)}" if p.kind == "iri" else f"default {p.term}"


def _list_queries() -> None:
    from . import queries
    for q in queries.catalogue():
        print(f"{q.name}\t{q.question}")
        for p in q.params:
            print(f"    {p.name} ({p.kind}, {_show_default(p)})" + (f": {p.description}" if p.description else ""))


def _run_query(query, args, params: dict[str, str]) -> int:
    """Run one query embedded or remotely and print it; shared by `query` and `export`."""
    from . import queries
    try:
        queries.query_form(query.text)
    except ValueError as e:
        print(f"error: {paths.rel(query.path)}: {e}", file=sys.stderr)
        return EXIT_ERROR
    if getattr(args, "endpoint", None):
        from .remote import RemoteError, run_remote
        try:
            result = run_remote(query, args.endpoint, params, args.default_graph, args.timeout)
        except RemoteError as e:
            print(f"error: {e}", file=sys.stderr)
            return EXIT_ERROR
    else:
        result = queries.answer(query, params, warn=lambda message: print(f"warning: {message}", file=sys.stderr))
    sys.stdout.write(queries.render(result, args.format))
    return EXIT_OK


def cmd_query(args) -> int:
    from . import queries
    if args.list:
        _list_queries()
        return EXIT_OK
    if not args.name:
        print("error: name a stored query or a .rq file (nscr query --list shows the stored ones)", file=sys.stderr)
        return EXIT_ERROR
    params = _params(args.param)
    return _run_query(queries.resolve(args.name), args, params)


def cmd_export(args) -> int:
    from . import queries
    return _run_query(queries.get(args.what, kind="export"), args, {})


def cmd_lookup(args) -> int:
    from . import lookup, queries
    files = None
    if args.graph:
        files = [Path(f) for f in args.graph]
        for f in files:
            if not f.is_file():
                print(f"error: graph file {f} does not exist", file=sys.stderr)
                return EXIT_ERROR
    try:
        st = queries.store(files)
    except SyntaxError as e:
        print(f"error: a graph file cannot be parsed: {str(e).splitlines()[0]}", file=sys.stderr)
        return EXIT_ERROR
    found = lookup.labels(st, args.text, args.contains)
    for m in found:
        print(m.line())
    seen = bool(found)
    if args.mentions:
        read = lookup.mentions(st, args.text, args.contains)
        print(("\n" if found else "") + "interpreted mentions")
        for m in read:
            print(m.line())
        if not read:
            print("(none)")
        seen = seen or bool(read)
    if not seen:
        what = "label or written form" if args.mentions else "label"
        hint = "" if args.contains else "; --contains matches parts of labels"
        print(f"no {what} matches {args.text!r}{hint}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def cmd_qc(args) -> int:
    """Run the QC checks, write dist/reports/qc.tsv and the check catalogue, print a summary by level."""
    from . import qc, queries
    from .serialize import write_atomic
    results = qc.run_checks(queries.store())
    errors = [f for r in results if r.level == "ERROR" for f in qc.failures(r)]
    write_atomic(paths.DIST / "reports" / "qc.tsv", qc.report_tsv(results).encode("utf-8"))
    write_atomic(paths.DIST / "reports" / "qc-checks.tsv", qc.catalogue_tsv().encode("utf-8"))
    for r in results:
        status = "ok" if not r.rows else r.level
        print(f"{status:7s} {r.query.name}: {r.query.question} ({len(r.rows)} rows)")
        for row in r.rows[:10 if r.level == "ERROR" else 3]:
            print("         " + "\t".join(row))
    totals = {level: sum(len(r.rows) for r in results if r.level == level) for level in qc.LEVELS.values()}
    print(f"QC: {totals['ERROR']} errors, {totals['WARN']} warnings, {totals['INFO']} infos in {len(results)} checks; "
          f"report: {paths.rel(paths.DIST / 'reports' / 'qc.tsv')}")
    _located(paths.DIST / "nscr.nt", errors)
    return EXIT_INVALID if totals["ERROR"] else EXIT_OK


def cmd_answer(args) -> int:
    """Run every competency question and write the answers to dist/answers/."""
    from . import queries
    from .serialize import write_atomic
    st = queries.store()
    for q in queries.catalogue("cq"):
        result = queries.run(q, st, {})
        write_atomic(paths.DIST / "answers" / f"{q.name.split('/')[-1]}.tsv", queries.render(result, "tsv").encode())
        print(f"{q.name}\t{len(result.rows)} rows\t{q.question}")
    print(f"answers written to {paths.rel(paths.DIST / 'answers')}/")
    return EXIT_OK


def cmd_serve(args) -> int:
    """Serve the release: the read-only endpoint (endpoint.py) or, with --writable, Oxigraph's server.
    Supervised: a busy port or store exits 2 at once; a child that dies on its own exits 1 with its
    last log lines; Ctrl-C or SIGTERM stops every child and exits 0."""
    import signal

    from . import children, endpoint, releasestore
    from .servers import HGNC_PORT, OxigraphServer, oxigraph_binary, release_files
    if args.hgnc:
        files, port = [(paths.DIST / "hgnc-slice.nt", None)], args.port or HGNC_PORT
        store = Path(args.store or paths.CACHE / "hgnc-store")
    else:
        files, port, store = release_files(), args.port or 7878, Path(args.store or paths.STORE)

    def on_sigterm(*_):
        raise KeyboardInterrupt  # SIGTERM stops the server as cleanly as Ctrl-C does
    signal.signal(signal.SIGTERM, on_sigterm)

    def banner(url: str, mode: str) -> None:
        print(f"SPARQL endpoint: {url}/query  ({mode}; browser query UI at {url}/)")
        print(f"try: curl -s {url}/query -H 'Accept: text/csv' "
              "--data-urlencode 'query=SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }'")
        print("Ctrl-C stops the server", flush=True)

    started = False
    try:  # from here on, Ctrl-C at any moment (even mid-print) stops the server cleanly
        if args.writable:
            server = OxigraphServer(store, port)
            with releasestore.locked(store):
                loaded = releasestore.load_if_needed(store, files)
                print(f"{'loaded' if loaded else 'reusing'} store {paths.rel(store)}", flush=True)
                try:
                    server.start()
                    started = True
                    banner(server.url, "read-write")
                    code = server.process.wait()
                    print(f"error: oxigraph exited unexpectedly with code {code}; last lines of "
                          f"{paths.rel(server.log)}:\n{children.tail(server.log)}", file=sys.stderr)
                    return EXIT_INVALID
                finally:
                    server.stop()
        httpd = endpoint.bind(port)
        limits = endpoint.Limits(budget=args.timeout, workers=args.workers, max_bytes=int(args.max_result_mb * 2**20),
                                 memory_mb=args.worker_memory_mb)
        with releasestore.locked(store):
            loaded = releasestore.load_if_needed(store, files)
            print(f"{'loaded' if loaded else 'reusing'} store {paths.rel(store)}", flush=True)
            ui = endpoint.ui_files(paths.CACHE, oxigraph_binary())
            want = releasestore.fingerprint(files)
            url = f"http://127.0.0.1:{port}"

            def ready(release: dict) -> None:
                nonlocal started
                found = endpoint.ask_release(url)
                if found.get("fingerprint") != want:
                    raise endpoint.WorkerFailed(f"{url}/release answered {found or 'nothing'}, not this release")
                started = True
                banner(url, f"read-only; {limits.workers} query workers, {limits.budget:g} s and "
                            f"{args.max_result_mb:g} MB per query")
            endpoint.serve(httpd, store, limits, store.parent / f"{store.name}.workers.log", ui, ready)
    except (endpoint.PortInUse, releasestore.StoreBusy) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except (endpoint.WorkerFailed, RuntimeError, TimeoutError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        pass
    if started:
        print("server stopped")
    return EXIT_OK


def cmd_load(args) -> int:
    from .remote import RemoteError, load
    from .servers import INFERRED_GRAPH, MAIN_GRAPH
    files = [(paths.DIST / "nscr.nt", args.graph or MAIN_GRAPH)]
    if (paths.DIST / "nscr-inferred.ttl").is_file():
        files.append((paths.DIST / "nscr-inferred.ttl", args.inferred_graph or INFERRED_GRAPH))
    try:
        for graph, expected, found in load(args.endpoint, files):
            print(f"<{graph}>: {found} of {expected} triples present")
    except RemoteError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def cmd_loadtest(args) -> int:
    from .loadtest import endpoint_benchmark, load_test
    if args.endpoint:
        report = load_test(args.endpoint, args.clients, args.queries, args.default_graph, seconds=args.seconds)
        print(report.text())
        return EXIT_OK if not report.errors else EXIT_INVALID
    endpoint_benchmark(args.clients, args.seconds, args.budget, emit=lambda line: print(line, flush=True))
    return EXIT_OK


def cmd_screenshot(args) -> int:
    """Serve the release on a free port, run a competency question in the query UI, save the page."""
    import tempfile

    from . import browser, queries
    from .servers import Served
    query = queries.get(args.query)
    with tempfile.TemporaryDirectory() as tmp:
        with Served(Path(tmp) / "store") as server:
            browser.run_in_ui(f"{server.url}/", queries.bound_text(query, {}), args.expect, Path(args.out))
    print(f"wrote {args.out}")
    return EXIT_OK


def cmd_diff(args) -> int:
    from . import diff
    from .serialize import write_atomic
    changes = diff.compare(diff.load(Path(args.old)), diff.load(Path(args.new)))
    print(diff.report(changes, args.old, args.new), end="")
    if args.tsv:
        write_atomic(Path(args.tsv), diff.tsv(changes).encode("utf-8"))
        print(f"wrote {args.tsv} ({len(changes)} changes)")
    return EXIT_OK


def cmd_copycheck(args) -> int:
    """../shared/tools/copycheck.py over the project: any run of 10 words shared with the review fails."""
    import subprocess
    tool = paths.SHARED / "tools" / "copycheck.py"
    if not tool.is_file():
        print(f"error: {paths.rel(tool)} is absent (copycheck needs ../shared)", file=sys.stderr)
        return EXIT_ERROR
    run = subprocess.run([sys.executable, str(tool), str(paths.ROOT)], capture_output=True, text=True)
    print(run.stdout, end="")
    if run.returncode != 0:
        print("runs of 10+ words copied from the review: rewrite them in your own words", file=sys.stderr)
        return EXIT_INVALID
    print("copycheck: no sentence of the review is copied")
    return EXIT_OK


def _wrote(files: list[str]) -> int:
    for path in files:
        print(f"wrote {path}")
    return EXIT_OK


def cmd_docs(args) -> int:
    from .docs import write_docs
    return _wrote(write_docs())


def cmd_figures(args) -> int:
    from .pictures import write_figures
    return _wrote(write_figures(refresh_docs=args.refresh_docs))


def cmd_full(args) -> int:
    from .artefacts import write_full
    return _wrote(write_full())


def cmd_htmldocs(args) -> int:
    from .htmldocs import write_htmldocs
    return _wrote(write_htmldocs())


def cmd_bench(args) -> int:
    from .bench import main as bench, parse_scales
    print(bench(parse_scales(args.scales), full_reasoning=args.full))
    return EXIT_OK


def cmd_run(args) -> int:
    """Every step in a staging folder; dist/ is replaced in one atomic step only when all pass."""
    from . import release
    code, results = release.run(spawn=not args.in_process)
    print(release.figures(results))
    return code


def cmd_w3id(args) -> int:
    """docs/w3id/.htaccess, the w3id.org redirects, for --target or release.toml's public_base."""
    from . import w3id
    written = w3id.write(args.target)
    if written is None:
        message = ("release.toml sets no public_base (the project has no public host yet), so "
                   f"{paths.rel(w3id.OUT)} is not written; set it, or pass --target URL, to write it")
        if args.if_configured:
            print(f"w3id: {message}")
            return EXIT_OK
        print(f"error: {message}", file=sys.stderr)
        return EXIT_ERROR
    print(f"wrote {written}: https://w3id.org/nscr/... redirects to {args.target or w3id.configured()}")
    return EXIT_OK


def cmd_concordance(args) -> int:
    """Counts of the CIViC concordance report that the build wrote."""
    from .concordance import REPORT, summary
    report = paths.DIST / REPORT
    if not report.is_file():
        print(f"error: {paths.rel(report)} does not exist: run `nscr build` (or `make run`) first", file=sys.stderr)
        return EXIT_ERROR
    print(summary(report))
    print(f"rows: {paths.rel(report)}")
    return EXIT_OK


def cmd_summary(args) -> int:
    """What `make run` produced, and where."""
    import csv
    stats = {}
    with open(paths.DIST / "stats.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            stats[(row["kind"], row["term"])] = int(row["count"])
    with open(paths.DIST / "gaps.tsv", encoding="utf-8") as f:
        gap_kinds = Counter(row["kind"] for row in csv.DictReader(f, delimiter="\t"))
    fragments = gap_kinds.pop("table1-fragment", 0)
    count = lambda term: stats.get(("class", term), 0)  # noqa: E731
    print("NSCR knowledge graph")
    print(f"  triples {stats[('total', 'triples')]}; statements {count('nscr:ResistanceStatement')}; "
          f"strategies {count('nscr:Strategy')}; drugs {count('nscr:Drug')}; genes {count('nscr:Gene')}; "
          f"alterations {count('nscr:Alteration')}; compound profiles {count('nscr:CompoundProfile')}; "
          f"mechanisms {count('nscr:ResistanceMechanism')}; trials {count('nscr:ClinicalTrial')}; "
          f"figures {count('nscr:QuantitativeFigure')}; regimens {count('nscr:Regimen')}; "
          f"gene families {count('nscr:GeneFamily')}; interpreted mentions {count('nscr:InterpretedMention')}; "
          f"rankings {count('nscr:RankingStatement')}")
    print(f"  entities with identifier gaps: {sum(gap_kinds.values())}; Table 1 fragments not reconstructed: "
          f"{fragments} (dist/gaps.tsv)")
    print("Outputs:")
    for name, what in [("nscr-full.owl", "full release (also .ttl, .jsonld, .nt): graph, imports and inferences"),
                       ("nscr-base.owl", "base module (also .ttl, .jsonld, .nt): own axioms and individuals, imports declared"),
                       ("nscr-ontology.owl", "the TBox alone (also .ttl, .jsonld, .nt), for reuse by other ontologies"),
                       ("nscr.ttl", "release graph without inferences (also .owl, .jsonld, .nt): what the endpoint serves"),
                       ("nscr-inferred.ttl", "memberships and subclass axioms inferred by the reasoners"),
                       ("void.ttl", "VoID/DCAT description: counts, licence, sources, endpoint, distributions"),
                       ("context.jsonld", "the JSON-LD context of every .jsonld file (the project's prefixes)"),
                       ("answers/", "answers to the competency questions, one TSV each"),
                       ("reports/qc.tsv", "QC findings by level (ERROR, WARN, INFO), and the checks in qc-checks.tsv"),
                       ("reports/civic-concordance.tsv", "statements beside CIViC's evidence: agreements, contradictions"),
                       ("tables/", "one flat TSV per entity type, with IRIs and identifiers"),
                       ("mappings/nscr.sssom.tsv", "SSSOM mappings to external identifiers, with how each was made"),
                       ("kgx/nscr_nodes.tsv", "KGX nodes and edges (also kgx/nscr_edges.tsv), Biolink categories and predicates"),
                       ("stats.tsv", "counts per class and predicate"), ("gaps.tsv", "entities lacking identifiers, Table 1 fragments not placed"),
                       ("queries.ttl", "the stored queries as SHACL SPARQL executables (SIB style)"),
                       ("docs/", "generated reference pages: queries, classes and properties, keywords"),
                       ("docs/html/index.html", "HTML documentation of the ontology (pyLODE), with the figures"),
                       ("figures/", "resistance-network pictures (SVG): one per driver gene, overview.svg")]:
        print(f"  {paths.rel(paths.DIST / name):36s} {what}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nscr", description="NSCLC resistance knowledge graph: build, check, reason, query.")
    p.add_argument("--version", action="version", version=f"nscr {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        return sp

    sp = add("run", cmd_run, "the whole pipeline (build, validate, reason, qc, answer, full, figures, docs, htmldocs) in a staging folder; "
                              "dist/ is replaced atomically only when every step passes")
    sp.add_argument("--in-process", action="store_true", help="run the steps in this process (quicker, one memory figure)")
    add("build", cmd_build, "build dist/ (Turtle, RDF/XML, JSON-LD, N-Triples, gaps, stats) from the curated tables")
    sp = add("validate", cmd_validate, "check a graph against the SHACL shapes (0 conforms, 1 violations, 2 error)")
    sp.add_argument("file", nargs="?", help="graph to check (default dist/nscr.ttl)")
    sp.add_argument("--shapes", help="shapes file (default: shapes/nscr-shapes.ttl plus the generated shapes/generated/)")
    sp = add("shapes", cmd_shapes, "regenerate shapes/generated/ from the ontology, shapes/required.tsv and "
                                   "shapes/iri-valued.tsv (or --check it)")
    sp.add_argument("--check", action="store_true", help="only compare, exit 1 when the committed file is out of date")
    sp = add("reason", cmd_reason, "DL consistency and classification (owlready2 + HermiT or Pellet)")
    sp.add_argument("file", nargs="?", help="ontology to reason over (default dist/nscr.owl)")
    sp.add_argument("--reasoner", choices=["hermit", "pellet"], default="hermit")
    sp.add_argument("--out", help="where to write the inferred class memberships (default: next to FILE, "
                                  "FILE-inferred.ttl; dist/nscr-inferred.ttl for dist/nscr.owl)")
    sp.add_argument("--dl-scope", choices=("tbox", "module", "all"), default="tbox",
                    help="what the DL reasoner sees: the ontology (default; memberships from the OWL RL closure), "
                         "also the classification module's individuals (drugs, genes, regimens: compares both "
                         "engines on them), or every individual")
    sp.add_argument("--full", action="store_true", help="the same as --dl-scope all")
    sp = add("query", cmd_query, "run a stored SPARQL query, or any .rq file, on the embedded store or an endpoint")
    sp.formatter_class = argparse.RawDescriptionHelpFormatter
    sp.epilog = QUERY_HELP
    sp.add_argument("name", nargs="?", metavar="NAME|FILE.rq",
                    help="a stored query: kind/stem, stem, or a unique prefix of the stem (cq/cq01, cq01, one-label); "
                         "or the path of a .rq file")
    sp.add_argument("--list", action="store_true", help="list the stored queries: name, question, parameters with kind and default")
    sp.add_argument("--param", action="append", metavar="K=V",
                    help="replace a parameter's default: an IRI (<...>, http(s)://... or a CURIE) or a literal's text")
    sp.add_argument("--format", choices=["table", "tsv", "csv", "json"], default="table")
    sp.add_argument("--endpoint", metavar="URL", help="run on a remote SPARQL endpoint instead of the embedded store")
    sp.add_argument("--default-graph", action="append", metavar="IRI",
                    help="default graph(s) for the remote query (Virtuoso: the graphs `nscr load` wrote)")
    sp.add_argument("--timeout", type=float, default=30, help="seconds to wait for a remote answer (default 30)")
    exports = ", ".join(sorted(f.stem for f in (paths.SPARQL / "export").glob("*.rq")))
    sp = add("export", cmd_export, f"export a table: any query in sparql/export/ ({exports})")
    sp.add_argument("what", metavar="NAME", help=f"an export query, or a unique prefix of its name: {exports}")
    sp.add_argument("--format", choices=["table", "tsv", "csv", "json"], default="tsv")
    sp = add("lookup", cmd_lookup, "find entities by rdfs:label or skos:altLabel (case-insensitive): "
                                   "CURIE, label, property, types; exit 1 when nothing matches")
    sp.add_argument("text")
    sp.add_argument("--contains", action="store_true", help="also match labels containing TEXT (exact matches first)")
    sp.add_argument("--mentions", action="store_true",
                    help="also list interpreted mentions whose written form matches: written form, entity it is read "
                         "as, passage offsets, mention")
    sp.add_argument("--graph", action="append", metavar="FILE",
                    help="graph file(s) to search instead of dist/nscr.nt and dist/nscr-inferred.ttl")
    add("qc", cmd_qc, "run the SPARQL quality-control checks (zero rows = pass)")
    add("answer", cmd_answer, "answer every competency question into dist/answers/")
    sp = add("locate", cmd_locate, "print the character offsets of a passage of the review")
    sp.add_argument("text")
    sp.add_argument("--review", help="path to review.txt (default ../shared/source/review.txt)")
    sp = add("bench", cmd_bench, "time every pipeline step on the curation and on copies grown N-fold")
    sp.add_argument("--scales", default="1,17", help="growth factors (default 1,17: x17 is about 373k triples, the first scale past 350k)")
    sp.add_argument("--full", action="store_true", help="also time HermiT on the whole graph (slow when grown)")
    sp = add("serve", cmd_serve, "serve the graph (and inferred triples) on 127.0.0.1: a read-only SPARQL endpoint "
                                 "with query workers and limits, or Oxigraph's server with --writable")
    sp.add_argument("--port", type=int, help="port on 127.0.0.1 (default 7878; 7879 with --hgnc)")
    sp.add_argument("--store", help="persistent store folder, outside dist/ (default .cache/store or $NSCR_STORE)")
    sp.add_argument("--hgnc", action="store_true", help="serve the HGNC slice (dist/hgnc-slice.nt) for federated queries")
    sp.add_argument("--writable", action="store_true", help="accept SPARQL updates and Graph Store writes")
    sp.add_argument("--timeout", type=float, default=20, help="seconds a query may run before its worker is killed "
                    "and the client gets 504 (read-only mode; default 20, under the 30 s nscr query waits)")
    sp.add_argument("--workers", type=int, default=3, help="query worker processes (read-only mode; default 3)")
    sp.add_argument("--max-result-mb", type=float, default=16, help="largest answer in MB; larger ones get 507 "
                    "(read-only mode; default 16)")
    sp.add_argument("--worker-memory-mb", type=int, default=2048, help="address space of each query worker; a query "
                    "needing more gets 500 and the worker is replaced (read-only mode; 0: no cap; default 2048)")
    sp = add("load", cmd_load, "put the graph into a SPARQL Graph Store endpoint and count it back "
                               "(credentials: NSCR_ENDPOINT_USER / NSCR_ENDPOINT_PASSWORD)")
    sp.add_argument("--endpoint", required=True, metavar="URL", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store")
    sp.add_argument("--graph", metavar="IRI", help="named graph for the release (default https://w3id.org/nscr/graph/main)")
    sp.add_argument("--inferred-graph", metavar="IRI", help="named graph for the inferred triples")
    sp = add("loadtest", cmd_loadtest, "latency and load figures: embedded vs served (starts the servers itself), "
                                       "or a load test of one loopback --endpoint")
    sp.add_argument("--endpoint", metavar="URL", help="a running loopback endpoint to load-test instead")
    sp.add_argument("--default-graph", action="append", metavar="IRI")
    sp.add_argument("--clients", type=int, default=8, help="concurrent clients, each with no pause (default 8)")
    sp.add_argument("--seconds", type=float, default=60, help="how long the load runs (default 60)")
    sp.add_argument("--queries", type=int, help="with --endpoint: stop after this many queries instead")
    sp.add_argument("--budget", type=float, default=10, help="the served endpoint's per-query time limit (default 10)")
    sp = add("screenshot", cmd_screenshot, "run a competency question in the served query UI (headless Chromium) and save a screenshot")
    sp.add_argument("--query", default="cq13-drug-classes-of-a-drug")
    sp.add_argument("--expect", default="third-generation EGFR TKI", help="text that must appear in the answer")
    sp.add_argument("--out", default="docs/query-ui.png")
    add("full", cmd_full, "after `nscr reason`: write dist/nscr-full.{ttl,owl,jsonld,nt} (the release graph plus the "
                          "inferences, with its own ontology header) and dist/void.ttl (VoID/DCAT description)")
    add("docs", cmd_docs, "generate reference pages (queries, classes and properties, keywords) into dist/docs/")
    sp = add("figures", cmd_figures, "draw dist/figures/GENE.svg (each driver gene's resistance network) and "
                                     "dist/figures/overview.svg from the built graph (needs Graphviz `dot`)")
    sp.add_argument("--refresh-docs", action="store_true",
                    help="also refresh the README's committed copy, docs/figures/KRAS.svg")
    add("htmldocs", cmd_htmldocs, "HTML documentation of the ontology (pyLODE) into dist/docs/html/, "
                                  "linking the figures in dist/figures/")
    sp = add("diff", cmd_diff, "statements, strategies, labels and identifiers added, removed and changed "
                               "between two releases (release folders, or .nt/.ttl files)")
    sp.add_argument("old", metavar="OLD", help="the earlier release: a folder holding nscr.nt or nscr.ttl, or a graph file")
    sp.add_argument("new", metavar="NEW", help="the later release, the same way")
    sp.add_argument("--tsv", metavar="FILE", help="also write every change as a TSV (section, change, iri, label, detail)")
    add("copycheck", cmd_copycheck, "find runs of 10 words copied from the review (../shared/tools/copycheck.py)")
    sp = add("w3id", cmd_w3id, "write docs/w3id/.htaccess, the w3id.org rules sending https://w3id.org/nscr/... "
                               "to the public host's endpoint (routes and content negotiation of `nscr serve`)")
    sp.add_argument("--target", metavar="URL", help="base URL of the host running `nscr serve` (default: release.toml's "
                                                     "public_base)")
    sp.add_argument("--if-configured", action="store_true",
                    help="when no host is configured, say so and exit 0 instead of 2 (what `make run` does)")
    add("summary", cmd_summary, "print the counts of the built graph and where the outputs are")
    add("concordance", cmd_concordance, "agreements and contradictions with CIViC's NSCLC evidence, by gene "
                                        "(from dist/reports/civic-concordance.tsv)")
    add("vocab", cmd_vocab, "list the controlled keywords of the curation tables")
    sp = add("reference", cmd_reference, "regenerate data/reference/ from the snapshot (or --check it)")
    sp.add_argument("--shared", help="snapshot folder (default ../shared/reference)")
    sp.add_argument("--check", action="store_true", help="only compare, exit 1 on a difference")
    add("imports", cmd_imports, "regenerate ontology/imports/upstream.ttl from data/reference")
    return p


def _stdout_gone() -> bool:
    """Whether our stdout is a pipe whose reader has gone (`nscr vocab | head`)."""
    import select
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no real file descriptor (tests capture stdout)
        return True


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


def _message(e: BaseException) -> str:
    """One line saying what went wrong and what to do, without Python's class names."""
    if isinstance(e, OSError) and e.filename and e.strerror:
        shown = paths.rel(Path(e.filename))
        if isinstance(e, FileNotFoundError):
            return f"{shown} does not exist"
        if isinstance(e, PermissionError):
            return f"{shown}: permission denied (check the file's owner and mode)"
        if isinstance(e, IsADirectoryError):
            return f"{shown} is a folder; give a file"
        return f"{shown}: {e.strerror.lower()}"
    if isinstance(e, SyntaxError) and not isinstance(e, IndentationError):  # pyoxigraph's parse errors
        return f"cannot parse: {str(e).splitlines()[0]}"
    if isinstance(e, MemoryError):
        return "out of memory"
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    if isinstance(e, (ValueError, OSError, RuntimeError)) and text:
        return text
    return f"unexpected failure ({text or 'no detail'}); please report it with the command you ran"


def _dispatch(p: argparse.ArgumentParser, argv: list[str] | None) -> int:
    args = p.parse_args(argv)
    if not getattr(args, "func", None):
        p.print_help()
        return EXIT_OK
    try:
        return args.func(args)
    except CurationErrors as e:
        for err in e.errors:
            print(f"error: {err}", file=sys.stderr)
        print(f"{len(e.errors)} curation error(s); nothing was written", file=sys.stderr)
        return EXIT_ERROR
    except CurationError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        raise
    except Exception as e:  # the CLI answers with one line and exit 2, never a traceback
        print(f"error: {_message(e)}", file=sys.stderr)
        return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    p = parser()
    try:
        code = _dispatch(p, argv)
        sys.stdout.flush()  # inside the guard: a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        if not _stdout_gone():
            print("error: a connection closed while nscr was writing to it; try again", file=sys.stderr)
            return EXIT_ERROR
        _quiet_stdout()  # the reader stopped early (| head): that is not an error
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
