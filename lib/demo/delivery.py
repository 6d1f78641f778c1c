"""Delivery: deployments (with hotfixes and staging runs), the incidents they cause, pull requests.

Deployment rate, lead time, failure rate and recovery time follow each team's hidden
capability, so DORA tiers differ between teams, and every team gets better over time.
Fearful teams ship less. Lead time and PR cycle time shrink as a team's engineers adopt
the AI tool, and the change failure rate drops after the tech-debt push.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo.people import DIRECTOR, ENGINEER, Staff
from lib.demo.world import DAY_S, World, labels, numbered, poisson_events

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
HOUR_S = 3600


def _services(world: World) -> tuple[list[str], np.ndarray, np.ndarray]:
    """All service names, and per team the offset of its first service and how many it owns."""
    names = [s for t in world.teams for s in t.services]
    count = np.array([len(t.services) for t in world.teams])
    return names, np.cumsum(count) - count, count


def _pick_service(rng, team: np.ndarray, first: np.ndarray, count: np.ndarray) -> np.ndarray:
    return first[team] + (rng.random(len(team)) * count[team]).astype(np.int64)


def ai_share(world: World, staff: Staff) -> np.ndarray:
    """Per team and day, the share of the team using the AI tool."""
    people = staff.headcount(world)
    return np.divide(staff.ai_users(world), people, out=np.zeros(people.shape), where=people > 0)


def debt_relief(world: World, days: np.ndarray) -> np.ndarray:
    """Failure-rate multiplier: 1 before the debt push, easing to 0.55 two months after it."""
    push_start, push_end = world.debt_push
    return np.interp(days, [push_start, push_end + 60], [1.0, 0.55])


def deployments_and_incidents(world: World, staff: Staff) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = world.rng("deployments")
    cap = world.capability
    progress = world.progress
    headcount = staff.headcount(world)
    share = ai_share(world, staff)
    weekday = np.where(world.weekday < 5, 1.36, 0.1)
    per_engineer_week = 0.32 * np.exp(1.5 * cap + 0.4 * world.safety)
    rate = headcount * (per_engineer_week / 7)[:, None] * weekday * (0.75 + 0.5 * progress)
    team, day = poisson_events(rng, rate)
    n = len(team)
    names, first_service, n_services = _services(world)

    deployed = world.working_seconds(day, team, rng)
    lead_h = (
        40
        * np.exp(-1.9 * cap[team])
        * (1.25 - 0.45 * progress[day])
        * (1 - 0.5 * share[team, day])
        * rng.lognormal(0, 0.85, n)
    )
    commit = deployed - np.maximum(lead_h * HOUR_S, 600)
    p_fail = 0.18 * np.exp(-1.1 * cap[team]) * debt_relief(world, day) * (1.15 - 0.3 * progress[day])
    failed = rng.random(n) < np.minimum(p_fail, 0.45)
    status = np.where(failed, np.where(rng.random(n) < 0.4, 2, 1), 0)
    service = _pick_service(rng, team, first_service, n_services)
    rework = ~failed & (rng.random(n) < 0.025)

    fix = np.nonzero(failed & (rng.random(n) < 0.65))[0]
    gap = rng.uniform(0.5, 10, len(fix)) * HOUR_S
    fix_commit = deployed[fix] + gap * rng.uniform(0.1, 0.7, len(fix))
    fix_status = np.where(rng.random(len(fix)) < 0.07, 1, 0)

    stage = np.nonzero(rng.random(n) < 0.4)[0]
    stage_at = commit[stage] + (deployed[stage] - commit[stage]) * rng.uniform(0.3, 0.9, len(stage))
    stage_status = np.where(rng.random(len(stage)) < 0.07, 1, 0)

    deploys = pd.DataFrame(
        {
            "team": np.concatenate([team, team[fix], team[stage]]),
            "service": np.concatenate([service, service[fix], service[stage]]),
            "production": np.concatenate([np.ones(n + len(fix), bool), np.zeros(len(stage), bool)]),
            "deployed": np.concatenate([deployed, deployed[fix] + gap, stage_at]),
            "commit": np.concatenate([commit, fix_commit, commit[stage]]),
            "status": np.concatenate([status, fix_status, stage_status]),
            "rework": np.concatenate([rework, np.ones(len(fix), bool), np.zeros(len(stage), bool)]),
        }
    )
    deploys = deploys[deploys["deployed"] < world.horizon_s].sort_values("deployed", ignore_index=True)
    deploys["deploy_id"] = numbered("d-", np.arange(1, len(deploys) + 1), 7)

    deployments = pd.DataFrame(
        {
            "deploy_id": deploys["deploy_id"],
            "service": labels(deploys["service"], names),
            "team": labels(deploys["team"], [t.team for t in world.teams]),
            "environment": np.where(deploys["production"], "production", "staging"),
            "deployed_at": world.stamps(deploys["deployed"]),
            "commit_at": world.stamps(deploys["commit"]),
            "status": labels(deploys["status"], ("success", "failure", "rollback")),
            "is_rework": deploys["rework"].to_numpy(),
        }
    )
    return deployments, _incidents(world, rng, deploys, headcount, names, first_service, n_services)


def _incidents(world, rng, deploys, headcount, names, first_service, n_services) -> pd.DataFrame:
    """Half the failed production changes cause an incident; the rest arrive on their own."""
    cap = world.capability
    bad = deploys[deploys["production"] & (deploys["status"] > 0)]
    bad = bad[rng.random(len(bad)) < 0.5]
    caused_start = bad["deployed"].to_numpy() + rng.uniform(300, 2 * HOUR_S, len(bad))

    rate = 0.022 * np.exp(-0.8 * cap)[:, None] * headcount / 10
    team, day = poisson_events(rng, rate)
    own_start = day * DAY_S + rng.random(len(day)) * DAY_S
    own_service = _pick_service(rng, team, first_service, n_services)

    team = np.concatenate([bad["team"].to_numpy(), team])
    started = np.concatenate([caused_start, own_start])
    n_caused = len(bad)
    severity = np.concatenate(
        [
            rng.choice(4, n_caused, p=[0.06, 0.2, 0.44, 0.30]),
            rng.choice(4, len(day), p=[0.03, 0.12, 0.40, 0.45]),
        ]
    )
    progress = world.progress[np.minimum((started // DAY_S).astype(np.int64), world.n_days - 1)]
    hours = (
        4
        * np.exp(-1.7 * cap[team])
        * np.array([0.6, 0.9, 1.2, 2.5])[severity]
        * (1.2 - 0.4 * progress)
        * rng.lognormal(0, 0.9, len(team))
    )
    resolved = started + np.maximum(hours, 0.1) * HOUR_S
    frame = pd.DataFrame(
        {
            "team": team,
            "service": np.concatenate([bad["service"].to_numpy(), own_service]),
            "severity": severity,
            "started": started,
            "resolved": np.where(resolved < world.horizon_s, resolved, np.nan),
            "cause": np.concatenate([bad["deploy_id"].to_numpy(), np.full(len(day), None)]),
        }
    )
    frame = frame[frame["started"] < world.horizon_s].sort_values("started", ignore_index=True)
    return pd.DataFrame(
        {
            "incident_id": numbered("INC-", np.arange(1, len(frame) + 1)),
            "service": labels(frame["service"], names),
            "team": labels(frame["team"], [t.team for t in world.teams]),
            "severity": labels(frame["severity"], SEVERITIES),
            "started_at": world.stamps(frame["started"]),
            "resolved_at": world.stamps(frame["resolved"]),
            "caused_by_deploy_id": frame["cause"],
        }
    )


def pull_requests(world: World, staff: Staff) -> pd.DataFrame:
    """Each engineer opens about two PRs a week while employed; AI-assisted ones move faster."""
    rng = world.rng("pull-requests")
    cap = world.capability
    who = np.nonzero(staff.kind != DIRECTOR)[0]
    team = staff.team[who]
    per_week = np.where(staff.kind[who] == ENGINEER, 2.2, 0.4) * np.exp(0.3 * cap[team])
    first = np.maximum(np.maximum(staff.hire[who], world.active_from[team]), 0)
    span = np.maximum(np.minimum(staff.term[who], world.n_days) - first, 0)
    count = rng.poisson(per_week * span / 7)
    author = np.repeat(np.arange(len(who)), count)
    day = first[author] + (rng.random(len(author)) * span[author]).astype(np.int64)
    weekday = world.weekday[day]
    day = np.maximum(day - np.select([weekday == 5, weekday == 6], [1, 2], 0), first[author])
    team = team[author]
    n = len(author)

    opened = world.working_seconds(day, team, rng)
    assisted = (day >= staff.adopt[who][author]) & (rng.random(n) < 0.72)
    speed = np.exp(-0.6 * cap[team]) * np.where(assisted, 0.6, 1.0) * (1.15 - 0.3 * world.progress[day])
    review = opened + np.maximum(5 * speed * rng.lognormal(0, 1.0, n), 0.1) * HOUR_S
    merged = review + np.maximum(14 * speed * rng.lognormal(0, 0.9, n), 0.1) * HOUR_S
    merged[rng.random(n) < 0.06] = np.nan
    review[rng.random(n) < 0.02] = np.nan
    horizon = world.horizon_s
    review[review >= horizon] = np.nan
    merged[merged >= horizon] = np.nan
    additions = np.round(rng.lognormal(np.log(90) + 0.25 * assisted, 1.1, n)).astype(np.int64)
    deletions = np.round(additions * rng.beta(2, 5, n)).astype(np.int64)

    names, first_service, n_services = _services(world)
    service = _pick_service(rng, team, first_service, n_services)
    order = np.lexsort((author, opened, service))
    service, opened, team = service[order], opened[order], team[order]
    new_repo = np.r_[True, service[1:] != service[:-1]]
    run_start = np.maximum.accumulate(np.where(new_repo, np.arange(n), 0))
    repos = pd.Series(np.asarray(["acme/" + s for s in names], dtype=object)[service])
    frame = pd.DataFrame(
        {
            "pr_id": numbered(repos + "#", np.arange(n) - run_start + 1),
            "repo": repos,
            "team": labels(team, [t.team for t in world.teams]),
            "author_id": staff.ids.to_numpy()[who[author[order]]],
            "opened_at": world.stamps(opened),
            "first_review_at": world.stamps(review[order]),
            "merged_at": world.stamps(merged[order]),
            "additions": additions[order],
            "deletions": deletions[order],
            "ai_assisted": assisted[order],
        }
    )
    return frame.sort_values("opened_at", kind="stable", ignore_index=True)
