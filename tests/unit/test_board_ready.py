"""Board-ready text (issue 18, items 10–14): chart text measured against its card, camera file
names, plain words on tiles and captions, no-change deltas, every row behind a drill-down, and
link values the data no longer has. Widths are Arial's advance widths (lib/charts/fit.py)."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from lib import db
from lib.charts import caption_text, chart_config, finish, line_chart, registry
from lib.charts.business import month_axis
from lib.charts.fit import (
    CAPTION_SIZE,
    LINE_HEIGHT,
    PAD_PX,
    TITLE_SIZE,
    card_px,
    file_stem,
    fit,
    text_px,
    wrap_caption,
)
from lib.glossary import explain
from lib.metrics import DEFINITIONS
from lib.scope import default_scope
from tests.unit.fixtures import scope

# Words a reader should never meet: a table or column name, a catalog key, a formula sign,
# Python's or pandas' empty values.
CODE_WORDS = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b|\b(?:delivery|flow|engagement|retention|skills|business)\.[a-z_]{2,}\b"
    r"|÷|\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|\bnull\b"
)
LONG_TITLE = (
    "Delivery & quality: Deployment frequency up 32% since Nov 2025 (3-period averages 72.1/wk → 95.1/wk)"
)
CAPTION = (
    "Source: deployments · Period: 01 Nov 2025 – 31 Oct 2026 · Team: payments, checkout · Bands: DORA 2023"
)


def _figure(title: str = LONG_TITLE, caption: str = CAPTION):
    frame = pd.DataFrame({"month": ["2026-01-01", "2026-02-01"], "value": [1.0, 2.0]})
    return line_chart(frame, "month", {"value": "Deploys"}, title, caption, "Month", "Deployments per week")


def _lines(text: str) -> list[str]:
    return re.split(r"<br\s*/?>", text)


def _caption(fig):
    return next(a for a in fig.layout.annotations if a.name == "caption")


def test_a_long_title_wraps_to_fit_a_half_width_card_at_1280_px():
    # At 1280 × 800 a half-width card draws its figure 370 px wide (measured in Chromium).
    assert card_px(0.5) == 368 and card_px(1) == 786
    fig = fit(_figure(), card_px(0.5))
    lines = _lines(fig.layout.title.text)
    assert len(lines) == 3
    assert all(text_px(line, TITLE_SIZE) <= card_px(0.5) - 2 * PAD_PX for line in lines)
    assert " ".join(lines) == LONG_TITLE  # the words, unchanged
    one_line = _figure("Short title")
    extra = round(2 * TITLE_SIZE * LINE_HEIGHT)
    assert fig.layout.margin.t == one_line.layout.margin.t + extra
    assert fig.layout.height == one_line.layout.height + extra
    assert fig.layout.title.pad.l == PAD_PX and fig.layout.title.xref == "container"  # off the edge


def test_a_full_width_card_takes_the_title_on_fewer_lines():
    fig = fit(_figure(), card_px(1))
    assert len(_lines(fig.layout.title.text)) == 2
    assert fit(_figure(), card_px(1)).to_json() == fit(fig, card_px(1)).to_json()  # idempotent


def test_a_caption_breaks_between_its_parts_and_the_foot_holds_every_line():
    fig = fit(_figure(), card_px(0.5))
    caption = _caption(fig)
    lines = _lines(caption.text)
    assert lines == [
        "Source: deployments · Period: 01 Nov 2025 – 31 Oct 2026 ·",
        "Team: payments, checkout · Bands: DORA 2023",
    ]
    assert all(text_px(line, CAPTION_SIZE) <= card_px(0.5) - 2 * PAD_PX for line in lines)
    assert registry.caption(fig) == CAPTION  # reads the same unwrapped
    needed = -caption.yshift + len(lines) * CAPTION_SIZE * LINE_HEIGHT
    assert fig.layout.margin.b >= needed
    assert caption.xshift == PAD_PX - 64  # the template's left margin: aligned with the title, off the edge


def test_long_category_names_get_their_left_margin_up_front_and_the_caption_follows():
    # Plotly's automargin would widen the margin after a first draw and draw again; the margin
    # is set from the names' measured width instead: "Psychological safety" at 13 px is
    # 9 059 / 1000 em × 13 × 1.08 = 127.19 px (Arial's advance widths, `SAFETY` for Inter),
    # plus 10 of tick gap: 137.19, rounded up, plus 3 px to spare
    names = ["Psychological safety", "Trust"]
    assert text_px(names[0], 13) == pytest.approx(127.19, abs=0.01)
    fig = finish(go.Figure(go.Bar(x=[0.5, 0.7], y=names, orientation="h")), "Title", CAPTION)
    assert fig.layout.margin.l == 141
    assert _caption(fig).xshift == PAD_PX - 141  # still aligned with the title
    assert fit(fig, card_px(1)).to_json() == fig.to_json()  # idempotent
    short = finish(go.Figure(go.Bar(x=[1], y=["UX"], orientation="h")), "Title", CAPTION)
    assert short.layout.margin.l is None  # the template's 64 px hold "UX"


def test_a_month_axis_gets_as_many_labels_as_its_card_holds_side_by_side():
    # twelve "Dec 2025" … "Nov 2026" labels in a 684 px plot were turned on end by Plotly and
    # pushed "Month" onto the caption (a review at 1280 px). "Sep 2026" at 13 px is about 60 px
    months = pd.date_range("2025-12-01", periods=12, freq="MS")
    fig = month_axis(
        finish(go.Figure(go.Bar(x=months, y=list(range(12)))), "T", CAPTION, "Month", "y"), months
    )
    assert fig.layout.xaxis.dtick == "M1"  # the builder's, before a card's width is known
    assert fit(go.Figure(fig), 1400).layout.xaxis.dtick == "M1"  # 12 × 66 px fit in 1296
    assert fit(go.Figure(fig), card_px(1)).layout.xaxis.dtick == "M2"  # 684 px: 6 labels
    assert fit(go.Figure(fig), card_px(0.5)).layout.xaxis.dtick == "M4"  # 266 px: 3 labels


def test_a_caption_part_wider_than_the_card_breaks_between_words():
    lines = wrap_caption("Source: survey answers, Oct 2026 survey · Period: 03 Aug 2026 – 31 Oct 2026", 150)
    assert all(text_px(line, CAPTION_SIZE) <= 150 for line in lines)
    assert "03 Aug 2026" in " ".join(lines)  # a date is never split


def test_the_camera_png_is_named_after_the_chart_and_its_period():
    config = chart_config("Deployment frequency trend", _figure())
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "scale": 3,
        "filename": "deployment-frequency-trend-2025-11-01-to-2026-10-31",
    }
    assert file_stem("Headline metrics (the Overview's tiles)") == "headline-metrics-the-overviews-tiles"
    assert file_stem("Team × dimension heatmap", _figure(caption="Source: x")) == "team-dimension-heatmap"


@pytest.mark.parametrize("database", ["demo_db", "empty_db"])
def test_every_registered_chart_fits_its_card_and_reads_in_plain_words(database, request):
    """On the demo, and with nothing loaded (every chart a no-data notice saying what is missing)."""
    con = db.connect(request.getfixturevalue(database))
    period = default_scope(con)
    width = card_px(0.5)
    for chart in registry.charts():
        fig = fit(registry.figure(con, chart.id, period), width)
        title = fig.layout.title
        for line in _lines(title.text or ""):
            assert text_px(line, TITLE_SIZE) <= width - 2 * PAD_PX or " " not in line, (chart.id, line)
        words = [registry.title(fig), registry.subtitle(fig), registry.caption(fig)]
        words += [registry.plain(a.text) for a in fig.layout.annotations]
        words += [axis.title.text or "" for axis in (fig.layout.xaxis, fig.layout.yaxis) if axis.title]
        words += [trace.name or "" for trace in fig.data]
        words += [re.sub(r"%\{[^}]*\}", "", trace.hovertemplate or "") for trace in fig.data]
        for text in words:
            assert not CODE_WORDS.search(text.replace("codecapsule.com", "")), (chart.id, text)
        for note in fig.layout.annotations:
            if note.name == "message":  # a no-data notice fits the plot area
                assert all(text_px(line, 13) <= width - 88 for line in _lines(note.text)), (
                    chart.id,
                    note.text,
                )
        caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
        if caption is not None and caption.y == 0:
            lines = len(_lines(caption.text))
            bottom = fig.layout.margin.b or 96  # the template's
            assert bottom >= -caption.yshift + lines * CAPTION_SIZE * LINE_HEIGHT, chart.id


def test_captions_name_their_sources_in_words():
    assert caption_text("survey_responses, ai_usage, employees", "p") == (
        "Source: survey answers, AI tool usage, employees · Period: p"
    )
    assert caption_text("work_items, work_item_transitions", "p").startswith(
        "Source: work items, work item status changes"
    )


def test_every_catalog_key_has_a_plain_words_explanation():
    for key in DEFINITIONS:
        text = explain(key.replace("DIMENSION", "psychological_safety"))
        assert text.endswith(".") and not CODE_WORDS.search(text), (key, text)
    assert "psychological safety questions" in explain("engagement.favorability.psychological_safety")
    with pytest.raises(KeyError):
        explain("delivery.nope")


def test_a_change_that_rounds_to_zero_is_no_change():
    from lib.ui.layout import unchanged

    for delta in ("+0.0 pts", "-0.0 pts", "−0.0 pts", "+0%", "0", "+$0"):
        assert unchanged(delta), delta
    for delta in ("+0.1 pts", "-2%", "+10%", "+0.04 pts", "+05", None, ""):
        assert not unchanged(delta), delta


def test_surveys_are_named_by_their_month_or_day():
    from lib.views.engagement_detail import survey_names

    waves = [
        SimpleNamespace(survey_id="engagement-2026-07", last_date=dt.date(2026, 7, 9)),
        SimpleNamespace(survey_id="pulse-a", last_date=dt.date(2026, 10, 6)),
        SimpleNamespace(survey_id="pulse-b", last_date=dt.date(2026, 10, 27)),
    ]
    assert survey_names(waves) == {
        "engagement-2026-07": "Jul 2026 survey",
        "pulse-a": "06 Oct 2026 survey",
        "pulse-b": "27 Oct 2026 survey",
    }


def test_the_drill_down_csv_holds_every_row_behind_the_number(demo_db):
    from lib.ui.delivery_drill import drill_file_name
    from lib.views import drilldown

    con = db.connect(demo_db)
    period = default_scope(con)
    shown, total = drilldown.rows_behind(con, period, "Deployments")
    every, same_total = drilldown.rows_behind(con, period, "Deployments", None)
    assert len(shown) == drilldown.DEFAULT_LIMIT < total == same_total == len(every)
    assert every["deploy_id"].is_unique
    assert drill_file_name("Change failure rate", scope("2026-09-01", "2026-10-01", ("payments",))) == (
        "change-failure-rate-2026-09-01-to-2026-09-30-payments.csv"
    )
    assert drill_file_name("Deployments", scope("2026-09-01", "2026-10-01")).endswith("-all-teams.csv")
    assert drill_file_name("Work in progress (flow load)", scope("2026-09-07", "2026-09-14", ("a", "b"))) == (
        "work-in-progress-flow-load-2026-09-07-to-2026-09-13-2-teams.csv"
    )


def test_the_heatmap_csv_note_says_what_the_file_holds(demo_db):
    from lib.views import engagement_detail as detail

    con = db.connect(demo_db)
    period = default_scope(con)
    wave = detail.current_wave(con, period)
    cells = detail.heatmap(con, period, wave["survey_id"])
    table = detail.heatmap_table(con, period, wave["survey_id"]).set_index("team")
    hidden = cells[cells["value"].isna()]
    assert len(hidden)  # the demo has teams under the anonymity threshold
    for cell in hidden.itertuples():
        assert table.loc[cell.team, cell.label] == detail.HIDDEN
    assert f'reads "{detail.HIDDEN}"' in detail.HEATMAP_CSV_NOTE
    shown = cells.dropna(subset=["value"])
    assert all(0 <= v <= 1 for v in shown[~shown["is_enps"].astype(bool)]["value"])  # "from 0 to 1"


def test_link_values_the_data_no_longer_has_are_named():
    from lib.ui.filters import unknown_link_values

    options = {
        "orgs": ["Commerce", "Platform"],
        "teams": ["payments", "checkout", "infra"],
        "teams_by_org": {"Commerce": ["payments", "checkout"], "Platform": ["infra"]},
        "locations": ["Berlin"],
        "sourcing": ["onshore"],
        "cohorts": ["(organic)"],
    }
    linked = {
        "team": ["payments", "payments-old"],
        "grain": ["fortnight"],
        "from": ["2026-13-45"],
        "to": ["2026-10-31"],
        "location": [""],
    }
    assert unknown_link_values(linked, options, []) == [
        "Team: payments-old",
        "Period grain: fortnight",
        "From: 2026-13-45",
    ]
    # A team outside the chosen org is not offered either.
    assert unknown_link_values({"team": ["infra"]}, options, ["Commerce"]) == ["Team: infra"]
    assert unknown_link_values({"team": ["infra"], "grain": ["week"]}, options, []) == []


def test_a_linked_date_the_picker_did_not_take_is_named():
    """A valid date outside the date pickers' range was dropped from a shared link silently."""
    import datetime as dt

    from lib.ui.filters import dropped_link_dates

    linked = {"from": ["1999-01-01"], "to": ["2025-03-31"]}
    shown = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert dropped_link_dates(linked, *shown) == ["From: 1999-01-01 (outside the dates the picker offers)"]
    assert dropped_link_dates({"from": ["2025-01-01"], "to": ["nope"]}, *shown) == []


