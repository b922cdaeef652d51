"""The page people open: headless Chromium runs a competency question in the server's query UI."""
from __future__ import annotations

from nscr import browser, queries
from nscr.servers import OxigraphServer, free_port, release_files


def test_query_ui_answers_a_competency_question(reasoned, tmp_path):
    server = OxigraphServer(tmp_path / "store", free_port())
    server.ensure_loaded(release_files(reasoned))
    query = queries.get("cq13-drug-classes-of-a-drug")
    shot = tmp_path / "ui.png"
    with server:
        text = browser.run_in_ui(f"{server.url}/", queries.bound_text(query, {}), "third-generation EGFR TKI", shot)
    assert "EGFR tyrosine kinase inhibitor" in text and "2 results" in text
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
