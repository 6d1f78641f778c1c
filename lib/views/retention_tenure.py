"""Tenure: Kaplan–Meier survival curves by group, and first-year attrition by hire cohort.

Survival is estimated with `scipy.stats.ecdf` on right-censored data: someone still
employed at the period end is censored at their tenure so far, a leaver is an event at
theirs (Kaplan & Meier 1958; the interval is scipy's pointwise 95 % "log-log" interval).
Only stints hired since the first separation the data holds are counted: before it,
leavers may be missing from the export (only current staff), which would flatter early
tenures. Each curve stops where fewer people than the anonymity threshold are still at
risk, so no step of a curve stands for a handful of identifiable people, and a group
with fewer people in all is left out with its reason.
"""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.sql import query_df
from lib.views import params
from lib.views.retention import GROUPS, suppress, too_few_reason

SURVIVAL_GROUPS = ("all", "cohort", "location", "sourcing", "acquired")
MAX_CURVES = 6
DAYS_PER_YEAR = 365.25
CURVE_COLUMNS = ["group", "years", "survival", "low", "high", "at_risk", "left", "censored", "people"]
MILESTONES = (0.5, 1.0, 2.0)


def survival(con: duckdb.DuckDBPyConnection, scope: Scope, group: str = "all") -> dict:
    """Kaplan–Meier tenure survival per group, as of the period end.

    Returns {"curves": DataFrame, "groups": DataFrame, "observed_from": date | None}.
    `curves`: one row per group and tenure point where someone left or was censored (plus
    0): years (tenure, days ÷ 365.25), survival (share still employed, 0–1), low / high
    (95 % interval), at_risk (still employed just before), left (leavers at that tenure),
    censored (still employed at the end with exactly that tenure), people (group size).
    `groups`: one row per group: people, leavers, survival at 0.5, 1 and 2 years (null
    past the curve's end), median tenure in years (null while the curve stays above 0.5),
    `suppressed_reason`. At most MAX_CURVES groups, the largest (hire years: the latest).
    ValueError for a `group` outside SURVIVAL_GROUPS.
    """
    if group not in SURVIVAL_GROUPS:
        raise ValueError(f"group must be one of {SURVIVAL_GROUPS}, not {group!r}")
    k = threshold(con)
    table = query_df(con, "retention/survival_life_table", params(scope, group=group))
    observed = con.execute("select min(termination_date) from employees").fetchone()[0]
    sizes = table.groupby("group")["people"].sum()
    order = (
        sorted(sizes.index, reverse=True)
        if group == "cohort"
        else list(sizes.sort_values(ascending=False).index)
    )
    curves, rows = [], []
    for name in order[:MAX_CURVES]:
        part = table[table["group"] == name]
        people = int(part["people"].sum())
        leavers = int(part.loc[part["left_company"], "people"].sum())
        row = {"group": name, "people": people, "leavers": leavers}
        if people < k:
            rows.append({**row, "suppressed_reason": too_few_reason(k)})
            continue
        curve = _kaplan_meier(part, k)
        curve.insert(0, "group", name)
        curve["people"] = people
        curves.append(curve)
        rows.append({**row, **_milestones(curve), "suppressed_reason": None})
    groups = pd.DataFrame(
        rows, columns=["group", "people", "leavers", *_milestone_names(), "suppressed_reason"]
    )
    frame = pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=CURVE_COLUMNS)
    return {"curves": frame, "groups": groups, "observed_from": observed}


def _kaplan_meier(part: pd.DataFrame, k: int) -> pd.DataFrame:
    days = part["days"].to_numpy(dtype=float)
    counts = part["people"].to_numpy(dtype=int)
    left = part["left_company"].to_numpy(dtype=bool)
    events = np.repeat(days[left], counts[left])
    censored = np.repeat(days[~left], counts[~left])
    times = np.unique(days)
    at_risk = np.array([counts[days >= t].sum() for t in times])
    gone = np.array([counts[(days == t) & left].sum() for t in times])
    kept = np.array([counts[(days == t) & ~left].sum() for t in times])
    if len(events):
        from scipy import stats  # here, not at the top: its import costs about 0.9 s (business_outcomes)

        result = stats.ecdf(stats.CensoredData(uncensored=events, right=censored))
        with warnings.catch_warnings():  # undefined where survival is 1 or 0: drawn as the full range
            warnings.simplefilter("ignore", RuntimeWarning)
            interval = result.sf.confidence_interval(0.95, method="log-log")
        survival = result.sf.evaluate(times)
        low, high = interval.low.evaluate(times), interval.high.evaluate(times)
    else:  # nobody left: everyone is still here at every tenure seen
        survival = low = high = np.ones(len(times))
    # the interval is undefined while nobody has left yet (survival 1): it is the point itself
    low = np.where(np.isnan(low), survival, low)
    high = np.where(np.isnan(high), survival, high)
    frame = pd.DataFrame(
        {
            "years": times / DAYS_PER_YEAR,
            "survival": survival,
            "low": low,
            "high": high,
            "at_risk": at_risk,
            "left": gone,
            "censored": kept,
        }
    )
    start = pd.DataFrame([{"years": 0.0, "survival": 1.0, "low": 1.0, "high": 1.0, "at_risk": int(counts.sum()),
                           "left": 0, "censored": 0}])  # fmt: skip
    frame = pd.concat([start, frame[frame["years"] > 0]], ignore_index=True)
    return frame[frame["at_risk"] >= k].reset_index(drop=True)


def _milestone_names() -> list[str]:
    return [f"survival_{m:g}y".replace(".", "_") for m in MILESTONES] + ["median_years"]


def _milestones(curve: pd.DataFrame) -> dict:
    out = {}
    last = curve["years"].max()
    for m, name in zip(MILESTONES, _milestone_names(), strict=False):
        before = curve[curve["years"] <= m]
        out[name] = float(before["survival"].iloc[-1]) if m <= last and not before.empty else None
    below = curve[curve["survival"] <= 0.5]
    out["median_years"] = float(below["years"].iloc[0]) if not below.empty else None
    return out


def first_year_by_cohort(con: duckdb.DuckDBPyConnection, scope: Scope, group: str = "all") -> pd.DataFrame:
    """One row per hire quarter (cohort, a date) and group: hired, left_in_first_year and
    first_year_attrition_rate (0–1) for quarters whose first year ended by the period end,
    over at least the two years before it; cohorts of fewer than the threshold are
    suppressed (`suppressed_reason`)."""
    if group not in GROUPS:
        raise ValueError(f"group must be one of {GROUPS}, not {group!r}")
    import datetime as dt

    start = min(scope.start, scope.end - dt.timedelta(days=3 * 365))
    start = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    window = Scope(start, scope.end, scope.grain, scope.teams)
    frame = query_df(con, "retention/first_year_by_cohort", params(window, group=group))
    return suppress(frame, "hired", ("left_in_first_year", "first_year_attrition_rate"), threshold(con))
