"""The People engagement page's sections: each reads cached views and lays them out.

Every number comes from `lib.views.engagement_detail` / `lib.views.engagement`, already
suppressed by the anonymity plan; these functions only choose words and places. Every
figure is the registered chart (`lib/charts/registry/engagement.py`, drawn with
`lib.ui.registered.chart`), so the page and the board pack show one computation, cached.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from lib.anonymity import is_hidden_reason
from lib.charts.registry.engagement import LINKS
from lib.formatting import count_of, is_missing
from lib.glossary import explain
from lib.overview import tile_value
from lib.scope import Scope, teams_word
from lib.ui import data, filters, layout, registered
from lib.views import engagement_story as story
from lib.views.engagement_detail import HEATMAP_CSV_NOTE

DETAIL = "lib.views.engagement_detail"


def _threshold() -> int:
    return data.view("lib.anonymity.threshold")


def wave(scope: Scope) -> dict | None:
    return data.view(f"{DETAIL}.current_wave", scope)


def no_survey(scope: Scope) -> None:
    layout.missing(
        f"No survey in {filters.period_text(scope)} for {filters.filter_text().lower()}. "
        "Widen the period, or import a survey export (Google Forms, Microsoft Forms, Culture Amp, "
        "Lattice, or the Survey answers template) on the Data page."
    )


def tiles(scope: Scope, current: dict) -> None:
    """The catalog's engagement keys, shown through the Overview's own `tile_value`."""
    summary = data.view("lib.views.engagement.engagement_summary", scope)
    reasons = summary["reasons"]
    changes = data.frame(f"{DETAIL}.wave_changes", scope, _pair(current))
    prev = current["previous_id"]

    def change(dimension: str, scale: float, unit: str) -> str | None:
        rows = changes[changes["dimension"] == dimension].set_index("survey_id")["value"]
        if prev is None or prev not in rows or current["survey_id"] not in rows:
            return None
        before, now = rows[prev], rows[current["survey_id"]]
        if (
            is_missing(before)
            or is_missing(now)
            or story.too_few_to_compare(changes, prev, current["survey_id"], dimension)
        ):
            return None  # no change shown on fewer than 20 people in a wave, as the change chart's title
        return f"{(now - before) * scale:+.0f} {unit}"

    def no_data(key: str) -> str:
        if key not in reasons:
            return "No data"
        # hidden is not missing (a review: "No data: hidden so that a group … by subtraction")
        return f"{'Hidden' if is_hidden_reason(reasons[key]) else 'No data'}: {reasons[key]}"

    vs = "vs previous wave" if prev else None
    dims = data.frame(f"{DETAIL}.dimensions", scope, current["survey_id"])
    enps_row = dims[dims["is_enps"].astype(bool)]
    split = (
        f"{enps_row['promoters'].iloc[0]:.0%} promoters · {enps_row['passives'].iloc[0]:.0%} passives · "
        f"{enps_row['detractors'].iloc[0]:.0%} detractors"
        if not enps_row.empty and not is_missing(enps_row["promoters"].iloc[0])
        else no_data("enps")
    )
    respondents = summary.get("respondents")
    participation = summary.get("participation_rate")
    layout.tiles(
        [
            layout.Tile(
                "Engagement index",
                tile_value("engagement.index", summary.get("index")),
                delta=change("index", 100, "pts"),
                delta_description=vs,
                band=no_data("index")
                if is_missing(summary.get("index"))
                else "Favourable answers (4–5) over all questions",
                help=explain("engagement.index"),
            ),
            layout.Tile(
                "eNPS",
                tile_value("engagement.enps", summary.get("enps")),
                delta=change("enps", 1, "pts"),
                delta_description=vs,
                band=split,
                help=explain("engagement.enps"),
            ),
            layout.Tile(
                "Participation",
                tile_value("engagement.participation_rate", participation),
                band=(
                    no_data("respondents")
                    if is_missing(respondents)
                    else f"{respondents:,} respondents"
                    + (
                        " of the headcount on the survey date"
                        if not is_missing(participation)
                        else f" · {reasons.get('participation_rate', 'no headcount')}"
                    )
                ),
                help=explain("engagement.participation_rate") + " Needs the HR data (employees).",
            ),
            layout.Tile(
                "Survey closed",
                f"{current['survey_date']:%d %b %Y}",
                band=current["label"]
                + (f" · compared with the {current['previous_label']}" if current["previous_label"] else ""),
                help="The latest survey with an answer dated in the chosen period (its date is its last "
                "answer's); its previous wave is the survey before it.",
            ),
        ]
    )
    hidden_teams = data.view(f"{DETAIL}.hidden_teams", scope, current["survey_id"])
    if hidden_teams and scope.teams is not None:
        st.caption(
            f"Figures for this selection leave out {count_of(hidden_teams, 'team')} hidden by the anonymity rule "
            f"(fewer than {_threshold()} respondents, or hidden so a smaller team can't be worked out)."
        )
    if current.get("held_back"):
        released = current.get("released_at")
        when = f" on {released:%d %b %Y}" if released else ""
        st.caption(
            f"Figures of the {current['label']} are as published{when}. Answers received since are held back "
            f"until, with others, they change at least {_threshold()} people's answers in each team they touch: "
            "shown alone, the change would let a small group's answers be worked out by comparing before and after."
        )


def _pair(current: dict) -> tuple[str, ...]:
    return tuple(s for s in (current["previous_id"], current["survey_id"]) if s)


def favorability(scope: Scope, current: dict) -> None:
    dims = data.frame(f"{DETAIL}.dimensions", scope, current["survey_id"])
    if dims.empty or dims["respondents"].isna().all():
        reasons = data.view("lib.views.engagement.engagement_summary", scope)["reasons"]
        why = reasons.get("respondents") or reasons.get("index") or "every figure is hidden"
        layout.missing(f"No figures for this selection: {why}. Widen the filters.")
        return
    registered.chart("engagement.favorability", scope, key="eng-favorability", span=1)
    if not dims["is_enps"].astype(bool).any():
        layout.missing(
            "This survey has no eNPS question ('How likely are you to recommend … as a place to work')."
        )
        return
    enps = dims[dims["is_enps"].astype(bool)].iloc[0]
    if is_missing(enps["promoters"]):
        layout.missing(f"eNPS not shown: {enps['suppressed_reason']}.")
        return
    registered.chart(
        "engagement.enps_split",
        scope,
        key="eng-enps",
        span=1,
        note=f"n = {enps['respondents']:.0f} respondents answered the eNPS question.",
    )


def heatmap(scope: Scope, current: dict) -> None:
    cells = data.frame(f"{DETAIL}.heatmap", scope, current["survey_id"])
    if cells.empty:
        layout.missing("No team answered this survey: answers need a team column to draw the heatmap.")
        return
    k = _threshold()
    hidden = int(cells.groupby("team")["value"].apply(lambda v: v.isna().all()).sum())
    note = (
        f"Grey cells are hidden: fewer than {k} respondents, or hidden so that a smaller group can't be "
        "worked out by subtracting shown teams from the total. Hover a cell for n and the reason."
    )
    registered.chart(
        "engagement.team_heatmap",
        scope,
        key="eng-heatmap",
        note=note if hidden or cells["value"].isna().any() else None,
        span=1,
    )
    table = data.frame(f"{DETAIL}.heatmap_table", scope, current["survey_id"])
    layout.csv_download(
        "Download the heatmap (CSV)",
        table,
        # the filter's teams in the name: one name for every filter was a review's finding
        file_name=f"engagement-heatmap-survey-of-{current['survey_date']:%Y-%m-%d}-{_who(scope)}.csv",
        key="eng-heatmap-csv",
    )
    st.caption(HEATMAP_CSV_NOTE)


def _who(scope: Scope) -> str:
    """`lib.scope.teams_word` as a file name's slug ('all-teams', 'payments', '3-teams')."""
    return re.sub(r"[^a-z0-9]+", "-", teams_word(scope).lower()).strip("-")


