"""The page people open: headless Chromium runs a competency question in the server's query UI."""
from __future__ import annotations

from nscr import browser, queries
from nscr.servers import Served


def test_query_ui_answers_a_competency_question(reasoned, tmp_path):
    """The page as `nscr serve` serves it: Oxigraph's YASGUI page in front of the query workers."""
    query = queries.get("cq13-drug-classes-of-a-drug")
    shot = tmp_path / "ui.png"
    with Served(tmp_path / "store", dist=reasoned) as server:
        text = browser.run_in_ui(f"{server.url}/", queries.bound_text(query, {}), "third-generation EGFR TKI", shot)
    assert "EGFR tyrosine kinase inhibitor" in text and "2 results" in text
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_query_page_lists_stored_queries_and_runs_one_in_a_click(reasoned, tmp_path):
    """The page opens with the project's prefixes in the editor and every competency question and export
    in a list; clicking one opens a tab named after it and shows its answer."""
    query = queries.get("cq13-drug-classes-of-a-drug")
    with Served(tmp_path / "store", dist=reasoned) as server:
        starter, tab, text = browser.run_stored_in_ui(f"{server.url}/", query.title, "third-generation EGFR TKI")
    assert "PREFIX nscr: <https://w3id.org/nscr/>" in starter and "PREFIX skos:" in starter
    assert tab == query.title
    assert "EGFR tyrosine kinase inhibitor" in text and "2 results" in text


def test_query_page_names_every_stored_query():
    from nscr import querypage
    page = querypage.page().decode("utf-8")
    stored = queries.catalogue("cq") + queries.catalogue("export")
    assert len(stored) > 45
    for q in stored:
        assert f'data-query="{q.name}"' in page, q.name
    assert querypage.page() == querypage.page()
