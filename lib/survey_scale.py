"""Answer scales: which scale a question's answers are on, and the score each answer stores.

Stored scores (SPEC §3): Likert 1–5 with 5 the favourable end; eNPS 0–10. Favourable is a
stored score of 4 or more (SPEC §5), which on every scale below is exactly its agreeing
(or satisfied) answers above the middle: Agree and Strongly agree.

**The scale of a question is decided from every distinct answer in its column** (`decide`),
never from one word: a column whose labels are `Strongly disagree / Somewhat disagree /
Neither agree nor disagree / Somewhat agree / Strongly agree` is the 5-point scale those five
labels make (Qualtrics' and Google Forms' usual wording), not the 7-point scale that also
contains them. In order:
1. labels: the scales that hold every label of the column. One that the labels fill
   exactly wins; else, when all of them give each label the same stored score (Strongly
   disagree / Neutral / Strongly agree is 1 / 3 / 5 on any of them), any; else the scale
   the file's other questions were decided on, when it is one of them; else the
   `survey_scale_points` setting (5 or 7) when it picks one; else the column is refused,
   its labels named (`Decision.problem`).
2. numbers: a range the question states (`(1-5)`, `on a scale of 1 to 7`), else the file's
   numeric answers to its rating questions: 1–5, or 1–7 when any is 6 or 7 (a survey
   asks its rating questions on one scale; the setting overrides). 0 or 8–10 is not an
   agreement scale: refused (it is the eNPS question, or a question to map or skip).
3. "5 - Strongly agree" reads as 5; "N/A", "Don't know", "Prefer not to say" and blanks
   are no answer: the row is stored with a null score.

Scales (`SCALES`) and the stored score of each answer, position 1 being the least favourable:
- agreement, 5 points (Strongly disagree, Disagree, Neither agree nor disagree / Neutral,
  Agree, Strongly agree), and its "Somewhat" wording (Somewhat disagree / Somewhat agree
  in 2nd and 4th place): 1, 2, 3, 4, 5;
- agreement, 7 points (… Disagree, Somewhat disagree, Neither, Somewhat agree, Agree …):
  1 + (p − 1) × 4 ÷ 6, so 1, 1.67, 2.33, 3, 3.67, 4.33, 5: the top two are favourable;
- agreement, 6 points (no middle): 1 + (p − 1) × 4 ÷ 5: 1, 1.8, 2.6, 3.4, 4.2, 5;
- agreement, 4 points (no middle): 1, 2, 4, 5, so Agree and Strongly agree stay
  favourable (a straight line would put Agree at 3.67);
- satisfaction, 5 points (Very dissatisfied … Very satisfied): 1–5;
- numbers 1–n on the n-point scale of the same shape.
Reverse-scored items are reversed after this: 6 − score.

**eNPS** is the 0–10 likelihood-to-recommend question (`enps_range`): its wording (see
`lib.question_bank.is_enps_question`) *and* answers on 0–10: a 0, an 8, 9 or 10, or a 0–10
range stated in the question. "I would recommend Acme as a great place to work" answered
1–5 is an agreement item like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
        "no answer",
    }
)
ENPS_WORDS = {"not at all likely": 0, "extremely likely": 10, "not likely": 0}
_LEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d+)?)(?:\s*(?:-|–|—|:|=|\.|\))\s*\D.*)?$")
_STATED_RANGE = re.compile(r"\b(0|1)\s*(?:-|–|—|to)\s*(4|5|6|7|10)\b")

_SD = ("strongly disagree",)
_D = ("disagree",)
_N = ("neither agree nor disagree", "neither agree or disagree", "neither", "neutral")
_A = ("agree",)
_SA = ("strongly agree",)
_SWD = ("somewhat disagree", "slightly disagree")
_SWA = ("somewhat agree", "slightly agree")


def _line(points: int) -> tuple[float, ...]:
    return tuple(round(1 + p * 4 / (points - 1), 6) for p in range(points))


@dataclass(frozen=True)
class Scale:
    """An answer scale: its labels by position (each with its spellings) and stored scores."""

    key: str
    name: str
    labels: tuple[tuple[str, ...], ...]
    stored: tuple[float, ...]
    numeric: bool = False

    @property
    def points(self) -> int:
        return len(self.stored)

    def score_of(self, label: str) -> float | None:
        for position, spellings in enumerate(self.labels):
            if label in spellings:
                return self.stored[position]
        return None

    def label_set(self) -> frozenset[str]:
        return frozenset(s for spellings in self.labels for s in spellings)


SCALES: tuple[Scale, ...] = (
    Scale("agree5", "5-point agreement scale", (_SD, _D, _N, _A, _SA), _line(5)),
    Scale(
        "agree5_somewhat", "5-point agreement scale, Somewhat wording", (_SD, _SWD, _N, _SWA, _SA), _line(5)
    ),
    Scale("agree7", "7-point agreement scale", (_SD, _D, _SWD, _N, _SWA, _A, _SA), _line(7)),
    Scale("agree6", "6-point agreement scale", (_SD, _D, _SWD, _SWA, _A, _SA), _line(6)),
    Scale("agree4", "4-point agreement scale", (_SD, _D, _A, _SA), (1.0, 2.0, 4.0, 5.0)),
    Scale(
        "satisfied5",
        "5-point satisfaction scale",
        (
            ("very dissatisfied",),
            ("dissatisfied",),
            ("neither satisfied nor dissatisfied", "neither satisfied or dissatisfied", "neutral"),
            ("satisfied",),
            ("very satisfied",),
        ),
        _line(5),
    ),
)
NUMERIC: dict[int, Scale] = {
    n: Scale(f"numeric{n}", f"{n}-point scale, 1–{n}", tuple((str(p),) for p in range(1, n + 1)),
             (1.0, 2.0, 4.0, 5.0) if n == 4 else _line(n), numeric=True)
    for n in (4, 5, 6, 7)
}  # fmt: skip
ENPS_SCALE = Scale("enps", "0–10 likelihood to recommend", tuple((str(p),) for p in range(11)),
                   tuple(float(p) for p in range(11)), numeric=True)  # fmt: skip
BY_KEY: dict[str, Scale] = {s.key: s for s in (*SCALES, *NUMERIC.values(), ENPS_SCALE)}
_KNOWN_LABELS = frozenset(label for s in SCALES for label in s.label_set())


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


def is_scale_label(answer: str | None) -> bool:
    return clean(answer) in _KNOWN_LABELS


def looks_like_answer(answer: str | None) -> bool:
    """True for anything a rating question produces: a scale label, a number 0–10, or no answer."""
    if is_no_answer(answer) or is_scale_label(answer) or clean(answer) in ENPS_WORDS:
        return True
    value = number(answer)
    return value is not None and 0 <= value <= 10


def stated_range(text: str) -> tuple[int, int] | None:
    """The answer range a question states about itself: "(1-5)", "on a scale of 0 to 10"."""
    m = _STATED_RANGE.search(str(text or "").lower())
    return (int(m.group(1)), int(m.group(2))) if m else None


def _distinct(answers: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(a.strip() for a in answers if not is_no_answer(a)))


def _shown(answers: Sequence[str], limit: int = 8) -> str:
    listed = ", ".join(repr(a) for a in answers[:limit])
    return listed + (f" and {len(answers) - limit} more" if len(answers) > limit else "")


# ---------------------------------------------------------------------------- deciding


@dataclass(frozen=True)
class Decision:
    """The scale of one question's column, how it was decided, or why it cannot be.

    scale: the Scale, or None (no answers at all, or undecided);
    how: in words, how it was decided ("its labels are exactly this scale's");
    problem: why the column is refused, naming its labels (None when decided or empty);
    unknown: answers that are on no scale, for a row-level error ("Maybe");
    assumed: True when it was decided from outside the column (the file's other questions,
      the setting, a saved choice): the import lists it as a warning.
    """

    scale: Scale | None = None
    how: str = ""
    problem: str | None = None
    unknown: tuple[str, ...] = ()
    assumed: bool = False
    answers: tuple[str, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return self.scale is None and self.problem is None and not self.unknown and not self.answers


@dataclass(frozen=True)
class FileContext:
    """What a file's other questions say, for the columns their own answers cannot decide."""

    label_scales: tuple[str, ...] = ()  # per column whose labels fill one scale exactly, its key
    union_scale: str | None = None  # the scale the labels of all its rating questions fill exactly
    numeric_max: float | None = None  # the largest number answering any rating question
    setting: str | None = None  # `survey_scale_points`: "5" or "7"


