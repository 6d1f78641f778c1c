"""Formats and tables in the user's words, for messages and the Data page.

`canonical:work_items` is the importer's name; a refusal or a file's box says "work items
template". One place, so the Data page and the CLI's refusals name things alike.
"""

from __future__ import annotations

from lib.tables import table_words

TOOLS = {
    "jira": "Jira export",
    "linear": "Linear export",
    "github_prs": "GitHub pull requests",
    "pagerduty": "PagerDuty incidents",
    "opsgenie": "Opsgenie alerts",
    "survey_wide": "survey export",
    "qualtrics": "Qualtrics survey export",
    "surveymonkey": "SurveyMonkey survey export",
    "hris": "HRIS employee report",
    "finance": "business metrics (finance) file",
    "initiatives": "initiatives list",
    "engineer_costs": "rate card",
    "ai:daily-usage": "AI assistant daily usage",
    "ai:user-teams": "user and team list",
    "copilot:metrics": "GitHub Copilot metrics",
    "copilot:org-report": "GitHub Copilot organisation report",
    "copilot:seats": "GitHub Copilot seat list",
    "copilot:usage": "GitHub Copilot usage",
    "copilot:users-report": "GitHub Copilot users report",
    "cursor:daily-usage": "Cursor daily usage",
    "lms:activity-log": "learning activity log",
    "lms:coursera": "Coursera report",
    "lms:docebo": "Docebo report",
    "lms:linkedin-learning": "LinkedIn Learning report",
    "lms:pluralsight-completion": "Pluralsight completion report",
    "lms:pluralsight-usage": "Pluralsight usage report",
    "lms:udemy-business": "Udemy Business report",
    "skills:long": "skills matrix (one row per skill)",
    "skills:team-targets": "team skill targets",
    "skills:wide": "skills matrix",
}


def format_words(source_format: str | None) -> str:
    """`canonical:employees,canonical:teams` → `employees and teams templates`, in plain words."""
    if not source_format:
        return "not recognised: it can be mapped after the import"
    words, templates = [], []
    for name in source_format.split(","):
        kind, _, table = name.partition(":")
        if kind == "canonical":
            templates.append(table_words(table))
        elif kind == "mapped":
            words.append(f"{table_words(table)} (your saved column mapping)")
        else:
            words.append(TOOLS.get(name, name))
    if templates:
        words.append(f"{' and '.join(templates)} template{'s' if len(templates) > 1 else ''}")
    return ", ".join(words)
