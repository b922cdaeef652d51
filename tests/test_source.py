"""Provenance: section table, offsets in the exact text edition, the locate helper."""
from __future__ import annotations

from conftest import needs_shared

from nscr import cli, source
from nscr.tables import load_curation


def test_sections_nest_and_cover_the_text():
    secs = source.sections()
    assert secs["2.1.1"].start == 5934 and secs["2.1.1"].end == secs["2.1.2"].start
    assert secs["2.1"].end == secs["2.2"].start
    # after the Conclusion: Table 1's scrambled fragments (T1), then the abbreviation list (A) to the end
    assert secs["5"].end == secs["T1"].start == 88435 and secs["T1"].end == secs["A"].start
    assert secs["A"].end == int(source.review_meta()["characters"])
    assert source.section_at(8000).number == "2.1.1"


@needs_shared
def test_text_edition_and_headings_match():
    text = source.load_text()
    assert len(text) == int(source.review_meta()["characters"])
    for sec in source.sections().values():
        if sec.number[0].isdigit():  # T1 and A are parts of the text without a numbered heading
            assert text[sec.start:].startswith(sec.number + " "), sec.number
    # the last line of the Conclusion ends where T1 starts; the abbreviation list opens with "MVA"
    assert text[:source.sections()["T1"].start].endswith("patient outcomes in the future.\n")
    assert text[source.sections()["A"].start:].startswith(" MVA\n")


@needs_shared
def test_every_curated_passage_is_real_text_in_its_section():
    text = source.load_text()
    for rows in load_curation().values():
        for row in rows:
            if row.get("start") is None or row.table == "mentions":
                continue  # a mention's span is just the misprinted word (tests/test_model.py checks it exactly)
            if row.table == "table1":  # a Table 1 fragment may be as short as "(29)", inside the T1 part
                t1 = source.sections()["T1"]
                assert t1.start <= row["start"] < row["end"] <= t1.end and text[row["start"]:row["end"]].strip(), (row.file, row.line)
                continue
            passage = text[row["start"]:row["end"]]
            assert passage.strip() == passage and len(passage) >= 10, (row.file, row.line)
            sec = source.sections()[row["section"]]
            assert sec.start <= row["start"] < row["end"] <= sec.end, (row.file, row.line)
            for ref in row["refs"] or []:
                assert str(ref) in passage or "–" in passage or "-" in passage, (row.file, row.line, ref)


@needs_shared
def test_locate_prints_offsets_and_section(capsys):
    assert cli.main(["locate", "novel KRAS Y96D mutation"]) == 0
    start, end, number, _ = capsys.readouterr().out.split("\t", 3)
    text = source.load_text()
    assert text[int(start):int(end)] == "novel KRAS Y96D mutation" and number == "2.1.3"
    assert cli.main(["locate", "words that are not in the review at all"]) == 1


def test_locate_matches_across_line_breaks():
    assert source.locate("a  b\nc", "a b c") == [(0, 6)]
