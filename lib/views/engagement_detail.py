"""The People engagement page's figures beyond the catalog: eNPS split, favourability per
dimension, the team × dimension heatmap, change between waves, drivers, and the link
between psychological safety and delivery.

Every function reads the waves as published (`lib.anonymity.waves`) through
`lib.views.engagement_figures`: a hidden figure is NaN with its reason in
`suppressed_reason`, and filtered figures leave out the cells the plan hides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from lib import anonymity
from lib.question_bank import DIMENSIONS, ENPS, dimension_label
from lib.scope import Scope
from lib.sql import query_df
from lib.views import engagement_figures as figures_module
from lib.views import params, plain
from lib.views.engagement_figures import answered_by, ordered

DRIVER_MIN_RESPONDENTS = 25
LINK_WINDOW_DAYS = 365


def waves(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[tuple[str, dt.date]]:
    """Every published wave the scope's teams answered, any date, oldest first:
    (survey_id, survey_date = its last answer date)."""
    return [(w.survey_id, w.last_date) for w in ordered(anonymity.waves(con)) if answered_by(w, scope)]


def current_wave(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict | None:
    """The latest wave in the period and the one before it (any date), or None.

    Keys: survey_id, survey_date, label (its name in words, `survey_names`), previous_id,
    previous_date, previous_label, waves (ids up to it), held_back (later answers not shown
    yet), released_at (when its figures were cut).
    """
    published = anonymity.waves(con)
    mine = [w for w in ordered(published) if answered_by(w, scope)]
    in_period = [w for w in mine if figures_module.in_period(w, scope)]
    if not in_period:
        return None
    wave = in_period[-1]
    earlier = [w for w in mine if w.last_date < wave.last_date]
    names = survey_names(published.values())
    return {
        "survey_id": wave.survey_id,
        "survey_date": wave.last_date,
        "label": names[wave.survey_id],
        "previous_id": earlier[-1].survey_id if earlier else None,
        "previous_date": earlier[-1].last_date if earlier else None,
        "previous_label": names[earlier[-1].survey_id] if earlier else None,
        "waves": tuple(w.survey_id for w in mine if w.last_date <= wave.last_date),
        "held_back": wave.held_back,
        "released_at": wave.released_at,
    }


def survey_names(published) -> dict[str, str]:
    """survey_id → how a page names the wave: 'Oct 2026 survey' after the month of its last
    answer, '06 Oct 2026 survey' when another wave ended in the same month. An id is the
    export's key ('engagement-2026-10', a UUID), not words for a reader."""
    months: dict[str, int] = {}
    for wave in published:
        months[f"{wave.last_date:%b %Y}"] = months.get(f"{wave.last_date:%b %Y}", 0) + 1
    return {
        w.survey_id: f"{w.last_date:%b %Y} survey"
        if months[f"{w.last_date:%b %Y}"] == 1
        else f"{w.last_date:%d %b %Y} survey"
        for w in published
    }


def named_waves(frame: pd.DataFrame, current: dict) -> tuple[pd.DataFrame, list[str]]:
    """`wave_changes` of the previous and the current wave with each wave's name in place of
    its id, and the names in order, for the chart and its title."""
    names = {current["previous_id"]: current["previous_label"], current["survey_id"]: current["label"]}
    return frame.assign(survey_id=frame["survey_id"].map(names)), [
        current["previous_label"],
        current["label"],
    ]


def _wave(con: duckdb.DuckDBPyConnection, survey_id: str) -> anonymity.Wave | None:
    return anonymity.waves(con).get(survey_id)


