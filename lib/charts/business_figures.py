"""Every Business alignment chart as a pure function (con, scope) → figure, with a stable id.

`CHARTS` maps a stable id to a `BusinessChart`: its name, the function that computes the
aggregates from the views and builds the figure (the same views and builders the page
uses, with the choices saved on the page: target mix, cost basis, capitalisation policy),
and the notes a board deck puts under it (definition, sources, caveats). Registering the
pillar's charts in a deck registry is one line: iterate `CHARTS`. `figure` covers the
period's whole months (`lib.views.business.business_months`), as the page does, and its
caption names them. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from lib.charts import business as cb
from lib.charts import business_money as cm
from lib.charts import business_outcomes as co
from lib.charts import caption_text
from lib.scope import Scope
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


def period_text(scope: Scope) -> str:
    last = scope.end - dt.timedelta(days=1)
    return f"{scope.start:%d %b %Y} – {last:%d %b %Y}"


def scope_text(scope: Scope) -> str:
    if scope.teams is None:
        return "All teams"
    return "Teams: " + (", ".join(scope.teams) if len(scope.teams) <= 4 else f"{len(scope.teams)} teams")


def caption(scope: Scope, source: str, filters: str | None = None, org_only: bool = False) -> str:
    extra = filters or scope_text(scope)
    if org_only and scope.teams is not None:
        extra += " · business figures are the whole organisation's"
    return caption_text(source, period_text(scope), extra)


def x_title(scope: Scope) -> str:
    return "Quarter" if scope.grain == "quarter" else "Month"


@dataclass(frozen=True)
class BusinessChart:
    id: str
    name: str
    figure: Callable[[duckdb.DuckDBPyConnection, Scope], go.Figure]
    notes: str


def _mix(con, scope):
    frame = vm.mix_by_period(con, scope, "type", "all")
    return cb.mix_over_time(
        frame, vs.target_mix(con), caption(scope, MIX_SOURCE), x_title(vb.business_scope(scope))
    )


def _fte(con, scope):
    frame = vm.mix_by_period(con, scope, "type", "all")
    return cb.fte_over_time(frame, caption(scope, MIX_SOURCE), x_title(vb.business_scope(scope)))


def _units(con, scope, unit="team"):
    target = vs.target_mix(con)
    distance = vm.distance_by_unit(vm.mix_summary(con, scope, "type", unit), target)
    return cb.mix_by_unit(distance, target, caption(scope, MIX_SOURCE), unit)


def _initiative_fte(con, scope):
    frame = vm.mix_by_period(con, scope, "initiative", "all")
    return cb.initiative_fte_over_time(
        frame, caption(scope, MIX_SOURCE + ", initiatives"), x_title(vb.business_scope(scope))
    )


def _initiative_cost(con, scope):
    basis = vs.cost_basis(con)
    column = "cost_rnd_spend" if basis == "rnd_spend" else "cost_loaded"
    currency, _ = vb.currency(con)
    return cb.initiative_cost(
        vm.initiative_costs(con, scope), column, currency, caption(scope, MONEY_SOURCE + ", initiatives, engineer_costs"),
        BASIS_TEXT[basis],
    )  # fmt: skip


def _rnd(con, scope):
    frame = vb.business_by_period(con, vb.business_scope(scope))
    return cm.rnd_pct_revenue(frame, bench.RND_PCT_REVENUE, caption(scope, "business_metrics", org_only=True),
                              x_title(vb.business_scope(scope)))  # fmt: skip


def _revenue_per_person(con, scope):
    frame = vb.business_by_period(con, vb.business_scope(scope))
    arr = frame.dropna(subset=["arr"])["arr"]
    currency, _ = vb.currency(con)
    return cm.revenue_per_person(frame, bench.arr_band(arr.iloc[-1] if len(arr) else None), currency,
                                 caption(scope, "business_metrics, employees"), x_title(vb.business_scope(scope)))  # fmt: skip


def _cost_per_feature(con, scope):
    frame = vb.business_by_period(con, vb.business_scope(scope))
    currency, _ = vb.currency(con)
    return cm.cost_per_feature(frame, currency, caption(scope, "business_metrics, work_items"),
                               x_title(vb.business_scope(scope)))  # fmt: skip


def _capitalisation(con, scope):
    choice = vs.policy_choice(con)
    frame = vb.capitalisation_by_period(con, scope, choice)
    currency, _ = vb.currency(con)
    return cm.capitalisation(frame, POLICIES[choice.policy].label, currency,
                             caption(scope, "business_metrics, work_items"), x_title(vb.business_scope(scope)))  # fmt: skip


def _outcomes(con, scope):
    frame = vo.outcomes_by_month(con, scope)
    strongest = vo.strongest_lags(vo.lagged_correlations(frame))
    window = vo.outcome_scope(scope)
    currency, _ = vb.currency(con)
    return co.outcome_panels(frame, strongest, caption(window, "business_metrics, work_items, deployments, incidents",
                                                       org_only=True), currency)  # fmt: skip


def _lags(con, scope):
    frame = vo.outcomes_by_month(con, scope)
    correlations = vo.lagged_correlations(frame)
    window = vo.outcome_scope(scope)
    return co.lag_grid(correlations, vo.strongest_lags(correlations),
                       caption(window, "business_metrics, work_items, deployments, incidents", org_only=True))  # fmt: skip


CAPITALISATION_NOTES = " ".join(
    (DISCLAIMER, *COMMON_CAVEATS, *(f"{p.label}: {' '.join(p.caveats)}" for p in POLICIES.values()))
)
CHARTS: dict[str, BusinessChart] = {
    c.id: c
    for c in (
        BusinessChart("business.investment_mix", "Investment mix over time", _mix,
                      "Share of effort (story points, else one per item) on work items completed in each period, by "
                      "flow type, against the target mix set on the Business alignment page."),
        BusinessChart("business.investment_fte", "Investment in FTE", _fte,
                      "Each team's average headcount ((start + end) ÷ 2) split by the effort mix of the work it "
                      "completed in the period; teams that completed nothing are shown apart."),
        BusinessChart("business.mix_by_team", "Investment mix by team", _units,
                      "Each team's share of effort by flow type over the period, its FTE, and the share of effort "
                      "that would have to move to meet the target mix (half the sum of the gaps per type)."),
        BusinessChart("business.initiative_fte", "Investment by business initiative", _initiative_fte,
                      "FTE per business initiative per period: work items' epics or projects mapped to initiatives "
                      "(initiatives file or the page's mapping), each team's headcount split by its effort."),
        BusinessChart("business.initiative_cost", "Engineering cost by initiative", _initiative_cost,
                      "Engineering cost per business initiative over the period, with its owner and the business "
                      "metric it is meant to move; cost from R&D spend shared by headcount × loaded cost, or from "
                      "each person's loaded cost."),
        BusinessChart("business.rnd_pct_revenue", "R&D as a share of revenue", _rnd,
                      "R&D spend ÷ revenue of the months in each period, against published medians: "
                      + bench.caption(bench.RND_PCT_REVENUE) + "."),
        BusinessChart("business.revenue_per_engineer", "Revenue per engineer and ARR per employee",
                      _revenue_per_person,
                      "Revenue ÷ average headcount × 365 ÷ days (organisation only), and ARR ÷ company headcount "
                      "against the private-SaaS band for the company's ARR size and the public median and top "
                      "quartile (Growth Unhinged, 2023)."),
        BusinessChart("business.cost_per_feature", "Cost per delivered feature", _cost_per_feature,
                      "R&D spend of the months in each period ÷ feature work items completed in it (organisation "
                      "only); a feature is one work item, whatever its size."),
        BusinessChart("business.capitalisation", "Capitalisable R&D estimate", _capitalisation,
                      "R&D spend × the share of effort on new features × the share of that work past the chosen "
                      "policy's threshold. " + CAPITALISATION_NOTES),
        BusinessChart("business.outcomes", "Engineering output beside business outcomes", _outcomes,
                      "Features shipped, deployment frequency, median change lead time and incidents beside "
                      "revenue, ARR, customers, NPS and churn, month by month on one time axis (at least 24 months)."),
        BusinessChart("business.lag_correlations", "Lagged correlations", _lags,
                      "Pearson r between each series' deviations from its own trend, the business outcome 0–6 "
                      "months after the engineering series; p from effective months (lag-1 autocorrelation) × 7 "
                      "lags. A correlation, never a cause."),
    )
}  # fmt: skip


def figure(con: duckdb.DuckDBPyConnection, scope: Scope, chart_id: str) -> go.Figure:
    """The chart `chart_id` over `scope`; KeyError naming the known ids for an unknown one."""
    if chart_id not in CHARTS:
        raise KeyError(f"unknown chart {chart_id!r}; known: {', '.join(CHARTS)}")
    return CHARTS[chart_id].figure(con, vb.business_months(scope) or scope)
