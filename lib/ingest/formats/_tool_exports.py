"""What the tool-export formats (Jira, Linear, GitHub, PagerDuty, Opsgenie) share.

It reads a CSV export cell by
cell (repeated headers such as `Labels,Labels` are kept, quoted newlines stay inside
their cell), finds columns by any of their spellings, turns the dates those tools write
into UTC through the one parser (`utc_columns`, lib.ingest.dates), and hands the rows to
the loader as a relation of strings with a `_row` column. Issue types and labels become
flow types in `_flow_types.py`.

The mapping rules and their defaults are documented in docs/FORMATS_DELIVERY.md.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from lib.ingest import dates
from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.report import ImportWarning, warn
from lib.tables import TABLES

# ---------------------------------------------------------------------------- cells


def read_records(source: SourceFile) -> tuple[list[str], list[list[str]]]:
    """Header cells and data records of a CSV file; records are padded to the header width."""
    with open(source.path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter or ",")
        header = next(reader, [])
        width = len(header)
        records = [row + [""] * (width - len(row)) for row in reader if any(c.strip() for c in row)]
    return header, records


def read_rows(source: SourceFile, limit: int | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header cells and (row number, cells) of each non-blank record, CSV or JSON; with
    `limit`, only the first `limit` records are read (a format's score reads a sample).

    CSV rows are numbered as a spreadsheet shows them (the header is row 1, a blank line
    counts, a workbook sheet's rows above its header are added). JSON: the n-th object
    is row n; nested objects are flattened to dotted keys as pandas' `json_normalize`
    writes them (`service.summary`), and lists are kept as JSON text.
    """
    if source.kind == "json":
        from lib.ingest.read import json_objects

        flat = [_flatten(o) for o in json_objects(source.path) if isinstance(o, dict)]
        headers = list(dict.fromkeys(k for record in flat for k in record))
        return headers, [(n, [record.get(h, "") for h in headers]) for n, record in enumerate(flat, start=1)]
    with open(source.path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter or ",")
        header = next(reader, [])
        width = len(header)
        records = enumerate(reader, start=2)
        rows = [
            (n + source.row_offset, row + [""] * (width - len(row)))
            for n, row in (records if limit is None else itertools.islice(records, limit))
            if any(c.strip() for c in row)
        ]
    return header, rows


def _flatten(record: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flatten(value, f"{name}."))
        elif isinstance(value, list | dict):
            out[name] = json.dumps(value)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = "" if value is None else str(value)
    return out


def structure(cell: str) -> object | None:
    """A list or object written into a cell as JSON or as Python's repr (pandas writes
    `[{'id': '…'}]`), read safely (no code runs); None for anything else."""
    text = (cell or "").strip()
    if not text or text[0] not in "[{":
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, list | dict) else None


class Columns:
    """Positions of each column by its normalised name; a repeated header has several."""

    def __init__(self, headers: Sequence[str]):
        self.positions: dict[str, list[int]] = {}
        for i, header in enumerate(headers):
            self.positions.setdefault(normalize_header(header), []).append(i)

    def has(self, *names: str) -> bool:
        return any(normalize_header(n) in self.positions for n in names)

    def name(self, *names: str) -> str | None:
        """The first of `names` the file has (normalised), or None."""
        return next((normalize_header(n) for n in names if normalize_header(n) in self.positions), None)

    def all(self, record: Sequence[str], *names: str) -> list[str]:
        """Every non-empty value of every named column, repeated columns included, in order."""
        out = []
        for n in names:
            for i in self.positions.get(normalize_header(n), ()):
                value = record[i].strip() if i < len(record) else ""
                if value:
                    out.append(value)
        return out

    def first(self, record: Sequence[str], *names: str) -> str:
        """The first non-empty value among the named columns, else ""."""
        values = self.all(record, *names)
        return values[0] if values else ""


def header_score(source: SourceFile, must: Iterable[str], telling: Iterable[str]) -> float:
    """0 unless every `must` header is there; then 0.6 plus up to 0.4 for the `telling` ones."""
    have = set(source.normalized_headers)
    must = [normalize_header(m) for m in must]
    if not all(m in have for m in must):
        return 0.0
    telling = [normalize_header(t) for t in telling]
    found = sum(1 for t in telling if t in have)
    return 0.6 + 0.4 * found / max(len(telling), 1)


def missing_headers(source: SourceFile, must: Iterable[str]) -> tuple[str, ...]:
    """The `must` headers the file lacks, for the detector's "closest format" message."""
    have = set(source.normalized_headers)
    return tuple(m for m in must if normalize_header(m) not in have)


def _key(text: str) -> str:
    """'Tech debt', 'tech-debt', 'TECH_DEBT' → 'techdebt': spellings of one rule agree."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


# ---------------------------------------------------------------------------- time
# Dates are read by the one parser, lib.ingest.dates; these names stay for the formats
# that read a value at a time.


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


def parse_instant(
    text: str, tz: ZoneInfo, epoch: bool = False, order: str | None = None
) -> dt.datetime | None:
    """An aware datetime for a timestamp as the tools write it, or None when it is not one
    (`lib.ingest.dates.parse_instant`; a time without an offset is read in `tz`)."""
    if not (text or "").strip():
        return None
    return dates.parse_instant(text, tz.key, order, epoch=epoch)


utc_text = dates.utc_text


def to_utc(text: str, tz: ZoneInfo, epoch: bool = False) -> str:
    """A timestamp cell as UTC ISO text; an unreadable cell is passed on unchanged so the
    loader's validation names its row, column and value."""
    stamp = parse_instant(text, tz, epoch=epoch)
    return utc_text(stamp) if stamp else (text or "").strip()


