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
# ../shared/tools/copycheck.py cannot tell a citation from a copied sentence, and the review's title shares
# eleven words with its first sentence. A run is excused only when it lies inside the title recorded in
# ../shared/source/README.md and only in a file listed here, where the title must stand as published.
CITATION_FILES = ("CITATION.cff",)
FINDING = re.compile(r'^(?P<file>[^:]+): (?P<n>\d+) words shared with the review: "(?P<run>.*)"$')


def review_title(readme_text: str) -> str | None:
    """The title line of ../shared/source/README.md ('- Title: ...')."""
    m = re.search(r"^- Title: (.+)$", readme_text, re.M)
    return m.group(1).strip() if m else None


def unexcused(tool_output: str, title: str | None) -> list[str]:
    """The findings of copycheck.py's output that are not the review's title cited in a citation file."""
    title_text = " ".join(words(title or ""))
    out = []
    for line in tool_output.splitlines():
        m = FINDING.match(line)
        if m is None:
            continue
        run = m.group("run")
        cited = (m.group("file") in CITATION_FILES and title_text and len(run) < 160
                 and f" {run} " in f" {title_text} ")
        if not cited:
            out.append(line)
    return out