def dimensions(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """One row per dimension of the wave over the scope: dimension, label, is_enps,
    respondents (people with a score on it), answers, favorable / neutral / unfavorable
    shares (Likert), promoters / passives / detractors shares and `enps` (eNPS), and
    `suppressed_reason` where a figure is hidden (its numbers NaN)."""
    wave = _wave(con, survey_id)
    if wave is None:
        return pd.DataFrame(columns=figures_module.DIMENSION_COLUMNS)
    return figures_module.figures(wave, scope.teams).dimensions.copy()


def heatmap(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """One row per team × dimension in scope: team, dimension, label, is_enps,
    respondents, value (favourable share 0–1; eNPS −100..100) and `suppressed_reason`
    where the plan hides the cell (value and respondents NaN)."""
    wave = _wave(con, survey_id)
    if wave is None:
        return figures_module.cells_frame()
    return figures_module.cells(wave, scope.teams)


HIDDEN = "hidden"  # a heatmap CSV cell the anonymity plan hides
HEATMAP_CSV_NOTE = (
    "The CSV: one row per team; each dimension's favourable share from 0 to 1, eNPS from −100 to 100; "
    f'a cell the anonymity rule hides reads "{HIDDEN}", never a number.'
)


def heatmap_table(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """The heatmap as the CSV download gives it: one row per team, one column per
    dimension label (favourable share 0–1 rounded to 3 places, eNPS rounded to 1), "hidden"
    where the plan hides a cell. Aggregates only, never a person."""
    cells = heatmap(con, scope, survey_id)
    if cells.empty:
        return pd.DataFrame(columns=["team"])
    cells = cells.assign(
        shown=[round(v, 1 if e else 3) for v, e in zip(cells["value"], cells["is_enps"], strict=True)]
    )
    table = cells.pivot(index="team", columns="label", values="shown")
    order = [dimension_label(d) for d in DIMENSIONS if dimension_label(d) in table.columns]
    table = table[order + [c for c in table.columns if c not in order]].reset_index()
    table.columns.name = None
    return table.astype(object).where(table.notna(), HIDDEN)


def hidden_teams(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> int:
    """How many teams in scope the plan hides as a whole (for "excludes N teams" notes)."""
    wave = _wave(con, survey_id)
    if wave is None:
        return 0
    return (
        figures_module.figures(wave, scope.teams).excluded_teams
        if scope.teams is not None
        else sum(1 for t in wave.decisions.teams if t != anonymity.NO_TEAM)
    )


def wave_changes(con: duckdb.DuckDBPyConnection, scope: Scope, survey_ids: tuple[str, ...]) -> pd.DataFrame:
    """Per wave and dimension (plus `index`): survey_id, dimension, label, value
    (favourable share; eNPS −100..100; index share), respondents (people behind the figure;
    NaN for the index, whose count is not published) and suppressed_reason."""
    rows = []
    published = anonymity.waves(con)
    for survey_id in survey_ids:
        wave = published.get(survey_id)
        if wave is None:
            continue
        fig = figures_module.figures(wave, scope.teams)
        rows.append(
            {
                "survey_id": survey_id,
                "dimension": "index",
                "label": "Engagement index",
                "value": fig.index,
                "respondents": float("nan"),
                "suppressed_reason": fig.index_reason,
            }
        )
        for d in fig.dimensions.itertuples():
            rows.append(
                {
                    "survey_id": survey_id,
                    "dimension": d.dimension,
                    "label": d.label,
                    "value": d.enps if d.is_enps else d.favorable,
                    "respondents": d.respondents,
                    "suppressed_reason": d.suppressed_reason,
                }
            )
    columns = ["survey_id", "dimension", "label", "value", "respondents", "suppressed_reason"]
    return pd.DataFrame(rows, columns=columns).astype({"value": "float64", "respondents": "float64"})


def drivers(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str, target: str = ENPS) -> pd.DataFrame:
    """Respondent-level Pearson correlation of each dimension's mean score with eNPS (or, for
    target "index", with the mean of the respondent's *other* Likert dimensions), over at
    least 25 respondents who have both, in the scope's shown cells. A correlation, not a
    cause. The number of respondents behind each r is not published (it is no sum the
    anonymity check covers); the threshold of 25 is.

    Columns: dimension, label, r, suppressed_reason.
    """
    columns = ["dimension", "label", "r", "suppressed_reason"]
    wave = _wave(con, survey_id)
    if wave is None:
        return pd.DataFrame(columns=columns)
    wide = figures_module.respondent_means(wave, anonymity.answers(con, wave), scope.teams)
    likert = [d for d in wide.columns if d != ENPS]
    rows = []
    for dim in likert:
        if target == ENPS:
            if ENPS not in wide:
                continue
            outcome = wide[ENPS]
        else:
            others = [d for d in likert if d != dim]
            if not others:
                continue
            outcome = wide[others].mean(axis=1)
        pair = pd.DataFrame({"x": wide[dim], "y": outcome}).dropna()
        enough = len(pair) >= DRIVER_MIN_RESPONDENTS and pair["x"].std() > 0 and pair["y"].std() > 0
        rows.append(
            {
                "dimension": dim,
                "label": dimension_label(dim),
                "r": float(pair["x"].corr(pair["y"])) if enough else np.nan,
                "suppressed_reason": None if enough else f"fewer than {DRIVER_MIN_RESPONDENTS} respondents",
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("r", ascending=False, na_position="last").reset_index(drop=True)


def delivery_link(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """Per team in scope whose psychological-safety cell the plan shows: its favourability
    in the wave next to the team's deployments per week, change failure rate and annualised
    attrition over the 12 months to the period's end. Columns: team, respondents (people
    with a psychological-safety score), psychological_safety, deploys_per_week,
    change_failure_rate, attrition_rate."""
    columns = ["team", "respondents", "psychological_safety", "deploys_per_week", "change_failure_rate",
               "attrition_rate"]  # fmt: skip
    cells = heatmap(con, scope, survey_id)
    safety = cells[(cells["dimension"] == "psychological_safety") & cells["suppressed_reason"].isna()]
    if safety.empty:
        return pd.DataFrame(columns=columns)
    window = replace(scope, start=scope.end - dt.timedelta(days=LINK_WINDOW_DAYS))
    outcomes = query_df(
        con, "engagement/team_delivery_link", params(window, link_teams=list(safety["team"]))
    ).set_index("team")
    rows = [
        {
            "team": t.team,
            "respondents": int(t.respondents),
            "psychological_safety": plain(t.value),
            "deploys_per_week": plain(outcomes.at[t.team, "deploys_per_week"]),
            "change_failure_rate": plain(outcomes.at[t.team, "change_failure_rate"]),
            "attrition_rate": plain(outcomes.at[t.team, "attrition_rate"]),
        }
        for t in safety.itertuples()
    ]
    return pd.DataFrame(rows, columns=columns)


def correlation(frame: pd.DataFrame, x: str, y: str) -> tuple[float | None, int]:
    """Pearson r between two columns over rows with both, and how many rows; None under 3."""
    pair = frame[[x, y]].dropna().astype(float)
    if len(pair) < 3 or pair[x].std() == 0 or pair[y].std() == 0:
        return None, len(pair)
    return float(pair[x].corr(pair[y])), len(pair)
