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

JSON records are read by `lib.ingest.json_records`, files staged into temporary tables
(and identifiers quoted) by `lib.ingest.stage`; their public names are re-exported here.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lib.ingest import records
from lib.ingest.formats import SourceFile
from lib.ingest.json_records import json_headers, json_objects  # noqa: F401 (re-exported)
from lib.ingest.records import MalformedFile, UnreadableFile  # noqa: F401 (the reader's errors)
from lib.ingest.stage import (  # noqa: F401 (re-exported: the importer's staging helpers)
    CHUNK,
    STAGE_PREFIX,
    CountedSource,
    drop_staging,
    ident,
    register,
    stage_columns,
    stage_name,
)

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024
COPY_PREFIX = "pillars-src-"
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")


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
        return SourceFile(clean, name, "json", "", json_headers(clean), digest)

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
