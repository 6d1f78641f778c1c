"""The Delivery page's drill-down: the rows behind a number, for any bucket of the trends and team.

Used by the Drill down tab and under a chart whose point was clicked
(`lib.ui.delivery_context.Context.show_picks`). Rows carry ids, never a person.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib.charts import source_words
from lib.scope import Scope, file_stem
from lib.ui import data, layout
from lib.views.drilldown import DEFAULT_LIMIT, DRILLS

ALL_TEAMS = "All teams in the filter"
WHOLE_PERIOD = "The chosen period"

_WHEN = "YYYY-MM-DD HH:mm"
DRILL_COLUMNS = {
    "deploy_id": "Deployment",
    "incident_id": "Incident",
    "item_id": "Item",
    "pr_id": "Pull request",
    "service": "Service",
    "team": "Team",
    "environment": "Environment",
    "status": "Status",
    "counts_as_failure": st.column_config.CheckboxColumn("Change failure"),
    "caused_incidents": "Incidents naming it",
    "is_rework": st.column_config.CheckboxColumn("Rework"),
    "runs_backwards": st.column_config.CheckboxColumn(
        "Runs backwards", help="Its times run backwards: the row is kept, its duration left out of medians."
    ),
    "severity": "Severity",
    "caused_by_deploy_id": "Caused by deployment",
    "type": "Type",
    "title": "Title",
    "status_changes": st.column_config.NumberColumn("Status changes", format="%d"),
    "repo": "Repository",
    "additions": st.column_config.NumberColumn("Lines added", format="%d"),
    "deletions": st.column_config.NumberColumn("Lines deleted", format="%d"),
    "ai_assisted": st.column_config.CheckboxColumn("AI-assisted"),
    "deployed_at": st.column_config.DatetimeColumn("Deployed (UTC)", format=_WHEN),
    "commit_at": st.column_config.DatetimeColumn("First commit (UTC)", format=_WHEN),
    "started_at": st.column_config.DatetimeColumn("Started (UTC)", format=_WHEN),
    "resolved_at": st.column_config.DatetimeColumn("Resolved (UTC)", format=_WHEN),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format=_WHEN),
    "completed_at": st.column_config.DatetimeColumn("Completed (UTC)", format=_WHEN),
    "canceled_at": st.column_config.DatetimeColumn("Canceled (UTC)", format=_WHEN),
    "opened_at": st.column_config.DatetimeColumn("Opened (UTC)", format=_WHEN),
    "first_review_at": st.column_config.DatetimeColumn("First human review (UTC)", format=_WHEN),
    "merged_at": st.column_config.DatetimeColumn("Merged (UTC)", format=_WHEN),
    "lead_time_hours": st.column_config.NumberColumn("Lead time (h)", format="%.1f"),
    "recovery_hours": st.column_config.NumberColumn("Time to restore (h)", format="%.1f"),
    "flow_time_days": st.column_config.NumberColumn("Flow time (days)", format="%.1f"),
    "pickup_hours": st.column_config.NumberColumn("Pickup (h)", format="%.1f"),
    "review_hours": st.column_config.NumberColumn("Review (h)", format="%.1f"),
}


def buckets(scope: Scope, window: Scope) -> list[tuple[str, dt.date, dt.date]]:
    """The chosen period, then every bucket of the trend window, newest first: (label, start, end)."""
    trend = data.frame("lib.views.delivery.dora_by_period", window)
    found = [(WHOLE_PERIOD, scope.start, scope.end)]
    for row in trend.sort_values("period", ascending=False).itertuples():
        start, end = pd.Timestamp(row.bucket_start).date(), pd.Timestamp(row.bucket_end).date()
        found.append((bucket_label(scope.grain, start, end), start, end))
    return found


def bucket_label(grain: str, start: dt.date, end: dt.date) -> str:
    if grain == "month":
        return f"{start:%B %Y}"
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start:%Y}"
    return f"Week of {start:%d %b %Y}"


def rows_table(metric: str, scope: Scope, where: str, key: str) -> None:
    """The newest rows (at most DEFAULT_LIMIT) behind `metric` in `scope`, with their count, and
    every one of them as a CSV named after the metric, the bucket and the team."""
    rows, total = data.view("lib.views.drilldown.rows_behind", scope, metric, None)
    drill = DRILLS[metric]
    source = source_words(drill.source)
    if not total:
        st.info(f"No rows in {source} for {where}.", icon=":material/search_off:")
        return
    shown = min(total, DEFAULT_LIMIT)
    st.caption(
        f"{total:,} row{'s' if total != 1 else ''} in {source} · "
        + (f"showing the newest {shown:,}; the CSV holds all {total:,}" if shown < total else "showing all")
        + f" · {scope.start:%d %b %Y} – {scope.end - dt.timedelta(days=1):%d %b %Y}"
    )
    layout.table(rows.head(shown), hide_index=True, width="stretch", column_config=DRILL_COLUMNS, key=key)
    layout.csv_download(
        f"Download all {total:,} rows (CSV)",
        rows,
        file_name=drill_file_name(metric, scope),
        key=f"{key}-csv",
        deferred=True,
    )


def drill_file_name(metric: str, scope: Scope) -> str:
    """'change-failure-rate-2026-09-01-to-2026-09-30-payments.csv': metric, bucket (first and
    last day) and team ('all-teams' without a filter, 'N-teams' for several)."""
    return file_stem(metric, scope) + ".csv"


def drilldown_section(ctx) -> None:
    """The Drill down tab: pick a metric, a bucket and a team; see the rows."""
    st.subheader("Drill down: the rows behind a number")
    st.caption(
        "Pick a metric, a period (any bucket of the trends) and a team to see the records it is computed "
        f"from, newest first (the newest {DEFAULT_LIMIT} on the page, all of them in the CSV). Ids only: no "
        "personal names. Clicking a point on a trend in the other tabs shows its rows under the chart."
    )
    found = buckets(ctx.scope, ctx.window)
    left, middle, right = st.columns(3)
    metric = left.selectbox("Metric", list(DRILLS), key="drill-metric")
    labels = [b[0] for b in found]
    chosen = middle.selectbox("Period", labels, key="drill-period")
    teams_found = data.view("lib.views.delivery_detail.teams_in_scope", ctx.window).teams
    team = right.selectbox("Team", [ALL_TEAMS, *teams_found], key="drill-team")
    _, start, end = found[labels.index(chosen)] if chosen in labels else found[0]
    teams = ctx.scope.teams if team == ALL_TEAMS else (team,)
    drill_scope = Scope(start=start, end=end, grain=ctx.scope.grain, teams=teams)
    st.markdown(f"**{DRILLS[metric].explains}**")
    rows_table(metric, drill_scope, f"{chosen.lower()} and this team", key="drill-table")
