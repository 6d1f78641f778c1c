"""Engineering output beside business outcomes, month by month, and how they move together.

`outcomes_by_month` puts, for each complete month of the window, what engineering shipped
(features completed, deployment frequency, median change lead time, incidents) beside
what the business reported (revenue, ARR, customers, NPS, churn). The window is the chosen
period, widened to the 24 months ending with it when shorter: a correlation over a
quarter's three months means nothing. A month the period cuts short is left out, so a
partial month never reads as a drop.

`lagged_correlations` compares each series' deviations from its own straight-line trend
over the window, never raw levels: two series that both grow with the company correlate
by their trend alone. Growing series (revenue, ARR, customers, features, deployments,
lead time) are detrended on a log scale, rates (NPS, churn, incidents) as they are. Each
business deviation is set against the engineering deviation 0–6 months earlier (Pearson
r; p from Student's t, scipy.stats.t). Neighbouring months are not independent, so the p-value uses
an effective number of months, n × (1 − ρx·ρy) ÷ (1 + ρx·ρy) with ρ the lag-1
autocorrelations (Bretherton et al., 1999), and is multiplied by the seven lags tried
(Bonferroni). Per pair the lag with the largest |r| is reported. With 20 pairs, about one
clears p < 0.05 by chance: the page says so. A correlation says the two moved together,
never that one caused the other.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from lib.scope import Scope
from lib.views.buckets import MIN_COUNT
from lib.views.business import business_by_period
from lib.views.delivery import dora_by_period


@dataclass(frozen=True)
class Series:
    column: str
    label: str
    unit: str  # "USD", "%", "score", "count", "per week", "hours"
    scale: str  # "log" for growing series, "linear" for rates and scores
    higher_is_better: bool


ENGINEERING = (
    Series("features_shipped", "Features shipped", "count", "log", True),
    Series("deployments_per_week", "Deployment frequency", "per week", "log", True),
    Series("lead_time_hours_p50", "Change lead time (median)", "hours", "log", False),
    Series("incidents", "Incidents", "count", "linear", False),
)
OUTCOMES = (
    Series("revenue", "Revenue", "USD", "log", True),
    Series("arr", "ARR", "USD", "log", True),
    Series("customers", "Customers", "count", "log", True),
    Series("nps", "NPS", "score", "linear", True),
    Series("churn_rate", "Churn rate", "%", "linear", False),
)
MAX_LAG = 6
MIN_MONTHS = 8  # fewer paired months and no correlation is stated
ALPHA = 0.05
WINDOW_MONTHS = 24


def outcome_scope(scope: Scope) -> Scope:
    """Complete months only, at least WINDOW_MONTHS of them: from the first month start in
    the period, or 24 months before its end when that is earlier, to the last month start
    at or before its end."""
    end = scope.end.replace(day=1)
    start = scope.start if scope.start.day == 1 else _add_months(scope.start.replace(day=1), 1)
    start = min(start, _add_months(end, -WINDOW_MONTHS))
    return replace(scope, start=start, end=end, grain="month")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def outcomes_by_month(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per complete month of the window (`outcome_scope`): `period` and the columns
    of ENGINEERING (over the scope's teams) and OUTCOMES (the organisation's: business
    metrics have no team). Months before the first with features or incidents are NaN there
    (before the source's history, not zeros). The median lead time of a month with fewer than
    `lib.views.buckets.MIN_COUNT` successful deployments is NaN (no data), so it is neither
    drawn nor correlated."""
    window = outcome_scope(scope)
    business = business_by_period(con, window)
    delivery = dora_by_period(con, window)
    out = pd.DataFrame({"period": pd.to_datetime(business["period"])})
    out["features_shipped"] = _since_first(business["features_completed"].astype(float).to_numpy())
    deliver = delivery.assign(period=pd.to_datetime(delivery["period"])).set_index("period")
    out["deployments_per_week"] = out["period"].map(deliver["deployment_frequency_per_week"]).astype(float)
    # A month's median on fewer than MIN_COUNT deployments is one or two changes' story, not the
    # month's lead time: it is no data there, as on the Delivery page's trend.
    enough = deliver["successful_deployments"].fillna(0) >= MIN_COUNT
    out["lead_time_hours_p50"] = out["period"].map(deliver["lead_time_hours_p50"].where(enough)).astype(float)
    out["incidents"] = _since_first(out["period"].map(deliver["incidents"]).astype(float).to_numpy())
    for s in OUTCOMES:
        out[s.column] = business[s.column].astype(float).to_numpy()
    return out


