"""Which headline changes are news, said in plain words: the Overview's takeaway rules.

A takeaway is a sentence a VP can repeat to a board, so a change is held back unless the
data can tell it from noise. Each headline metric arrives as a `History`: its value over
the period and over the periods of equal length before it (`Window`s, newest first),
each with the events it rests on and, where a sampling model fits, its standard error.
docs/OVERVIEW.md states the rules with their reasons and sources; in short:

- G1 coverage: a period that starts before its source's first record, ends after its
  last, or holds incomplete months of finance data is not compared (`Window.gap`).
- G2 events: the period and the one before each rest on at least `History.min_events`
  events (deployments, incidents, answers, leavers…); fewer cannot tell a change from
  chance (a handful of leavers, a dozen deployments).
- S1 materiality: a change under 5% (1 point for shares and scores) is not board news.
- S2 sampling noise: where the value is a count, a share, a median, a total or an eNPS,
  the change must exceed three standard errors (Poisson for counts and rates, binomial
  for shares, the middle half's spread for medians, compound Poisson for totals, the
  multinomial variance for eNPS): the three-sigma limits of process control.
- S3 usual swing: the value must sit outside the natural process limits of the earlier
  periods (their mean ± 2.66 × their mean period-to-period change: the XmR chart of
  Donald Wheeler, *Understanding Variation*, 1993), on the side the change points to,
  with at least `MIN_BASELINE` earlier comparable periods to know the swing from.
- S3 also asks the change itself to exceed 3.268 × the mean period-to-period change
  (Wheeler's upper range limit).
- T run: otherwise, `MIN_RUN` (4) or more period-over-period changes in a row the same
  way, whose total passes S1 and S2, are a sustained move: five values in a monotone run
  arise from noise about once in sixty, and the total must also clear three standard
  errors. A value without a sampling model needs `MIN_RUN_UNSAMPLED` (5) changes: six
  values in a monotone run arise about once in 360.

A change that passes G1, G2, S1, S2 and S3 is a *shift*; one that passes G1, G2 and T is
a *run*. Takeaways are ordered by strength: how far the value now sits from the earlier
periods' mean, in units of the S3 limit; a worsening comes before an improvement of
equal strength. Every other change is held back with the first rule it failed, so the
page can say why nothing is news. Pure functions: no database, no streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from lib.formatting import format_value
from lib.sampling import count_se, median_se, nps_se, rate_se, share_se, sum_se  # noqa: F401 - re-exported

SWING_CONSTANT = 2.66  # Wheeler's XmR scaling: limits = mean ± 2.66 × mean moving range
RANGE_CONSTANT = 3.268  # Wheeler's upper range limit: a period-to-period change beyond 3.268 × the mean
MIN_BASELINE = 4  # earlier comparable periods needed to know the usual swing (3 moving ranges)
MAX_BASELINE = 7
MIN_RUN = 4  # changes in a row the same way that make a sustained move (five values)…
MIN_RUN_UNSAMPLED = 5  # …six for a value without a sampling model (headcount, finance figures)
SAMPLING_Z = 3.0  # a change must exceed three standard errors (about 99.7% two-sided, as SPC limits)
MATERIAL_RELATIVE = 0.05
MATERIAL_POINTS = 1.0  # points of a share (×100) or of a score
MIN_EVENTS = 20  # default floor: below it one event moves a count by 5% or more
POINT_UNITS = ("%", "score")
MAX_STRENGTH = 99.0


@dataclass(frozen=True)
class Window:
    """One period of `History`: [start, end), the value, the events it rests on (None when the
    metric is not built from events), its sampling standard error (None: no sampling model)
    `gap`, why the period cannot be compared (it starts before its source's first record,
    …), None when it can; and `hidden`, why its value is withheld (a selection of fewer people
    than the anonymity threshold: the value is then None)."""

    start: dt.date
    end: dt.date
    value: float | None
    events: int | None = None
    se: float | None = None
    gap: str | None = None
    hidden: str | None = None  # why the value is withheld (fewer people than the anonymity threshold)


@dataclass(frozen=True)
class History:
    """A headline metric over the period (`windows[0]`) and the periods of equal length
    before it, newest first. `unit` as in lib.definitions.DEFINITIONS ("%" for shares 0–1);
    `noun` names its events in the plural ("successful deployments")."""

    key: str
    label: str
    unit: str
    higher_is_better: bool | None
    windows: tuple[Window, ...]
    min_events: int = MIN_EVENTS
    noun: str = "events"
    months: int | None = None  # windows of whole months (finance figures), else of the period's days

    def usable(self, i: int) -> bool:
        """Window i can be compared: it has a value, no gap and enough events."""
        if i >= len(self.windows):
            return False
        w = self.windows[i]
        return w.value is not None and w.gap is None and (w.events is None or w.events >= self.min_events)


@dataclass(frozen=True)
class Takeaway:
    key: str
    label: str
    text: str
    kind: str  # "shift" or "run"
    short: (
        str  # the move in a few words, for a slide title: "Deployment frequency up 38% quarter over quarter"
    )
    strength: float  # |now − earlier mean| ÷ the S3 limit; ≥ 1 for a shift
    improved: bool | None


@dataclass(frozen=True)
class HeldBack:
    key: str
    label: str
    reason: str  # plain words: why this change is not a takeaway
    comparable: bool = True  # False: no value in one of the two periods, nothing was compared


# Words.


def period_words(days: int) -> tuple[str, str]:
    """('quarter', 'quarters') for a period of `days` days."""
    if days == 7:
        return "week", "weeks"
    if 28 <= days <= 31:
        return "month", "months"
    if 89 <= days <= 92:
        return "quarter", "quarters"
    if 180 <= days <= 184:
        return "half-year", "half-years"
    if 364 <= days <= 366:
        return "year", "years"
    return f"{days}-day period", f"{days}-day periods"


def month_words(months: int) -> tuple[str, str]:
    """('quarter', 'quarters') for blocks of 3 months."""
    named = {1: "month", 3: "quarter", 6: "half-year", 12: "year"}
    one = named.get(months, f"{months}-month period")
    return one, one + "s"


def over_phrase(days: int) -> str:
    """'quarter over quarter', else 'against the previous 45 days'."""
    one, _ = period_words(days)
    return f"{one} over {one}" if not one.endswith("period") else f"against the previous {days} days"


def _in_points(unit: str) -> bool:
    return unit in POINT_UNITS


def change_words(now: float, before: float, unit: str) -> str:
    """'38%' for counts and durations, '6.0 pts' for shares and scores (no sign)."""
    if _in_points(unit):
        scale = 100 if unit == "%" else 1
        return f"{abs(now - before) * scale:.1f} pts"
    return f"{abs(now - before) / abs(before) * 100:.0f}%"


def _material(now: float, before: float, unit: str) -> bool:
    if _in_points(unit):
        return abs(now - before) * (100 if unit == "%" else 1) >= MATERIAL_POINTS
    return before != 0 and abs(now - before) / abs(before) >= MATERIAL_RELATIVE


def _bounds(unit: str) -> tuple[float | None, float | None]:
    if unit == "%":
        return 0.0, 1.0
    if unit == "score":
        return -100.0, 100.0
    return 0.0, None


def _show(value: float, unit: str) -> str:
    return format_value(value, unit)


# The rules.


@dataclass(frozen=True)
class _Swing:
    center: float
    limit: float  # 2.66 × mean moving range
    periods: int
    moving_range: float  # the mean period-to-period change

    def range_text(self, unit: str) -> str:
        low, high = _bounds(unit)
        lo = self.center - self.limit if low is None else max(low, self.center - self.limit)
        hi = self.center + self.limit if high is None else min(high, self.center + self.limit)
        shown = _show(lo, unit), _show(hi, unit)
        return shown[0] if shown[0] == shown[1] else f"{shown[0]}–{shown[1]}"  # never "5 people–5 people"


def usual_swing(values: list[float]) -> _Swing | None:
    """Natural process limits of earlier values (Wheeler's XmR): None with fewer than MIN_BASELINE."""
    if len(values) < MIN_BASELINE:
        return None
    moving = [abs(a - b) for a, b in zip(values, values[1:], strict=False)]
    mean_range = statistics.fmean(moving)
    return _Swing(statistics.fmean(values), SWING_CONSTANT * mean_range, len(values), mean_range)


def _baseline(h: History) -> list[float]:
    """Values of the contiguous comparable periods just before the period (newest first)."""
    values = []
    for i in range(1, min(len(h.windows), MAX_BASELINE + 1)):
        if not h.usable(i):
            break
        values.append(h.windows[i].value)
    return values


def _run_length(h: History) -> int:
    """Period-over-period changes in a row, ending with the period's, that go the same way."""
    first = h.windows[0].value - h.windows[1].value
    if first == 0:
        return 0
    n = 0
    while h.usable(n) and h.usable(n + 1):
        change = h.windows[n].value - h.windows[n + 1].value
        if change == 0 or (change > 0) != (first > 0):
            break
        n += 1
    return n


def _beyond_noise(now: Window, before: Window) -> tuple[bool, float | None]:
    """(passes S2, twice the standard error of the change, None without a sampling model)."""
    if now.se is None or before.se is None:
        return True, None
    margin = SAMPLING_Z * math.hypot(now.se, before.se)
    return abs(now.value - before.value) > margin, margin


def _strength(now: float, swing: _Swing | None) -> float:
    if swing is None:
        return 0.0
    if swing.limit == 0:
        return MAX_STRENGTH if now != swing.center else 0.0
    return min(abs(now - swing.center) / swing.limit, MAX_STRENGTH)


def _improved(h: History, change: float) -> bool | None:
    if h.higher_is_better is None or change == 0:
        return None
    return (change > 0) == h.higher_is_better


def _verdict(improved: bool | None) -> str:
    return "." if improved is None else (": an improvement." if improved else ": worth a look.")


def judge(h: History, days: int) -> Takeaway | HeldBack | None:
    """The takeaway `h` makes over a period of `days` days, or why it makes none (None when the
    period has no value: the tile says why)."""
    one, many = period_words(days) if h.months is None else month_words(h.months)
    phrase = f"{one} over {one}" if not one.endswith("period") else f"against the previous {one}"
    if h.months is None:
        phrase = over_phrase(days)
    now = h.windows[0]
    if now.value is None:
        return None

    def held(reason: str, comparable: bool = True) -> HeldBack:
        return HeldBack(h.key, h.label, reason, comparable)

    before = h.windows[1] if len(h.windows) > 1 else None
    if before is None or before.value is None:
        return held(f"no value in the previous {one} to compare with", comparable=False)
    for w, which in ((now, "this"), (before, "the previous")):
        if w.gap:
            return held(f"{which} {one} cannot be compared: {w.gap}", comparable=False)
    if (now.events is not None and now.events < h.min_events) or (
        before.events is not None and before.events < h.min_events
    ):
        return held(
            f"rests on {_count(now.events)} {h.noun} this {one} and {_count(before.events)} the {one} "
            f"before; fewer than {h.min_events} cannot tell a change from chance"
        )
    change = now.value - before.value
    if change == 0:
        return held(f"unchanged {phrase}")
    direction = "up" if change > 0 else "down"
    swing = usual_swing(_baseline(h))
    run = _run_length(h)
    improved = _improved(h, change)

    material = _material(now.value, before.value, h.unit)
    noise_ok, margin = _beyond_noise(now, before)
    beyond = (
        swing is not None
        and abs(change) > RANGE_CONSTANT * swing.moving_range
        and (
            (change > 0 and now.value > swing.center + swing.limit)
            or (change < 0 and now.value < swing.center - swing.limit)
        )
    )
    if material and noise_ok and beyond:
        side = "above" if change > 0 else "below"
        text = (
            f"{h.label} {direction} {change_words(now.value, before.value, h.unit)} {phrase} to "
            f"{_show(now.value, h.unit)}, {side} its usual range ({swing.range_text(h.unit)}) over the "
            f"previous {_words(swing.periods)} {many}"
        )
        if run >= MIN_RUN:
            text += f", the {_ordinal(run)} {'rise' if change > 0 else 'fall'} in a row"
        short = f"{h.label} {direction} {change_words(now.value, before.value, h.unit)} {phrase}"
        strength = _strength(now.value, swing)
        return Takeaway(h.key, h.label, text + _verdict(improved), "shift", short, strength, improved)

    needed = MIN_RUN if now.se is not None else MIN_RUN_UNSAMPLED
    if run >= needed:
        start = h.windows[run]
        run_noise_ok, _ = _beyond_noise(now, start)
        if _material(now.value, start.value, h.unit) and run_noise_ok:
            since = f"{start.start:%b %Y}"
            text = (
                f"{h.label} {direction} {run} {many} in a row, to {_show(now.value, h.unit)} from "
                f"{_show(start.value, h.unit)} ({'+' if change > 0 else '−'}"
                f"{change_words(now.value, start.value, h.unit)} since {since})"
            )
            short = f"{h.label} {direction} {run} {many} in a row"
            strength = _strength(now.value, swing)
            return Takeaway(h.key, h.label, text + _verdict(improved), "run", short, strength, improved)

    amount = change_words(now.value, before.value, h.unit)
    if not material:
        small = "1 pt" if _in_points(h.unit) else "5%"
        return held(f"{direction} {amount}: under {small} is not news")
    if not noise_ok:
        return held(
            f"{direction} {amount}, within sampling noise (±{_show_margin(margin, h.unit)} for "
            f"{_count(now.events)} and {_count(before.events)} {h.noun})"
        )
    if swing is None:
        return held(
            f"{direction} {amount}, but its usual swing needs {MIN_BASELINE} earlier {many} of comparable "
            f"data (has {len(_baseline(h))})"
        )
    inside = swing.center - swing.limit <= now.value <= swing.center + swing.limit
    if not inside or (change > 0) != (now.value > swing.center):
        usual = RANGE_CONSTANT * swing.moving_range
        return held(
            f"{direction} {amount}, within its usual change from one {one} to the next (up to "
            f"{_show_margin(usual, h.unit)} over the previous {_words(swing.periods)} {many})"
        )
    return held(
        f"{direction} {amount}, within its usual range ({swing.range_text(h.unit)}) over the previous "
        f"{_words(swing.periods)} {many}"
    )


def _count(n: int | None) -> str:
    return "no count of" if n is None else f"{n:,}"


def _show_margin(margin: float, unit: str) -> str:
    if unit == "%":
        return f"{margin * 100:.1f} pts"
    if unit == "score":
        return f"{margin:.0f} pts"
    return _show(margin, unit)


def _words(n: int) -> str:
    return {4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}.get(n, str(n))


def _ordinal(n: int) -> str:
    words = {4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth", 9: "ninth"}
    return words.get(n, f"{n}th")


def takeaways(histories: list[History], days: int, limit: int = 5) -> tuple[list[Takeaway], list[HeldBack]]:
    """The takeaways of `histories` over a period of `days` days, strongest first (a worsening
    before an improvement of equal strength, to one decimal), at most `limit`; and every other
    change held back with its reason, in the order given."""
    found: list[Takeaway] = []
    held: list[HeldBack] = []
    for h in histories:
        result = judge(h, days)
        if isinstance(result, Takeaway):
            found.append(result)
        elif isinstance(result, HeldBack):
            held.append(result)
    found.sort(key=lambda t: (-round(t.strength, 1), t.improved is True))
    return found[:limit], held
