"""People: who works in which team and when, their levels, exits, managers and 1:1s.

Staff is simulated in generations: the people present at the start (or arriving with the
acquisition) and planned growth hires each draw an exit time; most leavers are backfilled
by a new hire a few weeks later, who draws an exit of their own, until history runs out.
Voluntary exits are far likelier in teams with low psychological safety, new hires
sometimes leave within their first year, and a third of the acquired cohort leaves within
its first year after the deal. Separations and hires run to the last days of history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.demo.world import ACQUIRED_COMPANY, LOCATIONS, NEVER, World, labels, numbered

ENGINEER, MANAGER, DIRECTOR = 0, 1, 2
STILL_EMPLOYED, VOLUNTARY, INVOLUNTARY = 0, 1, 2
LEVELS = ("L1", "L2", "L3", "L4", "L5", "L6")
ENGINEER_ROLES = (
    "Associate Engineer",
    "Software Engineer",
    "Senior Engineer",
    "Staff Engineer",
    "Principal Engineer",
    "Distinguished Engineer",
)
ROLES = (*ENGINEER_ROLES, "Engineering Manager", "Director of Engineering")
HIRE_LEVEL_P = (0.25, 0.35, 0.25, 0.11, 0.04, 0.0)
YEARS_TO_PROMOTION = np.array([1.6, 2.5, 3.5, 5.0, 7.5, np.inf])  # from L1, L2, …


@dataclass
class Staff:
    """Everyone who worked here during history, one array entry per person."""

    team: np.ndarray
    kind: np.ndarray
    hire: np.ndarray  # day of hire (negative: before history)
    term: np.ndarray  # first day no longer employed, NEVER if still employed
    exit_type: np.ndarray
    acquired: np.ndarray
    level: np.ndarray  # 1..6, at the end of history or at exit
    manager: np.ndarray  # index of the manager, -1 for none
    regretted: np.ndarray
    adopt: np.ndarray  # first day using the AI tool, NEVER if never
    promotions: pd.DataFrame  # person, day, from_level (1..5)
    ids: pd.Series
    team_manager: np.ndarray  # per team, index of its manager

    def __len__(self) -> int:
        return len(self.team)

    def active_on(self, day: int) -> np.ndarray:
        return (self.hire <= day) & (self.term > day)

    def grid(self, world: World, begin: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Per team and day, how many people are inside their [begin, stop) interval."""
        counts = np.zeros((len(world.teams), world.n_days + 1), dtype=np.int64)
        inside = begin < stop
        np.add.at(counts, (self.team[inside], np.clip(begin[inside], 0, world.n_days)), 1)
        np.add.at(counts, (self.team[inside], np.clip(stop[inside], 0, world.n_days)), -1)
        return np.cumsum(counts, axis=1)[:, : world.n_days]

    def headcount(self, world: World) -> np.ndarray:
        return self.grid(world, self.hire, self.term)

    def ai_users(self, world: World) -> np.ndarray:
        return self.grid(world, self.adopt, self.term)


def _exits(world: World, rng, hire, team, acquired) -> tuple[np.ndarray, ...]:
    """Each person's exit day and type (NEVER and STILL_EMPLOYED past the end of history), the
    day they were drawn to leave when that falls after the end (their `due` day, else NEVER),
    and the type of exit they drew."""
    n = len(hire)
    exposed_from = np.maximum(hire, 0).astype(float)
    voluntary_per_year = 0.095 * np.exp(-1.25 * world.safety[team])
    t_vol = exposed_from + rng.exponential(365 / voluntary_per_year)
    t_invol = exposed_from + rng.exponential(365 / 0.035, n)
    early = (hire >= 0) & (rng.random(n) < 0.08)
    t_vol = np.where(early, np.minimum(t_vol, hire + rng.uniform(45, 330, n)), t_vol)
    # The acquired company's first year: integration friction (the trust and autonomy dip the
    # surveys show) makes a third of its people leave before their first anniversary with us.
    cliff = acquired & (rng.random(n) < 0.33)
    t_vol = np.where(cliff, np.minimum(t_vol, world.acquisition_day + rng.uniform(60, 350, n)), t_vol)
    term = np.maximum(np.ceil(np.minimum(t_vol, t_invol)).astype(np.int64), hire + 1)
    left = term < world.n_days
    kind = np.where(t_vol <= t_invol, VOLUNTARY, INVOLUNTARY)
    return (
        np.where(left, term, NEVER),
        np.where(left, kind, STILL_EMPLOYED),
        np.where(left, NEVER, term),
        kind,
    )


