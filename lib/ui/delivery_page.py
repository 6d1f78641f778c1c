"""The Delivery & quality page: headline tiles, then one tab per section (DORA, flow,
incidents, PR cycle time, teams, drill-down).

Numbers come from `lib.views` through the cache, figures from `lib.charts.delivery`;
this module only lays them out. Tiles cover the chosen period; trends cover at least
the twelve months ending with it, at the chosen grain. Data the page lacks is named
under the tiles, and again where a section would have drawn it.

Only the open tab is computed and drawn (the tab is bound to `?section=`): sixteen
charts on one page took a browser over 3 s to draw on a 2-core machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.charts import caption_text
from lib.charts import delivery as charts
from lib.formatting import format_value, is_missing
from lib.metrics import definition_for
from lib.overview import band_text, change_text, period_phrase
from lib.scope import Scope
from lib.ui import data, filters, layout
from lib.views.delivery import DORA_SOURCE
from lib.views.delivery_detail import MAX_PANELS, missing_data, trend_window
from lib.views.drilldown import DEFAULT_LIMIT, DRILLS

DORA_KEYS = (
    "delivery.deployment_frequency_per_week",
    "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate",
    "delivery.recovery_time_hours_p50",
    "delivery.rework_rate",
)
FLOW_KEYS = ("flow.velocity_per_week", "flow.time_days_p50", "flow.load", "flow.efficiency")
ALL_TEAMS = "All teams in the filter"
COMPLETED = "Completed work items"
# The drill-down (lib.views.drilldown.DRILLS) behind each trend's points.
DORA_DRILLS = {
    "deployment_frequency_per_week": "Deployments",
    "lead_time_hours_p50": "Change lead time",
    "change_failure_rate": "Change failure rate",
    "recovery_time_hours_p50": "Recovery time and incidents",
}
TEAM_DRILLS = {**DORA_DRILLS, "velocity_per_week": COMPLETED, "time_days_p50": COMPLETED}
CLICK_HINT = "Click a point on a trend to see the rows behind it."
WHOLE_PERIOD = "The chosen period"


@dataclass(frozen=True)
class Pick:
    """A point clicked on a chart: which chart, which drill-down, which period and team."""

    key: str
    drill: str
    x: str
    team: str | None = None


def _day(x: str) -> dt.date | None:
    try:
        return pd.Timestamp(x).date()
    except (ValueError, TypeError):
        return None


class Context:
    """What every section needs: the period, the trend window, the data gaps, and the points
    clicked on the row of charts being drawn."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.window = trend_window(scope)
        self.filters = filters.filter_text()
        self.x_title = f"{scope.grain.capitalize()} (UTC)"
        self.coverage = data.view("lib.views.delivery_detail.coverage", scope)
        self.gaps = missing_data(self.coverage)
        self.picks: list[Pick] = []

    def chart(self, fig, key: str, drill: str, note: str | None = None, team: bool = False) -> None:
        """A chart whose points open the rows behind them (the `drill` of lib.views.drilldown)."""
        points = layout.chart(fig, key=key, note=note, clickable=True)
        if points:
            picked_team = points[0].get("legendgroup") if team else None
            self.picks.append(Pick(key, drill, str(points[0].get("x", "")), picked_team))

    def show_picks(self) -> None:
        """Under a row of charts: the rows behind each point clicked in it."""
        buckets = _buckets(self)[1:] if self.picks else []
        for pick in self.picks:
            bucket = next((b for b in buckets if b[1] == _day(pick.x)), None)
            if bucket is None:
                continue
            label, start, end = bucket
            teams = (pick.team,) if pick.team else self.scope.teams
            where = f"{label}, {pick.team}" if pick.team else label
            st.markdown(f"**Rows behind the point clicked: {pick.drill}, {where}**")
            scope = Scope(start, end, self.scope.grain, teams)
            _rows_table(pick.drill, scope, where, key=f"pick-{pick.key}")
            st.caption("Double-click the chart to clear the selection.")
        self.picks = []

    def caption(self, source: str, trend: bool = True) -> str:
        return caption_text(source, filters.period_text(self.window if trend else self.scope), self.filters)


def header(scope: Scope) -> Context:
    layout.page_header(
        "Delivery & quality",
        f"{filters.period_text(scope)} · {filters.filter_text()} · tiles compare with the previous period "
        "of equal length; trends cover the twelve months ending with the period",
    )
    return Context(scope)


