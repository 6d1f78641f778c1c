"""Chart text a VP reads aloud (issue 18, items 5, 10–12, found again by the new-user review):
a headcount title that matches its line, money ticks that never read "$0.00", a quarterly
axis labelled in quarters, a deck caption of any length above the footer, counts in words."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.boardpack.compose import FOOTER, chart_layout
from lib.charts import business, business_fte
from lib.charts.retention import headcount_title
from lib.formatting import count_of
from lib.overview import PILLAR_TRENDS


def _headcount(ends, hires, leavers) -> pd.DataFrame:
    starts = pd.to_datetime([f"2026-{m:02d}-01" for m in range(1, len(ends) + 1)])
    return pd.DataFrame({
        "period": starts, "bucket_start": starts, "bucket_end": starts + pd.offsets.MonthBegin(1),
        "headcount_end": ends, "hires": hires, "separations": leavers,
    })  # fmt: skip


def test_the_headcount_title_states_the_lines_own_ends():
    # the review's case: the line runs 7 → 5; the title used to say "down 17%" (6 at the start
    # of the first month, a point the line does not draw)
    frame = _headcount([7, 6, 5], [1, 0, 1], [0, 1, 2])
    claim, detail = headcount_title(frame)
    assert claim == "Headcount down 29% to 5 since Jan 2026"  # (5 − 7) ÷ 7
    # 7 + 1 − 3 = 5: the numbers add up
    assert detail == "7 at the end of Jan 2026 → 5 at the end of Mar 2026 · 1 hire and 3 leavers in between"


def test_one_month_of_headcount_claims_no_change():
    claim, detail = headcount_title(_headcount([7], [1], [0]))
    assert claim == "Headcount 7 at the end of Jan 2026"
    assert detail == "1 hire and 0 leavers"


def test_counts_in_words():
    assert count_of(1, "hire") == "1 hire"
    assert count_of(0, "leaver") == "0 leavers"
    assert count_of(1204, "person", "people") == "1,204 people"
    assert count_of(None, "promotion") == "0 promotions"


def test_the_revenue_per_engineer_axis_trims_zeros():
    # d3's ",.3s" writes 0 as "0.00": the axis read "$0.00" under "$500k"
    spec = next(s for s in PILLAR_TRENDS if s.column == "revenue_per_engineer_annualized")
    assert "~" in spec.y_format
    assert business.tick_prefix("USD")["tickformat"] == "~s"


def test_a_quarterly_axis_is_labelled_in_quarters():
    import plotly.graph_objects as go

    periods = pd.to_datetime(["2025-10-01", "2026-01-01", "2026-04-01"])
    fig = business.month_axis(go.Figure(), periods, business.QUARTER)
    assert list(fig.layout.xaxis.ticktext) == ["Q4 2025", "Q1 2026", "Q2 2026"]
    monthly = business.month_axis(go.Figure(), periods, "Month")
    assert monthly.layout.xaxis.tickformat == "%b %Y" and monthly.layout.xaxis.ticktext is None


@pytest.mark.parametrize("words", [1, 40, 80])
def test_a_deck_caption_of_any_length_ends_above_the_footer(words):
    from lib.boardpack.content import ChartContent

    content = ChartContent(
        chart=None, figure=None, title="R&D was 23% of revenue", subtitle="", missing=None, definitions=(),
        caption=" ".join(["Source: business_metrics · business figures are the whole organisation's"] * words),
    )  # fmt: skip
    placed = chart_layout(content)
    lines = len(placed.caption.paragraphs[0].lines)
    assert placed.caption.box.top + placed.caption.box.height <= FOOTER.top
    assert placed.picture.top + placed.picture.height < placed.caption.box.top
    if words == 1:
        assert lines == 1
    else:
        assert lines >= 3  # the review's team-filtered slide had three lines


def test_delivery_gaps_name_tables_in_words():
    import re

    from lib.views.delivery_detail import missing_data

    nothing = {"deployments_total": 0, "work_items_total": 0, "pull_requests_total": 0, "incidents_total": 0}
    items_without_history = {**nothing, "work_items_total": 5, "items_with_history_total": 0}
    for coverage in (nothing, items_without_history):
        for gap in missing_data(coverage):
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", gap.message), gap.message
    (efficiency,) = [g for g in missing_data(items_without_history) if g.section == "efficiency"]
    assert '"Work item status changes" template' in efficiency.message


def test_the_fte_title_never_reads_nan():
    # the review's Dec 2025: 7 FTE on teams that completed nothing, no feature or defect row
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2025-11-01", "2025-11-01", "2025-12-01"]),
        "category": ["feature", "defect", "(no completed work)"],
        "fte": [4.0, 2.0, 7.0],
        "items": [30, 10, 0],
    })  # fmt: skip
    fig = business_fte.fte_over_time(frame, "Source: work items", "Month")
    from lib.charts import registry

    assert registry.title(fig) == "7 FTE in Dec 2025, none on completed work to split them by"
    shares = frame.iloc[:2].assign(period=pd.to_datetime(["2025-12-01", "2025-12-01"]))
    assert registry.title(business_fte.fte_over_time(shares, "Source", "Month")) == (
        "6 FTE in Dec 2025: 4 on features, 2 on defects"
    )


def test_the_fte_split_of_a_month_on_too_few_items_is_not_the_title():
    # November split by 40 completed items; December by 3 (2 features, 1 defect): "4 on features"
    # would be three items' story, so the title gives the window's average month
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2025-11-01", "2025-11-01", "2025-12-01", "2025-12-01"]),
        "category": ["feature", "defect", "feature", "defect"],
        "fte": [3.0, 3.0, 4.0, 2.0],
        "items": [20, 20, 2, 1],
    })  # fmt: skip
    from lib.charts import registry

    assert registry.title(business_fte.fte_over_time(frame, "Source", "Month")) == (
        "6 FTE a month on average over Nov 2025 – Dec 2025: 4 on features, 2 on defects"
    )  # (3 + 4) / 2 = 3.5 → 4; (3 + 2) / 2 = 2.5 → 2 (round half to even)
    few = frame.assign(items=[2, 1, 2, 1])
    assert registry.title(business_fte.fte_over_time(few, "Source", "Month")) == (
        "6 FTE in Dec 2025; 6 completed items in the window, too few to split them by (20 needed)"
    )


def test_a_monthly_axis_of_a_few_months_ticks_months():
    # the review's time-to-restore slide: "Month (UTC)" over "Jun 29, Jul 13 … Nov 2"
    from lib.charts import line_chart

    frame = pd.DataFrame(
        {"period": pd.to_datetime(["2026-07-01", "2026-09-01", "2026-10-01"]), "v": [1, 2, 3]}
    )
    fig = line_chart(
        frame, "period", {"v": "Hours"}, title="t", caption="c", x_title="Month (UTC)", y_title="h"
    )
    assert fig.layout.xaxis.tickformat == "%b %Y" and fig.layout.xaxis.dtick == "M1"
    weekly = line_chart(
        frame, "period", {"v": "Hours"}, title="t", caption="c", x_title="Week (UTC)", y_title="h"
    )
    assert weekly.layout.xaxis.dtick is None


def test_download_names_carry_period_and_teams():
    from lib.scope import Scope, file_stem

    period = Scope(dt.date(2025, 9, 1), dt.date(2025, 11, 26))
    assert file_stem("board pack", period) == "board-pack-2025-09-01-to-2025-11-25-all-teams"
    one = Scope(period.start, period.end, teams=("Payments",))
    assert file_stem("board pack", one) == "board-pack-2025-09-01-to-2025-11-25-payments"
    two = Scope(period.start, period.end, teams=("a", "b"))
    assert file_stem("Change failure rate", two) == "change-failure-rate-2025-09-01-to-2025-11-25-2-teams"


def test_tile_bands_on_the_deck_never_run_out_of_their_box(demo_db):
    """The review's slide 2: three-line bands ('No data: no incident started in the period was
    resolved') ran over the box's bottom edge on a short deck picture. Each band now sits on its
    box's bottom edge and grows upwards."""
    import duckdb

    from lib.charts.overview import headline_tiles
    from lib.overview_board import board
    from lib.scope import default_scope

    con = duckdb.connect(str(demo_db), read_only=True)
    scope = default_scope(con)
    fig = headline_tiles(board(con, scope), scope, "All teams")
    boxes = [(s.y0, s.y1) for s in fig.layout.shapes if s.type == "rect"]
    bands = [a for a in fig.layout.annotations if a.font.size == 10]
    assert len(bands) == 12
    for band in bands:
        bottom = next(y0 for y0, y1 in boxes if y0 <= band.y <= y1)
        assert band.yanchor == "bottom" and band.y - bottom < 0.02, band.text