# Separations are rare events (about two a month in the small organisation), so a run of
# draws can leave the last weeks empty and make the latest quarter look like news. Each of
# these trailing windows (days before the end) gets at least one separation: when one has
# none, the person due to leave soonest after the end leaves inside it instead, so the story
# (who is likeliest to leave) is unchanged.
TRAILING_WINDOWS = ((90, 60), (60, 30), (30, 7), (7, 0))


def _run_to_the_end(world: World, rng, out: dict[str, np.ndarray]) -> None:
    """Make separations and hires reach the last days of history (SPEC §8)."""
    n_days = world.n_days
    for far, near in TRAILING_WINDOWS:
        lo, hi = n_days - far, n_days - near
        if ((out["term"] >= lo) & (out["term"] < hi)).any():
            continue
        due = np.where((out["term"] == NEVER) & (out["hire"] < lo), out["due"], NEVER)
        person = int(np.argmin(due))
        out["term"][person] = rng.integers(lo, hi)
        out["exit_type"][person] = out["due_type"][person]
        out["due"][person] = NEVER


def _engineers(world: World, rng, leaders_per_team: np.ndarray) -> dict[str, np.ndarray]:
    """Simulate engineers in generations of hires, exits and backfills."""
    n_days = world.n_days
    target = np.array([t.size for t in world.teams]) - leaders_per_team
    acquired_team = np.array([t.acquired for t in world.teams])
    start_share = np.where(acquired_team, 0.95, 0.85)
    first = np.round(target * start_share).astype(int)
    growth = np.maximum(target - first, 0) + np.round(target * 0.05 * world.years).astype(int)

    team = np.concatenate(
        [np.repeat(np.arange(len(target)), first), np.repeat(np.arange(len(target)), growth)]
    )
    founders = np.arange(len(team)) < first.sum()
    tenure_before = np.minimum(rng.exponential(850, len(team)) + 1, 4000).astype(np.int64)
    founder_hire = np.where(acquired_team[team], world.acquisition_day, -tenure_before)
    growth_hire = rng.integers(world.active_from[team], n_days)
    hire = np.where(founders, founder_hire, growth_hire)
    acquired = founders & acquired_team[team]

    parts = []
    while len(hire):
        term, exit_type, due, due_type = _exits(world, rng, hire, team, acquired)
        parts.append((team, hire, term, exit_type, acquired, due, due_type))
        backfill = (exit_type != STILL_EMPLOYED) & (term < n_days - 20) & (rng.random(len(hire)) < 0.85)
        next_hire = term[backfill] + rng.integers(20, 110, backfill.sum())
        keep = next_hire < n_days
        team, hire = team[backfill][keep], next_hire[keep]
        acquired = np.zeros(len(hire), dtype=bool)

    cols = ("team", "hire", "term", "exit_type", "acquired", "due", "due_type")
    out = {c: np.concatenate([p[i] for p in parts]) for i, c in enumerate(cols)}

    last_week = n_days - 7
    if not ((out["hire"] >= last_week) & (out["hire"] < n_days)).any():
        extra = {"team": [rng.integers(len(target))], "hire": [rng.integers(last_week, n_days)]}
        extra |= {"term": [NEVER], "exit_type": [STILL_EMPLOYED], "acquired": [False]}
        extra |= {"due": [NEVER], "due_type": [STILL_EMPLOYED]}
        out = {c: np.concatenate([out[c], np.asarray(extra[c])]) for c in cols}
    _run_to_the_end(world, rng, out)
    window = n_days - 90
    leaving = (out["term"] >= window) & (out["term"] < n_days) & (out["exit_type"] == VOLUNTARY)
    if not leaving.any():
        stayers = np.nonzero((out["hire"] < window) & (out["term"] == NEVER))[0]
        leaver = rng.choice(stayers)
        out["term"][leaver] = rng.integers(window, n_days)
        out["exit_type"][leaver] = VOLUNTARY
    out["level"] = rng.choice(np.arange(1, 7), size=len(out["hire"]), p=HIRE_LEVEL_P)
    return out