TILE_LABELS = {
    "delivery.deployment_frequency_per_week": "Deploy frequency",
    "delivery.lead_time_hours_p50": "Lead time (median)",
    "delivery.change_failure_rate": "Change failure rate",
    "delivery.recovery_time_hours_p50": "Recovery (median)",
    "delivery.rework_rate": "Rework rate",
    "flow.velocity_per_week": "Flow velocity",
    "flow.time_days_p50": "Flow time (median)",
    "flow.load": "Work in progress",
    "flow.efficiency": "Flow efficiency",
}
SHORT_UNITS = {"per week": "/wk", "items per week": "/wk", "hours": " h", "days": " d", "items": ""}


def tile_value(value, unit: str) -> str:
    """'99.2/wk', '5.34 h', '3.0%': values that fit a fifth of the page."""
    if unit in SHORT_UNITS and not is_missing(value):
        return format_value(value) + SHORT_UNITS[unit]
    return format_value(value, unit)


def _tiles(ctx: Context, keys: tuple[str, ...], per_row: int, caption: bool = True) -> None:
    # One cached call for both rows of tiles.
    items = [
        i
        for i in data.view("lib.views.delivery_detail.headlines", ctx.scope, DORA_KEYS + FLOW_KEYS)
        if i.key in keys
    ]
    if caption:
        st.caption(f"{filters.period_text(ctx.scope)} · arrows: change {period_phrase(ctx.scope.days)}")
    tiles = []
    for item in items:
        better = definition_for(item.key).higher_is_better
        band = band_text(item)
        if item.key == "delivery.rework_rate":
            band = "DORA publishes no tier bands for rework rate"
        tiles.append(
            layout.Tile(
                label=TILE_LABELS.get(item.key, item.label),
                value=tile_value(item.value, item.unit),
                delta=change_text(item),
                delta_color="off" if better is None else "normal" if better else "inverse",
                band=band or "No benchmark",
                help=f"{item.label}: {definition_for(item.key).definition}",
            )
        )
    layout.tiles(tiles, per_row=per_row)


# ---------------------------------------------------------------------------- DORA


def _opens(title: str, rows: int, absent: str) -> bool:
    """A section's heading, then the click hint; or, when its tables hold no `rows` at all, a
    pointer to the note above the tabs (`absent`: "No incident data")."""
    st.subheader(title)
    if not rows:
        layout.nothing_to_draw(f"{absent}: see the note above the tabs.")
        return False
    st.caption(CLICK_HINT)
    return True


def summary(ctx: Context) -> None:
    """The overall DORA tier, the nine headline tiles and every data gap, above the tabs."""
    summary = data.view("lib.views.delivery.dora_summary", ctx.scope)
    tier = summary.get("dora_tier")
    if tier:
        st.markdown(
            f"Overall delivery performance: **{tier} tier** (the best tier reached by all but one of the "
            "four keys; bands from the 2023 Accelerate State of DevOps Report)."
        )
    _tiles(ctx, DORA_KEYS, per_row=5)
    _tiles(ctx, FLOW_KEYS, per_row=4, caption=False)
    st.caption(f"Tier bands: {DORA_SOURCE}.")
    for gap in ctx.gaps:
        layout.missing(gap.message)


def dora_section(ctx: Context) -> None:
    if not _opens(
        "DORA: how fast and how safely we ship",
        ctx.coverage["deployments_total"] or ctx.coverage["incidents_total"],
        "No deployment or incident data",
    ):
        return
    trend = data.frame("lib.views.delivery.dora_by_period", ctx.window)
    source = {"recovery_time_hours_p50": "incidents"}
    pairs = (
        ("deployment_frequency_per_week", "lead_time_hours_p50"),
        ("change_failure_rate", "recovery_time_hours_p50"),
    )
    for i, pair in enumerate(pairs):
        for column, key in zip(st.columns(2), pair, strict=True):
            with column:
                caption = (
                    ctx.caption(source.get(key, "deployments")) + " · Bands: DORA 2023 State of DevOps Report"
                )
                fig = charts.dora_trend(trend, key, caption, ctx.x_title)
                ctx.chart(fig, key=f"dora-{i}-{key}", drill=DORA_DRILLS[key])
        ctx.show_picks()
    left, right = st.columns(2)
    with left:
        fig = charts.dora_trend(trend, "rework_rate", ctx.caption("deployments"), ctx.x_title)
        ctx.chart(fig, "dora-rework", "Rework rate", note="No DORA tier bands are published for rework rate.")
    with right:
        fig = charts.outcomes_by_period(trend, ctx.caption("deployments, incidents"), ctx.x_title)
        ctx.chart(fig, "dora-outcomes", "Deployments")
    ctx.show_picks()


