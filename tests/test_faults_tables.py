"""Fault injection, curation tables: one fault at a time in a scratch copy of the curation, run through
the staged pipeline (build, validate, QC, in-process). Each must stop the run with the file, row and
field named, and leave the published dist/ byte-identical. The issue's list is written out; the rest
are generated per column from the table schemas, one fault of the column's kind each."""
from __future__ import annotations

import pytest

from nscr import paths
from nscr.tables import TABLES

from conftest import shared_present
from faults import cell, run_fails, set_cell, where

SUITE = "tables"

# one file and row per table kind: (file under data/curation, key of the row to break)
ROWS = {"genes": ("genes.tsv", "EGFR"), "families": ("families.tsv", "SFK"), "drugs": ("drugs.tsv", "osimertinib"),
        "alterations": ("egfr/alterations.tsv", "EGFR-T790M"), "profiles": ("egfr/profiles.tsv", "EGFR-C797S+T790M"),
        "mechanisms": ("egfr/mechanisms.tsv", "egfr-mech-target-dependent"),
        "statements": ("egfr/statements.tsv", "egfr-s02"), "strategies": ("egfr/strategies.tsv", "egfr-x02"),
        "trials": ("egfr/trials.tsv", "NEJ005"), "figures": ("egfr/figures.tsv", "egfr-f01"),
        "mentions": ("egfr/mentions.tsv", "m-c97x-8761"), "rankings": ("egfr/rankings.tsv", "egfr-r01"),
        "table1": ("egfr/table1.tsv", "t1-egfr-04"), "subjects": ("ici/subjects.tsv", "ici-subj-mdsc"),
        "definitions": ("ici/definitions.tsv", "ici-def-primary"), "criteria": ("ici/criteria.tsv", "ici-crit-primary-min"),
        "interventions": ("interventions.tsv", "radiotherapy")}

# the faults of issue 8 and of the earlier curation tests: (table, column, new value, text the error holds,
# and optionally the row's key when not ROWS', and the field named when not the column edited)
NAMED = {
    "reference 999": ("statements", "refs", "999", "reference numbers are integers from 1 to"),
    "reference 0": ("statements", "refs", "0", "reference numbers are integers from 1 to"),
    "protein change in lower case": ("alterations", "protein_change", "t790m", "protein change"),
    "protein change X999Y": ("alterations", "protein_change", "X999Y", "not an amino acid"),
    "protein change B790M": ("alterations", "protein_change", "B790M", "not an amino acid"),
    "same drug twice in a combination": ("statements", "therapy", "osimertinib + osimertinib", "the same component twice"),
    "unknown unit": ("figures", "unit", "percent", "'percent' is not an allowed value"),
    "one-word summary": ("figures", "summary", "Prevalence.", "summary"),
    "exon 0": ("alterations", "exon", "0", "exon 0 does not exist"),
    "line 0": ("statements", "line", "0", "line 0 is not a line of therapy"),
    "replacement naming no key": ("figures", "replaced_by", "egfr-f99", "'egfr-f99' is not a key of figures"),
    "unknown predicate keyword": ("statements", "predicate", "resistant", "is not an allowed value"),
    "unknown subject key": ("statements", "subject", "EGFR-T790X", "'EGFR-T790X' is not a key"),
    "unknown drug in therapy": ("strategies", "therapy", "crizotinib + sotorasibb", "drug 'sotorasibb' is not in drugs.tsv"),
    "mixed therapy operators": ("strategies", "therapy", "crizotinib + sotorasib then gefitinib", "without parentheses"),
    "references joined by commas": ("figures", "refs", "21, 22", "must be reference numbers joined by '|'"),
    "gene not in HGNC": ("genes", "symbol", "EGFRX", "not an approved HGNC symbol"),
    "class_members without a class": ("statements", "therapy_scope", "class_members", "class_members needs a drug class",
                                      "egfr-s20"),
    "rank position missing": ("rankings", "rank", "", "needs the position", "egfr-r11"),
    "passage end before start": ("figures", "end", "5000", "must be greater than start"),
    "passage outside its section": ("figures", "section", "2.1.4", "outside section 2.1.4", "egfr-f01", "start"),
    "unknown section": ("figures", "section", "9.9", "is not a section of the review"),
    "high below low": ("figures", "high", "5", "is below low"),
    "unknown disease": ("statements", "disease", "MONDO:9999999", "is not a MONDO class"),
    "leading space in a label": ("drugs", "label", " osimertinib", "leading or trailing spaces"),
    "double space in a summary": ("figures", "summary", "EGFR driver alterations  occur in 10 to 15 percent.", "label-whitespace"),
    "escape character in a summary": ("figures", "summary", "EGFR driver \x1b alterations are common in NSCLC.",
                                      "escape character"),
    "NUL in a summary": ("figures", "summary", "EGFR driver \x00 alterations are common in NSCLC.", "NUL byte"),
    "U+FFFE in a summary": ("figures", "summary", "EGFR driver \ufffe alterations are common in NSCLC.", "U+FFFE"),
    "vertical tab in a label": ("drugs", "label", "osi\x0bmertinib", "vertical tab"),
    "form feed in a note": ("drugs", "note", "a\x0cb", "form feed"),
    "deprecated not a boolean": ("figures", "deprecated", "yes", "must be true or false"),
    "trial id malformed": ("trials", "nct", "NCT123", "is not a valid nct"),
    "generation out of range": ("drugs", "generation", "EGFR:5", "is not a valid generation"),
    "empty list item": ("mechanisms", "alterations", "EGFR-T790M||EGFR-C797S", "empty or padded item"),
    "unknown gene in alteration": ("alterations", "gene", "YAP1X", "is neither a gene"),
    "unknown mechanism class": ("mechanisms", "mechanism_class", "target_dependent|magic", "'magic' is not an allowed value"),
    "unknown trial in strategy": ("strategies", "trials", "NEJ999", "'NEJ999' is not a key"),
    "mention of no entity": ("mentions", "means", "EGFR-C797Z", "EGFR-C797Z"),
    "decimal with a comma": ("figures", "low", "10,5", "is not a valid decimal"),
    "reference range backwards": ("figures", "refs", "32-30", "a range such as"),
    "replaced_by without deprecated": ("figures", "replaced_by", "egfr-f02", "only a deprecated row"),
    "intervention key that is a drug key": ("interventions", "intervention", "osimertinib", "is already defined in"),
    "unknown intervention type": ("interventions", "intervention_type", "radiation", "'radiation' is not an allowed value"),
}
if shared_present():  # the review text is needed to find copied runs (the build prints a note without it)
    NAMED["summary copied from the review"] = (  # the sentence of egfr-f01's passage, taken from the review
        "figures", "summary", paths.review_text_path().read_text(encoding="utf-8")[5976:6083], "words with the review")


