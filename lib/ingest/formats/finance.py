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

Cells are read by `finance_values` (months through the one date parser, amounts, metric
names: docs/IMPORT.md, "Business metrics"); what was interpreted is listed on the import's
warnings with its rows. Units are stored per row: the currency of money metrics (from the
cell, the header `Revenue (EUR)` or a `Currency` column; null when the file states none),
`%` for rates stored as fractions 0–1, `score` for NPS, `count` for customers and
headcount. A rate written as a bare number above 1.5 (`2.1` under `Churn Rate`) is
refused rather than guessed: write `2.1%`, `0.021`, or head the column `Churn Rate (%)`;
bare rates are fractions as spreadsheets store them, and a monthly churn rate above 50%
is refused as a percentage that lost its sign (ChartMogul-style `0.8` meaning 0.8%).
A month given twice for one metric is refused, naming both rows. Every problem names its
row and the file's own column header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats import finance_values as fv
from lib.ingest.formats._tool_exports import stage
from lib.ingest.report import ImportWarning, warn
from lib.ingest.validate import MAX_PROBLEMS, Problem, ValidationError
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
RATE_LIMIT = 1.5  # a bare rate above this is a percentage written without its sign
_SCALE_WORDS = {1e3: "thousands", 1e6: "millions", 1e9: "billions"}
MAX_MONTHLY_CHURN = 0.5  # a bare 0.8 meant as 0.8% would read as 80% churn a month: refused
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


class Reader:
    """Turns cells into (month, metric, value, unit) rows and collects problems."""

    def __init__(self, source: SourceFile, options: ImportOptions, decimal: str):
        self.source = source
        self.date_order = getattr(options, "date_order", None)
        self.decimal = decimal
        self.problems: list[Problem] = []
        self.count = 0
        self.rows: list[dict[str, str]] = []
        self.seen: dict[tuple[dt.date, str], int] = {}
        self.currency: tuple[str, int, str] | None = None  # (code, row, header) of the first money cell
        self.months = fv.Months({}, {})
        self.notes: dict[tuple[str, str], list[int]] = {}

    def problem(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, value, reason))

    def month(self, row: int, column: str, text: str) -> dt.date | None:
        key = " ".join(text.strip().split())
        if not key:
            self.problem(row, column, None, "is empty (every row names its month)")
            return None
        if key in self.months.problems:
            self.problem(row, column, key, self.months.problems[key])
            return None
        return self.months.months[key]

    def note(self, code: str, message: str, row: int) -> None:
        """Something the reader interpreted, listed on the import's warnings with its rows."""
        self.notes.setdefault((code, message), []).append(row)

    def note_rows(self, code: str, message: str, rows: list[int]) -> None:
        self.notes.setdefault((code, message), []).extend(rows)

    def warnings(self) -> tuple[ImportWarning, ...]:
        found = [self.months.warning] if self.months.warning else []
        found += [warn(code, message, rows) for (code, message), rows in self.notes.items()]
        return tuple(found)

    def add(
        self,
        row: int,
        column: str,
        month: dt.date,
        header: fv.MetricHeader,
        text: str,
        unit_text: str = "",
    ) -> None:
        try:
            amount = fv.parse_amount(text, self.decimal)
        except fv.ValueProblem as exc:
            self.problem(row, column, text.strip(), str(exc))
            return
        if amount is None:
            if text.strip():
                self.note(
                    "finance_no_value", f"Cells written as {text.strip()!r} were read as no value, not 0", row
                )
            return
        value = amount.value
        if amount.value == 0 and text.strip().strip("$€£¥₹ ").strip() in ("-", "−"):
            self.note(
                "finance_dash_zero", "Cells written as a dash (Excel's accounting zero) were read as 0", row
            )
        if header.scale != 1.0:
            if amount.scaled:
                self.problem(
                    row,
                    column,
                    text.strip(),
                    "carries its own k/M suffix in a column whose header gives a scale",
                )
                return
            value *= header.scale
            self.note(
                "finance_header_scale",
                f"Column {column!r} was read in {_SCALE_WORDS[header.scale]}, as its header says",
                row,
            )
        unit_word = unit_text.strip()
        unit_currency = fv.parse_amount("0 " + unit_word).currency if unit_word and unit_word != "%" else None
        percent = amount.percent or header.percent or unit_word.lower() in ("%", "percent", "pct")
        if percent and not amount.percent:
            value /= 100
        metric = header.metric
        currency = amount.currency or header.currency or unit_currency
        unit = self._unit(row, column, text, metric, value, percent, currency, unit_word)
        if unit is False:
            return
        key = (month, metric)
        if key in self.seen:
            self.problem(
                row,
                column,
                text.strip(),
                f"repeats {metric} for {month:%b %Y} (already in row {self.seen[key]})",
            )
            return
        self.seen[key] = row
        self.rows.append(
            {
                "_row": str(row),
                "period_start": month.isoformat(),
                "metric": metric,
                "value": repr(value),
                "unit": unit,
            }
        )

    def _unit(self, row, column, text, metric, value, percent, currency, unit_word):  # noqa: PLR0911
        """The row's unit, or False after recording a problem."""
        if metric in fv.RATE_METRICS or percent:
            if not percent and abs(value) > RATE_LIMIT:
                self.problem(
                    row,
                    column,
                    text.strip(),
                    f"is a rate without a % sign: write {value:g}% or {value / 100:g}, "
                    f"or head the column '{column} (%)'",
                )
                return False
            if metric == "churn_rate" and not 0 <= value <= MAX_MONTHLY_CHURN:
                self.problem(
                    row,
                    column,
                    text.strip(),
                    "is not a plausible monthly churn rate (0 to 50%); a percentage written without "
                    "its sign needs the % (2.1%) or a column headed with %",
                )
                return False
            return "%"
        if metric in fv.SCORE_METRICS:
            if not -100 <= value <= 100:
                self.problem(row, column, text.strip(), "is not an NPS score (−100 to 100)")
                return False
            return "score"
        if metric in fv.COUNT_METRICS:
            if value < 0:
                self.problem(row, column, text.strip(), "is a negative count")
                return False
            return "count"
        if currency:
            if self.currency is None:
                self.currency = (currency, row, column)
            elif self.currency[0] != currency:
                first, at, header = self.currency
                self.problem(
                    row,
                    column,
                    text.strip(),
                    f"is in {currency} while row {at}, column {header} is in {first}",
                )
                return False
            return currency
        if metric in fv.MONEY_METRICS:
            return ""
        return unit_word.lower() if unit_word else ""


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
