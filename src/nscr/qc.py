"""Quality control in the manner of ODK's `robot report`: every check of sparql/qc/ runs on the
graph, each at its level (ERROR: the graph is wrong and the run fails; WARN: probably a mistake;
INFO: a report for curators), and the violations go to one TSV report, one row each."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from . import queries

LEVELS = {"error": "ERROR", "warning": "WARN", "info": "INFO"}


@dataclass
class CheckResult:
    query: queries.StoredQuery
    rows: list[list[str]]

    @property
    def level(self) -> str:
        return LEVELS[self.query.severity]


def run_checks(store) -> list[CheckResult]:
    return [CheckResult(q, queries.run(q, store, {}).rows) for q in queries.catalogue("qc")]


def report_tsv(results: list[CheckResult]) -> str:
    """level, check, subject, value (the remaining columns joined), one row per violation, sorted."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    w.writerow(["level", "check", "subject", "value"])
    order = {level: i for i, level in enumerate(LEVELS.values())}
    rows = sorted(((r.level, r.query.name.split("/", 1)[1], row[0] if row else "", " | ".join(row[1:]))
                   for r in results for row in r.rows), key=lambda t: (order[t[0]], t[1:]))
    w.writerows(rows)
    return buf.getvalue()


def catalogue_tsv() -> str:
    """Every check with its level and what it states (as Mondo publishes its checks)."""
    lines = ["check\tlevel\tdescription\n"]
    for q in queries.catalogue("qc"):
        lines.append(f"{q.name.split('/', 1)[1]}\t{LEVELS[q.severity]}\t{q.question}\n")
    return "".join(lines)