def decide(answers: Iterable[str], header: str = "", context: FileContext = FileContext(),
           saved: str | None = None) -> Decision:  # fmt: skip
    """The agreement (Likert) scale of a column of `answers` (see the module doc).

    `saved`: a scale key the user chose for this question on an earlier import; used when
    the column's answers fit it.
    """
    distinct = _distinct(answers)
    if not distinct:
        return Decision()
    labels = [a for a in distinct if number(a) is None]
    numbers = [number(a) for a in distinct if number(a) is not None]
    unknown = tuple(a for a in labels if clean(a) not in _KNOWN_LABELS)
    if unknown:
        return Decision(unknown=unknown, answers=tuple(distinct))
    if saved and saved in BY_KEY and _fits(BY_KEY[saved], labels, numbers):
        return Decision(BY_KEY[saved], "your saved choice", assumed=True,
                        answers=tuple(distinct))  # fmt: skip
    if labels:
        return _by_labels(labels, numbers, distinct, context)
    return _by_numbers(numbers, distinct, header, context)


def _fits(scale: Scale, labels: list[str], numbers: list[float]) -> bool:
    return all(scale.score_of(clean(a)) is not None for a in labels) and all(
        n == int(n) and 1 <= n <= scale.points for n in numbers
    )


def label_candidates(labels: Iterable[str]) -> list[Scale]:
    """The label scales that hold every one of `labels`."""
    cleaned = {clean(a) for a in labels}
    return [s for s in SCALES if cleaned <= s.label_set()]


