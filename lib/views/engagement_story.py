"""Takeaway titles and honest captions for the People engagement page, from its aggregates.

Plain functions of the frames `lib.views.engagement_detail` returns, so the page, the
board pack and the tests phrase a chart the same way. Correlations are called
correlations: "teams that feel safer deploy more often" and never "safety causes".
"""

from __future__ import annotations

import pandas as pd

from lib.formatting import count_of, is_missing
from lib.views.buckets import MIN_COUNT


def strength(r: float | None) -> str:
    if r is None:
        return "no measurable"
    size = abs(r)
    word = "strong" if size >= 0.6 else "moderate" if size >= 0.3 else "weak"
    return f"{word} {'positive' if r >= 0 else 'negative'}"


def favorability_title(dims: pd.DataFrame) -> str:
    likert = dims[~dims["is_enps"].astype(bool)].dropna(subset=["favorable"])
    if likert.empty:
        return "Favourability per dimension: not enough respondents to show"
    top = likert.loc[likert["favorable"].idxmax()]
    low = likert.loc[likert["favorable"].idxmin()]
    if top["dimension"] == low["dimension"]:
        return f"{top['label']} is {top['favorable']:.0%} favourable"
    return f"{top['label']} leads at {top['favorable']:.0%} favourable; {low['label']} trails at {low['favorable']:.0%}"


def enps_title(dims: pd.DataFrame) -> str:
    row = dims[dims["is_enps"].astype(bool)]
    if row.empty or is_missing(row["enps"].iloc[0]):
        return "eNPS: not enough respondents to show"
    r = row.iloc[0]
    return f"eNPS {r['enps']:+.0f}: {r['promoters']:.0%} promoters against {r['detractors']:.0%} detractors"


def heatmap_title(cells: pd.DataFrame) -> str:
    likert = cells[~cells["is_enps"].astype(bool)].dropna(subset=["value"])
    if likert.empty:
        return "Team by dimension: no team has enough respondents to show"
    # ties as shown (whole percents) are named together: one of two equal cells is no "lowest"
    shown = likert.assign(pct=(likert["value"] * 100).round())
    lows = shown[shown["pct"] == shown["pct"].min()]
    spots = [f"{r['team']} on {r['label'].lower()}" for _, r in lows.head(3).iterrows()]
    more = f" and {len(lows) - 3} more" if len(lows) > 3 else ""
    word = "Lowest spot" if len(lows) == 1 else "Lowest spots"
    names = spots[0] if len(spots) == 1 else f"{', '.join(spots[:-1])} and {spots[-1]}"
    return f"{word}: {names}{more} ({lows['value'].iloc[0]:.0%} favourable)"


def _people(frame: pd.DataFrame, wave: str) -> float:
    """The people behind a wave's index: its own count when the frame gives one, else the most
    respondents of any of its dimensions (the index averages them; it has no count of its own)."""
    rows = frame[frame["survey_id"] == wave]
    index = rows.loc[rows["dimension"] == "index", "respondents"].dropna()
    if len(index):
        return float(index.iloc[0])
    likert = rows.loc[~rows["dimension"].isin(["index", "enps"]), "respondents"].dropna()
    return float(likert.max()) if len(likert) else 0.0


def too_few_to_compare(frame: pd.DataFrame, previous: str, current: str, dimension: str = "index") -> bool:
    """True when a change of `dimension` ("index", "enps", a Likert dimension) between two waves
    stands on fewer than `MIN_COUNT` people in either: the title's rule, which the page's tiles
    follow too (a review saw "-29 pts" in red under "7 respondents … too few to call a change").
    `frame`: `wave_changes` or `named_waves` rows."""
    if dimension == "index":
        counts = [_people(frame, previous), _people(frame, current)]
    else:
        rows = frame[frame["dimension"] == dimension].set_index("survey_id")["respondents"]
        counts = [rows.get(previous), rows.get(current)]
    return any(is_missing(n) or n < MIN_COUNT for n in counts)


