"""How the finance format (finance.py) reads each cell: its value, scale and unit, into a
(month, metric, value, unit) row, or a problem naming its row and the file's own column.

Not a format: `FORMATS` is empty so discovery skips it. Amounts are read by
`finance_values`; the unit of each row is the currency of a money metric (from the cell,
the header or a `Currency` column, one per file), `%` for rates stored as fractions 0–1,
`score` for NPS, `count` for counts. A bare rate above RATE_LIMIT, a monthly churn rate
outside 0 to MAX_MONTHLY_CHURN, an NPS off −100 to 100, a negative count, a second
currency, a k/M suffix under a header that gives a scale and a month given twice for one
metric are refused; what was interpreted (a dash read as 0, a header's scale, …) is noted
for the import's warnings with its rows.
"""

from __future__ import annotations

import datetime as dt

from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.formats import finance_values as fv
from lib.ingest.report import ImportWarning, warn
from lib.ingest.validate import MAX_PROBLEMS, Problem

FORMATS: list = []

RATE_LIMIT = 1.5  # a bare rate above this is a percentage written without its sign
_SCALE_WORDS = {1e3: "thousands", 1e6: "millions", 1e9: "billions"}
MAX_MONTHLY_CHURN = 0.5  # a bare 0.8 meant as 0.8% would read as 80% churn a month: refused


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
