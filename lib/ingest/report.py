"""Import warnings: what the importer interpreted, listed with counts so nothing is silently assumed.

SPEC §4: values the importer interpreted (an unknown Jira resolution counted as delivered,
rows with no completion date, a date order taken from the tool, a span that runs
backwards) are part of the import's result, shown on the Data page beside the file and
printed by the CLI. A warning never stops an import; a problem (lib.ingest.validate)
does.

Every format module, the date parser and the validator return `ImportWarning`s; the
loader merges them (`merge`) onto `ImportResult.warnings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXAMPLE_ROWS = 5


@dataclass(frozen=True)
class ImportWarning:
    """One interpretation the importer made, over `count` values or rows of a file.

    code: a stable id for tests and the Data page (`date_order`, `backward_span`,
      `jira_unknown_resolution`, …; docs/IMPORT.md lists them all);
    message: one plain sentence a VP can act on, without the count or the rows;
    count: how many rows (or values) it concerns, >= 1;
    rows: up to EXAMPLE_ROWS spreadsheet row numbers (header = row 1) as examples;
    detail: the value it is about, for the Data page's choices (the date order read for
      `date_order`, the resolution for `jira_unknown_resolution`), else "".
    """

    code: str
    message: str
    count: int = 1
    rows: tuple[int, ...] = ()
    detail: str = ""

    def describe(self) -> str:
        """`message (3 rows: 4, 7, 9)`: the line the CLI prints and the Data page shows."""
        if not self.rows:
            return self.message if self.count <= 1 else f"{self.message} ({self.count:,})"
        shown = ", ".join(str(r) for r in self.rows)
        more = ", …" if self.count > len(self.rows) else ""
        noun = "row" if self.count == 1 else "rows"
        return f"{self.message} ({self.count:,} {noun}: {shown}{more})"


def example_rows(rows: Iterable[int]) -> tuple[int, ...]:
    """The first EXAMPLE_ROWS distinct row numbers, in order."""
    return tuple(sorted(set(rows)))[:EXAMPLE_ROWS]


def warn(
    code: str, message: str, rows: Sequence[int] = (), count: int | None = None, detail: str = ""
) -> ImportWarning:
    """A warning over `rows` (its count is theirs unless given)."""
    total = count if count is not None else max(len(set(rows)), 1)
    return ImportWarning(code, message, total, example_rows(rows), detail)


def merge(warnings: Iterable[ImportWarning]) -> tuple[ImportWarning, ...]:
    """Warnings with the same code and message become one (counts added, rows merged), in order."""
    merged: dict[tuple[str, str], ImportWarning] = {}
    for w in warnings:
        key = (w.code, w.message)
        if key in merged:
            old = merged[key]
            rows = example_rows(old.rows + w.rows)
            merged[key] = ImportWarning(w.code, w.message, old.count + w.count, rows, w.detail)
        else:
            merged[key] = w
    return tuple(merged.values())
