"""Learning: hours per engineer, certifications and experiments over time, by team,
org or location.

Hours per engineer are annualised per bucket (hours ÷ average headcount × 365 ÷ days),
as `skills.learning_hours_per_engineer_annualized` is over the period. A unit's figures
are hidden when its average headcount is below the anonymity threshold, and so is the
next-smallest unit while the hidden ones together hold fewer people
(`lib.views.skills_privacy`), since the page shows the total beside them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.sql import query_df
from lib.views import params
from lib.views.skills_privacy import suppress

UNITS = ("all", "team", "org", "location")
FIGURES = (
    "learning_hours",
    "activities",
    "courses",
    "certifications",
    "conferences",
    "experiments",
    "learning_hours_per_engineer_annualized",
)


def learning_by_period(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str = "all") -> pd.DataFrame:
    """One row per unit per `scope.grain` bucket.

    Columns: unit, period, bucket_start, bucket_end, days, learning_hours (hours),
    activities, courses, certifications, conferences, experiments (counts of learning
    rows), average_headcount (people), learning_hours_per_engineer_annualized (hours per
    year), hidden, hidden_reason. Hidden rows have every figure set to None; hours are None
    everywhere when no learning row gives time spent (completion reports only). Learning of
    people who match no employee counts in the "all" unit of an unfiltered scope only.
    Raises ValueError for a unit not in UNITS.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    frame = query_df(con, "skills/learning_by_unit_period", params(scope, unit=unit))
    out = suppress(frame, "average_headcount", threshold(con), by=["period"], complementary=unit != "all")
    for column in FIGURES:
        out[column] = out[column].astype("float64").where(~out["hidden"])
    return out


def experiments(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per experiment (learning rows of kind experiment, by title) dated in the
    period: title, participants (people), teams (count), hours, first_date, last_date;
    most participants first."""
    return query_df(con, "skills/experiments", params(scope))
