"""Runs of words a curated cell shares verbatim with the review (the rule of ../shared/tools/copycheck.py,
applied per cell so the build names file, row and field): ten or more words in a row, compared
case-insensitively on the same word pattern."""
from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
RUN = 10


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def review_grams(review: str, n: int = RUN) -> set[tuple[str, ...]]:
    ws = words(review)
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def shared_run(text: str, grams: set[tuple[str, ...]], n: int = RUN) -> str | None:
    """The first run of n or more words of `text` that the review holds, or None."""
    ws = words(text)
    for i in range(len(ws) - n + 1):
        if tuple(ws[i:i + n]) in grams:
            j = i + n
            while j < len(ws) and tuple(ws[j - n + 1:j + 1]) in grams:
                j += 1
            return " ".join(ws[i:j])
    return None


# -- the review's own title, cited ----------------------------------------
# The review's title shares eleven words with its first sentence, and ../shared/tools/copycheck.py cannot
# tell a citation from a copied sentence. Nothing is excused: CITATION.cff cites the title cut after
# CITED_WORDS words, marked with an ellipsis, beside the DOI that identifies the article.
CITED_WORDS = 9


def review_title(readme_text: str) -> str | None:
    """The title line of ../shared/source/README.md ('- Title: ...')."""
    m = re.search(r"^- Title: (.+)$", readme_text, re.M)
    return m.group(1).strip() if m else None


def cited_title(title: str) -> str:
    """The title as CITATION.cff may cite it: its first CITED_WORDS words and an ellipsis."""
    return " ".join(title.split()[:CITED_WORDS]) + " …"
