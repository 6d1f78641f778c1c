"""Investment mix: where engineering effort, people (FTE) and money went, by flow type and by
business initiative, over time and per team or org (SPEC §2, Business alignment).

One query (`lib/sql/business/allocation.sql`) serves every cut. For each unit, period and
category it gives:
- `items`, `effort` (story points, else 1 per item) of the work items completed, and
  `share` = effort ÷ the unit's effort in the period (the catalog's investment mix);
- `fte`: each team's average headcount ((start + end) ÷ 2, SPEC §5) allocated by that
  team's own effort shares, summed over the unit's teams, so a team's story points never
  weigh against another team's; a team that completed nothing in a period has its FTE in
  the category "(no completed work)";
- `cost_loaded`: the same FTE × each person's loaded annual cost (rate card by location and
  sourcing) × days ÷ 365; null when someone in the unit has no cost;
- `cost_rnd_spend`: the period's R&D spend (business metrics) shared out over every team
  of the organisation by headcount × loaded cost (by headcount alone when anyone lacks a
  cost), then by the same effort shares; under a team filter it is the team's allocated
  share of the organisation's spend.
Categories besides the flow types and initiative names: "(no type)", "(no initiative)"
(items without an epic / project), "(not mapped)" (a value no initiative claims yet),
"(not an initiative)" (mapped as such on the page), "(no completed work)".
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import params
from lib.views.business import business_scope
from lib.views.business_settings import WORK_TYPES, distance_from_target

DIMENSIONS = ("type", "initiative")
UNITS = ("all", "team", "org")
NO_WORK = "(no completed work)"
COLUMNS = ["unit", "period", "category", "items", "effort", "share", "fte", "cost_loaded", "cost_rnd_spend"]


def _check(dimension: str, unit: str) -> None:
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")


def mix_by_period(
    con: duckdb.DuckDBPyConnection, scope: Scope, dimension: str = "type", unit: str = "all"
) -> pd.DataFrame:
    """One row per unit, period bucket (month or quarter; a weekly grain becomes monthly)
    and category, with the columns of the module docstring."""
    _check(dimension, unit)
    bound = params(business_scope(scope), unit=unit, dimension=dimension, whole=False)
    return query_df(con, "business/allocation", bound)[COLUMNS]


def mix_summary(
    con: duckdb.DuckDBPyConnection, scope: Scope, dimension: str = "type", unit: str = "all"
) -> pd.DataFrame:
    """The same over the whole period as one bucket: FTE is the average headcount of the
    period ((start + end) ÷ 2) allocated by each team's effort over the whole period, so the
    `share` column equals the catalog's `business.investment_mix` for unit "all"."""
    _check(dimension, unit)
    bound = params(scope, unit=unit, dimension=dimension, whole=True)
    return query_df(con, "business/allocation", bound)[COLUMNS].drop(columns="period")


def type_shares(frame: pd.DataFrame) -> dict[str, float | None]:
    """{feature: share, …} of one unit's rows (None for every type when nothing completed)."""
    by = frame.set_index("category")["share"]
    if by.dropna().empty:
        return dict.fromkeys(WORK_TYPES)
    return {t: float(by.get(t, 0.0)) if pd.notna(by.get(t, 0.0)) else 0.0 for t in WORK_TYPES}


def distance_by_unit(summary: pd.DataFrame, target: dict[str, float] | None) -> pd.DataFrame:
    """One row per unit of a `mix_summary(…, "type", unit)`: `fte` (all its people), each
    type's share and its gap to the target (`gap_feature`, … in fractions, actual − target),
    and `distance` = ½ Σ |gap|: the share of effort that would have to move to meet the target
    (gaps and distance null without a target)."""
    rows = []
    for unit, frame in summary.groupby("unit", sort=True):
        shares = type_shares(frame)
        gap = (
            distance_from_target(shares, target)
            if target
            else {"by_type": dict.fromkeys(WORK_TYPES), "total": None}
        )
        rows.append(
            {
                "unit": unit,
                "fte": float(frame["fte"].sum()),
                **{t: shares[t] for t in WORK_TYPES},
                **{f"gap_{t}": gap["by_type"][t] for t in WORK_TYPES},
                "distance": gap["total"],
            }
        )
    columns = ["unit", "fte", *WORK_TYPES, *(f"gap_{t}" for t in WORK_TYPES), "distance"]
    return pd.DataFrame(rows, columns=columns)


def initiative_costs(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per business initiative (and the "(no initiative)", "(not mapped)", … groups)
    over the whole period: `initiative`, `owner`, `business_metric`, `items`, `effort`,
    `share` (of effort), `fte`, `cost_loaded`, `cost_rnd_spend`, `allocated_by` ("people",
    or "effort" when no employee is loaded: R&D spend is then split by effort share);
    initiatives from the initiatives list with no completed work appear with zeros.
    Largest FTE first."""
    summary = mix_summary(con, scope, "initiative", "all").rename(columns={"category": "initiative"})
    listed = con.execute(
        "select initiative, owner, business_metric from initiatives order by lower(initiative)"
    ).df()
    out = summary.merge(listed, on="initiative", how="outer")
    for column in ("items", "effort", "fte"):
        out[column] = out[column].fillna(0.0)
    out = out[out["initiative"] != NO_WORK].drop(columns="unit", errors="ignore")
    out["allocated_by"] = "people"
    if not out["fte"].sum():
        # No one to allocate by (no employees loaded): R&D spend by each initiative's effort share.
        from lib.views.business import business_summary

        spend = business_summary(con, scope)["rnd_spend"]
        out["cost_rnd_spend"] = None if spend is None else out["share"] * spend
        out["allocated_by"] = "effort"
    out = out.sort_values(["fte", "initiative"], ascending=[False, True]).reset_index(drop=True)
    return out[
        [
            "initiative",
            "owner",
            "business_metric",
            "items",
            "effort",
            "share",
            "fte",
            "cost_loaded",
            "cost_rnd_spend",
            "allocated_by",
        ]
    ]


def cost_coverage(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per location and sourcing of the people in scope at the period end: `people`
    and their loaded `annual_cost` (null when the rate card has none)."""
    return query_df(con, "business/cost_coverage", params(scope))
