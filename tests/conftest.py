"""Shared fixtures: one build of the real curation into a temporary dist/, reused by the tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from nscr import paths

SHARED_MISSING = "../shared (reference snapshot and review text) is not present, as in a user's clone"


def shared_present() -> bool:
    return paths.shared_reference() is not None and paths.review_text_path() is not None


needs_shared = pytest.mark.skipif(not shared_present(), reason=SHARED_MISSING)


def build_into(out: Path) -> Path:
    """Build the curation paths.CURATION names into the folder `out` (build only)."""
    from nscr.build import assemble, write_dist
    original = paths.DIST
    paths.DIST = out
    try:
        write_dist(assemble())
    finally:
        paths.DIST = original
    return out


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """dist/ built from the committed curation (build only; reasoning has its own fixture)."""
    return build_into(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def graph(dist) -> Graph:
    return Graph().parse(dist / "nscr.nt", format="nt")


@pytest.fixture(scope="session")
def reasoned(dist, tmp_path_factory) -> Path:
    """A copy of dist/ with dist/nscr-inferred.ttl written by HermiT, and what `nscr full` writes after it
    (nscr-full.*, void.ttl)."""
    from nscr.artefacts import write_full
    from nscr.reason import reason
    out = tmp_path_factory.mktemp("reasoned")
    shutil.copytree(dist, out, dirs_exist_ok=True)
    outcome = reason(out / "nscr.owl", out=out / "nscr-inferred.ttl")
    assert outcome.consistent, outcome.text()
    write_full(out)
    return out


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """(curation copy, dist) for the fault-injection suite: dist is a published release holding an old graph
    that a failed run must leave byte-identical."""
    from nscr import release
    copy = tmp_path / "curation"
    shutil.copytree(paths.CURATION, copy)
    dist = tmp_path / "dist"
    stage = release.releases_dir(dist) / ".stage-old"
    (stage / "answers").mkdir(parents=True)
    (stage / "nscr.ttl").write_text("previous release\n")
    (stage / "answers" / "cq01.tsv").write_text("previous answer\n")
    release.publish(stage, dist)
    monkeypatch.setattr(paths, "CURATION", copy)
    monkeypatch.setattr(paths, "DIST", dist)
    return copy, dist


@pytest.fixture
def in_dist(monkeypatch):
    """Point the package at a given dist folder for one test."""
    def use(folder: Path):
        monkeypatch.setattr(paths, "DIST", folder)
        return folder
    return use


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker keeps its own fault counts: hand them to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        import faultlog
        workeroutput["faultlog"] = faultlog.export()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller adds up what each pytest-xdist worker counted."""
    import faultlog
    faultlog.merge(getattr(node, "workeroutput", {}).get("faultlog", []))


def pytest_terminal_summary(terminalreporter):
    """The fault-injection suite's counts (tests/faultlog.py), when it ran."""
    import faultlog
    for line in faultlog.summary():
        terminalreporter.write_line(line)


@pytest.fixture
def curation_copy(tmp_path, monkeypatch):
    """A scratch copy of data/curation that the build reads instead (edit it freely)."""
    import shutil
    copy = tmp_path / "curation"
    shutil.copytree(paths.CURATION, copy)
    monkeypatch.setattr(paths, "CURATION", copy)
    return copy
