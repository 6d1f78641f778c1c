"""A share of people whose two counts come from different sources, and why it may be missing.

Survey participation (respondents ÷ the HRIS's people on the survey date) and AI adoption
(the AI tool's daily active users ÷ the HRIS's headcount) divide a count from one export by a
count from another. When the part outnumbers the whole, the two exports cover different
people (an organisation-wide Copilot export over one team's HRIS file, a survey sent to more
people than the HRIS file holds, someone counted once per AI tool): the share is not shown,
never as 160% or 317%, and the reason says what disagrees.

The SQL queries use the stored macro `people_share(part, whole)` (migration 016); this
module is the same rule for figures computed in Python, and the words for both.
"""

from __future__ import annotations

import math


def people_share(part: float | None, whole: float | None) -> float | None:
    """part ÷ whole as a fraction 0–1; None when either is missing, the whole is not
    positive, or the part exceeds the whole (the macro `people_share` of migration 016)."""
    if part is None or whole is None or _nan(part) or _nan(whole) or whole <= 0 or part > whole:
        return None
    return part / whole


def exceeds(part: float | None, whole: float | None) -> bool:
    """True when both counts are known and the part outnumbers a positive whole (the macro
    `people_exceed` of migration 017)."""
    return not (part is None or whole is None or _nan(part) or _nan(whole)) and whole > 0 and part > whole


def different_people(part_words: str, part: float, whole_words: str, whole: float) -> str:
    """The reason shown in place of an impossible share, e.g. "8 respondents but 5 people
    in the HR data on the survey date: the two files cover different people"."""
    return (
        f"{_count(part)} {part_words} but {_count(whole)} {whole_words}: the two files cover different people"
    )


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)
