"""The Skills & capabilities page: headline tiles, then one tab per section (skills
matrix, learning, AI adoption, AI and delivery).

Numbers come from `lib.views` through the cache; every figure is the registered chart
(`lib/charts/registry/skills.py`, drawn with `lib.ui.registered.chart`), so the page and
the board pack show one computation. This module only lays them out and says what is
missing. Only
the open tab is computed and drawn (bound to `?section=`), as on the Delivery page.
Per-person figures (mean proficiency, learning hours per engineer) of a group smaller
than the anonymity threshold are hidden; nobody is named.
"""

from __future__ import annotations

import streamlit as st

from lib.charts.skills import LEVELS
from lib.definitions import definition_for
from lib.formatting import NO_DATA, format_value, is_missing, relative_change
from lib.glossary import explain
from lib.scope import Scope
from lib.ui import data, filters, layout, registered
from lib.views.people_share import different_people
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


def _threshold() -> int:
    return data.view("lib.anonymity.threshold")


# ---------------------------------------------------------------------------- tiles

TILES = (
    (
        "ai_adoption_rate",
        "AI adoption",
        "Daily active AI users as a share of headcount (last 28 days of the period)",
    ),
    ("ai_acceptance_rate", "Suggestions accepted", "Share of AI suggestions accepted, all tools"),
    ("ai_assisted_pr_share", "AI-assisted PRs", "Merged pull requests flagged AI-assisted"),
    ("learning_hours_per_engineer_annualized", "Learning hours", "Per engineer, annualised"),
    ("certifications", "Certifications", "Earned in the period"),
    ("experiments", "Experiments", "Participations in experiments (hackathons, spikes, innovation time)"),
    ("bus_factor_risks", "Bus-factor risks", "Skills held at level 3+ by one person only"),
    ("skill_gap_share", "Skills below target", "Share of skills rows below their target"),
)
PER_PERSON = ("learning_hours_per_engineer_annualized", "skill_gap_share", "ai_adoption_rate")


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
        if key == "ai_adoption_rate" and now.get("ai_users_exceed_headcount"):
            band = "No data: " + different_people(
                "daily AI users",
                now["ai_active_users_daily_mean"],
                "people in the HR data",
                now["headcount_end"],
            )
        delta, color = _delta(key, value, previous)
        help_text = (
            explain(f"skills.{key}")
            if key != "experiments"
            else "Hackathon, spike and innovation-time participations in the period."
        )
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
    registered.chart(
        "skills.matrix_heatmap",
        scope,
        span=1,
        note=(
            "Each cell: mean proficiency of the team's people who rated the skill, against their target (their own, "
            f"else the team's). Levels: {LEVELS}. Grey cells are hidden: fewer than {_threshold()} people. "
            "Hover a cell for n."
        ),
    )
    risks = data.view(f"{CHARTS}.risks", scope)
    left, right = st.columns([3, 2])
    with left:
        registered.chart("skills.coverage_and_bus_factor", scope, span=0.6,
                         note="A coverage gap: the team has a target for the skill and none of its people reaches "
                         "it. A bus-factor risk: one person holds the skill at level 3 or more.")  # fmt: skip
    with right:
        st.markdown("**Coverage gaps** (team needs it; nobody there at target)")
        gaps = risks["gaps"].rename(columns={"team": "Team", "skill": "Skill", "team_target": "Target",
                                             "people_rated": "People rated"})  # fmt: skip
        layout.table(gaps, hide_index=True, width="stretch", height=min(36 * (len(gaps) + 1) + 3, 260))
        st.markdown("**Held by one person in the team** (level 3+)")
        single = risks["single_holders"].rename(columns={"team": "Team", "skill": "Skill",
                                                         "people_rated": "People rated"})  # fmt: skip
        layout.table(single, hide_index=True, width="stretch", height=min(36 * (len(single) + 1) + 3, 260))


def learning_section(scope: Scope, c: dict) -> None:
    if not c["learning_rows"]:
        layout.nothing_to_draw("No learning data yet (see the note above).")
        return
    choice = st.segmented_control(
        "Group by", list(GROUPINGS), default="Team", required=True, key="learning_by"
    )
    by = GROUPINGS[choice or "Team"]
    note = (
        f"Hidden: groups of fewer than {_threshold()} people on average, and the next-smallest while the hidden "
        "ones together hold fewer (so the total can't give them away)."
    )
    registered.chart(f"skills.learning_hours_by_{by}", scope, key="skills-learning-hours", note=note, span=1)
    registered.chart(f"skills.certifications_by_{by}", scope, key="skills-certifications", span=1)
    ex = data.view(f"{CHARTS}.experiments", scope)
    left, right = st.columns([3, 2])
    with left:
        registered.chart("skills.experiments", scope, span=0.6)
    with right:
        st.markdown("**Experiments in the window** (hackathons, spikes, innovation time)")
        runs = ex["runs"].rename(columns={"title": "Experiment", "participants": "People", "teams": "Teams",
                                          "hours": "Hours", "first_date": "First", "last_date": "Last"})  # fmt: skip
        layout.table(runs, hide_index=True, width="stretch", height=min(36 * (len(runs) + 1) + 3, 380))


def adoption_section(scope: Scope, c: dict) -> None:
    if not c["ai_usage_rows"] and not c["pull_requests_with_ai_flag"]:
        layout.nothing_to_draw("No AI usage data yet (see the note above).")
        return
    left, right = st.columns(2)
    with left:
        registered.chart("skills.ai_adoption_trend", scope,
                         note="Active: used the tool that day. Engaged: used a feature beyond completions (as each "
                         "tool defines it). Daily means over days with data; a person using two tools counts twice.")  # fmt: skip
    with right:
        registered.chart("skills.ai_tools_trend", scope)
    left, right = st.columns(2)
    with left:
        registered.chart("skills.ai_acceptance_trend", scope)
    with right:
        registered.chart("skills.ai_assisted_prs_trend", scope)
    registered.chart("skills.ai_adoption_by_team", scope, span=1,
                     note="Headcount in brackets. Seats where the source gives them.")  # fmt: skip
    registered.chart("skills.ai_adoption_by_team_trend", scope, span=1)
    registered.chart("skills.ai_assisted_prs_by_team", scope, span=1)


def delivery_section(scope: Scope, c: dict) -> None:
    if not c["ai_usage_rows"] or not c["deployments"]:
        layout.nothing_to_draw("AI against delivery needs AI usage per team and deployments.")
        return
    registered.chart("skills.lead_time_and_ai", scope, span=1)
    registered.chart("skills.ai_delivery_before_after", scope, span=1)
    unit = data.view(f"{CHARTS}.team_unit", scope)
    st.markdown(
        f"**How to read it.** A {unit}'s adoption week is the first week its highest daily number of "
        f"active AI users reached {ADOPTION_SHARE:.0%} of its headcount. Each side covers the same number of "
        f"days ({WINDOW_DAYS}, or fewer when adoption is recent); a {unit} needs {MIN_DEPLOYMENTS} "
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
