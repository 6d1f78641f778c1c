"""The canonical tables (SPEC.md section 3) as the importer and the templates see them.

`lib/migrations/*.sql` creates the tables; this module says, per table, which columns
make the key, which are required, which hold a person identifier (pseudonymised on
import) and which values an enumerated column accepts. A unit test checks that the two
agree, so the contract has one meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # varchar, timestamp, date, double, integer, boolean
    required: bool = False
    person: bool = False
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str = ""
    example: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


WORK_TYPES = ("feature", "defect", "risk", "debt")
DEPLOY_STATUSES = ("success", "failure", "rollback")
SOURCING = ("onshore", "nearshore", "offshore")
TERMINATION_TYPES = ("voluntary", "involuntary")
LEARNING_KINDS = ("course", "certification", "conference", "experiment")

V, TS, D, F, INT, B = "varchar", "timestamp", "date", "double", "integer", "boolean"

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "teams",
            ("team",),
            (
                Column("team", V, required=True),
                Column("org", V),
                Column("manager_id", V, person=True),
                Column("location", V),
                Column("sourcing", V, choices=SOURCING),
                Column("acquired_from", V),
            ),
            "One row per team: where it sits in the organisation and how it is sourced.",
            (("payments", "Commerce", "m-001", "Berlin", "onshore", ""),),
        ),
        Table(
            "work_items",
            ("item_id",),
            (
                Column("item_id", V, required=True),
                Column("team", V),
                Column("type", V, choices=WORK_TYPES),
                Column("title", V),
                Column("initiative", V),
                Column("created_at", TS, required=True),
                Column("started_at", TS),
                Column("completed_at", TS),
                Column("canceled_at", TS),
                Column("effort", F, bounds=(0, 1e6)),
            ),
            "One row per ticket: feature, defect, risk or debt, with its lifecycle.",
            (
                (
                    "PAY-101",
                    "payments",
                    "feature",
                    "Card vaulting",
                    "Checkout v2",
                    "2025-09-01T09:00:00Z",
                    "2025-09-03T10:00:00Z",
                    "2025-09-10T16:30:00Z",
                    "",
                    "5",
                ),
            ),
        ),
        Table(
            "work_item_transitions",
            ("item_id", "changed_at"),
            (
                Column("item_id", V, required=True),
                Column("changed_at", TS, required=True),
                Column("to_status", V),
                Column("active", B),
            ),
            "One row per status change of a ticket; `active` says the new status is work, not waiting.",
            (("PAY-101", "2025-09-03T10:00:00Z", "In Progress", "true"),),
        ),
        Table(
            "deployments",
            ("deploy_id",),
            (
                Column("deploy_id", V, required=True),
                Column("service", V),
                Column("team", V),
                Column("environment", V),
                Column("deployed_at", TS, required=True),
                Column("commit_at", TS),
                Column("status", V, choices=DEPLOY_STATUSES),
                Column("is_rework", B),
            ),
            "One row per deployment; `commit_at` is the earliest commit it ships.",
            (
                (
                    "d-1001",
                    "checkout-api",
                    "payments",
                    "production",
                    "2025-09-10T17:00:00Z",
                    "2025-09-09T08:12:00Z",
                    "success",
                    "false",
                ),
            ),
        ),
        Table(
            "incidents",
            ("incident_id",),
            (
                Column("incident_id", V, required=True),
                Column("service", V),
                Column("team", V),
                Column("severity", V),
                Column("started_at", TS, required=True),
                Column("resolved_at", TS),
                Column("caused_by_deploy_id", V),
            ),
            "One row per production incident; `caused_by_deploy_id` links it to a failed change.",
            (
                (
                    "INC-7",
                    "checkout-api",
                    "payments",
                    "SEV2",
                    "2025-09-10T18:00:00Z",
                    "2025-09-10T19:30:00Z",
                    "d-1001",
                ),
            ),
        ),
        Table(
            "pull_requests",
            ("pr_id",),
            (
                Column("pr_id", V, required=True),
                Column("repo", V),
                Column("team", V),
                Column("author_id", V, person=True),
                Column("opened_at", TS, required=True),
                Column("first_review_at", TS),
                Column("merged_at", TS),
                Column("additions", INT, bounds=(0, 1e9)),
                Column("deletions", INT, bounds=(0, 1e9)),
                Column("ai_assisted", B),
            ),
            "One row per pull request.",
            (
                (
                    "acme/checkout#412",
                    "acme/checkout",
                    "payments",
                    "dev-17",
                    "2025-09-08T09:00:00Z",
                    "2025-09-08T13:00:00Z",
                    "2025-09-09T08:12:00Z",
                    "120",
                    "30",
                    "true",
                ),
            ),
        ),
        Table(
            "survey_responses",
            ("survey_id", "respondent_id", "question_id"),
            (
                Column("survey_id", V, required=True),
                Column("survey_date", D, required=True),
                Column("respondent_id", V, required=True, person=True),
                Column("team", V),
                Column("question_id", V, required=True),
                Column("dimension", V, required=True),
                Column("score", F, bounds=(0, 10)),
            ),
            "One row per respondent per question (long form); eNPS questions use dimension `enps` and 0–10.",
            (("2025-Q3", "2025-09-15", "r-0042", "payments", "ps1", "psychological_safety", "4"),),
        ),
        Table(
            "employees",
            ("employee_id",),
            (
                Column("employee_id", V, required=True, person=True),
                Column("team", V),
                Column("level", V),
                Column("role", V),
                Column("location", V),
                Column("sourcing", V, choices=SOURCING),
                Column("hire_date", D, required=True),
                Column("termination_date", D),
                Column("termination_type", V, choices=TERMINATION_TYPES),
                Column("regretted", B),
                Column("manager_id", V, person=True),
                Column("acquired_from", V),
                Column("email_id", V, person=True, description="work e-mail, stored as its pseudonym"),
            ),
            "One row per person, current and former; identifiers are pseudonymised on import.",
            (
                (
                    "e-0042",
                    "payments",
                    "L3",
                    "Software Engineer",
                    "Berlin",
                    "onshore",
                    "2023-04-03",
                    "",
                    "",
                    "",
                    "m-001",
                    "",
                    "ada@example.com",
                ),
            ),
        ),
        Table(
            "promotions",
            ("employee_id", "promoted_at"),
            (
                Column("employee_id", V, required=True, person=True),
                Column("promoted_at", D, required=True),
                Column("from_level", V),
                Column("to_level", V),
            ),
            "One row per promotion.",
            (("e-0042", "2025-04-01", "L3", "L4"),),
        ),
        Table(
            "one_on_ones",
            ("manager_id", "employee_id", "held_at"),
            (
                Column("manager_id", V, required=True, person=True),
                Column("employee_id", V, required=True, person=True),
                Column("held_at", D, required=True),
            ),
            "One row per 1:1 meeting held.",
            (("m-001", "e-0042", "2025-09-04"),),
        ),
        Table(
            "skills",
            ("employee_id", "skill"),
            (
                Column("employee_id", V, required=True, person=True),
                Column("skill", V, required=True),
                Column("proficiency", INT, bounds=(0, 4)),
                Column("target", INT, bounds=(0, 4)),
            ),
            "One row per person per skill: proficiency and target on a 0–4 scale.",
            (("e-0042", "kubernetes", "3", "4"),),
        ),
        Table(
            "skill_targets",
            ("team", "skill"),
            (
                Column("team", V, required=True),
                Column("skill", V, required=True),
                Column("target", INT, bounds=(0, 4)),
            ),
            "One row per team per skill: the proficiency (0–4) the team needs; a skills row "
            "without its own target takes its team's.",
            (("payments", "kubernetes", "3"),),
        ),
        Table(
            "learning",
            ("employee_id", "date", "title"),
            (
                Column("employee_id", V, required=True, person=True),
                Column("date", D, required=True),
                Column("title", V, required=True),
                Column("kind", V, choices=LEARNING_KINDS),
                Column("hours", F, bounds=(0, 10000)),
            ),
            "One row per learning activity.",
            (("e-0042", "2025-06-12", "CKA certification", "certification", "24"),),
        ),
        Table(
            "ai_usage",
            ("date", "team", "tool"),
            (
                Column("date", D, required=True),
                Column("team", V, required=True),
                Column("tool", V, required=True),
                Column("active_users", INT, bounds=(0, 1e7)),
                Column("engaged_users", INT, bounds=(0, 1e7)),
                Column("suggestions", INT, bounds=(0, 1e12)),
                Column("acceptances", INT, bounds=(0, 1e12)),
                Column("seats", INT, bounds=(0, 1e7)),
            ),
            "One row per day per team per AI tool.",
            (("2025-09-10", "payments", "copilot", "9", "7", "820", "260", "11"),),
        ),
        Table(
            "user_teams",
            ("user_id",),
            (
                Column("user_id", V, required=True, person=True),
                Column("team", V),
                Column("seat_tool", V),
            ),
            "One row per AI-tool user (login or e-mail, pseudonymised): the team their usage "
            "counts under, and the tool whose seat list named them.",
            (("octocat", "payments", "copilot"),),
        ),
        Table(
            "business_metrics",
            ("period_start", "metric"),
            (
                Column("period_start", D, required=True),
                Column("metric", V, required=True),
                Column("value", F),
                Column("unit", V),
            ),
            "One row per month per business metric (revenue, arr, rnd_spend, customers, nps, churn_rate, …); "
            "unit: a currency code (USD, EUR, …) for money, % for a fraction 0–1, score, count.",
            (("2025-09-01", "revenue", "4200000", "USD"),),
        ),
        Table(
            "initiatives",
            ("initiative",),
            (
                Column("initiative", V, required=True),
                Column("owner", V),
                Column("business_metric", V),
                Column("epics", V),
                Column("description", V),
            ),
            "One row per business initiative: its owner (a role or team), the business metric it is "
            "meant to move, and the epics / projects of work items that belong to it (; separated).",
            (("Checkout v2", "VP Product, Commerce", "revenue", "PAY-EPIC-12; Checkout redesign", ""),),
        ),
        Table(
            "engineer_costs",
            ("location", "sourcing"),
            (
                Column("location", V, required=True),
                Column("sourcing", V, required=True, choices=SOURCING),
                Column("annual_cost", F, bounds=(0, 1e8)),
            ),
            "Loaded annual cost of one engineer (FTE) by location and sourcing, in the currency of the "
            "business metrics; location * covers every location of that sourcing.",
            (("Berlin", "onshore", "126000"),),
        ),
    )
}

IMPORTABLE = tuple(TABLES)

# Tables whose rows describe one person each (SPEC §4): a file that loads any of them is
# kept minimised (only the columns imported, identifiers already pseudonymised), never as
# uploaded.
PERSON_LEVEL = frozenset({"employees", "promotions", "one_on_ones", "survey_responses", "skills", "learning"})


# How a sentence names each canonical table: words, not table names (captions, headings, the
# Data page, refusals, the deck's closing slides). Tables not listed read as their name with
# spaces ("deployments", "employees").
TABLE_WORDS = {
    "work_item_transitions": "work item status changes",
    "work_items": "work items",
    "pull_requests": "pull requests",
    "survey_responses": "survey answers",
    "one_on_ones": "one-on-ones",
    "skill_targets": "skill targets",
    "ai_usage": "AI tool usage",
    "user_teams": "AI tool users' teams",
    "business_metrics": "business figures",
    "engineer_costs": "engineer cost rates",
}


def table_words(table: str) -> str:
    """'work_items' → 'work items', 'survey_responses' → 'survey answers' (`TABLE_WORDS`)."""
    return TABLE_WORDS.get(table, table.replace("_", " "))
