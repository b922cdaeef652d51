"""Bad curation input: one clear line naming file, row and field; exit code 2; dist/ left as it was."""
from __future__ import annotations

import shutil

import pytest

from nscr import cli, paths

from conftest import needs_shared


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


SINGLE_EDITS = {
    "bad therapy expression": ("kras/strategies.tsv", "crizotinib + sotorasib", "crizotinib + sotorasib then gefitinib",
                               ["curation/kras/strategies.tsv", "field 'therapy'", "without parentheses"]),
    "unknown drug in therapy": ("kras/strategies.tsv", "crizotinib + sotorasib", "crizotinib + sotorasibb",
                                ["field 'therapy'", "drug 'sotorasibb' is not in drugs.tsv"]),
    "misspelt and missing column": ("kras/figures.tsv", "figure\tabout", "figure\tabuot",
                                    ["curation/kras/figures.tsv, row 1, field 'abuot'", "field 'about': required column is missing"]),
    "passage outside its section": ("kras/figures.tsv", "2.1.3\t82|83\t20426\t20547", "2.1.4\t82|83\t20426\t20547",
                                    ["curation/kras/figures.tsv, row 2, field 'start'", "outside section 2.1.4"]),
    "bad reference numbers": ("kras/figures.tsv", "\t82|83\t", "\t82, 83\t",
                              ["field 'refs'", "must be reference numbers joined by '|'"]),
    "gene not in HGNC": ("genes.tsv", "\nYAP1\t", "\nYAP99\t", ["field 'symbol'", "'YAP99' is not an approved HGNC symbol"]),
    "generation without family": ("drugs.tsv", "\tEGFR\t\t3\t", "\t\t\t3\t", ["field 'generation'", "needs a target family"]),
    "generation family without a property": ("drugs.tsv", "\tEGFR\t\t1\t", "\tEGFR\t\tMET:1\t",
                                             ["field 'generation'", "add nscr:generationAsMET to ontology/nscr.ttl"]),
    "two generations in one family": ("drugs.tsv", "\tEGFR\t\t3\t", "\tEGFR\t\t3|EGFR:2\t", ["field 'generation'", "EGFR is given two generations"]),
    "unit that does not fit the measure": ("kras/figures.tsv", "\tprevalence\t", "\tmedian_overall_survival\t",
                                           ["curation/kras/figures.tsv, row 2, field 'unit'", "takes one of d, wk, mo, a, not '%'"]),
}


@pytest.mark.parametrize("case", SINGLE_EDITS, ids=list(SINGLE_EDITS))
def test_single_bad_edit(curation, capsys, case):
    file, old, new, expected = SINGLE_EDITS[case]
    edit(curation / file, old, new)
    build_fails(capsys, *expected)


def test_duplicate_key_names_both_places(curation, capsys):
    src = (curation / "kras" / "trials.tsv")
    header = src.read_text().split("\n")[0]
    (curation / "kras" / "trials.tsv").write_text(
        header + "\n" + "\t".join({"trial": "NEJ009", "label": "dup", "phase": "phase3", "outcome": "positive",
                                   "section": "2.1.4", "start": "22500", "end": "22600",
                                   "summary": "A duplicated trial key for the test."}.get(c, "") for c in header.split("\t")) + "\n")
    build_fails(capsys, "key 'NEJ009' is already defined in", "curation/egfr/trials.tsv")


def test_all_errors_are_reported_together(curation, capsys):
    f = curation / "egfr" / "statements.tsv"
    edit(f, "egfr-s02\tEGFR-T790M\tresistance", "egfr-s02\tEGFR-T790M\tresistant")
    edit(f, "egfr-s04\tEGFR-L718Q\tresistance", "egfr-s04\tEGFR-L718Q\tresistent")
    err = build_fails(capsys, "2 curation error(s)")
    assert err.count("is not an allowed value") == 2


@needs_shared
def test_a_mention_whose_offsets_miss_the_written_form(curation, capsys):
    f = curation / "egfr" / "mentions.tsv"
    row = line_of(f, "m-axitinib-16646\t")
    edit(f, "16646\t16654", "16647\t16655")
    build_fails(capsys, f"curation/egfr/mentions.tsv, row {row}, field 'start'", "not 'axitinib'", "nscr locate")


def test_class_members_scope_needs_a_class(curation, capsys):
    f = curation / "egfr" / "statements.tsv"
    row = line_of(f, "egfr-s20\t")
    edit(f, "egfr-s20\tEGFR-G796R\tresistance\tosimertinib\tas_named", "egfr-s20\tEGFR-G796R\tresistance\tosimertinib\tclass_members")
    build_fails(capsys, f"row {row}, field 'therapy_scope'", "class_members needs a drug class")


def test_a_profile_with_one_component_and_nothing_absent(curation, capsys):
    f = curation / "egfr" / "profiles.tsv"
    row = line_of(f, "EGFR-C797S-without-T790M\t")
    edit(f, "\tEGFR-T790M\tEGFR C797S without T790M", "\t\tEGFR C797S without T790M")
    build_fails(capsys, f"curation/egfr/profiles.tsv, row {row}, field 'components'", "one alteration and at least one in `absent`")


def test_a_family_key_that_is_also_a_gene(curation, capsys):
    f = curation / "families.tsv"
    row = line_of(f, "SFK\t")
    edit(f, "SFK\tSrc family kinases", "SRC\tSrc family kinases")
    build_fails(capsys, f"curation/families.tsv, row {row}, field 'family'", "key 'SRC' is already defined in", "curation/genes.tsv, row")


def test_a_ranked_row_needs_its_position(curation, capsys):
    f = curation / "egfr" / "rankings.tsv"
    row = line_of(f, "egfr-r11\t")
    text = f.read_text(encoding="utf-8").split("\n")
    cells = text[row - 1].split("\t")
    header = text[0].split("\t")
    cells[header.index("rank")] = ""
    text[row - 1] = "\t".join(cells)
    f.write_text("\n".join(text), encoding="utf-8")
    build_fails(capsys, f"curation/egfr/rankings.tsv, row {row}, field 'rank'", "needs the position")


def test_a_replacement_that_names_no_key(curation, capsys):
    f = curation / "kras" / "figures.tsv"
    lines = f.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t") + ["deprecated", "replaced_by"]
    lines = ["\t".join(header)] + [line + ("\ttrue\tkras-f99" if line.startswith("kras-f01") else "\t\t") for line in lines[1:] if line]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_fails(capsys, "field 'replaced_by'", "'kras-f99' is not a key of figures")


def test_every_figure_measure_has_its_units():
    # a new measure keyword in the ontology must say which units it takes (figures.UNITS_OF)
    from nscr import vocab
    from nscr.individuals import figures
    assert set(vocab.keywords("measure")) == set(figures.UNITS_OF)
