"""Every Business alignment chart as a pure function (con, scope, filters) → figure, with a stable id.

`CHARTS` maps a stable id to a `BusinessChart`: its name, the function that computes the
aggregates from the views and builds the figure with the choices saved on the page
(target mix, cost basis, capitalisation policy), the notes a board deck puts under it
(definition, sources, caveats), the catalog keys it shows and the tables it reads.
`lib/charts/registry/business.py` registers them all, and the page draws them through the
registry (`lib.ui.registered`), so page and deck share one computation. Given the chosen
period, totals cover its whole months (`lib.views.business.business_months`) and trends
at least the 12 whole months ending with it (`business_trend`); captions name them. No
streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from lib.charts import business as cb
from lib.charts import business_fte as cf
from lib.charts import business_money as cm
from lib.charts import business_outcomes as co
from lib.charts import caption_text
from lib.scope import Scope, period_text
from lib.views import business as vb
from lib.views import business_benchmarks as bench
from lib.views import business_mix as vm
from lib.views import business_outcomes as vo
from lib.views import business_settings as vs
from lib.views.business_policies import COMMON_CAVEATS, DISCLAIMER, POLICIES

MIX_SOURCE = "work_items, employees"
MONEY_SOURCE = "business_metrics, work_items, employees"
BASIS_TEXT = {
    "rnd_spend": "R&D spend from the business metrics, shared by headcount × loaded cost",
    "loaded_cost": "each person's loaded cost from the rate card",
}


def scope_text(scope: Scope) -> str:
    if scope.teams is None:
        return "All teams"
    return "Teams: " + (", ".join(scope.teams) if len(scope.teams) <= 4 else f"{len(scope.teams)} teams")


def caption(scope: Scope, source: str, filters: str | None = None, org_only: bool = False) -> str:
    """'Source: … · Period: … · <filters>', adding that business figures are the whole
    organisation's when a team filter is set and the chart shows them."""
    extra = filters or scope_text(scope)
    if org_only and scope.teams is not None:
        extra += " · business figures are the whole organisation's"
    return caption_text(source, period_text(scope), extra)


def x_title(scope: Scope) -> str:
    return cb.QUARTER if scope.grain == "quarter" else "Month"


Build = Callable[[duckdb.DuckDBPyConnection, Scope, str | None], go.Figure]


@dataclass(frozen=True)
class BusinessChart:
    id: str
    name: str
    build: Build  # (con, the chosen scope, filter text) → figure
    notes: str
    metrics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _months(scope: Scope) -> Scope:
    return vb.business_months(scope) or scope


def _trend(scope: Scope) -> Scope:
    return vb.business_trend(scope)


def _mix(con, scope, filters=None):
    trend = _trend(scope)
    frame = vm.mix_by_period(con, trend, "type", "all")
    return cb.mix_over_time(frame, vs.target_mix(con), caption(trend, MIX_SOURCE, filters), x_title(trend))


def _fte(con, scope, filters=None):
    trend = _trend(scope)
    frame = vm.mix_by_period(con, trend, "type", "all")
    return cf.fte_over_time(frame, caption(trend, MIX_SOURCE, filters), x_title(trend))


def _units(unit: str) -> Build:
    def build(con, scope, filters=None):
        months, target = _months(scope), vs.target_mix(con)
        distance = vm.distance_by_unit(vm.mix_summary(con, months, "type", unit), target)
        return cb.mix_by_unit(distance, target, caption(months, MIX_SOURCE, filters), unit)

    return build


def _initiative_fte(con, scope, filters=None):
    trend = _trend(scope)
    frame = vm.mix_by_period(con, trend, "initiative", "all")
    return cf.initiative_fte_over_time(
        frame, caption(trend, MIX_SOURCE + ", initiatives", filters), x_title(trend)
    )


