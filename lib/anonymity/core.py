"""The threshold, the words for a hidden figure, and suppression of per-group aggregates.

The part of `lib.anonymity` that every pillar uses: the survey machinery (plan, releases)
builds on it, and so can Retention and Skills for their own per-person aggregates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

import duckdb
import pandas as pd

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
ENV_VAR = "PILLARS_ANONYMITY_THRESHOLD"
SETTING = "anonymity_threshold"

NO_TEAM = "(no team)"  # the group of respondents whose rows name no team

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
UNASSIGNED = "unassigned"

_WHOLE_NUMBER = re.compile(r"^\s*[0-9]+\s*$")


class ThresholdError(ValueError):
    """The anonymity threshold setting is not a whole number of at least 3."""


def parse_threshold(raw: str, source: str) -> int:
    """The threshold written in `raw`, read from `source` (named in the error).

    Only a whole number of at least `MINIMUM_THRESHOLD` is accepted (surrounding spaces
    allowed). Raises ThresholdError otherwise: "1O", "2", "3.5" and "" are errors, never
    silently replaced by a default, because someone who typed 1O meant 10, not 5.
    """
    text = "" if raw is None else str(raw)
    if not _WHOLE_NUMBER.match(text):
        raise ThresholdError(
            f"{source} is {text!r}: the anonymity threshold must be a whole number of at least "
            f"{MINIMUM_THRESHOLD} (for example {DEFAULT_THRESHOLD}). Fix it and try again; no survey "
            "figure is shown until it is valid."
        )
    value = int(text)
    if value < MINIMUM_THRESHOLD:
        raise ThresholdError(
            f"{source} is {value}: the anonymity threshold can't be below {MINIMUM_THRESHOLD}, because a "
            f"figure over {value} people lets each of them work out the others' answers. Set it to "
            f"{MINIMUM_THRESHOLD} or more."
        )
    return value


def threshold(con: duckdb.DuckDBPyConnection | None = None) -> int:
    """The anonymity threshold N (SPEC §6): no figure over fewer than N people is shown.

    The `PILLARS_ANONYMITY_THRESHOLD` variable when set (even to ""), else the
    `anonymity_threshold` setting in the database, else 5. Raises ThresholdError when the
    value in force is not a whole number ≥ 3 (the message names the variable or setting).
    """
    setting = None
    if con is not None and os.environ.get(ENV_VAR) is None:
        row = con.execute("select value from settings where key = ?", [SETTING]).fetchone()
        setting = None if row is None else ("" if row[0] is None else row[0])
    return threshold_from(setting)


def threshold_from(setting: str | None) -> int:
    """`threshold` given the database setting's value (None when unset)."""
    raw = os.environ.get(ENV_VAR)
    if raw is not None:
        return parse_threshold(raw, f"The environment variable {ENV_VAR}")
    if setting is not None:
        return parse_threshold(setting, f"The database setting '{SETTING}'")
    return DEFAULT_THRESHOLD


def reason_text(kind: str, k: int, who: str = "respondents") -> str:
    """Why a figure is not shown, in words a reader understands.

    `who` names the people the figure counts, e.g. "people answered the eNPS question".
    """
    if kind == COMPLEMENTARY:
        return f"hidden so that a group of fewer than {k} people can't be worked out by subtraction"
    if kind == UNASSIGNED:
        return "respondents without a team are only counted in organisation-wide figures"
    return f"fewer than {k} {who}"


def is_hidden_reason(text: str) -> bool:
    """True when `text` is one of `reason_text`'s: a figure hidden by these rules, which a
    page calls hidden, never "no data" (a review saw "No data: hidden so that a group … by
    subtraction" over survey answers that were there)."""
    return text.startswith(("fewer than", "hidden so that", "respondents without a team"))


def too_few(n, k: int) -> bool:
    """True when a figure over `n` people must not be shown (n missing counts as too few)."""
    try:
        return n is None or pd.isna(n) or int(n) < k
    except (TypeError, ValueError):
        return True


def complete(hidden: dict, sizes: Mapping, k: int) -> dict:
    """Complementary suppression of disjoint groups, in place; returns `hidden`.

    `sizes` maps each group to its number of people (groups must not share people, so a
    pool's size is a sum); `hidden` maps the groups already hidden to their kind. While
    the hidden groups pool 1 to k − 1 people, the smallest shown group (then the first
    by name) is hidden as well ("complementary"): the total minus the shown groups then
    never isolates fewer than k people.
    """
    while sum(int(sizes.get(g, 0)) for g in hidden) in range(1, k):
        shown = sorted((int(n), str(g), g) for g, n in sizes.items() if g not in hidden and n > 0)
        if not shown:
            break
        hidden[shown[0][2]] = COMPLEMENTARY
    return hidden


def plan_groups(sizes: Mapping, k: int, already_hidden: Iterable = ()) -> dict:
    """Which groups of a partition to hide: {group: kind}.

    For a per-group table of people data (attrition per team, skills per location, …):
    every group with fewer than k people (primary), the groups in `already_hidden`, then
    complementary groups so that the total minus the shown groups pools at least k
    people. Groups must be disjoint; `sizes` maps group → people.
    """
    hidden = {g: PRIMARY for g, n in sizes.items() if 0 < int(n) < k}
    for g in already_hidden:
        hidden.setdefault(g, COMPLEMENTARY)
    return complete(hidden, sizes, k)


def suppress(
    frame: pd.DataFrame,
    n_column: str,
    value_columns: list[str],
    k: int,
    reason_column: str = "suppressed_reason",
    who: str = "people",
) -> pd.DataFrame:
    """Blank `value_columns` and the count where `n_column` < k, with the reason alongside.

    For per-group aggregates of people data (one row per group): the count must be the
    people whose data make that row's figures (SPEC §6's "who counts"), not the rows.
    Returns a copy; the value columns become float64 with NaN where hidden. Pair it with
    `plan_groups` when the groups add up to a shown total, so no hidden row can be
    recovered by subtraction.
    """
    out = frame.copy()
    small = out[n_column].isna() | (out[n_column] < k)
    if reason_column not in out:
        out[reason_column] = None
    out[reason_column] = out[reason_column].astype(object)
    out.loc[small & out[reason_column].isna(), reason_column] = reason_text(PRIMARY, k, who)
    for column in [*value_columns, n_column]:
        out[column] = out[column].astype("float64")
        out.loc[small, column] = float("nan")
    return out
