"""Business metrics by month as finance keeps them → business_metrics.

Three layouts, recognised from the header row:
- **wide**: a month column (`Month`, `Period`, `Date`, `Month start`, …) and one column per
  metric (`Revenue`, `ARR`, `R&D Spend`, `Customers`, `NPS`, `Churn Rate`, …; any other
  header becomes a metric of its own name), one row per month, as a finance workbook's
  KPI sheet has it;
- **long**: month, metric and value columns (`Month, Metric, Value` or the canonical
  `period_start, metric, value`), optionally a `Unit` / `Currency` column;
- **months across** (a P&L export): a first column naming the metric and one column per
  month; columns headed by a quarter, a fiscal year or `Total` are subtotals and skipped.

Cells are read by `finance_reader.Reader` with `finance_values` (months through the one
date parser, amounts, metric names: docs/IMPORT.md, "Business metrics"); what was
interpreted is listed on the import's warnings with its rows. Units are stored per row:
the currency of money metrics (from the cell, the header `Revenue (EUR)` or a `Currency`
column; null when the file states none), `%` for rates stored as fractions 0–1, `score`
for NPS, `count` for customers and headcount. A rate written as a bare number above 1.5
(`2.1` under `Churn Rate`) is refused rather than guessed: write `2.1%`, `0.021`, or head
the column `Churn Rate (%)`; bare rates are fractions as spreadsheets store them, and a
monthly churn rate above 50% is refused as a percentage that lost its sign
(ChartMogul-style `0.8` meaning 0.8%). A month given twice for one metric is refused,
naming both rows. Every problem names its row and the file's own column header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats import finance_values as fv
from lib.ingest.formats._tool_exports import stage
from lib.ingest.formats.finance_reader import Reader
from lib.ingest.validate import Problem, ValidationError
from lib.tables import TABLES

MONTH_HEADERS = (
    "month",
    "period",
    "period_start",
    "date",
    "month_start",
    "month_end",
    "period_end",
    "reporting_month",
    "reporting_period",
    "fiscal_month",
    "as_of",
    "as_of_date",
    "month_year",
)
METRIC_HEADERS = ("metric", "kpi", "measure", "metric_name", "line_item", "account", "name", "series")
VALUE_HEADERS = ("value", "amount", "actual", "actuals", "total")
UNIT_HEADERS = ("unit", "units", "currency")
SKIPPED_HEADERS = ("notes", "note", "comment", "comments", "source", "entity", "company", "description")
TOTAL_WORDS = ("total", "ytd", "fy", "full_year", "sum")
LONG_SCORE = 0.97  # above a canonical template's 0.95: this reader knows finance's spellings
_OTHER_TABLES_REQUIRED = frozenset(
    c.name for t in TABLES.values() if t.name != "business_metrics" for c in t.columns if c.required
) - {"date", "location"}


@dataclass(frozen=True)
class Layout:
    kind: str  # "wide", "long" or "across"
    month: int | None = None  # header index of the month column (wide, long)
    metric: int | None = None  # long: metric column; across: the metric-name column
    value: int | None = None
    unit: int | None = None
    columns: tuple[int, ...] = ()  # wide: metric columns; across: month columns
    currency: int | None = None  # wide: a Currency column for the row's money


def _first(headers: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(headers) if h in names), None)


def _is_month(header: str) -> bool:
    """A header naming a month (`Jan 2025`, `2025-01`): month-only shapes, read without the
    date engine because every file's headers are scored."""
    try:
        return fv.month_text(header) is not None
    except fv.ValueProblem:
        return False


def _is_subtotal(header: str) -> bool:
    norm = normalize_header(header)
    if any(norm == w or norm.startswith(w + "_") for w in TOTAL_WORDS):
        return True
    try:
        fv.month_text(header)
    except fv.ValueProblem as exc:
        return "quarter" in str(exc)
    return False


def layout(source: SourceFile) -> Layout | None:
    """How the file holds its months and metrics, or None when it is not a finance file."""
    if source.kind != "csv":
        return None
    norm = source.normalized_headers
    month = _first(norm, MONTH_HEADERS)
    metric = _first(norm, METRIC_HEADERS)
    value = _first(norm, VALUE_HEADERS)
    if month is not None and metric is not None and value is not None:
        return Layout("long", month=month, metric=metric, value=value, unit=_first(norm, UNIT_HEADERS))
    if month is not None:
        currency = _first(norm, ("currency",))
        others = tuple(
            i for i, h in enumerate(norm) if i not in (month, currency) and h and h not in SKIPPED_HEADERS
        )
        if others and not set(norm) & _OTHER_TABLES_REQUIRED:
            return Layout("wide", month=month, columns=others, currency=currency)
        return None
    months = tuple(i for i, h in enumerate(source.headers) if i and _is_month(h))
    if len(months) >= 2 and (norm[0] in (*METRIC_HEADERS, "") or not _is_month(source.headers[0])):
        return Layout("across", metric=0, columns=months)
    return None


def _known(header: str) -> bool:
    return normalize_header(header) in fv.METRIC_ALIASES or fv.metric_header(header).metric in (
        *fv.MONEY_METRICS,
        *fv.RATE_METRICS,
        *fv.COUNT_METRICS,
        *fv.SCORE_METRICS,
    )