def test_a_time_axis_with_one_date_reads_in_months_not_milliseconds():
    """One survey wave on a trend: Plotly zoomed to the millisecond around it and labelled the
    axis '23:59:59.999 Sep 18, 2025'."""
    import plotly.graph_objects as go

    from lib.charts import finish

    one = finish(go.Figure(go.Scatter(x=[pd.Timestamp("2025-09-18")], y=[0.7])), "t", "c")
    assert one.layout.xaxis.tickformat == "%b %Y"
    low, high = (pd.Timestamp(v) for v in one.layout.xaxis.range)
    assert (low, high) == (pd.Timestamp("2025-08-04"), pd.Timestamp("2025-11-02"))
    many = finish(go.Figure(go.Scatter(x=["2025-08-01", "2025-09-01"], y=[1, 2])), "t", "c")
    assert many.layout.xaxis.range is None and many.layout.xaxis.tickformat is None
    teams = finish(go.Figure(go.Bar(x=["payments"], y=[3])), "t", "c")
    assert teams.layout.xaxis.range is None
    numbers = finish(go.Figure(go.Scatter(x=[3.0], y=[1])), "t", "c")
    assert numbers.layout.xaxis.range is None


def test_first_year_chart_title_names_the_hire_quarters_it_pools():
    """Retention showed a tile "First-year attrition 33%" over a chart titled "25% of new hires
    left within their first year": the chart pools every hire quarter drawn, the tile one cohort.
    The title says which hires it counts, so the two never read as one figure."""
    from lib.charts.retention import first_year

    frame = pd.DataFrame(
        {"group": "all", "cohort": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01"]),
         "hired": [10, 20, 10], "left_in_first_year": [1, 6, 3],
         "first_year_attrition_rate": [0.1, 0.3, 0.3]}
    )  # fmt: skip
    fig = first_year(frame, "Source: employees")
    assert fig.layout.title.text.replace("<br>", " ").startswith(
        "25% of the 40 people hired in Q1 2024–Q3 2024 left within their first year"
    )
