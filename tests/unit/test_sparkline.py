"""The Overview tiles' sparklines (lib/ui/sparkline.py): the line's points, its gaps, its colour
beside the change, and the markup st.html keeps. Values computed by hand on a 100 × 40 box
with 3 units of padding above and below."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from lib.ui import sparkline


def test_values_scale_between_their_own_minimum_and_maximum():
    # 1 at the bottom (40 - 3), 3 at the top (3), 2 half way (20)
    assert sparkline.path([1, 2, 3]) == "M0.00,37.00 L50.00,20.00 L100.00,3.00"


def test_a_period_without_a_comparable_value_is_a_gap_and_a_lone_value_a_dot():
    # low 1, high 4: 3 sits at 37 - 2/3 × 34 = 14.33; x steps of 100 / 3
    assert sparkline.path([1, None, 3, 4]) == "M0.00,37.00 h0 M66.67,14.33 L100.00,3.00"
    assert sparkline.path([None, 2, None, 5]) == "M33.33,37.00 h0 M100.00,3.00 h0"


def test_a_flat_series_is_drawn_across_the_middle():
    assert sparkline.path([5, 5, 5]) == "M0.00,20.00 L50.00,20.00 L100.00,20.00"


@pytest.mark.parametrize("values", [[], [7.0], [None, None]])
def test_nothing_to_draw_gives_no_markup(values):
    assert sparkline.path(values) == ""
    assert sparkline.svg(values, sparkline.GREY, "x") == ""


@pytest.mark.parametrize(
    ("delta_color", "change", "expected"),
    [
        ("normal", "+4%", sparkline.GREEN),  # more deployments: better
        ("normal", "-2.3 pts", sparkline.RED),
        ("inverse", "-4%", sparkline.GREEN),  # a shorter lead time: better
        ("inverse", "−0.2 pts", sparkline.GREEN),  # the typographic minus reads as a fall too
        ("inverse", "+4%", sparkline.RED),
        ("off", "+4%", sparkline.GREY),  # not news: no colour
        ("normal", None, sparkline.GREY),
    ],
)
def test_the_line_takes_the_colour_streamlit_gives_the_change_beside_it(delta_color, change, expected):
    assert sparkline.colour(delta_color, change) == expected


def test_the_markup_is_an_image_st_html_keeps_with_the_values_as_its_text():
    label = 'Deploy frequency <in> "this" period: 64.5/wk, 118/wk'
    markup = sparkline.svg([64.5, 118], sparkline.GREEN, label)
    assert markup.startswith('<img class="pillars-spark" src="data:image/svg+xml,')
    assert "<svg" not in markup  # st.html removes an inline <svg> (its HTML-only sanitiser)
    escaped = "Deploy frequency &lt;in&gt; &quot;this&quot; period: 64.5/wk, 118/wk"
    assert f'alt="{escaped}"' in markup and f'title="{escaped}"' in markup
    drawing = unquote(markup.split("data:image/svg+xml,", 1)[1].split('"', 1)[0])
    assert 'd="M0.00,37.00 L100.00,3.00"' in drawing and 'stroke="#079464"' in drawing