class FinanceMetrics:
    name = "finance"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        norm = set(source.normalized_headers)
        if norm & set(MONTH_HEADERS):
            return () if any(_known(h) for h in source.headers) else ("a metric column such as Revenue",)
        return ("Month",)

    def score(self, source: SourceFile) -> float:
        found = layout(source)
        if found is None:
            return 0.0
        if found.kind == "long":
            return LONG_SCORE
        headers = [source.headers[i] for i in found.columns]
        if found.kind == "across":
            return 0.8
        known = sum(_known(h) for h in headers)
        if not known:
            return 0.0
        return 0.6 + 0.36 * known / len(headers)

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        found = layout(source)
        if found is None:
            raise ValueError("no month column and no months across the header")
        records = list(fv.records(source))
        cells = [r[i] for _, r in records for i in self._value_columns(found, len(source.headers))]
        try:
            decimal = fv.decimal_mark(cells, source.delimiter)
        except fv.ValueProblem as exc:
            raise ValidationError(source.label, (Problem(None, None, None, f"the file {exc}"),), 1) from exc
        reader = Reader(source, options, decimal)
        heads = source.headers
        if found.kind == "across":
            month_cells = [(1 + source.row_offset, heads[i], heads[i]) for i in found.columns]
        else:
            month_cells = [(row, heads[found.month], record[found.month]) for row, record in records]
        reader.months = fv.read_months(month_cells, options.date_order, serial=source.workbook)
        if reader.months.refusal is not None:
            row, column, value, reason = reader.months.refusal
            raise ValidationError(source.label, (Problem(row, column, value, reason),), 1)
        self._note_days(reader, month_cells)
        for row, record in records:
            if found.kind == "wide":
                month = reader.month(row, heads[found.month], record[found.month])
                if month is None:
                    continue
                unit_text = record[found.currency] if found.currency is not None else ""
                for i in found.columns:
                    reader.add(row, heads[i], month, fv.metric_header(heads[i]), record[i], unit_text)
            elif found.kind == "long":
                month = reader.month(row, heads[found.month], record[found.month])
                name = record[found.metric].strip()
                if not name:
                    reader.problem(row, heads[found.metric], None, "is empty (every row names its metric)")
                    continue
                if month is None:
                    continue
                unit_text = record[found.unit] if found.unit is not None else ""
                reader.add(
                    row, heads[found.value], month, fv.metric_header(name), record[found.value], unit_text
                )
            else:
                name = record[found.metric].strip()
                if not name:
                    continue
                header = fv.metric_header(name)
                for i in found.columns:
                    reader.add(
                        row, heads[i], reader.months.months[" ".join(heads[i].split())], header, record[i]
                    )
        if found.kind == "across":
            unknown = self._unknown_across_columns(source, found)
            reader.problems.extend(unknown)
            reader.count += len(unknown)
            skipped = [h for i, h in enumerate(heads) if i and i not in found.columns and _is_subtotal(h)]
            if skipped:
                reader.note(
                    "finance_subtotals",
                    f"Subtotal columns {', '.join(skipped)} were not read",
                    1 + source.row_offset,
                )
        if reader.count:
            raise ValidationError(source.label, tuple(reader.problems), reader.count)
        if not reader.rows:
            raise ValidationError(source.label, (Problem(None, None, None, "holds no values"),), 1)
        if reader.currency:  # a money cell without a symbol is in the file's one currency
            for row in reader.rows:
                if not row["unit"] and row["metric"] in fv.MONEY_METRICS:
                    row["unit"] = reader.currency[0]
        bare = [int(r["_row"]) for r in reader.rows if not r["unit"] and r["metric"] in fv.MONEY_METRICS]
        if bare:
            reader.note_rows(
                "finance_no_currency", "Money metrics name no currency (the page shows them as USD)", bare
            )
        staged = stage(con, "business_metrics", reader.rows)
        return [Staged(staged.table, staged.relation, warnings=reader.warnings())]

    @staticmethod
    def _note_days(reader: Reader, cells: list[tuple[int, str, str]]) -> None:
        for row, _, text in cells:
            key = " ".join(text.strip().split())
            month = reader.months.months.get(key)
            if (
                month is not None
                and fv.month_text(key) is None
                and not key.isdigit()
                and not _first_of_month(key, month)
            ):
                reader.note(
                    "finance_month_from_day", "Dates with a day were read as their month (31 Jan → Jan)", row
                )

    @staticmethod
    def _value_columns(found: Layout, width: int) -> tuple[int, ...]:
        if found.kind == "long":
            return (found.value,)
        return found.columns

    @staticmethod
    def _unknown_across_columns(source: SourceFile, found: Layout) -> list[Problem]:
        taken = {0, *found.columns}
        return [
            Problem(1 + source.row_offset, h, h, "is neither a month nor a subtotal (quarter, year, total)")
            for i, h in enumerate(source.headers)
            if i not in taken and h.strip() and not _is_subtotal(h)
        ]


FORMATS = [FinanceMetrics()]


def _first_of_month(text: str, month: dt.date) -> bool:
    """Whether a full date names the 1st (`2025-01-01`, `2025-01-01 00:00:00`, an Excel serial of the 1st)."""
    return text.startswith(month.isoformat()) or text.startswith(f"{month:%Y/%m/%d}")
