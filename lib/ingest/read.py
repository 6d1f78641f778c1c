"""Open an uploaded file the way a person would: whatever its encoding and delimiter.

`read_source` hashes the original bytes, sniffs the encoding (UTF-8 with or without a
BOM, UTF-16 as Excel writes "Unicode text", else cp1252 / latin-1), writes a clean UTF-8
copy when the original is not already clean UTF-8, sniffs the delimiter and parses the
header row. `stage_columns` then loads chosen columns of the file into a temporary
table with DuckDB's own CSV reader in strict mode, numbering each record as a
spreadsheet shows it.

What is refused before any format sees the file (lib/ingest/records.py has the rules
and the messages): an empty file, a file that is not text (a known binary format, NUL
bytes in its first line), NUL characters or a byte-order mark inside the text, UTF-8
mixed with another encoding, a header with no rows under it, JSON that is not records;
and, when read, any record not of the header's shape.

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
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from lib.ingest import records
from lib.ingest.formats import SourceFile
from lib.ingest.records import MalformedFile, UnreadableFile  # noqa: F401 (the reader's errors)
from lib.ingest.report import Problem
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


@dataclass(frozen=True)
class _Bytes:
    """What one pass over a file's bytes found."""

    sha256: str
    encoding: str  # 'utf-8' only when clean UTF-8 without a BOM
    lines: int
    cr_lines: bool  # lines end with a lone CR (old Mac Excel's "CSV (Macintosh)")
    head: bytes  # the first bytes, for what the file is
    nul: bool  # a NUL byte (outside UTF-16, where every other byte is one)
    bom_inside: bool  # a UTF-8 byte-order mark after the start


def _hash_and_check(path: Path) -> _Bytes:
    """sha256 of the bytes, the encoding, the line count and the marks of a damaged text."""
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding: str | None = None
    valid = True
    lines, last, cr = 0, b"\n", False
    head, nul, bom_inside = b"", False, False
    with open(path, "rb") as f:
        first = True
        while chunk := f.read(CHUNK):
            hasher.update(chunk)
            lines += chunk.count(b"\n")
            cr = cr or (not lines and b"\r" in chunk)
            last = chunk[-1:]
            nul = nul or b"\x00" in chunk
            bom_inside = bom_inside or chunk.find(codecs.BOM_UTF8, 1 if first else 0) >= 0
            if first:
                encoding = _bom_encoding(chunk)
                head = chunk[:8192]
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
    utf16 = encoding.startswith("utf-16")
    return _Bytes(
        hasher.hexdigest(),
        encoding,
        lines + (last != b"\n"),
        cr and not lines,
        head,
        nul and not utf16,
        bom_inside and not utf16,
    )


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


def json_objects(path: Path) -> list[dict]:
    """The records of a JSON file: an array, one object per line, or one object.

    An API response that wraps its records with paging fields (PagerDuty's
    `{"incidents": [...], "limit": 25, "more": false}`, Opsgenie's `{"data": [...]}`) is
    unwrapped: an object with exactly one value that is a list of objects gives that list.
    Every record must be an object: a document that is a number, text or an empty list,
    or a list with anything but objects in it, is refused (UnreadableFile, MalformedFile
    naming the record).
    """
    text = path.read_text(encoding="utf-8-sig")
    try:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            try:
                doc = [json.loads(line) for line in text.splitlines() if line.strip()]
            except json.JSONDecodeError as exc:
                raise UnreadableFile(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise UnreadableFile("is JSON nested deeper than any export (a crafted or damaged file?)") from exc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and v and all(isinstance(o, dict) for o in v)]
        doc = lists[0] if len(lists) == 1 else [doc]
    if not isinstance(doc, list):
        raise UnreadableFile(
            f"is JSON holding {_json_kind(doc)}, not records: a JSON export is a list of objects, "
            "or an object holding one"
        )
    if not doc:
        raise UnreadableFile("is an empty JSON list: it holds no records")
    for number, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            raise MalformedFile(
                Problem(
                    number,
                    None,
                    json.dumps(item)[:200],
                    f"is {_json_kind(item)}, not an object: every record of a JSON export is an object "
                    "of named fields (record numbers count from 1)",
                )
            )
    return doc


