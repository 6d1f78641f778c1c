"""Engagement surveys: a quarterly wave answered by most of the people employed that day.

Each answer is a hidden opinion (the dimension's base level, the team's climate, the
person's disposition, a wave-to-wave wobble and noise) cut into a 1–5 Likert score.
Psychological safety follows the team's hidden safety most closely; eNPS (0–10) follows
safety, growth and recognition, so driver analysis has something to find. The acquired
teams' trust and autonomy dip in the first waves after the acquisition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo.people import Staff
from lib.demo.world import World, labels

DIMENSIONS = ("psychological_safety", "autonomy", "trust", "growth", "workload", "recognition")
CODES = ("ps", "au", "tr", "gr", "wl", "rc")
QUESTIONS_PER_DIMENSION = 3
QUESTION_IDS = (*(f"{c}{k}" for c in CODES for k in range(1, QUESTIONS_PER_DIMENSION + 1)), "enps")
QUESTION_DIMENSION = np.append(
    np.repeat(np.arange(len(DIMENSIONS)), QUESTIONS_PER_DIMENSION), len(DIMENSIONS)
)
BASE = np.array([0.35, 0.45, 0.40, 0.20, -0.05, 0.25])
SAFETY_LOADING = np.array([0.9, 0.5, 0.6, 0.4, 0.3, 0.5])
CLIMATE_NOISE = np.array([0.1, 0.3, 0.3, 0.3, 0.3, 0.3])
LIKERT_CUTS = np.array([-1.5, -0.7, 0.05, 1.0])
ENPS_WEIGHTS = np.array([0.45, 0.1, 0.1, 0.35, 0.0, 0.3])


def survey_responses(world: World, staff: Staff) -> pd.DataFrame:
    rng = world.rng("surveys")
    n_teams, n_dims = len(world.teams), len(DIMENSIONS)
    acquired_team = np.array([t.acquired for t in world.teams])
    climate = SAFETY_LOADING * world.safety[:, None] + rng.normal(0, CLIMATE_NOISE, (n_teams, n_dims))
    disposition = rng.normal(0, 0.4, (len(staff), 1)) + rng.normal(0, 0.25, (len(staff), n_dims))
    question_shift = rng.normal(0, 0.12, n_dims * QUESTIONS_PER_DIMENSION)
    post_deal_dip = np.zeros(n_dims)
    post_deal_dip[[DIMENSIONS.index("trust"), DIMENSIONS.index("autonomy")]] = -0.45

    parts = []
    for day in world.wave_days:
        present = staff.active_on(day) & (world.active_from[staff.team] <= day)
        answers = present & (rng.random(len(staff)) < 0.8 + 0.08 * world.safety[staff.team])
        who = np.nonzero(answers)[0]
        team = staff.team[who]
        wobble = rng.normal(0, 0.08, (n_teams, n_dims))[team]
        fresh = acquired_team[team] & (day - world.acquisition_day < 200)
        opinion = BASE + climate[team] + disposition[who] + wobble + 0.15 * world.progress[day]
        opinion = opinion + np.where(fresh[:, None], post_deal_dip, 0.0)

        per_question = np.repeat(opinion, QUESTIONS_PER_DIMENSION, axis=1) + question_shift
        per_question += rng.normal(0, 0.7, per_question.shape)
        likert = 1 + (per_question[:, :, None] > LIKERT_CUTS).sum(axis=2)
        advocacy = opinion @ ENPS_WEIGHTS / ENPS_WEIGHTS.sum()
        enps = np.clip(np.round(7.0 + 2.2 * advocacy + rng.normal(0, 1.3, len(who))), 0, 10)
        disgruntled = rng.random(len(who)) < 0.03 + 0.04 * np.maximum(-world.safety[team], 0)
        enps = np.where(disgruntled, rng.integers(0, 5, len(who)), enps)
        scores = np.column_stack([likert, enps])
        parts.append((np.full(len(who), day), who, scores))

    day = np.concatenate([np.repeat(p[0], len(QUESTION_IDS)) for p in parts])
    who = np.concatenate([np.repeat(p[1], len(QUESTION_IDS)) for p in parts])
    scores = np.concatenate([p[2].ravel() for p in parts])
    question = np.tile(np.arange(len(QUESTION_IDS)), len(who) // len(QUESTION_IDS))
    dates = world.dates(day)
    survey_id = "engagement-" + pd.Series(dates.astype("datetime64[M]").astype(str))
    return pd.DataFrame(
        {
            "survey_id": survey_id,
            "survey_date": dates,
            "respondent_id": staff.ids.to_numpy()[who],
            "team": labels(staff.team[who], [t.team for t in world.teams]),
            "question_id": labels(question, QUESTION_IDS),
            "dimension": labels(QUESTION_DIMENSION[question], (*DIMENSIONS, "enps")),
            "score": scores.astype(float),
        }
    )