def exact_scale(labels: Iterable[str]) -> Scale | None:
    """The scale whose every position the labels fill, when exactly one does."""
    cleaned = {clean(a) for a in labels}
    exact = [s for s in label_candidates(cleaned) if all(cleaned & set(p) for p in s.labels)]
    return exact[0] if len(exact) == 1 else None


def _by_labels(
    labels: list[str], numbers: list[float], distinct: list[str], context: FileContext
) -> Decision:
    shown = tuple(distinct)
    candidates = [s for s in label_candidates(labels) if _fits(s, labels, numbers)]
    if not candidates:
        return Decision(problem=f"its answers {_shown(distinct)} are not one rating scale: they mix the "
                        "labels of different scales", answers=shown)  # fmt: skip
    exact = exact_scale(labels)
    if exact in candidates:
        return Decision(exact, "all of its labels", answers=shown)
    cleaned = [clean(a) for a in labels]
    if len(candidates) == 1:
        return Decision(candidates[0], "its labels (one scale fits)", answers=shown)
    if len({tuple(s.score_of(a) for a in cleaned) for s in candidates}) == 1:
        best = candidates[0]
        return Decision(best, "its labels (every fitting scale scores them alike)", answers=shown)
    keys = {s.key for s in candidates}
    siblings = set(context.label_scales)
    if len(siblings) == 1 and siblings <= keys:
        return Decision(BY_KEY[siblings.pop()], "the file's other questions", assumed=True,
                        answers=shown)  # fmt: skip
    if not siblings and context.union_scale in keys:
        return Decision(BY_KEY[context.union_scale], "the file's labels together",
                        assumed=True, answers=shown)  # fmt: skip
    if context.setting in ("5", "7"):
        by_points = [s for s in candidates if s.points == int(context.setting)]
        if len({tuple(s.score_of(a) for a in cleaned) for s in by_points}) == 1:
            return Decision(by_points[0], f"the survey_scale_points setting ({context.setting})", assumed=True,
                            answers=shown)  # fmt: skip
    names = " or ".join(f"a {s.name}" for s in candidates)
    return Decision(problem=f"its answers {_shown(distinct)} fit {names}, which score them differently; "
                    "choose the scale of this question", answers=shown)  # fmt: skip


