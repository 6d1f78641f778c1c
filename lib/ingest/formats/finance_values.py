"""Months, amounts and metric names as finance teams write them (the one place that reads them).

Not a format: `FORMATS` is empty so discovery skips it. `finance.py` and
`initiatives.py` use it; the rules are documented in docs/IMPORT.md ("Business metrics").

Months (`read_months`, `parse_month`): month-only shapes are read here: `2025-01`, `2025/1`,
`Jan 2025`, `January 2025`, `Jan-25`, `2025 Jan`, `01/2025` (English, German and French
month names). Anything else is a full date, read by the one date parser
(`lib.ingest.dates`): ISO `2025-01-01` / `2025-01-31` with or without a time, `July 14,
2025`, numeric dates in the file's date order (the user's, else the only order that
reads every value, with a warning; an ambiguous file is refused saying how to set it),
and Excel serial days inside workbooks; any day names its month, as finance dates a
month by its first or last day. Quarters and fiscal years are refused: business metrics
are monthly. Months outside SPEC §4's plausible range are refused.

Amounts (`parse_amount`): currency symbols and codes (`$`, `€`, `£`, `USD 1,200`,
`1.200 EUR`), thousands separators (`,` `'` spaces, or `.` where the comma is the
decimal mark), `(1,234)` and `-1,234` / `−1,234` negatives, `%` (a fraction 0–1 is
stored), `k` / `M` / `MM` / `mn` / `bn` / `B` suffixes, and Excel's accounting dash `-` for
zero. The decimal mark is the file's: `.` unless the file is `;`-delimited (continental
Excel) or one of its cells can only be read with a decimal comma (`1.234,5`, `0,25`).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lib.ingest import dates
from lib.ingest.formats import SourceFile, normalize_header
from lib.ingest.report import ImportWarning

FORMATS: list = []

_MONTH_NAMES = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january", "janv", "jän", "januar", "enero"),
            ("feb", "february", "febr", "fev", "fév", "februar"),
            ("mar", "march", "mär", "märz", "mars"),
            ("apr", "april", "avr"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juil", "juli"),
            ("aug", "august", "aout", "août"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember", "déc"),
        ),
        start=1,
    )
    for name in names
}
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")  # 2025-01, 2025/1
_MONTH_YEAR_NUM = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")  # 01/2025
_NAMED = re.compile(r"^([^\W\d_]+)\.?[\s\-/,']*(\d{2}|\d{4})$")  # Jan 2025, Jan-25, January, 2025
_NAMED_YEAR_FIRST = re.compile(r"^(\d{4})[\s\-/,]*([^\W\d_]+)\.?$")  # 2025 Jan
_QUARTER = re.compile(r"^(q[1-4]|[1-4]q|fy\s*\d{2,4}|h[12])\b|\b(q[1-4]|h[12])$", re.IGNORECASE)
NOT_A_MONTH = "is not a month (write 2025-01, Jan 2025 or 2025-01-01)"


class ValueProblem(ValueError):
    """A cell that cannot be read; the message completes "'<value>' …"."""


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def month_text(text: str) -> str | None:
    """A month-only cell (`Jan 2025`, `2025-01`) as the ISO date of its first day
    (`2025-01-01`), for the date parser to read; None when it is no such cell (it may be a
    full date); ValueProblem for a quarter or a month number over 12."""
    cell = " ".join(text.strip().split())
    lowered = cell.lower()
    if _QUARTER.search(lowered):
        raise ValueProblem("is a quarter or fiscal year, not a month (business metrics are monthly)")
    year = month = None
    if m := _YEAR_MONTH.match(cell):
        year, month = int(m.group(1)), int(m.group(2))
    elif m := _MONTH_YEAR_NUM.match(cell):
        year, month = int(m.group(2)), int(m.group(1))
    elif (m := _NAMED.match(lowered)) and m.group(1) in _MONTH_NAMES:
        year, month = _year(m.group(2)), _MONTH_NAMES[m.group(1)]
    elif (m := _NAMED_YEAR_FIRST.match(lowered)) and m.group(2) in _MONTH_NAMES:
        year, month = int(m.group(1)), _MONTH_NAMES[m.group(2)]
    if year is None:
        return None
    if not 1 <= month <= 12:
        raise ValueProblem(f"has no month {month}")
    return f"{year:04d}-{month:02d}-01"


@dataclass(frozen=True)
class Months:
    """How the month cells of a file read: `months` text → first day of its month,
    `problems` text → why it names no month, and the date-order warning or refusal."""

    months: dict[str, dt.date]
    problems: dict[str, str]
    warning: ImportWarning | None = None
    refusal: tuple[int, str, str, str] | None = None  # (row, column, value, reason)


def read_months(
    cells: Iterable[tuple[int, str, str]],
    date_order: str | None = None,
    *,
    serial: bool = False,
    today: dt.date | None = None,
) -> Months:
    """Read the month cells (row, column, text) of one file in one pass.

    Month-only shapes here; full dates through `lib.ingest.dates` (its date-order decision
    over every numeric date of the file, and Excel serial days only when `serial`, i.e.
    inside a workbook). A month outside `dates.plausible_range(today)` is a problem.
    """
    cells = [(row, column, " ".join(text.strip().split())) for row, column, text in cells]
    low, high = dates.plausible_range(today)
    iso: dict[str, str] = {}
    problems: dict[str, str] = {}
    full: list[tuple[int, str, str]] = []
    for row, column, text in cells:
        if text in iso or text in problems or not text:
            continue
        try:
            month = month_text(text)
        except ValueProblem as exc:
            problems[text] = str(exc)
            continue
        if month is None:
            full.append((row, column, text))
        else:
            iso[text] = month
    decision = dates.decide_order(dates.values_evidence(full), date_order)
    if decision.refusal is not None:
        cell, reason = decision.refusal
        return Months({}, problems, refusal=(cell.row, cell.column, cell.value, reason))
    distinct = list(dict.fromkeys(text for _, _, text in full))
    months: dict[str, dt.date] = {}
    for text, day in zip(iso, dates.parse_dates(list(iso.values())), strict=True):
        months[text] = day
    for text, day in zip(
        distinct, dates.parse_dates(distinct, "UTC", decision.order, serial=serial), strict=True
    ):
        if day is None:
            problems[text] = NOT_A_MONTH
        else:
            months[text] = day.replace(day=1)
    for text, month in list(months.items()):
        if not low.replace(day=1) <= month <= high:
            del months[text]
            problems[text] = f"is outside the plausible range ({low:%b %Y} to {high:%b %Y})"
    return Months(months, problems, decision.warning)


def parse_month(
    text: str, date_order: str | None = None, today: dt.date | None = None, *, serial: bool = False
) -> dt.date:
    """The first day of the month one cell names; ValueProblem saying why when it names none."""
    if not text.strip():
        raise ValueProblem("is empty")
    read = read_months([(2, "month", text)], date_order, serial=serial, today=today)
    if read.refusal is not None:
        raise ValueProblem(read.refusal[3])
    key = " ".join(text.strip().split())
    if key in read.problems:
        raise ValueProblem(read.problems[key])
    return read.months[key]


# ---------------------------------------------------------------------------- amounts

CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "A$": "AUD"}
CURRENCY_CODES = ("USD", "EUR", "GBP", "CHF", "JPY", "INR", "AUD", "CAD", "SEK", "NOK", "DKK", "PLN", "SGD")
_SCALE = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "bn": 1e9, "b": 1e9}
_CODE = re.compile(r"\b(" + "|".join(CURRENCY_CODES) + r")\b", re.IGNORECASE)
_SYMBOL = re.compile(r"US\$|A\$|[$€£¥₹]")
_SUFFIX = re.compile(r"(?<=[\d.,\s])(k|mm|mn|mio|bn|m|b)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SCIENTIFIC = re.compile(r"^[-+]?\d+(\.\d+)?[eE][-+]?\d+$")
_ERRORS = ("#n/a", "#div/0!", "#ref!", "#value!", "#name?", "#num!", "#null!")
EMPTY_WORDS = ("n/a", "na", "none", "null", "nan", "—", "–")
_DECIMAL_COMMA_ONLY = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$|^\d+,(\d{1,2}|\d{4,})$|^0,\d+$")
_DECIMAL_POINT_ONLY = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$|^\d+\.(\d{1,2}|\d{4,})$|^0\.\d+$")


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str | None = None  # ISO code when the cell carries a symbol or code
    percent: bool = False  # the cell was written with %; value is already ÷ 100
    scaled: bool = False  # the cell carried its own k / M / bn suffix


def _core(text: str) -> str:
    """The digits and separators of a cell, without sign, currency, %, scale or spaces."""
    core = _SYMBOL.sub("", _CODE.sub("", text))
    core = core.replace("%", "").replace("(", "").replace(")", "").replace("−", "").replace("-", "")
    core = _SUFFIX.sub("", _SPACES.sub("", core).strip())
    return core


def decimal_mark(cells: Iterable[str], delimiter: str) -> str:
    """ "," or "." for the file: from cells only one reading fits, else from the delimiter.

    Raises ValueProblem when cells disagree (one needs a decimal comma, another a point).
    """
    comma = point = None
    for cell in cells:
        core = _core(cell)
        if comma is None and _DECIMAL_COMMA_ONLY.match(core):
            comma = cell
        if point is None and _DECIMAL_POINT_ONLY.match(core):
            point = cell
    if comma and point:
        raise ValueProblem(f"mixes decimal commas ({comma!r}) and decimal points ({point!r})")
    if comma:
        return ","
    if point:
        return "."
    return "," if delimiter == ";" else "."


def _number(core: str, decimal: str) -> float:
    thousands = "." if decimal == "," else ","
    if core.count(decimal) > 1:
        raise ValueProblem("is not a number")
    whole, _, fraction = core.partition(decimal)
    groups = whole.replace("'", thousands).split(thousands)
    if len(groups) > 1 and (
        not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]) or groups[0] == "0"
    ):
        raise ValueProblem("has misplaced thousands separators")
    digits = "".join(groups)
    if not digits.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueProblem("is not a number")
    return float(f"{digits}.{fraction}" if fraction else digits)


def parse_amount(text: str, decimal: str = ".") -> Amount | None:
    """The value of a finance cell, or None for an empty one (blank, n/a, —).

    Raises ValueProblem (spreadsheet errors such as #DIV/0!, text, two currencies).
    """
    cell = _SPACES.sub(" ", text).strip()
    if not cell or cell.lower() in EMPTY_WORDS:
        return None
    if cell.lower() in _ERRORS:
        raise ValueProblem("is a spreadsheet error, not a value: fix the formula in the source")
    if _SCIENTIFIC.match(cell):  # Excel's General format writes big numbers as 1.23E+06
        return Amount(float(cell))
    currencies = {CURRENCY_SYMBOLS[s] for s in _SYMBOL.findall(cell)} | {
        c.upper() for c in _CODE.findall(cell)
    }
    if len(currencies) > 1:
        raise ValueProblem(f"names two currencies ({', '.join(sorted(currencies))})")
    currency = currencies.pop() if currencies else None
    percent = "%" in cell
    inner = _SPACES.sub("", _SYMBOL.sub("", _CODE.sub("", cell))).replace("%", "")
    negative = (inner.startswith("(") and inner.endswith(")")) or inner.lstrip("(").startswith(("-", "−"))
    bare = inner.strip("()")
    if bare in ("-", "−", ""):  # Excel's accounting format writes zero as a dash
        if bare == "":
            raise ValueProblem("is not a number")
        return Amount(0.0, currency, percent)
    suffix = _SUFFIX.search(bare)
    scale = _SCALE[suffix.group(1).lower()] if suffix else 1.0
    core = _core(cell)
    if not core:
        raise ValueProblem("is not a number")
    value = _number(core, decimal) * scale
    if percent:
        value /= 100
    return Amount(-value if negative else value, currency, percent, scaled=bool(suffix))


# ---------------------------------------------------------------------------- metric names

# normalised header → canonical metric name (SPEC §3 names first, then common extras)
METRIC_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("revenue", "revenues", "total_revenue", "net_revenue", "recognized_revenue", "recognised_revenue")
        + ("gaap_revenue", "sales", "net_sales", "turnover"),
        "revenue",
    ),
    **dict.fromkeys(
        ("arr", "annual_recurring_revenue", "ending_arr", "arr_end_of_month", "total_arr"), "arr"
    ),
    **dict.fromkeys(("mrr", "monthly_recurring_revenue"), "mrr"),
    **dict.fromkeys(
        ("rnd_spend", "rnd", "r_d", "r_d_spend", "r_and_d", "r_and_d_spend", "r_d_expense", "r_d_expenses")
        + ("research_and_development", "research_development", "r_d_costs", "r_d_cost", "rd_spend")
        + ("engineering_spend", "product_and_engineering_spend"),
        "rnd_spend",
    ),
    **dict.fromkeys(
        ("customers", "customer_count", "number_of_customers", "no_of_customers", "paying_customers")
        + ("total_customers", "logos", "accounts", "active_customers"),
        "customers",
    ),
    **dict.fromkeys(("nps", "net_promoter_score", "customer_nps"), "nps"),
    **dict.fromkeys(
        (
            "churn_rate",
            "churn",
            "logo_churn",
            "customer_churn",
            "monthly_churn",
            "churn_pct",
            "logo_churn_rate",
        )
        + ("customer_churn_rate", "monthly_churn_rate"),
        "churn_rate",
    ),
    **dict.fromkeys(
        ("company_headcount", "headcount", "employees", "fte", "ftes", "total_headcount", "total_employees")
        + ("total_fte", "employee_count"),
        "company_headcount",
    ),
    **dict.fromkeys(("gross_margin", "gross_margin_pct", "gm"), "gross_margin"),
    **dict.fromkeys(("nrr", "net_revenue_retention", "ndr", "net_dollar_retention"), "net_revenue_retention"),
}
MONEY_METRICS = ("revenue", "arr", "mrr", "rnd_spend")
RATE_METRICS = ("churn_rate", "gross_margin", "net_revenue_retention")
COUNT_METRICS = ("customers", "company_headcount")
SCORE_METRICS = ("nps",)
_UNIT_IN_HEADER = re.compile(r"[\(\[,]\s*([^)\]]*)\s*[\)\]]?\s*$")
_PERCENT_WORDS = ("pct", "percent", "percentage", "in_pct")


_HEADER_SCALE = {
    **dict.fromkeys(("k", "000", "000s", "thousand", "thousands", "ks"), 1e3),
    **dict.fromkeys(("m", "mm", "mn", "mio", "million", "millions", "ms"), 1e6),
    **dict.fromkeys(("bn", "billion", "billions"), 1e9),
}


@dataclass(frozen=True)
class MetricHeader:
    metric: str  # canonical name
    percent: bool = False  # the header marks its numbers as percentages (Churn %, Churn (%))
    currency: str | None = None  # the header names a currency (Revenue (EUR), ARR $)
    scale: float = 1.0  # the header gives the numbers' scale (ARR ($M), Revenue in thousands)


def metric_header(header: str) -> MetricHeader:
    """`R&D Spend ($k)` → rnd_spend in USD thousands; `Churn Rate (%)` → churn_rate, percentages."""
    text = header.strip()
    currency = None
    symbols = {CURRENCY_SYMBOLS[s] for s in _SYMBOL.findall(text)} | {c.upper() for c in _CODE.findall(text)}
    if len(symbols) == 1:
        currency = symbols.pop()
    percent = "%" in text
    cleaned = _SYMBOL.sub(" ", _CODE.sub(" ", text.replace("%", " ")))
    words = normalize_header(cleaned.replace("&", "_").replace("#", " number ")).split("_")
    scale = 1.0
    kept = []
    for i, word in enumerate(words):
        if i and word in _HEADER_SCALE:
            scale = _HEADER_SCALE[word]
        elif word in _PERCENT_WORDS:
            percent = True
        elif not (i and word == "in"):
            kept.append(word)
    name = "_".join(w for w in kept if w)
    name = name.removeprefix("number_of_").removeprefix("number_")
    for candidate in (name, name.removesuffix("_usd"), name.removesuffix("_total")):
        if candidate in METRIC_ALIASES:
            return MetricHeader(METRIC_ALIASES[candidate], percent, currency, scale)
    return MetricHeader(name or normalize_header(text), percent, currency, scale)


def metric_name(text: str) -> str:
    """A metric written as text (a long file's Metric cell) as its canonical name."""
    return metric_header(text).metric


def records(source: SourceFile) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells) of each non-blank data record, padded to the header's width.

    Row numbers count blank lines and treat a quoted line break as part of its row, as a
    spreadsheet shows them (the header is row 1; a workbook sheet's rows above its header
    are added back, `SourceFile.row_offset`).
    """
    width = len(source.headers)
    with open(source.path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter or ",")
        next(reader, None)
        for n, record in enumerate(reader, start=2 + source.row_offset):
            if any(c.strip() for c in record):
                yield n, record + [""] * (width - len(record))
