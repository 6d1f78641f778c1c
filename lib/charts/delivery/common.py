"""What the Delivery charts share: how each metric reads, and trimming before a source's history."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lib.charts import MUTED, PALETTE
from lib.charts.marks import few_flags
from lib.charts.titles import trend_takeaway
from lib.overview import TrendSpec
from lib.views.delivery import tier_for

WORK_TYPES = ("feature", "defect", "risk", "debt")
TYPE_COLORS = {"feature": PALETTE[0], "defect": PALETTE[3], "risk": PALETTE[2], "debt": PALETTE[4]}
TYPE_LABELS = {"feature": "Features", "defect": "Defects", "risk": "Risks", "debt": "Debts"}


@dataclass(frozen=True)
class Metric:
    """How one trend reads: label, formatting unit, axis title, direction, scale."""

    column: str
    label: str
    unit: str  # as lib.formatting.format_value understands: "per week", "hours", "%", "days", "items"
    y_title: str
    higher_is_better: bool | None
    log: bool = False
    y_format: str | None = None
    source: str = "deployments"
    count: str | None = None  # the frame's count a bucket's value stands on (few: not in the title)
    noun: str = "deployments"  # what `count` counts, for the hover

    def spec(self) -> TrendSpec:
        return TrendSpec("", "", "period", self.column, self.label, self.y_title, self.unit, self.higher_is_better,
                         self.source, self.y_format)  # fmt: skip


DORA_METRICS = {
    m.column: m
    for m in (
        Metric("deployment_frequency_per_week", "Deployment frequency", "per week",
               "Successful production deployments per week", True, count="successful_deployments",
               noun="successful deployments"),
        Metric("lead_time_hours_p50", "Change lead time", "hours",
               "Median commit → production (hours, log scale)", False, log=True, count="successful_deployments",
               noun="successful deployments"),
        Metric("change_failure_rate", "Change failure rate", "%",
               "Change failures (% of deployments)", False, y_format=".0%", count="deployments"),
        Metric("recovery_time_hours_p50", "Time to restore service", "hours",
               "Median incident start → resolved (hours, log scale)", False, log=True, source="incidents",
               count="incidents", noun="incidents"),
        Metric("rework_rate", "Rework rate", "%",
               "Rework (% of deployments)", False, y_format=".0%", count="deployments"),
    )
}  # fmt: skip
TEAM_METRICS = {
    **DORA_METRICS,
    "velocity_per_week": Metric(
        "velocity_per_week",
        "Flow velocity",
        "per week",
        "Work items completed per week",
        True,
        source="work_items",
        count="velocity",
        noun="completed items",
    ),
    "time_days_p50": Metric(
        "time_days_p50",
        "Flow time",
        "days",
        "Median flow time (days)",
        False,
        source="work_items",
        count="velocity",
        noun="completed items",
    ),
}


def since_first_data(frame: pd.DataFrame, count: str, by: str | None = None) -> pd.DataFrame:
    """The rows from the first period with data on: buckets before a source's first record
    are not zeros, they are before its history began (per `by` group when given)."""
    if frame.empty or count not in frame:
        return frame
    if by:
        parts = [since_first_data(rows, count) for _, rows in frame.groupby(by, sort=False)]
        return pd.concat(parts) if parts else frame
    totals = frame.groupby("period")[count].sum()
    started = totals[totals.fillna(0) > 0]
    return frame[frame["period"] >= started.index.min()] if len(started) else frame.iloc[0:0]


def points(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[["period", column]].dropna() if column in frame else frame.iloc[0:0]


def trend_title(
    frame: pd.DataFrame, metric: Metric, now=None, grain: str = "month", tiered: bool = True
) -> tuple[str, str | None]:
    """('Change lead time down 42% since Dec 2025, now elite', '20 hours → 12 hours in the
    chosen period'), by the shared rule (`lib.charts.titles.trend_takeaway`): partial buckets
    and buckets on too few events never speak. `now` is the catalog's value over the chosen
    period, the number the page's tile shows; the tier, when stated, is that value's, by the
    tile's rule (`tier_for`), so tile and title never disagree; never when not `tiered` (the
    tile's rule held the tier back: `lib.views.delivery.held_back`)."""
    claim, detail = trend_takeaway(
        metric.label,
        metric.unit,
        list(frame["period"]),
        list(frame[metric.column]),
        partial=list(frame["partial"]) if "partial" in frame else None,
        few=few_flags(frame, metric.count),
        now=now,
        grain=grain,
    )
    if (
        tiered
        and metric.column in DORA_METRICS
        and metric.column != "rework_rate"
        and now is not None
        and " since " in claim
    ):
        tier = tier_for(metric.column, now)
        if tier:
            claim += f", now {tier}"
    return claim, detail


def color_by(fig: go.Figure, keys, colors: dict) -> None:
    """Colour each trace by its key (a work type, a severity, a stage); unknown keys muted."""
    for trace, key in zip(fig.data, keys, strict=True):
        trace.marker.color = colors.get(key, MUTED)
