"""The Skills & capabilities charts: the skills matrix, coverage and bus-factor risks,
learning, experiments, AI adoption and delivery before and after it.

Each build calls the page's own aggregates (`lib.views.skills_charts`) and builders
(`lib.charts.skills`, `lib.charts.skills_learning`, `lib.charts.skills_ai`,
`lib.charts.skills_ai_delivery`); the page
draws these registered figures, so page and deck show one computation. Missing sources raise NoData saying what to import.
"""

from __future__ import annotations

from lib.charts import caption_text
from lib.charts import skills as charts
from lib.charts import skills_ai as ai_charts
from lib.charts import skills_ai_delivery as ai_delivery_charts
from lib.charts import skills_learning as learning_charts
from lib.charts.marks import fade_partial
from lib.charts.registry import Context, NoData, register
from lib.scope import Scope, period_text
from lib.views import skills as views
from lib.views import skills_charts as aggregates
from lib.views.skills_ai import ADOPTION_SHARE, CAVEATS, MIN_DEPLOYMENTS, WINDOW_DAYS

NO_SKILLS = (
    "No skills data: import a skills matrix (one row per person and a column per skill, or long rows)."
)
NO_LEARNING = "No learning data: import an LMS export (Pluralsight, Udemy Business, LinkedIn Learning, Coursera, Docebo)."
NO_AI = "No AI usage data: import GitHub Copilot metrics, Cursor daily usage or a daily usage CSV per team and tool."


def _require(con, scope: Scope, *counts: str, message: str) -> dict:
    coverage = views.coverage(con, scope)
    if not any(coverage[c] for c in counts):
        raise NoData(message)
    return coverage


def _as_of(agg: dict, source: str, filters: str) -> str:
    return caption_text(source, f"people active on {agg['as_of']:%d %b %Y}", filters)


@register("skills.matrix_heatmap", "skills", "Skills matrix: proficiency against target",
          metrics=("skills.skill_gap_share",), sources=("skills", "skill_targets", "employees"),
          note="Mean proficiency (0 none … 4 expert) of each team's people against their targets; cells over "
               "fewer people than the anonymity threshold are hidden.")  # fmt: skip
def matrix_heatmap(con, scope, filters):
    _require(con, scope, "skills_rows", message=NO_SKILLS)
    agg = aggregates.matrix(con, scope)
    return charts.matrix_heatmap(agg, _as_of(agg, "skills, skill_targets, employees", filters))


@register("skills.coverage_and_bus_factor", "skills", "Coverage gaps and bus-factor risks",
          metrics=("skills.bus_factor_risks",), sources=("skills", "skill_targets", "employees"),
          note="A coverage gap: a team's target no one in it reaches. A bus-factor risk: one person holds the "
               "skill at level 3 or more.")  # fmt: skip
def coverage_and_bus_factor(con, scope, filters):
    _require(con, scope, "skills_rows", message=NO_SKILLS)
    agg = aggregates.risks(con, scope)
    return charts.risks_bars(agg, _as_of(agg, "skills, skill_targets, employees", filters))


def _learning(by: str, builder, label: str):
    def build(con, scope, filters):
        _require(con, scope, "learning_rows", message=NO_LEARNING)
        agg = aggregates.learning(con, scope, by)
        return builder(agg, Context(scope, filters).caption("learning, employees"))

    build.__doc__ = f"{label} per {by} and period, over the trend window."
    return build


for _by in ("team", "location"):
    register(f"skills.learning_hours_by_{_by}", "skills", f"Learning hours per engineer by {_by}",
             metrics=("skills.learning_hours_per_engineer_annualized",), sources=("learning", "employees"),
             note="Hours ÷ average headcount, annualised per period; groups under the anonymity threshold "
                  "hidden.")(_learning(_by, learning_charts.learning_hours, "Learning hours per engineer"))  # fmt: skip
    register(f"skills.certifications_by_{_by}", "skills", f"Certifications by {_by}",
             metrics=("skills.certifications",), sources=("learning", "employees"))(
        _learning(_by, learning_charts.certifications, "Certifications"))  # fmt: skip


@register("skills.experiments", "skills", "Experiments run (hackathons, spikes, innovation time)",
          sources=("learning",))  # fmt: skip
def experiments(con, scope, filters):
    _require(con, scope, "learning_rows", message=NO_LEARNING)
    agg = aggregates.experiments(con, scope)
    ctx = Context(scope, filters)
    return fade_partial(
        learning_charts.experiments_bars(agg, ctx.caption("learning (kind experiment)")), ctx.window
    )


@register("skills.ai_adoption_trend", "skills", "AI adoption against seats and headcount",
          metrics=("skills.ai_adoption_rate",), sources=("ai_usage", "employees"),
          note="Daily active and engaged users and seats as a share of headcount; a person using two tools "
               "counts twice.")  # fmt: skip
def ai_adoption_trend(con, scope, filters):
    _require(con, scope, "ai_usage_rows", message=NO_AI)
    agg = aggregates.ai_adoption(con, scope)
    return ai_charts.adoption_trend(agg, Context(scope, filters).caption("ai_usage, employees"))


