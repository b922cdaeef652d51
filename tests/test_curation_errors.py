"""Bad curation input: one clear line naming file, row and field; exit code 2; dist/ left as it was."""
from __future__ import annotations

import shutil

import pytest

from nscr import cli, paths


@pytest.fixture
def curation(tmp_path, monkeypatch):
    """A scratch copy of data/curation and an old dist/ that a failed build must not touch."""
    copy = tmp_path / "curation"
    shutil.copytree(paths.CURATION, copy)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "nscr.ttl").write_text("previous release\n")
    monkeypatch.setattr(paths, "CURATION", copy)
    monkeypatch.setattr(paths, "DIST", dist)
    return copy


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, start: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(start):
            return number
    raise AssertionError(start)


def build_fails(capsys, *expected: str) -> str:
    code = cli.main(["build"])
    err = capsys.readouterr().err
    assert code == 2, err
    for text in expected:
        assert text in err, err
    assert (paths.DIST / "nscr.ttl").read_text() == "previous release\n"
    assert sorted(p.name for p in paths.DIST.iterdir()) == ["nscr.ttl"]
    return err


def test_unknown_keyword_names_file_row_field(curation, capsys):
    f = curation / "egfr" / "statements.tsv"
    row = line_of(f, "egfr-s02\t")
    edit(f, "egfr-s02\tEGFR-T790M\tresistance", "egfr-s02\tEGFR-T790M\tresistant")
    build_fails(capsys, f"curation/egfr/statements.tsv, row {row}, field 'predicate'", "'resistant' is not an allowed value")


def test_unknown_subject_key(curation, capsys):
    f = curation / "egfr" / "statements.tsv"
    row = line_of(f, "egfr-s02\t")
    edit(f, "egfr-s02\tEGFR-T790M", "egfr-s02\tEGFR-T790X")
    build_fails(capsys, f"row {row}, field 'subject'", "'EGFR-T790X' is not a key")


def test_bad_therapy_expression(curation, capsys):
    f = curation / "kras" / "strategies.tsv"
    edit(f, "crizotinib + sotorasib", "crizotinib + sotorasib then gefitinib")
    build_fails(capsys, "curation/kras/strategies.tsv", "field 'therapy'", "without parentheses")


def test_unknown_drug_in_therapy(curation, capsys):
    f = curation / "kras" / "strategies.tsv"
    edit(f, "crizotinib + sotorasib", "crizotinib + sotorasibb")
    build_fails(capsys, "field 'therapy'", "drug 'sotorasibb' is not in drugs.tsv")


def test_unknown_column_and_missing_required_column(curation, capsys):
    f = curation / "kras" / "figures.tsv"
    edit(f, "figure\tabout", "figure\tabuot")
    build_fails(capsys, "curation/kras/figures.tsv, row 1, field 'abuot'", "field 'about': required column is missing")


def test_duplicate_key_names_both_places(curation, capsys):
    src = (curation / "kras" / "trials.tsv")
    header = src.read_text().split("\n")[0]
    (curation / "kras" / "trials.tsv").write_text(
        header + "\n" + "\t".join({"trial": "NEJ009", "label": "dup", "phase": "phase3", "outcome": "positive",
                                   "section": "2.1.4", "start": "22500", "end": "22600",
                                   "summary": "A duplicated trial key for the test."}.get(c, "") for c in header.split("\t")) + "\n")
    build_fails(capsys, "key 'NEJ009' is already defined in", "curation/egfr/trials.tsv")


def test_passage_outside_its_section(curation, capsys):
    f = curation / "kras" / "figures.tsv"
    edit(f, "2.1.3\t82|83\t20426\t20547", "2.1.4\t82|83\t20426\t20547")
    build_fails(capsys, "curation/kras/figures.tsv, row 2, field 'start'", "outside section 2.1.4")


def test_bad_reference_numbers_and_integers(curation, capsys):
    f = curation / "kras" / "figures.tsv"
    edit(f, "\t82|83\t", "\t82, 83\t")
    build_fails(capsys, "field 'refs'", "must be reference numbers joined by '|'")


def test_gene_not_in_hgnc(curation, capsys):
    f = curation / "genes.tsv"
    edit(f, "\nYAP1\t", "\nYAP99\t")
    build_fails(capsys, "field 'symbol'", "'YAP99' is not an approved HGNC symbol")


def test_all_errors_are_reported_together(curation, capsys):
    f = curation / "egfr" / "statements.tsv"
    edit(f, "egfr-s02\tEGFR-T790M\tresistance", "egfr-s02\tEGFR-T790M\tresistant")
    edit(f, "egfr-s04\tEGFR-L718Q\tresistance", "egfr-s04\tEGFR-L718Q\tresistent")
    err = build_fails(capsys, "2 curation error(s)")
    assert err.count("is not an allowed value") == 2
