"""The People engagement page's charts, built exactly as `lib/ui/engagement_page.py` builds them:
the latest survey in the period, the same suppressed aggregates (`lib.views.engagement_detail`,
which apply the anonymity plan, complementary suppression included), the same titles
(`lib.views.engagement_story`) and builders (`lib.charts.engagement`). A figure hidden on the
page is hidden in the deck: the slide says why instead.
`tests/app/test_chart_registry.py` checks each against the page's figure.
"""

from __future__ import annotations

from lib.anonymity import threshold
from lib.charts import caption_text
from lib.charts import engagement as charts
from lib.charts.registry import NoData, register
from lib.formatting import is_missing
from lib.question_bank import DIMENSIONS
from lib.scope import period_text
from lib.views import engagement_detail as detail
from lib.views import engagement_story as story
from lib.views.engagement import engagement_summary

SOURCE = "survey_responses"
SOURCES = ("survey_responses",)
SUPPRESSION = (
    "Results over fewer respondents than the anonymity threshold are hidden, as are groups that "
    "could be worked out by subtracting shown groups from the total."
)


def _caption(scope, filters: str, survey: str, extra: str = "") -> str:
    text = caption_text(f"{SOURCE}, {survey}", period_text(scope), filters)
    return f"{text} · {extra}" if extra else text


def _wave(con, scope, filters: str) -> dict:
    current = detail.current_wave(con, scope)
    if current is None:
        raise NoData(
            f"No survey in {period_text(scope)} for {filters.lower()}. Widen the period, or import a survey "
            "export (Google Forms, Microsoft Forms, Culture Amp, Lattice, or the Survey answers template)."
        )
    return current


def _dimensions(con, scope, filters):
    current = _wave(con, scope, filters)
    dims = detail.dimensions(con, scope, current["survey_id"])
    if dims.empty or dims["respondents"].isna().all():
        reasons = engagement_summary(con, scope)["reasons"]
        why = reasons.get("respondents") or reasons.get("index") or "every figure is hidden"
        raise NoData(f"No figures for this selection: {why}. Widen the filters.")
    return current, dims


@register(
    "engagement.favorability",
    "engagement",
    "Favourability per dimension",
    metrics=("engagement.favorability.DIMENSION", "engagement.index"),
    sources=SOURCES,
    note=SUPPRESSION,
)
def favorability(con, scope, filters):
    current, dims = _dimensions(con, scope, filters)
    return charts.favorability_bars(
        dims, story.favorability_title(dims), _caption(scope, filters, current["label"])
    )


@register(
    "engagement.enps_split",
    "engagement",
    "eNPS: promoters, passives, detractors",
    metrics=("engagement.enps",),
    sources=SOURCES,
    note=SUPPRESSION,
)
def enps_split(con, scope, filters):
    current, dims = _dimensions(con, scope, filters)
    enps = dims[dims["is_enps"].astype(bool)]
    if enps.empty:
        raise NoData(
            "This survey has no eNPS question ('How likely are you to recommend … as a place to work')."
        )
    if is_missing(enps["promoters"].iloc[0]):
        raise NoData(f"eNPS not shown: {enps['suppressed_reason'].iloc[0]}.")
    return charts.enps_split(dims, story.enps_title(dims), _caption(scope, filters, current["label"]))


@register(
    "engagement.team_heatmap",
    "engagement",
    "Team × dimension heatmap",
    metrics=("engagement.favorability.DIMENSION", "engagement.enps"),
    sources=SOURCES,
    note="Grey cells are hidden by the anonymity rule. " + SUPPRESSION,
)
def team_heatmap(con, scope, filters):
    current = _wave(con, scope, filters)
    cells = detail.heatmap(con, scope, current["survey_id"])
    if cells.empty:
        raise NoData("No team answered this survey: answers need a team column to draw the heatmap.")
    if cells["value"].isna().all():  # the page draws an all-grey grid; a slide says why instead
        raise NoData(
            f"Every cell is hidden for this selection: fewer than {threshold(con)} respondents per team and "
            "dimension, or hidden so that a smaller group can't be worked out. Widen the filters."
        )
    return charts.heatmap(
        cells, story.heatmap_title(cells), _caption(scope, filters, current["label"]), list(DIMENSIONS)
    )