def _json_kind(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return f"the value {json.dumps(value)}"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


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
    found = _hash_and_check(original)
    kind = records.binary_kind(found.head, utf16=found.encoding.startswith("utf-16"))
    if kind:
        raise UnreadableFile(f"is not a text file: it is {kind}")
    if found.encoding == "cp1252":
        _refuse_mixed_encoding(original, name)
    clean = original
    if found.encoding != "utf-8" or found.cr_lines:
        clean = _write_copy(original, found.encoding, original.suffix or ".csv", False, found.cr_lines)
    try:
        source = _sniff(original, clean, name, found.sha256, found.lines)
    except BaseException:
        if clean != original:
            clean.unlink(missing_ok=True)
        raise
    try:
        _refuse_damaged_text(source, found)
    except BaseException:
        discard_copy(source, original)
        raise
    return source


def _refuse_mixed_encoding(original: Path, name: str) -> None:
    """A file that is not UTF-8 is read as cp1252 / latin-1, unless its other non-ASCII
    text is UTF-8: then it mixes two encodings, and either reading garbles some of it."""
    at = records.mixed_encoding(original)
    if at is None:
        return
    with open(original, encoding="utf-8", errors="surrogateescape", newline="") as f:
        sample = f.read(SAMPLE_CHARS)
        complete = f.read(1) == ""
    stripped = sample.lstrip("\ufeff \t\r\n")
    if not (name.lower().endswith((".json", ".ndjson", ".jsonl")) or stripped[:1] in ("[", "{")):
        delimiter = sniff_delimiter(sample, complete)
        header = next(csv.reader(io.StringIO(_complete_records(sample, complete)), delimiter=delimiter), [])
        problem = records.scan(SourceFile(original, name, "csv", delimiter, tuple(header)))
        if problem:
            raise MalformedFile(problem)
    line, byte = at
    raise UnreadableFile(
        f"mixes two encodings: line {line} holds byte 0x{byte:02X}, which is not UTF-8, while the rest of "
        "the file is UTF-8. Save it again as UTF-8"
    )


def _refuse_damaged_text(source: SourceFile, found: _Bytes) -> None:
    """NUL characters or a byte-order mark inside the text: refused naming the first cell."""
    nul, bom = found.nul, found.bom_inside
    if found.encoding.startswith("utf-16"):  # seen only once decoded
        data = source.path.read_bytes()
        nul, bom = b"\x00" in data, codecs.BOM_UTF8 in data
    if not (nul or bom):
        return
    if source.kind == "csv":
        problem = records.scan(source)
        if problem:
            raise MalformedFile(problem)
    if nul:
        raise UnreadableFile("holds NUL bytes, which no export writes: the file is damaged or not text")


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
    checked = _hash_and_check(original)
    not_a_workbook = _not_a_workbook(original, Path(name).suffix.lower(), checked.head)
    if not_a_workbook:
        raise UnreadableFile(f"cannot open the workbook: it is {not_a_workbook}")
    try:
        found = workbook.sheets(original, name, checked.sha256)
    except workbook.UnreadableWorkbook as exc:
        raise UnreadableFile(records.shown(str(exc), 200)) from exc
    if not found:
        raise UnreadableFile("no sheet of the workbook has a header row with data under it")
    return found


_WORKBOOK_PARTS = {
    ".xlsx": ("xl/workbook.xml",),
    ".xlsm": ("xl/workbook.xml",),
    ".xlsb": ("xl/workbook.bin",),
    ".ods": ("content.xml",),
}


def _not_a_workbook(path: Path, suffix: str, head: bytes) -> str | None:
    """What a file named as a workbook is instead, when it plainly is not one."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")) and suffix == ".xls":
        return (
            "an HTML or XML page, not a workbook (some tools save a web table as .xls): open it in Excel "
            "and save it as .xlsx, or export CSV"
        )
    if suffix == ".xls":
        return None  # an Excel 97-2003 file, or whatever calamine says it is not
    if not head.startswith(b"PK\x03\x04"):
        kind = records.binary_kind(head)
        if kind:
            return kind
        return "a text file, not a workbook (a CSV export? Give it its .csv name)"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged ZIP archive (a workbook is a ZIP archive; this one cannot be opened)"
    if not any(part in names for part in _WORKBOOK_PARTS.get(suffix, ())):
        inside = ", ".join(records.shown(n, 40) for n in names[:3]) + (", …" if len(names) > 3 else "")
        return f"a ZIP archive with no workbook inside (it holds {inside or 'nothing'})"
    return None


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
        clean = copy
        sample = sample[sep.end() :]
    try:
        delimiter = delimiter or sniff_delimiter(sample, complete)
        rows = _sample_records(sample, complete, delimiter)
        header = rows[0] if rows else []
        if not any(h.strip() for h in header):
            raise UnreadableFile("the file has no header row")
        if complete and not any(any(c.strip() for c in row) for row in rows[1:]):
            raise UnreadableFile("has a header row but no rows under it: nothing to import")
    except BaseException:
        if sep:  # read_source removes a copy made before this one
            clean.unlink(missing_ok=True)
        raise
    if clean == original:
        return CountedSource(clean, name, "csv", delimiter, tuple(header), digest, lines=lines)
    return SourceFile(clean, name, "csv", delimiter, tuple(header), digest)


def _sample_records(sample: str, complete: bool, delimiter: str) -> list[list[str]]:
    """The records of the sample (its first only, when a quote in it never closes)."""
    text = _complete_records(sample, complete)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return [next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])]


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
    """Stage strictly (lib/ingest/records.py); when DuckDB refuses a record, the cause is
    found and raised, or (a mix of CRLF and LF line ends) the file is read from a uniform copy."""
    try:
        return _stage_csv_strictly(con, source, picks)
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    copy = records.uniform_copy(source)  # MalformedFile names the row at fault
    try:
        uniform = SourceFile(
            copy, source.name, source.kind, source.delimiter, source.headers, source.sha256, source.sheet,
            source.row_offset,
        )  # fmt: skip
        return _stage_csv_strictly(con, uniform, picks)
    except duckdb.Error:
        raise records.unreadable(reason) from None
    finally:
        copy.unlink(missing_ok=True)


def _stage_csv_strictly(
    con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]
) -> str:
    table = stage_name()
    width = len(source.headers)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    select = ", ".join(f"c{i} as {ident(column)}" for i, column in picks) or "null as _empty"
    for parallel in (True, False):
        query = (
            f"create temp table {ident(table)} as select {select} from read_csv($path, delim = $delim, "
            f"{records.READ_OPTIONS}, parallel = {str(parallel).lower()}, columns = {columns})"
        )
        try:
            con.execute(query, {"path": str(source.path), "delim": source.delimiter})
            break
        except duckdb.Error as exc:
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
