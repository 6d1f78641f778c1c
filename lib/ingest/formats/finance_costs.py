"""Loaded cost per engineer by location and sourcing → engineer_costs.

Finance keeps a rate card: one row per location (or `*` / `All` for every location) and
sourcing model, with the fully loaded cost of one engineer (salary, benefits, taxes,
equipment, office; or a vendor's rate for contractors). Headers: `Location` (Site,
Office, City, Country), `Sourcing` (Sourcing model, Delivery model, Engagement) and the
cost: `Annual cost` (Annual loaded cost, Loaded cost, Fully loaded cost, Cost per
engineer, Cost per FTE), or a `Monthly cost` column, multiplied by 12. Amounts are read
as the finance import reads them (`$126,000`, `126k`, `Loaded cost ($k)`).

Costs must be in the business metrics' currency: a rate card in EUR beside business
metrics in USD is refused (Pillars converts no currency). Sourcing is onshore, nearshore
or offshore (`On-shore`, `near shore` and `Off shore` are read as those).
"""

from __future__ import annotations

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats import finance_values as fv
from lib.ingest.formats._tool_exports import stage
from lib.ingest.validate import MAX_PROBLEMS, Problem, ValidationError
from lib.tables import SOURCING

SCORE = 0.96
LOCATION = ("location", "site", "office", "city", "country", "hub")
SOURCING_HEADERS = ("sourcing", "sourcing_model", "delivery_model", "engagement", "engagement_model", "shore")
ANNUAL = (
    "annual_cost",
    "annual_loaded_cost",
    "loaded_annual_cost",
    "loaded_cost",
    "fully_loaded_cost",
    "fully_loaded_annual_cost",
    "cost_per_engineer",
    "annual_cost_per_engineer",
    "cost_per_fte",
    "annual_cost_per_fte",
    "yearly_cost",
)
MONTHLY = (
    "monthly_cost",
    "monthly_loaded_cost",
    "loaded_monthly_cost",
    "cost_per_month",
    "monthly_cost_per_fte",
)
ANY_LOCATION = ("*", "all", "any", "(all)", "all locations")


def _index(norm: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(norm) if h in names), None)


def _cost_column(source: SourceFile) -> tuple[int, float, fv.MetricHeader] | None:
    """(index, months per value, header) of the cost column: 1 for annual, 12 for monthly."""
    for i, header in enumerate(source.headers):
        parsed = fv.metric_header(header)
        if parsed.metric in ANNUAL:
            return i, 1.0, parsed
        if parsed.metric in MONTHLY:
            return i, 12.0, parsed
    return None


def sourcing_of(text: str) -> str | None:
    key = "".join(ch for ch in text.lower() if ch.isalpha())
    return next((s for s in SOURCING if key == s), None)


class EngineerCosts:
    name = "engineer_costs"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        norm = source.normalized_headers
        lacking = []
        if _index(norm, LOCATION) is None:
            lacking.append("Location")
        if _index(norm, SOURCING_HEADERS) is None:
            lacking.append("Sourcing")
        if _cost_column(source) is None:
            lacking.append("Annual cost")
        return tuple(lacking)

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        return SCORE if not self.missing(source) else 0.0

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        norm = source.normalized_headers
        location, sourcing = _index(norm, LOCATION), _index(norm, SOURCING_HEADERS)
        found = _cost_column(source)
        if location is None or sourcing is None or found is None:
            raise ValueError("needs Location, Sourcing and an annual or monthly cost column")
        cost, months, header = found
        heads = source.headers
        records = list(fv.records(source))
        problems: list[Problem] = []
        count = 0
        rows: list[dict[str, str]] = []
        seen: dict[tuple[str, str], int] = {}
        currencies: set[str] = set()

        def problem(row: int | None, column: str | None, value: str | None, reason: str) -> None:
            nonlocal count
            count += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(Problem(row, column, value, reason))

        try:
            decimal = fv.decimal_mark([r[cost] for _, r in records], source.delimiter)
        except fv.ValueProblem as exc:
            raise ValidationError(source.label, (Problem(None, None, None, f"the file {exc}"),), 1) from exc
        for row, record in records:
            place = record[location].strip()
            place = "*" if place.lower() in ANY_LOCATION else place
            model = sourcing_of(record[sourcing])
            if not place:
                problem(row, heads[location], None, "is empty (use * for every location)")
                continue
            if model is None:
                problem(
                    row, heads[sourcing], record[sourcing].strip(), f"is not one of {', '.join(SOURCING)}"
                )
                continue
            try:
                amount = fv.parse_amount(record[cost], decimal)
            except fv.ValueProblem as exc:
                problem(row, heads[cost], record[cost].strip(), str(exc))
                continue
            if amount is None:
                continue
            if amount.value < 0 or amount.percent:
                problem(row, heads[cost], record[cost].strip(), "is not a cost (a positive amount)")
                continue
            key = (place.lower(), model)
            if key in seen:
                problem(row, heads[location], place, f"with {model} is already in row {seen[key]}")
                continue
            seen[key] = row
            if amount.currency or header.currency:
                currencies.add(amount.currency or header.currency)
            value = amount.value * (1.0 if amount.scaled else header.scale) * months
            rows.append({"_row": str(row), "location": place, "sourcing": model, "annual_cost": repr(value)})
        business = {
            u
            for (u,) in con.execute(
                "select distinct unit from business_metrics where metric in ('revenue', 'rnd_spend', 'arr') "
                "and nullif(unit, '') is not null"
            ).fetchall()
        }
        if len(currencies) > 1:
            problem(None, heads[cost], None, f"mixes currencies ({', '.join(sorted(currencies))})")
        elif currencies and business and currencies != business:
            problem(
                None,
                heads[cost],
                None,
                f"is in {currencies.pop()} while the business metrics are in {', '.join(sorted(business))} "
                "(Pillars converts no currency)",
            )
        if count:
            raise ValidationError(source.label, tuple(problems), count)
        if not rows:
            raise ValidationError(source.label, (Problem(None, None, None, "lists no cost"),), 1)
        return [stage(con, "engineer_costs", rows)]


FORMATS = [EngineerCosts()]
