"""Counts of the fault-injection suite (tests/test_faults*.py), printed at the end of the run:
faults tried, faults named with file, row and field, faults after which dist/ was untouched."""
from __future__ import annotations

from collections import Counter

COUNTS: Counter = Counter()


def record(suite: str, named: bool, untouched: bool) -> None:
    COUNTS[(suite, "tried")] += 1
    COUNTS[(suite, "named")] += named
    COUNTS[(suite, "untouched")] += untouched


def summary() -> list[str]:
    suites = sorted({s for s, _ in COUNTS})
    return [f"fault injection, {s}: {COUNTS[(s, 'tried')]} tried, {COUNTS[(s, 'named')]} named with file+row+field, "
            f"{COUNTS[(s, 'untouched')]} left dist/ untouched" for s in suites]


def export() -> list[list]:
    """The counts as plain data, for a pytest-xdist worker to hand to the controller."""
    return [[suite, key, n] for (suite, key), n in sorted(COUNTS.items())]


def merge(rows: list[list]) -> None:
    for suite, key, n in rows:
        COUNTS[(suite, key)] += n
