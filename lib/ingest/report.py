"""Import warnings: what the importer interpreted, listed with counts so nothing is silently assumed.

SPEC §4: values the importer interpreted (an unknown Jira resolution counted as delivered,
rows with no completion date, a date order taken from the tool, a span that runs
backwards) are part of the import's result, shown on the Data page beside the file and
printed by the CLI. A warning never stops an import; a problem (lib.ingest.validate)
does.

Every format module, the date parser and the validator return `ImportWarning`s; the
loader merges them (`merge`) onto `ImportResult.warnings`. A `Problem` is what refuses a
file: the reader (a record of the wrong shape, lib/ingest/records.py) and the validator
(a value that does not read) both describe one the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lib.privacy import printable

EXAMPLE_ROWS = 5
VALUE_CHARS = 80  # a value quoted in a message is cut to this many characters


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: where (row, column) and what (value, reason).

    row: the spreadsheet row number (header = row 1), None for the whole file;
    column: the canonical column, or the file's header when the problem is the record
      itself (lib/ingest/records.py); value: the cell as written, None when there is none;
    reason: the cause, in words, after the value;
    header: the file's own header of that column, when it is not written as the canonical
      name (`Created At` for created_at): messages name the column as the user wrote it.
    """

    row: int | None
    column: str | None
    value: str | None
    reason: str
    header: str | None = None

    @property
    def where(self) -> str:
        """`column Created At (created_at)`: the file's header first, the canonical name after
        it when they differ; `column created_at` when the file writes it so."""
        if not self.column:
            return ""
        named = shown(self.header.strip(), 40) if self.header and self.header.strip() else ""
        if not named or named == self.column:
            return f"column {shown(self.column, 40)}"
        return f"column {named} ({shown(self.column, 40)})"

    def describe(self) -> str:
        """`row 7, column Created At (created_at): 'yesterday' is not a timestamp…`; a long
        value is cut and every value is shown as a Python literal, so control characters stay
        visible text."""
        where = ", ".join(
            part for part in (f"row {self.row}" if self.row is not None else "", self.where) if part
        )
        what = f"{shown_value(self.value)} {self.reason}" if self.value is not None else self.reason
        return f"{where}: {what}" if where else what


def shown(text: str, limit: int = VALUE_CHARS) -> str:
    """Text from a file made safe to print (lib.privacy.printable) and cut to `limit`."""
    return printable(text, limit)


def shown_value(value: str) -> str:
    """A cell as a message quotes it: its Python literal, cut to VALUE_CHARS characters."""
    text = str(value)
    if len(text) > VALUE_CHARS:
        return repr(text[: VALUE_CHARS - 1]) + "…"
    return repr(text)


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
