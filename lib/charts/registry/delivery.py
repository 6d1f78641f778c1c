"""The Delivery & quality page's charts: the page draws these (`lib.ui.registered.chart`), and the
board pack puts the same figures on its slides. Each composes the delivery views over the trend
window with a `lib.charts.delivery` builder and its caption.

When a chart has nothing to draw, the slide says why with the page's own data-gap sentence
(`lib.views.delivery_detail.missing_data`), e.g. "No incident data: … Import a PagerDuty or
Opsgenie export.", or, when deployments exist but none is to production, that none is.
"""

from __future__ import annotations

from lib.charts import delivery as charts
from lib.charts.marks import fade_partial
from lib.charts.registry import Context, NoData, missing, register
from lib.metrics import title_value
from lib.views import delivery, flow, flow_detail, incidents, pull_requests
from lib.views.delivery_detail import (
    MAX_PANELS,
    coverage,
    dora_by_unit_period,
    missing_data,
    no_production,
    teams_in_scope,
)

BANDS = "Bands: DORA 2023 State of DevOps Report"
DORA_NOTE = (
    "Tier bands from the 2023 Accelerate State of DevOps Report, read literally (elite: more than one "
    "deployment a day; 'less than one day' excludes exactly 24 h); a trend covers at least the twelve "
    "months ending with the chosen period."
)
RECOVERY_NOTE = (
    "Time to restore service: every incident, from start to resolution (DORA's measure until its 2022 "
    "report); its bands are the 2023 report's failed deployment recovery time, the measure that replaced it. "
)
NO_PRODUCTION = (
    "No production deployments: none is to a production environment (see the note above the tabs)."
)
TREND_NOTE = "The trend covers at least the twelve months ending with the chosen period."


def _explained(fig, con, scope, sections: tuple[str, ...]):
    """A figure with nothing to draw says which data is missing, in the page's words."""
    if missing(fig) is None:
        return fig
    gaps = [g.message for g in missing_data(coverage(con, scope)) if g.section in sections]
    raise NoData(" ".join(gaps) if gaps else missing(fig))


# Each tab of the page opens only when its tables hold rows (`delivery_page._opens`): the
# coverage count it checks, and the data-gap sections that explain its absence.
TABS = {
    "dora": (("deployments_total", "incidents_total"), ("dora", "incidents")),
    "flow": (("work_items_total",), ("flow",)),
    "incidents": (("incidents_total",), ("incidents",)),
    "pull_requests": (("pull_requests_total",), ("pull_requests",)),
}


def _opens(con, scope, tab: str) -> None:
    """Raise NoData, in the page's words, when the page's tab would have nothing to draw."""
    counts, sections = TABS[tab]
    found = coverage(con, scope)
    if not any(found[c] for c in counts):
        raise NoData(" ".join(g.message for g in missing_data(found) if g.section in sections))


def _dora(column: str, source: str, sections: tuple[str, ...]):
    def build(con, scope, filters):
        _opens(con, scope, "dora")
        ctx = Context(scope, filters)
        trend = delivery.dora_by_period(con, ctx.window)
        extra = "" if column == "rework_rate" else BANDS
        # no production deployment: say so rather than "no deployment frequency"
        empty = (
            NO_PRODUCTION
            if column != "recovery_time_hours_p50" and no_production(coverage(con, scope))
            else None
        )
        # the title ends on the tile's number: the catalog's value over the chosen period, with
        # its tier unless the tile holds it back (a change failure rate that cannot see failures)
        unseen = delivery.failures_unseen(coverage(con, scope)) if column == "change_failure_rate" else None
        if unseen:
            extra += f" · No tier: {unseen}"
        fig = charts.dora_trend(trend, column, ctx.caption(source, extra=extra), ctx.x_title, empty_message=empty,
                                now=title_value(con, scope, f"delivery.{column}"), grain=scope.grain,
                                tiered=not unseen)  # fmt: skip
        return _explained(fig, con, scope, sections)

    return build


DORA_TRENDS = (
    ("delivery.deployment_frequency_trend", "Deployment frequency trend", "deployment_frequency_per_week",
     "deployments", ("dora",)),
    ("delivery.lead_time_trend", "Change lead time trend", "lead_time_hours_p50", "deployments", ("dora",)),
    ("delivery.change_failure_rate_trend", "Change failure rate trend", "change_failure_rate", "deployments",
     ("dora", "incidents")),
    ("delivery.recovery_time_trend", "Time to restore service trend", "recovery_time_hours_p50",
     "incidents", ("incidents",)),
    ("delivery.rework_rate_trend", "Rework rate trend", "rework_rate", "deployments", ("dora",)),
)  # fmt: skip

