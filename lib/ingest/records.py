"""Every record has the header's shape, and a file is text: the checks, and the cause when not.

SPEC §4 (and issue 16): a file is read whole or refused, and a refusal names the row and
the cause, not its effect ("deployed_at is empty"). The rules, for every CSV source
(templates, mapped files and every tool export alike; docs/IMPORT.md, "Record shape"):

- every record holds exactly as many values as the header has columns: an extra value,
  a short row, or a row separated by another delimiter (a `;` row in a `,` file) refuses
  the file at that row. Blank lines, and lines holding only blanks or delimiters, carry
  nothing: they are skipped and still counted as rows, as a spreadsheet numbers them;
- a quoted value runs to its closing quote, then the delimiter or the line's end (blanks
  between are allowed). `"Ber"lin` is refused (it could mean `Berlin` or `Ber"lin`); a
  quote that opens and never closes is refused at the row where it opens. A quote inside
  an unquoted value (`Ber"lin`) is part of the value, as spreadsheets read it; quoted
  line breaks are part of their value;
- a record holds at most MAX_ROW_BYTES bytes (DuckDB's line limit): a 10 MB cell is
  refused naming its column;
- the text holds no NUL character, no byte-order mark after the file's start (two files
  joined), and not UTF-8 mixed with another encoding; a file whose first line holds NUL
  bytes, or that starts like a known binary format, is not a text file at all;
- CRLF, LF and a mix of both end lines alike.

How, at no cost for a good file: DuckDB's CSV reader in strict mode is the gate
(`lib.ingest.read.stage_columns` reads that way; `check` runs the same reader for the
formats that read the file in Python). Only when it fails does `scan` (lib/ingest/record_scan.py)
read the file record by record with Python's csv module to name the first row at fault and why. A file
whose records all follow the rules but that DuckDB's strict reader still refuses (it
refuses a mix of CRLF and LF line ends) is rewritten uniformly (`uniform_copy`) and read
from that copy.
"""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
from pathlib import Path

import duckdb

from lib.ingest.report import Problem, shown

MAX_ROW_BYTES = 2_000_000  # DuckDB's max_line_size default, set explicitly on every read
# Python's csv module stops at 131,072 characters a field: the tool-export readers would
# fail on a cell DuckDB accepts. One limit for both readers.
csv.field_size_limit(MAX_ROW_BYTES)

READ_OPTIONS = (
    "header = true, auto_detect = false, all_varchar = true, quote = '\"', escape = '\"', "
    f"strict_mode = true, null_padding = false, max_line_size = {MAX_ROW_BYTES}"
)
DELIMITERS = (",", ";", "\t", "|")
COPY_PREFIX = "pillars-src-"
DELIMITER_WORDS = {",": "','", ";": "';'", "\t": "a tab", "|": "'|'"}

# First bytes of files that are not text, and what to say about them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an Excel workbook? Give it its .xlsx name)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 or other Office file (give a workbook its .xls name)",
    ),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive (unpack it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (unpack it first)"),
    (b"Rar!", "a RAR archive (unpack it first)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
)


class UnreadableFile(ValueError):
    """The file cannot be read as an export (empty, not text, not a file at all)."""


class MalformedFile(UnreadableFile):
    """A record breaks the rules above; `problems` holds the first, with its row and cause."""

    def __init__(self, problem: Problem):
        super().__init__(problem.describe())
        self.problems = (problem,)
        self.count = 1


def binary_kind(head: bytes, utf16: bool = False) -> str | None:
    """What a file starting with `head` is, when it is plainly not text: a known binary
    format, or (unless the text is UTF-16, where every other byte is NUL) NUL bytes in
    its first line."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[8:12] == b"DUCK":
        return "a DuckDB database"
    if utf16:
        return None
    first_line = head.split(b"\n", 1)[0]
    if b"\x00" in first_line:
        return "binary data: its first line holds NUL bytes, which no CSV or JSON export has"
    return None


def mixed_encoding(path: Path) -> tuple[int, int] | None:
    """For a file that is not valid UTF-8: when its other non-ASCII text is valid UTF-8,
    (line, byte) of the first byte that is not; None for a file in one 8-bit encoding."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    valid, first, line = False, None, 1
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            text = decoder.decode(chunk)
            if text.isascii():
                line += text.count("\n")
                continue
            for position, ch in enumerate(text):
                if "\udc80" <= ch <= "\udcff":
                    if first is None:
                        first = (line + text.count("\n", 0, position), ord(ch) - 0xDC00)
                elif ord(ch) > 0x7F:
                    valid = True
                if valid and first:
                    return first
            line += text.count("\n")
    return None


# ---------------------------------------------------------------------------- the gate


def gate(con: duckdb.DuckDBPyConnection, path: Path, delimiter: str, width: int) -> str | None:
    """None when DuckDB's strict reader reads every record of the file, else its reason."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(max(width, 1))) + "}"
    query = f"select count(*) from read_csv($path, delim = $delim, {READ_OPTIONS}, columns = {columns})"
    try:
        con.execute(query, {"path": str(path), "delim": delimiter}).fetchall()
    except duckdb.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def check(con: duckdb.DuckDBPyConnection, source) -> None:
    """Raise MalformedFile when a record of a CSV `source` breaks the rules (a no-op for a
    good file beyond DuckDB's strict read, and for JSON)."""
    if source.kind != "csv":
        return
    if gate(con, source.path, source.delimiter, len(source.headers)) is None:
        return
    problem = scan(source)
    if problem:
        raise MalformedFile(problem)


def uniform_copy(source) -> Path:
    """The file rewritten with one line end and minimal quoting (values unchanged, blank
    rows kept so row numbers stay), for DuckDB's strict reader; MalformedFile when a
    record breaks the rules. The caller deletes the copy."""
    fd, name = tempfile.mkstemp(prefix=COPY_PREFIX, suffix=".csv")
    os.close(fd)
    target = Path(name)
    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            problem = scan(source, csv.writer(out, delimiter=source.delimiter, lineterminator="\n"))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if problem:
        target.unlink(missing_ok=True)
        raise MalformedFile(problem)
    return target


def unreadable(reason: str) -> MalformedFile:
    """The refusal when DuckDB cannot read a file whose records Python finds well formed."""
    return MalformedFile(Problem(None, None, None, f"cannot be read as CSV: {shown(reason, 160)}"))


def scan(source, writer=None) -> Problem | None:
    """The first record of a CSV `source` that breaks the rules, as a Problem (None when all
    follow them); with `writer` (a csv.writer), every record is also written to it
    (`lib.ingest.record_scan.scan`)."""
    from lib.ingest.record_scan import scan as scan_records  # it imports this module's constants

    return scan_records(source, writer)
