"""Page furniture shared by every page: header, demo notice, KPI tiles, chart cards, tables, downloads.

Every table and file that leaves the app goes through `table`, `csv_download` or
`file_download` here (a test checks no other module calls `st.dataframe`,
`st.data_editor` or `st.download_button`), so formula-like cells are neutralised on
every path out (SPEC §6).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.charts import CHART_CONFIG
from lib.privacy import safe_frame, to_safe_csv
from lib.ui import data, use_navigation


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    delta: str | None = None  # e.g. "+38%"
    delta_color: str = "normal"  # "normal" (up is good), "inverse", "off"
    delta_description: str | None = None  # e.g. "vs previous 90 days"
    band: str | None = None  # benchmark, e.g. "DORA: high tier (daily–weekly)"
    help: str | None = None


def demo_notice() -> None:
    """The 'Demo data' label every page shows while the demo organisation is loaded."""
    if data.is_demo():
        st.info(
            "**Demo data** — a generated organisation, not yours. "
            "Upload your exports or clear it on the Data page.",
            icon=":material/science:",
        )


def page_header(title: str, question: str) -> None:
    use_navigation()
    st.title(title)
    st.caption(question)


def tiles(items: list[Tile], per_row: int = 4) -> None:
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for column, tile in zip(st.columns(per_row), row, strict=False):
            with column, st.container(border=True):
                st.metric(
                    tile.label,
                    tile.value,
                    delta=tile.delta,
                    delta_color=tile.delta_color if tile.delta else "off",
                    delta_description=tile.delta_description if tile.delta else None,
                    help=tile.help,
                )
                st.caption(tile.band or "No benchmark")


def chart(fig: go.Figure, key: str, note: str | None = None, clickable: bool = False) -> list[dict]:
    """A bordered card holding one chart; the camera button downloads a 3× PNG.

    A `clickable` chart reruns the page when a point is clicked and returns the clicked
    points (Plotly's `x`, `y`, `curve_number`, `legendgroup`, …); otherwise nothing.
    """
    with st.container(border=True):
        event = st.plotly_chart(
            fig,
            theme=None,
            config=CHART_CONFIG,
            key=key,
            width="stretch",
            on_select="rerun" if clickable else "ignore",
            selection_mode="points",
        )
        if note:
            st.caption(note)
    if not clickable or not event:
        return []
    return list(event.get("selection", {}).get("points", []))


def nothing_to_draw(message: str) -> None:
    """A section with no data at all: a quiet pointer to the note that says what is missing."""
    st.info(message, icon=":material/database_off:")


def missing(message: str) -> None:
    """Name data the page needs but does not have, instead of drawing zeros."""
    st.warning(message, icon=":material/database_off:")


def table(frame: pd.DataFrame, **kwargs):
    """`st.dataframe(frame, **kwargs)` with formula-like text neutralised (`lib.privacy.safe_frame`).

    The table's own toolbar button "Download as CSV" writes each cell exactly as shown,
    so cells beginning with = + - @ (or a tab or carriage return) are shown, and so
    downloaded, with a leading apostrophe. Returns what `st.dataframe` returns (the
    selection, with `on_select`).
    """
    return st.dataframe(safe_frame(frame), **kwargs)


def csv_download(label: str, frame: pd.DataFrame, file_name: str, **kwargs) -> bool:
    """A download button for `frame` as UTF-8 CSV, text cells and headers neutralised."""
    return st.download_button(label, to_safe_csv(frame), file_name=file_name, mime="text/csv", **kwargs)


def file_download(label: str, content: bytes, file_name: str, mime: str, **kwargs) -> bool:
    """A download button for a file Pillars drew itself (board pack PPTX/PDF, PNG).

    Raises ValueError for CSV or text, whose cells must go through `csv_download`.
    """
    if mime.startswith("text/") or file_name.lower().endswith((".csv", ".tsv", ".txt")):
        raise ValueError(f"{file_name}: tables leave the app through layout.csv_download, not file_download")
    return st.download_button(label, content, file_name=file_name, mime=mime, **kwargs)
