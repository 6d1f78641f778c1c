"""The date order of a file's numeric dates (`05/11/2025`): from the user, the tool, or the values.

SPEC §4: numeric day/month order is never guessed from the values. `decide_order` takes
the user's choice, else the tool's (`DateHints.order`, with a warning saying so), else the
one order that reads every value of the file (a `15/09/2025` can only be day first, with a
warning naming it); a file whose values read as different dates in two orders, with no
order set, is refused with the first such row and how to set the order. The evidence is
gathered in SQL over any relation of date cells (`evidence`), or over Python cells
(`values_evidence`), with the parser of lib/ingest/dates.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from lib.ingest.dates import (
    ORDER_SHORT,
    ORDER_WORDS,
    ORDERS,
    DateHints,
    engine,
    instant_sql,
    numeric_sql,
    parse_instant,
)
from lib.ingest.report import ImportWarning, warn


@dataclass(frozen=True)
class Cell:
    row: int
    column: str
    value: str


@dataclass(frozen=True)
class OrderEvidence:
    """What a file's numeric day/month dates say about their order.

    cells: numeric values at least one order reads; rows: their first rows (examples);
    fails: per order, how many of them it cannot read; first: the first of them;
    only: per order, a value only that order reads; differ: per pair of orders, the
    first value the two read as different dates (01/01/2025 reads the same either way).
    """

    cells: int = 0
    rows: tuple[int, ...] = ()
    fails: dict[str, int] = field(default_factory=dict)
    first: Cell | None = None
    only: dict[str, Cell] = field(default_factory=dict)
    differ: dict[tuple[str, str], Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderDecision:
    """The order to read a file's numeric dates in, and what to tell the user.

    order: `dmy` / `mdy` / `ymd`, or None (no numeric dates, or refused);
    warning: set when the order came from the tool or from the values;
    refusal: (cell, reason) when the file cannot be read without an order.
    """

    order: str | None = None
    warning: ImportWarning | None = None
    refusal: tuple[Cell, str] | None = None


_PAIRS = (("dmy", "mdy"), ("dmy", "ymd"), ("mdy", "ymd"))


def evidence_sql(long_sql: str) -> str:
    """One row of evidence over a relation `(_row, "column", value)` of date cells."""
    parsed = ", ".join(f"{instant_sql('value', o)} as t_{o}" for o in ORDERS)
    cell = '[cast(_row as varchar), "column", value]'
    reads = {o: f"t_{o} is not null" for o in ORDERS}
    only = ", ".join(
        f"arg_min({cell}, _row) filter (where {reads[o]} and "
        + " and ".join(f"t_{p} is null" for p in ORDERS if p != o)
        + ")"
        for o in ORDERS
    )
    differ = ", ".join(f"arg_min({cell}, _row) filter (where t_{a} <> t_{b})" for a, b in _PAIRS)
    fails = ", ".join(f"count(*) filter (where t_{o} is null)" for o in ORDERS)
    return (
        f'with n as (select _row, "column", value, {parsed} from ({long_sql}) '
        f"where value is not null and {numeric_sql('value')}), "
        "r as (select * from n where " + " or ".join(reads.values()) + ") "
        f"select count(*), list(distinct _row order by _row)[1:5], {fails}, arg_min({cell}, _row), "
        f"{only}, {differ} from r"
    )


def _cell(values: list | None) -> Cell | None:
    return Cell(int(values[0]), values[1], values[2]) if values else None


def evidence(con: duckdb.DuckDBPyConnection, long_sql: str, params: object = None) -> OrderEvidence:
    """Evidence over the cells `long_sql` selects as `(_row, "column", value)` text."""
    row = con.execute(evidence_sql(long_sql), params).fetchall()[0]
    cells, rows, *rest = row
    fails, first, only, differ = rest[:3], rest[3], rest[4:7], rest[7:10]
    return OrderEvidence(
        cells,
        tuple(rows or ()),
        dict(zip(ORDERS, fails, strict=True)),
        _cell(first),
        {o: _cell(c) for o, c in zip(ORDERS, only, strict=True) if c},
        {p: _cell(c) for p, c in zip(_PAIRS, differ, strict=True) if c},
    )


def values_evidence(cells: Iterable[tuple[int, str, str]]) -> OrderEvidence:
    """`evidence` over Python cells (row, column, text), e.g. a tool export's date columns."""
    frame = pd.DataFrame([c for c in cells if c[2]], columns=["_row", "column", "value"])
    if frame.empty:
        return OrderEvidence()
    con = engine()
    name = f"_pillars_dates_{uuid.uuid4().hex}"
    con.register(name, frame.astype({"_row": "int64", "column": "object", "value": "object"}))
    try:
        con.execute("set TimeZone = 'UTC'")
        return evidence(con, f'select _row, "column", trim(value) as value from {name}')  # noqa: S608
    finally:
        con.unregister(name)