def _generated() -> dict[str, tuple[str, str, str, str]]:
    """One fault per column kind of every table (the first column of each kind)."""
    by_kind = {"key": "bad key!", "symbol": "bad symbol", "keyword": "no_such_keyword", "int": "one",
               "decimal": "1.2.3", "curie": "not a curie", "nct": "NCT1", "therapy": "no_such_drug",
               "refs": "12;13", "section": "0.0.0", "bool": "maybe", "text": ""}
    out, seen = {}, set()
    for name, table in TABLES.items():
        for column, kind in table.all_columns().items():
            base = kind.rstrip("?")
            if base.endswith("list"):
                value = "a||b"
            elif base == "text" and kind.endswith("?"):
                value = " padded"
            else:
                value = by_kind.get(base, "")
            if column == "note" or (base == "key" and column != table.key and value == "bad key!"):
                value = "no-such-key" if base == "key" else " padded"
            if (name, base) not in seen:
                seen.add((name, base))
                out[f"{name}.{column} ({kind})"] = (name, column, value, "")
    return out


CASES = {**NAMED, **_generated()}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_table_fault_is_named_and_changes_nothing(scratch, capsys, case):
    curation, dist = scratch
    table, column, value, text, *other = CASES[case]
    file, key = ROWS[table]
    key = other[0] if other else key
    field = other[1] if len(other) > 1 else column
    path = curation / file
    if column == "replaced_by" and case != "replaced_by without deprecated":
        set_cell(path, key, "deprecated", "true")
    row = set_cell(path, key, column, value)
    run_fails(capsys, dist, SUITE, where(path, row, field), *([text] if text else []))


def test_the_suite_tries_at_least_eighty_kinds():
    assert len(CASES) >= 80, len(CASES)


def test_every_table_kind_has_a_row_to_break():
    assert set(ROWS) == set(TABLES)
    for file, key in ROWS.values():
        cell(paths.CURATION / file, key, TABLES[file.rsplit("/", 1)[-1][:-4]].key)


def test_a_header_only_table_is_an_error(scratch, capsys):
    curation, dist = scratch
    path = curation / "egfr" / "trials.tsv"
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    run_fails(capsys, dist, SUITE, where(path, 1, None), "has a header and no rows", "empty-tables.txt")


def test_a_table_declared_empty_may_be_header_only_but_not_hold_rows(scratch, capsys):
    curation, dist = scratch
    (curation / "egfr" / "empty-tables.txt").write_text("trials  # declared empty\n", encoding="utf-8")
    run_fails(capsys, dist, SUITE, where(curation / "egfr" / "trials.tsv", 2, None), "declares it empty")


def test_reference_ranges_are_expanded_as_the_guide_says():
    from nscr.errors import CurationError
    from nscr.tables import Row, _parse_cell
    errors: list[CurationError] = []
    row = Row("figures", "f.tsv", 2)
    assert _parse_cell("refs?", "30-32|40", row, "refs", errors) == [30, 31, 32, 40]
    assert _parse_cell("refs?", "30\u201332", row, "refs", errors) == [30, 31, 32]
    assert not errors
    guide = (paths.ROOT / "docs" / "CURATION.md").read_text(encoding="utf-8")
    assert "`30\u201332` gives `30|31|32`" in guide
