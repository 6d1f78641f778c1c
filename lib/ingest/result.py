"""What an import did, as the Data page shows it and the CLI prints it (`ImportResult`).

One line per file (`summary`): what loaded and how many rows it added and changed
(`teams: 12 rows: 8 new, 4 updated`), a file already imported that changed nothing, or
why a file was refused; then one `  warning: …` line per interpretation (`lines`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lib.ingest.report import ImportWarning, Problem
from lib.privacy import printable


@dataclass(frozen=True)
class Changes:
    """What an import did to one table, in rows: `new` keys the table did not hold,
    `updated` stored rows whose values the file changed, `unchanged` stored rows the file
    repeats value for value (still rewritten, under the new import)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged

    def words(self) -> str:
        """`8 new, 4 updated`: the counts that are not zero, in that order (`0 new` for none)."""
        parts = [
            f"{n:,} {word}"
            for n, word in ((self.new, "new"), (self.updated, "updated"), (self.unchanged, "unchanged"))
            if n
        ]
        return ", ".join(parts) or "0 new"


@dataclass(frozen=True)
class Earlier:
    """The import that already loaded a file's exact bytes, and still stands."""

    import_id: str
    imported_at: dt.datetime | None  # naive UTC
    file_name: str | None

    def describe(self) -> str:
        """`on 2026-12-05 09:14 UTC as import 3f2a1b2c (teams.csv)`."""
        when = f"on {self.imported_at:%Y-%m-%d %H:%M} UTC " if self.imported_at else ""
        name = f" ({printable(self.file_name, 80)})" if self.file_name else ""
        return f"{when}as import {self.import_id[:8]}{name}"


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    file_name: str
    tables: tuple[str, ...] = ()
    rows: int = 0
    rows_by_table: dict[str, int] = field(default_factory=dict)
    import_id: str | None = None
    source_format: str | None = None
    sha256: str = ""
    errors: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()  # the first MAX_PROBLEMS, for the validation report
    problem_count: int = 0
    seconds: float = 0.0
    unrecognised: bool = False  # no format matched: offer the column-mapping step
    # What the importer interpreted (lib.ingest.report): listed beside the file's result.
    warnings: tuple[ImportWarning, ...] = ()
    # Per table: rows new, updated and unchanged (sums to rows_by_table's count).
    changes: dict[str, Changes] = field(default_factory=dict)
    # The same bytes were already imported by this import, which stands: nothing was written.
    already: Earlier | None = None

    @property
    def table(self) -> str | None:
        return self.tables[0] if self.tables else None

    @property
    def error(self) -> str | None:
        return self.errors[0] if self.errors else None

    @property
    def status(self) -> str:
        """`loaded`, `already imported` or `rejected`."""
        if not self.ok:
            return "rejected"
        return "already imported" if self.already else "loaded"

    @property
    def total(self) -> Changes:
        """The changes over every table the file loaded."""
        parts = self.changes.values()
        return Changes(
            sum(c.new for c in parts), sum(c.updated for c in parts), sum(c.unchanged for c in parts)
        )

    def summary(self) -> str:
        """One line: `loaded teams.csv → teams: 12 rows: 8 new, 4 updated (import 3f2a1b2c…)`,
        `skipped teams.csv: already imported on … as import …; nothing changed (…)` or
        `rejected <the refusal>`."""
        if not self.ok:
            return f"rejected {self.error or self.file_name}"
        if self.already:
            return (
                f"skipped {self.file_name}: already imported {self.already.describe()}; nothing changed "
                "(to import it again with other choices, undo that import first)"
            )
        loaded = "; ".join(self._table_words(t, n) for t, n in self.rows_by_table.items()) or "0 rows"
        return f"loaded {self.file_name} → {loaded} (import {(self.import_id or '')[:8]}…)"

    def _table_words(self, table: str, rows: int) -> str:
        noun = "row" if rows == 1 else "rows"
        change = self.changes.get(table)
        return f"{table}: {rows:,} {noun}" + (f": {change.words()}" if change else "")

    def lines(self) -> list[str]:
        """The summary, then one `  warning: …` line per warning (what the CLI prints)."""
        return [self.summary(), *(f"  warning: {w.describe()}" for w in self.warnings)]
