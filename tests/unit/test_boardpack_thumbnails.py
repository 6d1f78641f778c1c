"""The Board pack picker's thumbnails: each chart's slide picture as a Plotly dict the browser
draws, or the sentence saying what is missing. No Chromium: the server draws nothing."""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib import boardpack
from lib.charts import registry
from tests.unit.fixtures import make_db, scope
from tests.unit.test_chart_registry import DEPLOYS, TEAMS


def values(ys) -> list[float]:
    """A trace's y as numbers: `to_dict` writes numeric arrays as base64 ({"dtype", "bdata"})."""
    if isinstance(ys, dict):
        return np.frombuffer(base64.b64decode(ys["bdata"]), dtype=ys["dtype"]).tolist()
    return [float(y) for y in ys]


def test_a_thumbnail_is_the_slide_picture_and_a_chart_without_data_says_what_is_missing(tmp_path):
    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    period = scope("2025-01-01", "2025-03-01")
    ids = ("delivery.recovery_time_trend", "delivery.deployment_frequency_trend")
    thumbs = boardpack.thumbnails(con, ids, period)
    assert list(thumbs) == list(ids)  # the cards' order
    assert thumbs["delivery.recovery_time_trend"].startswith("No incident data")
    spec = thumbs["delivery.deployment_frequency_trend"]
    assert isinstance(spec, dict)  # plain values: cached by data version, sent to the browser as is
    page = registry.figure(con, "delivery.deployment_frequency_trend", period)
    thumb = go.Figure(spec)
    assert [values(t["y"]) for t in spec["data"]] == [values(t.y) for t in page.data]  # the page's numbers
    assert values(spec["data"][0]["y"])[:2] == [1.8064516129032258, 1.25]
    assert thumb.layout.title.text == ""  # the card's switch names the chart
    assert "caption" not in [a.name for a in thumb.layout.annotations]
    assert thumb.layout.height == boardpack.THUMBNAIL_PX[1] == 190
    assert thumb.layout.width is None  # as wide as its card
    assert thumb.layout.font.size == boardpack.THUMBNAIL_FONT_PX == 10
    assert thumb.layout.hovermode is False
    assert page.layout.title.text  # the page's figure is untouched
    assert not [
        a.title.text for a in (thumb.layout.xaxis, thumb.layout.yaxis) if a.title.text
    ]  # would be cut


def test_a_thumbnail_shrinks_the_text_sizes_a_figure_sets_itself_as_the_picture_shrinks():
    fig = go.Figure(go.Scatter(x=[0], y=[0], mode="text", text=["118/wk"], textfont={"size": 48}))
    fig.add_annotation(text="DORA 2023: high tier", font={"size": 12}, name="note")  # 4.1 px: left out
    fig.add_annotation(text="118/wk", font={"size": 21}, name="value")  # 7.2 px
    fig.add_annotation(text="Deploy frequency", name="label")  # the thumbnail's 10 px
    fig.update_xaxes(tickfont={"size": 30})
    spec = boardpack.thumbnail_figure(fig)
    assert spec["data"][0]["textfont"]["size"] == round(48 * 330 / 960, 1) == 16.5
    assert spec["layout"]["xaxis"]["tickfont"]["size"] == round(30 * 330 / 960, 1) == 10.3
    assert [(a["text"], a.get("font", {}).get("size")) for a in spec["layout"]["annotations"]] == [
        ("118/wk", 7.2),
        ("Deploy frequency", None),
    ]
    assert spec["layout"]["font"]["size"] == 10
    assert fig.data[0].textfont.size == 48  # the page's figure is untouched


