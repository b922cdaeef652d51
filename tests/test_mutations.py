"""Mutation test of the shapes: single-triple faults seeded into the real graph, one kind per rule of
the model (see src/nscr/mutation.py); `nscr validate` must catch at least 95% of them. The catch rate,
every miss and every excluded non-fault are printed (run with -s, or read the captured output)."""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from nscr import mutation
from nscr.validate import load_shapes, validate_store

CASES = sorted((Path(__file__).parent / "shapes" / "cases").glob("*.ru"))
KINDS = {"required", "literal", "datatype", "identifier", "wrongclass", "functional", "closed", "sparql"}


@pytest.fixture(scope="module")
def outcome(graph):
    return mutation.run(graph, CASES)


def test_shapes_catch_at_least_95_percent_of_seeded_faults(outcome, capsys):
    with capsys.disabled():
        print("\n" + outcome.text())
    assert {f.kind for f in outcome.faults} == KINDS
    assert len(outcome.faults) >= 250
    assert outcome.rate >= 0.95, outcome.text()


def test_faults_reach_the_non_drug_interventions(graph, outcome):
    """interventions.tsv is covered like the other tables: its required properties are dropped from one of
    its individuals, and the shapes catch each drop."""
    from rdflib import RDF
    rows = set(graph.subjects(RDF.type, URIRef("https://w3id.org/nscr/NonDrugIntervention")))
    assert URIRef("https://w3id.org/nscr/intervention/radiotherapy") in rows
    faults = [f for f in outcome.faults if f.kind == "required" and f.subject in rows]
    assert {URIRef("https://w3id.org/nscr/hasPassage"), URIRef("https://w3id.org/nscr/curationKey")} <= {f.prop for f in faults}
    assert all(f in outcome.caught for f in faults), [f.description for f in faults if f not in outcome.caught]


def test_every_exclusion_gives_its_reason(outcome):
    reasons = Counter(why for _, why in outcome.excluded)
    assert set(reasons) <= {"the property has no values in this graph", "the ontology gives it no range",
                            "every individual carries it today, but the model makes it optional",
                            "no individual of the class in this graph", "no other value of the right kind in this graph"}


def test_batched_faults_are_credited_as_if_each_ran_alone(graph, outcome):
    """Batching is only a speed-up: a sample of faults validated one at a time gives the same verdicts."""
    faults, _ = mutation.seed(graph, CASES)
    sample = random.Random(7).sample([f for f in faults if f.update is None], 12)
    shapes = load_shapes()
    base = {mutation._nt(s, p, o) for s, p, o in graph}
    alone = {}
    for f in sample:
        store = ox.Store()
        store.bulk_load("\n".join(sorted((base - set(f.remove)) | set(f.add))).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        alone[f.description] = mutation.caught_by(validate_store(store, shapes).results, f)
    verdicts = {f.description: f in outcome.caught for f in outcome.faults}
    assert {d: verdicts[d] for d in alone} == alone


def test_generated_shapes_agree_with_pyshacl_on_a_batch_of_faults(graph):
    """pySHACL is the oracle for the generated shapes too: on the largest batch of seeded faults (one
    fault of most kinds, on unrelated individuals) rudof and pySHACL report the same results."""
    from rdflib import Graph

    from nscr.shapegen import GENERATED
    from nscr.validate import core_results, pyshacl_core_results
    faults, _ = mutation.seed(graph, [])
    batch = max(mutation.batches(graph, faults), key=len)
    assert len(batch) >= 20 and len({f.kind for f in batch}) >= 5
    lines = {mutation._nt(s, p, o) for s, p, o in graph}
    for f in batch:
        lines = (lines - set(f.remove)) | set(f.add)
    data = Graph().parse(data="\n".join(sorted(lines)), format="nt")
    shapes = Graph().parse(GENERATED)
    ours = {r.key() for r in core_results(data, shapes)}
    assert ours and ours == set(pyshacl_core_results(data, shapes))


def test_harmless_edits_are_not_reported(graph):
    """The control: edits the model allows (a synonym, a note) give no violation, so catching is not free."""
    gene, drug = URIRef("https://w3id.org/nscr/gene/EGFR"), URIRef("https://w3id.org/nscr/drug/osimertinib")
    skos_alt, note = URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), URIRef("https://w3id.org/nscr/curatorNote")
    lines = {mutation._nt(s, p, o) for s, p, o in graph}
    lines |= {mutation._nt(gene, skos_alt, Literal("a harmless synonym", lang="en")),
              mutation._nt(drug, note, Literal("a harmless note"))}
    store = ox.Store()
    store.bulk_load("\n".join(sorted(lines)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert validate_store(store, load_shapes()).results == []
