"""The Overview's sections: the investment headline, one tile group per pillar, takeaways, trends.

Everything above the trends comes from one cached call, `lib.overview_board.board`, the
object the board pack's `overview.headlines` slide draws too. Laid out to read as a board
slide on a 1440 × 900 screen: what the spend produced and what changed, then two rows of
six tiles (delivery and engagement; retention, skills and business), then why the other
changes are not news.
"""

from __future__ import annotations

import streamlit as st

from lib.charts.registry.overview import TRENDS
from lib.definitions import definition_for
from lib.ui import data, filters, layout, registered, sparkline

# Tile groups per row: six tiles a row fit 1100 px of content at 1440 px.
ROWS = (("delivery", "engagement"), ("retention", "skills", "business"))


def header(scope):
    """The page title and the board object for `scope`."""
    board = data.view("lib.overview_board.board", scope)
    layout.page_header(
        "Engineering at a glance",
        f"{board.period} · {filters.filter_text()} · arrows: change {board.phrase}",
    )
    return board


def summary(board) -> None:
    """The slide's message: what the spend produced, then what changed (the takeaways)."""
    with st.container(border=True):
        st.markdown(board.headline)
        if board.takeaways:
            st.markdown(f"**What changed, {board.phrase}**")
            st.markdown("\n".join(f"- {item.text}" for item in board.takeaways))
        else:
            st.markdown(
                f"**What changed:** {board.title[:1].lower()}{board.title[1:]}."
            )  # why nothing is news


def tile_groups(board) -> None:
    groups = {g.pillar: g for g in board.groups}
    for row in ROWS:
        shown = [groups[p] for p in row if p in groups]
        columns = st.columns([max(len(g.tiles), 2) for g in shown])
        for column, group in zip(columns, shown, strict=True):
            with column:
                _group(group)


def _group(group) -> None:
    with st.container(border=True, height="stretch"):
        title = f"**{group.name}**"
        if group.status:
            title += f" · {group.status}"
        st.markdown(title)
        if group.missing:
            st.info(group.missing, icon=":material/database_off:")
            st.page_link("pages/data.py", label="Load data on the Data page", icon=":material/upload_file:")
            return
        for column, tile in zip(st.columns(len(group.tiles)), group.tiles, strict=True):
            with column:
                steady = layout.unchanged(tile.change)  # "+0.0 pts": no arrow, no colour
                delta_color = _delta_color(tile.key) if tile.news and not steady else "off"
                st.metric(
                    tile.label,
                    tile.text,
                    delta=tile.change.lstrip("+-−±") if steady else tile.change,
                    delta_color=delta_color,
                    delta_arrow="off" if steady else "auto",
                    help=tile.help,
                )
                # inline SVG, not st.metric's chart_data: Vega's bundle and twelve views cost a new tab 0.4 s
                if line := sparkline.svg(
                    tile.spark, sparkline.colour(delta_color, tile.change), tile.spark_label
                ):
                    st.html(line)
                st.caption(tile.band)


def _delta_color(key: str) -> str:
    better = definition_for(key).higher_is_better
    return "off" if better is None else "normal" if better else "inverse"


def held_back(board) -> None:
    """Why each other change is not news, for the VP who is asked about one."""
    if board.held_back:
        compared = any(h.comparable for h in board.held_back)
        what = "the other changes are not news" if board.takeaways or compared else "nothing is compared"
        with st.expander(f"Why {what} ({len(board.held_back)})"):  # "other" over nothing compared: a review
            st.markdown("\n".join(f"- **{h.label}**: {h.reason}." for h in board.held_back))
            st.caption(
                "A change is news when it rests on enough events, exceeds its sampling noise and leaves the "
                "range of the seven periods before it, or continues a run (docs/OVERVIEW.md)."
            )


def pillar_trends(scope) -> None:
    """One trend per pillar, two per row: the registered `overview.*_trend` charts."""
    columns = st.columns(2)
    for i, (chart_id, _name, _metric) in enumerate(TRENDS):
        with columns[i % 2]:
            registered.chart(chart_id, scope, key=f"overview-{i}")
