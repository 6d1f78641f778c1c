"""Which trend buckets may speak: gaps outside a source's data, partial buckets, small numbers.

Trend views return one row per bucket of the grain (METRICS.md, By-period views). Three
kinds of bucket must never make a chart's takeaway, and are drawn as such:

- **no data**: the bucket lies wholly outside its source's span (before the first row,
  after the last, `lib.views.data_span`): its figures are null (a gap), never 0;
- **partial**: the bucket is not whole: clipped by the period (a week of one Monday, a
  month that starts on the 20th) or only partly inside the source's span (the month its
  data begins or ends). Its rate is true for the days it holds, but a single day moves
  it, so it is drawn marked and left out of the title;
- **few**: the rate stands on fewer than `MIN_COUNT` events or people (`is_few`); it is
  drawn with its count and left out of the title.

`mark(frame, spans, columns)` adds `partial` and `no_data` and nulls a source's columns in
its no-data buckets. No streamlit here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.scope import Scope
from lib.views.data_span import SLACK_DAYS, Span

# The fewest events (deployments, incidents, completed items, merged pull requests) or people
# a bucket's rate may stand on to make a takeaway. 20, for two reasons that agree: a count of
# n events has a Poisson relative standard error of 1/√n, 22% at 20, which is why NCHS vital
# statistics flag rates on fewer than 20 events as unreliable (Parker and Makuc, NCHS, APHA
# 2007) and CDC WISQARS calls a rate on 20 or fewer deaths unstable; and over fewer than 20
# people one person moves a share by more than 5 points, the width of a DORA change-failure
# band (5%, 10%, 15%). METRICS.md, Small numbers.
MIN_COUNT = 20

# Days of a bucket outside its source's span above which the bucket is partial.
REACH_DAYS = SLACK_DAYS

# The columns that are the bucket itself, kept in a no-data bucket.
BUCKET_COLUMNS = ("unit", "group", "period", "bucket_start", "bucket_end", "days", "partial", "no_data")


def full_days(period, grain: str) -> int:
    """Days in the whole bucket of `grain` that starts on `period` (7, 28–31, 90–92)."""
    start = pd.Timestamp(period).date()
    if grain == "week":
        return 7
    months = 1 if grain == "month" else 3
    month = start.month - 1 + months
    end = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return (end - start).days


def _day(value) -> dt.date:
    return pd.Timestamp(value).date()


def _with_bounds(frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Add `bucket_start`, `bucket_end` (exclusive) and `days`, the bucket clipped to the
    scope's period, to a frame that has only `period`."""
    starts = frame["period"].map(lambda p: max(_day(p), scope.start))
    ends = frame["period"].map(
        lambda p: min(_day(p) + dt.timedelta(days=full_days(p, scope.grain)), scope.end)
    )
    return frame.assign(
        bucket_start=pd.to_datetime(starts),
        bucket_end=pd.to_datetime(ends),
        days=[(e - b).days for b, e in zip(starts, ends, strict=True)],
    )


def mark(
    frame: pd.DataFrame,
    scope: Scope,
    spans: dict[str, Span] | None = None,
    columns: dict[str, tuple[str, ...]] | None = None,
    unit_spans: dict[tuple[str, str], Span] | None = None,
) -> pd.DataFrame:
    """`frame` (one row per bucket of `scope.grain` over `scope`'s period, with `period`; per
    `unit` too when `unit_spans` is given) with `bucket_start`, `bucket_end` and `days` (when
    it lacks them) and two columns added:

    - `partial`: the bucket is shorter than its grain's whole bucket (clipped by the period),
      or more than `REACH_DAYS` of it lie outside the span of the first source of `columns`
      (its data began or ended in the bucket);
    - `no_data`: the bucket lies wholly outside the span of every source in `columns`.

    `columns` maps a source (a key of `spans`) to the frame's columns it feeds; in a bucket
    wholly outside that source's span those columns are set to null (a gap, not 0). `spans`
    are the scope's spans (`data_span.scope_spans`); `unit_spans` maps (source, unit) to a
    span (`data_span.spans(…, unit)`), for frames with one row per team or org per bucket.
    """
    if frame.empty or "period" not in frame.columns:
        return frame.assign(partial=pd.Series(dtype=bool), no_data=pd.Series(dtype=bool))
    frame = frame.copy()
    if not {"bucket_start", "bucket_end", "days"} <= set(frame.columns):
        frame = _with_bounds(frame, scope)
    whole = frame["period"].map(lambda p: full_days(p, scope.grain))
    partial = (frame["days"] < whole).to_numpy()
    outside_all = pd.Series(True, index=frame.index)
    for n, (source, cols) in enumerate((columns or {}).items()):
        cols = [c for c in cols if c in frame.columns]
        outside, reaches = [], []
        for row in frame.itertuples(index=False):
            span = (
                unit_spans.get((source, row.unit))
                if unit_spans is not None and "unit" in frame.columns
                else (spans or {}).get(source)
            )
            first, last = _day(row.bucket_start), _day(row.bucket_end) - dt.timedelta(days=1)
            if span is None or span.first is None or span.last is None:
                outside.append(True)
                reaches.append(False)
                continue
            out = last < span.first or first > span.last
            outside.append(out)
            # more than a week of the bucket outside the first source's span: the data began or
            # ended in it (a quiet weekend after the last deployment is not the data's end)
            uncovered = max((span.first - first).days, 0) + max((last - span.last).days, 0)
            reaches.append(n == 0 and not out and uncovered > REACH_DAYS)
        outside = pd.Series(outside, index=frame.index, dtype=bool)
        for col in cols:
            frame[col] = frame[col].astype("float64").mask(outside)
        partial = partial | pd.Series(reaches, index=frame.index, dtype=bool).to_numpy()
        outside_all &= outside
    frame["partial"] = partial
    frame["no_data"] = outside_all.to_numpy() if columns else False
    return frame


def is_few(counts) -> pd.Series:
    """True where a rate stands on fewer than MIN_COUNT events or people (null counts: few)."""
    series = pd.Series(counts)
    return series.fillna(0) < MIN_COUNT


def few_people(summary: dict) -> bool:
    """An annualised people rate of a retention summary (`lib.views.retention.retention_summary`)
    stands on fewer than MIN_COUNT people on average: its change is not worth an arrow (one
    leaver among six people over a week annualises to 900%)."""
    start, end = summary.get("headcount_start"), summary.get("headcount_end")
    if start is None or end is None:
        return True
    return (start + end) / 2 < MIN_COUNT
