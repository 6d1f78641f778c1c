"""Data: upload exports, see what loaded or why not, history, freshness, templates, demo."""

from lib.ui import data_history, data_page, data_upload, layout

layout.page_header(
    "Data",
    "Upload the CSV exports your tools already produce. Each file is checked, then loaded whole or not at all.",
)

data_page.demo_controls()
data_upload.upload_section()
data_upload.mapping_section()

# One above the other: side by side, "Newest record" and "Last import" were cut at 1280 px.
data_history.freshness_section()
data_history.history_section()
data_page.templates_section()