@register(
    "engagement.wave_changes",
    "engagement",
    "Change since the previous survey wave",
    metrics=("engagement.index", "engagement.favorability.DIMENSION"),
    sources=SOURCES,
    note=SUPPRESSION,
)
def wave_changes(con, scope, filters):
    current = _wave(con, scope, filters)
    if not current["previous_id"]:
        raise NoData("Only one survey so far: the change between waves appears with the next one.")
    pair = (current["previous_id"], current["survey_id"])
    frame, names = detail.named_waves(detail.wave_changes(con, scope, pair), current)
    return charts.wave_changes(
        frame,
        names,
        story.wave_title(frame, *names),
        _caption(scope, filters, current["label"], f"compared with the {current['previous_label']}"),
    )


@register(
    "engagement.drivers",
    "engagement",
    "Drivers of engagement (correlations)",
    metrics=("engagement.enps", "engagement.index"),
    sources=SOURCES,
    note="Pearson correlation between each person's mean score on a dimension and their eNPS (else the rest "
    "of the engagement index): which dimensions move together with it, not what causes it.",
)
def drivers(con, scope, filters):
    current = _wave(con, scope, filters)
    frame = detail.drivers(con, scope, current["survey_id"], "enps")
    outcome = "eNPS"
    if frame.dropna(subset=["r"]).empty:
        frame = detail.drivers(con, scope, current["survey_id"], "index")
        outcome = "the rest of the engagement index"
    if frame.dropna(subset=["r"]).empty:
        raise NoData(
            "Driver analysis needs at least 25 respondents in the selection; widen the filters to see it."
        )
    title = story.drivers_title(frame, outcome)
    return charts.drivers(frame, title, _caption(scope, filters, current["label"]), outcome)


# (column, label, y title, y format, safer teams …, higher is good); the page's notes read them too.
LINKS = (
    ("deploys_per_week", "deployment frequency", "Deployments per week", ".1f", "deploy more often", True),
    (
        "change_failure_rate",
        "change failure rate",
        "Change failure rate (%)",
        ".0%",
        "fail less often",
        False,
    ),
    ("attrition_rate", "attrition", "Annualised attrition (%)", ".0%", "lose fewer people", False),
)


@register(
    "engagement.safety_and_delivery",
    "engagement",
    "Psychological safety against delivery and attrition",
    metrics=(
        "engagement.favorability.DIMENSION",
        "delivery.deployment_frequency_per_week",
        "delivery.change_failure_rate",
        "retention.attrition_rate_annualized",
    ),
    sources=("survey_responses", "deployments", "incidents", "employees"),
    note="One dot per team with enough respondents; Pearson r across teams. Teams differ in more than "
    "safety: this shows association, not cause.",
)
def safety_and_delivery(con, scope, filters):
    current = _wave(con, scope, filters)
    frame = detail.delivery_link(con, scope, current["survey_id"])
    why = story.link_missing(frame)
    if why:
        raise NoData(why)
    panels, good = [], []
    for y, label, y_title, y_format, better, higher_good in LINKS:
        r, _n = detail.correlation(frame, "psychological_safety", y)
        panels.append(
            {
                "column": y,
                "title": f"{label.capitalize()}: r = {r:.2f}" if r is not None else f"{label}: too few teams",
                "y_title": y_title,
                "y_format": y_format,
            }
        )
        if r is not None and abs(r) >= 0.3 and (r > 0) == higher_good:
            good.append(better)
    title = (
        "Safer teams " + ", ".join(good[:-1]) + (" and " if len(good) > 1 else "") + good[-1]
        if good
        else "Psychological safety shows no clear link to delivery in this selection"
    )
    caption = _caption(
        scope, filters, current["label"], "delivery and attrition over the 12 months to period end"
    )
    return charts.safety_panels(frame, panels, title, caption)