for chart_id, name, column, source, sections in DORA_TRENDS:
    register(
        chart_id,
        "delivery",
        name,
        # the change failure rate's notes also say how many incidents it cannot count, the
        # frequency's how many runs have no status
        metrics=(f"delivery.{column}",)
        + (("delivery.incidents_without_deploy",) if column == "change_failure_rate" else ())
        + (("delivery.runs_without_status",) if column == "deployment_frequency_per_week" else ()),
        sources=tuple(dict.fromkeys((source, "deployments"))),
        note=(RECOVERY_NOTE if column == "recovery_time_hours_p50" else "") + DORA_NOTE
        if column != "rework_rate"
        else "DORA publishes no tier bands for rework rate. " + TREND_NOTE,
    )(_dora(column, source, sections))


@register(
    "delivery.deployment_outcomes",
    "delivery",
    "Deployments by outcome",
    metrics=("delivery.deployments", "delivery.failed_deployment_runs", "delivery.change_failure_rate"),
    sources=("deployments", "incidents"),
    note=TREND_NOTE,
)
def deployment_outcomes(con, scope, filters):
    _opens(con, scope, "dora")
    ctx = Context(scope, filters)
    trend = delivery.dora_by_period(con, ctx.window)
    # the title states the tile's change failure rate: the chosen period's, from the catalog's view
    period = delivery.dora_summary(con, scope)
    fig = charts.outcomes_by_period(trend, ctx.caption("deployments, incidents"), ctx.x_title, period=period)
    fade_partial(fig, ctx.window)  # counts: a 6-day month beside whole ones is no collapse
    return _explained(fig, con, scope, ("dora",))


FLOW = ("flow",)
_FLOW_TYPES = tuple(f"flow.distribution.{t}" for t in charts.WORK_TYPES)


@register(
    "delivery.flow_velocity_by_type",
    "delivery",
    "Flow velocity by work type",
    metrics=("flow.velocity_per_week",),
    sources=("work_items",),
    note=TREND_NOTE,
)
def flow_velocity_by_type(con, scope, filters):
    _opens(con, scope, "flow")
    ctx = Context(scope, filters)
    by_type = flow_detail.completed_by_type_period(con, ctx.window)
    fig = charts.velocity_by_type(by_type, ctx.caption("work_items"), ctx.x_title,
                                  now=title_value(con, scope, "flow.velocity_per_week"), grain=scope.grain)  # fmt: skip
    return _explained(fig, con, scope, FLOW)


@register(
    "delivery.flow_distribution",
    "delivery",
    "Flow distribution (features, defects, risks, debts)",
    metrics=_FLOW_TYPES,
    sources=("work_items",),
    note=TREND_NOTE,
)
def flow_distribution(con, scope, filters):
    _opens(con, scope, "flow")
    ctx = Context(scope, filters)
    by_type = flow_detail.completed_by_type_period(con, ctx.window)
    fig = charts.distribution_shares(by_type, ctx.caption("work_items"), ctx.x_title)
    return _explained(fig, con, scope, FLOW)


@register(
    "delivery.flow_time_spread",
    "delivery",
    "Flow time spread by period",
    metrics=("flow.time_days_p50",),
    sources=("work_items",),
    note="Boxes: quartiles and median; whiskers: 10th–90th percentile. " + TREND_NOTE,
)
def flow_time_spread(con, scope, filters):
    _opens(con, scope, "flow")
    ctx = Context(scope, filters)
    spread = flow_detail.flow_time_spread(con, scope)
    boxes = flow_detail.flow_time_by_period(con, ctx.window)
    fig = charts.flow_time_box(boxes, spread, ctx.caption("work_items"), ctx.x_title)
    return _explained(fig, con, scope, FLOW)


@register(
    "delivery.flow_time_histogram",
    "delivery",
    "Flow time distribution (chosen period)",
    metrics=("flow.time_days_p50",),
    sources=("work_items",),
)
def flow_time_histogram(con, scope, filters):
    _opens(con, scope, "flow")
    ctx = Context(scope, filters)
    histogram = flow_detail.flow_time_histogram(con, scope)
    fig = charts.flow_time_histogram(histogram, ctx.caption("work_items", trend=False))
    return _explained(fig, con, scope, FLOW)


# A count of fewer than MIN_COUNT items makes no trend title either ("up from 0 … 0 items → 1 item")
LOAD = charts.Metric("load", "Work in progress", "items", "Items in progress at the period end", False,
                     source="work_items", count="load", noun="items in progress")  # fmt: skip
EFFICIENCY = charts.Metric("efficiency", "Flow efficiency", "%", "Active time (% of flow time)", True,
                           y_format=".0%", source="work_items, work_item_transitions", count="velocity",
                           noun="completed items")  # fmt: skip


@register(
    "delivery.flow_load_trend",
    "delivery",
    "Work in progress (flow load) trend",
    metrics=("flow.load",),
    sources=("work_items",),
    note=TREND_NOTE,
)
def flow_load_trend(con, scope, filters):
    _opens(con, scope, "flow")
    ctx = Context(scope, filters)
    frame = flow.flow_by_period(con, ctx.window)
    fig = charts.simple_trend(frame, LOAD, ctx.caption("work_items"), ctx.x_title, "No work in progress in this period.",
                              now=title_value(con, scope, "flow.load"), grain=scope.grain)  # fmt: skip
    return _explained(fig, con, scope, FLOW)