def _initiative_cost(con, scope, filters=None):
    months = _months(scope)
    basis = vs.cost_basis(con)
    column = "cost_rnd_spend" if basis == "rnd_spend" else "cost_loaded"
    currency, _ = vb.currency(con)
    source = "work_items, employees, initiatives, " + (
        "business_metrics" if basis == "rnd_spend" else "engineer_costs"
    )
    costs = vm.initiative_costs(con, months)
    text = BASIS_TEXT[basis]
    if basis == "rnd_spend" and (costs["allocated_by"] == "effort").any():
        text = "R&D spend from the business metrics, split by effort share (no employees loaded)"
    return cb.initiative_cost(costs, column, currency, caption(months, source, filters), text)


def _now(con, scope, key: str) -> tuple[float | None, str]:
    """The page's tile for `key`: its value over the period's whole months, and their name."""
    months = _months(scope)
    last = months.end - dt.timedelta(days=1)
    label = f"{months.start:%b}–{last:%b %Y}" if months.start.month != last.month else f"{last:%b %Y}"
    if months.start.year != last.year:
        label = f"{months.start:%b %Y}–{last:%b %Y}"
    return vb.business_summary(con, months)[key], label


def _rnd(con, scope, filters=None):
    trend = _trend(scope)
    frame = vb.business_by_period(con, trend)
    cap = caption(trend, "business_metrics", filters, org_only=True)
    now, label = _now(con, scope, "rnd_pct_revenue")
    return cm.rnd_pct_revenue(frame, bench.RND_PCT_REVENUE, cap, x_title(trend), now=now, now_label=label)


def _revenue_per_person(con, scope, filters=None):
    trend = _trend(scope)
    frame = vb.business_by_period(con, trend)
    arr = frame.dropna(subset=["arr"])["arr"]
    currency, _ = vb.currency(con)
    band = bench.arr_band(float(arr.iloc[-1]) if len(arr) else None)
    cap = caption(trend, "business_metrics, employees", filters)
    now, label = _now(con, scope, "revenue_per_engineer_annualized")
    return cm.revenue_per_person(frame, band, currency, cap, x_title(trend), now=now, now_label=label)


def _cost_per_feature(con, scope, filters=None):
    trend = _trend(scope)
    frame = vb.business_by_period(con, trend)
    currency, _ = vb.currency(con)
    return cm.cost_per_feature(
        frame, currency, caption(trend, "business_metrics, work_items", filters), x_title(trend)
    )


def _capitalisation(con, scope, filters=None):
    trend = _trend(scope)
    choice = vs.policy_choice(con)
    frame = vb.capitalisation_by_period(con, trend, choice)
    currency, _ = vb.currency(con)
    cap = caption(trend, "business_metrics, work_items", filters)
    return cm.capitalisation(frame, POLICIES[choice.policy].label, currency, cap, x_title(trend))


OUTCOME_SOURCE = "business_metrics, work_items, deployments, incidents"


def _outcomes(con, scope, filters=None):
    frame, _, strongest = vo.outcome_analysis(con, scope)
    currency, _ = vb.currency(con)
    cap = caption(vo.outcome_scope(scope), OUTCOME_SOURCE, filters, org_only=True)
    return co.outcome_panels(frame, strongest, cap, currency)


def _lags(con, scope, filters=None):
    _, correlations, strongest = vo.outcome_analysis(con, scope)
    cap = caption(vo.outcome_scope(scope), OUTCOME_SOURCE, filters, org_only=True)
    return co.lag_grid(correlations, strongest, cap)


