"""House rules: one prefix registry, the CLI front door, no copied sentences, generated imports."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import needs_shared

from nscr import cli, paths
from nscr.prefixes import expand, prefix_map


def test_every_declared_prefix_is_the_registered_one():
    registry = prefix_map()
    files = [paths.ONTOLOGY, paths.SHAPES, paths.ROOT / "shapes" / "queries-shapes.ttl", *sorted((paths.ROOT / "tests" / "shapes" / "cases").glob("*.ru"))]
    for f in files:
        text = f.read_text(encoding="utf-8")
        for prefix, ns in re.findall(r"@prefix\s+([\w.-]*):\s*<([^>]+)>", text) + re.findall(r"PREFIX\s+([\w.-]*):\s*<([^>]+)>", text):
            assert registry.get(prefix) == ns, f"{f.name}: {prefix}: <{ns}>"


def test_expand_rejects_unknown_prefixes():
    assert str(expand("SO:0001583")) == "http://purl.obolibrary.org/obo/SO_0001583"
    try:
        expand("example:1")
    except ValueError as e:
        assert "unknown prefix" in str(e)
    else:
        raise AssertionError("unknown prefix accepted")


def test_cli_prints_help(capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    for command in ("build", "validate", "reason", "query", "export", "qc", "locate", "reference", "imports"):
        assert command in out


def test_vocab_lists_the_ontology_keywords(capsys):
    assert cli.main(["vocab"]) == 0
    out = capsys.readouterr().out
    assert "timing\tacquired\tnscr:AcquiredResistance" in out
    assert "alteration_type\tmissense\tSO:0001583" in out
    assert "evidence_stage\tin_vitro\tECO:0000181" in out


def test_imports_are_generated_from_the_reference_copy():
    from nscr.imports import upstream_graph, used_curies
    from nscr.reference import load
    from nscr.serialize import turtle_text
    assert paths.IMPORTS.read_text(encoding="utf-8") == turtle_text(upstream_graph(load(), used_curies()))


@needs_shared
def test_no_sentences_copied_from_the_review():
    """The shared copycheck finds no run of 10 words of the review anywhere in the project."""
    tool = paths.SHARED / "tools" / "copycheck.py"
    run = subprocess.run([sys.executable, str(tool), str(paths.ROOT)], capture_output=True, text=True)
    assert run.returncode == 0 and not run.stdout.strip(), run.stdout[-2000:]


@needs_shared
def test_the_citation_cites_the_title_cut_before_ten_words():
    from nscr.copies import CITED_WORDS, cited_title, review_title
    title = review_title((paths.SHARED / "source" / "README.md").read_text(encoding="utf-8"))
    assert title and title.startswith("Mechanisms of resistance") and CITED_WORDS < 10
    assert f'title: "{cited_title(title)}"' in (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")


def test_docs_are_generated_from_the_sources(tmp_path, monkeypatch):
    from nscr.docs import write_docs
    monkeypatch.setattr(paths, "DIST", tmp_path)
    write_docs()
    terms = (tmp_path / "docs" / "terms.md").read_text()
    assert "| `nscr:ThirdGenerationEGFRTKI` | third-generation EGFR TKI | nscr:EGFRTKI |" in terms
    assert "`cq/cq09-kras-g12c-share`" in (tmp_path / "docs" / "queries.md").read_text()
    assert "| `timing` | `acquired` | `nscr:AcquiredResistance` |" in (tmp_path / "docs" / "vocabulary.md").read_text()


def test_code_has_no_pyflakes_findings():
    """Unused imports and names, undefined names: pyflakes over src/ and tests/ finds none."""
    import subprocess
    import sys
    found = subprocess.run([sys.executable, "-m", "pyflakes", str(paths.ROOT / "src"), str(paths.ROOT / "tests")],
                           capture_output=True, text=True)
    assert found.stdout == "" and found.returncode == 0, found.stdout
