"""Careers and management: promotions and time to promotion by level, the level distribution
against the career framework, span of control.

The career framework is the user's list of levels in order (lowest first), with an
optional target share of the headcount per level, saved in the `career_framework`
setting by `lib.career_framework`; levels the data holds but the framework does not are
listed after it, flagged. Span of control is compared with Andy Grove's norm of six to
eight direct reports (*High Output Management*, 1983).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from lib.anonymity import threshold
from lib.career_framework import Framework, load_framework
from lib.scope import Scope
from lib.sql import query_df
from lib.views import params
from lib.views.retention import too_few_reason

SPAN_NORM = (6, 8)
SPAN_SOURCE = "Andy Grove, High Output Management (1983): 6–8 direct reports; via codecapsule.com (2023)"
SPAN_BINS = ((1, 2, "1–2"), (3, 5, "3–5"), (6, 8, "6–8"), (9, 10, "9–10"), (11, 10**6, "11+"))


def promotions_by_level(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per level in framework order: promotions (from that level, in the period),
    headcount_start / headcount_end at that level (the level a person held on the date:
    the one their next promotion starts from, else their level now), promotion_rate_annualized
    (0–1 per year), years_in_level_p50 (median years since the previous promotion or hire,
    over those promotions), `suppressed_reason`. The rate is hidden for a level with fewer
    people than the threshold, the median time for fewer promotions than it. Empty without
    promotion data."""
    if not con.execute("select count(*) from promotions").fetchone()[0]:
        return pd.DataFrame()
    k = threshold(con)
    frame = query_df(con, "retention/promotions_by_level", params(scope))
    people = (frame["headcount_start"] + frame["headcount_end"]) / 2
    few_people, few_promotions = people < k, frame["promotions"] < k
    frame["promotion_rate_annualized"] = frame["promotion_rate_annualized"].where(~few_people)
    frame["promotions"] = frame["promotions"].astype("float64").where(~few_people)
    frame["years_in_level_p50"] = frame["years_in_level_p50"].where(~few_people & ~few_promotions)
    reasons = np.select(
        [few_people, few_promotions], [too_few_reason(k), f"fewer than {k} promotions for a median"], None
    )
    frame["suppressed_reason"] = pd.Series(reasons, index=frame.index, dtype=object)
    return _in_framework_order(frame, load_framework(con))


def level_distribution(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per level, in framework order: headcount at the period end, share (0–1),
    target_share (the framework's, or null), in_framework (False for levels the framework
    lacks, listed last; framework levels nobody holds have headcount 0). Levels of fewer
    people than the anonymity threshold are one row at the end (`_merge_small_levels`)."""
    frame = query_df(con, "retention/level_distribution", params(scope))
    framework = load_framework(con)
    for level in framework.levels:
        if level not in set(frame["level"]):
            frame.loc[len(frame)] = {"level": level, "headcount": 0, "share": 0.0}
    frame["target_share"] = frame["level"].map(framework.targets).astype("float64")
    return _merge_small_levels(_in_framework_order(frame, framework), threshold(con))


def small_levels_label(k: int) -> str:
    return f"Levels of fewer than {k}"


def _merge_small_levels(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """Levels held by 1 to k − 1 people become one row, `small_levels_label(k)`, at the end
    (not in the framework, no target): a level of one names that person's level. Their
    combined count is what the total headcount, shown elsewhere, gives away anyway."""
    small = (frame["headcount"] > 0) & (frame["headcount"] < k)
    if not small.any():
        return frame
    merged = {
        "level": small_levels_label(k),
        "headcount": float(frame.loc[small, "headcount"].sum()),
        "share": float(frame.loc[small, "share"].sum()),
        "target_share": np.nan,
        "in_framework": False,
    }
    kept = frame[~small]
    return pd.concat([kept, pd.DataFrame([merged])], ignore_index=True)


def _in_framework_order(frame: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    rank = {level: i for i, level in enumerate(framework.levels)}
    out = frame.copy()
    out["in_framework"] = out["level"].isin(rank) if framework.levels else True
    out["_rank"] = out["level"].map(lambda v: rank.get(v, len(rank)))
    out["_natural"] = out["level"].map(_natural_key)
    return out.sort_values(["_rank", "_natural"]).drop(columns=["_rank", "_natural"]).reset_index(drop=True)


def _natural_key(text: str) -> tuple:
    """'L10' after 'L9': digits compare as numbers."""
    import re

    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", str(text)))


def span_of_control(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Direct reports per manager at the period end.

    Returns {"bins": DataFrame(span, managers, in_norm), "orgs": DataFrame(org, managers,
    span_p50, reports, suppressed_reason), "median": float | None, "managers": int}. An
    org with fewer people (reports) than the threshold has no median shown; the bins count
    managers by how many people report to them and never name one."""
    k = threshold(con)
    per_manager = query_df(con, "retention/span_of_control", params(scope))
    spans = per_manager["direct_reports"]
    bins = pd.DataFrame(
        [
            {"span": label, "managers": int(((spans >= low) & (spans <= high)).sum()),
             "in_norm": (low, high) == SPAN_NORM}
            for low, high, label in SPAN_BINS
        ]
    )  # fmt: skip
    orgs = (
        per_manager.groupby("org")
        .agg(managers=("direct_reports", "size"), span_p50=("direct_reports", "median"),
             reports=("direct_reports", "sum"))
        .reset_index()
        .sort_values("org")
    )  # fmt: skip
    few = orgs["reports"] < k
    orgs["span_p50"] = orgs["span_p50"].astype("float64").where(~few)
    orgs["suppressed_reason"] = pd.Series(
        np.where(few, too_few_reason(k), None), index=orgs.index, dtype=object
    )
    median = float(spans.median()) if len(spans) else None
    return {"bins": bins, "orgs": orgs.reset_index(drop=True), "median": median, "managers": int(len(spans))}
