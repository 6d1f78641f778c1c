"""Standard errors of a headline value from the events behind it, for the takeaway rules.

Each function gives the sampling standard error of one period's value (lib.takeaways rule
S2 compares a change with three of them, combined): Poisson for counts and rates,
binomial with one success and one failure added (Agresti–Coull) for shares, the middle
half's spread for medians, compound Poisson for totals, the multinomial variance for eNPS.
No database, no streamlit.
"""

from __future__ import annotations

import math


def count_se(events: int, per_event: float) -> float:
    """A count-based value (`events` × `per_event`, e.g. deployments per week): Poisson,
    sd √n; no events still carries the noise of one."""
    return per_event * math.sqrt(max(events, 1))


def rate_se(events: int, denominator: float) -> float | None:
    """A rate of events over a population (leavers ÷ average headcount): Poisson numerator."""
    return math.sqrt(max(events, 1)) / denominator if denominator else None


def share_se(share: float, trials: int) -> float | None:
    """A share of `trials` (change failures of deployments): binomial, with one success and
    one failure added (Agresti–Coull) so 0% and 100% still carry noise."""
    if not trials:
        return None
    p = (min(max(share, 0.0), 1.0) * trials + 1) / (trials + 2)
    return math.sqrt(p * (1 - p) / trials)


def median_se(iqr: float | None, events: int) -> float | None:
    """A median of `events` durations: the spread of the middle half ÷ √n, the normal-theory
    error of a median (1.25 σ/√n ≈ 0.93 IQR/√n) rounded up for skewed durations."""
    if iqr is None or not events:
        return None
    return iqr / math.sqrt(events)


def sum_se(sum_of_squares: float, denominator: float) -> float | None:
    """A total of amounts over a population (learning hours ÷ headcount): compound Poisson,
    sd √Σx²."""
    return math.sqrt(sum_of_squares) / denominator if denominator else None


def nps_se(promoters: float, detractors: float, respondents: int) -> float | None:
    """eNPS (−100..100) from shares of promoters and detractors among `respondents`: the
    multinomial variance p₊ + p₋ − (p₊ − p₋)², at least 1/n."""
    if not respondents:
        return None
    variance = promoters + detractors - (promoters - detractors) ** 2
    return 100 * math.sqrt(max(variance, 1 / respondents) / respondents)
