"""Excel and OpenDocument workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), read with python-calamine.

SPEC §4: HRIS and finance teams export workbooks; each sheet with a header row is read
like a CSV file, through the same detection and validation. `sheets` writes every such
sheet as a UTF-8 CSV copy (a `SourceFile` with `sheet` and `row_offset` set, so messages
say `hris.xlsx, sheet Employees: row 7, …` with the row Excel shows), then the importer
treats each copy as it treats an uploaded CSV.

What a sheet's cells become:
- text as written; numbers as their shortest exact text (`3`, `2.5`), booleans
  `true` / `false`;
- cells formatted as dates or times (calamine gives them as dates) as ISO 8601 without
  a zone (`2025-03-04`, `2025-03-04 09:30:00`): Excel has no time zones, so a time is
  read in the file's time zone like any time written without one;
- a number in a date column (a date cell formatted as General, as some HRIS reports
  write them) is an Excel serial day, understood by the one date parser
  (`DateHints.serial`, origin 1899-12-30).

The header row is the first row whose filled cells are all text and number at least
two (a one-column sheet: its first filled row); rows above it (a report title) are
skipped and counted in `row_offset`. A sheet without a header row, or without a data row
under it, is not read (hidden sheets included: their data is data).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

from lib.ingest.formats import SourceFile

SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
COPY_PREFIX = "pillars-src-"  # the same prefix as read.py's copies, so discard_copy removes them
_HEADER_SEARCH = 30


class UnreadableWorkbook(ValueError):
    """The workbook cannot be opened (corrupt, encrypted, or not a workbook)."""


def is_workbook(name: str) -> bool:
    return Path(name).suffix.lower() in SUFFIXES


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (see the module doc)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    return str(value)


def _header_index(rows: list[list[object]]) -> int | None:
    filled = [[c for c in row if cell_text(c).strip()] for row in rows]
    candidates = [i for i, cells in enumerate(filled[:_HEADER_SEARCH]) if cells]
    for i in candidates:
        if len(filled[i]) >= 2 and all(isinstance(c, str) for c in filled[i]):
            return i if any(filled[i + 1 :]) else None
    if candidates and max(len(f) for f in filled) == 1:  # a one-column sheet
        first = candidates[0]
        return first if isinstance(filled[first][0], str) and any(filled[first + 1 :]) else None
    return None


def sheets(path: str | os.PathLike, name: str, sha256: str) -> list[SourceFile]:
    """One `SourceFile` (a UTF-8 CSV copy) per sheet with a header row and data, in book order.

    Raises UnreadableWorkbook when the file cannot be opened as a workbook. The caller
    deletes the copies (`lib.ingest.read.discard_copy`).
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types, and ValueError / OSError
        raise UnreadableWorkbook(f"cannot open the workbook ({type(exc).__name__}: {exc})") from exc
    out: list[SourceFile] = []
    try:
        for sheet_name in book.sheet_names:
            try:
                rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            except Exception as exc:  # a sheet calamine cannot read (a chart sheet)
                raise UnreadableWorkbook(f"cannot read sheet {sheet_name!r} ({exc})") from exc
            header = _header_index(rows)
            if header is None:
                continue
            out.append(_write_sheet(rows, header, name, sheet_name, sha256))
    except BaseException:
        for source in out:
            source.path.unlink(missing_ok=True)
        raise
    finally:
        book.close()
    return out


def _write_sheet(rows: list[list[object]], header: int, name: str, sheet: str, sha256: str) -> SourceFile:
    width = max(len(r) for r in rows[header:])
    headers = [cell_text(c).strip() for c in rows[header]] + [""] * (width - len(rows[header]))
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    fd, tmp = tempfile.mkstemp(prefix=COPY_PREFIX, suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows[header + 1 :]:
            cells = [cell_text(c) for c in row[:width]]
            writer.writerow(cells + [""] * (width - len(cells)))
    return SourceFile(Path(tmp), name, "csv", ",", tuple(headers), sha256, sheet=sheet, row_offset=header)
