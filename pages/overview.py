"""Overview: the executive one-pager across the four pillars and business alignment."""

import streamlit as st

from lib.ui import filters, overview_page

scope = filters.current_scope()
board = overview_page.header(scope)
overview_page.summary(board)
overview_page.tile_groups(board)
overview_page.held_back(board)
st.subheader("Trends by pillar")
st.caption("Each trend covers at least the twelve months ending with the chosen period.")
overview_page.pillar_trends(scope)
