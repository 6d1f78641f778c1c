"""What every section of the Delivery page shares: the period, the trend window, the data the
page has and lacks, and the points clicked on the row of charts being drawn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.scope import Scope
from lib.ui import data, layout, registered
from lib.ui.delivery_drill import buckets, rows_table
from lib.views.delivery_detail import data_notes, missing_data, trend_window

CLICK_HINT = "Click a point on a trend to see the rows behind it."


@dataclass(frozen=True)
class Pick:
    """A point clicked on a chart: which chart, which drill-down, which period and team."""

    key: str
    drill: str
    x: str
    team: str | None = None


def _day(x: str) -> dt.date | None:
    try:
        return pd.Timestamp(x).date()
    except (ValueError, TypeError):
        return None


class Context:
    """The period, the trend window, the data gaps and notes, and the points clicked on the row
    of charts being drawn."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.window = trend_window(scope)
        self.coverage = data.view("lib.views.delivery_detail.coverage", scope)
        self.gaps = missing_data(self.coverage)
        self.notes = data_notes(self.coverage)
        self.picks: list[Pick] = []

    def gap(self, section: str) -> str | None:
        """The first missing-data sentence of a section ("dora", "incidents", …), if any."""
        return next((g.message for g in self.gaps if g.section == section), None)

    def chart(
        self,
        chart_id: str,
        key: str,
        drill: str | None = None,
        note: str | None = None,
        team: bool = False,
        span: float = 0.5,
    ) -> None:
        """The registered chart `chart_id` (the board pack's figure), in a card. With a `drill` (of
        lib.views.drilldown) its points open the rows behind them; `team` reads the team of a
        clicked small multiple; `span` is the share of the page's width the card takes."""
        points = registered.chart(
            chart_id, self.scope, key=key, note=note, clickable=drill is not None, span=span
        )
        if points and drill:
            picked_team = points[0].get("legendgroup") if team else None
            self.picks.append(Pick(key, drill, str(points[0].get("x", "")), picked_team))

    def show_picks(self) -> None:
        """Under a row of charts: the rows behind each point clicked in it."""
        found = buckets(self.scope, self.window)[1:] if self.picks else []
        for pick in self.picks:
            bucket = next((b for b in found if b[1] == _day(pick.x)), None)
            if bucket is None:
                continue
            label, start, end = bucket
            teams = (pick.team,) if pick.team else self.scope.teams
            where = f"{label}, {pick.team}" if pick.team else label
            st.markdown(f"**Rows behind the point clicked: {pick.drill}, {where}**")
            scope = Scope(start, end, self.scope.grain, teams)
            rows_table(pick.drill, scope, where, key=f"pick-{pick.key}")
            st.caption("Double-click the chart to clear the selection.")
        self.picks = []


def opens(title: str, rows: int, absent: str) -> bool:
    """A section's heading, then the click hint; or, when its tables hold no `rows` at all, a
    pointer to the note above the tabs (`absent`: "No incident data")."""
    st.subheader(title)
    if not rows:
        layout.nothing_to_draw(f"{absent}: see the note above the tabs.")
        return False
    st.caption(CLICK_HINT)
    return True
