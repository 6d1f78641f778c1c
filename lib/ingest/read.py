"""Open an uploaded file the way a person would: whatever its encoding and delimiter.

`read_source` hashes the original bytes, sniffs the encoding (UTF-8 with or without a
BOM, UTF-16 as Excel writes "Unicode text", else cp1252 / latin-1), writes a clean UTF-8
copy when the original is not already clean UTF-8, sniffs the delimiter and parses the
header row. `stage_columns` then loads chosen columns of the file into a temporary
table with DuckDB's own CSV reader, numbering each record as a spreadsheet shows it.

SQL in the importer binds every value as a parameter. Identifiers cannot be bound, so
they go through `ident`, which quotes only canonical table and column names from
`lib/tables.py` and the importer's own temporary names, never text from a file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import mmap
import os
import re
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from lib.ingest.formats import SourceFile
from lib.tables import TABLES

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024
CHUNK = 1 << 20
COPY_PREFIX = "pillars-src-"
STAGE_PREFIX = "_pillars_"
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")
_TEMP_NAME = re.compile(r"^_pillars_[a-z]+_[0-9a-f]{32}$")
_IDENTIFIERS = (
    frozenset(TABLES) | {c.name for t in TABLES.values() for c in t.columns} | {"_row", "import_id"}
)
_JSON_HEADER_OBJECTS = 200


class UnreadableFile(ValueError):
    """The file cannot be opened as text (empty, or not a file at all)."""


def _bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    return None


@dataclass(frozen=True)
class CountedSource(SourceFile):
    """A SourceFile read in place whose lines were counted while it was hashed."""

    lines: int = 0  # line breaks, plus one for a last line without one


def _hash_and_check(path: Path) -> tuple[str, str, int, bool]:
    """sha256 of the bytes, the encoding ('utf-8' only when clean UTF-8), the line count,
    and whether lines end with a lone CR (old Mac Excel's "CSV (Macintosh)")."""
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding: str | None = None
    valid = True
    lines, last, cr = 0, b"\n", False
    with open(path, "rb") as f:
        first = True
        while chunk := f.read(CHUNK):
            hasher.update(chunk)
            lines += chunk.count(b"\n")
            cr = cr or (not lines and b"\r" in chunk)
            last = chunk[-1:]
            if first:
                encoding = _bom_encoding(chunk)
                first = False
            if encoding is None and valid and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
    if encoding is None and valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    if encoding is None:
        encoding = "utf-8" if valid else "cp1252"
    return hasher.hexdigest(), encoding, lines + (last != b"\n"), cr and not lines


def _write_copy(
    path: Path, encoding: str, suffix: str, skip_first_line: bool, cr_lines: bool = False
) -> Path:
    """A UTF-8 (no BOM) copy of the file; cp1252 falls back to latin-1 for its 5 holes;
    lone-CR line ends become LF."""
    fd, tmp = tempfile.mkstemp(prefix=COPY_PREFIX, suffix=suffix)
    os.close(fd)
    for enc in (encoding, "latin-1") if encoding == "cp1252" else (encoding,):
        try:
            with (
                open(path, encoding=enc, newline=None if cr_lines else "") as src,
                open(tmp, "w", encoding="utf-8", newline="") as dst,
            ):
                if skip_first_line:
                    src.readline()
                while text := src.read(CHUNK):
                    dst.write(text)
            return Path(tmp)
        except UnicodeDecodeError:
            continue
    Path(tmp).unlink(missing_ok=True)
    raise UnreadableFile(f"cannot decode the file as {encoding}")


def _complete_records(sample: str, complete: bool) -> str:
    """The sample cut after its last line break, so no record is split mid-way."""
    if complete:
        return sample
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    return sample[: cut + 1] if cut > 0 else sample


def sniff_delimiter(sample: str, complete: bool = True) -> str:
    """The delimiter under which the header and the rows agree on a field count (>= 2)."""
    text = _complete_records(sample, complete)
    best, best_key = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rows = records[1:50]
        agree = sum(len(r) == width for r in rows) / len(rows) if rows else 1.0
        key = (agree, width)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def json_objects(path: Path) -> list:
    """The records of a JSON file: an array, one object per line, or one object.

    An API response that wraps its records with paging fields (PagerDuty's
    `{"incidents": [...], "limit": 25, "more": false}`, Opsgenie's `{"data": [...]}`) is
    unwrapped: an object with exactly one value that is a list of objects gives that list.
    """
    text = path.read_text(encoding="utf-8-sig")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise UnreadableFile(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and v and all(isinstance(o, dict) for o in v)]
        if len(lists) == 1:
            return lists[0]
    return [doc]


def _json_headers(path: Path) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for obj in json_objects(path)[:_JSON_HEADER_OBJECTS]:
        if isinstance(obj, dict):
            keys.update(dict.fromkeys(obj))
    return tuple(keys)


def read_source(path: str | os.PathLike, name: str | None = None) -> SourceFile:
    """Sniff a file; `SourceFile.path` is the original when it is clean UTF-8, else a copy.

    A workbook gives its first sheet with a header row (see `read_sources`). Call
    `discard_copy(source, path)` when done with it.
    """
    original = Path(path)
    if not original.is_file():
        raise UnreadableFile("file not found")
    name = name or original.name
    if original.stat().st_size == 0:
        raise UnreadableFile("the file is empty")
    from lib.ingest import workbook

    if workbook.is_workbook(name):  # its first sheet with a header row (read_sources gives all)
        first, *rest = read_sources(path, name)
        for other in rest:
            other.path.unlink(missing_ok=True)
        return first
    digest, encoding, lines, cr_lines = _hash_and_check(original)
    clean = original
    if encoding != "utf-8" or cr_lines:
        clean = _write_copy(original, encoding, original.suffix or ".csv", False, cr_lines)
    try:
        return _sniff(original, clean, name, digest, lines)
    except BaseException:
        if clean != original:
            clean.unlink(missing_ok=True)
        raise


def read_sources(path: str | os.PathLike, name: str | None = None) -> list[SourceFile]:
    """Every source in a file: one per workbook sheet with a header row (lib.ingest.workbook),
    else the file itself (`read_source`). Call `discard_copy` on each when done."""
    from lib.ingest import workbook

    original = Path(path)
    name = name or original.name
    if not workbook.is_workbook(name):
        return [read_source(path, name)]
    if not original.is_file():
        raise UnreadableFile("file not found")
    if original.stat().st_size == 0:
        raise UnreadableFile("the file is empty")
    digest, _, _, _ = _hash_and_check(original)
    try:
        found = workbook.sheets(original, name, digest)
    except workbook.UnreadableWorkbook as exc:
        raise UnreadableFile(str(exc)) from exc
    if not found:
        raise UnreadableFile("no sheet of the workbook has a header row with data under it")
    return found


def _sniff(original: Path, clean: Path, name: str, digest: str, lines: int) -> SourceFile:
    with open(clean, encoding="utf-8", newline="", errors="replace") as f:
        sample = f.read(SAMPLE_CHARS)
        complete = f.read(1) == ""

    stripped = sample.lstrip("\ufeff \t\r\n")
    if name.lower().endswith((".json", ".ndjson", ".jsonl")) or stripped[:1] in ("[", "{"):
        return SourceFile(clean, name, "json", "", _json_headers(clean), digest)

    delimiter = None
    sep = _SEP_LINE.match(sample)
    if sep:  # Excel's "sep=;" hint line: obey it and drop it, as Excel does
        delimiter = sep.group(1)
        copy = _write_copy(clean, "utf-8", original.suffix or ".csv", skip_first_line=True)
        if clean != original:
            clean.unlink(missing_ok=True)
        clean = copy  # read_source removes it if sniffing fails from here on
        sample = sample[sep.end() :]
    delimiter = delimiter or sniff_delimiter(sample, complete)
    try:
        header = next(csv.reader(io.StringIO(_complete_records(sample, complete)), delimiter=delimiter))
    except (StopIteration, csv.Error):
        header = []
    if not any(h.strip() for h in header):
        raise UnreadableFile("the file has no header row")
    if clean == original:
        return CountedSource(clean, name, "csv", delimiter, tuple(header), digest, lines=lines)
    return SourceFile(clean, name, "csv", delimiter, tuple(header), digest)


def discard_copy(source: SourceFile, original: str | os.PathLike) -> None:
    """Delete the UTF-8 copy `read_source` may have written (never the original)."""
    if source.path.resolve() != Path(original).resolve() and source.path.name.startswith(COPY_PREFIX):
        source.path.unlink(missing_ok=True)


def ident(name: str) -> str:
    """`name` quoted for SQL when it is a canonical table or column (optionally with the
    importer's `__raw` suffix), `_row`, `import_id`, or a `stage_name`; else ValueError."""
    if name.removesuffix("__raw") in _IDENTIFIERS or _TEMP_NAME.match(name):
        return '"' + name + '"'
    raise ValueError(f"not an identifier the importer may use: {name!r}")


def stage_name(kind: str = "stage") -> str:
    """A fresh name for a temporary table or view; `drop_staging` removes them all."""
    return f"{STAGE_PREFIX}{kind}_{uuid.uuid4().hex}"


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop this connection's temporary import tables and registered views."""
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where temporary and starts_with(table_name, ?)",
        [STAGE_PREFIX],
    ).fetchall():
        query = "drop table if exists temp." + ident(name)
        con.execute(query)
    for (name,) in con.execute(
        "select view_name from duckdb_views() where temporary and starts_with(view_name, ?)",
        [STAGE_PREFIX],
    ).fetchall():
        con.complete()
        con.unregister(name)