@register(
    "delivery.flow_efficiency_trend",
    "delivery",
    "Flow efficiency trend",
    metrics=("flow.efficiency",),
    sources=("work_items", "work_item_transitions"),
    note=TREND_NOTE,
)
def flow_efficiency_trend(con, scope, filters):
    _opens(con, scope, "flow")
    ctx = Context(scope, filters)
    frame = flow.flow_by_period(con, ctx.window)
    fig = charts.simple_trend(
        frame,
        EFFICIENCY,
        ctx.caption("work_items, work_item_transitions"),
        ctx.x_title,
        "No status history: flow efficiency cannot be computed.",
        now=title_value(con, scope, "flow.efficiency"),
        grain=scope.grain,
    )
    return _explained(fig, con, scope, ("flow", "efficiency"))


@register(
    "delivery.incidents_by_service",
    "delivery",
    "Incidents by service and severity (chosen period)",
    sources=("incidents",),
)
def incidents_by_service(con, scope, filters):
    _opens(con, scope, "incidents")
    ctx = Context(scope, filters)
    frame = incidents.incidents_by_service(con, scope)
    fig = charts.incidents_by_service(frame, ctx.caption("incidents", trend=False))
    return _explained(fig, con, scope, ("incidents",))


@register(
    "delivery.incidents_by_period",
    "delivery",
    "Incidents over time by severity",
    metrics=("delivery.recovery_time_hours_p50",),
    sources=("incidents",),
    note=TREND_NOTE,
)
def incidents_by_period(con, scope, filters):
    _opens(con, scope, "incidents")
    ctx = Context(scope, filters)
    frame = incidents.incidents_by_period(con, ctx.window)
    fig = fade_partial(charts.incidents_by_period(frame, ctx.caption("incidents"), ctx.x_title), ctx.window)
    return _explained(fig, con, scope, ("incidents",))


@register(
    "delivery.pr_cycle_breakdown",
    "delivery",
    "Pull request cycle time by stage",
    metrics=("delivery.pr_pickup_hours_p50", "delivery.pr_review_hours_p50"),
    sources=("pull_requests", "deployments"),
    note="Medians per stage (pickup, review, deploy); they do not add up to the median of the whole. "
    + TREND_NOTE,
)
def pr_cycle_breakdown(con, scope, filters):
    _opens(con, scope, "pull_requests")
    ctx = Context(scope, filters)
    summary = pull_requests.pr_cycle(con, scope)
    by_period = pull_requests.pr_cycle_by_period(con, ctx.window)
    fig = charts.pr_breakdown(by_period, summary, ctx.caption("pull_requests, deployments"), ctx.x_title)
    fade_partial(fig, ctx.window)
    return _explained(fig, con, scope, ("pull_requests",))


# Each team (or org, past MAX_PANELS teams) against its own trend: one chart per metric of the
# page's Teams tab.
TEAM_TRENDS = (
    ("delivery.team_deployment_frequency", "Deployment frequency by team", "deployment_frequency_per_week",
     "delivery.deployment_frequency_per_week"),
    ("delivery.team_lead_time", "Change lead time by team", "lead_time_hours_p50",
     "delivery.lead_time_hours_p50"),
    ("delivery.team_change_failure_rate", "Change failure rate by team", "change_failure_rate",
     "delivery.change_failure_rate"),
    ("delivery.team_recovery_time", "Time to restore service by team", "recovery_time_hours_p50",
     "delivery.recovery_time_hours_p50"),
    ("delivery.team_flow_velocity", "Flow velocity by team", "velocity_per_week", "flow.velocity_per_week"),
    ("delivery.team_flow_time", "Flow time by team", "time_days_p50", "flow.time_days_p50"),
)  # fmt: skip
FLOW_COLUMNS = ("velocity_per_week", "time_days_p50")


def _teams(column: str):
    def build(con, scope, filters):
        ctx = Context(scope, filters)
        in_scope = teams_in_scope(con, ctx.window)
        flow_metric = column in FLOW_COLUMNS
        by_unit = flow_detail.flow_by_unit_period if flow_metric else dora_by_unit_period
        frame = by_unit(con, ctx.window, in_scope.unit)
        source = (
            "work_items"
            if flow_metric
            else "incidents"
            if column == "recovery_time_hours_p50"
            else "deployments"
        )
        if in_scope.unit == "org":
            source += ", teams"
        fig = charts.team_small_multiples(frame, column, ctx.caption(source), ctx.x_title, noun=in_scope.unit,
                                          max_panels=MAX_PANELS, grain=scope.grain)  # fmt: skip
        return _explained(fig, con, scope, FLOW if flow_metric else ("dora", "incidents"))

    return build


for chart_id, name, column, key in TEAM_TRENDS:
    register(
        chart_id,
        "delivery",
        name,
        metrics=(key,),
        sources=("work_items",) if column in FLOW_COLUMNS else ("deployments", "incidents"),
        note="DORA advises against ranking teams: each team is on its own scale, alphabetically. "
        + TREND_NOTE,
    )(_teams(column))