def test_an_effort_mix_of_a_few_items_makes_no_share_title():
    # the review's Business page: "Features took 58% of effort over Jul 2025 – Nov 2025 (7 items)"
    from lib.charts import registry

    months = pd.to_datetime(["2025-07-01", "2025-07-01", "2025-09-01"])
    frame = pd.DataFrame({
        "period": months, "category": ["feature", "defect", "feature"], "effort": [3.0, 2.0, 2.0],
        "items": [3, 2, 2], "share": [0.6, 0.4, 1.0],
    })  # fmt: skip
    fig = business.mix_over_time(frame, None, "Source: work items", "Month")
    assert (
        registry.title(fig)
        == "Effort mix: 7 completed items over Jul 2025 – Sep 2025, too few for a share (20 needed)"
    )
    features = next(t for t in fig.data if t.name == "Features")
    assert list(features.marker.symbol) == ["circle-open", "circle-open"]  # 5 and 2 items a month
    many = frame.assign(items=[30, 20, 25])
    assert registry.title(business.mix_over_time(many, None, "Source", "Month")).startswith(
        "Features took 100% of effort in Sep 2025"
    )


def test_a_headcount_in_a_month_not_yet_ended_is_dated_by_its_day():
    # the second review: "→ 132 at the end of Dec 2026" on 5 Dec 2026
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2026-11-01", "2026-12-01"]),
        "bucket_start": pd.to_datetime(["2026-11-01", "2026-12-01"]),
        "bucket_end": pd.to_datetime(["2026-12-01", "2026-12-06"]),
        "headcount_end": [130.0, 132.0], "hires": [1, 2], "separations": [0, 0],
    })  # fmt: skip
    assert (
        headcount_title(frame)[1]
        == "130 at the end of Nov 2026 → 132 on 5 Dec 2026 · 2 hires and 0 leavers in between"
    )


def test_the_attrition_title_of_a_month_not_yet_ended_names_its_day():
    from lib.charts.retention import attrition_title

    frame = pd.DataFrame({
        "period": pd.to_datetime(["2026-12-01"]), "bucket_start": pd.to_datetime(["2026-12-01"]),
        "bucket_end": pd.to_datetime(["2026-12-04"]), "attrition_rate_ttm": [0.143], "separations_ttm": [1],
        "headcount_year_ago": [7], "headcount_end": [7], "suppressed_reason": [None],
    })  # fmt: skip
    assert attrition_title(frame)[0].startswith("14% of people left in the 12 months to 3 Dec 2026, above")
