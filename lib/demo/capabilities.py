"""Skills and capabilities: the skills inventory, learning activities and AI tool usage.

Each current employee rates the skills of their team's stack (and a couple of others);
proficiency grows with level. Three niche skills are each held at 3+ by exactly one
person, the bus-factor risks the skills page must surface. Learning follows a steady
cadence, with AI courses and experiments once the tool is rolled out. AI usage is the
daily telemetry of the people using the tool (see `Staff.adopt`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo.people import DIRECTOR, Staff
from lib.demo.world import AI_TOOL, World, labels

SKILLS = (
    "python",
    "go",
    "typescript",
    "react",
    "kotlin",
    "swift",
    "sql",
    "kubernetes",
    "terraform",
    "observability",
    "security",
    "machine-learning",
)
BUS_FACTOR_SKILLS = ("swift", "terraform", "machine-learning")
ORG_STACK = {
    "Commerce": ("python", "typescript", "react", "sql"),
    "Payments": ("go", "sql", "security", "observability"),
    "Marketplace": ("typescript", "react", "python", "sql"),
    "Growth": ("typescript", "react", "python", "sql"),
    "Mobile": ("kotlin", "swift", "typescript"),
    "Platform": ("kubernetes", "terraform", "go", "observability"),
    "Infrastructure": ("kubernetes", "terraform", "observability", "go"),
    "Data": ("python", "sql", "machine-learning"),
    "Identity": ("go", "security", "observability"),
    "Enterprise": ("typescript", "python", "sql"),
    "Developer Experience": ("go", "kubernetes", "typescript"),
    "Analytics": ("python", "sql", "machine-learning"),
}
TEAM_STACK = {
    "mobile-ios": ("swift", "typescript", "observability"),
    "mobile-android": ("kotlin", "typescript", "observability"),
    "growth": ("typescript", "react", "python", "sql"),
    "data-platform": ("python", "sql", "machine-learning", "kubernetes"),
    "security": ("security", "go", "kubernetes"),
    "developer-experience": ("go", "kubernetes", "typescript"),
}

LEARNING = {
    "course": (
        ("Kubernetes fundamentals", "Advanced SQL", "Secure coding", "System design", "Effective code review")
        + (
            "Observability with OpenTelemetry",
            "React performance",
            "Go concurrency",
            "Leading without authority",
        )
        + ("AI pair programming basics", "Prompting for developers"),
        (2, 16),
    ),
    "certification": (
        ("CKA certification", "AWS Solutions Architect", "Terraform Associate", "Google Cloud Data Engineer"),
        (20, 40),
    ),
    "conference": (("KubeCon EU", "QCon London", "PyCon DE", "Droidcon Berlin", "LeadDev London"), (8, 24)),
    "experiment": (
        ("Experiment: trunk-based development", "Experiment: feature flags", "Experiment: canary releases")
        + ("Experiment: contract testing", "Experiment: LLM test generation", "Experiment: AI code review"),
        (4, 40),
    ),
}
KINDS = tuple(LEARNING)
KIND_P = (0.5, 0.1, 0.1, 0.3)
AI_TITLES = ("AI pair programming basics", "Prompting for developers")
AI_TITLES += ("Experiment: LLM test generation", "Experiment: AI code review")
PILOT_TOOL = "cursor"
PILOT_DAYS = 120


def skills(world: World, staff: Staff) -> pd.DataFrame:
    rng = world.rng("skills")
    now = np.nonzero(staff.active_on(world.n_days - 1))[0]
    stacks = [TEAM_STACK.get(t.team, ORG_STACK.get(t.org, ("python", "sql"))) for t in world.teams]
    core = np.zeros((len(world.teams), len(SKILLS)), dtype=bool)
    for i, stack in enumerate(stacks):
        core[i, [SKILLS.index(s) for s in stack]] = True

    person_core = core[staff.team[now]]
    extra = rng.random(person_core.shape) < 2 / len(SKILLS)
    holds = person_core | extra
    level = staff.level[now][:, None]
    raw = np.where(person_core, 0.7 + 0.55 * level, 0.55 * level - 1) + rng.normal(0, 0.8, holds.shape)
    proficiency = np.clip(np.round(raw), 0, 4).astype(int)

    for name in SKILLS:
        k = SKILLS.index(name)
        holders = np.nonzero(holds[:, k])[0]
        if name in BUS_FACTOR_SKILLS:
            proficiency[:, k] = np.minimum(proficiency[:, k], 2)
            pool = holders if len(holders) else np.arange(len(now))
            expert = pool[np.lexsort((rng.random(len(pool)), -staff.level[now][pool]))[0]]
            holds[expert, k] = True
            proficiency[expert, k] = 4 if staff.level[now][expert] >= 4 else 3
        elif (proficiency[holders, k] >= 3).sum() < 2:
            best = holders[np.argsort(-proficiency[holders, k], kind="stable")[:2]]
            proficiency[best, k] = 3

    # Most targets are the team's (skill_targets); about one row in six carries a personal
    # growth target one level above where the person stands.
    personal = (rng.random(holds.shape) < 0.17) & (proficiency < 4)
    target = np.where(personal, proficiency + 1, -1)
    person, skill = np.nonzero(holds)
    return pd.DataFrame(
        {
            "employee_id": staff.ids.to_numpy()[now[person]],
            "skill": labels(skill, SKILLS),
            "proficiency": proficiency[person, skill],
            "target": pd.array(
                np.where(target[person, skill] < 0, None, target[person, skill]), dtype="Int64"
            ),
        }
    )


def skill_targets(world: World) -> pd.DataFrame:
    """Each team needs its main skill at 3, the rest of its stack and security at 2; data
    teams need machine learning at 3."""
    rows = []
    for spec in world.teams:
        stack = TEAM_STACK.get(spec.team, ORG_STACK.get(spec.org, ("python", "sql")))
        needs = {skill: 3 if i == 0 else 2 for i, skill in enumerate(stack)}
        needs.setdefault("security", 2)
        if spec.org in ("Data", "Analytics") or spec.team == "data-platform":
            needs["machine-learning"] = 3
        rows.extend((spec.team, skill, level) for skill, level in needs.items())
    return pd.DataFrame(rows, columns=["team", "skill", "target"])


def user_teams(world: World, staff: Staff) -> pd.DataFrame:
    """The tool's seat list: everyone still employed who has adopted it, under their team."""
    holders = np.nonzero((staff.adopt < world.n_days) & staff.active_on(world.n_days - 1))[0]
    return pd.DataFrame(
        {
            "user_id": staff.ids.to_numpy()[holders],
            "team": labels(staff.team[holders], [t.team for t in world.teams]),
            "seat_tool": AI_TOOL,
        }
    )


