"""Retention & development: attrition, tenure, careers, managers, locations and acquisitions."""

import streamlit as st

from lib.ui import filters, retention_page

ctx = retention_page.header(filters.current_scope())
if not retention_page.enough_people(ctx):
    st.stop()
retention_page.summary(ctx)
retention_page.sections(ctx)
