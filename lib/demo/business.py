"""Business alignment inputs: monthly business metrics, initiatives, loaded engineer costs.

The company is a SaaS business growing faster than its costs, and its growth answers to
engineering output:
- R&D spend is the engineering payroll actually employed that month (loaded cost by
  location) plus overhead, so it moves with headcount;
- ARR grows each month by a base rate minus churn, and runs above that path after a month
  that shipped more features than usual (sales sell what shipped: the lift shows two to
  three months later); revenue is recognised from ARR
  (a twelfth of the month's average ARR) with a December services peak, so R&D falls
  from about 31% to 24% of revenue;
- logo churn rises and NPS falls in the month after an unusually incident-heavy month;
- customers follow ARR at a slowly rising contract value, with a step when the acquired
  company's customers join; company headcount is engineering headcount ÷ a share that
  drifts from 48% to 55%, so ARR per employee climbs as the company scales.
Every series has a value for each month finance has closed by the demo's last day (its
month too when that day ends it): a finance export holds no figure for a month still running,
and a whole month's figure set against its first days would mislead. Amounts are in USD.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lib.demo.people import Staff
from lib.demo.world import LOCATIONS, World

METRICS = ("revenue", "arr", "rnd_spend", "customers", "nps", "churn_rate", "company_headcount")
UNITS = {
    "revenue": "USD",
    "arr": "USD",
    "rnd_spend": "USD",
    "customers": "count",
    "nps": "score",
    "churn_rate": "%",
    "company_headcount": "count",
}
OVERHEAD = 1.2  # tooling, cloud for development, recruiting
FEATURE_LAGS = (2, 3)  # months between a feature shipping and the ARR it helps sell
FEATURE_LIFT = 0.08  # ARR above its path per 100% more features than usual, 2–3 months on
INCIDENT_CHURN = 0.004  # extra monthly churn per 100% more incidents than usual

# initiative: (owner, business metric it is meant to move, description)
INITIATIVES = {
    "Checkout v2": ("VP Product, Commerce", "revenue", "Faster checkout, fewer abandoned carts"),
    "Mobile growth": ("Head of Growth", "customers", "Acquisition and activation in the apps"),
    "Platform reliability": ("VP Engineering, Platform", "churn_rate", "Fewer incidents customers feel"),
    "Compliance 2026": ("CISO", "arr", "SOC 2 and data-residency controls enterprise deals require"),
    "Self-serve analytics": ("Director of Product, Analytics", "nps", "Customers answer their own questions"),
    "Marketplace launch": ("VP Product, Marketplace", "revenue", "Third-party apps and revenue share"),
    "Enterprise SSO": ("Director of Product, Identity", "arr", "SAML and SCIM for enterprise plans"),
}


def _months(world: World) -> np.ndarray:
    """The months finance has closed by `world.end`: whole months only, as a finance export
    holds them (a demo ending 5 Dec stored December's revenue and spend whole, which a 1–5 Dec
    period then set against five days of output)."""
    first = np.datetime64(world.start, "M") + (0 if world.start.day == 1 else 1)
    last = np.datetime64(world.end + dt.timedelta(days=1), "M") - 1  # the last month ended by `end`
    return np.arange(first, last + 1)


def monthly_counts(world: World, stamps: pd.Series) -> np.ndarray:
    """Events per month of `_months(world)` from a series of datetimes (NaT ignored)."""
    months = _months(world)
    when = stamps.dropna().to_numpy().astype("datetime64[M]")
    index = (when - months[0]).astype(int)
    index = index[(index >= 0) & (index < len(months))]
    return np.bincount(index, minlength=len(months)).astype(float)


def _surprise(counts: np.ndarray, per_head: np.ndarray) -> np.ndarray:
    """How far each month's count per engineer sits above (+) or below (−) the trailing
    six-month norm, as a fraction: growth with headcount is no surprise."""
    rate = counts / np.maximum(per_head, 1)
    out = np.zeros(len(rate))
    for m in range(len(rate)):
        window = rate[max(0, m - 6) : m] if m else rate[:1]
        norm = window.mean() if len(window) else rate[m]
        out[m] = rate[m] / norm - 1 if norm > 0 else 0.0
    return np.clip(out, -0.6, 0.6)


def _lagged(values: np.ndarray, lag: int) -> np.ndarray:
    return np.concatenate([np.zeros(lag), values[:-lag]]) if lag else values


def business_metrics(
    world: World, staff: Staff, features: np.ndarray | None = None, incidents: np.ndarray | None = None
) -> pd.DataFrame:
    """One row per month and metric (columns period_start, metric, value, unit).

    `features` and `incidents` are counts per month of `_months(world)` (from
    `monthly_counts`); without them the engineering-driven terms are zero.
    """
    rng = world.rng("business")
    months = _months(world)
    n = len(months)
    origin = np.datetime64(world.start, "D")
    begin = (months.astype("datetime64[D]") - origin).astype(int)
    stop = ((months + 1).astype("datetime64[D]") - origin).astype(int)

    headcount = staff.headcount(world)  # teams × days
    daily_heads = headcount.sum(axis=0).astype(float)
    daily_cost = (headcount * (world.monthly_cost * 12 / 365)[:, None]).sum(axis=0)
    # The month of the last day runs past history: its later days cost what the last day did.
    pad = max(int(stop[-1]) - len(daily_cost), 0)
    daily_cost = np.concatenate([daily_cost, np.full(pad, daily_cost[-1])])
    daily_heads = np.concatenate([daily_heads, np.full(pad, daily_heads[-1])])
    cumulative = np.concatenate([[0.0], np.cumsum(daily_cost)])
    rnd_spend = (cumulative[stop] - cumulative[begin]) * OVERHEAD
    engineers = daily_heads[np.minimum(stop, len(daily_heads)) - 1]

    features = np.zeros(n) if features is None else np.asarray(features, dtype=float)
    incidents = np.zeros(n) if incidents is None else np.asarray(incidents, dtype=float)
    feature_news = _surprise(features, engineers)
    incident_news = _surprise(incidents, engineers)

    m = np.arange(n)
    trend = m / max(n - 1, 1)
    joined = begin >= world.acquisition_day
    churn_rate = np.clip(
        0.019 - 0.007 * trend + INCIDENT_CHURN * _lagged(incident_news, 1) + rng.normal(0, 0.0009, n),
        0.004,
        0.05,
    )
    # Base growth chosen so R&D falls from ~31% to ~24% of revenue over the history.
    wanted = np.log(rnd_spend[-3:].mean() / rnd_spend[:3].mean() * 0.31 / 0.24) / max(n - 1, 1)
    lift = FEATURE_LIFT * sum(_lagged(feature_news, lag) for lag in FEATURE_LAGS) / len(FEATURE_LAGS)
    growth = wanted - 0.5 * (churn_rate - churn_rate.mean()) + rng.normal(0, 0.0008, n)
    growth[np.argmax(joined)] += 0.03 if joined.any() else 0.0  # the acquired company's book
    # Deals closed on what shipped lift ARR above its path for as long as they are new business.
    arr = 12 * rnd_spend[:3].mean() / 0.31 * np.exp(np.cumsum(growth)) * (1 + lift)
    average_arr = (arr + np.concatenate([[arr[0] / np.exp(growth[0])], arr[:-1]])) / 2
    month_of_year = months.astype(int) % 12
    services = 1 + 0.04 * np.cos(2 * np.pi * (month_of_year - 11) / 12)
    revenue = average_arr / 12 * services * (1 + rng.normal(0, 0.01, n))
    contract = 26_000 * (1 + 0.25 * trend)  # ARR per customer
    customers = np.round(arr / contract * (1 + 0.03 * joined) * (1 + rng.normal(0, 0.004, n)))
    nps = np.round(31 + 10 * trend - 20 * _lagged(incident_news, 1) + rng.normal(0, 1.5, n))
    company_headcount = np.round(engineers / (0.48 + 0.07 * trend))

    series = {
        "revenue": np.round(revenue),
        "arr": np.round(arr),
        "rnd_spend": np.round(rnd_spend),
        "customers": customers,
        "nps": nps,
        "churn_rate": np.round(churn_rate, 4),
        "company_headcount": company_headcount,
    }
    return pd.DataFrame(
        {
            "period_start": np.tile(months.astype("datetime64[D]"), len(METRICS)),
            "metric": np.repeat(METRICS, n),
            "value": np.concatenate([series[k] for k in METRICS]),
            "unit": np.repeat([UNITS[k] for k in METRICS], n),
        }
    )


def initiatives(world: World) -> pd.DataFrame:
    """The demo's business initiatives: the names its work items carry, so each maps by name."""
    del world  # the same initiatives at every scale
    names = list(INITIATIVES)
    return pd.DataFrame(
        {
            "initiative": names,
            "owner": [INITIATIVES[i][0] for i in names],
            "business_metric": [INITIATIVES[i][1] for i in names],
            "epics": [None] * len(names),
            "description": [INITIATIVES[i][2] for i in names],
        }
    )


def engineer_costs(world: World) -> pd.DataFrame:
    """Loaded annual cost per engineer for every (location, sourcing) the teams use."""
    used = sorted({t.location for t in world.teams})
    return pd.DataFrame(
        {
            "location": used,
            "sourcing": [LOCATIONS[loc][0] for loc in used],
            "annual_cost": [LOCATIONS[loc][2] * 12 for loc in used],
        }
    )
