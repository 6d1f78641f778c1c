"""Delivery & quality: DORA and flow metrics, incidents, PR cycle time, teams, drill-down."""

from lib.ui import delivery_page, filters

ctx = delivery_page.header(filters.current_scope())
delivery_page.summary(ctx)
delivery_page.sections(ctx)
