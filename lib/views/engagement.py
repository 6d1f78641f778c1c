"""People engagement: the latest survey's index, eNPS, participation and favourability,
and the same per survey wave, with small groups suppressed (SPEC §6).

Suppression happens in SQL, against `lib.anonymity.threshold(con)`: a slice (the whole
organisation or the teams in scope) with fewer respondents than the threshold gets null
numbers, and so does a dimension answered by fewer respondents than the threshold.
Filtered slices also leave out every cell the anonymity plan hides (`lib.anonymity.plan`:
small teams and their complements), so no two figures differ by a small group.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib import anonymity
from lib.scope import Scope
from lib.sql import query_df
from lib.views import params, plain


def engagement_by_wave(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per survey in the period, oldest first: survey_id, survey_date, suppressed,
    respondents, employees_active, participation_rate, enps, engagement_index (numbers
    null when suppressed)."""
    return query_df(con, "engagement/engagement_by_wave", params(scope, **anonymity.plan(con).params()))


def favorability_by_wave(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per survey per Likert dimension: share of 4–5 scores, null when the survey
    slice or the dimension has fewer respondents than the anonymity threshold."""
    return query_df(con, "engagement/favorability_by_wave", params(scope, **anonymity.plan(con).params()))


def engagement_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `engagement.*` catalog key, from the latest survey in the period.

    The latest survey is the one with the greatest survey_date among the scope's
    responses in the period (ties: the greatest survey_id).
    """
    waves = engagement_by_wave(con, scope)
    empty = {
        "survey_id": None,
        "respondents": None,
        "participation_rate": None,
        "enps": None,
        "favorability": {},
        "index": None,
        "suppressed": False,
    }
    if waves.empty:
        return empty
    latest = waves.sort_values(["survey_date", "survey_id"]).iloc[-1]
    dims = favorability_by_wave(con, scope)
    dims = dims[dims["survey_id"] == latest["survey_id"]]
    return {
        "survey_id": plain(latest["survey_id"]),
        "respondents": _int(latest["respondents"]),
        "participation_rate": plain(latest["participation_rate"]),
        "enps": plain(latest["enps"]),
        "favorability": {
            str(d): plain(v) for d, v in zip(dims["dimension"], dims["favorability"], strict=True)
        },
        "index": plain(latest["engagement_index"]),
        "suppressed": bool(latest["suppressed"]),
    }


def _int(value) -> int | None:
    value = plain(value)
    return None if value is None else int(value)