@register("skills.ai_tools_trend", "skills", "AI active users by tool", sources=("ai_usage",))
def ai_tools_trend(con, scope, filters):
    _require(con, scope, "ai_usage_rows", message=NO_AI)
    return ai_charts.tools_trend(aggregates.ai_tools(con, scope), Context(scope, filters).caption("ai_usage"))


@register("skills.ai_acceptance_trend", "skills", "AI suggestion acceptance by tool",
          metrics=("skills.ai_acceptance_rate",), sources=("ai_usage",),
          note="Each tool counts suggestions its own way: compare a tool with itself over time.")  # fmt: skip
def ai_acceptance_trend(con, scope, filters):
    _require(con, scope, "ai_usage_rows", message=NO_AI)
    return ai_charts.acceptance_trend(
        aggregates.ai_tools(con, scope), Context(scope, filters).caption("ai_usage")
    )


@register("skills.ai_adoption_by_team", "skills", "AI adoption by team (last 28 days)",
          metrics=("skills.ai_adoption_rate",), sources=("ai_usage", "employees"))  # fmt: skip
def ai_adoption_by_team(con, scope, filters):
    _require(
        con, scope, "ai_team_rows", message=NO_AI + " Per-team figures need team rows (per-user reports)."
    )
    agg = aggregates.ai_teams(con, scope)
    window = Scope(agg["start"], agg["end"], scope.grain, scope.teams)
    return ai_charts.teams_bars(agg, caption_text("ai_usage, employees", period_text(window), filters))


@register("skills.ai_adoption_by_team_trend", "skills", "AI adoption by team over time",
          metrics=("skills.ai_adoption_rate",), sources=("ai_usage", "employees"))  # fmt: skip
def ai_adoption_by_team_trend(con, scope, filters):
    _require(
        con, scope, "ai_team_rows", message=NO_AI + " Per-team figures need team rows (per-user reports)."
    )
    agg = aggregates.ai_by_team(con, scope)
    return ai_charts.adoption_by_team_trend(agg, Context(scope, filters).caption("ai_usage, employees"))


@register("skills.ai_assisted_prs_by_team", "skills", "AI-assisted pull requests by team over time",
          metrics=("skills.ai_assisted_pr_share",), sources=("pull_requests",))  # fmt: skip
def ai_assisted_prs_by_team(con, scope, filters):
    _require(con, scope, "pull_requests_with_ai_flag",
             message="No pull request says whether it was AI-assisted (the pull requests file needs an AI-assisted column, true or false).")  # fmt: skip
    agg = aggregates.ai_by_team(con, scope)
    return ai_charts.prs_by_team_trend(agg, Context(scope, filters).caption("pull_requests"))


@register("skills.ai_assisted_prs_trend", "skills", "AI-assisted share of pull requests",
          metrics=("skills.ai_assisted_pr_share",), sources=("pull_requests",))  # fmt: skip
def ai_assisted_prs_trend(con, scope, filters):
    _require(con, scope, "pull_requests_with_ai_flag",
             message="No pull request says whether it was AI-assisted (the pull requests file needs an AI-assisted column, true or false).")  # fmt: skip
    agg = aggregates.ai_prs(con, scope)
    return ai_charts.prs_trend(agg, Context(scope, filters).caption("pull_requests"))


@register("skills.lead_time_and_ai", "skills", "Change lead time and AI adoption",
          metrics=("delivery.lead_time_hours_p50", "skills.ai_adoption_rate"),
          sources=("deployments", "ai_usage", "employees"),
          note="Both series per period from half a year before the first AI usage: a correlation, not proof.")  # fmt: skip
def lead_time_and_ai(con, scope, filters):
    _require(con, scope, "ai_usage_rows", message=NO_AI)
    _require(
        con,
        scope,
        "deployments",
        message="No deployment data: lead time needs deployments with commit times.",
    )
    agg = aggregates.ai_lead_time(con, scope)
    caption = caption_text("deployments, ai_usage, employees", period_text(agg["window"]), filters)
    return ai_delivery_charts.lead_time_trend(agg, caption)


@register("skills.ai_delivery_before_after", "skills", "Delivery before and after AI adoption",
          metrics=("delivery.lead_time_hours_p50", "delivery.change_failure_rate", "delivery.rework_rate"),
          sources=("deployments", "incidents", "ai_usage", "employees"),
          note=f"Adoption week: the first week a team's daily active AI users reached {ADOPTION_SHARE:.0%} of its "
               f"headcount; {WINDOW_DAYS}-day windows either side (shorter when adoption is recent); at least "
               f"{MIN_DEPLOYMENTS} deployments a side. " + " ".join(CAVEATS))  # fmt: skip
def ai_delivery_before_after(con, scope, filters):
    _require(con, scope, "ai_team_rows", message=NO_AI + " Adoption dates need AI usage per team.")
    _require(
        con, scope, "deployments", message="No deployment data: delivery before and after needs deployments."
    )
    agg = aggregates.ai_delivery(con, scope)
    caption = caption_text(
        "deployments, incidents, ai_usage, employees",
        f"{WINDOW_DAYS}-day windows either side of each adoption week, ending by {agg['end']:%d %b %Y}",
        filters,
    )
    return ai_delivery_charts.delivery_panels(agg, caption)
