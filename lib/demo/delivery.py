"""Delivery: deployments (with hotfixes and staging runs), the incidents they cause, pull requests.

Deployment rate, lead time, failure rate and recovery time follow each team's hidden
capability, so DORA tiers differ between teams, and every team gets better over time.
Fearful teams ship less. Lead time and PR cycle time shrink as a team's engineers adopt
the AI tool, and the change failure rate drops after the tech-debt push.

One story across pages: a merged pull request goes out with its team's next successful
production deployment (its repository is that deployment's service), and a deployment's
commit time is the first commit of the oldest change it ships. So change lead time (the
Delivery tiles) is coding + PR review + the wait for that deployment, the very wait the
PR tab shows as "merge to production": never shorter than it. A deployment that ships no
pull request (a config change, a hotfix) keeps a short lead time of its own.
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


def deployments_and_incidents(world: World, staff: Staff) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(deployments, incidents, pull_requests): generated together, so lead times are made of
    the pull requests each deployment ships (module docstring)."""
    rng = world.rng("deployments")
    cap = world.capability
    progress = world.progress
    headcount = staff.headcount(world)
    names, first_service, n_services = _services(world)
    prs = _pull_request_times(world, staff)
    prs["service"] = _pick_service(world.rng("pr-services"), prs["team"], first_service, n_services)
    team, deployed, commit, service = _releases(world, rng, prs)
    day = np.minimum((deployed // DAY_S).astype(np.int64), world.n_days - 1)
    n = len(team)
    p_fail = 0.18 * np.exp(-1.1 * cap[team]) * debt_relief(world, day) * (1.15 - 0.3 * progress[day])
    failed = rng.random(n) < np.minimum(p_fail, 0.45)
    status = np.where(failed, np.where(rng.random(n) < 0.4, 2, 1), 0)
    rework = ~failed & (rng.random(n) < 0.025)

    fix = np.nonzero(failed & (rng.random(n) < 0.65))[0]
    gap = rng.uniform(0.5, 10, len(fix)) * HOUR_S
    fix_commit = commit[fix]  # the fix ships the failed release's changes too: its oldest commit
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
    _ship(world, deploys, prs)

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
    incidents = _incidents(world, rng, deploys, headcount, names, first_service, n_services)
    return deployments, incidents, _pull_request_frame(world, staff, prs, names)


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


def _pull_request_times(world: World, staff: Staff) -> dict[str, np.ndarray]:
    """Each engineer opens two to three PRs a week while employed (fewer, larger ones early on);
    AI-assisted ones move faster.
    Times in seconds, per PR: team, author (index into the non-directors), first commit,
    opened, first review, merged (NaN when not merged or not reviewed), AI-assisted, size."""
    rng = world.rng("pull-requests")
    cap = world.capability
    who = np.nonzero(staff.kind != DIRECTOR)[0]
    team = staff.team[who]
    per_week = np.where(staff.kind[who] == ENGINEER, 2.6, 0.5) * np.exp(0.45 * cap[team])
    first = np.maximum(np.maximum(staff.hire[who], world.active_from[team]), 0)
    span = np.maximum(np.minimum(staff.term[who], world.n_days) - first, 0)
    count = rng.poisson(per_week * span / 7)
    author = np.repeat(np.arange(len(who)), count)
    day = first[author] + (rng.random(len(author)) * span[author]).astype(np.int64)
    weekday = world.weekday[day]
    day = np.maximum(day - np.select([weekday == 5, weekday == 6], [1, 2], 0), first[author])
    # smaller batches as practice improves: 60% of today's pull request rate at the start
    kept = rng.random(len(day)) < 0.6 + 0.4 * world.progress[day]
    author, day = author[kept], day[kept]
    team = team[author]
    n = len(author)

    opened = world.working_seconds(day, team, rng)
    assisted = (day >= staff.adopt[who][author]) & (rng.random(n) < 0.72)
    speed = np.exp(-0.6 * cap[team]) * np.where(assisted, 0.6, 1.0) * (1.15 - 0.3 * world.progress[day])
    review = opened + np.maximum(5 * speed * rng.lognormal(0, 1.0, n), 0.1) * HOUR_S
    merged = review + np.maximum(14 * speed * rng.lognormal(0, 0.9, n), 0.1) * HOUR_S
    # coding: the first commit comes some hours before the PR opens
    commit = opened - np.maximum(3 * speed * rng.lognormal(0, 0.8, n), 0.1) * HOUR_S
    merged[rng.random(n) < 0.06] = np.nan
    review[rng.random(n) < 0.02] = np.nan
    horizon = world.horizon_s
    review[review >= horizon] = np.nan
    merged[merged >= horizon] = np.nan
    additions = np.round(rng.lognormal(np.log(90) + 0.25 * assisted, 1.1, n)).astype(np.int64)
    deletions = np.round(additions * rng.beta(2, 5, n)).astype(np.int64)
    return {
        "who": who, "author": author, "team": team, "commit": commit, "opened": opened, "review": review,
        "merged": merged, "assisted": assisted, "additions": additions, "deletions": deletions,
        "service": np.full(n, -1, dtype=np.int64),
    }  # fmt: skip


def _releases(world: World, rng, prs: dict) -> tuple[np.ndarray, ...]:
    """Production releases made of merged pull requests: each merged PR is ready a pipeline
    delay after its merge, and goes out with its service's next release, on the team's
    release cadence, in its office hours. (team, deployed, commit, service) per release: a
    release's commit is the first commit of the oldest PR it was made for (`_ship` then
    accounts for what each deployment really carried).

    Capable, safe teams have a short pipeline and release every change (continuous delivery);
    others batch into daily or slower trains; every team gets faster with `progress`."""
    cap, safety = world.capability, world.safety
    merged = prs["merged"]
    ok = np.nonzero(np.isfinite(merged))[0]
    team = prs["team"][ok]
    day = np.minimum((merged[ok] // DAY_S).astype(np.int64), world.n_days - 1)
    pace = 1.6 - 0.9 * world.progress[day // 28 * 28]  # one release grid per team per four weeks
    delay_h = 0.6 * np.exp(-1.2 * cap[team] - 0.4 * safety[team]) * pace * rng.lognormal(0, 0.6, len(ok))
    cadence_h = 3.0 * np.exp(-3.6 * cap[team] - 1.8 * safety[team]) * pace
    ready = merged[ok] + delay_h * HOUR_S
    slot = np.ceil(ready / (cadence_h * HOUR_S)) * cadence_h * HOUR_S
    at = _office_hours(world, slot, team)
    # one release per service and release moment
    frame = pd.DataFrame({"pr": ok, "team": team, "service": prs["service"][ok], "at": np.round(at),
                          "commit": prs["commit"][ok]})  # fmt: skip
    frame = frame[frame["at"] < world.horizon_s]
    grouped = frame.groupby(["service", "at"], sort=True)
    releases = grouped.agg(team=("team", "first"), commit=("commit", "min")).reset_index()
    deployed = releases["at"].to_numpy(dtype=float) + rng.uniform(60, 900, len(releases))
    commit = np.minimum(releases["commit"].to_numpy(dtype=float), deployed - 600)
    return releases["team"].to_numpy(), deployed, commit, releases["service"].to_numpy()


def _ship(world: World, deploys: pd.DataFrame, prs: dict) -> None:
    """What production saw: each merged PR reaches it with the first successful production
    deployment of its service at or after its merge (the PR tab's rule, whatever release it
    was meant for: a failed release's changes go with the next good one), and that
    deployment's commit time becomes no later than the PR's first commit (in place)."""
    ok = np.nonzero((deploys["production"] & (deploys["status"] == 0)).to_numpy())[0]
    scale = 4 * world.horizon_s  # service-major keys: one sorted array, searched once
    keys = deploys["service"].to_numpy()[ok] * scale + deploys["deployed"].to_numpy()[ok]
    order = np.argsort(keys, kind="stable")
    keys, ok = keys[order], ok[order]
    merged, service = prs["merged"], prs["service"]
    has = np.isfinite(merged)
    at = np.searchsorted(keys, service * scale + np.where(has, merged, 0), side="left")
    found = has & (at < len(keys))
    found[found] = (keys[at[found]] // scale).astype(np.int64) == service[found]
    by = ok[np.minimum(at, len(ok) - 1)][found]
    oldest = pd.Series(prs["commit"][found]).groupby(by).min()
    commit = deploys["commit"].to_numpy().copy()
    rows = oldest.index.to_numpy()
    commit[rows] = np.minimum(commit[rows], oldest.to_numpy())
    deploys["commit"] = commit


def _office_hours(world: World, seconds: np.ndarray, team: np.ndarray) -> np.ndarray:
    """Each moment, or the next one in the team's office hours (09:00–18:00 local, weekdays)."""
    offset = world.utc_offset_h[team] * HOUR_S
    local = seconds + offset
    day = np.floor(local / DAY_S)
    into = local - day * DAY_S
    day = np.where(into >= 18 * HOUR_S, day + 1, day)
    into = np.where(into >= 18 * HOUR_S, 9 * HOUR_S, np.maximum(into, 9 * HOUR_S))
    weekday = world.weekday[np.clip(day.astype(np.int64), 0, world.n_days - 1)]
    skip = np.select([weekday == 5, weekday == 6], [2, 1], 0)
    into = np.where(skip > 0, 9 * HOUR_S, into)
    return (day + skip) * DAY_S + into - offset


def _pull_request_frame(world: World, staff: Staff, prs: dict, names: list[str]) -> pd.DataFrame:
    """The pull_requests table, each PR in the repository of the service it shipped with."""
    service, opened, team, author = prs["service"], prs["opened"], prs["team"], prs["author"]
    n = len(service)
    order = np.lexsort((author, opened, service))
    service, opened, team = service[order], opened[order], team[order]
    new_repo = np.r_[True, service[1:] != service[:-1]] if n else np.zeros(0, bool)
    run_start = np.maximum.accumulate(np.where(new_repo, np.arange(n), 0)) if n else np.zeros(0, np.int64)
    repos = pd.Series(np.asarray(["acme/" + s for s in names], dtype=object)[service])
    frame = pd.DataFrame(
        {
            "pr_id": numbered(repos + "#", np.arange(n) - run_start + 1),
            "repo": repos,
            "team": labels(team, [t.team for t in world.teams]),
            "author_id": staff.ids.to_numpy()[prs["who"][author[order]]],
            "opened_at": world.stamps(opened),
            "first_review_at": world.stamps(prs["review"][order]),
            "merged_at": world.stamps(prs["merged"][order]),
            "additions": prs["additions"][order],
            "deletions": prs["deletions"][order],
            "ai_assisted": prs["assisted"][order],
        }
    )
    return frame.sort_values("opened_at", kind="stable", ignore_index=True)
