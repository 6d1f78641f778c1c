"""The Business alignment page's saved choices: target mix, cost basis, capitalisation policy,
and the mapping of work items' epics to business initiatives.

Choices live in the `settings` table (JSON values, keys below) and the mapping in
`initiative_links` (migration 011), so they survive restarts and apply to every user of
the database, the CLI and the board pack alike. Every setter validates its input and
raises ValueError with a sentence a VP can act on; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from lib.db import get_setting, set_setting
from lib.views.business_policies import POLICIES

WORK_TYPES = ("feature", "defect", "risk", "debt")
TARGET_KEY = "business.target_mix"
BASIS_KEY = "business.cost_basis"
POLICY_KEY = "business.capitalisation"
COST_BASES = ("rnd_spend", "loaded_cost")
TOLERANCE = 0.005  # target shares may add up to 100% ± half a point (rounded inputs)


def target_mix(con: duckdb.DuckDBPyConnection) -> dict[str, float] | None:
    """The saved target mix by flow type (fractions adding up to 1), or None when unset."""
    text = get_setting(con, TARGET_KEY)
    if not text:
        return None
    data = json.loads(text)
    return {t: float(data.get(t, 0.0)) for t in WORK_TYPES}


def validate_target(target: dict[str, float]) -> dict[str, float]:
    """Fractions 0–1 for each of feature / defect / risk / debt, adding up to 1 (± 0.5 pt)."""
    unknown = set(target) - set(WORK_TYPES)
    if unknown:
        raise ValueError(f"unknown work types {sorted(unknown)}: use {', '.join(WORK_TYPES)}")
    clean = {t: float(target.get(t, 0.0)) for t in WORK_TYPES}
    bad = [t for t, v in clean.items() if not math.isfinite(v) or not 0 <= v <= 1]
    if bad:
        raise ValueError(f"target shares must be between 0% and 100% ({', '.join(bad)})")
    total = sum(clean.values())
    if abs(total - 1) > TOLERANCE:
        raise ValueError(f"target shares add up to {total:.1%}; they must add up to 100%")
    return {t: v / total for t, v in clean.items()}


def save_target_mix(con: duckdb.DuckDBPyConnection, target: dict[str, float] | None) -> None:
    """Save (or with None, clear) the target mix; ValueError when it is not a mix."""
    set_setting(con, TARGET_KEY, None if target is None else json.dumps(validate_target(target)))


def distance_from_target(mix: dict[str, float | None], target: dict[str, float]) -> dict:
    """How far a mix sits from the target.

    Returns {"by_type": {type: actual − target in fractions}, "total": ½ Σ |actual − target|},
    where `total` is the share of effort that would have to move to another type to meet the
    target (total variation distance, 0–1). None values when the mix has no data.
    """
    if any(mix.get(t) is None for t in WORK_TYPES):
        return {"by_type": dict.fromkeys(WORK_TYPES), "total": None}
    diff = {t: float(mix[t]) - target[t] for t in WORK_TYPES}
    return {"by_type": diff, "total": sum(abs(v) for v in diff.values()) / 2}


def cost_basis(con: duckdb.DuckDBPyConnection) -> str:
    """ "rnd_spend" (R&D spend from the business metrics, shared out by headcount × loaded cost)
    or "loaded_cost" (each person's loaded cost from the rate card); default rnd_spend."""
    value = get_setting(con, BASIS_KEY)
    return value if value in COST_BASES else "rnd_spend"


def save_cost_basis(con: duckdb.DuckDBPyConnection, basis: str) -> None:
    if basis not in COST_BASES:
        raise ValueError(f"cost basis must be one of {', '.join(COST_BASES)}, not {basis!r}")
    set_setting(con, BASIS_KEY, basis)


@dataclass(frozen=True)
class PolicyChoice:
    """The capitalisation policy the user picked and the share of new-feature effort that
    passes its threshold (a policy input finance owns, 0–1)."""

    policy: str = "us_gaap_internal_use"
    share: float | None = None  # None: the policy's default
    asu_2025_06_early: bool = False  # adopted ASU 2025-06 before it is required

    @property
    def effective_share(self) -> float:
        return POLICIES[self.policy].default_share if self.share is None else self.share


def policy_choice(con: duckdb.DuckDBPyConnection) -> PolicyChoice:
    text = get_setting(con, POLICY_KEY)
    if not text:
        return PolicyChoice()
    data = json.loads(text)
    if data.get("policy") not in POLICIES:
        return PolicyChoice()
    return PolicyChoice(**{k: data[k] for k in ("policy", "share", "asu_2025_06_early") if k in data})


def save_policy_choice(con: duckdb.DuckDBPyConnection, choice: PolicyChoice) -> None:
    if choice.policy not in POLICIES:
        raise ValueError(f"unknown policy {choice.policy!r}: use one of {', '.join(POLICIES)}")
    if choice.share is not None and not (math.isfinite(choice.share) and 0 <= choice.share <= 1):
        raise ValueError("the capitalisable share must be between 0% and 100%")
    set_setting(con, POLICY_KEY, json.dumps(asdict(choice)))


# ---------------------------------------------------------------------------- initiative mapping


def initiative_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("select initiative from initiatives order by lower(initiative)").fetchall()
    ]


def mapping_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per distinct epic / initiative / project value on work items: `work_initiative`,
    `items` (work items carrying it), `last_completed` (date), `initiative` (business
    initiative, null when none), `mapped_by` ("page", "initiatives file", "same name", or null
    when not mapped yet). Most-used values first."""
    return con.execute(
        """
        select
            r.work_initiative,
            count(w.item_id) as items,
            max(w.completed_at)::date as last_completed,
            r.initiative,
            r.mapped_by
        from work_item_business_initiative r
        join work_items w on w.initiative = r.work_initiative
        group by all
        order by items desc, r.work_initiative
        """
    ).df()


def save_links(con: duckdb.DuckDBPyConnection, links: dict[str, str | None]) -> int:
    """Map work items' values to business initiatives (None: "not an initiative"), in one
    transaction; returns the number saved. ValueError names an unknown initiative."""
    known = {n.lower(): n for n in initiative_names(con)}
    clean: dict[str, str | None] = {}
    for value, target in links.items():
        if not str(value).strip():
            continue
        if target is not None and target.lower() not in known:
            raise ValueError(
                f"{target!r} is not an initiative: import or add it to the initiatives list first"
            )
        clean[str(value)] = known[target.lower()] if target is not None else None
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        for value, target in clean.items():
            con.execute(
                "delete from initiative_links where lower(trim(work_initiative)) = lower(trim(?))", [value]
            )
            con.execute("insert into initiative_links values (?, ?, ?)", [value, target, now])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(clean)


def clear_link(con: duckdb.DuckDBPyConnection, value: str) -> None:
    """Forget the page's mapping of one value (the initiatives file or a same-name match applies again)."""
    con.execute("delete from initiative_links where lower(trim(work_initiative)) = lower(trim(?))", [value])
