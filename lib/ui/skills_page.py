"""The Skills & capabilities page: headline tiles, then one tab per section (skills
matrix, learning, AI adoption, AI and delivery).

Numbers come from `lib.views` through the cache, figures from `lib.charts.skills` and
`lib.charts.skills_ai`; this module only lays them out and says what is missing. Only
the open tab is computed and drawn (bound to `?section=`), as on the Delivery page.
Per-person figures (mean proficiency, learning hours per engineer) of a group smaller
than the anonymity threshold are hidden; nobody is named.
"""

from __future__ import annotations

import streamlit as st

from lib.charts import caption_text
from lib.charts import skills as charts
from lib.charts import skills_ai as ai_charts
from lib.formatting import NO_DATA, format_value, is_missing, relative_change
from lib.metrics import definition_for
from lib.scope import Scope
from lib.ui import data, filters, layout
from lib.views.skills_ai import ADOPTION_SHARE, CAVEATS, MIN_DEPLOYMENTS, MIN_WINDOW_DAYS, WINDOW_DAYS

CHARTS = "lib.views.skills_charts"
SKILLS = "lib.views.skills"
GROUPINGS = {"Team": "team", "Location": "location", "Org": "org"}


def header(scope: Scope) -> None:
    layout.page_header(
        "Skills & capabilities",
        f"{filters.period_text(scope)} · {filters.filter_text()} · learning, experimentation and AI adoption, "
        "invested in deliberately: tiles compare with the previous period of equal length",
    )


def _caption(source: str, window: Scope) -> str:
    return caption_text(source, filters.period_text(window), filters.filter_text())


def _threshold() -> int:
    return data.view("lib.anonymity.threshold")


# ---------------------------------------------------------------------------- tiles

TILES = (
    ("ai_adoption_rate", "AI adoption", "Daily active AI users ÷ headcount (last 28 days of the period)"),
    ("ai_acceptance_rate", "Suggestions accepted", "Acceptances ÷ suggestions, all tools"),
    ("ai_assisted_pr_share", "AI-assisted PRs", "Merged pull requests flagged AI-assisted"),
    ("learning_hours_per_engineer_annualized", "Learning hours", "Per engineer, annualised"),
    ("certifications", "Certifications", "Earned in the period"),
    ("experiments", "Experiments", "Participations in experiments (hackathons, spikes, innovation time)"),
    ("bus_factor_risks", "Bus-factor risks", "Skills held at level 3+ by one person only"),
    ("skill_gap_share", "Skills below target", "Share of skills rows below their target"),
)
PER_PERSON = ("learning_hours_per_engineer_annualized", "skill_gap_share")


def _tile_value(key: str, value) -> str:
    if is_missing(value):
        return NO_DATA
    if key == "learning_hours_per_engineer_annualized":
        return f"{value:.0f} h/yr"
    if key in ("certifications", "experiments", "bus_factor_risks"):
        return f"{value:,.0f}"
    return format_value(value, "%")


def _delta(key: str, now, before) -> tuple[str | None, str]:
    if is_missing(now) or is_missing(before):
        return None, "off"
    higher = definition_for(f"skills.{key}").higher_is_better if key != "experiments" else True
    color = "off" if higher is None else ("normal" if higher else "inverse")
    if key in ("ai_adoption_rate", "ai_acceptance_rate", "ai_assisted_pr_share", "skill_gap_share"):
        points = (now - before) * 100
        return (f"{points:+.1f} pts" if abs(points) >= 0.05 else None), color
    change = relative_change(now, before)
    return (None if change is None or change == 0 else f"{change * 100:+.0f}%"), color


def tiles(scope: Scope) -> dict:
    """Eight tiles: the skills catalog keys and experiments, against the previous period."""
    now = data.view(f"{SKILLS}.skills_summary", scope)
    before = data.view(f"{SKILLS}.skills_summary", scope.previous())
    k = _threshold()
    small = not is_missing(now.get("headcount_end")) and 0 < now["headcount_end"] < k
    items = []
    for key, label, band in TILES:
        value, previous = now.get(key), before.get(key)
        if small and key in PER_PERSON:
            items.append(layout.Tile(label, NO_DATA, band=f"Hidden: fewer than {k} people in the filter"))
            continue
        delta, color = _delta(key, value, previous)
        help_text = definition_for(f"skills.{key}").definition if key != "experiments" else None
        items.append(
            layout.Tile(label, _tile_value(key, value), delta=delta, delta_color=color,
                        delta_description="vs previous period", band=band, help=help_text)
        )  # fmt: skip
    layout.tiles(items, per_row=4)
    return now


