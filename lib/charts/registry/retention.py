"""The Retention & development page's charts, one build each, drawn by the page
(`lib/ui/retention_page.py` through `lib.ui.registered`) and the board pack alike.

Every build reads the suppressed aggregates of `lib.views.retention*` and draws them with
`lib.charts.retention` / `lib.charts.retention_people`: a group under the anonymity
threshold is hidden on the slide as on the page, with the reason under the title. A whole
selection under the threshold, or no employee data, is a NoData slide saying so.
"""

from __future__ import annotations

from lib.anonymity import threshold
from lib.benchmarks import ATTRITION_SOURCE, RANGES
from lib.charts import retention as charts
from lib.charts import retention_people as people
from lib.charts.marks import fade_partial
from lib.charts.registry import ALL_TEAMS, Context, NoData, register
from lib.views import retention as views
from lib.views import retention_careers as careers
from lib.views import retention_teams as teams
from lib.views import retention_tenure as tenure

EMPLOYEES = ("employees",)
BENCHMARK = f"Benchmark band: {ATTRITION_SOURCE}."
SUPPRESSION = "Groups with fewer people than the anonymity threshold are not shown; the chart says which."
SURVIVAL_NOTE = (
    "Kaplan–Meier estimate (scipy.stats.ecdf) with 95% log-log bands; people still employed at the period end "
    "are censored; hires before the first separation in the data are left out; each curve stops where fewer "
    "people than the anonymity threshold are still at risk."
)


def people_shown(con, scope, filters) -> None:
    """NoData unless the selection has employee data and enough people to show."""
    if not views.has_employees(con):
        raise NoData(
            "No employee data: import an HRIS employee report (BambooHR, Workday, HiBob, Personio, Rippling, "
            "ADP, or a spreadsheet with employee id, hire and termination dates) or the employees template."
        )
    enough_people(con, scope, filters)


def enough_people(con, scope, filters) -> None:
    """NoData when the selection has fewer people than the threshold at the period's end
    (`lib.views.retention.too_few_people`): every chart about its people, the Overview's
    attrition trend included, is hidden alike."""
    k = threshold(con)
    summary = views.retention_summary(con, scope)
    if not summary.get("headcount_end"):  # no one: no data, not a hidden group (a new user's review)
        raise NoData("No employees in this selection at the end of the period.")
    if views.too_few_people(summary, k):
        who = "the organisation" if filters == ALL_TEAMS else filters
        raise NoData(
            f"Not shown: {who} has fewer than {k} people at the end of the period, the anonymity threshold."
        )


