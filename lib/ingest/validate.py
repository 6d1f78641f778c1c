"""Cast a staged relation to its canonical table's types, in SQL, and list every problem.

Shared by every format. Each column is trimmed (empty text is null) and cast with
`try_cast` (lib/ingest/cast.py); a value that does not cast, an unknown choice, a value out of bounds, or a
missing required value is a problem (row, column, value, reason). The typed rows land in
a temporary table that `load.py` upserts from once the whole file is clean.

Dates and times are read by the one parser, `lib.ingest.dates` (its module doc lists the
shapes): with an offset or `Z` they are exact; without a zone (text, or a naive TIMESTAMP
a format produced) they are read in `options.default_tz`; a plain date is midnight
there. All are stored as naive UTC; a date column takes the UTC date of a value with a
time. Formats that know a value is UTC should hand over TIMESTAMPTZ or `…Z` text.

Numeric day/month dates are read in the file's date order: `options.date_order` (the
user's), else `Staged.dates.order` (the tool's), else the one order every value reads
(with a warning); a file whose dates read two ways is refused with the first such row
and how to set the order (`dates.decide_order`).

Plausibility (SPEC §4): a date before 1990 or more than a year after the import is a
problem naming its row. A span that runs backwards (BACKWARD_SPANS: resolved before
started, deployed before its earliest commit, …) is kept, and listed as a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from lib.ingest import dates
from lib.ingest.cast import Sql, casts, needs_raw, typed_table
from lib.ingest.formats import ImportOptions, Staged
from lib.ingest.read import ident, register, stage_name
from lib.ingest.report import ImportWarning, Problem, warn
from lib.tables import TABLES, Column, Table

MAX_PROBLEMS = 100
INT32 = (-(2**31), 2**31 - 1)

# (table, start column, end column, what it means when the end comes first). The rows are
# kept, and listed as an import warning; their duration is unknown (SPEC §4).
BACKWARD_SPANS: tuple[tuple[str, str, str, str], ...] = (
    ("incidents", "started_at", "resolved_at", "resolved before they started"),
    ("deployments", "commit_at", "deployed_at", "deployed before their earliest commit"),
    ("work_items", "created_at", "completed_at", "completed before they were created"),
    ("work_items", "started_at", "completed_at", "completed before they were started"),
    ("pull_requests", "opened_at", "merged_at", "merged before they were opened"),
    ("pull_requests", "opened_at", "first_review_at", "reviewed before they were opened"),
    ("pull_requests", "first_review_at", "merged_at", "merged before their first human review"),
    ("employees", "hire_date", "termination_date", "left before they were hired"),
)

# What a refusal says, and how to write the value instead (the accepted shapes are listed
# in full in docs/IMPORT.md, "Dates and times" and "Values").
TIMESTAMP_SHAPES = (
    "2025-09-01T09:00:00Z, 2025-09-01 09:00, 2025-09-01T11:00:00+02:00, 14/Jul/25 3:42 PM or July 14, 2025"
)
DATE_SHAPES = "2025-09-01, 1 Sep 2025 or September 1, 2025"
_TYPE_WORDS = {
    "timestamp": f"is not a timestamp: write a date and time such as {TIMESTAMP_SHAPES}",
    "date": f"is not a date: write it as {DATE_SHAPES}",
    "double": "is not a number: write digits with a decimal point, such as 1200 or 2.5 (no units or thousands separators)",
    "integer": "is not a whole number: write digits only, such as 12",
    "boolean": "is not true or false: write true or false, yes or no, or 1 or 0",
}
REQUIRED_EMPTY = "is empty: every row needs a value in this column"


def missing_column(table: Table, column: str) -> str:
    """Why a required column that the file lacks refuses it, and the two ways to fix it."""
    words = table.name.replace("_", " ")
    return (
        f"is missing from the file (required column of {words}): add a column headed {column}, as in the "
        f"{words} template (Data page, Templates, {table.name}.csv), or map the file's own columns to "
        f"{words} in the Data page's mapping step"
    )


def error_message(file_name: str, problems: tuple[Problem, ...] | list[Problem], count: int) -> str:
    """`work_items.csv: row 7, column created_at: 'yesterday' is not a timestamp (and 3 more problems)`."""
    if not problems:
        return f"{file_name}: rejected"
    more = count - 1
    tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
    return f"{file_name}: {problems[0].describe()}{tail}"


class ValidationError(ValueError):
    def __init__(self, file_name: str, problems: tuple[Problem, ...], count: int):
        super().__init__(error_message(file_name, problems, count))
        self.file_name = file_name
        self.problems = problems
        self.count = count


class FormatProblems(ValueError):
    """Row problems a format finds while reading its file (a survey's date order, an answer off
    its scale): the import refuses the file naming row, column and value, as validation does."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], count: int | None = None):
        self.problems = tuple(problems[:MAX_PROBLEMS])
        self.count = count if count is not None else len(problems)
        super().__init__(error_message("", self.problems, self.count).removeprefix(": "))


