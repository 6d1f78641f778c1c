"""Data: upload exports, see what loaded or why not, history, freshness, templates, demo."""

import streamlit as st

from lib.ui import data_page, layout

layout.page_header(
    "Data",
    "Upload the CSV exports your tools already produce. Each file is checked, then loaded whole or not at all.",
)

data_page.demo_controls()
data_page.upload_section()
data_page.mapping_section()

left, right = st.columns([3, 2])
with left:
    data_page.history_section()
with right:
    data_page.freshness_section()
data_page.templates_section()