_HOW_TO_SET = (
    "Choose the date order on the Data page (Day first, Month first or Year first; on the command "
    "line, --date-order dmy|mdy|ymd), then import again."
)


def _readings(value: str) -> str:
    """`5 November 2025 (day first) or May 11, 2025 (month first)` for an ambiguous value."""
    out = []
    for order in ORDERS:
        stamp = parse_instant(value, "UTC", order)
        if stamp is not None:
            out.append(f"{stamp.day} {stamp:%B %Y} ({ORDER_SHORT[order]})")
    return " or ".join(out)


def decide_order(
    evidence: OrderEvidence, user: str | None = None, hints: DateHints | None = None
) -> OrderDecision:
    """The file's date order: the user's, else the tool's, else the only one that reads the
    values (with a warning); otherwise a refusal naming the row. SPEC §4: never guessed."""
    hints = hints or DateHints()
    for given in (user, hints.order):
        if given is not None and given not in ORDERS:
            raise ValueError(f"date order {given!r}: use one of {', '.join(ORDERS)}")
    if evidence.cells == 0 or user:
        return OrderDecision(user or hints.order)
    example = evidence.first
    if hints.order:
        source = f": {hints.order_source}" if hints.order_source else ""
        message = f"Dates such as {example.value!r} read {order_words(hints.order)}{source}"
        return OrderDecision(
            hints.order, warn("date_order", message, evidence.rows, evidence.cells, hints.order)
        )
    valid = [o for o in ORDERS if evidence.fails.get(o, 0) == 0]
    if not valid:
        mixed = [o for o in ORDERS if o in evidence.only]
        if len(mixed) >= 2:
            a, b = evidence.only[mixed[0]], evidence.only[mixed[1]]
            reason = (
                f"can only be read {ORDER_SHORT[mixed[0]]}, but {b.value!r} (row {b.row}, column {b.column}) "
                f"only {ORDER_SHORT[mixed[1]]}: the file mixes date orders. Fix the dates that are wrong"
            )
            return OrderDecision(None, refusal=(a, reason))
        reason = f"cannot be read in one date order with the file's other dates. {_HOW_TO_SET}"
        return OrderDecision(None, refusal=(example, reason))
    clashes = [evidence.differ[p] for p in _PAIRS if p in evidence.differ and set(p) <= set(valid)]
    if len(valid) == 1:
        order = valid[0]
        telling = evidence.only.get(order) or example
        message = (
            f"Dates read {order_words(order)}: no date order was set, and {telling.value!r} "
            f"(row {telling.row}) can only be read that way"
        )
        return OrderDecision(order, warn("date_order", message, evidence.rows, evidence.cells, order))
    if not clashes:  # every value reads the same in every order that reads them all
        return OrderDecision(valid[0])
    cell = min(clashes, key=lambda c: c.row)
    reason = f"could be {_readings(cell.value)}: the file does not say which order its dates are written in. {_HOW_TO_SET}"
    return OrderDecision(None, refusal=(cell, reason))


def order_words(order: str | None) -> str:
    return f"{ORDER_WORDS[order]} ({ORDER_SHORT[order]})" if order else "not set"