@dataclass(frozen=True)
class Checked:
    """A staged relation cast to its table: `name` is the temp table (`_row` + every column)."""

    table: Table
    name: str
    rows: int
    problems: tuple[Problem, ...]
    problem_count: int
    warnings: tuple[ImportWarning, ...] = ()
    date_order: str | None = None  # the order numeric dates were read in, if any
    distinct: int | None = None  # rows with distinct keys (the rows an upsert writes)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _bounds(column: Column) -> tuple[float, float] | None:
    if column.type != "integer":
        return column.bounds
    low, high = column.bounds or INT32
    return max(low, INT32[0]), min(high, INT32[1])


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _whole(raw: str) -> str:
    """SQL: the text is a finite whole number (of any size)."""
    number = f"try_cast({raw} as double)"
    return f"(isfinite({number}) and {number} = trunc({number}))"


def check(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    options: ImportOptions,
    salt: str | None = None,
    today: dt.date | None = None,
) -> Checked:
    """Cast `staged` into a temp table and collect its problems (the first MAX_PROBLEMS).

    With `salt`, person columns are pseudonymised in the typed table; without, they are
    kept as given (only for previews that never reach the database). `today` is the
    import's date for the plausible range (default: today, UTC).
    """
    table = TABLES[staged.table]
    present = set(staged.relation.columns)
    view = stage_name("staged")
    register(con, view, staged.relation)
    order = options.date_order or staged.dates.order
    typed = typed_table(con, staged, options, salt, table, present, view, order)
    problems, count = _problems(con, table, present, typed, order, today)
    warnings: list[ImportWarning] = []
    date_columns = [c.name for c in table.columns if c.name in present and c.type in ("timestamp", "date")]
    if date_columns and (count or (order and not options.date_order)):
        decision = _decide_order(con, typed, date_columns, options, staged.dates)
        if decision.warning:
            warnings.append(decision.warning)
        if decision.refusal:
            cell, reason = decision.refusal
            # The refusal explains every date the order would read; other problems stay.
            others, more = _problems(con, table, present, typed, order, today, unread_dates=False)
            problems, count = [Problem(cell.row, cell.column, cell.value, reason), *others], 1 + more
        elif decision.order and decision.order != order:
            query = f"drop table if exists temp.{ident(typed)}"
            con.execute(query)
            order = decision.order
            typed = typed_table(con, staged, options, salt, table, present, view, order)
            problems, count = _problems(con, table, present, typed, order, today)
    if not count:
        warnings += backward_spans(con, table, present, typed)
        warnings += deployments_without_status(con, table, present, typed)
    keys = ", ".join(ident(k) for k in table.key)
    query = f"select count(*) from {ident(typed)}"
    rows = con.execute(query).fetchall()[0][0]
    query = f"select count(*) from (select distinct {keys} from {ident(typed)})"
    distinct = con.execute(query).fetchall()[0][0]
    if distinct < rows and not count:
        warnings.append(repeated_keys(con, table, typed, rows - distinct))
    return Checked(table, typed, rows, tuple(problems), count, tuple(warnings), order, distinct)


