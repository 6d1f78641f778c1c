"""People engagement: the latest survey's index, eNPS, participation and favourability,
and the same per survey wave, with small groups suppressed (SPEC §6).

Every number comes from `lib.views.engagement_figures.figures` over the wave as
published (`lib.anonymity.waves`): the period chooses the waves (a wave is in the period
when any of its answers is dated in it) and each wave's figures count all its answers.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib import anonymity
from lib.anonymity import Wave
from lib.scope import Scope
from lib.sql import query_df
from lib.views import params
from lib.views.engagement_figures import Figures, answered_by, figures, in_period, ordered
from lib.views.people_share import different_people, exceeds, people_share


def waves_in_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[Wave]:
    """The published waves the scope's teams answered with an answer dated in the period,
    oldest first (by last answer date, then survey_id)."""
    return [w for w in ordered(anonymity.waves(con)) if in_period(w, scope) and answered_by(w, scope)]


def _employees_active(
    con: duckdb.DuckDBPyConnection, scope: Scope, found: list[tuple[Wave, Figures]]
) -> dict:
    """Employees active on each wave's survey date in the teams its figures count."""
    if not found:
        return {}
    dates = sorted({f.survey_date for _, f in found})
    staff = query_df(con, "engagement/employees_on_dates", params(scope, dates=dates))
    out = {}
    for wave, fig in found:
        day = staff[staff["day"].dt.date == fig.survey_date]
        if fig.shown_teams is not None:
            day = day[day["team"].isin(fig.shown_teams)]
        out[wave.survey_id] = int(day["employees_active"].sum()) if fig.respondents is not None else None
    return out


def wave_figures(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[tuple[Wave, Figures]]:
    """Each wave in the period with its figures over the scope, oldest first."""
    return [(w, figures(w, scope.teams)) for w in waves_in_period(con, scope)]


def engagement_by_wave(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per wave in the period, oldest first: survey_id, survey_date (its last
    answer date), suppressed (respondents hidden), respondents (people), employees_active,
    participation_rate (0–1; null when the respondents outnumber the employees, whose files
    then cover different people: `lib.views.people_share`), enps (−100..100),
    engagement_index (0–1); each figure null when hidden or missing."""
    found = wave_figures(con, scope)
    staff = _employees_active(con, scope, found)
    rows = []
    for wave, fig in found:
        employees = staff.get(wave.survey_id)
        rows.append(
            {
                "survey_id": wave.survey_id,
                "survey_date": pd.Timestamp(fig.survey_date),
                "suppressed": fig.respondents is None,
                "respondents": fig.respondents,
                "employees_active": employees,
                "participation_rate": people_share(fig.respondents, employees) if fig.respondents else None,
                "enps": fig.enps,
                "engagement_index": fig.index,
            }
        )
    columns = ["survey_id", "survey_date", "suppressed", "respondents", "employees_active", "participation_rate",
               "enps", "engagement_index"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).astype(
        {
            "respondents": "float64",
            "employees_active": "float64",
            "participation_rate": "float64",
            "enps": "float64",
            "engagement_index": "float64",
        }  # fmt: skip
    )


def favorability_by_wave(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per wave in the period per Likert dimension: survey_id, survey_date,
    dimension, suppressed, respondents (people with a score on it), favorability (share of
    4–5 answers), suppressed_reason; numbers null when hidden."""
    rows = []
    for wave, fig in wave_figures(con, scope):
        for d in fig.dimensions[~fig.dimensions["is_enps"]].itertuples():
            rows.append(
                {
                    "survey_id": wave.survey_id,
                    "survey_date": pd.Timestamp(fig.survey_date),
                    "dimension": d.dimension,
                    "suppressed": pd.isna(d.respondents),
                    "respondents": d.respondents,
                    "favorability": d.favorable,
                    "suppressed_reason": d.suppressed_reason,
                }
            )
    columns = ["survey_id", "survey_date", "dimension", "suppressed", "respondents", "favorability",
               "suppressed_reason"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _participation_reason(fig: Figures, employees: int | None, participation: float | None) -> str | None:
    """Why participation is missing: respondents hidden, no HR data on the survey date, or
    more respondents than people (`lib.views.people_share`)."""
    if fig.respondents is None:
        return fig.respondents_reason
    if participation is not None:
        return None
    if exceeds(fig.respondents, employees):
        return different_people(
            "respondents", fig.respondents, "people in the HR data on the survey date", employees
        )
    return "no employees loaded for these teams on the survey date"


def engagement_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `engagement.*` catalog key, from the latest wave in the period, and why a
    figure is null.

    Keys: survey_id, respondents, participation_rate, enps, favorability {dimension:
    share}, index, suppressed (respondents hidden), reasons {"respondents" | "enps" |
    "index" | "participation_rate" | "favorability.<dimension>": text, for null figures},
    survey_date, held_back (later answers not shown yet), released_at.
    """
    found = wave_figures(con, scope)
    if not found:
        return {
            "survey_id": None,
            "respondents": None,
            "participation_rate": None,
            "enps": None,
            "favorability": {},
            "index": None,
            "suppressed": False,
            "reasons": {},
            "survey_date": None,
            "held_back": False,
            "released_at": None,
        }
    wave, fig = found[-1]
    employees = _employees_active(con, scope, [(wave, fig)]).get(wave.survey_id)
    participation = people_share(fig.respondents, employees) if fig.respondents else None
    likert = fig.dimensions[~fig.dimensions["is_enps"]]
    reasons = {
        "respondents": fig.respondents_reason,
        "enps": fig.enps_reason,
        "index": fig.index_reason,
        "participation_rate": _participation_reason(fig, employees, participation),
    }
    reasons |= {f"favorability.{d.dimension}": d.suppressed_reason for d in likert.itertuples()}
    return {
        "survey_id": wave.survey_id,
        "respondents": fig.respondents,
        "participation_rate": participation,
        "enps": fig.enps,
        "favorability": {
            str(d.dimension): None if pd.isna(d.favorable) else float(d.favorable)
            for d in likert.itertuples()
        },
        "index": fig.index,
        "suppressed": fig.respondents is None,
        "reasons": {key: text for key, text in reasons.items() if isinstance(text, str) and text},
        "survey_date": fig.survey_date,
        "held_back": wave.held_back,
        "released_at": wave.released_at,
    }