# ---------------------------------------------------------------------------- flow


def flow_section(ctx: Context) -> None:
    if not _opens(
        "Flow: how much work finishes, how long it takes, where it waits",
        ctx.coverage["work_items_total"],
        "No work item data",
    ):
        return
    by_type = data.frame("lib.views.flow_detail.completed_by_type_period", ctx.window)
    caption = ctx.caption("work_items")
    left, right = st.columns(2)
    with left:
        ctx.chart(charts.velocity_by_type(by_type, caption, ctx.x_title), "flow-velocity", COMPLETED)
    with right:
        ctx.chart(charts.distribution_shares(by_type, caption, ctx.x_title), "flow-distribution", COMPLETED)
    ctx.show_picks()
    spread = data.view("lib.views.flow_detail.flow_time_spread", ctx.scope)
    boxes = data.frame("lib.views.flow_detail.flow_time_by_period", ctx.window)
    histogram = data.frame("lib.views.flow_detail.flow_time_histogram", ctx.scope)
    left, right = st.columns(2)
    with left:
        ctx.chart(charts.flow_time_box(boxes, spread, caption, ctx.x_title), "flow-time-box", COMPLETED)
    with right:
        fig = charts.flow_time_histogram(histogram, ctx.caption("work_items", trend=False))
        layout.chart(fig, key="flow-time-histogram")
    ctx.show_picks()
    flow = data.frame("lib.views.flow.flow_by_period", ctx.window)
    left, right = st.columns(2)
    with left:
        metric = charts.Metric("load", "Work in progress", "items", "Items in progress at the period end",
                               False, source="work_items")  # fmt: skip
        fig = charts.simple_trend(flow, metric, caption, ctx.x_title, "No work in progress in this period.")
        ctx.chart(fig, "flow-load", "Work in progress (flow load)")
    with right:
        metric = charts.Metric("efficiency", "Flow efficiency", "%", "Active time (% of flow time)", True,
                               y_format=".0%", source="work_items, work_item_transitions")  # fmt: skip
        fig = charts.simple_trend(
            flow,
            metric,
            ctx.caption("work_items, work_item_transitions"),
            ctx.x_title,
            "No status history: flow efficiency cannot be computed.",
        )
        ctx.chart(fig, "flow-efficiency", COMPLETED)
    ctx.show_picks()


# ---------------------------------------------------------------------------- incidents


def incidents_section(ctx: Context) -> None:
    if not _opens(
        "Incidents by severity and service",
        ctx.coverage["incidents_total"],
        "No incident data",
    ):
        return
    by_service = data.frame("lib.views.incidents.incidents_by_service", ctx.scope)
    by_period = data.frame("lib.views.incidents.incidents_by_period", ctx.window)
    left, right = st.columns(2)
    with left:
        fig = charts.incidents_by_service(by_service, ctx.caption("incidents", trend=False))
        layout.chart(fig, key="incidents-service")
    with right:
        fig = charts.incidents_by_period(by_period, ctx.caption("incidents"), ctx.x_title)
        ctx.chart(fig, "incidents-period", "Recovery time and incidents")
    ctx.show_picks()


# ---------------------------------------------------------------------------- pull requests


def pull_request_section(ctx: Context) -> None:
    if not _opens(
        "Pull request cycle time: where a change waits",
        ctx.coverage["pull_requests_total"],
        "No pull request data",
    ):
        return
    summary = data.view("lib.views.pull_requests.pr_cycle", ctx.scope)
    by_period = data.frame("lib.views.pull_requests.pr_cycle_by_period", ctx.window)
    layout.missing(
        "Coding time (first commit → PR opened) is not in the data: PR exports carry no commit times."
    )
    if summary["merged_prs"] and not summary["deployed_prs"] and ctx.coverage["deployments_total"]:
        layout.missing(
            "No production deployment matches these PRs' repositories (service named like the repository): "
            "deploy time cannot be computed."
        )
    cells = st.columns(4)
    stats = (
        ("PRs merged", format_value(summary["merged_prs"]), "Pull requests merged in the period."),
        ("Pickup (median)", tile_value(summary["pickup_hours_p50"], "hours"),
         "PR opened → first review by someone other than the author."),
        ("Review (median)", tile_value(summary["review_hours_p50"], "hours"), "First review → merge."),
        ("Deploy (median)", tile_value(summary["deploy_hours_p50"], "hours"),
         "Merge → first successful production deployment of the service named like the repository."),
    )  # fmt: skip
    for cell, (label, value, help_text) in zip(cells, stats, strict=True):
        with cell, st.container(border=True):
            st.metric(label, value, help=help_text)
    fig = charts.pr_breakdown(by_period, summary, ctx.caption("pull_requests, deployments"), ctx.x_title)
    ctx.chart(fig, "pr-breakdown", "Pull requests")
    ctx.show_picks()


