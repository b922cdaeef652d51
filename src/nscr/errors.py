"""Errors that name the file, row and field, and the exit codes of the CLI."""
from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


class CurationError(Exception):
    """A problem in a curated table, pinned to file, line and column."""

    def __init__(self, file: str, row: int | None, field: str | None, message: str):
        self.file, self.row, self.field, self.message = file, row, field, message
        where = file + (f", row {row}" if row is not None else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


class CurationErrors(Exception):
    """Several curation errors found in one pass (so a curator sees them all at once)."""

    def __init__(self, errors: list[CurationError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
