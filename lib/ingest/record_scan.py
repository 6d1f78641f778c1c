"""The scan: read a CSV file record by record with Python's csv module, to name the first
row at fault and why (for `lib.ingest.records`, whose module doc has the rules; it runs
only when DuckDB's strict reader refused the file, or to write a uniform copy).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from lib.ingest.records import DELIMITER_WORDS, DELIMITERS, MAX_ROW_BYTES
from lib.ingest.report import Problem, shown


class _Lines:
    """The file's lines, remembering those taken since the last record."""

    def __init__(self, handle: io.TextIOBase):
        self._handle = handle
        self._taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._handle.readline()
        if not line:
            raise StopIteration
        self._taken.append(line)
        return line

    def take(self) -> str:
        raw = "".join(self._taken)
        self._taken.clear()
        return raw


@dataclass(frozen=True)
class _Record:
    raw: str  # the record's text as in the file, line ends included
    fields: list[str]
    issue: tuple[str, int, str] | None = None  # (kind, field index, text) when the quoting is wrong


def _records(handle: io.TextIOBase, delimiter: str) -> Iterator[_Record]:
    """Each record, read by csv's C reader in strict mode; a record it refuses is split by
    `_split`, which tells the cause (or finds it fine: blanks after a closing quote)."""
    lines = _Lines(handle)
    while True:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            for fields in reader:
                yield _Record(lines.take(), fields)
            return
        except csv.Error as exc:
            raw = lines.take()
            fields, issue = _split(raw, delimiter)
            if "field larger than field limit" in str(exc):  # csv stopped inside the long value
                if issue:
                    index, text = issue[1], issue[2]
                else:
                    index = max(range(len(fields)), key=lambda i: len(fields[i])) if fields else 0
                    text = fields[index] if fields else raw
                issue = ("long", index, text)
            yield _Record(raw, fields, issue)


def _split(raw: str, delimiter: str) -> tuple[list[str], tuple[str, int, str] | None]:
    """A record's values by the rules above, and the quoting issue found, if any."""
    text = raw[:-2] if raw.endswith("\r\n") else raw[:-1] if raw.endswith(("\n", "\r")) else raw
    fields: list[str] = []
    i, n = 0, len(text)
    while True:
        start = i
        while start < n and text[start] in " \t" and text[start] != delimiter:
            start += 1
        if start < n and text[start] == '"':
            j = start + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    return fields, ("unclosed", len(fields), text[start:])
                if text.startswith('"', k + 1):
                    j = k + 2
                    continue
                break
            end = text.find(delimiter, k + 1)
            end = n if end < 0 else end
            if text[k + 1 : end].strip(" \t"):
                return fields, ("after_quote", len(fields), text[i:end])
            fields.append(text[start + 1 : k].replace('""', '"'))
        else:
            end = text.find(delimiter, i)
            end = n if end < 0 else end
            fields.append(text[i:end])
        if end >= n:
            return fields, None
        i = end + len(delimiter)


def _blank(fields: list[str]) -> bool:
    return not any(f.strip() for f in fields)


def _column(headers: list[str], index: int) -> str:
    if index < len(headers):
        return headers[index].strip() or f"{index + 1} (no header)"
    return (
        f"{index + 1} (past the last header, {headers[-1].strip() or len(headers)})"
        if headers
        else str(index + 1)
    )


def _size(raw: str) -> int:
    return len(raw.encode("utf-8", errors="surrogateescape"))


def _line(raw: str) -> str:
    return raw.rstrip("\r\n")


