"""The Data page's frame: who may change the data (`may_change`), the demo organisation's
controls and the canonical templates.

Its other sections have modules of their own: the upload step, with its results and the
column mapping of unrecognised files (lib/ui/data_upload.py), and the record of what was
loaded: import history with undo, data freshness (lib/ui/data_history.py).
"""

from __future__ import annotations

import streamlit as st

from lib import store
from lib.charts import table_label
from lib.tables import TABLES
from lib.ui import data, layout


def may_change() -> bool:
    """Uploads, undo, mappings and clearing the demo are for people who see every org unit."""
    return data.grant().everything


def demo_controls() -> None:
    if not data.is_demo() or not may_change():
        return
    with st.container(border=True):
        st.markdown(
            "**The demo organisation is loaded.** Its numbers are generated. Clear it before "
            "loading your own exports, so the two never mix."
        )
        # a second, deliberate click: clearing cannot be undone from the page
        confirm = st.popover("Clear demo data", type="primary", icon=":material/delete_sweep:")
        confirm.markdown(
            "This deletes every demo row (teams, deployments, surveys, people, finance). It cannot be "
            "undone from this page."
        )
        if confirm.button("Yes, clear the demo data", type="primary", key="clear_demo"):
            from lib.demo import clear_demo

            try:
                with data.writing("clearing the demo data") as con:
                    clear_demo(con)
            except store.Busy as busy:
                st.error(str(busy), icon=":material/lock_clock:")
                return
            st.toast("Demo data cleared.")
            st.rerun()


def templates_section() -> None:
    from lib.templates import template_frame

    st.subheader("Templates")
    st.caption(
        "One CSV per canonical table (hover a button for its file name): the header and an example row. "
        "Extra columns are ignored on import."
    )
    columns = st.columns(3)  # "Work item status changes" was cut at a quarter of 1280 px
    for i, name in enumerate(TABLES):
        with columns[i % 3]:
            layout.csv_download(
                table_label(name),
                template_frame(name),
                file_name=f"{name}.csv",
                icon=":material/download:",
                key=f"template-{name}",
                help=f"{name}.csv",
                width="stretch",
            )
