"""Flow: work items (features, defects, risks, debts) and their status history.

Teams create work in proportion to their headcount. Defects are commoner in less capable
teams, risk work grows once the compliance initiative starts, and debt items surge during
the tech-debt push. Most items carry a status history whose active share (In Progress,
In Review) against waiting (Blocked, Ready to Deploy) gives a believable flow efficiency.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo.people import Staff
from lib.demo.world import DAY_S, World, labels, poisson_events

TYPES = ("feature", "defect", "risk", "debt")
FEATURE, DEFECT, RISK, DEBT = range(4)
STATUSES = ("To Do", "In Progress", "Blocked", "In Review", "Ready to Deploy", "Done", "Canceled")
ACTIVE_STATUSES = ("In Progress", "In Review")
INITIATIVES = (
    "Checkout v2",
    "Mobile growth",
    "Platform reliability",
    "Compliance 2026",
    "Self-serve analytics",
    "Marketplace launch",
    "Enterprise SSO",
)
HOME_INITIATIVE = {  # org: index into INITIATIVES of the initiative most of its features serve
    "Commerce": 0,
    "Payments": 0,
    "Mobile": 1,
    "Growth": 1,
    "Platform": 2,
    "Infrastructure": 2,
    "Developer Experience": 2,
    "Analytics": 4,
    "Data": 4,
    "Marketplace": 5,
    "Identity": 6,
    "Enterprise": 6,
}
EFFORT_POINTS = np.array([1, 2, 3, 5, 8, 13])
EFFORT_P = np.array(
    [
        [0.10, 0.20, 0.25, 0.25, 0.15, 0.05],
        [0.35, 0.30, 0.20, 0.10, 0.05, 0.00],
        [0.15, 0.25, 0.30, 0.20, 0.10, 0.00],
        [0.10, 0.20, 0.30, 0.25, 0.12, 0.03],
    ]
)
_THINGS = (
    "saved cards",
    "guest checkout",
    "order history",
    "push notifications",
    "search filters",
    "team dashboards",
    "CSV export",
    "referral rewards",
    "invoice emails",
    "account settings",
)
TITLES = (
    tuple(f"{verb} {thing}" for verb in ("Add", "Build", "Launch", "Improve") for thing in _THINGS),
    tuple(
        f"Fix {bug} in {thing}"
        for bug in ("crash", "timeout", "wrong totals", "duplicate sends")
        for thing in _THINGS
    ),
    tuple(
        f"{act} {thing}"
        for act in ("Patch CVE in", "Audit access to", "Add retention rules to")
        for thing in _THINGS
    ),
    tuple(
        f"{act} {thing}"
        for act in ("Refactor", "Upgrade dependencies of", "Remove dead code in", "Add tests for")
        for thing in _THINGS
    ),
)


def _types(rng, world: World, team: np.ndarray, day: np.ndarray) -> np.ndarray:
    in_push = (day >= world.debt_push[0]) & (day < world.debt_push[1])
    p = np.empty((len(team), 4))
    p[:, DEFECT] = np.clip(0.2 - 0.1 * world.capability[team], 0.08, 0.35)
    p[:, RISK] = np.where(day >= world.compliance_day, 0.11, 0.06)
    p[:, DEBT] = 0.10 + 0.30 * in_push
    p[:, FEATURE] = 1 - p[:, 1:].sum(axis=1)
    return (rng.random(len(team))[:, None] > np.cumsum(p, axis=1)[:, :3]).sum(axis=1)


def _initiatives(rng, world: World, team: np.ndarray, day: np.ndarray, kind: np.ndarray) -> np.ndarray:
    orgs = list(dict.fromkeys(t.org for t in world.teams))
    home = np.array([HOME_INITIATIVE.get(org, -1) for org in orgs])
    org_of_team = np.array([orgs.index(t.org) for t in world.teams])
    u = rng.random(len(team))
    mine = home[org_of_team[team]]
    return np.select(
        [
            (kind == FEATURE) & (u < 0.7),
            (kind == DEFECT) & (u < 0.15),
            (kind == DEBT) & (u < 0.6),
            (kind == RISK) & (day >= world.compliance_day) & (u < 0.75),
        ],
        [mine, mine, INITIATIVES.index("Platform reliability"), INITIATIVES.index("Compliance 2026")],
        -1,
    )


def work_items(world: World, staff: Staff) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = world.rng("work-items")
    cap = world.capability
    weekday = np.where(world.weekday < 5, 1.36, 0.1)
    rate = staff.headcount(world) * (0.9 * np.exp(0.25 * cap) / 7)[:, None] * weekday
    team, day = poisson_events(rng, rate)  # grouped by team, days in order
    n = len(team)
    created = world.working_seconds(day, team, rng)
    kind = _types(rng, world, team, day)
    initiative = _initiatives(rng, world, team, day, kind)
    effort = EFFORT_POINTS[(rng.random(n)[:, None] > np.cumsum(EFFORT_P[kind], axis=1)[:, :5]).sum(axis=1)]
    progress = world.progress[day]

    wait_days = 3 * (1.2 - 0.3 * cap[team]) * np.where(kind == DEFECT, 0.4, 1.0) * rng.lognormal(0, 1.0, n)
    started = created + np.maximum(wait_days * DAY_S, 600)
    flow_days = (
        3.5
        * np.exp(-0.5 * cap[team])
        * np.sqrt(effort / 3)
        * (1.15 - 0.3 * progress)
        * rng.lognormal(0, 0.7, n)
    )
    flow_s = np.maximum(flow_days * DAY_S, 3600)
    completed = started + flow_s

    canceled = np.where(rng.random(n) < 0.07, created + rng.lognormal(np.log(20), 0.8, n) * DAY_S, np.nan)
    is_canceled = ~np.isnan(canceled)
    began_before_cancel = started < canceled
    started = np.where(is_canceled & ~(began_before_cancel & (rng.random(n) < 0.4)), np.nan, started)
    completed = np.where(is_canceled, np.nan, completed)

    tracked = rng.random(n) < 0.9
    transitions = _transitions(rng, world, team, created, started, flow_s, canceled, tracked)

    horizon = world.horizon_s
    started[started >= horizon] = np.nan
    completed[completed >= horizon] = np.nan
    canceled[canceled >= horizon] = np.nan

    names = [t.team for t in world.teams]
    prefix = np.array([t.prefix + "-" for t in world.teams], dtype=object)
    number = np.arange(n) - np.searchsorted(team, team)  # items are grouped by team, in creation order
    item_id = pd.Series(prefix[team]) + pd.Series(number + 1).astype(str)
    title = np.empty(n, dtype=object)
    for k, pool in enumerate(TITLES):
        mask = kind == k
        title[mask] = np.asarray(pool, dtype=object)[rng.integers(len(pool), size=mask.sum())]

    items = pd.DataFrame(
        {
            "item_id": item_id,
            "team": labels(team, names),
            "type": labels(kind, TYPES),
            "title": title,
            "initiative": labels(initiative, INITIATIVES),
            "created_at": world.stamps(created),
            "started_at": world.stamps(started),
            "completed_at": world.stamps(completed),
            "canceled_at": world.stamps(canceled),
            "effort": np.where(rng.random(n) < 0.08, np.nan, effort.astype(float)),
        }
    )
    transitions.insert(0, "item_id", item_id.to_numpy()[transitions.pop("item")])
    return items, transitions


def _transitions(rng, world, team, created, started, flow_s, canceled, tracked) -> pd.DataFrame:
    """Status changes: To Do, In Progress, [Blocked, In Progress], In Review, Ready to Deploy, Done."""
    n = len(team)
    cap = world.capability[team]
    active_share = np.clip(0.32 + 0.18 * cap + rng.normal(0, 0.12, n), 0.08, 0.95)
    blocked = rng.random(n) < 0.3 - 0.1 * cap
    waiting = (1 - active_share) * flow_s
    blocked_s = np.where(blocked, waiting * rng.uniform(0.3, 0.8, n), 0.0)
    working = active_share * flow_s
    coding = working * rng.uniform(0.45, 0.75, n)
    before_block = coding * rng.uniform(0.2, 0.7, n)
    review_at = started + coding + blocked_s
    ready_at = review_at + (working - coding)

    is_canceled = ~np.isnan(canceled)
    has_start = ~np.isnan(started)
    flowing = tracked & has_start & ~is_canceled
    steps = [
        (tracked, created, 0),
        (tracked & has_start, started, 1),
        (flowing & blocked, started + before_block, 2),
        (flowing & blocked, started + before_block + blocked_s, 1),
        (flowing, review_at, 3),
        (flowing, ready_at, 4),
        (flowing, started + flow_s, 5),
        (tracked & is_canceled, canceled, 6),
    ]
    item = np.concatenate([np.nonzero(mask)[0] for mask, _, _ in steps])
    at = np.concatenate([when[mask] for mask, when, _ in steps])
    status = np.concatenate([np.full(mask.sum(), code) for mask, _, code in steps])
    keep = at < world.horizon_s
    frame = pd.DataFrame({"item": item[keep], "at": np.round(at[keep]), "status": status[keep]})
    frame = frame.drop_duplicates(["item", "at"], keep="last").sort_values(["item", "at"], ignore_index=True)
    return pd.DataFrame(
        {
            "item": frame["item"].to_numpy(),
            "changed_at": world.stamps(frame["at"].to_numpy()),
            "to_status": labels(frame["status"], STATUSES),
            "active": np.isin(frame["status"].to_numpy(), [STATUSES.index(s) for s in ACTIVE_STATUSES]),
        }
    )