def repeated_keys(con: duckdb.DuckDBPyConnection, table: Table, typed: str, count: int) -> ImportWarning:
    """Rows of a file whose key a later row of the same file repeats: the later one is kept
    (the file's last word), and the earlier ones are listed."""
    keys = ", ".join(ident(k) for k in table.key)
    query = (
        f"select _row from {ident(typed)} qualify row_number() over (partition by {keys} order by _row desc) > 1 "
        "order by _row limit 5"
    )
    rows = [r for (r,) in con.execute(query).fetchall()]
    words = " and ".join(table.key)
    return warn(
        "repeated_key",
        f"{table.name.replace('_', ' ').capitalize()} with the same {words} as a later row of this file: "
        "the later row is kept, these are not imported",
        rows,
        count,
    )


def _problems(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    present: set[str],
    typed: str,
    order: str | None,
    today: dt.date | None,
    unread_dates: bool = True,
) -> tuple[list[Problem], int]:
    problems = [
        Problem(None, c.name, None, missing_column(table, c.name))
        for c in table.columns
        if c.required and c.name not in present
    ]
    count = len(problems)
    checks = _checks(Sql(None), table, present, order, today, unread_dates)
    if checks.rules:
        union = " union all ".join(
            f"select _row, {code} as code, cast({value} as varchar) as value from {ident(typed)} where {condition}"
            for code, (_, condition, value, _) in enumerate(checks.rules)
        )
        query = (
            f"select _row, code, value, count(*) over () as n from ({union}) "
            f"order by _row, code limit {MAX_PROBLEMS}"
        )
        found = con.execute(query, checks.sql.params or None).fetchall()
        if found:
            count += found[0][3]
            for row_number, code, value, _ in found[: MAX_PROBLEMS - len(problems)]:
                column_name, _, _, reason = checks.rules[code]
                problems.append(Problem(int(row_number), column_name, value, reason))
    return problems, count


def _decide_order(
    con: duckdb.DuckDBPyConnection,
    typed: str,
    columns: list[str],
    options: ImportOptions,
    hints: dates.DateHints,
) -> dates.OrderDecision:
    """The date order from the user, the tool or the values, over every date column of the file."""
    long_sql = " union all ".join(
        f"select _row, '{c}' as \"column\", trim({ident(c + '__raw')}) as value from {ident(typed)}"
        for c in columns
    )
    evidence = dates.evidence(con, long_sql)
    return dates.decide_order(evidence, options.date_order, hints)


def backward_spans(
    con: duckdb.DuckDBPyConnection, table: Table, present: set[str], typed: str
) -> list[ImportWarning]:
    """One warning per kind of span that runs backwards in the typed table (BACKWARD_SPANS)."""
    out = []
    for name, start, end, meaning in BACKWARD_SPANS:
        if name != table.name or not {start, end} <= present:
            continue
        query = (
            f"select count(*), list(_row order by _row)[1:5] from {ident(typed)} "
            f"where {ident(end)} < {ident(start)}"
        )
        count, rows = con.execute(query).fetchall()[0]
        if count:
            message = (
                f"{table.name.replace('_', ' ').capitalize()} {meaning} ({end} before {start}): kept, "
                "but left out of every duration, median and average"
            )
            out.append(warn("backward_span", message, rows or (), count))
    return out


def deployments_without_status(
    con: duckdb.DuckDBPyConnection, table: Table, present: set[str], typed: str
) -> list[ImportWarning]:
    """Deployments with no status (no `status` column, or a blank one): kept, but SPEC §5 counts
    a run as a deployment only with status success or rollback, so these count as neither a
    deployment nor a failed run until they get one. One warning, listing the rows."""
    if table.name != "deployments":
        return []
    where = "status is null" if "status" in present else "true"
    query = f"select count(*), list(_row order by _row)[1:5] from {ident(typed)} where {where}"
    count, rows = con.execute(query).fetchall()[0]
    if not count:
        return []
    start = "Deployments without a status" if "status" in present else "The file has no status column"
    message = (
        f"{start}: kept, but neither a deployment nor a failed run (a run counts as a deployment only "
        "with status success or rollback), so deployment frequency and the rates leave them out; "
        "give each run a status (success, failure or rollback)"
    )
    return [warn("deployment_without_status", message, rows or (), count)]


