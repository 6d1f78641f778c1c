"""The career framework a user defines on the Retention page: levels in order, with optional
target shares of the headcount, saved in the `career_framework` setting (JSON).

`load_framework(con)` returns the saved framework, or, before one is saved, the levels the
employees table holds in natural order ('L2' before 'L10') with no targets, so the page
always has an order to draw and a starting point to edit.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import duckdb

SETTING = "career_framework"
MAX_LEVELS = 40


@dataclass(frozen=True)
class Framework:
    levels: tuple[str, ...]
    targets: dict[str, float] = field(default_factory=dict)  # level → share of headcount, 0–1
    saved: bool = False


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text))


def load_framework(con: duckdb.DuckDBPyConnection) -> Framework:
    row = con.execute("select value from settings where key = ?", [SETTING]).fetchone()
    if row and row[0]:
        data = json.loads(row[0])
        return Framework(tuple(data.get("levels", ())), dict(data.get("targets", {})), saved=True)
    found = con.execute(
        "select distinct trim(level) from employees where nullif(trim(level), '') is not null"
    ).fetchall()
    return Framework(tuple(sorted((r[0] for r in found), key=_natural)))


def validate(levels: list[str], targets: dict[str, float | None]) -> Framework:
    """A framework from the page's editor; ValueError naming the first problem.

    Levels are trimmed, must be non-empty and distinct (at most MAX_LEVELS); a target is a
    share between 0 and 1, and targets, when given, add up to at most 1 (100 %)."""
    clean = [str(level).strip() for level in levels if str(level or "").strip()]
    if not clean:
        raise ValueError("a career framework needs at least one level")
    if len(clean) > MAX_LEVELS:
        raise ValueError(f"at most {MAX_LEVELS} levels")
    seen: set[str] = set()
    for level in clean:
        if level.lower() in seen:
            raise ValueError(f"level {level!r} appears twice")
        seen.add(level.lower())
    shares = {}
    for level, share in targets.items():
        if share is None or (isinstance(share, float) and math.isnan(share)):
            continue
        if not 0 <= float(share) <= 1:
            raise ValueError(f"the target share of {level!r} must be between 0% and 100%")
        if str(level).strip() in clean:
            shares[str(level).strip()] = float(share)
    if sum(shares.values()) > 1 + 1e-9:
        raise ValueError(f"the target shares add up to {sum(shares.values()):.0%}, more than 100%")
    return Framework(tuple(clean), shares, saved=True)


def save_framework(con: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    value = json.dumps({"levels": list(framework.levels), "targets": framework.targets})
    con.execute("begin transaction")
    try:
        con.execute("delete from settings where key = ?", [SETTING])
        con.execute("insert into settings values (?, ?)", [SETTING, value])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def reset_framework(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("delete from settings where key = ?", [SETTING])
