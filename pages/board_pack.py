"""Board pack: the charts a VP chose, as a PowerPoint deck and a PDF, with the sidebar's filters."""

from lib.ui import board_pack_page as page
from lib.ui import filters

scope = filters.current_scope()
page.header(scope)
chosen = page.deck_section(scope)
page.picker(scope, chosen)