def wave_title(frame: pd.DataFrame, previous: str, current: str) -> str:
    """'Engagement index up 4 pts since the Aug 2026 survey; biggest move: …'. A change needs
    at least `lib.views.buckets.MIN_COUNT` respondents in each wave (the index's for the
    headline, each dimension's for the biggest move), as every trend title does (issue 18,
    item 9). `frame`: `named_waves` rows (survey_id is the wave's name)."""
    index = frame[frame["dimension"] == "index"].set_index("survey_id")["value"]
    if (
        previous not in index
        or current not in index
        or is_missing(index[previous])
        or is_missing(index[current])
    ):
        return f"Change since the {previous}: not enough respondents to compare"
    fewest = min(_people(frame, previous), _people(frame, current))
    if is_missing(fewest) or fewest < MIN_COUNT:
        # a move of 17 pts among 6 respondents is one person's answers: drawn, never a title
        return (
            f"Change since the {previous}: {count_of(fewest, 'respondent')} in the smaller wave, "
            f"too few to call a change ({MIN_COUNT} needed)"
        )
    delta = (index[current] - index[previous]) * 100
    likert = frame[~frame["dimension"].isin(["index", "enps"])]
    enough = likert.groupby("label")["respondents"].min() >= MIN_COUNT
    likert = likert.pivot(index="label", columns="survey_id", values="value")
    moves = (
        (likert[current] - likert[previous])[enough.reindex(likert.index, fill_value=False)].dropna()
        if {previous, current} <= set(likert.columns)
        else None
    )
    direction = "up" if delta > 0.5 else "down" if delta < -0.5 else "flat"
    head = f"Engagement index {direction} {abs(delta):.0f} pts since the {previous}"
    if direction == "flat":
        head = f"Engagement index flat since the {previous} ({delta:+.1f} pts)"
    if moves is not None and not moves.empty:
        biggest = moves.abs().idxmax()
        head += f"; biggest move: {biggest.lower()} {moves[biggest] * 100:+.0f} pts"
    return head


def drivers_title(frame: pd.DataFrame, outcome: str) -> str:
    shown = frame.dropna(subset=["r"])
    if shown.empty:
        return f"Drivers of {outcome}: fewer than 25 respondents, no correlations shown"
    top = shown.iloc[0]
    return f"{top['label']} moves most with {outcome} (r = {top['r']:.2f}): a correlation, not proof of cause"


def link_caption(r: float | None, n: int, y_label: str) -> str:
    if r is None:
        return f"Too few teams ({n}) to state a correlation with {y_label}."
    return (
        f"Across {n} teams, psychological safety and {y_label} show a {strength(r)} correlation "
        f"(Pearson r = {r:.2f}). Teams differ in more than safety; this shows association, not cause."
    )


def link_title(r: float | None, y_label: str, safer_good: str, safer_bad: str, higher_is_good: bool) -> str:
    """'Teams that feel safer deploy more often (r = 0.57)', or 'No clear link …' under |r| 0.3."""
    if r is None or abs(r) < 0.3:
        return f"No clear link with {y_label} (r = {r:.2f})" if r is not None else f"{y_label}: too few teams"
    phrase = safer_good if (r > 0) == higher_is_good else safer_bad
    return f"Safer teams {phrase} (r = {r:.2f})"


LINK_COLUMNS = ("deploys_per_week", "change_failure_rate", "attrition_rate")


def link_missing(frame: pd.DataFrame) -> str | None:
    """Why the safety-against-delivery chart can't be drawn, or None when it can: it needs 3
    teams with a shown safety figure, and at least one outcome known for 3 of them."""
    if len(frame) < 3:
        return "The link to delivery needs at least 3 teams with enough survey respondents in the selection."
    if all(frame[c].notna().sum() < 3 for c in LINK_COLUMNS):
        return (
            "The link to delivery needs deployments or employees for at least 3 of the teams with survey "
            "results; import them on the Data page."
        )
    return None