@dataclass(frozen=True)
class _Rules:
    sql: Sql
    rules: list[tuple[str, str, str, str]]  # (column, condition, value expression, reason)


def _checks(
    sql: Sql,
    table: Table,
    present: set[str],
    order: str | None = None,
    today: dt.date | None = None,
    unread_dates: bool = True,
) -> _Rules:
    """One rule per way a typed column can be wrong, as SQL over the typed table."""
    rules: list[tuple[str, str, str, str]] = []
    low, high = dates.plausible_range(today)
    for column in table.columns:
        if column.name not in present:
            continue
        name, raw = ident(column.name), ident(column.name + "__raw")
        if casts(column) and (unread_dates or column.type not in ("timestamp", "date")):
            condition = f"{raw} is not null and {name} is null and trim({raw}) <> ''"
            if column.type == "integer":  # a whole number too large for 64 bits is out of range
                condition = f"{condition} and not coalesce({_whole(raw)}, false)"
            if column.type in ("timestamp", "date") and order:
                numeric = dates.numeric_sql(raw)
                slip = dates.calendar_slip_sql(raw, order)
                reason = (
                    f"is not a date: read in {dates.ORDER_WORDS[order]} order, the date order of this file, it "
                    "names a day its month does not have (such as 31 April or 30 February; 29 February only "
                    "in a leap year)"
                )
                rules.append((column.name, f"{condition} and {numeric} and {slip}", f"trim({raw})", reason))
                reason = (
                    f"is not a date in {dates.ORDER_WORDS[order]} order, the date order of this file: write it "
                    "in that order, or choose another date order for this file"
                )
                rules.append(
                    (column.name, f"{condition} and {numeric} and not {slip}", f"trim({raw})", reason)
                )
                condition = f"{condition} and not {numeric}"
            rules.append((column.name, condition, f"trim({raw})", _TYPE_WORDS[column.type]))
        if column.type in ("timestamp", "date"):
            reason = (
                f"is outside the plausible dates ({low:%Y-%m-%d} to {high:%Y-%m-%d}): a typo? "
                "It would move every default period"
            )
            after = sql.bind(dt.datetime.combine(high + dt.timedelta(days=1), dt.time()))
            before = sql.bind(dt.datetime.combine(low, dt.time()))
            bound = f"cast({name} as timestamp)"
            rules.append(
                (
                    column.name,
                    f"{name} is not null and ({bound} < {before} or {bound} >= {after})",
                    f"trim({raw})",
                    reason,
                )
            )
        elif column.type == "boolean":
            rules.append((column.name, f"{raw} is not null and {name} is null", raw, _TYPE_WORDS["boolean"]))
        if column.choices:
            reason = f"is not one of {', '.join(column.choices)}"
            condition = f"{raw} is not null and not list_contains({sql.bind(list(column.choices))}, {name})"
            rules.append((column.name, condition, raw, reason))
        bounds = _bounds(column)
        if bounds and column.type in ("double", "integer"):
            reason = f"is out of range ({_number(bounds[0])} to {_number(bounds[1])})"
            low, high = sql.bind(float(bounds[0])), sql.bind(float(bounds[1]))
            condition = f"{name} is not null and not ({name} between {low} and {high})"
            if column.type == "integer":
                condition = f"({condition}) or ({name} is null and coalesce({_whole(raw)}, false))"
            rules.append((column.name, condition, raw, reason))
        if column.required:
            if casts(column):
                empty = f"({raw} is null or trim({raw}) = '')"
            else:
                empty = f"{raw} is null" if needs_raw(column) else "true"
            rules.append((column.name, f"{name} is null and {empty}", "null", REQUIRED_EMPTY))
    return _Rules(sql, rules)