def _by_numbers(numbers: list[float], distinct: list[str], header: str, context: FileContext) -> Decision:
    shown = tuple(distinct)
    if any(n != int(n) for n in numbers):
        return Decision(problem=f"its answers {_shown(distinct)} are not whole numbers on a rating scale",
                        answers=shown)  # fmt: skip
    low, high = min(numbers), max(numbers)
    stated = stated_range(header)
    if stated and stated[0] == 1 and stated[1] in NUMERIC and high <= stated[1] and low >= 1:
        return Decision(NUMERIC[stated[1]], f"the range it states, {stated[0]}–{stated[1]}", answers=shown)
    if low < 1 or high > 7 or (stated and stated[1] == 10):
        return Decision(problem=f"its answers run {int(low)}–{int(high)}: not an agreement scale. If it is the "
                        "0–10 likelihood-to-recommend question, map it to eNPS; otherwise skip it",
                        answers=shown)  # fmt: skip
    if context.setting in ("5", "7") and high <= int(context.setting):
        n = int(context.setting)
        return Decision(NUMERIC[n], f"the survey_scale_points setting ({n})", assumed=True, answers=shown)
    if high > 5:
        return Decision(NUMERIC[7], f"its answers, up to {int(high)}", answers=shown)
    if context.numeric_max is not None and 5 < context.numeric_max <= 7:
        return Decision(NUMERIC[7], "the file's other questions, answered 1–7", assumed=True,
                        answers=shown)  # fmt: skip
    return Decision(NUMERIC[5], "its answers, 1–5", answers=shown)


# ---------------------------------------------------------------------------- scoring


def score(answer: str | None, scale: Scale, reverse: bool = False) -> float | None:
    """Stored 1–5 score of an answer on `scale`; None for no answer; ValueError when off the scale."""
    if is_no_answer(answer):
        return None
    value = number(answer)
    if value is not None:
        if value != int(value) or not 1 <= value <= scale.points:
            raise ValueError(f"not an answer on the {scale.name}")
        stored = scale.stored[int(value) - 1]
    else:
        stored = scale.score_of(clean(answer))
        if stored is None:
            raise ValueError(f"not an answer on the {scale.name}")
    return round(6 - stored if reverse else stored, 6)


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


def enps_range(answers: Iterable[str], header: str = "") -> tuple[bool | None, str]:
    """Do a question's answers show the 0–10 eNPS scale? (True / False / None: cannot tell), and why.

    True: every answer is a whole number 0–10 (or its end label) and one is 0 or 8–10, or the
    question states 0–10. False: an agreement label, a stated 1–n range, or an answer off
    0–10. None: numbers only within 1–7 and no stated range.
    """
    distinct = _distinct(answers)
    stated = stated_range(header)
    for a in distinct:
        if clean(a) in ENPS_WORDS:
            continue
        value = number(a)
        if value is None:
            if is_scale_label(a):
                return False, f"it is answered on an agreement scale ({a!r})"
            return False, f"{a!r} is not a 0–10 answer"
        if value != int(value) or not 0 <= value <= 10:
            return False, f"{a!r} is not a 0–10 answer"
    if stated and stated[0] == 1 and stated[1] != 10:
        return False, f"the question states a {stated[0]}–{stated[1]} scale"
    if stated == (0, 10):
        return True, "the question states 0–10"
    values = [number(a) if clean(a) not in ENPS_WORDS else ENPS_WORDS[clean(a)] for a in distinct]
    if any(v == 0 or v >= 8 for v in values):
        return True, "its answers run on 0–10"
    if not values:
        return True, "no one answered it"
    return None, f"its answers ({_shown(distinct)}) stay within 1–7, which does not show a 0–10 scale"
