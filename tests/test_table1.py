"""Table 1 fragments: located in the Table 1 part of the text, linked to the rows rebuilt from them,
and listed as gaps when no row rests on them."""
from __future__ import annotations


import pytest
from rdflib import Literal, URIRef

from nscr import build
from nscr.errors import CurationErrors

NSCR = "https://w3id.org/nscr/"
HEADER = "fragment\tcolumn\tstart\tend\tused_by\tnote\n"
# 89045-89090 is the Table 1 fragment 'First generation TKIs + third / generation TKIs' (strategy column),
# which egfr/strategies.tsv egfr-x02 reconstructs; 90545-90549 is its reference fragment '(29)'.
ROWS = ("t1-egfr-01\tstrategy\t89045\t89090\tegfr-x02\trow rebuilt from 2.1.2 12632-12898\n"
        "t1-egfr-02\trefs\t90545\t90549\t\treference fragment not placed, for the test\n")


def test_fragments_link_rows_and_report_gaps(curation_copy):
    (curation_copy / "egfr" / "table1.tsv").write_text(HEADER + ROWS, encoding="utf-8")
    result = build.assemble()
    g = result.graph
    fragment = URIRef(NSCR + "fragment/t1-egfr-01")
    assert (URIRef(NSCR + "strategy/egfr-x02"), URIRef(NSCR + "reconstructedFrom"), fragment) in g
    assert (fragment, URIRef(NSCR + "tableColumn"), Literal("strategy")) in g
    passage = g.value(fragment, URIRef(NSCR + "hasPassage"))
    assert g.value(passage, URIRef(NSCR + "inSection")) == URIRef(NSCR + "section/T1")
    assert ("table1-fragment", "t1-egfr-02", "refs", "not reconstructed") in result.gaps
    assert not any(gap[1] == "t1-egfr-01" for gap in result.gaps)


@pytest.mark.parametrize("row, expected", [
    ("t1-x\tstrategies\t89045\t89090\tegfr-x02\t\n", "field 'column'"),
    ("t1-x\tstrategy\t12632\t12898\tegfr-x02\t\n", "outside section T1"),
    ("t1-x\tstrategy\t89045\t89090\tegfr-x999\t\n", "'egfr-x999' is not a key"),
])
def test_bad_fragment_rows_are_named(curation_copy, row, expected):
    (curation_copy / "egfr" / "table1.tsv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(CurationErrors) as info:
        build.assemble()
    text = str(info.value)
    assert "curation/egfr/table1.tsv, row 2" in text and expected in text, text