def test_a_thumbnail_keeps_the_shapes_of_small_multiples_and_heatmaps_without_their_digits():
    from plotly.subplots import make_subplots

    panels = make_subplots(rows=2, cols=2)
    for i in range(4):
        panels.add_trace(go.Scatter(x=[1, 2, 3], y=[i, i + 1, i]), row=i // 2 + 1, col=i % 2 + 1)
    spec = boardpack.thumbnail_figure(panels)
    axes = [k for k in spec["layout"] if k.startswith(("xaxis", "yaxis"))]
    assert len(axes) == 8 and all(spec["layout"][k]["showticklabels"] is False for k in axes)
    heat = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=["a", "b"], y=["c", "d"], text=[["1", "2"], ["3", "4"]],
                                texttemplate="%{text}"))  # fmt: skip
    spec = boardpack.thumbnail_figure(heat)
    (trace,) = spec["data"]
    assert spec["layout"]["xaxis"]["showticklabels"] is False  # months ran together
    assert spec["layout"].get("yaxis", {}).get("showticklabels") is not False  # team names stay
    assert trace["showscale"] is False and trace["texttemplate"] == "" and trace.get("text") is None
    assert values(trace["z"][0]) == [1.0, 2.0]  # the colours stay
    one = boardpack.thumbnail_figure(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    assert one["layout"]["xaxis"].get("showticklabels") is not False  # a single chart keeps its numbers


def test_a_thumbnail_drops_a_heatmaps_text_layer_and_shortens_long_category_names():
    # the skills matrix writes "2.1 of 3.0" and "hidden" as a text layer over its cells; a bar
    # chart's long skill name was cut at the card's edge ("nachine learning ⚠ one holder")
    heat = go.Figure(go.Heatmap(z=[[1, 2]], x=["a", "b"], y=["c"]))
    heat.add_trace(go.Scatter(x=["a", "b"], y=["c", "c"], mode="text", text=["2.1 of 3.0", "hidden"]))
    assert [t["type"] for t in boardpack.thumbnail_figure(heat)["data"]] == ["heatmap"]
    names = ["machine learning ⚠ one holder in all", "react", "go"]
    bars = go.Figure(go.Bar(x=[1, 2, 3], y=names, orientation="h", text=["1", "2", "3"]))
    spec = boardpack.thumbnail_figure(bars)
    axis = spec["layout"]["yaxis"]
    assert list(axis["tickvals"]) == names
    assert list(axis["ticktext"]) == ["machine learning…", "react", "go"]
    assert list(spec["data"][0]["text"]) == ["1", "2", "3"]  # bar labels stay
    many = go.Figure(
        go.Bar(x=list(range(20)), y=[f"a rather long team name {i}" for i in range(20)], orientation="h")
    )
    ticks = boardpack.thumbnail_figure(many)["layout"]["yaxis"]["tickvals"]
    assert (
        len(ticks) == 7 and ticks[1] == "a rather long team name 3"
    )  # every third of 20, as Plotly thins them


def test_a_thumbnail_names_a_category_by_its_first_line_and_labels_at_most_four_months():
    names = ["Checkout v2<br><span style='font-size:10px'>CEO · moves ARR</span>", "Mobile &amp; web"]
    bars = go.Figure(go.Bar(x=[1, 2], y=names, orientation="h"))
    assert list(boardpack.thumbnail_figure(bars)["layout"]["yaxis"]["ticktext"]) == [
        "Checkout v2",
        "Mobile & web",
    ]
    months = go.Figure(go.Bar(x=[f"2026-{m:02d}-01" for m in range(1, 13)], y=list(range(12))))
    months.update_xaxes(dtick="M1", tickformat="%b %Y")  # the page labels every month
    axis = boardpack.thumbnail_figure(months)["layout"]["xaxis"]
    assert "dtick" not in axis and axis["nticks"] == 4


def test_a_thumbnail_holds_room_for_its_y_labels_so_the_browser_draws_it_once():
    # With the slide's 8 px margin Plotly's automargin made room after a first draw and drew
    # every thumbnail again. A number axis gets 40 px; a category axis its widest name at
    # 10 px (Arial's advance widths × 1.08): "checkout" 4 002 / 1000 em → 43.2 + 8 = 51.2 → 52
    numbers = boardpack.thumbnail_figure(go.Figure(go.Scatter(x=[1, 2], y=[1500.0, 1250.0])))
    assert numbers["layout"]["margin"]["l"] == boardpack.picker.THUMBNAIL_NUMBER_PX == 40
    names = go.Figure(go.Bar(x=[3, 5], y=["checkout", "ios"], orientation="h"))
    assert boardpack.thumbnail_figure(names)["layout"]["margin"]["l"] == 52
    panels = make_subplots(rows=1, cols=3)
    for col in (1, 2, 3):
        panels.add_trace(go.Scatter(x=[1, 2], y=[1, 2]), row=1, col=col)
    assert boardpack.thumbnail_figure(panels)["layout"]["margin"]["l"] == 8  # no labels to hold
