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