def _since_first(values: np.ndarray) -> np.ndarray:
    """Counts from the first month with one on: months before a source's first row are no
    data (NaN), not zeros, so a panel draws no flat 0 and a correlation never pairs it."""
    started = np.flatnonzero(np.nan_to_num(values) > 0)
    out = values.astype(float).copy()
    out[: started[0] if len(started) else len(out)] = np.nan
    return out


def deviations(frame: pd.DataFrame, series: Series) -> pd.Series:
    """A column minus its least-squares straight line over the months that have a value
    (on a log scale for growing series, where non-positive values count as missing)."""
    values = frame[series.column].astype(float)
    if series.scale == "log":
        values = np.log(values.where(values > 0))
    known = values.notna().to_numpy()
    out = pd.Series(np.nan, index=values.index)
    if known.sum() >= 3:
        x = np.arange(len(values))[known]
        y = values.to_numpy()[known]
        slope, intercept = np.polyfit(x, y, 1)
        residual = y - (slope * x + intercept)
        # A series that is its trend (rounding aside) has nothing left to correlate.
        if np.abs(residual).max() <= 1e-9 * max(1.0, float(np.abs(y).max())):
            residual = np.zeros_like(residual)
        out[known] = residual
    return out


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson r of two equal-length arrays (0 when either does not vary)."""
    da, db = a - a.mean(), b - b.mean()
    norm = math.sqrt(float(da @ da) * float(db @ db))
    return 0.0 if norm == 0 else max(-1.0, min(1.0, float(da @ db) / norm))


def _lag1(values: np.ndarray) -> float:
    return _pearson(values[:-1], values[1:]) if len(values) >= 3 else 0.0


def effective_months(a: np.ndarray, b: np.ndarray) -> float:
    """n × (1 − ρa·ρb) ÷ (1 + ρa·ρb): fewer independent months when both series drift slowly."""
    product = max(_lag1(a) * _lag1(b), 0.0)
    return len(a) * (1 - product) / (1 + product)


def lagged_correlations(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (engineering series, outcome, lag 0–6): `engineering`, `outcome`, `lag`
    (months the outcome comes after the engineering series), `r`, `n` (paired months),
    `n_effective` and `p` (two-sided, from the effective months, not yet corrected for the
    lags tried); r and p are NaN below MIN_MONTHS pairs or when a series does not vary."""
    rows = []
    outcomes = {o.column: deviations(frame, o).to_numpy() for o in OUTCOMES}
    for eng in ENGINEERING:
        x = deviations(frame, eng).to_numpy()
        for outcome in OUTCOMES:
            y = outcomes[outcome.column]
            for lag in range(MAX_LAG + 1):
                a = x[: len(x) - lag] if lag else x
                b = y[lag:]
                keep = np.isfinite(a) & np.isfinite(b)
                n = int(keep.sum())
                r = p = n_eff = math.nan
                if n >= MIN_MONTHS and np.ptp(a[keep]) > 0 and np.ptp(b[keep]) > 0:
                    r = _pearson(a[keep], b[keep])
                    n_eff = effective_months(a[keep], b[keep])
                rows.append(
                    {
                        "engineering": eng.column,
                        "outcome": outcome.column,
                        "lag": lag,
                        "r": r,
                        "n": n,
                        "n_effective": n_eff,
                        "p": p,
                    }
                )
    out = pd.DataFrame(rows, columns=["engineering", "outcome", "lag", "r", "n", "n_effective", "p"])
    out["p"] = _p_values(out["r"].to_numpy(dtype=float), out["n_effective"].to_numpy(dtype=float))
    return out


def _p_values(r: np.ndarray, n_eff: np.ndarray) -> np.ndarray:
    """`_p_value` over arrays in one call (NaN where r is NaN)."""
    out = np.full(len(r), np.nan)
    known = np.isfinite(r)
    few = known & (n_eff <= 3)
    out[few] = 1.0
    rest = known & ~few
    rr, nn = np.abs(r[rest]), n_eff[rest]
    with np.errstate(divide="ignore"):
        t = rr * np.sqrt((nn - 2) / np.maximum(1 - rr * rr, 1e-300))
    out[rest] = np.where(rr >= 1, 0.0, 2 * _student_t().sf(t, nn - 2))
    return out


