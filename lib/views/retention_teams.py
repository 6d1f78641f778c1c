"""Teams and drill-downs: who loses people next to how safe they feel, and the counts behind a
point of any retention chart (never the people).

Psychological safety comes from the engagement view (`lib.views.engagement_detail.heatmap`),
already suppressed by the survey anonymity plan; a team with fewer people than the
threshold shows no attrition either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.views import engagement_detail
from lib.views.retention import attrition_by_period, retention_summary, too_few_reason

SAFETY = "psychological_safety"


def team_attrition_and_safety(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per team of the scope: people (average headcount over the trailing year to the
    period end), leavers (voluntary ones when the data has separation types, else all),
    attrition_rate (leavers ÷ people, 0–1), measure ("voluntary" or "all"),
    psychological_safety (favourable share in the latest survey of that year, or null),
    suppressed_reason."""
    window = dataclasses.replace(scope, start=scope.end - dt.timedelta(days=365), grain="quarter")
    frame = attrition_by_period(con, window, "team")
    columns = ["team", "people", "leavers", "attrition_rate", "measure", SAFETY, "suppressed_reason"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    last = frame[frame["period"] == frame["period"].max()].copy()
    # voluntary leavers only when every team's are shown: a team of fewer leavers than the
    # threshold has its split hidden (lib.views.retention._hide_split), so all leavers are compared
    voluntary = last["voluntary_attrition_rate_ttm"].notna().any() and not last["split_hidden"].any()
    last["people"] = (last["headcount_year_ago"] + last["headcount_end"]) / 2
    last["leavers"] = last["voluntary_ttm"] if voluntary else last["separations_ttm"]
    last["attrition_rate"] = last["voluntary_attrition_rate_ttm"] if voluntary else last["attrition_rate_ttm"]
    last["measure"] = "voluntary" if voluntary else "all"
    last = last.rename(columns={"group": "team"})
    wave = engagement_detail.current_wave(con, window)
    if wave is not None:
        cells = engagement_detail.heatmap(con, window, wave["survey_id"])
        safety = cells[cells["dimension"] == SAFETY].set_index("team")["value"]
        last[SAFETY] = last["team"].map(safety).astype("float64")
    else:
        last[SAFETY] = float("nan")
    return last[columns].reset_index(drop=True)


def counts_behind(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """The counts that make a point of a headcount or attrition chart, for the bucket `scope`
    ([start, end) of the point, the page's teams): rows of (measure, value). All values
    are hidden (the one row says why) when fewer people than the threshold were employed
    in the trailing year."""
    k = threshold(con)
    s = retention_summary(con, scope)
    if max(s["headcount_year_ago"] or 0, s["headcount_end"] or 0, s["headcount_start"] or 0) < k:
        return pd.DataFrame({"measure": ["Not shown"], "value": [too_few_reason(k)]})
    last_day = scope.end - dt.timedelta(days=1)
    year_ago = scope.end - dt.timedelta(days=365)
    involuntary = s["separations"] - s["voluntary_separations"]
    rows = [
        (f"Headcount on {scope.start:%d %b %Y}", s["headcount_start"]),
        (f"Hires {scope.start:%d %b} – {last_day:%d %b %Y}", s["hires"]),
        ("Leavers in the same days", s["separations"]),
        ("… of whom voluntary", s["voluntary_separations"]),
        ("… not voluntary (involuntary or type unknown)", involuntary),
        ("… of whom regretted", s["regretted_separations"]),
        (f"Headcount at the end ({scope.end:%d %b %Y})", s["headcount_end"]),
        (f"Headcount a year earlier ({year_ago:%d %b %Y})", s["headcount_year_ago"]),
        ("Leavers in the 12 months to the end", s["separations_ttm"]),
        ("Attrition, trailing 12 months", _percent(s["attrition_rate_ttm"])),
    ]
    return pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "value": [r[1] if isinstance(r[1], str) else f"{r[1]:,.0f}" for r in rows],
        }
    )


def _percent(value) -> str:
    return "no data" if value is None else f"{value:.1%}"
