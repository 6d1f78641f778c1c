"""What the Delivery charts share: how each metric reads, and trimming before a source's history."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lib.charts import MUTED, PALETTE
from lib.charts.titles import split_detail
from lib.overview import TrendSpec, trend_takeaway
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

    def spec(self) -> TrendSpec:
        return TrendSpec("", "", "period", self.column, self.label, self.y_title, self.unit, self.higher_is_better,
                         self.source, self.y_format)  # fmt: skip


DORA_METRICS = {
    m.column: m
    for m in (
        Metric("deployment_frequency_per_week", "Deployment frequency", "per week",
               "Successful production deployments per week", True),
        Metric("lead_time_hours_p50", "Change lead time", "hours",
               "Median commit → production (hours, log scale)", False, log=True),
        Metric("change_failure_rate", "Change failure rate", "%",
               "Change failures (% of deployments)", False, y_format=".0%"),
        Metric("recovery_time_hours_p50", "Time to restore service", "hours",
               "Median incident start → resolved (hours, log scale)", False, log=True, source="incidents"),
        Metric("rework_rate", "Rework rate", "%",
               "Rework (% of deployments)", False, y_format=".0%"),
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
    ),
    "time_days_p50": Metric(
        "time_days_p50", "Flow time", "days", "Median flow time (days)", False, source="work_items"
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


def trend_title(frame: pd.DataFrame, metric: Metric) -> tuple[str, str | None]:
    """('Change lead time down 42% since Dec 2025, now elite', '20 hours → 12 hours')."""
    claim, detail = split_detail(
        trend_takeaway(list(frame[metric.column]), list(frame["period"]), metric.spec())
    )
    shown = points(frame, metric.column)
    if metric.column in DORA_METRICS and metric.column != "rework_rate" and len(shown) >= 2:
        tier = tier_for(metric.column, float(shown[metric.column].iloc[-1]))
        if tier:
            claim += f", now {tier}"
    return claim, detail


def color_by(fig: go.Figure, keys, colors: dict) -> None:
    """Colour each trace by its key (a work type, a severity, a stage); unknown keys muted."""
    for trace, key in zip(fig.data, keys, strict=True):
        trace.marker.color = colors.get(key, MUTED)