def utc_columns(
    rows: list[dict[str, str]],
    columns: Sequence[str],
    options: ImportOptions,
    hints: DateHints | None = None,
    source: SourceFile | None = None,
    zone_note: str = "",
) -> list[ImportWarning]:
    """Rewrite the date `columns` of `rows` (text as the file writes it) as UTC ISO text, in place.

    One call per file: the numeric date order is decided once over every date cell
    (`dates.decide_order`: the user's, else the tool's `hints.order`, else the values').
    A cell the parser cannot read is left as written, so validation names its row,
    column and value (or refuses the file for an unknown date order). Returns the
    date-order warning, if the order came from the tool or the values.
    """
    hints = hints or DateHints()
    if source is not None and source.workbook:  # numbers in a workbook's date cells are serial days
        hints = dataclasses.replace(hints, serial=True)
    cells = [(r, c) for r in rows for c in columns if (r.get(c) or "").strip()]
    if not cells:
        return []
    found = dates.values_evidence((int(r["_row"]), c, r[c].strip()) for r, c in cells)
    decision = dates.decide_order(found, options.date_order, hints)
    stamps = dates.parse_instants(
        (r[c] for r, c in cells), options.default_tz, decision.order, epoch=hints.epoch, serial=hints.serial
    )
    # A time read the same in the farthest zone has a zone of its own; the others were read
    # in the file's time zone, which the import says.
    elsewhere = dates.parse_instants(
        (r[c] for r, c in cells), _FAR_ZONE, decision.order, epoch=hints.epoch, serial=hints.serial
    )
    naive = [int(r["_row"]) for (r, _), a, b in zip(cells, stamps, elsewhere, strict=True) if a and a != b]
    for (row, column), stamp in zip(cells, stamps, strict=True):
        if stamp is not None:
            row[column] = utc_text(stamp)
    warnings = [decision.warning] if decision.warning else []
    if naive:
        why = f" ({zone_note})" if zone_note else ""
        message = f"Times without a time zone{why} were read in {options.default_tz}, the time zone set for this file"
        warnings.append(warn("time_zone_assumed", message, naive))
    return warnings


_FAR_ZONE = "Pacific/Kiritimati"  # UTC+14: no file's zone reads a local time the same


def whole_number(text: str) -> int | None:
    """`1800`, `1800.0` (pandas writes a column with a gap as floats) → 1800; else None."""
    text = (text or "").strip()
    return int(float(text)) if re.fullmatch(r"\d+(\.0*)?", text) else None


def instant(utc: str) -> dt.datetime | None:
    """The aware datetime of text `utc_columns` wrote (`…Z`), else None."""
    return dates.parse_instant(utc) if utc and utc.endswith("Z") else None


# ---------------------------------------------------------------------------- status


_WAITING_WORDS = (
    "backlog",
    "todo",
    "to do",
    "triage",
    "wait",
    "blocked",
    "hold",
    "ready for",
    "queue",
    "pending",
    "paused",
    "parked",
    "selected for",
)
_CLOSED_WORDS = ("done", "closed", "complete", "released", "shipped", "resolved", "canceled", "cancelled")


def status_active(status: str) -> bool | None:
    """True for a status that is work (In Progress, In Review, QA), False for waiting
    (Backlog, Todo, Blocked, Ready for QA), None for a closed status."""
    name = status.strip().lower()
    if any(w in name for w in _CLOSED_WORDS) or name in ("duplicate", "won't do", "wont do"):
        return None
    return not any(w in name for w in _WAITING_WORDS)


# ---------------------------------------------------------------------------- staging


def stage(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[dict[str, str]],
    warnings: Iterable[ImportWarning] = (),
) -> Staged:
    """Rows (canonical column → text, plus `_row`) as a relation of strings for the loader.

    Empty strings become nulls; the columns are every canonical column any row filled,
    so a column the file cannot supply is left to the table's default (null).
    """
    spec = TABLES[table].column_names
    used = [c for c in spec if any(r.get(c) for r in rows)] or [TABLES[table].key[0]]
    frame = pd.DataFrame(
        {
            **{c: pd.Series([r.get(c) or None for r in rows], dtype="string") for c in used},
            "_row": pd.Series([int(r["_row"]) for r in rows], dtype="int64"),
        }
    )
    return Staged(table, con.from_df(frame), warnings=tuple(warnings))


# ---------------------------------------------------------------------------- incidents

_SEVERITY = re.compile(r"^(?:p|sev|s|severity|priority)?[\s\-_]*([0-5])$", re.IGNORECASE)
_SEVERITY_WORDS = {"critical": "SEV1", "major": "SEV2", "moderate": "SEV3", "minor": "SEV4", "info": "SEV5"}


def severity(priority: str, urgency: str = "") -> str:
    """`P1`, `SEV-1`, `Sev 1`, `1`, `critical` → `SEV1`; without a priority, the
    urgency as written (`high`, `low`); otherwise the text unchanged."""
    text = (priority or "").strip()
    m = _SEVERITY.match(text)
    if m:
        return f"SEV{int(m.group(1))}"
    if text.lower() in _SEVERITY_WORDS:
        return _SEVERITY_WORDS[text.lower()]
    return text or (urgency or "").strip().lower()


def service_teams(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """service → team as the deployments already loaded say, for incident files without a team."""
    try:
        rows = con.execute(
            "select service, mode(team) from deployments "
            "where service is not null and team is not null group by service"
        ).fetchall()
    except duckdb.Error:
        return {}
    return {service.lower(): team for service, team in rows}
