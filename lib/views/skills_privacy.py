"""Per-person figures on the Skills page follow the survey anonymity threshold (SPEC §6).

A figure that averages over people (mean proficiency of a team in a skill, learning
hours per engineer of a team or location) is hidden when fewer than `k` people stand
behind it, k = `lib.anonymity.threshold(con)`. Where the page also shows the total over
the same units (the organisation's learning trend next to its teams'), hidden units
pooled together must hold at least k people too, or the total minus the shown units
would give them away: the next-smallest shown unit is hidden until they do.

Not covered: figures from different filters subtracted from each other (a location's
hours minus its teams'); the surveys' suppression plan handles that for survey answers,
whose stakes are higher. Counts of events (certifications, experiment participants) and
holders of a skill are shown as counts; no page names a person.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

TOO_FEW = "fewer than {k} people"
COMPLEMENT = "hidden so that a smaller group can't be worked out from the total"


def suppress(
    frame: pd.DataFrame, size: str, k: int, by: Sequence[str] = (), complementary: bool = False
) -> pd.DataFrame:
    """`frame` with `hidden` (bool) and `hidden_reason` (text or None) columns added.

    `size` names the column of people behind each row's figure; rows are judged within
    each group of `by` (e.g. per period). A row with 0 people has nothing to hide. With
    `complementary`, each group's hidden rows must together hold at least k people.
    """
    out = frame.copy()
    hidden = pd.Series(False, index=out.index)
    reason = pd.Series(None, index=out.index, dtype="object")
    people = out[size].fillna(0).astype(float)
    small = (people > 0) & (people < k)
    hidden[small] = True
    reason[small] = TOO_FEW.format(k=k)
    if complementary:
        key = list(by) if len(by) > 1 else by[0] if by else None
        groups = out.groupby(key, sort=False).groups.values() if key is not None else [out.index]
        for index in groups:
            pool = people[index][hidden[index]].sum()
            shown = people[index][~hidden[index] & (people[index] > 0)].sort_values(kind="stable")
            for label, n in shown.items():
                if not 0 < pool < k:
                    break
                hidden[label] = True
                reason[label] = COMPLEMENT
                pool += n
    out["hidden"] = hidden.astype(bool)
    out["hidden_reason"] = reason
    return out