def notes(scope: Scope) -> dict:
    """Name what the page lacks, and the people it could not link to an employee."""
    c = data.view(f"{SKILLS}.coverage", scope)
    if not c["skills_rows"]:
        layout.missing("No skills data: import a skills matrix (one row per person, one column per skill, or "
                       "person, skill, level rows) to see proficiency, coverage gaps and bus-factor risks.")  # fmt: skip
    if not c["learning_rows"]:
        layout.missing("No learning data: import an LMS export (Pluralsight, Udemy Business, LinkedIn Learning, "
                       "Coursera, Docebo) or the learning template to see hours, certifications and experiments.")  # fmt: skip
    if not c["ai_usage_rows"]:
        layout.missing("No AI usage data: import GitHub Copilot metrics, Cursor daily usage or a daily usage CSV "
                       "per team and tool to see adoption.")  # fmt: skip
    elif c["ai_org_rows"] and not c["ai_team_rows"]:
        st.caption("AI usage comes from organisation-level exports without teams: it counts for the whole "
                   "organisation only. Import Copilot's per-user report with a user→team list for team figures.")  # fmt: skip
    if c["pull_requests"] and not c["pull_requests_with_ai_flag"]:
        st.caption("Pull requests carry no AI-assisted flag, so the AI-assisted share is unknown.")
    if c["employees"]:
        linked = data.view("lib.views.skills_matrix.unlinked_people")
        parts = []
        if linked["skills_people_unlinked"]:
            parts.append(
                f"{linked['skills_people_unlinked']} of {linked['skills_people']} people in the skills data"
            )
        if linked["learning_people_unlinked"]:
            parts.append(
                f"{linked['learning_people_unlinked']} of {linked['learning_people']} people in the learning data"
            )
        if parts:
            st.caption(
                " and ".join(parts)
                + " match no employee by employee id or work e-mail: their skills are left "
                "out; their learning counts for the whole organisation only. Import the HRIS report that "
                "carries their id or e-mail to link them."
            )
    return c


# ---------------------------------------------------------------------------- sections


def matrix_section(scope: Scope, c: dict) -> None:
    if not c["skills_rows"]:
        layout.nothing_to_draw("No skills data yet (see the note above).")
        return
    k = _threshold()
    agg = data.view(f"{CHARTS}.matrix", scope)
    as_of = f"people active on {agg['as_of']:%d %b %Y}"
    caption = caption_text("skills, skill_targets, employees", as_of, filters.filter_text())
    layout.chart(
        charts.matrix_heatmap(agg, caption),
        "skills-matrix",
        note=(
            f"Each cell: mean proficiency of the {agg['unit']}'s people who rated the skill, against their "
            f"target (their own, else the team's). Levels: {charts.LEVELS}. Grey cells are hidden: fewer than "
            f"{k} people. Hover a cell for n."
        ),
    )
    risks = data.view(f"{CHARTS}.risks", scope)
    left, right = st.columns([3, 2])
    with left:
        layout.chart(charts.risks_bars(risks, caption), "skills-risks",
                     note="A coverage gap: the team has a target for the skill and none of its people reaches it. "
                     "A bus-factor risk: one person holds the skill at level 3 or more.")  # fmt: skip
    with right:
        st.markdown("**Coverage gaps** (team needs it; nobody there at target)")
        gaps = risks["gaps"].rename(columns={"team": "Team", "skill": "Skill", "team_target": "Target",
                                             "people_rated": "People rated"})  # fmt: skip
        st.dataframe(gaps, hide_index=True, width="stretch", height=min(36 * (len(gaps) + 1) + 3, 260))
        st.markdown("**Held by one person in the team** (level 3+)")
        single = risks["single_holders"].rename(columns={"team": "Team", "skill": "Skill",
                                                         "people_rated": "People rated"})  # fmt: skip
        st.dataframe(single, hide_index=True, width="stretch", height=min(36 * (len(single) + 1) + 3, 260))


