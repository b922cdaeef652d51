"""The project's filtered copy of the reference snapshot: it matches ../shared where present."""
from __future__ import annotations

import csv

from conftest import needs_shared

from nscr import paths, reference


@needs_shared
def test_filtered_copy_matches_the_snapshot():
    files = reference.filtered_files(paths.shared_reference())
    for name, text in files.items():
        assert (paths.REFERENCE / name).read_text(encoding="utf-8") == text, f"data/reference/{name} is stale: run `nscr reference`"


@needs_shared
def test_snapshot_checksums_hold():
    assert reference.verify_snapshot(paths.shared_reference()) == []


@needs_shared
def test_every_copied_row_is_a_row_of_the_snapshot():
    shared = paths.shared_reference()
    for name in reference.FILES:
        ours = (paths.REFERENCE / name).read_text(encoding="utf-8").split("\n")
        theirs = set((shared / name).read_text(encoding="utf-8").split("\n"))
        assert ours[0] in theirs
        assert set(ours) <= theirs, name


def test_copy_is_self_sufficient_for_the_build():
    """Every gene of the curation resolves from the copy alone (a fresh clone has no ../shared)."""
    ref = reference.load()
    with open(paths.CURATION / "genes.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            resolved = ref.gene(row["symbol"])
            assert resolved is not None and resolved.by_prefix("HGNC"), row["symbol"]


def test_drug_resolution_uses_exact_names_only():
    ref = reference.load()
    osimertinib = ref.drug(["osimertinib"]).ids
    assert osimertinib.get("CHEBI:90943") == "osimertinib"
    assert "DrugBank:DB09330" in osimertinib and "CHEMBL:CHEMBL3353410" in osimertinib
    assert ref.drug(["osimertinibX"]).ids == {}