def register(con: duckdb.DuckDBPyConnection, name: str, obj: object) -> None:
    """`con.register`, after finishing any result a caller left unread (DuckDB 2 insists)."""
    con.complete()
    con.register(name, obj)


def _line_count(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK * 4):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _has_blank_line(path: Path) -> bool:
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return False
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(b"\n\n") >= 0 or m.find(b"\n\r\n") >= 0 or m.find(b"\r\r") >= 0


def _spreadsheet_rows(source: SourceFile) -> list[int]:
    """Row numbers of the non-blank data records, blank lines counted as rows (as Excel does)."""
    with open(source.path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=source.delimiter)
        return [n for n, record in enumerate(reader, start=1) if record and n > 1]


def _stage_csv(con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]) -> str:
    table = stage_name()
    width = len(source.headers)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    select = ", ".join(f"c{i} as {ident(column)}" for i, column in picks) or "null as _empty"
    for parallel in (True, False):
        query = (
            f"create temp table {ident(table)} as select {select} from read_csv($path, header = true, "
            f"auto_detect = false, all_varchar = true, delim = $delim, quote = '\"', escape = '\"', "
            f"strict_mode = false, null_padding = true, parallel = {str(parallel).lower()}, "
            f"columns = {columns})"
        )
        try:
            con.execute(query, {"path": str(source.path), "delim": source.delimiter})
            break
        except duckdb.Error as exc:
            # DuckDB's parallel reader cannot pad short rows when fields hold line breaks.
            if not parallel or "parallel" not in str(exc):
                raise
    offset = int(source.row_offset)
    stage = f"select rowid + {2 + offset} as _row, * from {ident(table)}"
    query = f"select count(*) from {ident(table)}"
    (count,) = con.execute(query).fetchall()[0]
    # One line per record (the usual case) means row = rowid + 2. Otherwise a field holds
    # a line break (still one row) or a blank line was skipped (a row in a spreadsheet).
    lines = source.lines if isinstance(source, CountedSource) else _line_count(source.path)
    if lines - 1 != count and _has_blank_line(source.path):
        rows = [n + offset for n in _spreadsheet_rows(source)]
        if len(rows) == count:
            numbers = stage_name("rows")
            register(con, numbers, pd.DataFrame({"_row": pd.Series(rows, dtype="int64")}))
            stage = f"select n._row, s.* from {ident(table)} s positional join {ident(numbers)} n"
    return stage


def _stage_json(con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]) -> str:
    objects = json_objects(source.path)

    def cell(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    data = {
        column: pd.Series(
            [cell(o.get(source.headers[i])) if isinstance(o, dict) else None for o in objects],
            dtype="object",
        )
        for i, column in picks
    }
    frame = pd.DataFrame(data, index=range(len(objects)))
    frame["_row"] = range(1, len(objects) + 1)
    view, table = stage_name("json"), stage_name()
    register(con, view, frame)
    query = f"create temp table {ident(table)} as select * from {ident(view)}"
    con.execute(query)
    return f"select * from {ident(table)}"


def stage_columns(
    con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]
) -> duckdb.DuckDBPyRelation:
    """Load the picked columns (header index → canonical name) as text, plus `_row`.

    `_row` is the record's row number as a spreadsheet shows it: the header is row 1 and
    the first data row is row 2 (a quoted line break does not start a new row). For JSON
    it is the object's position, from 1. Canonical names must be plain identifiers.
    """
    for _, column in picks:
        ident(column)  # canonical names only
    if source.kind == "json":
        return con.sql(_stage_json(con, source, picks))
    return con.sql(_stage_csv(con, source, picks))
