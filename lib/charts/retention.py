"""Chart builders of the Retention & development page: headcount, attrition, first-year
attrition, groups and acquisitions. Aggregates in (the frames of `lib.views.retention*`),
figures out; each writes its takeaway title from the data.

A suppressed figure (null, with `suppressed_reason`) is never drawn as a zero: a line has
a gap, a bar is absent and the reason is written in the chart. Charts of the careers,
tenure and management sections are in `lib.charts.retention_people`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.benchmarks import RANGES
from lib.charts import BAD, GOOD, MUTED, PALETTE, empty_figure, finish
from lib.charts.titles import headline
from lib.formatting import count_of

TOTAL, VOLUNTARY, REGRETTED = PALETTE[0], PALETTE[2], PALETTE[3]
BENCH_FILL = "rgba(42, 157, 143, 0.12)"
NO_DATA = "no data"
MAX_BARS = 15  # groups in one bar chart; more are cut to the largest, and the title says so


def pct(value) -> str:
    """0.216 → '22%', 0.082 → '8.2%', 0 → '0%', missing → 'no data'."""
    if value is None or pd.isna(value):
        return NO_DATA
    return f"{value:.1%}" if 0 < abs(value) < 0.1 else f"{value:.0%}"


def few(names) -> str:
    """'Oslo, Pune' or 'Oslo, Pune, Lima and 4 more': a short list of group names."""
    shown = [label(n) for n in names]
    return ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


def label(group) -> str:
    """Group names as a reader writes them: 'offshore' → 'Offshore'."""
    text = str(group)
    return text[:1].upper() + text[1:]


def _shown(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.dropna(subset=[column]) if column in frame else frame.iloc[0:0]


def _month(value) -> str:
    return f"{pd.Timestamp(value):%b %Y}"


def hidden_note(fig: go.Figure, frame: pd.DataFrame, what: str = "points", text: str | None = None) -> None:
    """Remember why some points are missing (suppression), for `titled` to say under the title:
    never silent, and never on top of the legend."""
    reasons = frame["suppressed_reason"].dropna().unique() if "suppressed_reason" in frame else []
    if text or len(reasons):
        fig.update_layout(meta={"hidden": text or f"some {what} not shown: {reasons[0]}"})


def titled(fig: go.Figure, title: str, detail: str | None = None, **kwargs) -> go.Figure:
    """`headline` with the suppression note (if any) added to the line under the title."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    note = meta.get("hidden")
    if note:
        detail = f"{detail} · {note}" if detail else note[:1].upper() + note[1:]
    return headline(fig, title, detail, **kwargs)


# ---------------------------------------------------------------------------- headcount


def _at_end(row: pd.Series) -> str:
    """'at the end of Nov 2026', or 'on 5 Dec 2026' for a month the period cuts short: a
    month that has not ended has no end to be counted at (the second review)."""
    last_day = pd.Timestamp(row["bucket_end"]) - pd.Timedelta(days=1)
    if "bucket_start" in row and (last_day + pd.Timedelta(days=1)).day != 1:
        return f"on {last_day.day} {last_day:%b %Y}"
    return f"at the end of {_month(last_day)}"


def headcount_title(frame: pd.DataFrame) -> tuple[str, str | None]:
    """('Headcount down 29% to 5 since Mar 2024', '7 at the end of Mar 2024 → 5 at the end of
    Nov 2026 · 2 hires and 4 leavers in between'): the line's first point against its last, so
    the title never contradicts the line; the hires and leavers are those after the first
    point, so start + hires − leavers = end. One point: the headcount, no change claimed."""
    rows = _shown(frame, "headcount_end")
    if rows.empty:
        return "Headcount: no data for this selection", None
    first, last = rows.iloc[0], rows.iloc[-1]
    start, end = first["headcount_end"], last["headcount_end"]
    at_end = _at_end(last)
    if len(rows) == 1:
        return (
            f"Headcount {end:.0f} {at_end}",
            f"{count_of(first['hires'], 'hire')} and {count_of(first['separations'], 'leaver')}",
        )
    later = rows.iloc[1:]
    hires, leavers = int(later["hires"].sum()), int(later["separations"].sum())
    change = (end - start) / start if start else None
    if change is None or abs(change) < 0.02:
        claim = f"Headcount steady at {end:.0f}"
    else:
        claim = f"Headcount {'up' if change > 0 else 'down'} {abs(change):.0%} to {end:.0f}"
    since = _month(first["bucket_end"] - pd.Timedelta(days=1))
    detail = (
        f"{start:.0f} at the end of {since} → {end:.0f} {at_end} · "
        f"{count_of(hires, 'hire')} and {count_of(leavers, 'leaver')} in between"
    )
    return f"{claim} since {since}", detail


