"""Pull request cycle time: the median hours a change waits in each stage."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import PALETTE, bar_chart, empty_figure
from lib.charts.delivery.common import color_by, since_first_data
from lib.charts.titles import headline
from lib.formatting import count_of, format_value, is_missing

STAGE_COLORS = {"Pickup": PALETTE[2], "Review": PALETTE[1], "Deploy": PALETTE[0]}
STAGES = {"pickup_hours_p50": "Pickup", "review_hours_p50": "Review", "deploy_hours_p50": "Deploy"}
_STAGE_WHAT = {
    "Pickup": "waiting for a first human review",
    "Review": "from first human review to merge",
    "Deploy": "from merge to production",
}


def pr_stages_title(summary: dict) -> tuple[str, str | None]:
    """('Deploy is the longest wait', 'Median 58 hours from merge to production')."""
    medians = {label: summary.get(col) for col, label in STAGES.items() if not is_missing(summary.get(col))}
    if not medians:
        return "PR cycle time: no stage can be measured", None
    longest = max(medians, key=medians.get)
    if len(medians) == 1:  # one stage measured: no "longest" (a review: "Deploy is the longest wait" alone)
        return f"Only the {longest.lower()} stage can be measured", (
            f"Median {format_value(medians[longest], 'hours')} {_STAGE_WHAT[longest]} (chosen period)"
        )
    return f"{longest} is the longest wait", (
        f"Median {format_value(medians[longest], 'hours')} {_STAGE_WHAT[longest]} (chosen period)"
    )


def pr_breakdown(frame: pd.DataFrame, summary: dict, caption: str, x_title: str) -> go.Figure:
    """Median hours in each PR stage per period (by merge date), stacked."""
    frame = since_first_data(frame, "merged_prs")
    present = {c: label for c, label in STAGES.items() if c in frame and frame[c].notna().any()}
    if frame.empty or not present:
        merged = int(frame["merged_prs"].sum()) if "merged_prs" in frame else 0
        if merged:  # PRs there, no stage measurable: "no merged pull requests" beside a tile of 29 (a review)
            return empty_figure("PR cycle time", f"{count_of(merged, 'merged pull request')}, but no stage can be "
                                "measured: none has a first review time or a production deployment of its "
                                "repository's service.")  # fmt: skip
        return empty_figure("PR cycle time", "No merged pull requests for this period and filter.")
    claim, detail = pr_stages_title(summary)
    note = " · Medians per stage; they do not add up to the median of the whole"
    fig = bar_chart(frame, "period", present, claim, caption + note, x_title, "Median hours per stage",
                    stacked=True)  # fmt: skip
    color_by(fig, present.values(), STAGE_COLORS)
    return headline(fig, claim, detail, width=100)