def scan(source, writer=None) -> Problem | None:
    """The first record that breaks the rules, with its spreadsheet row and cause; None
    when every record follows them. With `writer` (a csv.writer), every record is written
    to it as read (blank ones as empty lines) until a problem is found."""
    offset = int(getattr(source, "row_offset", 0))
    with open(source.path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
        records = _records(handle, source.delimiter)
        header = next(records, None)
        if header is None:
            return None
        headers = header.fields
        if header.issue:
            return _record_problem(header, headers, 1 + offset, source.delimiter)  # type: ignore[return-value]
        problem = _text_problem(header, headers, 1 + offset, first=True)
        if problem:
            return problem
        if writer is not None:
            writer.writerow(headers)
        row = 1
        pending: tuple[int, _Record] | None = None
        for record in records:
            row += 1
            if pending is not None:
                return _short_row(*pending, headers, source.delimiter, offset, record)
            problem = _record_problem(record, headers, row + offset, source.delimiter)
            if problem == "short":
                pending = (row, record)
                continue
            if problem:
                return problem
            if writer is not None:
                writer.writerow([] if _blank(record.fields) else record.fields)
        if pending is not None:
            return _short_row(*pending, headers, source.delimiter, offset, None)
    return None


def _record_problem(record: _Record, headers: list[str], row: int, delimiter: str) -> Problem | str | None:
    if record.issue:
        kind, index, text = record.issue
        column = _column(headers, index)
        if kind == "unclosed":
            return Problem(
                row,
                column,
                _line(text),
                "opens a quote that is never closed, so every line after it would be read into this one "
                "value: close the quote, or remove it",
            )
        if kind == "after_quote":
            inner = text.strip()
            return Problem(
                row,
                column,
                inner,
                "has text after its closing quote, so what the value is cannot be told (it could be read "
                f'as {_readings(inner)}): inside a quoted value write each quote twice (""), or remove the quotes',
            )
        return _too_long(row, column, text, _size(record.raw))
    problem = _text_problem(record, headers, row)
    if problem:
        return problem
    size = _size(record.raw)
    if size > MAX_ROW_BYTES:
        longest = max(range(len(record.fields)), key=lambda i: len(record.fields[i])) if record.fields else 0
        value = record.fields[longest] if record.fields else _line(record.raw)
        return _too_long(row, _column(headers, longest), value, size)
    if len(record.fields) == len(headers) or _blank(record.fields):
        return None
    if len(record.fields) < len(headers):
        return "short"
    extra = record.fields[len(headers) :]
    return Problem(
        row,
        None,
        _line(record.raw),
        f"has {len(record.fields)} values where the header has {len(headers)} columns: "
        f"{shown(extra[0], 40)!r} and any after it have no column. A value holding "
        f"{DELIMITER_WORDS.get(delimiter, repr(delimiter))} must be in double quotes",
    )


def _readings(inner: str) -> str:
    """`"Ber"lin` could be read as Berlin or as Ber"lin."""
    literal = inner[1:] if inner.startswith('"') else inner
    joined = inner.replace('"', "")
    return f"{shown(joined, 30)!r} or {shown(literal, 30)!r}"


def _too_long(row: int, column: str, value: str, row_bytes: int) -> Problem:
    return Problem(
        row,
        column,
        value,
        f"is {len(value):,} characters long (its row {row_bytes:,} bytes): a row may hold at most "
        f"{MAX_ROW_BYTES:,} bytes. A value this long is no export's; is a quote left open?",
    )


def _text_problem(record: _Record, headers: list[str], row: int, first: bool = False) -> Problem | None:
    """NUL, a byte-order mark after the start, bytes that are not UTF-8, in this record."""
    raw = record.raw
    if "\x00" not in raw and "\ufeff" not in raw and raw.isascii():
        return None
    for index, value in enumerate(record.fields):
        column = _column(headers, index)
        if "\x00" in value:
            return Problem(
                row,
                column,
                value.replace("\x00", "\\0"),
                "holds a NUL character (byte 0), which no export writes: the file is damaged or not text",
            )
        if "\ufeff" in value and not (first and index == 0 and value.startswith("\ufeff")):
            if index == 0 and [value.lstrip("\ufeff"), *record.fields[1:]] == headers:
                return Problem(
                    row,
                    None,
                    None,
                    "repeats the header after a byte-order mark: two exports were joined into one file. "
                    "Remove the second header row, or import the files one by one",
                )
            return Problem(
                row,
                column,
                value.replace("\ufeff", "<BOM>"),
                "holds a byte-order mark (U+FEFF, an invisible character that starts a file): "
                "two files joined into one, or text pasted from one?",
            )
        bad = next((ch for ch in value if "\udc80" <= ch <= "\udcff"), None)
        if bad:
            shown_text = "".join("?" if "\udc80" <= ch <= "\udcff" else ch for ch in value)
            return Problem(
                row,
                column,
                shown_text,
                f"holds bytes that are not UTF-8 (0x{ord(bad) - 0xDC00:02X}, shown as ?) while the rest of "
                "the file is UTF-8: the file mixes two encodings. Save it again as UTF-8",
            )
    return None


def _short_row(
    row: int, record: _Record, headers: list[str], delimiter: str, offset: int, following: _Record | None
) -> Problem:
    """Why a row has fewer values than the header: another delimiter, a line break outside
    quotes, or values missing."""
    width, found = len(headers), len(record.fields)
    line = _line(record.raw)
    for other in DELIMITERS:
        if other == delimiter or other not in line:
            continue
        cells = next(csv.reader([line], delimiter=other), [])
        if len(cells) == width:
            return Problem(
                row + offset,
                None,
                line,
                f"has {found} value{'s' * (found != 1)} where the header has {width} columns: it is separated by "
                f"{DELIMITER_WORDS[other]} where the header uses {DELIMITER_WORDS.get(delimiter, repr(delimiter))} "
                "(a row pasted from another file?)",
            )
    if following is not None and not following.issue and found + len(following.fields) - 1 == width:
        return Problem(
            row + offset,
            _column(headers, found - 1),
            record.fields[-1],
            f"is followed by a line break outside double quotes: the value goes on in row {row + offset + 1} "
            "and the rest of the row with it. A value holding a line break must be in double quotes",
        )
    missing = [h.strip() or f"column {found + i + 1}" for i, h in enumerate(headers[found:])]
    listed = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return Problem(
        row + offset,
        None,
        line,
        f"has {found} value{'s' * (found != 1)} where the header has {width} columns: {listed} "
        f"{'is' if len(missing) == 1 else 'are'} missing (a row cut short?)",
    )
