"""Business alignment: investment mix, cost by initiative, benchmarks, capitalisation, outcomes."""

from lib.ui import business_page, filters

ctx = business_page.header(filters.current_scope())
business_page.summary(ctx)
business_page.sections(ctx)
