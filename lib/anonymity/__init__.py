"""Anonymity (SPEC §6): no figure over fewer people than the threshold is shown, and no
combination of shown figures, across filters, periods and a wave's growing data, lets a
group of fewer than the threshold be worked out.

## Public API (for every pillar)

- `threshold(con)`: N, from `PILLARS_ANONYMITY_THRESHOLD`, else the database setting
  `anonymity_threshold`, else 5. A value that is not a whole number ≥ 3 ("1O", "2",
  "3.5", "") raises `ThresholdError` naming the variable or setting: never replaced.
- `suppress(frame, n_column, value_columns, k)`: blank per-group aggregates of people data
  whose group has fewer than k people, with the reason; `plan_groups(sizes, k)`: which
  groups of a partition to hide (primary + complementary) so that a shown total minus
  shown groups never isolates fewer than k people; `reason_text(kind, k, who)`.
- `waves(con)`: every survey wave as published now (`Wave`), the only source of survey
  figures (`lib.views.engagement_figures` computes every number from it).

**Who counts** (one rule for every pillar): the people whose data make *that* figure. For
surveys: eNPS counts those who answered the eNPS question, a dimension those with a score
on it, the engagement index those with a Likert score, the respondent count those with
any score; a respondent whose scores are all empty counts for nothing. Retention and
Skills figures count the employees behind each figure the same way.

## Surveys: cells

A respondent belongs to one team per survey (the team of most of their answers), so
every survey figure is a sum over *cells*: one team's answerers of one dimension. Every
filter the app offers (organisation, team, location, sourcing, acquired cohort) resolves
to a set of teams, so a filtered figure is the sum of that set's cells; the unfiltered
figure is the sum of all cells, respondents without a team included. The period only
chooses which waves are shown: a wave is in the period when any of its answers is dated
in it, and its figures always count all of its answers (SPEC §5: "distinct respondents
of that survey"). Counting only the answers dated inside the period would let two
periods that cut one survey differ by a handful of people.

## Surveys: the plan (per release, `lib.anonymity.plan`)

Primary: a team with fewer than N respondents, a cell with fewer than N answerers, an
organisation-wide figure over fewer than N people. Respondents without a team are only
ever in organisation-wide figures. Complementary: the smallest shown teams (cells of a
column) until the hidden ones pool at least N people, because the organisation's figure
minus the shown teams' figures is the hidden pool; and the same for the answers the
engagement index alone carries (dimensions hidden organisation-wide). A filtered figure
is computed over *shown cells only*: two filtered figures differ by shown cells, whose
own figures are public anyway, and a filter of hidden teams only shows nothing.

## Surveys: releases, as a wave's data grows (`lib.anonymity.release`)

Answers arrive late (a second export, a late batch into the same wave), get corrected
(a re-import updates scores in place) or removed (undo an import). Comparing the figures
before and after such a change would show the change on its own: two people's late
answers, one corrected score. So survey figures never read `survey_responses` directly:
they read the wave's **published versions** (`survey_published`), and the first
computation after a change cuts a new **release**:

1. Decisions are kept per wave: a team or cell hidden in one release stays hidden in
   every later one (`survey_hidden`), so the hidden set never moves from one team to
   another.
2. The changes since the last release are grouped by the cells they touch. The release
   is checked against *every* earlier release of the wave (`lib.anonymity.atoms`): the
   unknowns an observer faces (each person's answers on each dimension, each person's
   presence) are split into atoms, the classes no published figure tells apart; any
   published combination yields only whole atoms, so if no atom holds 1 to N − 1 people
   no group under the threshold is determined. A change that would create such an atom
   (two late answers in one team, a removal that leaves three people behind a figure
   once shown, a single corrected score) is **held back**: the figures stay as of the
   last release, and the page says that later answers are held back, without saying how
   many. Held-back changes are released as soon as enough other changes join them (at
   least N people per cell, counting people added, removed or changed).
3. A release, its decisions and the comparison are written in one transaction, so the
   app, the CLI and the board pack all serve the same release.

## What it does not protect against

- Knowledge from outside the app: someone who knows how four of five colleagues answered
  can infer the fifth from a figure over five. Inherent to any threshold; raise it for
  small, close teams. Unanimity: a 100 % favourable figure tells each answer's direction.
- Counts of skipped questions: the whole organisation's respondents minus a dimension's
  answerers tells how many skipped it (never who, nor any answer). The atom check treats
  a person's presence on each dimension as its own unknown and does not use such
  inequalities between them.
- Non-additive statistics: the driver correlations (at least 25 respondents) and their
  count are not sums and are left out of the atom check; a Pearson r over nested
  groups cannot be inverted into a group's answers.
- Memory of figures from before this mechanism existed, or after `forget` (used only for
  the demo organisation), and a change of the threshold: decisions made under an old
  threshold are kept (lowering it does not unhide them); atoms that a release leaves
  exactly as they were are not re-judged against a raised threshold.
- Different waves are different surveys of partly different people; no figure pools
  waves, so waves are protected independently.
"""

from __future__ import annotations

from lib.anonymity.core import (
    COMPLEMENTARY,
    DEFAULT_THRESHOLD,
    ENV_VAR,
    MINIMUM_THRESHOLD,
    NO_TEAM,
    PRIMARY,
    SETTING,
    UNASSIGNED,
    ThresholdError,
    complete,
    is_hidden_reason,
    parse_threshold,
    plan_groups,
    reason_text,
    suppress,
    threshold,
    too_few,
)
from lib.anonymity.plan import INDEX, RESPONDENTS, Decisions, plan_release
from lib.anonymity.release import Wave, answers, forget, waves

mask = suppress  # the name the first pages used

__all__ = [
    "COMPLEMENTARY",
    "DEFAULT_THRESHOLD",
    "ENV_VAR",
    "INDEX",
    "MINIMUM_THRESHOLD",
    "NO_TEAM",
    "PRIMARY",
    "RESPONDENTS",
    "SETTING",
    "UNASSIGNED",
    "Decisions",
    "ThresholdError",
    "Wave",
    "answers",
    "complete",
    "forget",
    "is_hidden_reason",
    "mask",
    "parse_threshold",
    "plan_groups",
    "plan_release",
    "reason_text",
    "suppress",
    "threshold",
    "too_few",
    "waves",
]
