"""The engagement heatmap's cells (lib/charts/engagement.py): figures, hidden cells, eNPS scaling,
and no cell labels past LABELLED_ROWS teams (what made the large organisation's page slow)."""

from __future__ import annotations

import math

import pandas as pd

from lib.charts import engagement

ORDER = ["autonomy", "enps"]


def cells(teams: list[str]) -> pd.DataFrame:
    rows = []
    for n, team in enumerate(teams):
        rows.append((team, "autonomy", "Autonomy", 0.5 + n / 1000, False, 12, None))
        rows.append(
            (team, "enps", "eNPS", None if n == 0 else 20.0, True, 12 if n else 3, "fewer than 5 answered")
        )
    return pd.DataFrame(
        rows, columns=["team", "dimension", "label", "value", "is_enps", "respondents", "suppressed_reason"]
    )


def test_each_cell_shows_its_figure_and_a_hidden_cell_its_reason():
    fig = engagement.heatmap(cells(["alpha", "beta"]), "t", "c", ORDER)
    grey, shown = fig.data
    assert list(shown.y) == ["beta", "alpha"]  # sorted, last first: alpha at the top
    assert shown.texttemplate == "%{text}"
    assert [list(r) for r in shown.text] == [["50%", "+20"], ["50%", "hidden"]]
    assert shown.z[0][1] == (20 + 100) / 200 and math.isnan(shown.z[1][1])
    assert grey.z[1][1] == 0 and math.isnan(grey.z[0][1])
    assert shown.customdata[1][1] == "alpha · eNPS: not shown, fewer than 5 answered"
    assert shown.customdata[0][0] == "beta · Autonomy: 50% favourable · n=12"


def test_a_large_organisation_has_colours_and_tooltips_but_no_cell_labels():
    many = [f"team-{n:03d}" for n in range(engagement.LABELLED_ROWS + 1)]
    fig = engagement.heatmap(cells(many), "t", "c", ORDER)
    shown = fig.data[1]
    assert shown.texttemplate is None
    assert shown.customdata[-1][0].startswith("team-000 · Autonomy: 50% favourable")
    few = engagement.heatmap(cells(many[: engagement.LABELLED_ROWS]), "t", "c", ORDER)
    assert few.data[1].texttemplate == "%{text}"


def test_cells_are_parted_by_one_white_path_not_by_gaps():
    """Gaps between cells make Plotly paint the whole plot area into a canvas and encode it as
    a PNG on every draw; without them it paints one pixel a cell. The borders are one path:
    between the three rows at 0.5 and 1.5, between the two columns at 0.5."""
    fig = engagement.heatmap(cells(["alpha", "beta", "gamma"]), "t", "c", ORDER)
    assert all(trace.xgap is None and trace.ygap is None for trace in fig.data)
    (border,) = [s for s in fig.layout.shapes if s.type == "path"]
    assert border.path == "M-0.5,0.5H1.5M-0.5,1.5H1.5M0.5,-0.5V2.5"
    assert (border.xref, border.yref, border.layer, border.line.color) == ("x", "y", "above", "white")


def test_the_title_stays_at_the_top_of_a_tall_heatmap():
    """At 96% of the height (the template's), the large demo's 174-team title sat 250 px down,
    over the dimension names: it is pinned to the top, 14 px down, whatever the height."""
    many = [f"team-{n:03d}" for n in range(174)]
    for fig in (
        engagement.heatmap(cells(many), "t", "c", ORDER),
        engagement.heatmap(cells(many[:3]), "t", "c", ORDER),
    ):
        title = fig.layout.title
        assert (title.y, title.yanchor, title.yref, title.pad.t) == (1, "top", "container", 14)
        assert fig.layout.margin.t >= 110  # the names above the cells keep their room
