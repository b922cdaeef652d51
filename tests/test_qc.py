"""The QC report: levels per check (ERROR fails the run, WARN and INFO are reported), one TSV report, and
each new check shown to catch the fault it is written for on a copy of the real graph."""
from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest

from nscr import cli, qc, queries

NSCR = "https://w3id.org/nscr/"


@pytest.fixture(scope="module")
def store(reasoned):
    return queries.store([reasoned / "nscr.nt", reasoned / "nscr-inferred.ttl"])


def broken(store, update: str) -> ox.Store:
    copy = ox.Store()
    copy.extend(store)
    copy.update(f"PREFIX nscr: <{NSCR}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> {update}")
    return copy


def rows_of(store, check: str) -> list[list[str]]:
    return queries.run(queries.get(f"qc/{check}"), store, {}).rows


def test_every_check_has_a_level():
    levels = {qc.LEVELS[q.severity] for q in queries.catalogue("qc")}
    assert levels == {"ERROR", "WARN", "INFO"}


def test_the_release_has_no_error_and_the_report_says_so(reasoned, in_dist, capsys):
    in_dist(reasoned)
    assert cli.main(["qc"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("QC: 0 errors, ")
    with open(reasoned / "reports" / "qc.tsv", encoding="utf-8") as f:
        report = list(csv.DictReader(f, delimiter="\t"))
    assert report and {r["level"] for r in report} <= {"WARN", "INFO"}
    # 2.1.3 ranks KRAS G12V and G12D but no statement is about them: a warning for curators, not an error
    assert {"level": "WARN", "check": "unused-entities", "subject": "nscr:alteration/KRAS-G12V",
            "value": "alteration"} in report
    with open(reasoned / "reports" / "qc-checks.tsv", encoding="utf-8") as f:
        catalogue = {r["check"]: r["level"] for r in csv.DictReader(f, delimiter="\t")}
    assert catalogue["duplicate-statements"] == "ERROR" and catalogue["statements-without-references"] == "INFO"


def test_an_error_fails_the_run(reasoned, tmp_path, in_dist, capsys):
    import shutil
    shutil.copytree(reasoned, tmp_path / "d")
    nt = tmp_path / "d" / "nscr.nt"
    nt.write_text(nt.read_text(encoding="utf-8") + f'<{NSCR}gene/EGFR> <http://www.w3.org/2000/01/rdf-schema#label> "EGFR" .\n',
                  encoding="utf-8")
    in_dist(tmp_path / "d")
    assert cli.main(["qc"]) == 1
    assert "ERROR   qc/labels-english" in capsys.readouterr().out


def test_duplicate_statement_is_an_error(store):
    assert rows_of(store, "duplicate-statements") == []
    copy = broken(store, f"""INSERT {{ <{NSCR}statement/copy> ?p ?o }}
                             WHERE {{ <{NSCR}statement/egfr-s20> ?p ?o FILTER (?p != nscr:curationKey) }}""")
    assert rows_of(copy, "duplicate-statements") == [["nscr:statement/copy", "nscr:statement/egfr-s20"]]


def test_a_statement_that_differs_in_context_is_no_duplicate(store):
    copy = broken(store, f"""INSERT {{ <{NSCR}statement/copy> ?p ?o . <{NSCR}statement/copy> nscr:inMolecularContext
                                      <{NSCR}alteration/EGFR-mut> }}
                             WHERE {{ <{NSCR}statement/egfr-s20> ?p ?o }}""")
    assert rows_of(copy, "duplicate-statements") == []


def test_a_statement_that_differs_in_disease_is_no_duplicate(store):
    # the same finding in breast cancer and in lung cancer (2.2.4, 49138-49283, ref 224) is two claims
    copy = broken(store, f"""INSERT {{ <{NSCR}statement/copy> ?p ?o . <{NSCR}statement/copy> nscr:diseaseContext
                                      <http://purl.obolibrary.org/obo/MONDO_0007254> }}
                             WHERE {{ <{NSCR}statement/egfr-s20> ?p ?o FILTER (?p != nscr:diseaseContext) }}""")
    assert rows_of(copy, "duplicate-statements") == []


def test_a_statement_that_differs_in_mechanism_is_no_duplicate(store):
    # one cause acting through two mechanisms is two claims (4.2.1, 66392-66754: VEGF's several effects, ref 282)
    copy = broken(store, f"""INSERT {{ <{NSCR}statement/copy> ?p ?o . <{NSCR}statement/copy> nscr:viaMechanism
                                      <{NSCR}mechanism/egfr-mech-target-independent> }}
                             WHERE {{ <{NSCR}statement/egfr-s20> ?p ?o FILTER (?p != nscr:viaMechanism) }}""")
    assert rows_of(copy, "duplicate-statements") == []


def test_an_orphan_alteration_is_a_warning(store):
    copy = broken(store, f"""INSERT DATA {{ <{NSCR}alteration/orphan> a nscr:Alteration ; nscr:curationKey "orphan" }}""")
    assert ["nscr:alteration/orphan", "alteration"] in rows_of(copy, "unused-entities")
    assert ["nscr:alteration/EGFR-T790M", "alteration"] not in rows_of(copy, "unused-entities")


def test_infos_report_what_curators_should_know(store):
    # 2.1.2 names SRC inhibitors against HER2D16 (egfr-s74) but no drug of the review is put in that class
    assert ["nscr:statement/egfr-s74", "SRC family kinase inhibitor"] in rows_of(store, "class-claims-without-members")
    assert ["nscr:drug/tno155", "TNO155"] in rows_of(store, "entities-without-identifiers")
    no_refs = {r[0] for r in rows_of(store, "statements-without-references")}
    assert "nscr:statement/kras-s05" in no_refs and "nscr:statement/egfr-s02" not in no_refs


def test_a_strategy_without_an_agent_is_reported(store):
    # the release's strategies each name their therapy today; one stripped of it is listed for curators
    assert "nscr:strategy/egfr-x01" not in [r[0] for r in rows_of(store, "strategies-without-agent")]
    copy = broken(store, f"DELETE WHERE {{ <{NSCR}strategy/egfr-x01> nscr:usesTherapy ?t }}")
    assert ["nscr:strategy/egfr-x01"] == [r[0] for r in rows_of(copy, "strategies-without-agent") if r[0].endswith("egfr-x01")]