CAPITALISATION_NOTES = " ".join(
    (DISCLAIMER, *COMMON_CAVEATS, *(f"{p.label}: {' '.join(p.caveats)}" for p in POLICIES.values()))
)
MIX_KEYS = tuple(f"business.investment_mix.{t}" for t in ("feature", "defect", "risk", "debt"))
CHARTS: dict[str, BusinessChart] = {
    c.id: c
    for c in (
        BusinessChart("business.investment_mix", "Investment mix over time", _mix,
                      "Share of effort (story points, else one per item) on work items completed in each period, by "
                      "flow type, against the target mix set on the Business alignment page.",
                      MIX_KEYS, ("work_items",)),
        BusinessChart("business.investment_fte", "Investment in FTE", _fte,
                      "Each team's average headcount ((start + end) ÷ 2) split by the effort mix of the work it "
                      "completed in the period; teams that completed nothing are shown apart.",
                      MIX_KEYS, ("work_items", "employees")),
        BusinessChart("business.mix_by_team", "Investment mix by team", _units("team"),
                      "Each team's share of effort by flow type over the period, its FTE, and the share of effort "
                      "that would have to move to meet the target mix (half the sum of the gaps per type).",
                      MIX_KEYS, ("work_items", "employees")),
        BusinessChart("business.mix_by_org", "Investment mix by org", _units("org"),
                      "Each org's share of effort by flow type over the period, its FTE, and the share of effort "
                      "that would have to move to meet the target mix (half the sum of the gaps per type).",
                      MIX_KEYS, ("work_items", "employees", "teams")),
        BusinessChart("business.initiative_fte", "Investment by business initiative", _initiative_fte,
                      "FTE per business initiative per period: work items' epics or projects mapped to initiatives "
                      "(initiatives file or the page's mapping), each team's headcount split by its effort.",
                      (), ("work_items", "employees", "initiatives")),
        BusinessChart("business.initiative_cost", "Engineering cost by initiative", _initiative_cost,
                      "Engineering cost per business initiative over the period, with its owner and the business "
                      "metric it is meant to move; cost from R&D spend shared by headcount × loaded cost, or from "
                      "each person's loaded cost.",
                      ("business.rnd_spend",),
                      ("work_items", "employees", "initiatives", "business_metrics", "engineer_costs")),
        BusinessChart("business.rnd_pct_revenue", "R&D as a share of revenue", _rnd,
                      "R&D spend ÷ revenue of the months in each period, against published medians: "
                      + bench.caption(bench.RND_PCT_REVENUE) + ".",
                      ("business.rnd_pct_revenue", "business.rnd_spend", "business.revenue"), ("business_metrics",)),
        BusinessChart("business.revenue_per_engineer", "Revenue per engineer and ARR per employee",
                      _revenue_per_person,
                      "Revenue ÷ average headcount × 365 ÷ days (organisation only), and ARR ÷ company headcount "
                      "against the private-SaaS band for the company's ARR size and the public median and top "
                      "quartile (Growth Unhinged, 2023).",
                      ("business.revenue_per_engineer_annualized",), ("business_metrics", "employees")),
        BusinessChart("business.cost_per_feature", "Cost per delivered feature", _cost_per_feature,
                      "R&D spend of the months in each period ÷ feature work items completed in it (organisation "
                      "only); a feature is one work item, whatever its size.",
                      ("business.cost_per_feature",), ("business_metrics", "work_items")),
        BusinessChart("business.capitalisation", "Capitalisable R&D estimate", _capitalisation,
                      "R&D spend × the share of effort on new features × the share of that work past the chosen "
                      "policy's threshold. " + CAPITALISATION_NOTES,
                      ("business.capitalizable_rnd_estimate",), ("business_metrics", "work_items")),
        BusinessChart("business.outcomes", "Engineering output beside business outcomes", _outcomes,
                      "Features shipped, deployment frequency, median change lead time and incidents beside "
                      "revenue, ARR, customers, NPS and churn, month by month on one time axis (at least 24 months).",
                      (), ("business_metrics", "work_items", "deployments", "incidents")),
        BusinessChart("business.lag_correlations", "Lagged correlations", _lags,
                      "Pearson r between each series' deviations from its own trend, the business outcome 0–6 "
                      "months after the engineering series; p from effective months (lag-1 autocorrelation) × 7 "
                      "lags. A correlation, never a cause.",
                      (), ("business_metrics", "work_items", "deployments", "incidents")),
    )
}  # fmt: skip


def figure(
    con: duckdb.DuckDBPyConnection, scope: Scope, chart_id: str, filters: str | None = None
) -> go.Figure:
    """The chart `chart_id` over `scope` (trends over at least the 12 whole months ending
    with it, totals over its whole months); KeyError naming the known ids for an unknown one."""
    if chart_id not in CHARTS:
        raise KeyError(f"unknown chart {chart_id!r}; known: {', '.join(CHARTS)}")
    return CHARTS[chart_id].build(con, scope, filters)
