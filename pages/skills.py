"""Skills & capabilities: skills matrix, learning, AI adoption, and delivery before and after AI."""

from lib.ui import filters, skills_page

scope = filters.current_scope()
skills_page.header(scope)
skills_page.tiles(scope)
coverage = skills_page.notes(scope)
skills_page.sections(scope, coverage)