def _promote(world: World, rng, staff: Staff) -> pd.DataFrame:
    """Engineers climb one level at a time; waits are longer higher up and in fearful teams."""
    who = np.nonzero(staff.kind == ENGINEER)[0]
    level = staff.level[who].copy()
    day = staff.hire[who].astype(float)
    stop = np.minimum(staff.term[who], world.n_days)
    pace = np.exp(-0.25 * world.safety[staff.team[who]])
    climbing = np.ones(len(who), dtype=bool)
    found = []
    for _ in range(5):
        wait = rng.gamma(4.0, 1.0, len(who)) / 4.0 * YEARS_TO_PROMOTION[level - 1] * 365 * pace
        nxt = day + wait
        climbing &= (level < 6) & (nxt < stop)
        found.append((who[climbing], np.floor(nxt[climbing]).astype(np.int64), level[climbing]))
        level = np.where(climbing, level + 1, level)
        day = np.where(climbing, nxt, day)
    promos = pd.DataFrame(
        {k: np.concatenate([f[i] for f in found]) for i, k in enumerate(("person", "day", "from_level"))}
    )
    window = world.n_days - 90
    if not (promos["day"] >= window).any():
        eligible = np.nonzero((level < 6) & (stop >= world.n_days))[0]
        pick = rng.choice(eligible)
        promos.loc[len(promos)] = [who[pick], rng.integers(window, world.n_days), level[pick]]
        level[pick] += 1
    staff.level[who] = level
    return promos.sort_values(["day", "person"], ignore_index=True)


def simulate_staff(world: World) -> Staff:
    rng = world.rng("staff")
    n_teams = len(world.teams)
    orgs = list(dict.fromkeys(t.org for t in world.teams))
    org_of_team = np.array([orgs.index(t.org) for t in world.teams])
    team_index = {t.team: i for i, t in enumerate(world.teams)}
    acquired_team = np.array([t.acquired for t in world.teams])

    director_team = np.array([np.nonzero(org_of_team == o)[0][0] for o in range(len(orgs))])
    own_manager = np.array([t.shares_manager_with is None for t in world.teams])
    manager_team = np.nonzero(own_manager)[0]
    leader_team = np.concatenate([director_team, manager_team])
    leader_kind = np.concatenate([np.full(len(orgs), DIRECTOR), np.full(len(manager_team), MANAGER)])
    n_leaders = len(leader_team)
    leaders_per_team = np.bincount(leader_team, minlength=n_teams)

    eng = _engineers(world, rng, leaders_per_team)
    leader_acquired = acquired_team[leader_team]
    leader_hire = np.where(leader_acquired, world.acquisition_day, -rng.integers(300, 3000, n_leaders))
    leader_level = np.where(leader_kind == DIRECTOR, 6, rng.choice([5, 6], n_leaders, p=[0.7, 0.3]))

    manager_of_team = np.empty(n_teams, dtype=np.int64)
    manager_of_team[manager_team] = len(orgs) + np.arange(len(manager_team))
    for i, t in enumerate(world.teams):
        if t.shares_manager_with:
            manager_of_team[i] = manager_of_team[team_index[t.shares_manager_with]]
    leader_manager = np.where(leader_kind == DIRECTOR, -1, org_of_team[leader_team])

    n_eng = len(eng["team"])
    staff = Staff(
        team=np.concatenate([leader_team, eng["team"]]),
        kind=np.concatenate([leader_kind, np.full(n_eng, ENGINEER)]),
        hire=np.concatenate([leader_hire, eng["hire"]]).astype(np.int64),
        term=np.concatenate([np.full(n_leaders, NEVER), eng["term"]]).astype(np.int64),
        exit_type=np.concatenate([np.zeros(n_leaders, dtype=int), eng["exit_type"]]),
        acquired=np.concatenate([leader_acquired, eng["acquired"]]),
        level=np.concatenate([leader_level, eng["level"]]),
        manager=np.concatenate([leader_manager, manager_of_team[eng["team"]]]),
        regretted=np.zeros(n_leaders + n_eng, dtype=bool),
        adopt=np.full(n_leaders + n_eng, NEVER, dtype=np.int64),
        promotions=pd.DataFrame(),
        ids=numbered("e-", rng.permutation(n_leaders + n_eng) + 1, 5),
        team_manager=manager_of_team,
    )
    staff.promotions = _promote(world, rng, staff)
    n = len(staff)
    staff.regretted = (staff.exit_type == VOLUNTARY) & (rng.random(n) < 0.2 + 0.08 * staff.level)
    recent = (staff.term >= world.n_days - 90) & (staff.term < world.n_days) & (staff.exit_type == VOLUNTARY)
    if not (staff.regretted & recent).any():
        staff.regretted[np.nonzero(recent)[0][np.argmax(staff.level[recent])]] = True

    enabled = world.ai_enabled_day[staff.team]
    starts = np.maximum(enabled, staff.hire) + rng.exponential(45, n).astype(np.int64)
    uses = (rng.random(n) < world.ai_ceiling[staff.team]) & (staff.kind != DIRECTOR)
    staff.adopt = np.where(uses & (starts < staff.term) & (starts < world.n_days), starts, NEVER)
    return staff


