"""Page furniture shared by every page: header, demo notice, KPI tiles, chart cards, tables, downloads.

Every table and file that leaves the app goes through `table`, `csv_download` or
`file_download` (and `editor`) here (a test checks no other module calls `st.dataframe`,
`st.data_editor` or `st.download_button`), so formula-like cells are neutralised on
every path out (SPEC §6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.charts import chart_config
from lib.charts.fit import HALF, card_px, fit
from lib.privacy import safe_frame, to_safe_csv
from lib.ui import data, use_navigation

EMPTY = "—"  # how a table shows an empty cell (Streamlit's own default reads "None")
ASSETS = Path(__file__).parent / "assets"
ICON = ASSETS / "icon.svg"  # the browser tab's icon: sent inline, never fetched from a font server


def theme() -> None:
    """What `.streamlit/config.toml` cannot set (a visible focus ring, tile labels that wrap):
    `assets/theme.css`, as a style element on every page."""
    st.html(ASSETS / "theme.css")


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


def no_data_pointer() -> None:
    """With nothing loaded (the demo cleared, nothing imported yet), every page but the Data
    page says where to start, with a link to it."""
    if data.is_demo() or data.view("lib.scope.latest_data_date") is not None:
        return
    with st.container(border=True):
        st.markdown(
            "**No data yet.** Upload your tools' exports (deployments, incidents, work items, pull "
            "requests, surveys, HR) on the Data page: each pillar fills in as its data arrives."
        )
        st.page_link("pages/data.py", label="Open the Data page", icon=":material/upload_file:")


def page_header(title: str, question: str) -> None:
    use_navigation()
    st.title(title)
    st.caption(question)


_ZERO = re.compile(r"^[+\-−±]?\s*[$€£]?0+(?:[.,]0+)?(?![\d.,])")


def unchanged(delta: str | None) -> bool:
    """A change that rounds to zero as shown ("+0.0 pts", "−0%"): no arrow, no colour."""
    return bool(delta) and bool(_ZERO.match(delta.strip()))


def tiles(items: list[Tile], per_row: int = 4) -> None:
    """KPI tiles, `per_row` to a row. A change that rounds to zero is shown unsigned, grey and
    without an arrow: '−0.0 pts' in green would claim an improvement that is not there."""
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for column, tile in zip(st.columns(per_row), row, strict=False):
            steady = unchanged(tile.delta)
            with column, st.container(border=True):
                st.metric(
                    tile.label,
                    tile.value,
                    delta=tile.delta.strip().lstrip("+-−±").strip() if steady else tile.delta,
                    delta_color="off" if steady or not tile.delta else tile.delta_color,
                    delta_arrow="off" if steady else "auto",
                    delta_description=tile.delta_description if tile.delta else None,
                    help=tile.help,
                )
                st.caption(tile.band or "No benchmark")


def chart(
    fig: go.Figure,
    key: str,
    note: str | None = None,
    clickable: bool = False,
    name: str | None = None,
    span: float = HALF,
) -> list[dict]:
    """A bordered card holding one chart; the camera button downloads a 3× PNG.

    `span` is the share of the page's width the card takes (0.5 in two columns, 1 alone):
    title and caption are wrapped to it (`lib.charts.fit`), so nothing is cut at 1280 px.
    The PNG is named after `name` (default: `key`) and the period the caption states.
    A `clickable` chart reruns the page when a point is clicked and returns the clicked
    points (Plotly's `x`, `y`, `curve_number`, `legendgroup`, …); otherwise nothing.
    """
    fig = fit(go.Figure(fig), card_px(span))
    return chart_card(fig.to_dict(), chart_config(name or key, fig), key, note, clickable)


def chart_card(
    spec: dict, config: dict, key: str, note: str | None = None, clickable: bool = False
) -> list[dict]:
    """`chart` for a figure already fitted to its card, as a plain dict (`spec`) with its
    Plotly `config` (`lib.charts.registry.card` builds both once per data version)."""
    with st.container(border=True):
        event = st.plotly_chart(
            go.Figure(spec),  # a Figure: Plotly refuses a dict without traces (a no-data notice)
            theme=None,
            config=config,
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
    selection, with `on_select`). An empty cell shows `EMPTY`, never "None".
    """
    return st.dataframe(safe_frame(frame), **{"placeholder": EMPTY, **kwargs})


def static_table(frame: pd.DataFrame) -> None:
    """A small reference table whose cells wrap (`st.table`): every column fits the page at
    1280 px, where the grid of `table` cut the last one ("Time to restore" of the DORA bands).
    Formula-like text is neutralised as in `table`; there is no download toolbar."""
    st.table(safe_frame(frame).set_index(frame.columns[0]))


def editor(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """`st.data_editor(frame, **kwargs)` with formula-like text neutralised, as `table` does.

    Its toolbar offers the same "Download as CSV" as `st.dataframe`. Returns the edited
    frame; the columns named in `disabled` come back with their original values (they are
    keys the caller saves against, and cannot have been edited).
    """
    edited = st.data_editor(safe_frame(frame), **{"placeholder": EMPTY, **kwargs})
    disabled = kwargs.get("disabled")
    if isinstance(disabled, list | tuple) and len(edited) == len(frame):
        edited = edited.copy()
        for column in disabled:
            if column in frame.columns:
                edited[column] = frame[column].to_numpy()
    return edited


def csv_download(label: str, frame: pd.DataFrame, file_name: str, deferred: bool = False, **kwargs) -> bool:
    """A download button for `frame` as UTF-8 CSV, text cells and headers neutralised.

    `deferred` writes the CSV only when the button is clicked (for frames of many rows, such
    as every row behind a drill-down: no copy of the file is held per session until then).
    """
    content = (lambda: to_safe_csv(frame)) if deferred else to_safe_csv(frame)
    return st.download_button(label, content, file_name=file_name, mime="text/csv", **kwargs)


def file_download(label: str, content: bytes, file_name: str, mime: str, **kwargs) -> bool:
    """A download button for a file Pillars drew itself (board pack PPTX/PDF, PNG).

    Raises ValueError for CSV or text, whose cells must go through `csv_download`.
    """
    if mime.startswith("text/") or file_name.lower().endswith((".csv", ".tsv", ".txt")):
        raise ValueError(f"{file_name}: tables leave the app through layout.csv_download, not file_download")
    return st.download_button(label, content, file_name=file_name, mime=mime, **kwargs)
