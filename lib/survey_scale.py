"""Answers as survey tools write them, turned into the scores `survey_responses` stores.

Stored scores (SPEC §3): Likert 1–5 with 5 the favourable end, eNPS 0–10.

- Labels: Strongly disagree 1, Disagree 2, Neither agree nor disagree / Neutral 3,
  Agree 4, Strongly agree 5. A file whose answers include "Somewhat …" or "Slightly …"
  is on the 7-point scale: Strongly disagree 1, Disagree 2, Somewhat disagree 3,
  Neither 4, Somewhat agree 5, Agree 6, Strongly agree 7.
- Numbers: 1–5, or 1–7 when any Likert answer in the file is 6 or 7 (the setting
  `survey_scale_points` = 5 or 7 overrides the guess). "5 - Strongly agree" reads as 5.
- 7-point answers are rescaled linearly onto 1–5: score = 1 + (answer − 1) × 4 ÷ 6,
  so 1→1, 4→3, 7→5, 6→4.33, 5→3.67. Favourable is a stored score of 4 or more, which on
  a 7-point scale is exactly the top two answers (Agree, Strongly agree), as on a
  5-point scale it is the top two (Agree, Strongly agree).
- Reverse-scored items are reversed after rescaling: 6 − score.
- eNPS: 0–10 ("10 - Extremely likely" reads as 10); promoters 9–10, detractors 0–6.
- "N/A", "Not applicable", "Don't know", "Prefer not to say" and blanks are no answer:
  no row is stored.
"""

from __future__ import annotations

import re

NO_ANSWER = frozenset(
    {
        "",
        "n a",
        "na",
        "not applicable",
        "don t know",
        "do not know",
        "dont know",
        "prefer not to say",
        "prefer not to answer",
        "skip",
        "skipped",
        "null",
        "none",
    }
)
FIVE = {
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neither agree or disagree": 3,
    "neither": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
}
SEVEN = {
    "strongly disagree": 1,
    "disagree": 2,
    "somewhat disagree": 3,
    "slightly disagree": 3,
    "neither agree nor disagree": 4,
    "neither agree or disagree": 4,
    "neither": 4,
    "neutral": 4,
    "somewhat agree": 5,
    "slightly agree": 5,
    "agree": 6,
    "strongly agree": 7,
}
SEVEN_ONLY = frozenset(SEVEN) - frozenset(FIVE)
ENPS_WORDS = {"not at all likely": 0, "extremely likely": 10, "not likely": 0}
_LEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d+)?)(?:\s*(?:-|–|—|:|=|\.|\))\s*\D.*)?$")


def clean(answer: str | None) -> str:
    """Lower case, letters and digits with single spaces ("Don't know" → "don t know")."""
    text = re.sub(r"[\u2018\u2019']", " ", str(answer or "")).lower()
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", text).split()).strip(" .")


def number(answer: str | None) -> float | None:
    """The number an answer starts with ("5", "4.0", "5 - Strongly agree"), else None."""
    text = str(answer or "").strip()
    m = _LEADING_NUMBER.match(text)
    return float(m.group(1)) if m else None


def is_no_answer(answer: str | None) -> bool:
    return clean(answer) in NO_ANSWER


def is_likert_label(answer: str | None) -> bool:
    return clean(answer) in SEVEN or clean(answer) in FIVE


def looks_like_answer(answer: str | None) -> bool:
    """True for anything a rating question produces: a label, a number 0–10, or no answer."""
    if is_no_answer(answer) or is_likert_label(answer) or clean(answer) in ENPS_WORDS:
        return True
    value = number(answer)
    return value is not None and 0 <= value <= 10


def uses_seven_labels(answers) -> bool:
    return any(clean(a) in SEVEN_ONLY for a in answers)


def likert_points(answers, setting: str | None = None) -> int:
    """5 or 7: the setting when given, else 7 when any label or number says so."""
    if setting in ("5", "7"):
        return int(setting)
    answers = list(answers)
    if uses_seven_labels(answers):
        return 7
    numbers = [number(a) for a in answers if not is_likert_label(a)]
    return 7 if any(n is not None and n > 5 for n in numbers) else 5


def likert_score(answer: str | None, points: int, reverse: bool = False) -> float | None:
    """Stored 1–5 score of a Likert answer; None for no answer; ValueError when unreadable."""
    if is_no_answer(answer):
        return None
    label = clean(answer)
    labels = SEVEN if points == 7 else FIVE
    if label in labels:
        raw = float(labels[label])
    else:
        value = number(answer)
        if value is None or not (1 <= value <= points):
            raise ValueError(f"not an answer on a {points}-point agreement scale")
        raw = value
    score = 1 + (raw - 1) * 4 / 6 if points == 7 else raw
    return round(6 - score if reverse else score, 6)


def enps_score(answer: str | None) -> float | None:
    """Stored 0–10 eNPS score; None for no answer; ValueError when unreadable."""
    if is_no_answer(answer):
        return None
    label = clean(answer)
    if label in ENPS_WORDS:
        return float(ENPS_WORDS[label])
    value = number(answer)
    if value is None or not (0 <= value <= 10) or value != int(value):
        raise ValueError("not a 0–10 answer")
    return value