def employees_frame(world: World, staff: Staff) -> pd.DataFrame:
    locations = [t.location for t in world.teams]
    sourcing = [LOCATIONS[loc][0] for loc in locations]
    role = np.where(staff.kind == ENGINEER, staff.level - 1, len(ENGINEER_ROLES) + staff.kind - 1)
    left = staff.exit_type != STILL_EMPLOYED
    manager_ids = pd.Series(staff.ids.to_numpy()[np.maximum(staff.manager, 0)]).where(staff.manager >= 0)
    return pd.DataFrame(
        {
            "employee_id": staff.ids,
            "team": labels(staff.team, [t.team for t in world.teams]),
            "level": labels(staff.level - 1, LEVELS),
            "role": labels(role, ROLES),
            "location": np.asarray(locations)[staff.team],
            "sourcing": np.asarray(sourcing)[staff.team],
            "hire_date": world.dates(staff.hire),
            "termination_date": world.dates(staff.term),
            "termination_type": labels(np.where(left, staff.exit_type - 1, -1), ("voluntary", "involuntary")),
            "regretted": pd.array(np.where(left, staff.regretted, None), dtype="boolean"),
            "manager_id": manager_ids,
            "acquired_from": np.where(staff.acquired, ACQUIRED_COMPANY, None),
        }
    )


def promotions_frame(world: World, staff: Staff) -> pd.DataFrame:
    p = staff.promotions
    return pd.DataFrame(
        {
            "employee_id": staff.ids.to_numpy()[p["person"].to_numpy()],
            "promoted_at": world.dates(p["day"].to_numpy()),
            "from_level": labels(p["from_level"].to_numpy() - 1, LEVELS),
            "to_level": labels(p["from_level"].to_numpy(), LEVELS),
        }
    )


def one_on_ones_frame(world: World, staff: Staff) -> pd.DataFrame:
    """Each manager keeps a cadence (weekly to monthly) and skips some; safer teams skip fewer."""
    rng = world.rng("one-on-ones")
    n = len(staff)
    cadence = rng.choice([7, 14, 14, 14, 21, 30], n)
    skip = np.clip(0.22 - 0.15 * world.safety[staff.team] + rng.normal(0, 0.06, n), 0.02, 0.6)

    reports = np.nonzero(staff.manager >= 0)[0]
    boss = staff.manager[reports]
    first = np.maximum(staff.hire[reports], 0) + rng.integers(3, 15, len(reports))
    last = np.minimum(staff.term[reports] - 1, world.n_days - 1)
    count = np.maximum((last - first) // cadence[boss] + 1, 0)
    row = np.repeat(np.arange(len(reports)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    day = first[row] + k * cadence[boss[row]] + rng.integers(-2, 3, len(row))
    weekday = world.weekday[np.clip(day, 0, world.n_days - 1)]
    day = day + np.select([weekday == 5, weekday == 6], [-1, 1], 0)
    keep = (rng.random(len(row)) >= skip[boss[row]]) & (day >= 0) & (day <= last[row])
    row, day = row[keep], day[keep]
    ids = staff.ids.to_numpy()
    frame = pd.DataFrame(
        {
            "manager_id": ids[boss[row]],
            "employee_id": ids[reports[row]],
            "held_at": world.dates(day),
        }
    )
    return frame.drop_duplicates(ignore_index=True)


def teams_frame(world: World, staff: Staff) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "team": [t.team for t in world.teams],
            "org": [t.org for t in world.teams],
            "manager_id": staff.ids.to_numpy()[staff.team_manager],
            "location": [t.location for t in world.teams],
            "sourcing": [LOCATIONS[t.location][0] for t in world.teams],
            "acquired_from": [ACQUIRED_COMPANY if t.acquired else None for t in world.teams],
        }
    )