# ---------------------------------------------------------------------------- teams


TEAM_CHOICES = {
    "deployment_frequency_per_week": "Deployment frequency",
    "lead_time_hours_p50": "Change lead time",
    "change_failure_rate": "Change failure rate",
    "recovery_time_hours_p50": "Recovery time",
    "velocity_per_week": "Flow velocity",
    "time_days_p50": "Flow time",
}


def teams_section(ctx: Context) -> None:
    in_scope = data.view("lib.views.delivery_detail.teams_in_scope", ctx.window)
    by_org = in_scope.unit == "org"
    if by_org:
        st.subheader("Orgs, each against its own trend")
        st.caption(
            f"{len(in_scope.teams)} teams in the filter are too many for one small chart each, so each chart "
            f"here is one of {len(in_scope.orgs)} orgs, all its teams together. Choose an organisation in "
            "the sidebar to see its teams one by one. DORA advises against ranking: each chart is on its "
            "own scale, alphabetically, so the question is whether an org is improving, not who is first."
        )
    else:
        st.subheader("Teams, each against its own trend")
        st.caption(
            "DORA advises against ranking teams: their contexts differ. Each small chart shows one team "
            "on its own scale, alphabetically, so the question is whether a team is improving, not who is "
            "first."
        )
    column = st.selectbox(
        "Metric", list(TEAM_CHOICES), format_func=TEAM_CHOICES.get, key="delivery-team-metric"
    )
    flow_metric = column in ("velocity_per_week", "time_days_p50")
    view = (
        "lib.views.flow_detail.flow_by_unit_period"
        if flow_metric
        else "lib.views.delivery_detail.dora_by_unit_period"
    )
    frame = data.frame(view, ctx.window, in_scope.unit)
    source = (
        "work_items" if flow_metric else "incidents" if column == "recovery_time_hours_p50" else "deployments"
    )
    if by_org:
        source += ", teams"
    fig = charts.team_small_multiples(
        frame, column, ctx.caption(source), ctx.x_title, noun=in_scope.unit, max_panels=MAX_PANELS
    )
    if by_org:
        layout.chart(fig, key="teams")
    else:
        ctx.chart(fig, "teams", TEAM_DRILLS[column], team=True)
        ctx.show_picks()


# ---------------------------------------------------------------------------- drill-down


def _buckets(ctx: Context) -> list[tuple[str, dt.date, dt.date]]:
    trend = data.frame("lib.views.delivery.dora_by_period", ctx.window)
    found = [(WHOLE_PERIOD, ctx.scope.start, ctx.scope.end)]
    for row in trend.sort_values("period", ascending=False).itertuples():
        start, end = pd.Timestamp(row.bucket_start).date(), pd.Timestamp(row.bucket_end).date()
        label = _bucket_label(ctx.scope.grain, start, end)
        found.append((label, start, end))
    return found


def _bucket_label(grain: str, start: dt.date, end: dt.date) -> str:
    if grain == "month":
        return f"{start:%B %Y}"
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start:%Y}"
    return f"Week of {start:%d %b %Y}"


def _teams(ctx: Context) -> list[str]:
    return list(data.view("lib.views.delivery_detail.teams_in_scope", ctx.window).teams)


