"""Pillars: entry point. Page config, navigation, the shared filters, then the page."""

from pathlib import Path

import streamlit as st

from lib import anonymity
from lib.ui import access, data, filters, layout, use_navigation

st.set_page_config(
    page_title="Pillars · Engineering leadership",
    page_icon=layout.ICON,  # inline: nothing leaves the machine (a material icon is fetched from Google)
    layout="wide",
)

use_navigation()
access.gate()  # sign-in and the org units this person may see, before any data is read
HERE = Path(__file__).parent
# (file, title, icon, url). A pillar's page appears once its file exists: no placeholders.
PAGES = [
    ("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
    ("pages/delivery.py", "Delivery & quality", ":material/rocket_launch:", "delivery"),
    ("pages/engagement.py", "People engagement", ":material/diversity_3:", "engagement"),
    ("pages/retention.py", "Retention & development", ":material/trending_up:", "retention"),
    ("pages/skills.py", "Skills & capabilities", ":material/school:", "skills"),
    ("pages/business.py", "Business alignment", ":material/payments:", "business"),
    ("pages/data.py", "Data", ":material/upload_file:", "data"),
    ("pages/board_pack.py", "Board pack", ":material/slideshow:", "board_pack"),
]

pages = [
    st.Page(file, title=title, icon=icon, url_path=url, default=(url == "overview"))
    for file, title, icon, url in PAGES
    if (HERE / file).exists()
]
current = st.navigation(pages)

layout.theme()
filters.sidebar()
layout.demo_notice()
if current.url_path not in ("data", "overview", ""):  # the Overview (default: "") links each pillar
    layout.no_data_pointer()
if current.url_path != "data":  # the Data page still imports while the setting is fixed
    try:
        anonymity.threshold(data.cursor())
    except anonymity.ThresholdError as error:
        st.error(f"**The anonymity threshold is misconfigured.** {error}", icon=":material/error:")
        st.stop()
current.run()