@register(
    "retention.headcount_flow",
    "retention",
    "Headcount, hires and leavers",
    metrics=("retention.headcount_end", "retention.hires", "retention.separations"),
    sources=EMPLOYEES,
)
def headcount_flow(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    fig = charts.headcount_flow(views.attrition_by_period(con, ctx.window, "all"), ctx.caption("employees"),
                                ctx.x_title)  # fmt: skip
    return fade_partial(fig, ctx.window)  # hires and leavers of a 6-day month are no slump


@register(
    "retention.attrition_trend",
    "retention",
    "Attrition, trailing 12 months (total, voluntary, regretted)",
    metrics=("retention.attrition_rate_ttm",),
    sources=EMPLOYEES,
    note=BENCHMARK,
)
def attrition_trend(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    frame = views.attrition_by_period(con, ctx.window, "all")
    return charts.attrition_ttm(frame, ctx.caption("employees", extra="benchmark: Mercer 2023, LinkedIn 2018"),
                                ctx.x_title)  # fmt: skip


def org_or_department(con, scope):
    """Attrition by org; by team ("department") when no teams table names the orgs."""
    frame = views.group_summary(con, scope, "org")
    if set(frame["group"]) <= {"(no org)"}:
        return views.group_summary(con, scope, "team"), "department"
    return frame, "organisation"


@register(
    "retention.attrition_by_org",
    "retention",
    "Attrition by organisation",
    metrics=("retention.attrition_rate_ttm",),
    sources=("employees", "teams"),
    note=SUPPRESSION,
)
def attrition_by_org(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    frame, noun = org_or_department(con, scope)
    return charts.groups_compared(frame, ctx.caption("employees", trend=False, extra="attrition: 12 months to the end"),
                                  noun)  # fmt: skip


@register(
    "retention.first_year_attrition",
    "retention",
    "First-year attrition by hire quarter",
    metrics=("retention.first_year_attrition_rate",),
    sources=EMPLOYEES,
    note=SUPPRESSION,
)
def first_year_attrition(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    return charts.first_year(tenure.first_year_by_cohort(con, scope, "all"), ctx.caption("employees"))


@register(
    "retention.attrition_and_safety",
    "retention",
    "Attrition against psychological safety, by team",
    metrics=("retention.attrition_rate_ttm", "engagement.favorability.DIMENSION"),
    sources=("employees", "survey_responses"),
    note="One dot per team; safety from the latest survey of the year, as its anonymity plan shows it. "
    "A correlation, not proof of cause.",
)
def attrition_and_safety(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    frame = teams.team_attrition_and_safety(con, scope)
    caption = ctx.caption("employees, survey_responses", extra="safety: latest survey of the year")
    return people.team_attrition_and_safety(frame, caption, wide=True)


SURVIVAL = {
    "cohort": ("retention.survival_by_hire_year", "Tenure survival by hire year", "hire year"),
    "location": ("retention.survival_by_location", "Tenure survival by location", "location"),
    "sourcing": ("retention.survival_by_sourcing", "Tenure survival by sourcing", "sourcing"),
    "acquired": ("retention.survival_by_acquired_company", "Tenure survival: acquired vs organic",
                 "acquired company"),
}  # fmt: skip


def _survival(group: str, noun: str):
    def build(con, scope, filters):
        people_shown(con, scope, filters)
        ctx = Context(scope, filters)
        result = tenure.survival(con, scope, group)
        observed = result["observed_from"]
        since = (
            f"hires since {observed:%d %b %Y}, the first separation in the data" if observed else "all hires"
        )
        caption = ctx.caption("employees", trend=False, extra=since)
        return people.survival_curves(result["curves"], result["groups"], caption, noun, wide=True)

    return build


for _group, (_id, _name, _noun) in SURVIVAL.items():
    register(_id, "retention", _name, metrics=("retention.median_tenure_years",), sources=EMPLOYEES,
             note=SURVIVAL_NOTE)(_survival(_group, _noun))  # fmt: skip


def _promotions(con, scope, filters):
    people_shown(con, scope, filters)
    if not con.execute("select count(*) from promotions").fetchone()[0]:
        raise NoData(
            "No promotions loaded: import the promotions template (employee id, date, from and to level)."
        )
    ctx = Context(scope, filters)
    return careers.promotions_by_level(con, ctx.window), ctx.caption("promotions, employees")


@register(
    "retention.promotion_rates",
    "retention",
    "Promotion rate by level",
    metrics=("retention.promotion_rate_annualized",),
    sources=("promotions", "employees"),
    note=SUPPRESSION,
)
def promotion_rates(con, scope, filters):
    frame, caption = _promotions(con, scope, filters)
    return people.promotion_rates(frame, caption)


@register(
    "retention.time_to_promotion",
    "retention",
    "Time to promotion by level",
    sources=("promotions", "employees"),
    note="Median years since the previous promotion, else since hire; hidden for fewer promotions than the "
    "anonymity threshold.",
)
def time_to_promotion(con, scope, filters):
    frame, caption = _promotions(con, scope, filters)
    return people.time_to_promotion(frame, caption)


@register(
    "retention.level_distribution",
    "retention",
    "Level distribution against the career framework",
    sources=EMPLOYEES,
    note="Levels in the order of the career framework saved on the Retention page, with its target shares.",
)
def level_distribution(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    return people.level_distribution(careers.level_distribution(con, scope),
                                     ctx.caption("employees", trend=False, extra="at the period end"))  # fmt: skip


@register(
    "retention.span_of_control",
    "retention",
    "Span of control against Grove's norm",
    metrics=("retention.span_of_control_median",),
    sources=EMPLOYEES,
    note=f"Norm: {RANGES['retention.span_of_control_median'].source}.",
)
def span_of_control(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    return people.span_histogram(careers.span_of_control(con, scope),
                                 ctx.caption("employees", trend=False, extra="at the period end"))  # fmt: skip


def _coverage(con, scope, filters, group: str):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    frame = views.one_on_one_coverage(con, ctx.window, group)
    if frame.empty:
        raise NoData("No one-on-ones loaded: import the one_on_ones template (manager, employee, date held).")
    return ctx, frame


@register(
    "retention.one_on_one_coverage_by_org",
    "retention",
    "One-on-one coverage by organisation",
    metrics=("retention.one_on_one_coverage",),
    sources=("employees", "one_on_ones", "teams"),
    note=SUPPRESSION,
)
def one_on_one_coverage_by_org(con, scope, filters):
    ctx, frame = _coverage(con, scope, filters, "org")
    latest = frame[frame["period"] == frame["period"].max()]
    return people.coverage_by_group(latest, ctx.caption("employees, one_on_ones", trend=False), "org")


@register(
    "retention.one_on_one_coverage_trend",
    "retention",
    "One-on-one coverage over time",
    metrics=("retention.one_on_one_coverage",),
    sources=("employees", "one_on_ones"),
)
def one_on_one_coverage_trend(con, scope, filters):
    ctx, frame = _coverage(con, scope, filters, "all")
    return people.coverage_trend(frame, ctx.caption("employees, one_on_ones"), ctx.x_title, True)


def _groups(group: str, noun: str):
    def build(con, scope, filters):
        people_shown(con, scope, filters)
        ctx = Context(scope, filters)
        frame = views.group_summary(con, scope, group)
        return charts.groups_compared(frame, ctx.caption("employees", trend=False,
                                                         extra="attrition: 12 months to the end"), noun)  # fmt: skip

    return build


register("retention.attrition_by_location", "retention", "Headcount and attrition by location",
         metrics=("retention.attrition_rate_ttm",), sources=("employees", "teams"),
         note=SUPPRESSION)(_groups("location", "location"))  # fmt: skip
register("retention.attrition_by_sourcing", "retention", "Headcount and attrition by sourcing",
         metrics=("retention.attrition_rate_ttm",), sources=("employees", "teams"),
         note=SUPPRESSION)(_groups("sourcing", "sourcing"))  # fmt: skip


@register(
    "retention.acquired_attrition_trend",
    "retention",
    "Attrition of acquired companies against organic hires",
    metrics=("retention.attrition_rate_ttm",),
    sources=EMPLOYEES,
    note="A company nobody was in a year earlier has no trailing rate yet.",
)
def acquired_attrition_trend(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    frame = views.attrition_by_period(con, ctx.window, "acquired")
    if frame.empty or set(frame["group"].dropna()) <= {"Organic"}:  # the SQL's name for the rest
        # one line of everyone under an "acquired company" title (the second review)
        raise NoData("No acquired companies in the data: a teams file's acquired_from column names them.")
    return charts.by_group_trend(frame, ctx.caption("employees"), ctx.x_title, "acquired company")


@register(
    "retention.acquired_first_year",
    "retention",
    "First-year attrition: acquired vs organic",
    metrics=("retention.first_year_attrition_rate",),
    sources=EMPLOYEES,
    note=SUPPRESSION,
)
def acquired_first_year(con, scope, filters):
    people_shown(con, scope, filters)
    ctx = Context(scope, filters)
    return charts.first_year(tenure.first_year_by_cohort(con, scope, "acquired"), ctx.caption("employees"))
