"""release.toml: the one place a release's version and dates are set; the build stamps the ontology header
from it (never from the clock), and a bad file is refused naming the file, line and field."""
from __future__ import annotations

import tomllib

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from nscr import paths, releaseinfo
from nscr.errors import CurationError

ONTOLOGY = URIRef("https://w3id.org/nscr/ontology")


def test_the_ontology_header_comes_from_the_release_input(graph):
    release = releaseinfo.load()
    assert set(graph.objects(ONTOLOGY, OWL.versionIRI)) == {URIRef(f"https://w3id.org/nscr/releases/{release.version}/nscr.owl")}
    assert set(graph.objects(ONTOLOGY, OWL.versionInfo)) == {Literal(release.version)}
    assert set(graph.objects(ONTOLOGY, DCTERMS.issued)) == {Literal(release.date, datatype=XSD.date)}
    assert set(graph.objects(ONTOLOGY, DCTERMS.created)) == {Literal(release.created, datatype=XSD.date)}
    assert set(graph.objects(ONTOLOGY, DCTERMS.creator)) == {Literal(release.creator)}
    assert set(graph.objects(ONTOLOGY, DCTERMS.contributor)) == {Literal(release.creator)}


def test_the_package_version_is_the_release_version():
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == releaseinfo.load().version
    assert f"## [{releaseinfo.load().version}] - {releaseinfo.load().date}" in \
        (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_a_new_release_date_changes_the_header_and_nothing_reads_the_clock(tmp_path):
    from rdflib import Graph
    path = tmp_path / "release.toml"
    path.write_text('version = "9.8.7"\ndate = "2030-01-02"\ncreated = "2026-11-29"\ncreator = "NSCR project"\n')
    g = releaseinfo.stamp(Graph().add((ONTOLOGY, OWL.versionInfo, Literal("old"))), releaseinfo.load(path))
    assert set(g.objects(ONTOLOGY, OWL.versionInfo)) == {Literal("9.8.7")}
    assert set(g.objects(ONTOLOGY, DCTERMS.issued)) == {Literal("2030-01-02", datatype=XSD.date)}


@pytest.mark.parametrize("text, line, field", [
    ('version = "0.1"\ndate = "2026-12-01"\ncreated = "2026-11-29"\ncreator = "x"\n', 1, "version"),
    ('version = "0.1.0"\ndate = "2026-13-01"\ncreated = "2026-11-29"\ncreator = "x"\n', 2, "date"),
    ('version = "0.1.0"\ndate = "20261201"\ncreated = "2026-11-29"\ncreator = "x"\n', 2, "date"),
    ('version = "0.1.0"\ndate = "2026-12-01"\ncreator = "x"\n', None, "created"),
    ('version = "0.1.0"\ndate = "2026-12-01"\ncreated = "2027-01-01"\ncreator = "x"\n', 3, "created"),
])
def test_a_bad_release_input_names_file_line_and_field(tmp_path, text, line, field):
    path = tmp_path / "release.toml"
    path.write_text(text)
    with pytest.raises(CurationError) as e:
        releaseinfo.load(path)
    assert (e.value.row, e.value.field) == (line, field) and "release.toml" in e.value.file


def test_release_files_are_readable_by_others_whatever_the_umask(dist, tmp_path):
    import os
    import stat
    from nscr.serialize import write_atomic
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "x" / "file.tsv", b"a\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x" / "file.tsv").stat().st_mode) == 0o644
    files = [p for p in dist.rglob("*") if p.is_file()]
    assert files and {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {oct(0o644)}


def test_citation_file_cites_the_project_and_the_review_as_published():
    """CITATION.cff is CFF 1.2 (the keys its schema requires, a DOI and SPDX licence of its patterns) and
    cites the review with the title (cut after nine words), authors, journal, year and DOI of
    ../shared/source/README.md."""
    import re
    import yaml
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and {"message", "title", "authors"} <= cff.keys()
    assert cff["version"] == releaseinfo.load().version and str(cff["date-released"]) == releaseinfo.load().date
    assert cff["license"] == "CC-BY-4.0" and all("name" in a or "family-names" in a for a in cff["authors"])
    review, = cff["references"]
    assert {"type", "title", "authors"} <= review.keys() and review["type"] == "article"
    assert re.fullmatch(r"10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-.()\[\]\\]+", review["doi"])
    readme = (paths.SHARED / "source" / "README.md")
    if readme.is_file():  # a user's clone has no ../shared
        text = readme.read_text(encoding="utf-8")
        field = lambda name: re.search(rf"^- {name}: (.+)$", text, re.M).group(1).strip()  # noqa: E731
        from nscr.copies import cited_title
        assert review["title"] == cited_title(field("Title"))  # cut before ten words: copycheck
        assert [f"{a['family-names']} {a['given-names']}" for a in review["authors"]] == field("Authors").split(", ")
        assert field("DOI") == review["doi"] and field("Journal").startswith(f"{review['journal']}, {review['year']}")


def test_citation_file_is_valid_against_the_cff_1_2_schema():
    """The whole file against the Citation File Format 1.2.0 JSON schema that cffconvert ships (read from the
    installed distribution, never fetched); a broken copy is refused, so the check can fail."""
    import importlib.metadata
    import json

    import jsonschema
    import yaml
    schema_file = importlib.metadata.distribution("cffconvert").locate_file("cffconvert/schemas/1.2.0/schema.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/1.2.0/schema.json")
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(cff)] == []
    broken = {**cff, "license": "CC BY 4.0", "references": [{**cff["references"][0], "doi": "fimmu.2024"}]}
    assert len(list(validator.iter_errors(broken))) >= 2
