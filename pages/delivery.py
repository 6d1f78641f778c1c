"""Delivery & quality: DORA and flow metrics, incidents, PR cycle time, teams, drill-down."""

from lib.ui import delivery_page, filters

ctx = delivery_page.header(filters.current_scope())
delivery_page.dora_section(ctx)
delivery_page.flow_section(ctx)
delivery_page.incidents_section(ctx)
delivery_page.pull_request_section(ctx)
delivery_page.teams_section(ctx)
delivery_page.drilldown_section(ctx)
