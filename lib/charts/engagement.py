"""Chart builders of the People engagement page, on the shared "pillars" template.

They receive the aggregates of `lib.views.engagement_detail`, where a suppressed figure
is NaN with its reason in `suppressed_reason`; a suppressed figure is drawn as a hatched
grey cell or an empty bar labelled with the reason, never as a zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.charts import BAD, GOOD, LABELLED_ROWS, MUTED, PALETTE, finish

NEUTRAL = "#C9CED6"
HIDDEN = "#EEF0F3"


def _wrap(label: str) -> str:
    return label.replace(" ", "<br>", 1) if len(label) > 10 else label


def favorability_bars(dims: pd.DataFrame, title: str, caption: str) -> go.Figure:
    """Stacked favourable / neutral / unfavourable shares per Likert dimension."""
    likert = dims[~dims["is_enps"].astype(bool)].sort_values("favorable", na_position="first")
    fig = go.Figure()
    for column, name, color in (
        ("favorable", "Favourable (4–5)", GOOD),
        ("neutral", "Neutral (3)", NEUTRAL),
        ("unfavorable", "Unfavourable (1–2)", BAD),
    ):
        fig.add_trace(
            go.Bar(
                y=likert["label"],
                x=likert[column],
                name=name,
                orientation="h",
                marker_color=color,
                customdata=[
                    [f"n={n:.0f} people with a score" if pd.notna(n) else f"not shown: {why}"]
                    for n, why in zip(likert["respondents"], likert["suppressed_reason"], strict=True)
                ],
                hovertemplate="%{y}: %{x:.0%} " + name.lower() + " · %{customdata[0]}<extra></extra>",
                text=[f"{v:.0%}" if column == "favorable" and pd.notna(v) else "" for v in likert[column]],
                textposition="inside",
            )
        )
    hidden = likert[likert["favorable"].isna()]
    for label, reason in zip(hidden["label"], hidden["suppressed_reason"], strict=True):
        fig.add_annotation(
            y=label, x=0.01, xref="x", text=f"Not shown: {reason}", showarrow=False, xanchor="left"
        )
    fig.update_layout(barmode="stack", hovermode="closest", bargap=0.3)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return finish(fig, title, caption, "Share of answers (%)", None, height=max(300, 60 + 46 * len(likert)))


def enps_split(dims: pd.DataFrame, title: str, caption: str) -> go.Figure:
    """One stacked bar: detractors (0–6), passives (7–8), promoters (9–10)."""
    row = dims[dims["is_enps"].astype(bool)].iloc[0]
    fig = go.Figure()
    for column, name, color in (
        ("detractors", "Detractors (0–6)", BAD),
        ("passives", "Passives (7–8)", NEUTRAL),
        ("promoters", "Promoters (9–10)", GOOD),
    ):
        fig.add_trace(
            go.Bar(
                y=["eNPS"],
                x=[row[column]],
                name=name,
                orientation="h",
                marker_color=color,
                text=[f"{name.split(' ')[0]} {row[column]:.0%}"],
                textposition="inside",
                hovertemplate=name + ": %{x:.0%}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", hovermode="closest", showlegend=False)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(showticklabels=False)
    return finish(fig, title, caption, "Share of respondents (%)", None, height=230)


def heatmap(cells: pd.DataFrame, title: str, caption: str, order: list[str]) -> go.Figure:
    """Team × dimension: favourable share per cell (eNPS in its own column, −100..100 scaled);
    hidden cells are grey with the reason in the cell's text and tooltip.

    Up to LABELLED_ROWS teams each cell shows its figure; a larger organisation's heatmap
    (174 teams in the large demo: 1,200 labels down a 6,000-pixel chart, which no one reads
    and which took the browser 1.5–2 s to draw on every visit, bench/RESULTS.md) shows the
    colours, with each figure in its tooltip and in the CSV download beside the chart.

    The cells carry no gaps (`xgap`/`ygap`): with gaps, Plotly paints every cell into a
    canvas the size of the plot and encodes it as a PNG (280–330 ms a draw for the large
    demo's 174 × 7 cells, 1,150 px wide); without, it paints one pixel a cell and lets the
    browser scale it unsmoothed (100–125 ms). One white path over the cells draws what
    the gaps drew."""
    teams = sorted(cells["team"].unique(), reverse=True)
    dims = [d for d in order if d in set(cells["dimension"])]
    labels = [_wrap(cells.loc[cells["dimension"] == d, "label"].iloc[0]) for d in dims]
    z = np.full((len(teams), len(dims)), np.nan)
    hidden = np.full((len(teams), len(dims)), np.nan)
    text = [["" for _ in dims] for _ in teams]
    hover = [["" for _ in dims] for _ in teams]
    row_of, column_of = {t: i for i, t in enumerate(teams)}, {d: j for j, d in enumerate(dims)}
    rows = zip(
        cells["team"], cells["dimension"], cells["label"], cells["value"], cells["is_enps"],
        cells["respondents"], cells["suppressed_reason"], strict=True,
    )  # fmt: skip
    for team, dimension, label, value, is_enps, respondents, reason in rows:  # in order: a later cell wins
        i, j = row_of[team], column_of.get(dimension)
        if j is None:
            continue
        if pd.isna(value):
            hidden[i, j] = 0
            text[i][j] = "hidden"
            hover[i][j] = f"{team} · {label}: not shown, {reason}"
            continue
        is_enps = bool(is_enps)
        z[i, j] = (value + 100) / 200 if is_enps else value
        text[i][j] = f"{value:+.0f}" if is_enps else f"{value:.0%}"
        figure = f"eNPS {value:+.0f}" if is_enps else f"{value:.0%} favourable"
        hover[i][j] = f"{team} · {label}: {figure} · n={respondents:.0f}"
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=hidden,
            x=labels,
            y=teams,
            colorscale=[[0, HIDDEN], [1, HIDDEN]],
            showscale=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=labels,
            y=teams,
            zmin=0.3,
            zmax=0.9,
            colorscale=[[0, BAD], [0.5, "#F4F1DE"], [1, GOOD]],
            text=text,
            texttemplate="%{text}" if len(teams) <= LABELLED_ROWS else None,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorbar={"title": {"text": "Favourable"}, "tickformat": ".0%", "len": 0.8},
        )
    )
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(side="top", showline=False, ticks="", tickangle=0)
    # The title is pinned to the figure's top, above the dimension names: the template places
    # it at 96% of the height, which for the large demo's 6,256-pixel heatmap is 250 px down,
    # over the names.
    fig.update_layout(
        margin={"t": 110}, title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 14}}
    )
    fig.update_yaxes(showgrid=False)
    fig.add_shape(_cell_borders(len(teams), len(dims)))
    return finish(fig, title, caption, None, None, height=max(360, 140 + 34 * len(teams)))


def _cell_borders(rows: int, columns: int) -> dict:
    """One white path between the cells of a rows × columns heatmap on category axes (a
    category's centre is its index, so borders fall on the halves), above the cells."""
    across = "".join(f"M-0.5,{i + 0.5}H{columns - 0.5}" for i in range(rows - 1))
    down = "".join(f"M{j + 0.5},-0.5V{rows - 0.5}" for j in range(columns - 1))
    return {
        "type": "path",
        "path": across + down or "M0,0",
        "xref": "x",
        "yref": "y",
        "line": {"color": "white", "width": 2},
        "layer": "above",
    }


def wave_changes(frame: pd.DataFrame, waves: list[str], title: str, caption: str) -> go.Figure:
    """Grouped bars per dimension, one bar per wave, with n under each figure."""
    likert = frame[~frame["dimension"].isin(["enps"])]
    order = list(dict.fromkeys(likert["label"]))
    fig = go.Figure()
    for i, wave in enumerate(waves):
        w = likert[likert["survey_id"] == wave].set_index("label").reindex(order)
        # the respondents go in the legend and the hover: under each bar, "n=100" ran into the
        # neighbouring bar's percentage at 1280 px (the second review)
        counts = w["respondents"].dropna()
        n = (
            ""
            if counts.empty
            else f" (n={counts.min():.0f})"
            if counts.min() == counts.max()
            else f" (n={counts.min():.0f}–{counts.max():.0f})"
        )
        fig.add_trace(
            go.Bar(
                x=[_wrap(label) for label in order],
                y=w["value"],
                name=f"{wave}{n}",
                marker_color=PALETTE[(i + 6) % len(PALETTE)] if i < len(waves) - 1 else PALETTE[0],
                text=["hidden" if pd.isna(v) else f"{v:.0%}" for v in w["value"]],
                textposition="outside",
                customdata=w["respondents"].fillna(0).to_numpy(),
                hovertemplate="%{x} · " + wave + ": %{y:.0%} of %{customdata:.0f} respondents<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.08])
    fig.update_layout(barmode="group", hovermode="closest", bargap=0.25)
    fig.update_xaxes(tickangle=0)
    return finish(fig, title, caption, None, "Favourable answers (%)", height=420)


def drivers(frame: pd.DataFrame, title: str, caption: str, outcome: str) -> go.Figure:
    """Horizontal bars: correlation r of each dimension with the outcome."""
    shown = frame.dropna(subset=["r"]).sort_values("r")
    fig = go.Figure(
        go.Bar(
            y=shown["label"],
            x=shown["r"],
            orientation="h",
            marker_color=[GOOD if r >= 0.3 else NEUTRAL for r in shown["r"]],
            text=[f"r = {r:.2f}" for r in shown["r"]],
            textposition="outside",
            hovertemplate="%{y}: r = %{x:.2f} with " + outcome + "<extra></extra>",
        )
    )
    fig.update_xaxes(range=[min(-0.1, float(shown["r"].min() or 0) - 0.1), 1])
    fig.update_layout(hovermode="closest", showlegend=False)
    return finish(
        fig,
        title,
        caption,
        f"Correlation with {outcome} (Pearson r, respondent level)",
        None,
        height=max(300, 80 + 44 * len(shown)),
    )


def safety_panels(frame: pd.DataFrame, panels: list[dict], title: str, caption: str) -> go.Figure:
    """One dot per team in each panel: psychological-safety favourability (x) against a
    delivery or people figure (y); a dotted least-squares line where there are 3+ teams.

    `panels`: dicts with column, title (the panel's own takeaway with r), y_title, y_format.
    """
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1, cols=len(panels), subplot_titles=[p["title"] for p in panels], horizontal_spacing=0.09
    )
    for j, panel in enumerate(panels, start=1):
        y, y_format = panel["column"], panel["y_format"]
        data = frame.dropna(subset=["psychological_safety", y])
        fig.add_trace(
            go.Scatter(
                x=data["psychological_safety"],
                y=data[y],
                mode="markers",
                marker={"size": 10, "color": PALETTE[0], "line": {"width": 1, "color": "white"}},
                text=data["team"],
                customdata=data[["respondents"]].to_numpy(),
                hovertemplate="%{text}: safety %{x:.0%}, %{y:"
                + y_format
                + "} · n=%{customdata[0]}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=j,
        )
        if len(data) >= 3 and data["psychological_safety"].std() > 0:
            xs = data["psychological_safety"].astype(float)
            slope, intercept = np.polyfit(xs, data[y].astype(float), 1)
            ends = np.array([xs.min(), xs.max()])
            fig.add_trace(
                go.Scatter(
                    x=ends,
                    y=slope * ends + intercept,
                    mode="lines",
                    line={"dash": "dot", "color": MUTED, "width": 1.5},
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=1,
                col=j,
            )
        fig.update_xaxes(tickformat=".0%", title_text="Safety: favourable (%)", row=1, col=j)
        fig.update_yaxes(tickformat=y_format, title_text=panel["y_title"], rangemode="tozero", row=1, col=j)
    for annotation in fig.layout.annotations:
        annotation.font = {"size": 12.5, "color": MUTED}
    fig.update_layout(hovermode="closest", margin={"t": 100})
    return finish(fig, title, caption, None, None, height=420)
