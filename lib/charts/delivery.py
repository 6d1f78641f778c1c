"""Chart builders for the Delivery & quality page: DORA trends on their tier bands, flow,
incidents, PR cycle time and each team's own trend. Aggregates in, figures out.

Every builder writes its own title from the data (the takeaway), using the house
template, unit-bearing axis titles and the caption it is given. No streamlit here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.charts import MUTED, PALETTE, TIER_COLORS, bar_chart, empty_figure, finish, line_chart
from lib.formatting import format_value, is_missing
from lib.overview import TrendSpec, trend_takeaway
from lib.views.delivery import bands as dora_bands
from lib.views.delivery import tier_for

WORK_TYPES = ("feature", "defect", "risk", "debt")
TYPE_COLORS = {"feature": PALETTE[0], "defect": PALETTE[3], "risk": PALETTE[2], "debt": PALETTE[4]}
TYPE_LABELS = {"feature": "Features", "defect": "Defects", "risk": "Risks", "debt": "Debts"}
SEVERITY_COLORS = {
    "SEV0": "#6B0F1E",
    "SEV1": "#8E1B2C",
    "SEV2": "#D1495B",
    "SEV3": "#E9A23B",
    "SEV4": "#8D99AE",
    "SEV5": "#C9CED6",
    "high": "#D1495B",
    "low": "#8D99AE",
}
STAGE_COLORS = {"Pickup": PALETTE[2], "Review": PALETTE[1], "Deploy": PALETTE[0]}


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
               "Failed deployments (% of production deployments)", False, y_format=".0%"),
        Metric("recovery_time_hours_p50", "Recovery time", "hours",
               "Median incident start → resolved (hours, log scale)", False, log=True, source="incidents"),
        Metric("rework_rate", "Rework rate", "%",
               "Rework deployments (% of production deployments)", False, y_format=".0%"),
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


TITLE_CHARS = 46  # a half-width chart's title line at the template's 17 px


_DATE = re.compile(r"\b(?:\d{1,2} )?[A-Z][a-z]{2} \d{4}\b")


def wrap(text: str, width: int = TITLE_CHARS) -> list[str]:
    """Split a title into as few lines of at most `width` characters as it needs, of even
    length, never leaving one word alone on a line or splitting 'Dec 2025'."""
    lines_needed = math.ceil(len(text) / width)
    target = math.ceil(len(text) / lines_needed) if lines_needed else width
    lines, line = [], ""
    for word in _DATE.sub(lambda m: m.group().replace(" ", "\u00a0"), text).split(" "):
        if line and len(line) + 1 + len(word) > min(width, target + 6):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


CAPTION_CHARS = 62  # a half-width chart's caption line at 10.5 px


def headline(
    fig: go.Figure,
    title: str,
    detail: str | None = None,
    width: int = TITLE_CHARS,
    extra_top: int = 0,
    legend_px: int = 360,
) -> go.Figure:
    """Set a takeaway title that wraps instead of being cut, the numbers behind it below it,
    room for the legend under them, and a caption that wraps instead of running off."""
    lines = wrap(title, width)
    details = wrap(detail, round(width * 1.3)) if detail else []
    names = [t.name or "" for t in fig.data if t.showlegend is not False]
    legend_rows = 0
    if names and fig.layout.showlegend is not False:
        # Plotly wraps a horizontal legend to the plot's width: `legend_px` for a half-width chart.
        legend_rows = math.ceil(sum(38 + 7 * len(n) for n in names) / (legend_px * width / TITLE_CHARS))
    top = 52 + 22 * len(lines) + 17 * len(details) + (6 if details else 0) + 26 * legend_rows + extra_top
    text = {"text": "<br>".join(lines)}
    if details:
        text["subtitle"] = {"text": "<br>".join(details), "font": {"size": 12.5, "color": MUTED}}
    fig.update_layout(
        title=text,
        margin={"t": top},
        height=(fig.layout.height or 380) + top - 64,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                "traceorder": "normal"},
    )  # fmt: skip
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if caption is not None:
        caption.text = "<br>".join(wrap(caption.text, CAPTION_CHARS * width // TITLE_CHARS))
    return fig


def split_detail(title: str) -> tuple[str, str | None]:
    """'Lead time down 31% since Dec 2025 (8.1 hours → 5.56 hours)' → the claim and its numbers."""
    if title.endswith(")") and " (" in title:
        claim, _, detail = title[:-1].rpartition(" (")
        return claim, detail
    return title, None


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


def _points(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[["period", column]].dropna() if column in frame else frame.iloc[0:0]


def trend_title(frame: pd.DataFrame, metric: Metric) -> tuple[str, str | None]:
    """('Change lead time down 42% since Dec 2025, now elite', '20 hours → 12 hours')."""
    claim, detail = split_detail(
        trend_takeaway(list(frame[metric.column]), list(frame["period"]), metric.spec())
    )
    points = _points(frame, metric.column)
    if metric.column in DORA_METRICS and metric.column != "rework_rate" and len(points) >= 2:
        tier = tier_for(metric.column, float(points[metric.column].iloc[-1]))
        if tier:
            claim += f", now {tier}"
    return claim, detail


LOG_TICKS = (
    (0.25, "15 min"), (0.5, "30 min"), (1, "1 h"), (2, "2 h"), (4, "4 h"), (8, "8 h"), (12, "12 h"),
    (24, "1 day"), (48, "2 days"), (72, "3 days"), (168, "1 wk"), (336, "2 wk"), (720, "1 mo"),
    (2160, "3 mo"), (4320, "6 mo"),
)  # fmt: skip


def _y_range(values: pd.Series, metric: Metric) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    if metric.log:
        low = max(min(low, high) / 2.5, 0.05)
        return low, max(high * 2.5, low * 10)
    floor = {"change_failure_rate": 0.2, "rework_rate": 0.2, "deployment_frequency_per_week": 1.2}
    return 0.0, max(high * 1.25, floor.get(metric.column, 0.0), 1e-9)


def _bands(column: str, low: float, high: float, log: bool) -> list[tuple[float, float, str, str]]:
    """The DORA bands clipped to the visible range, in data units; a band too thin to read
    keeps its colour but not its label, so labels never pile up."""
    scale = math.log10 if log else float
    span = scale(high) - scale(low)
    out = []
    for band in dora_bands(column):
        top = band.high if band.high is not None else math.inf
        lo, hi = max(band.low, low), min(top, high)
        if hi > lo:
            label = band.tier.capitalize() if (scale(hi) - scale(lo)) / span >= 0.09 else ""
            out.append((lo, hi, label, TIER_COLORS[band.tier]))
    return out


def dora_trend(frame: pd.DataFrame, column: str, caption: str, x_title: str) -> go.Figure:
    """One DORA key by period on the DORA tier bands of the report the project cites."""
    metric = DORA_METRICS[column]
    frame = since_first_data(frame, "incidents" if column == "recovery_time_hours_p50" else "deployments")
    values = _points(frame, column)[column]
    if values.empty:
        return empty_figure(metric.label, f"No {metric.label.lower()} for this period and filter.")
    low, high = _y_range(values, metric)
    bands = _bands(column, low, high, metric.log) if column != "rework_rate" else []
    claim, detail = trend_title(frame, metric)
    fig = line_chart(frame, "period", {column: metric.label}, title=claim, caption=caption, x_title=x_title,
                     y_title=metric.y_title, y_format=metric.y_format, bands=bands)  # fmt: skip
    if metric.log:
        ticks = [(v, t) for v, t in LOG_TICKS if low <= v <= high]
        fig.update_yaxes(type="log", range=[math.log10(low), math.log10(high)],
                         tickvals=[v for v, _ in ticks], ticktext=[t for _, t in ticks])  # fmt: skip
        # Plotly reads shapes on a log axis in data units but annotations in log10 units.
        for note in fig.layout.annotations:
            if note.yref == "y" and note.y:
                note.y = math.log10(note.y)
    else:
        fig.update_yaxes(range=[low, high])
    return headline(fig, claim, detail)


def outcomes_by_period(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Production deployments per period: successful against failed (failure, rollback or
    named by an incident), the counts behind the change failure rate."""
    frame = since_first_data(frame, "deployments")
    if frame.empty or not frame["deployments"].sum():
        return empty_figure("Deployments by outcome", "No production deployments for this period and filter.")
    data = frame.assign(
        other=frame["deployments"] - frame["successful_deployments"] - frame["failed_deployments"]
    )
    data["other"] = data["other"].clip(lower=0)
    total, failed = int(frame["deployments"].sum()), int(frame["failed_deployments"].sum())
    claim = f"{failed / total:.0%} of production deployments failed"
    detail = f"{failed:,} of {total:,}: failed, rolled back or named by an incident"
    series = {"successful_deployments": "Successful", "failed_deployments": "Failed or rolled back"}
    if data["other"].sum():
        series["other"] = "Other status"
    fig = bar_chart(data, "period", series, claim, caption, x_title, "Production deployments", stacked=True)
    for trace, color in zip(fig.data, ("#2A9D8F", "#D1495B", "#8D99AE"), strict=False):
        trace.marker.color = color
    return headline(fig, claim, detail)


