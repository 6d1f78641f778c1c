"""A small organisation with a survey in which one team has only 3 respondents.

Teams (org, location, sourcing, cohort) and respondents:
  apollo   Core  Berlin  onshore    organic   9
  borealis Core  Berlin  nearshore  organic   7
  cygnus   Core  Lisbon  nearshore  Nimbus    3   <- under the threshold of 5
  draco    Edge  Lisbon  offshore   organic   6
  eridanus Edge  Pune    offshore   Nimbus    11
plus 1 respondent without a team. Every respondent answers one question of each of
psychological safety, autonomy and growth (1–5) and the eNPS question (0–10), except
that 4 of eridanus's respondents skip growth. Seeded, so the numbers are fixed.
"""

from __future__ import annotations

import random

TEAMS = [
    {"team": "apollo", "org": "Core", "location": "Berlin", "sourcing": "onshore"},
    {"team": "borealis", "org": "Core", "location": "Berlin", "sourcing": "nearshore"},
    {
        "team": "cygnus",
        "org": "Core",
        "location": "Lisbon",
        "sourcing": "nearshore",
        "acquired_from": "Nimbus",
    },
    {"team": "draco", "org": "Edge", "location": "Lisbon", "sourcing": "offshore"},
    {
        "team": "eridanus",
        "org": "Edge",
        "location": "Pune",
        "sourcing": "offshore",
        "acquired_from": "Nimbus",
    },
]
SIZES = {"apollo": 9, "borealis": 7, "cygnus": 3, "draco": 6, "eridanus": 11, None: 1}
SMALL_TEAM = "cygnus"
QUESTIONS = {"ps2": "psychological_safety", "au1": "autonomy", "gr1": "growth", "enps": "enps"}


def survey_rows(survey_id: str = "2025-Q3", survey_date: str = "2025-09-15", seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for team, size in SIZES.items():
        for i in range(size):
            respondent = f"{team or 'none'}-{survey_id}-{i}"
            for question, dimension in QUESTIONS.items():
                if team == "eridanus" and dimension == "growth" and i < 4:
                    continue
                score = rng.randint(0, 10) if dimension == "enps" else rng.randint(1, 5)
                if team == SMALL_TEAM and dimension != "enps":
                    score = 5  # the small team is unanimous: easy to spot if it leaked
                rows.append(
                    {
                        "survey_id": survey_id,
                        "survey_date": survey_date,
                        "respondent_id": respondent,
                        "team": team,
                        "question_id": question,
                        "dimension": dimension,
                        "score": score,
                    }
                )
    return rows
