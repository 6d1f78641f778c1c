"""Data: upload exports, see what loaded or why not, history, freshness, templates, demo."""

from lib.ui import data_page, layout

layout.page_header(
    "Data",
    "Upload the CSV exports your tools already produce. Each file is checked, then loaded whole or not at all.",
)

data_page.demo_controls()
data_page.upload_section()
data_page.mapping_section()

# One above the other: side by side, "Newest record" and "Last import" were cut at 1280 px.
data_page.freshness_section()
data_page.history_section()
data_page.templates_section()
