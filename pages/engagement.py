"""People engagement: survey results, eNPS, the team heatmap, drivers, and the link to delivery."""

import streamlit as st

from lib.ui import engagement_page as page
from lib.ui import filters, layout

scope = filters.current_scope()
layout.page_header(
    "People engagement",
    f"{filters.period_text(scope)} · {filters.filter_text()} · psychological safety, autonomy and trust "
    "keep delivery moving. Results over fewer respondents than the anonymity threshold are never shown.",
)
current = page.wave(scope)
if current is None:
    page.no_survey(scope)
    st.stop()

page.tiles(scope, current)
st.subheader("Where people stand")
page.favorability(scope, current)
page.heatmap(scope, current)
st.subheader("What changed, and what moves engagement")
page.changes(scope, current)
page.drivers(scope, current)
st.subheader("Engagement as a delivery lever")
page.delivery_link(scope, current)