def headcount_flow(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Headcount at each bucket's end (top panel) above hires (up) and leavers (down) per
    bucket (bottom panel), on one time axis. `frame`: `attrition_by_period(…, "all")`."""
    from plotly.subplots import make_subplots

    rows = _shown(frame, "headcount_end")
    if rows.empty:
        return empty_figure(
            "Headcount over time", "No data: " + _reason(frame, "no employees in this selection")
        )
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.52, 0.48], vertical_spacing=0.06)
    fig.add_trace(go.Scatter(x=rows["period"], y=rows["headcount_end"], name="Headcount at the end",
                             mode="lines+markers", line={"width": 3, "color": TOTAL},
                             hovertemplate="%{x|%b %Y}: %{y} people at the end<extra></extra>"), row=1, col=1)  # fmt: skip
    fig.add_trace(go.Bar(x=rows["period"], y=rows["hires"], name="Hires", marker_color=GOOD,
                         text=rows["hires"].astype(int), textposition="outside",
                         hovertemplate="%{x|%b %Y}: %{y} hires<extra></extra>"), row=2, col=1)  # fmt: skip
    fig.add_trace(go.Bar(x=rows["period"], y=-rows["separations"], name="Leavers", marker_color=BAD,
                         customdata=rows["separations"], text=rows["separations"].astype(int), textposition="outside",
                         hovertemplate="%{x|%b %Y}: %{customdata} leavers<extra></extra>"), row=2, col=1)  # fmt: skip
    flows = float(max(rows["hires"].max(), rows["separations"].max(), 1))
    top = float(rows["headcount_end"].max())
    fig.update_layout(barmode="relative", hovermode="x unified", bargap=0.25)
    fig.update_yaxes(title_text="Headcount (people)", range=[0, top * 1.12], row=1, col=1)
    fig.update_yaxes(title_text="Hires / leavers (people)", range=[-flows * 1.45, flows * 1.45],
                     zeroline=True, zerolinecolor="#C9CED6", row=2, col=1)  # fmt: skip
    fig.update_xaxes(title_text=x_title, row=2, col=1)
    fig = finish(fig, "", caption, None, None, height=430)
    return titled(fig, *headcount_title(frame))


def _reason(frame: pd.DataFrame, default: str) -> str:
    reasons = frame["suppressed_reason"].dropna().unique() if "suppressed_reason" in frame else []
    return reasons[0] if len(reasons) else default


# ---------------------------------------------------------------------------- attrition


def attrition_title(frame: pd.DataFrame) -> tuple[str, str | None]:
    rows = _shown(frame, "attrition_rate_ttm")
    if rows.empty:
        return "Attrition: no data for this selection", None
    last = rows.iloc[-1]
    bench = RANGES["retention.attrition_rate_ttm"]
    rate = last["attrition_rate_ttm"]
    place = (
        "above" if rate > bench.high else "below" if rate < bench.low else "within"
    ) + f" the {bench.low:.0%}–{bench.high:.0%} tech benchmark"
    to = _at_end(last).removeprefix("at the end of ").removeprefix("on ")  # "Nov 2026", "3 Dec 2026"
    claim = f"{pct(rate)} of people left in the 12 months to {to}, {place}"
    parts = [f"{count_of(last['separations_ttm'], 'leaver')}, average headcount "
             f"{(last['headcount_year_ago'] + last['headcount_end']) / 2:.0f}"]  # fmt: skip
    if pd.notna(last.get("voluntary_attrition_rate_ttm")):
        parts.append(f"voluntary {pct(last['voluntary_attrition_rate_ttm'])}")
    if pd.notna(last.get("regretted_attrition_rate_ttm")):
        parts.append(f"regretted {pct(last['regretted_attrition_rate_ttm'])}")
    return claim, " · ".join(parts)


def attrition_ttm(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Trailing-twelve-month attrition at each bucket's end: total, voluntary and regretted
    (lines), on the published tech-turnover band (with its source and year in the chart)."""
    rows = _shown(frame, "attrition_rate_ttm")
    if rows.empty:
        return empty_figure("Attrition, trailing 12 months", "No data: " + _reason(frame, "no employees"))
    bench = RANGES["retention.attrition_rate_ttm"]
    fig = go.Figure()
    fig.add_hrect(y0=bench.low, y1=bench.high, fillcolor=BENCH_FILL, line_width=0, layer="below")
    fig.add_annotation(text=f"Tech benchmark {bench.low:.1%}–{bench.high:.1%}: Mercer 2023, LinkedIn 2018",
                       xref="paper", x=0.01, y=bench.high, yref="y", xanchor="left", yanchor="bottom",
                       showarrow=False, font={"size": 10.5, "color": MUTED})  # fmt: skip
    series = (
        ("attrition_rate_ttm", "All leavers", TOTAL, "separations_ttm"),
        ("voluntary_attrition_rate_ttm", "Voluntary", VOLUNTARY, "voluntary_ttm"),
        ("regretted_attrition_rate_ttm", "Regretted", REGRETTED, "regretted_ttm"),
    )
    for column, name, color, count in series:
        if rows[column].notna().any():
            fig.add_trace(go.Scatter(
                x=rows["period"], y=rows[column], name=name, mode="lines+markers",
                line={"width": 3 if column == "attrition_rate_ttm" else 2, "color": color},
                customdata=rows[[count]].to_numpy(),
                hovertemplate=f"%{{x|%b %Y}} · {name.lower()}: %{{y:.1%}} (%{{customdata[0]:.0f}} people)<extra></extra>",
            ))  # fmt: skip
    missing = [name for column, name, *_ in series[1:] if not rows[column].notna().any()]
    if missing and "split_hidden" in rows and rows["split_hidden"].astype(bool).any():
        hidden_note(
            fig, rows, text="voluntary and regretted hidden: too few leavers (the anonymity threshold)"
        )
    elif missing:
        hidden = " and ".join(m.lower() for m in missing)
        hidden_note(fig, rows, text=f"no {hidden} leavers data: the export has no such column")
    top = max(float(rows[[c for c, *_ in series]].max().max()), bench.high) * 1.2
    fig.update_yaxes(tickformat=".0%", range=[0, top])
    fig.update_layout(hovermode="x unified")
    fig = finish(
        fig, "", caption, x_title, "Left in the trailing 12 months (% of average headcount)", height=400
    )
    return titled(fig, *attrition_title(frame))


def by_group_trend(frame: pd.DataFrame, caption: str, x_title: str, noun: str) -> go.Figure:
    """Trailing-twelve-month attrition per group (a line each), e.g. acquired vs organic."""
    rows = _shown(frame, "attrition_rate_ttm")
    if rows.empty:
        return empty_figure(f"Attrition by {noun}", "No data: " + _reason(frame, "no employees"))
    fig = go.Figure()
    groups = list(rows.groupby("group")["people"].max().sort_values(ascending=False).index)
    for i, name in enumerate(groups):
        part = frame[frame["group"] == name]
        fig.add_trace(go.Scatter(
            x=part["period"], y=part["attrition_rate_ttm"], name=label(name), mode="lines+markers",
            line={"width": 2.6, "color": PALETTE[i % len(PALETTE)]}, connectgaps=False,
            customdata=part[["separations_ttm", "people"]].fillna(0).to_numpy(),
            hovertemplate=f"{label(name)} · %{{x|%b %Y}}: %{{y:.1%}} (%{{customdata[0]:.0f}} leavers)<extra></extra>",
        ))  # fmt: skip
    hidden_note(fig, frame)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(hovermode="x unified")
    fig = finish(
        fig, "", caption, x_title, "Left in the trailing 12 months (% of average headcount)", height=400
    )
    last = rows[rows["period"] == rows["period"].max()].sort_values("attrition_rate_ttm", ascending=False)
    if len(last) >= 2:
        top, low = last.iloc[0], last.iloc[-1]
        title = (f"{label(top['group'])} loses {pct(top['attrition_rate_ttm'])} of its people a year, "
                 f"{label(low['group'])} {pct(low['attrition_rate_ttm'])}")  # fmt: skip
    else:
        title = f"Attrition by {noun}: {pct(last.iloc[0]['attrition_rate_ttm'])} over the last 12 months"
    return titled(fig, title, "trailing-twelve-month attrition at each month's end")


def groups_compared(frame: pd.DataFrame, caption: str, noun: str) -> go.Figure:
    """Per group over the period: headcount at the end (label), hires and leavers, and the
    trailing-twelve-month attrition (bars, %). `frame`: `group_summary`."""
    rows = frame.dropna(subset=["attrition_rate_ttm"])
    if len(frame) and all(str(g).startswith("(") for g in frame["group"]):
        return empty_figure(
            f"Attrition by {noun}",
            f"No {noun} in the data: add a {noun} column to the employee report, or import the teams template "
            "with it.",
        )
    if rows.empty:
        return empty_figure(
            f"Headcount and attrition by {noun}", "No data: " + _reason(frame, "no employees")
        )
    total_groups = len(rows)
    if total_groups > MAX_BARS:
        rows = rows.nlargest(MAX_BARS, "headcount_end")
    rows = rows.sort_values("attrition_rate_ttm")
    labels = [f"{label(g)} ({h:.0f})" for g, h in zip(rows["group"], rows["headcount_end"], strict=True)]
    fig = go.Figure(go.Bar(
        y=labels, x=rows["attrition_rate_ttm"], orientation="h", marker_color=TOTAL, name="All leavers",
        text=[pct(v) for v in rows["attrition_rate_ttm"]], textposition="outside",
        customdata=rows[["headcount_end", "hires", "separations"]].to_numpy(),
        hovertemplate="%{y}: %{x:.1%} · headcount %{customdata[0]:.0f}, %{customdata[1]:.0f} hires and "
        "%{customdata[2]:.0f} leavers in the period<extra></extra>",
    ))  # fmt: skip
    if rows["voluntary_attrition_rate_ttm"].notna().any():
        fig.add_trace(go.Bar(y=labels, x=rows["voluntary_attrition_rate_ttm"], orientation="h",
                             marker_color=VOLUNTARY, name="Voluntary",
                             hovertemplate="%{y}: voluntary %{x:.1%}<extra></extra>"))  # fmt: skip
    bench = RANGES["retention.attrition_rate_ttm"]
    fig.add_vrect(x0=bench.low, x1=bench.high, fillcolor=BENCH_FILL, line_width=0, layer="below")
    hidden = frame[frame["attrition_rate_ttm"].isna()]
    if len(hidden):
        hidden_note(
            fig, hidden, text=f"not shown: {few(hidden['group'])} ({hidden['suppressed_reason'].iloc[0]})"
        )
    fig.update_xaxes(tickformat=".0%", range=[0, float(rows["attrition_rate_ttm"].max()) * 1.3 + 0.01])
    fig.update_layout(barmode="group", hovermode="closest", bargap=0.3)
    fig = finish(fig, "", caption, "Left in 12 months to the period end (% of headcount)", None,
                 height=max(320, 130 + 52 * len(rows)))  # fmt: skip
    top, low = rows.iloc[-1], rows.iloc[0]
    title = (
        f"{label(top['group'])} loses the most people: {pct(top['attrition_rate_ttm'])} a year, "
        f"against {pct(low['attrition_rate_ttm'])} in {label(low['group'])}"
        if len(rows) > 1
        else f"{label(top['group'])}: {pct(top['attrition_rate_ttm'])} a year"
    )
    detail = f"headcount in brackets; band: tech benchmark {bench.low:.1%}–{bench.high:.1%} (Mercer 2023, LinkedIn 2018)"
    if total_groups > MAX_BARS:
        detail = f"the {MAX_BARS} largest of {total_groups} {noun}s; " + detail
    return titled(fig, title, detail)


# ---------------------------------------------------------------------------- first year


def first_year(frame: pd.DataFrame, caption: str) -> go.Figure:
    """Share of each hire quarter who left within a year (bars per group)."""
    rows = frame.dropna(subset=["first_year_attrition_rate"])
    if rows.empty:
        return empty_figure(
            "First-year attrition", "No data: " + _reason(frame, "no hires with a year behind them")
        )
    fig = go.Figure()
    groups = list(frame.groupby("group")["hired"].sum().sort_values(ascending=False).index)
    for i, name in enumerate(groups):
        part = rows[rows["group"] == name]
        fig.add_trace(go.Bar(
            x=[f"Q{(c.month - 1) // 3 + 1} {c.year}" for c in pd.to_datetime(part["cohort"])],
            y=part["first_year_attrition_rate"], name=label(name), marker_color=PALETTE[i % len(PALETTE)],
            customdata=part[["left_in_first_year", "hired"]].to_numpy(),
            text=[pct(v) for v in part["first_year_attrition_rate"]], textposition="outside",
            hovertemplate=f"{label(name)} hired %{{x}}: %{{customdata[0]:.0f}} of %{{customdata[1]:.0f}} left within a year<extra></extra>",
        ))  # fmt: skip
    hidden_note(fig, frame, "hire quarters")
    fig.update_yaxes(
        tickformat=".0%", range=[0, min(1.0, float(rows["first_year_attrition_rate"].max()) * 1.3 + 0.05)]
    )
    fig.update_layout(barmode="group", hovermode="closest", showlegend=len(groups) > 1)
    fig = finish(fig, "", caption, "Hire quarter", "Left within their first year (% of hires)", height=400)
    totals = rows.groupby("group")[["left_in_first_year", "hired"]].sum()
    totals["rate"] = totals["left_in_first_year"] / totals["hired"]
    totals = totals.dropna().sort_values("rate", ascending=False)
    if len(totals) >= 2:
        top, low = totals.iloc[0], totals.iloc[-1]
        title = (f"{totals.index[0]} lost {pct(top['rate'])} of its hires in their first year, "
                 f"{totals.index[-1]} {pct(low['rate'])}")  # fmt: skip
    else:
        # pooled over the quarters drawn, which is not the tile's cohort (hired a year before the
        # period's end): the title names its quarters so the two never read as one figure
        hired = int(totals["hired"].iloc[0])
        title = (f"{pct(totals['rate'].iloc[0])} of the {hired:,} people hired {_quarters(rows['cohort'])} "
                 "left within their first year")  # fmt: skip
    # each person's first year has ended; the last quarter holds only those hired a year before
    # the period's end (the second review read "quarters whose first year has ended" as whole ones)
    return titled(fig, title, "people whose first year has ended, by hire quarter (the last quarter in part)")


def _quarters(cohorts: pd.Series) -> str:
    """'in Q4 2023–Q4 2025', or 'in Q2 2024' for one quarter."""
    days = pd.to_datetime(cohorts)
    names = [f"Q{(d.month - 1) // 3 + 1} {d.year}" for d in (days.min(), days.max())]
    return f"in {names[0]}" if names[0] == names[1] else f"in {names[0]}–{names[1]}"