DRILL_COLUMNS = {
    "deploy_id": "Deployment",
    "incident_id": "Incident",
    "item_id": "Item",
    "pr_id": "Pull request",
    "service": "Service",
    "team": "Team",
    "environment": "Environment",
    "status": "Status",
    "counts_as_failure": st.column_config.CheckboxColumn("Counts as failure"),
    "caused_incidents": "Incidents naming it",
    "is_rework": st.column_config.CheckboxColumn("Rework"),
    "severity": "Severity",
    "caused_by_deploy_id": "Caused by deployment",
    "type": "Type",
    "title": "Title",
    "status_changes": st.column_config.NumberColumn("Status changes", format="%d"),
    "repo": "Repository",
    "additions": st.column_config.NumberColumn("Lines added", format="%d"),
    "deletions": st.column_config.NumberColumn("Lines deleted", format="%d"),
    "ai_assisted": st.column_config.CheckboxColumn("AI-assisted"),
    "deployed_at": st.column_config.DatetimeColumn("Deployed (UTC)", format="YYYY-MM-DD HH:mm"),
    "commit_at": st.column_config.DatetimeColumn("First commit (UTC)", format="YYYY-MM-DD HH:mm"),
    "started_at": st.column_config.DatetimeColumn("Started (UTC)", format="YYYY-MM-DD HH:mm"),
    "resolved_at": st.column_config.DatetimeColumn("Resolved (UTC)", format="YYYY-MM-DD HH:mm"),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format="YYYY-MM-DD HH:mm"),
    "completed_at": st.column_config.DatetimeColumn("Completed (UTC)", format="YYYY-MM-DD HH:mm"),
    "canceled_at": st.column_config.DatetimeColumn("Canceled (UTC)", format="YYYY-MM-DD HH:mm"),
    "opened_at": st.column_config.DatetimeColumn("Opened (UTC)", format="YYYY-MM-DD HH:mm"),
    "first_review_at": st.column_config.DatetimeColumn("First review (UTC)", format="YYYY-MM-DD HH:mm"),
    "merged_at": st.column_config.DatetimeColumn("Merged (UTC)", format="YYYY-MM-DD HH:mm"),
    "lead_time_hours": st.column_config.NumberColumn("Lead time (h)", format="%.1f"),
    "recovery_hours": st.column_config.NumberColumn("Recovery (h)", format="%.1f"),
    "flow_time_days": st.column_config.NumberColumn("Flow time (days)", format="%.1f"),
    "pickup_hours": st.column_config.NumberColumn("Pickup (h)", format="%.1f"),
    "review_hours": st.column_config.NumberColumn("Review (h)", format="%.1f"),
}


def drilldown_section(ctx: Context) -> None:
    st.subheader("Drill down: the rows behind a number")
    st.caption(
        "Pick a metric, a period (any bucket of the trends) and a team to see the records it is computed "
        f"from, newest first (at most {DEFAULT_LIMIT}). Ids only: no personal names. Clicking a point on "
        "a trend in the other tabs shows its rows under the chart."
    )
    buckets = _buckets(ctx)
    left, middle, right = st.columns(3)
    metric = left.selectbox("Metric", list(DRILLS), key="drill-metric")
    labels = [b[0] for b in buckets]
    chosen = middle.selectbox("Period", labels, key="drill-period")
    team = right.selectbox("Team", [ALL_TEAMS, *_teams(ctx)], key="drill-team")
    _, start, end = buckets[labels.index(chosen)] if chosen in labels else buckets[0]
    teams = ctx.scope.teams if team == ALL_TEAMS else (team,)
    drill_scope = Scope(start=start, end=end, grain=ctx.scope.grain, teams=teams)
    st.markdown(f"**{DRILLS[metric].explains}**")
    _rows_table(metric, drill_scope, f"{chosen.lower()} and this team", key="drill-table")


def _rows_table(metric: str, scope: Scope, where: str, key: str) -> None:
    """The newest rows (at most DEFAULT_LIMIT) behind `metric` in `scope`, with their count."""
    rows, total = data.view("lib.views.drilldown.rows_behind", scope, metric)
    drill = DRILLS[metric]
    if not total:
        st.info(f"No rows in `{drill.source}` for {where}.", icon=":material/search_off:")
        return
    shown = len(rows)
    st.caption(
        f"{total:,} row{'s' if total != 1 else ''} in `{drill.source}` · "
        + (f"showing the newest {shown:,}" if shown < total else "showing all")
        + f" · {scope.start:%d %b %Y} – {scope.end - dt.timedelta(days=1):%d %b %Y}"
    )
    layout.table(rows, hide_index=True, width="stretch", column_config=DRILL_COLUMNS, key=key)


# ---------------------------------------------------------------------------- tabs


SECTIONS = {
    "DORA": dora_section,
    "Flow": flow_section,
    "Incidents": incidents_section,
    "Pull requests": pull_request_section,
    "Teams": teams_section,
    "Drill down": drilldown_section,
}


def sections(ctx: Context) -> None:
    """One tab per section, bound to `?section=` so a view can be shared; only the open one runs."""
    tabs = st.tabs(list(SECTIONS), key="section", on_change="rerun", bind="query-params")
    for tab, draw in zip(tabs, SECTIONS.values(), strict=True):
        if tab.open:
            with tab:
                draw(ctx)