def learning_section(scope: Scope, c: dict) -> None:
    if not c["learning_rows"]:
        layout.nothing_to_draw("No learning data yet (see the note above).")
        return
    choice = st.segmented_control(
        "Group by", list(GROUPINGS), default="Team", required=True, key="learning_by"
    )
    agg = data.view(f"{CHARTS}.learning", scope, GROUPINGS[choice or "Team"])
    caption = _caption("learning, employees", agg["window"])
    note = (
        f"Hidden: groups of fewer than {_threshold()} people on average, and the next-smallest while the hidden "
        "ones together hold fewer (so the total can't give them away)."
    )
    layout.chart(charts.learning_hours(agg, caption), "skills-learning-hours", note=note)
    layout.chart(charts.certifications(agg, caption), "skills-certifications")
    ex = data.view(f"{CHARTS}.experiments", scope)
    left, right = st.columns([3, 2])
    with left:
        layout.chart(charts.experiments_bars(ex, _caption("learning (kind experiment)", ex["window"])),
                     "skills-experiments")  # fmt: skip
    with right:
        st.markdown("**Experiments in the window** (hackathons, spikes, innovation time)")
        runs = ex["runs"].rename(columns={"title": "Experiment", "participants": "People", "teams": "Teams",
                                          "hours": "Hours", "first_date": "First", "last_date": "Last"})  # fmt: skip
        st.dataframe(runs, hide_index=True, width="stretch", height=min(36 * (len(runs) + 1) + 3, 380))


def adoption_section(scope: Scope, c: dict) -> None:
    if not c["ai_usage_rows"] and not c["pull_requests_with_ai_flag"]:
        layout.nothing_to_draw("No AI usage data yet (see the note above).")
        return
    adoption = data.view(f"{CHARTS}.ai_adoption", scope)
    tools = data.view(f"{CHARTS}.ai_tools", scope)
    left, right = st.columns(2)
    with left:
        layout.chart(ai_charts.adoption_trend(adoption, _caption("ai_usage, employees", adoption["window"])),
                     "skills-ai-adoption",
                     note="Active: used the tool that day. Engaged: used a feature beyond completions (as each "
                     "tool defines it). Daily means over days with data; a person using two tools counts twice.")  # fmt: skip
    with right:
        layout.chart(ai_charts.tools_trend(tools, _caption("ai_usage", tools["window"])), "skills-ai-tools")
    left, right = st.columns(2)
    with left:
        layout.chart(
            ai_charts.acceptance_trend(tools, _caption("ai_usage", tools["window"])), "skills-ai-acceptance"
        )
    with right:
        prs = data.view(f"{CHARTS}.ai_prs", scope)
        layout.chart(ai_charts.prs_trend(prs, _caption("pull_requests", prs["window"])), "skills-ai-prs")
    teams = data.view(f"{CHARTS}.ai_teams", scope)
    window = Scope(teams["start"], teams["end"], scope.grain, scope.teams)
    layout.chart(ai_charts.teams_bars(teams, _caption("ai_usage, employees", window)), "skills-ai-teams",
                 note="Headcount in brackets. Seats where the source gives them.")  # fmt: skip


def delivery_section(scope: Scope, c: dict) -> None:
    if not c["ai_usage_rows"] or not c["deployments"]:
        layout.nothing_to_draw("AI against delivery needs AI usage per team and deployments.")
        return
    trend = data.view(f"{CHARTS}.ai_lead_time", scope)
    layout.chart(
        ai_charts.lead_time_trend(trend, _caption("deployments, ai_usage, employees", trend["window"])),
        "skills-ai-lead-time",
    )
    agg = data.view(f"{CHARTS}.ai_delivery", scope)
    caption = caption_text(
        "deployments, incidents, ai_usage, employees",
        f"{WINDOW_DAYS}-day windows either side of each adoption week, ending by {agg['end']:%d %b %Y}",
        filters.filter_text(),
    )
    layout.chart(ai_charts.delivery_panels(agg, caption), "skills-ai-delivery")
    st.markdown(
        f"**How to read it.** A {agg['unit']}'s adoption week is the first week its highest daily number of "
        f"active AI users reached {ADOPTION_SHARE:.0%} of its headcount. Each side covers the same number of "
        f"days ({WINDOW_DAYS}, or fewer when adoption is recent); a {agg['unit']} needs {MIN_DEPLOYMENTS} "
        f"production deployments on each side and {MIN_WINDOW_DAYS} days since adoption, else the chart says "
        "too little data. The labels give the deployments behind each side; hover a dot for the figure and its n."
    )
    st.info("**Caveats.**\n\n" + "\n".join(f"- {text}" for text in CAVEATS), icon=":material/info:")


SECTIONS = {
    "Skills matrix": matrix_section,
    "Learning": learning_section,
    "AI adoption": adoption_section,
    "AI and delivery": delivery_section,
}


def sections(scope: Scope, c: dict) -> None:
    """One tab per section, bound to `?section=` so a view can be shared; only the open one runs."""
    tabs = st.tabs(list(SECTIONS), key="section", on_change="rerun", bind="query-params")
    for tab, draw in zip(tabs, SECTIONS.values(), strict=True):
        if tab.open:
            with tab:
                draw(scope, c)
