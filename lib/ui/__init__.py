"""The only part of lib that imports streamlit: cached data access, filters and layout."""

import streamlit as st


def use_navigation() -> None:
    """Make dashboard.py's `st.navigation` decide every page, deep links included.

    Streamlit treats a `pages/` folder beside the entry point as old-style (v1) pages:
    a first visit to `/delivery` would run pages/delivery.py alone, without the shell
    (filters, demo label, navigation). The flag is process-wide; turn it off once and
    rerun, so the run goes through dashboard.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