def changes(scope: Scope, current: dict) -> None:
    if not current["previous_id"]:
        st.caption("Only one survey so far: the change between waves appears with the next one.")
        return
    registered.chart(
        "engagement.wave_changes",
        scope,
        key="eng-waves",
        span=1,
        note="n under each bar: the people with a score on that dimension in that wave (the index pools them).",
    )


def drivers(scope: Scope, current: dict) -> None:
    frame = data.frame(f"{DETAIL}.drivers", scope, current["survey_id"], "enps")
    outcome = "eNPS"
    if frame.dropna(subset=["r"]).empty:
        frame = data.frame(f"{DETAIL}.drivers", scope, current["survey_id"], "index")
        outcome = "the rest of the engagement index"
    if frame.dropna(subset=["r"]).empty:
        layout.missing(
            "Driver analysis needs at least 25 respondents in the selection; widen the filters to see it."
        )
        return
    registered.chart(
        "engagement.drivers",
        scope,
        key="eng-drivers",
        span=1,
        note=(
            f"Pearson correlation between each person's mean score on a dimension and their {outcome}, "
            f"over at least 25 respondents who answered both. It shows which dimensions move together with "
            f"{outcome}, not what causes it."
        ),
    )


def delivery_link(scope: Scope, current: dict) -> None:
    frame = data.frame(f"{DETAIL}.delivery_link", scope, current["survey_id"])
    why = story.link_missing(frame)
    if why:
        layout.missing(why)
        return
    notes = [story.link_caption(*_corr(frame, y), label) for y, label, *_ in LINKS]
    registered.chart("engagement.safety_and_delivery", scope, key="eng-link", note=" ".join(notes), span=1)


def _corr(frame: pd.DataFrame, y: str) -> tuple[float | None, int]:
    from lib.views.engagement_detail import correlation

    return correlation(frame, "psychological_safety", y)
