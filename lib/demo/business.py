"""Business metrics, one value per complete month: a SaaS company growing faster than its costs.

R&D spend is the engineering payroll actually employed that month (by location cost) plus
overhead, so it moves with headcount; revenue starts near three times R&D and grows faster,
so R&D falls from about 31% to 24% of revenue, with a December peak and a step when the
acquired company's customers join.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lib.demo.people import Staff
from lib.demo.world import World

METRICS = ("revenue", "arr", "rnd_spend", "customers", "nps", "churn_rate")
OVERHEAD = 1.2  # tooling, cloud for development, recruiting


def business_metrics(world: World, staff: Staff) -> pd.DataFrame:
    rng = world.rng("business")
    origin = np.datetime64(world.start, "D")
    first = np.datetime64(world.start, "M") + (0 if world.start.day == 1 else 1)
    last = np.datetime64(world.end + dt.timedelta(days=1), "M") - 1
    months = np.arange(first, last + 1)
    begin = (months.astype("datetime64[D]") - origin).astype(int)
    stop = ((months + 1).astype("datetime64[D]") - origin).astype(int)

    daily_cost = (staff.headcount(world) * (world.monthly_cost * 12 / 365)[:, None]).sum(axis=0)
    cumulative = np.concatenate([[0.0], np.cumsum(daily_cost)])
    rnd_spend = (cumulative[stop] - cumulative[begin]) * OVERHEAD

    n = len(months)
    m = np.arange(n)
    trend = m / max(n - 1, 1)
    joined = 1 + 0.05 * (begin >= world.acquisition_day)
    base = rnd_spend[:3].mean() / 0.31
    growth = np.log(rnd_spend[-3:].mean() / rnd_spend[:3].mean() * 0.31 / 0.24) / max(n - 1, 1)
    month_of_year = months.astype(int) % 12
    season = 1 + 0.04 * np.cos(2 * np.pi * (month_of_year - 11) / 12)
    revenue = base * np.exp(growth * m) * season * joined * (1 + rng.normal(0, 0.015, n))
    arr = 12 * 0.86 * base * np.exp(growth * (m + 1)) * joined * (1 + rng.normal(0, 0.004, n))
    customers = np.round(
        base / 2600 * np.exp(0.8 * growth * m) * (1 + 0.04 * (joined > 1)) * (1 + rng.normal(0, 0.008, n))
    )
    nps = np.round(31 + 10 * trend + rng.normal(0, 2.5, n))
    churn_rate = np.round(0.019 - 0.007 * trend + rng.normal(0, 0.0012, n), 4)

    values = np.concatenate(
        [np.round(revenue), np.round(arr), np.round(rnd_spend), customers, nps, churn_rate]
    )
    return pd.DataFrame(
        {
            "period_start": np.tile(months.astype("datetime64[D]"), len(METRICS)),
            "metric": np.repeat(METRICS, n),
            "value": values,
        }
    )
