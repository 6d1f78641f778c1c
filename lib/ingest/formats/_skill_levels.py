"""Skill levels as a skills matrix writes them, read onto 0–4 (for `skills_matrix.py`).

Levels (0–4: 0 none, 1 novice, 2 intermediate, 3 advanced, 4 expert):
- labels: None → 0; Novice, Beginner, Awareness, Basic, Foundational, Developing → 1;
  Intermediate, Competent, Working, Practitioner → 2; Advanced, Proficient, Experienced,
  Skilled → 3; Expert, Master, Authority → 4 (a leading number, `3 - Competent`, is
  ignored when the word is known); `N/A`, `Not applicable` and empty cells are no row;
- numbers: the scale is the one the header names (`(0-5)`, `out of 5`, `SFIA`), else
  the file's highest value says it: up to 4 is 0–4 (kept); 5 is 0–5, mapped by rounding
  v × 4 ÷ 5 half up (0→0, 1→1, 2→2, 3→2, 4→3, 5→4); 6 or 7 with no 0 is SFIA 1–7,
  mapped by what each SFIA level of responsibility means (1 follow, 2 assist → 1;
  3 apply → 2; 4 enable, 5 ensure/advise → 3; 6 initiate/influence, 7 set strategy → 4).
  The import's warnings say which scale was used and why. A fraction is refused. Under
  the canonical template's own headers (`proficiency`, `target`) numbers are 0–4: a 7
  there is refused as out of range, not read as SFIA.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lib.ingest.formats._people_files import loose
from lib.ingest.report import ImportWarning, warn

WORDS = {
    0: ("none", "no knowledge", "no experience", "not started", "unaware", "zero"),
    1: ("novice", "beginner", "awareness", "aware", "basic", "foundational", "foundation", "developing",
        "learning", "familiar", "advanced beginner", "entry"),
    2: ("intermediate", "competent", "working", "working knowledge", "practitioner", "capable", "moderate"),
    3: ("advanced", "proficient", "experienced", "skilled", "strong"),
    4: ("expert", "master", "authority", "guru", "leader", "specialist"),
}  # fmt: skip
LABELS = {loose(w): level for level, words in WORDS.items() for w in words}
NOT_APPLICABLE = frozenset(
    {"na", "nа", "notapplicable", "nonapplicable", "n", "-", "–", "notrated", "unrated"}
)
_LEADING_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*[-–:.)]?\s*")
SFIA = {1: 1, 2: 1, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4}


def _label(text: str) -> int | None:
    key = loose(_LEADING_NUMBER.sub("", text)) or loose(text)
    return LABELS.get(key)


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def cell_kind(text: str) -> str:
    """ "empty", "na", "label", "number" or "bad" for one matrix cell."""
    text = (text or "").strip()
    if not text:
        return "empty"
    if loose(text) in NOT_APPLICABLE or text.strip().lower() in ("n/a", "n.a.", "-"):
        return "na"
    number = _number(text)
    if number is not None:
        return "number" if 0 <= number <= 7 else "bad"
    return "label" if _label(text) is not None else "bad"


@dataclass(frozen=True)
class Scale:
    name: str  # "0–4", "0–5", "SFIA 1–7"
    why: str

    def level(self, value: float) -> int:
        if self.name == "0–4":
            return int(value)
        if self.name == "0–5":
            return int(value * 4 / 5 + 0.5)
        return SFIA[int(value)]

    def describe(self) -> str:
        if self.name == "0–4":
            return f"Levels read on the 0–4 scale ({self.why})"
        if self.name == "0–5":
            return f"Levels read on a 0–5 scale ({self.why}) and mapped to 0–4: 0→0, 1→1, 2→2, 3→2, 4→3, 5→4"
        return f"Levels read as SFIA 1–7 ({self.why}) and mapped to 0–4: 1→1, 2→1, 3→2, 4→3, 5→3, 6→4, 7→4"


def scale_from_header(header: str) -> Scale | None:
    text = header.lower().replace("–", "-").replace(" ", "")
    if "sfia" in text or "1-7" in text or "of7" in text:
        return Scale("SFIA 1–7", f"header {header!r}")
    if "0-5" in text or "1-5" in text or "outof5" in text or "/5" in text:
        return Scale("0–5", f"header {header!r}")
    if "0-4" in text or "outof4" in text or "/4" in text:
        return Scale("0–4", f"header {header!r}")
    return None


def scale_from_values(values: list[float], where: str) -> Scale:
    """The scale the numbers are on (see the module doc); ValueError when they fit none."""
    fractions = [v for v in values if v != int(v)]
    if fractions:
        raise ValueError(f"{where}: {fractions[0]:g} is not a whole level")
    if not values or max(values) <= 4:
        return Scale("0–4", f"highest value {max(values):g}" if values else "no numbers")
    if max(values) <= 5:
        return Scale("0–5", "highest value 5")
    if min(values) >= 1:
        return Scale("SFIA 1–7", f"highest value {max(values):g}, none below 1")
    raise ValueError(
        f"{where}: values run from 0 to {max(values):g}, which is no known scale (0–4, 0–5, SFIA 1–7)"
    )


class Levels:
    """Reads cells into 0–4 levels on one scale per file, counting what it interpreted."""

    def __init__(self, scale: Scale):
        self.scale = scale
        self.labels: Counter[str] = Counter()
        self.not_applicable = 0
        self.numbers = 0

    def read(self, text: str, row: int, column: str) -> int | None:
        kind = cell_kind(text)
        if kind == "empty":
            return None
        if kind == "na":
            self.not_applicable += 1
            return None
        if kind == "label":
            level = _label(text)
            self.labels[f"{text.strip()} → {level}"] += 1
            return level
        if kind == "number":
            value = float(text)
            if value != int(value):
                raise ValueError(f"row {row}, column {column}: {text.strip()!r} is not a whole level")
            self.numbers += 1
            return self.scale.level(value)
        raise ValueError(
            f"row {row}, column {column}: {text.strip()!r} is not a proficiency level (use 0–4, 0–5, SFIA 1–7, or "
            "None, Novice, Beginner, Intermediate, Advanced, Expert)"
        )

    def warnings(self) -> tuple[ImportWarning, ...]:
        out = []
        if self.numbers:
            out.append(warn("skills_scale", self.scale.describe(), count=self.numbers))
        if self.labels:
            labels = ", ".join(f"{k} ({n})" for k, n in sorted(self.labels.items()))
            out.append(
                warn("skills_labels", f"Labels read as levels: {labels}", count=sum(self.labels.values()))
            )
        if self.not_applicable:
            out.append(
                warn(
                    "skills_not_applicable", "Cells marked not applicable: no row", count=self.not_applicable
                )
            )
        return tuple(out)