def learning(world: World, staff: Staff) -> pd.DataFrame:
    """About five activities a year per person, more where people feel safe to try things."""
    rng = world.rng("learning")
    who = np.nonzero(staff.kind != DIRECTOR)[0]
    first = np.maximum(staff.hire[who], 0)
    span = np.maximum(np.minimum(staff.term[who], world.n_days) - first, 0)
    count = rng.poisson(5 * np.exp(0.3 * world.safety[staff.team[who]]) * span / 365)
    person = np.repeat(who, count)
    day = np.repeat(first, count) + (rng.random(count.sum()) * np.repeat(span, count)).astype(np.int64)
    kind = rng.choice(len(KINDS), len(person), p=KIND_P)

    n = len(person)
    titles = np.empty(n, dtype=object)
    hours = np.empty(n)
    for k, name in enumerate(KINDS):
        pool, (low, high) = LEARNING[name]
        mask = kind == k
        after = np.asarray(pool, dtype=object)
        before = np.asarray([t for t in pool if t not in AI_TITLES], dtype=object)
        pick_after = after[rng.integers(len(after), size=mask.sum())]
        pick_before = before[rng.integers(len(before), size=mask.sum())]
        titles[mask] = np.where(day[mask] >= world.rollout_day, pick_after, pick_before)
        hours[mask] = np.round(rng.uniform(low, high, mask.sum()) * 2) / 2
    frame = pd.DataFrame(
        {
            "employee_id": staff.ids.to_numpy()[person],
            "date": world.dates(day),
            "title": titles,
            "kind": labels(kind, KINDS),
            "hours": hours,
        }
    )
    return frame.drop_duplicates(["employee_id", "date", "title"], ignore_index=True)


def ai_usage(world: World, staff: Staff) -> pd.DataFrame:
    """Daily per-team telemetry from each team's enablement: seats, users, suggestions.

    Besides the organisation's tool, every sixth team (by position) pilots a second
    assistant over the last PILOT_DAYS days: about a third of its tool users also use it.
    """
    rng = world.rng("ai-usage")
    users = staff.ai_users(world)
    headcount = staff.headcount(world)
    day = np.arange(world.n_days)
    enabled = world.ai_enabled_day[:, None]
    team, day = np.nonzero(day >= enabled)
    since = day - world.ai_enabled_day[team]
    workday = world.weekday[day] < 5
    active = rng.binomial(users[team, day], np.where(workday, 0.86, 0.07))
    engaged = rng.binomial(active, 0.55 + 0.25 * np.minimum(since / 240, 1))
    suggestions = rng.poisson(active * 110.0)
    acceptances = rng.binomial(suggestions, 0.22 + 0.1 * np.minimum(since / 300, 1))
    # seats are trued up monthly: everyone using the tool then, plus a few waiting for it
    true_up = world.ai_enabled_day[team] + since // 30 * 30
    waiting = np.ceil(0.1 * headcount[team, true_up])
    seats = np.maximum(users[team, true_up] + waiting, active).astype(np.int64)
    main = pd.DataFrame(
        {
            "date": world.dates(day),
            "team": labels(team, [t.team for t in world.teams]),
            "tool": AI_TOOL,
            "active_users": active,
            "engaged_users": engaged,
            "suggestions": suggestions,
            "acceptances": acceptances,
            "seats": seats,
        }
    )
    pilot = (team % 6 == 3) & (day >= world.n_days - PILOT_DAYS)
    p_team, p_day = team[pilot], day[pilot]
    p_active = rng.binomial(active[pilot], 0.35)
    p_suggestions = rng.poisson(p_active * 90.0)
    p_seats = np.maximum(5 * np.ceil(0.4 * headcount[p_team, world.n_days - PILOT_DAYS] / 5), 5)
    second = pd.DataFrame(
        {
            "date": world.dates(p_day),
            "team": labels(p_team, [t.team for t in world.teams]),
            "tool": PILOT_TOOL,
            "active_users": p_active,
            "engaged_users": rng.binomial(p_active, 0.7),
            "suggestions": p_suggestions,
            "acceptances": rng.binomial(p_suggestions, 0.3),
            "seats": np.maximum(p_seats, p_active).astype(np.int64),
        }
    )
    return pd.concat([main, second], ignore_index=True)