def _p_value(r: float, n_eff: float) -> float:
    """Two-sided p of Pearson's r with `n_eff` independent pairs (t with n_eff − 2 df)."""
    if n_eff <= 3:
        return 1.0
    if abs(r) >= 1:
        return 0.0
    t = abs(r) * math.sqrt((n_eff - 2) / (1 - r * r))
    return float(2 * _student_t().sf(t, n_eff - 2))


def _student_t():
    """scipy.stats.t, imported when first needed: importing scipy.stats takes about 0.9 s, which
    every chart page's first visit paid through the chart registry on a freshly started server."""
    from scipy.stats import t

    return t


def strongest_lags(correlations: pd.DataFrame) -> pd.DataFrame:
    """Per (engineering, outcome) pair the lag with the largest |r|: `lag`, `r`, `n`,
    `p` and `p_adjusted` (p × the lags tried, at most 1) and `strength`: "clear"
    (p_adjusted < 0.05), "none", or "too few months". Clear links first, then by |r|."""
    keys = ["engineering", "outcome"]
    valid = correlations.dropna(subset=["r"]).assign(_abs=lambda f: f["r"].abs())
    tried = valid.groupby(keys, sort=False)["lag"].count().rename("tried")
    best = valid.loc[valid.groupby(keys, sort=False)["_abs"].idxmax()].set_index(keys).join(tried)
    pairs = correlations[keys].drop_duplicates().set_index(keys)
    found = pairs.join(best[["lag", "r", "n", "p", "tried"]])
    found["p_adjusted"] = (found["p"] * found["tried"]).clip(upper=1.0)
    found["n"] = found["n"].fillna(0).astype(int)
    rows = [
        {**dict(zip(keys, key, strict=True)), "lag": None if pd.isna(row.lag) else int(row.lag), "r": row.r,
         "n": row.n, "p": row.p, "p_adjusted": row.p_adjusted}
        for key, row in zip(found.index, found.itertuples(), strict=True)
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=["engineering", "outcome", "lag", "r", "n", "p", "p_adjusted"])
    out["strength"] = [_strength(r) for _, r in out.iterrows()]
    order = out["strength"].map({"clear": 0, "none": 1, "too few months": 2})
    out = out.assign(_order=order, _abs=out["r"].abs()).sort_values(
        ["_order", "_abs"], ascending=[True, False]
    )
    return out.drop(columns=["_order", "_abs"]).reset_index(drop=True)


def _strength(row: pd.Series) -> str:
    if row["lag"] is None or pd.isna(row["lag"]) or pd.isna(row["r"]):
        return "too few months"
    return "clear" if row["p_adjusted"] < ALPHA else "none"


LABELS = {s.column: s for s in (*ENGINEERING, *OUTCOMES)}


def _when(lag: int) -> str:
    return "in the same month" if lag == 0 else f"{lag} month{'s' if lag != 1 else ''} earlier"


def link_sentence(row: pd.Series | dict) -> str:
    """One honest sentence per pair: how many months behind, r, months of data, never a cause.

    'ARR ran above its trend with features shipped 2 months earlier (r = +0.72 over 22
    months; p = 0.010 allowing for 7 lags tried): a correlation, not proof that one causes
    the other.'
    """
    eng, outcome = LABELS[row["engineering"]], LABELS[row["outcome"]]
    strength = row["strength"]
    if strength == "too few months":
        return f"{outcome.label} and {eng.label.lower()}: too few months to compare."
    r, lag, n = float(row["r"]), int(row["lag"]), int(row["n"])
    if strength == "none":
        return (
            f"{outcome.label}: no link to {eng.label.lower()} beyond chance at any lag of 0–{MAX_LAG} months "
            f"(strongest r = {r:+.2f}, {_when(lag)}, over {n} months)."
        )
    direction = "with" if r > 0 else "against"
    return (
        f"{outcome.label} moved {direction} {eng.label.lower()} {_when(lag)} (r = {r:+.2f} over {n} months; "
        f"{_p_text(row['p_adjusted'])} allowing for {MAX_LAG + 1} lags tried): a correlation, not proof that "
        "one causes the other."
    )


def outcome_analysis(
    con: duckdb.DuckDBPyConnection, scope: Scope
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(outcomes_by_month, lagged_correlations, strongest_lags) in one call, for one cache entry."""
    frame = outcomes_by_month(con, scope)
    correlations = lagged_correlations(frame)
    return frame, correlations, strongest_lags(correlations)


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
