"""The Business alignment page: headline tiles, then one tab per section (investment mix,
initiatives, efficiency against benchmarks, capitalisation, outcomes).

Numbers come from `lib.views.business*` through the cache, figures from
`lib.charts.business*`; the choices a VP makes here (target mix, cost basis, policy,
epic → initiative mapping, rate card) are read and saved by `business_setup`. Business
metrics have no team: under a team filter the organisation-only figures say so instead
of dividing the organisation's money by one team. Only the open tab is computed and drawn
(bound to `?section=`), as on the Delivery page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from lib.charts import business as cb
from lib.charts.business_money import MIN_FEATURES
from lib.formatting import NO_DATA, count_of, is_missing
from lib.scope import Scope
from lib.ui import business_setup as setup
from lib.ui import data, filters, layout, registered
from lib.views import business_benchmarks as bench
from lib.views.business import business_months, previous_months
from lib.views.business_mix import distance_by_unit
from lib.views.business_policies import COMMON_CAVEATS, DISCLAIMER, POLICIES

V = "lib.views.business"
MIX = "lib.views.business_mix"
OUT = "lib.views.business_outcomes"
ORG_ONLY = "Organisation only: business metrics have no team"


@dataclass(frozen=True)
class Context:
    chosen: Scope  # the period in the sidebar: registered charts take it and align it themselves
    scope: Scope  # its whole months: tiles and period totals
    filters: str
    currency: str
    currency_stated: bool
    inputs: dict
    team_filter: bool

    def chart(self, chart_id: str, key: str, note: str | None = None) -> None:
        """A registered chart (`lib/charts/registry/business.py`): the page draws exactly the
        figure the Board pack puts on a slide."""
        registered.chart(chart_id, self.chosen, key=key, note=note, span=1)


def header(scope: Scope) -> Context:
    layout.page_header(
        "Business alignment",
        f"{filters.period_text(scope)} · {filters.filter_text()} · engineering as an investment: where effort, "
        "people and money go, what they cost, and how output moves with the business.",
    )
    currency, stated = data.view(f"{V}.currency")
    chosen = scope
    if business_months(scope) is None:
        # 1–5 Dec: a whole month's revenue and spend set against five days of output would
        # mislead, and there is no earlier run of whole months to compare with
        st.info(
            f"The chosen period, {filters.period_text(chosen)}, holds no whole month. Business figures "
            "(revenue, R&D spend, cost, the investment mix) are monthly: choose a period that holds at least "
            "one whole month, from its first day to the first day of the next.",
            icon=":material/calendar_month:",
        )
        st.stop()
    scope = business_months(scope)
    ctx = Context(
        chosen=chosen,
        scope=scope,
        filters=filters.filter_text(),
        currency=currency,
        currency_stated=stated,
        inputs=data.view(f"{V}.has_business_data"),
        team_filter=scope.teams is not None,
    )
    _notices(ctx, chosen)
    return ctx


def _notices(ctx: Context, chosen: Scope) -> None:
    missing = [
        text
        for key, text in (
            ("metrics", "business metrics by month (revenue, ARR, R&D spend, customers, NPS, churn)"),
            ("initiatives", "an initiatives list (initiative, owner, business metric, epics)"),
            ("rate_card", "a rate card of loaded cost per engineer by location and sourcing"),
            ("employees", "employees with their team (an HRIS export), for FTE and revenue per engineer"),
        )
        if not ctx.inputs[key]
    ]
    if missing:
        layout.missing(
            "Not loaded yet: "
            + "; ".join(missing)
            + ". Import them on the Data page as CSV or Excel: the business metrics in any layout finance "
            "keeps (one column per metric, one row per metric, or months across); the rate card as one row "
            'per location and sourcing with its loaded cost a year (the "Engineer cost rates" template).'
        )
    if ctx.scope != chosen:
        st.caption(
            f"Business metrics are monthly, so this page covers the whole months of the chosen period: "
            f"{filters.period_text(ctx.scope)} (compared with the same number of months before)."
        )
    if ctx.team_filter:
        st.caption(
            "Team filter: effort, FTE and cost follow the teams chosen; revenue, R&D spend and the ratios "
            "built on them are the whole organisation's and say so."
        )
    if ctx.inputs["metrics"] and not ctx.currency_stated:
        st.caption("The business metrics name no currency: amounts are shown in USD.")


def _money(value, currency: str) -> str:
    return NO_DATA if is_missing(value) else cb.money(value, currency)


def _change(now, before, points: bool = False) -> str | None:
    if is_missing(now) or is_missing(before):
        return None
    if points:
        return f"{(now - before) * 100:+.1f} pts"
    return None if before == 0 else f"{(now - before) / abs(before):+.0%}"


def summary(ctx: Context) -> None:
    now = data.view(f"{V}.business_summary", ctx.scope)
    before = data.view(f"{V}.business_summary", previous_months(ctx.scope))
    target = setup.target()
    choice = setup.policy()
    prior = previous_months(ctx.scope)
    vs_prev = f"vs {prior.start:%b}–{prior.end - dt.timedelta(days=1):%b}"
    feature = now["investment_mix"]["feature"]
    gap = None if target is None or feature is None else feature - target["feature"]
    estimate = now["capitalizable_rnd_estimate"]
    private, public = bench.RND_PCT_REVENUE[0], bench.RND_PCT_REVENUE[1]
    layout.tiles(
        [
            layout.Tile(
                "R&D as % of revenue",
                NO_DATA if is_missing(now["rnd_pct_revenue"]) else f"{now['rnd_pct_revenue']:.1%}",
                delta=_change(now["rnd_pct_revenue"], before["rnd_pct_revenue"], points=True),
                delta_color="off",
                delta_description=vs_prev,
                band=f"SaaS medians: private {private.value:.0%}, public {public.value:.0%} (Benchmarkit 2025)"
                + (" · whole organisation" if ctx.team_filter else ""),
                help="R&D spend as a share of revenue, over the months that start in the period.",
            ),
            layout.Tile(
                "Revenue per engineer",
                _money(now["revenue_per_engineer_annualized"], ctx.currency),
                delta=_change(
                    now["revenue_per_engineer_annualized"], before["revenue_per_engineer_annualized"]
                ),
                delta_description=vs_prev,
                band=ORG_ONLY if ctx.team_filter else "Annualised · benchmarks compare ARR per employee",
                help="Revenue per engineer (average headcount), scaled to a year; whole organisation.",
            ),
            layout.Tile(
                "Cost per feature",
                _money(now["cost_per_feature"], ctx.currency),
                # on a handful of features the cost is one item's story: shown, never compared
                delta=None
                if few_features(now, before)
                else _change(now["cost_per_feature"], before["cost_per_feature"]),
                delta_color="inverse",
                delta_description=vs_prev,
                band=ORG_ONLY
                if ctx.team_filter
                else f"{count_of(now['features_completed'], 'feature')} completed"
                + (f": too few to compare (fewer than {MIN_FEATURES})" if few_features(now, before) else ""),
                help="R&D spend divided by the features completed in the period.",
            ),
            layout.Tile(
                "Capitalisable R&D",
                _money(None if estimate is None else estimate * choice.effective_share, ctx.currency),
                band=ORG_ONLY if ctx.team_filter else "For finance review · not accounting advice",
                help="The share of R&D spend that went to features, times the policy's capitalisable share "
                f"({choice.effective_share:.0%} under {POLICIES[choice.policy].label}). Never an accounting entry.",
            ),
            layout.Tile(
                "Effort on features",
                NO_DATA if feature is None else f"{feature:.0%}",
                delta=_change(feature, before["investment_mix"]["feature"], points=True),
                delta_color="off",
                delta_description=vs_prev,
                band="No target mix set"
                if gap is None
                else f"Target {target['feature']:.0%} · {gap * 100:+.0f} pts",
                help="Share of the effort on completed work that went to features (story points, else one per item).",
            ),
        ],
        per_row=5,
    )


# ---------------------------------------------------------------------------- sections


def mix_section(ctx: Context) -> None:
    target = setup.target_form()
    ctx.chart("business.investment_mix", "biz-mix")
    ctx.chart("business.investment_fte", "biz-fte")
    unit = st.segmented_control("Compare", ["team", "org"], default="team", key="biz-unit", required=True,
                                format_func=lambda u: f"by {u}")  # fmt: skip
    ctx.chart(f"business.mix_by_{unit or 'team'}", "biz-units")
    if target:
        whole = distance_by_unit(data.frame(f"{MIX}.mix_summary", ctx.scope, "type", "all"), target)
        if len(whole) and not is_missing(whole["distance"].iloc[0]):
            row = whole.iloc[0]
            gaps = ", ".join(f"{TYPE_WORDS[t]} {row[f'gap_{t}'] * 100:+.0f} pts" for t in TYPE_WORDS)
            st.markdown(
                f"**Distance from target:** {row['distance'] * 100:.0f} pts of effort would have to move "
                f"to another type to match the target over {filters.period_text(ctx.scope)} ({gaps})."
            )


TYPE_WORDS = {"feature": "features", "defect": "defects", "risk": "risks", "debt": "debts"}


def initiatives_section(ctx: Context) -> None:
    basis = setup.basis_choice(ctx)
    column = "cost_rnd_spend" if basis == "rnd_spend" else "cost_loaded"
    costs = data.frame(f"{MIX}.initiative_costs", ctx.scope)
    ctx.chart(
        "business.initiative_cost", "biz-initiative-cost", note=setup.cost_note(ctx, basis, costs, column)
    )
    ctx.chart("business.initiative_fte", "biz-initiative-fte")
    setup.mapping_step()
    setup.rate_card(ctx)


def efficiency_section(ctx: Context) -> None:
    ctx.chart(
        "business.rnd_pct_revenue",
        "biz-rnd",
        note="Medians from published surveys, shown apart for private and public companies: ownership and "
        "stage move R&D intensity by more than ten points.",
    )
    ctx.chart(
        "business.revenue_per_engineer",
        "biz-revenue-per-person",
        note=(ORG_ONLY + ": revenue per engineer is null under a team filter.") if ctx.team_filter else None,
    )
    ctx.chart(
        "business.cost_per_feature",
        "biz-cost-per-feature",
        note=(ORG_ONLY + ": cost per feature is null under a team filter.") if ctx.team_filter else None,
    )


def capitalisation_section(ctx: Context) -> None:
    choice = setup.policy_form()
    policy = POLICIES[choice.policy]
    st.warning(DISCLAIMER, icon=":material/gavel:")
    ctx.chart(
        "business.capitalisation",
        "biz-capitalisation",
        note=(ORG_ONLY + ": the estimate needs the organisation's R&D spend and feature share.")
        if ctx.team_filter
        else None,
    )
    st.markdown(f"**What {policy.standard} asks, and what this estimate cannot see**")
    st.markdown("\n".join(f"- {c}" for c in (*policy.caveats, *COMMON_CAVEATS)))


def outcomes_section(ctx: Context) -> None:
    from lib.views.business_outcomes import link_sentence

    ctx.chart("business.outcomes", "biz-outcomes")
    _, _, strongest = data.view(f"{OUT}.outcome_analysis", ctx.chosen)
    clear = strongest[strongest["strength"] == "clear"]
    lines = [link_sentence(r) for _, r in clear.iterrows()] or [
        "No engineering series moved with a business outcome beyond chance at any lag of 0–6 months."
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption(
        f"{len(strongest)} pairs were tested, each at 7 lags: about one pair would clear this bar by chance alone. "
        "Shared growth is removed first (each series' own trend), and neighbouring months count as less than "
        "independent evidence."
    )
    ctx.chart("business.lag_correlations", "biz-lags")


SECTIONS = {
    "Investment mix": mix_section,
    "Initiatives": initiatives_section,
    "Efficiency": efficiency_section,
    "Capitalisation": capitalisation_section,
    "Outcomes": outcomes_section,
}


def sections(ctx: Context) -> None:
    """One tab per section, bound to `?section=` so a view can be shared; only the open one runs."""
    tabs = st.tabs(list(SECTIONS), key="section", on_change="rerun", bind="query-params")
    for tab, draw in zip(tabs, SECTIONS.values(), strict=True):
        if tab.open:
            with tab:
                draw(ctx)


def few_features(now: dict, before: dict) -> bool:
    """True when either period's cost per feature stands on fewer than `MIN_FEATURES` features
    (the Efficiency chart's rule): '+211%' from 3 features to 1 says nothing."""
    return any((p.get("features_completed") or 0) < MIN_FEATURES for p in (now, before))
