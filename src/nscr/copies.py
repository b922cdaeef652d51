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
