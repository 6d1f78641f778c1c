"""Overview: the executive one-pager across the four pillars and business alignment."""

import streamlit as st

from lib.ui import filters, layout, overview_page

scope = filters.current_scope()
layout.page_header(
    "Engineering at a glance",
    f"{filters.period_text(scope)} · {filters.filter_text()} · change against the previous period of equal length",
)
items = overview_page.headline_tiles(scope)
overview_page.takeaway_list(items, scope)
st.subheader("Trends by pillar")
st.caption("Each trend covers at least the twelve months ending with the chosen period.")
overview_page.pillar_trends(scope)
