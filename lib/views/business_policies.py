"""Capitalisation policies Pillars can estimate under, with the standards' own thresholds.

Pillars estimates a *candidate* pool for finance review, never an accounting entry:
R&D spend × the share of effort on new features (`business.investment_mix.feature`) ×
the share of that feature work past the policy's threshold (a policy input finance owns;
Pillars cannot see project stages, feasibility or the IAS 38 criteria). Bugs,
maintenance, risk and debt work are expensed under every policy. Sources (REFERENCE.md §5):
- ASC 350-40 Internal-Use Software (FASB), and ASU 2025-06 "Targeted Improvements to the
  Accounting for Internal-Use Software" (FASB, September 2025): RSM, Moss Adams, BDO and
  KBF Advisory summaries;
- ASC 985-20 Software to Be Sold, Leased, or Otherwise Marketed: PwC Viewpoint 2.2;
- IAS 38 Intangible Assets ¶57 (IFRS): development-phase criteria;
- IRC §174 / §174A (P.L. 119-21, 4 July 2025) for the separate tax treatment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DISCLAIMER = (
    "A candidate figure for finance review, never an accounting entry. Not accounting or tax advice: "
    "finance and the auditors decide what is capitalised."
)
ASU_2025_06_REQUIRED_FROM = dt.date(2028, 1, 1)  # annual periods beginning after 15 Dec 2027 (calendar years)

COMMON_CAVEATS = (
    "Only new-feature work is a candidate; defects, maintenance, risk and tech-debt work are expensed.",
    "Effort shares come from completed work items (story points, else one per item), not time sheets.",
    "Tax is separate from book accounting: US §174/§174A treats domestic and foreign R&E differently, "
    "which needs each engineer's location.",
)


@dataclass(frozen=True)
class Policy:
    id: str
    label: str
    standard: str
    default_share: float  # share of new-feature effort past the threshold when the user sets none
    share_label: str
    caveats: tuple[str, ...]


POLICIES: dict[str, Policy] = {
    p.id: p
    for p in (
        Policy(
            "us_gaap_internal_use",
            "US GAAP internal-use software (ASC 350-40, incl. ASU 2025-06)",
            "ASC 350-40; ASU 2025-06 (FASB, Sept 2025)",
            1.0,
            "Share of new-feature work past the threshold (application-development stage; under "
            "ASU 2025-06, funding committed and completion probable)",
            (
                "Legacy stage model (ASC 350-40): only application-development-stage costs (coding, testing, "
                "direct payroll) qualify; preliminary-project work (discovery, choosing between designs) and "
                "post-implementation work (training, maintenance, data conversion) are expensed, so 100% of "
                "feature work is an upper bound.",
                "ASU 2025-06 drops the stages: costs are capitalised once management has authorised and "
                "committed funding and completion is probable, and not while significant development "
                "uncertainty remains (novel or unproven functions not yet resolved by coding and testing). "
                "Required for annual periods beginning after 15 December 2027; early adoption allowed.",
                "Covers software for the company's own use, including the platform a SaaS business sells "
                "access to.",
            ),
        ),
        Policy(
            "asc_985_20",
            "US GAAP software to be sold (ASC 985-20)",
            "ASC 985-20",
            0.0,
            "Share of new-feature work done after technological feasibility and before general release",
            (
                "Costs are expensed until technological feasibility (a completed, reviewed detail program "
                "design, or a working model) and capitalised only from then until general release.",
                "Teams that ship in small increments usually reach feasibility close to release, so little "
                "or nothing is capitalised: the default share is 0%.",
                "Capitalised costs are amortised per product (the greater of straight-line and the revenue "
                "ratio) and written down to net realisable value.",
            ),
        ),
        Policy(
            "ifrs_ias_38",
            "IFRS internally generated intangibles (IAS 38)",
            "IAS 38 Intangible Assets (IFRS)",
            1.0,
            "Share of new-feature work in the development phase once all six IAS 38 criteria are shown",
            (
                "Research-phase costs are expensed; development-phase costs must be capitalised once all six "
                "criteria are shown: technical feasibility, intention to complete and use or sell, ability "
                "to use or sell, probable future economic benefits, adequate technical, financial and other "
                "resources, and reliable measurement of the cost.",
                "When research and development cannot be told apart, everything is expensed.",
                "IFRS and US GAAP can treat the same work differently; the date from which the criteria are "
                "met is set per initiative by finance.",
            ),
        ),
    )
}


def regime(policy: str, period_start: dt.date, early_adoption: bool) -> str:
    """The rule a period falls under: for internal-use software, the legacy stage model or
    ASU 2025-06 (required from calendar 2028, assuming the fiscal year is the calendar year)."""
    if policy != "us_gaap_internal_use":
        return POLICIES[policy].standard
    if early_adoption or period_start >= ASU_2025_06_REQUIRED_FROM:
        return "ASU 2025-06"
    return "ASC 350-40 stage model"
