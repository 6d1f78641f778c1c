"""The People engagement page's figures beyond the catalog: eNPS split, favourability per
dimension, the team × dimension heatmap, change between waves, drivers, and the link
between psychological safety and delivery.

Every function returns aggregates that already honour the anonymity plan
(`lib.anonymity`): a figure over fewer respondents than the threshold is NaN with its
reason in `suppressed_reason`, and filtered figures leave out the cells the plan hides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from lib import anonymity
from lib.question_bank import ENPS, dimension_label
from lib.scope import Scope
from lib.sql import query_df, query_rows
from lib.views import params, plain

DRIVER_MIN_RESPONDENTS = 25
LINK_WINDOW_DAYS = 365


def waves(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[tuple[str, dt.date]]:
    """Every survey the scope's teams answered, oldest first: (survey_id, survey_date)."""
    return [(str(r[0]), r[1]) for r in query_rows(con, "engagement/survey_waves", params(scope))]


def current_wave(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict | None:
    """The latest survey dated in the period and the one before it (any date), or None."""
    all_waves = waves(con, scope)
    in_period = [w for w in all_waves if scope.start <= w[1] < scope.end]
    if not in_period:
        return None
    survey_id, survey_date = in_period[-1]
    earlier = [w for w in all_waves if w[1] < survey_date]
    return {
        "survey_id": survey_id,
        "survey_date": survey_date,
        "previous_id": earlier[-1][0] if earlier else None,
        "previous_date": earlier[-1][1] if earlier else None,
        "waves": tuple(w[0] for w in all_waves if w[1] <= survey_date),
    }


def _plan_params(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> tuple[anonymity.Plan, dict]:
    plan = anonymity.plan(con, (survey_id,))
    return plan, params(scope, survey=survey_id, **plan.params())


def dimensions(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """One row per dimension: label, respondents, favorable / neutral / unfavorable shares
    (eNPS: promoters / passives / detractors and `enps`), NaN with a reason when suppressed."""
    plan, bound = _plan_params(con, scope, survey_id)
    k = plan.threshold
    frame = query_df(con, "engagement/dimension_split", bound)
    frame["label"] = frame["dimension"].map(dimension_label)
    frame["enps"] = 100 * (frame["promoters"] - frame["detractors"])
    values = ["answers", "favorable", "neutral", "unfavorable", "promoters", "passives", "detractors", "enps"]
    out = anonymity.mask(frame, "respondents", values, k)
    hidden = out["hidden_org"].fillna(False).astype(bool)
    out.loc[hidden & out["suppressed_reason"].isna(), "suppressed_reason"] = anonymity.reason_text(
        anonymity.COMPLEMENTARY, k
    )
    for column in [*values, "respondents"]:
        out.loc[hidden, column] = np.nan
    return out.drop(columns=["hidden_org"]).reset_index(drop=True)


def heatmap(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """One row per team × dimension in scope: value (favourable share; eNPS −100..100),
    respondents, and `suppressed_reason` where the plan hides the cell (value NaN)."""
    plan, bound = _plan_params(con, scope, survey_id)
    k = plan.threshold
    cells = query_df(con, "engagement/team_dimension", bound)
    reasons = []
    for team, dim in zip(cells["team"], cells["dimension"], strict=True):
        kind = plan.cell_kind(survey_id, team, dim)
        reasons.append(None if kind is None else anonymity.reason_text(kind, k))
    cells["suppressed_reason"] = pd.Series(reasons, dtype=object)
    hidden = cells["suppressed_reason"].notna()
    cells["value"] = cells["value"].astype("float64").where(~hidden)
    cells["respondents"] = cells["respondents"].astype("float64").where(~hidden)
    cells["label"] = cells["dimension"].map(dimension_label)
    return cells


def hidden_teams(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> int:
    """How many teams in scope the plan hides as a whole (for "excludes N teams" notes)."""
    plan = anonymity.plan(con, (survey_id,))
    teams = [t for t in plan.hidden_teams(survey_id) if t != anonymity.NO_TEAM]
    return len(teams) if scope.teams is None else len(set(teams) & set(scope.teams))


def wave_changes(con: duckdb.DuckDBPyConnection, scope: Scope, survey_ids: tuple[str, ...]) -> pd.DataFrame:
    """Per survey and dimension (plus `index` and `enps`): value and respondents, for the
    change between waves. Each wave is suppressed on its own plan."""
    from lib.views.engagement import engagement_by_wave

    rows = []
    for survey_id in survey_ids:
        dims = dimensions(con, scope, survey_id)
        for _, d in dims.iterrows():
            is_enps = d["dimension"] == ENPS
            rows.append(
                {
                    "survey_id": survey_id,
                    "dimension": d["dimension"],
                    "label": d["label"],
                    "value": d["enps"] if is_enps else d["favorable"],
                    "respondents": d["respondents"],
                    "suppressed_reason": d["suppressed_reason"],
                }
            )
    frame = pd.DataFrame(
        rows, columns=["survey_id", "dimension", "label", "value", "respondents", "suppressed_reason"]
    )
    if survey_ids:
        wide = replace(scope, start=dt.date(1900, 1, 1), end=dt.date(2999, 1, 1))
        summary = engagement_by_wave(con, wide)
        summary = summary[summary["survey_id"].isin(survey_ids)]
        k = anonymity.threshold(con)
        extra = [
            {
                "survey_id": s["survey_id"],
                "dimension": "index",
                "label": "Engagement index",
                "value": s["engagement_index"],
                "respondents": s["respondents"],
                "suppressed_reason": anonymity.reason_text(anonymity.PRIMARY, k) if s["suppressed"] else None,
            }
            for _, s in summary.iterrows()
        ]
        frame = pd.concat([pd.DataFrame(extra), frame], ignore_index=True) if extra else frame
    return frame


def drivers(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str, target: str = ENPS) -> pd.DataFrame:
    """Respondent-level Pearson correlation of each dimension's mean score with eNPS (or, for
    target "index", with the mean of the respondent's *other* Likert dimensions), over at
    least 25 respondents. A correlation, not a cause.

    Columns: dimension, label, r, respondents, suppressed_reason.
    """
    _, bound = _plan_params(con, scope, survey_id)
    scores = query_df(con, "engagement/respondent_scores", bound)
    columns = ["dimension", "label", "r", "respondents", "suppressed_reason"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    wide = scores.pivot(index="respondent_id", columns="dimension", values="mean_score")
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
        n = len(pair)
        enough = n >= DRIVER_MIN_RESPONDENTS and pair["x"].std() > 0 and pair["y"].std() > 0
        rows.append(
            {
                "dimension": dim,
                "label": dimension_label(dim),
                "r": float(pair["x"].corr(pair["y"])) if enough else np.nan,
                "respondents": n,
                "suppressed_reason": None if enough else f"fewer than {DRIVER_MIN_RESPONDENTS} respondents",
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("r", ascending=False, na_position="last").reset_index(drop=True)


def delivery_link(con: duckdb.DuckDBPyConnection, scope: Scope, survey_id: str) -> pd.DataFrame:
    """Per team the plan shows: psychological-safety favourability in the survey next to the
    team's deployments per week, change failure rate and annualised attrition over the 12
    months to the period's end. Columns: team, respondents, psychological_safety,
    deploys_per_week, change_failure_rate, attrition_rate."""
    plan, bound = _plan_params(con, scope, survey_id)
    teams = query_df(con, "engagement/team_survey_teams", bound)
    shown = [
        t
        for t in teams.itertuples()
        if not plan.cell_kind(survey_id, t.team, "psychological_safety")
        and not anonymity.too_few(t.safety_respondents, plan.threshold)
    ]
    window = replace(scope, start=scope.end - dt.timedelta(days=LINK_WINDOW_DAYS))
    outcomes = query_df(
        con, "engagement/team_delivery_link", params(window, link_teams=[t.team for t in shown])
    ).set_index("team")
    rows = [
        {
            "team": t.team,
            "respondents": int(t.safety_respondents),
            "psychological_safety": plain(t.psychological_safety),
            "deploys_per_week": plain(outcomes.at[t.team, "deploys_per_week"]),
            "change_failure_rate": plain(outcomes.at[t.team, "change_failure_rate"]),
            "attrition_rate": plain(outcomes.at[t.team, "attrition_rate"]),
        }
        for t in shown
    ]
    columns = ["team", "respondents", "psychological_safety", "deploys_per_week", "change_failure_rate",
               "attrition_rate"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def correlation(frame: pd.DataFrame, x: str, y: str) -> tuple[float | None, int]:
    """Pearson r between two columns over rows with both, and how many rows; None under 3."""
    pair = frame[[x, y]].dropna().astype(float)
    if len(pair) < 3 or pair[x].std() == 0 or pair[y].std() == 0:
        return None, len(pair)
    return float(pair[x].corr(pair[y])), len(pair)
