"""Quality control in the manner of ODK's `robot report`: every check of sparql/qc/ runs on the
graph, each at its level (ERROR: the graph is wrong and the run fails; WARN: probably a mistake;
INFO: a report for curators), and the violations go to one TSV report, one row each."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from . import queries

LEVELS = {"error": "ERROR", "warning": "WARN", "info": "INFO"}


@dataclass
class CheckResult:
    query: queries.StoredQuery
    rows: list[list[str]]
    columns: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return LEVELS[self.query.severity]


def run_checks(store) -> list[CheckResult]:
    out = []
    for q in queries.catalogue("qc"):
        result = queries.run(q, store, {})
        out.append(CheckResult(q, result.rows, result.columns))
    return out


def failures(result: CheckResult) -> list[tuple[str, str | None, str, tuple[str, ...]]]:
    """(node, property, message, values) per violation, for origin.Locator: the row's first column is the
    node at fault; a column named `property` names the property; the other cells help find the field."""
    name = result.query.name.split("/", 1)[1]
    prop_at = result.columns.index("property") if "property" in result.columns else None
    out = []
    for row in result.rows:
        if not row:
            continue
        prop = row[prop_at] if prop_at is not None else None
        out.append((row[0], prop, f"QC check {name} fails: {result.query.question} [{' | '.join(row)}]",
                    tuple(row[1:])))
    return out


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