# ---------------------------------------------------------------------------- flow


def _types_present(frame: pd.DataFrame) -> list[str]:
    return [t for t in WORK_TYPES if t in set(frame["type"])]


def _color_by(fig: go.Figure, keys, colors: dict) -> None:
    for trace, key in zip(fig.data, keys, strict=True):
        trace.marker.color = colors.get(key, MUTED)


def velocity_by_type(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Items completed per week in each period, stacked by flow type."""
    frame = since_first_data(frame, "items")
    if frame.empty or not frame["items"].sum():
        return empty_figure("Flow velocity", "No completed work items for this period and filter.")
    wide = frame.pivot_table(
        index="period", columns="type", values="items_per_week", aggfunc="sum"
    ).reset_index()
    wide["total"] = wide[[t for t in WORK_TYPES if t in wide]].sum(axis=1)
    metric = TEAM_METRICS["velocity_per_week"]
    claim, detail = split_detail(trend_takeaway(list(wide["total"]), list(wide["period"]), metric.spec()))
    series = {t: TYPE_LABELS[t] for t in _types_present(frame)}
    fig = bar_chart(wide, "period", series, claim, caption, x_title, "Items completed per week", stacked=True)
    _color_by(fig, series, TYPE_COLORS)
    return headline(fig, claim, detail)


def distribution_title(frame: pd.DataFrame) -> tuple[str, str]:
    """The biggest move in the share of a work type between the first and last period."""
    totals = frame.groupby("type")["items"].sum()
    overall = totals / totals.sum()
    mix = " · ".join(f"{TYPE_LABELS[t]} {overall.get(t, 0):.0%}" for t in WORK_TYPES)
    shares = frame.pivot_table(index="period", columns="type", values="share", aggfunc="sum")
    shares = shares[frame.groupby("period")["items"].sum().reindex(shares.index).fillna(0) > 0]
    if len(shares) >= 2:
        first, last = shares.iloc[0], shares.iloc[-1]
        moves = {t: float(last.get(t, 0) or 0) - float(first.get(t, 0) or 0) for t in WORK_TYPES}
        biggest = max(moves, key=lambda t: abs(moves[t]))
        if abs(moves[biggest]) >= 0.05:
            since = pd.Timestamp(shares.index[0]).strftime("%b %Y")
            direction = "rose" if moves[biggest] > 0 else "fell"
            return (
                f"{TYPE_LABELS[biggest]} {direction} from {float(first.get(biggest, 0) or 0):.0%} to "
                f"{float(last.get(biggest, 0) or 0):.0%} of completed work since {since}",
                f"Whole window: {mix}",
            )
    return "The work mix held steady", f"Whole window: {mix}"


def distribution_shares(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Share of completed items by flow type in each period (100% stacked)."""
    frame = since_first_data(frame, "items")
    if frame.empty or not frame["items"].sum():
        return empty_figure("Flow distribution", "No completed work items for this period and filter.")
    wide = frame.pivot_table(index="period", columns="type", values="share", aggfunc="sum").reset_index()
    claim, detail = distribution_title(frame)
    series = {t: TYPE_LABELS[t] for t in _types_present(frame)}
    fig = bar_chart(
        wide, "period", series, claim, caption, x_title, "Share of items completed", ".0%", stacked=True
    )
    _color_by(fig, series, TYPE_COLORS)
    fig.update_yaxes(range=[0, 1])
    return headline(fig, claim, detail)


def flow_time_box(frame: pd.DataFrame, spread: dict, caption: str, x_title: str) -> go.Figure:
    """Flow time per period as boxes: median, quartiles, whiskers at the 10th and 90th percentile."""
    data = frame[frame["items"] > 0]
    if data.empty or is_missing(spread.get("p50")):
        return empty_figure("Flow time", "No completed work items for this period and filter.")
    claim = f"Half of items finish within {format_value(spread['p50'], 'days')}"
    detail = (
        f"1 in 4 takes over {format_value(spread['p75'], 'days')}, 1 in 10 over "
        f"{format_value(spread['p90'], 'days')} · whiskers: 10th–90th percentile, dashes: mean"
    )
    fig = go.Figure(
        go.Box(
            x=data["period"],
            q1=data["p25"],
            median=data["p50"],
            q3=data["p75"],
            lowerfence=data["p10"],
            upperfence=data["p90"],
            mean=data["mean"],
            name="Flow time",
            marker_color=PALETTE[0],
            fillcolor="rgba(31, 78, 121, 0.25)",
            line={"width": 1.6},
            boxmean=True,
        )
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    finish(fig, claim, caption, x_title, "Flow time (days)")
    fig.update_yaxes(rangemode="tozero")
    return headline(fig, claim, detail)


def flow_time_histogram(frame: pd.DataFrame, caption: str) -> go.Figure:
    """How many completed items took each band of flow time, stacked by type."""
    if frame.empty or not frame["items"].sum():
        return empty_figure("Flow time distribution", "No completed work items for this period and filter.")
    wide = frame.pivot_table(index=["band_order", "band"], columns="type", values="items", aggfunc="sum")
    wide = wide.reset_index().sort_values("band_order")
    present = _types_present(frame)
    wide["total"] = wide[present].sum(axis=1)
    top = wide.loc[wide["total"].idxmax()]
    total = int(wide["total"].sum())
    in_words = "under a day" if top["band"] == "< 1" else f"{top['band']} days"
    claim = f"Most items take {in_words} from start to done"
    detail = f"{top['total'] / total:.0%} of the {total:,} items completed in the chosen period"
    series = {t: TYPE_LABELS[t] for t in present}
    x_title = "Flow time (days), started (else created) → completed"
    fig = bar_chart(wide, "band", series, claim, caption, x_title, "Items completed", stacked=True)
    _color_by(fig, series, TYPE_COLORS)
    fig.update_xaxes(type="category", tickangle=0)
    return headline(fig, claim, detail)


def simple_trend(
    frame: pd.DataFrame, metric: Metric, caption: str, x_title: str, empty_message: str
) -> go.Figure:
    """A single trend line titled with its takeaway (flow load, flow efficiency, …)."""
    if _points(frame, metric.column).empty:
        return empty_figure(metric.label, empty_message)
    claim, detail = trend_title(frame, metric)
    fig = line_chart(frame, "period", {metric.column: metric.label}, title=claim, caption=caption,
                     x_title=x_title, y_title=metric.y_title, y_format=metric.y_format)  # fmt: skip
    if metric.unit == "%":
        fig.update_yaxes(range=[0, 1])
    else:
        fig.update_yaxes(rangemode="tozero")
    return headline(fig, claim, detail)


# ---------------------------------------------------------------------------- incidents


def _severity_order(severities) -> list[str]:
    known = list(SEVERITY_COLORS)
    return sorted(set(severities), key=lambda s: (s not in known, known.index(s) if s in known else 0, s))


def incidents_by_service(frame: pd.DataFrame, caption: str, top: int = 12) -> go.Figure:
    """Incidents per service (most first), stacked by severity."""
    if frame.empty or not frame["incidents"].sum():
        return empty_figure("Incidents by service", "No incidents started in this period for this filter.")
    wide = frame.pivot_table(
        index="service", columns="severity", values="incidents", aggfunc="sum", fill_value=0
    )
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total", ascending=False)
    total = int(wide["total"].sum())
    lead, lead_n = wide.index[0], int(wide["total"].iloc[0])
    severities = _severity_order(frame["severity"])
    worst_n = int(wide.loc[lead].get(severities[0], 0))
    claim = f"{lead} had the most incidents"
    detail = f"{lead_n} of {total} in the chosen period ({lead_n / total:.0%})"
    if worst_n:
        detail += f", {worst_n} of them {severities[0]}"
    shown = wide.head(top).iloc[::-1].reset_index()
    note = f" · Top {top} of {len(wide)} services" if len(wide) > top else ""
    fig = bar_chart(shown, "service", {s: s for s in severities}, claim, caption + note, "Service", "Incidents",
                    stacked=True, horizontal=True)  # fmt: skip
    _color_by(fig, severities, SEVERITY_COLORS)
    fig.update_layout(height=max(380, 120 + 26 * len(shown)))
    return headline(fig, claim, detail, legend_px=230)


def incidents_by_period(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Incidents started per period, stacked by severity."""
    frame = since_first_data(frame, "incidents")
    if frame.empty or not frame["incidents"].sum():
        return empty_figure("Incidents over time", "No incidents started in this period for this filter.")
    wide = frame.pivot_table(
        index="period", columns="severity", values="incidents", aggfunc="sum"
    ).reset_index()
    severities = _severity_order(frame["severity"])
    total = int(frame["incidents"].sum())
    top_two = [s for s in severities if s in SEVERITY_COLORS][:2]
    serious = int(frame[frame["severity"].isin(top_two)]["incidents"].sum())
    if top_two:
        claim = f"{serious / total:.0%} of incidents were {' or '.join(top_two)}"
        detail = f"{serious:,} of {total:,} incidents started in the window"
    else:
        claim, detail = f"{total:,} incidents in the window", None
    fig = bar_chart(wide, "period", {s: s for s in severities}, claim, caption, x_title, "Incidents started",
                    stacked=True)  # fmt: skip
    _color_by(fig, severities, SEVERITY_COLORS)
    return headline(fig, claim, detail)


# ---------------------------------------------------------------------------- pull requests


STAGES = {"pickup_hours_p50": "Pickup", "review_hours_p50": "Review", "deploy_hours_p50": "Deploy"}
_STAGE_WHAT = {
    "Pickup": "waiting for a first review",
    "Review": "from first review to merge",
    "Deploy": "from merge to production",
}


def pr_stages_title(summary: dict) -> tuple[str, str | None]:
    """('Deploy is the longest wait', 'Median 58 hours from merge to production')."""
    medians = {label: summary.get(col) for col, label in STAGES.items() if not is_missing(summary.get(col))}
    if not medians:
        return "PR cycle time: no stage can be measured", None
    longest = max(medians, key=medians.get)
    return f"{longest} is the longest wait", (
        f"Median {format_value(medians[longest], 'hours')} {_STAGE_WHAT[longest]} (chosen period)"
    )


def pr_breakdown(frame: pd.DataFrame, summary: dict, caption: str, x_title: str) -> go.Figure:
    """Median hours in each PR stage per period (by merge date), stacked."""
    frame = since_first_data(frame, "merged_prs")
    present = {c: label for c, label in STAGES.items() if c in frame and frame[c].notna().any()}
    if frame.empty or not present:
        return empty_figure("PR cycle time", "No merged pull requests for this period and filter.")
    claim, detail = pr_stages_title(summary)
    note = " · Medians per stage; they do not add up to the median of the whole"
    fig = bar_chart(frame, "period", present, claim, caption + note, x_title, "Median hours per stage",
                    stacked=True)  # fmt: skip
    _color_by(fig, present.values(), STAGE_COLORS)
    return headline(fig, claim, detail, width=100)


# ---------------------------------------------------------------------------- teams


def team_trends_title(frame: pd.DataFrame, metric: Metric, noun: str = "team") -> tuple[str, str]:
    """('7 of 12 teams improved their change lead time', 'since Dec 2025, by 5% or more')."""
    improved = moved = 0
    since = None
    for _, rows in frame.groupby("unit"):
        points = rows[["period", metric.column]].dropna()
        if len(points) < 2:
            continue
        first, last = float(points[metric.column].iloc[0]), float(points[metric.column].iloc[-1])
        since = since or pd.Timestamp(points["period"].iloc[0]).strftime("%b %Y")
        moved += 1
        if first and metric.higher_is_better is not None and abs(last - first) / abs(first) >= 0.05:
            improved += (last > first) == metric.higher_is_better
    if not moved:
        return f"{metric.label} by {noun}: not enough data for a trend", f"Each {noun} on its own scale"
    return (
        f"{improved} of {moved} {noun}s improved their {metric.label.lower()}",
        f"First to last period since {since}, by 5% or more · each {noun} on its own scale",
    )


def team_small_multiples(
    frame: pd.DataFrame,
    column: str,
    caption: str,
    x_title: str,
    noun: str = "team",
    columns: int = 4,
    max_panels: int = 24,
) -> go.Figure:
    """One small chart per team or org (the frame's `unit`; alphabetical, never ranked), each on
    its own scale, so each is read against its own history rather than against the others.
    At most `max_panels`: more would be unreadable, and the title then says how many are shown."""
    metric = TEAM_METRICS[column]
    frame = since_first_data(frame, "velocity" if column in ("velocity_per_week", "time_days_p50") else "deployments",
                             by="unit")  # fmt: skip
    units = sorted(u for u, rows in frame.groupby("unit") if rows[column].notna().any())
    if not units:
        return empty_figure(
            f"{metric.label} by {noun}", f"No {noun} has data for this metric in this period."
        )
    shown = units[:max_panels]
    rows = math.ceil(len(shown) / columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=shown, shared_xaxes=True,
                        vertical_spacing=min(0.3 / rows, 0.12), horizontal_spacing=0.06)  # fmt: skip
    for i, unit in enumerate(shown):
        data = frame[frame["unit"] == unit]
        fig.add_trace(
            go.Scatter(
                x=data["period"],
                y=data[column],
                mode="lines+markers",
                name=unit,
                legendgroup=unit,  # a clicked point names its team
                line={"width": 2, "color": PALETTE[0]},
                marker={"size": 4},
                showlegend=False,
                hovertemplate=f"{unit}<br>%{{x|%b %Y}}: %{{y:.3~s}}<extra></extra>",
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    if metric.y_format:
        fig.update_yaxes(tickformat=metric.y_format)
    fig.update_yaxes(type="log" if metric.log else "linear", rangemode="normal" if metric.log else "tozero",
                     nticks=4)  # fmt: skip
    fig.update_xaxes(nticks=4, tickformat="%b %y")
    fig.update_annotations(font={"size": 12.5, "color": MUTED})
    claim, detail = team_trends_title(frame, metric, noun)
    if len(shown) < len(units):
        detail += f" · showing the first {len(shown)} of {len(units)} {noun}s alphabetically"
    finish(fig, claim, caption + f" · y: {metric.y_title}", None, None, height=120 + 190 * rows)
    fig.update_layout(hovermode="closest", margin={"b": 70})
    headline(fig, claim, detail, width=100, extra_top=24)
    # No x-axis title here, so the caption sits closer under the last row's tick labels.
    fig.update_annotations(selector={"name": "caption"}, y=0, yshift=-34)
    return fig
