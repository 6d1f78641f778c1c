"""What the Retention page shows under a chart when a point is clicked, and its tables: the
counts behind the point, in words, never a person (SPEC §6)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.charts import retention as charts
from lib.formatting import NO_DATA, is_missing
from lib.scope import Scope
from lib.ui import data, layout


def bucket_counts(scope: Scope, window: Scope, points: list[dict], key: str) -> None:
    """Under a chart: the counts behind the bucket of the point clicked."""
    if not points:
        return
    day = pd.Timestamp(points[0].get("x")).date()
    trend = data.frame("lib.views.retention.attrition_by_period", window, "all")
    bucket = trend[pd.to_datetime(trend["period"]).dt.date == day]
    if bucket.empty:
        return
    start, end = (
        pd.Timestamp(bucket["bucket_start"].iloc[0]).date(),
        pd.Timestamp(bucket["bucket_end"].iloc[0]).date(),
    )
    grain = scope.grain
    scope = Scope(start, end, grain, scope.teams)
    st.markdown(f"**Counts behind {start:%b %Y}**" if grain == "month" else f"**Counts behind {start}**")
    layout.table(data.frame("lib.views.retention_teams.counts_behind", scope), hide_index=True, key=f"{key}-counts",
                 column_config={"measure": "Measure", "value": "People / value"})  # fmt: skip
    st.caption("Double-click the chart to clear the selection.")


def group_counts(frame: pd.DataFrame, points: list[dict], label_column: str, key: str) -> None:
    if not points:
        return
    label = str(points[0].get("y") or points[0].get("x") or "")
    name = label.rsplit(" (", 1)[0]
    row = frame[frame[label_column].map(charts.label) == name]
    if row.empty:
        return
    shown = row.iloc[0]
    if isinstance(shown.get("suppressed_reason"), str):
        st.info(f"{name}: not shown, {shown['suppressed_reason']}.")
        return
    names = {
        "headcount_end": "Headcount at the period end",
        "headcount_year_ago": "Headcount a year before the end",
        "hires": "Hires in the period",
        "separations": "Leavers in the period",
        "voluntary_separations": "… of whom voluntary",
        "regretted_separations": "… of whom regretted",
        "separations_ttm": "Leavers in the 12 months to the end",
        "attrition_rate_ttm": "Attrition, trailing 12 months",
    }
    rows = [
        (text, charts.pct(shown[c]) if c.endswith("_ttm") and "rate" in c else f"{shown[c]:,.0f}")
        for c, text in names.items()
        if c in shown and not is_missing(shown[c])
    ]
    st.markdown(f"**Counts behind {name}**")
    layout.table(
        pd.DataFrame(rows, columns=["Measure", "People / value"]), hide_index=True, key=f"{key}-counts"
    )


def survival_table(groups: pd.DataFrame, noun: str) -> pd.DataFrame:
    """The milestones of each curve as a reader wants them: percentages, '—' where none."""
    years = {
        "survival_0_5y": "Still here at 6 months",
        "survival_1y": "At 1 year",
        "survival_2y": "At 2 years",
    }
    out = pd.DataFrame({noun: groups["group"].map(charts.label), "Hires": groups["people"],
                        "Leavers": groups["leavers"]})  # fmt: skip
    for column, title in years.items():
        out[title] = [NO_DATA if is_missing(v) else f"{v:.0%}" for v in groups[column]]
    out["Median tenure"] = [NO_DATA if is_missing(v) else f"{v:.1f} years" for v in groups["median_years"]]
    if groups["suppressed_reason"].notna().any():
        out["Not shown because"] = groups["suppressed_reason"].fillna("")
    return out


def survival_counts(curves: pd.DataFrame, point: dict) -> None:
    years = float(point.get("x", 0))
    name = str(point.get("legendgroup") or "")
    part = curves[(curves["group"].astype(str) == name) & (curves["years"] <= years + 1e-9)]
    if part.empty:
        return
    row, upto = part.iloc[-1], part
    st.markdown(f"**{name} at {years:.1f} years of tenure**")
    layout.table(pd.DataFrame([
        ("Hires in the curve", f"{row['people']:.0f}"),
        ("Still at risk just before", f"{row['at_risk']:.0f}"),
        ("Left by then", f"{upto['left'].sum():.0f}"),
        ("Still employed at the period end with less tenure (censored)", f"{upto['censored'].sum():.0f}"),
        ("Still employed (estimate)", f"{row['survival']:.0%} (95%: {row['low']:.0%}–{row['high']:.0%})"),
    ], columns=["Measure", "Value"]), hide_index=True, key="ret-survival-counts")  # fmt: skip


def span_table(orgs: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"Organisation": orgs["org"], "Managers": orgs["managers"],
                        "Median direct reports": [NO_DATA if is_missing(v) else f"{v:g}" for v in orgs["span_p50"]],
                        "People with a manager": orgs["reports"]})  # fmt: skip
    if orgs["suppressed_reason"].notna().any():
        out["Not shown because"] = orgs["suppressed_reason"].fillna("")
    return out


def coverage_counts(latest: pd.DataFrame, points: list[dict]) -> None:
    if not points:
        return
    row = latest[latest["group"].map(charts.label) == str(points[0].get("y"))]
    if row.empty:
        return
    r = row.iloc[0]
    st.markdown(f"**Counts behind {r['group']}**")
    layout.table(pd.DataFrame([
        ("People employed at the period end", f"{r['active']:.0f}"),
        ("… with a manager", f"{r['with_manager']:.0f}"),
        ("… and a one-on-one in the last 30 days", f"{r['covered']:.0f}"),
    ], columns=["Measure", "People"]), hide_index=True, key="ret-coverage-counts")  # fmt: skip
