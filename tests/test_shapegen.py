"""The structural shapes are generated from the ontology: the committed file is what `nscr shapes`
writes, every declared property has its domain/range shape, and the hand tables name real terms."""
from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from nscr import cli, shapegen
from nscr.build import ontology_graph
from nscr.errors import CurationErrors
from nscr.validate import SH

SHAPE = "https://w3id.org/nscr/shape/"


@pytest.fixture(scope="module")
def ontology():
    return ontology_graph()


def test_committed_shapes_are_regenerated_from_the_ontology(ontology):
    assert shapegen.GENERATED.read_text(encoding="utf-8") == shapegen.generate(ontology)
    assert cli.main(["shapes", "--check"]) == 0


def test_every_declared_property_has_a_generated_shape(ontology):
    shapes = Graph().parse(shapegen.GENERATED)
    targeted = set(shapes.objects(None, SH.targetSubjectsOf))
    declared = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert {p for p in declared if isinstance(p, URIRef)} <= targeted


def test_ranges_and_functional_properties_become_constraints(ontology):
    shapes = Graph().parse(shapegen.GENERATED)
    values = URIRef(SHAPE + "inhibits-values")
    assert shapes.value(values, SH.nodeKind) == SH.IRI
    assert shapes.value(values, SH["or"]) is not None  # range: Gene or GeneFamily
    timing = URIRef(SHAPE + "hasTiming-values")
    assert str(shapes.value(timing, SH.maxCount)) == "1"
    assert shapes.value(timing, SH["class"]) == URIRef("https://w3id.org/nscr/ResistanceTiming")
    closed = URIRef(SHAPE + "ResistanceStatement-closed")
    assert shapes.value(closed, SH.closed).toPython() is True


def test_closed_shapes_allow_what_the_ontology_declares(ontology):
    allowed = shapegen.allowed_properties(ontology, URIRef("https://w3id.org/nscr/Therapy"))
    nscr = "https://w3id.org/nscr/"
    assert URIRef(nscr + "inhibits") in allowed  # domain Drug, a subclass of Therapy
    assert URIRef(nscr + "hasPassage") in allowed  # no domain
    assert URIRef(nscr + "hasSubject") not in allowed  # domain ResistanceStatement


def test_a_required_row_with_an_unknown_prefix_names_its_line(tmp_path, monkeypatch):
    bad = tmp_path / "required.tsv"
    bad.write_text("class\tproperty\tmin\tnote\nnscr:Gene\tnosuch:label\t1\t\n", encoding="utf-8")
    with pytest.raises(CurationErrors) as info:
        shapegen.load_required(bad)
    assert "required.tsv, row 2, field 'property'" in str(info.value)
