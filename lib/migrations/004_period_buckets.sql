-- Schema version 4: the period buckets every trend query starts from, defined once.
-- period_buckets(start, end, grain): one row per bucket of `grain` (week from Monday, month,
-- quarter) over the days of [start, end): `period` (the nominal bucket start), the bucket
-- clipped to the range (`bucket_start`, `bucket_end` exclusive) and its clipped length in
-- `days`, so per-week and annualised rates stay comparable across partial edge buckets.
-- A stored macro rather than a temp one: the app hands out cursors, and temp macros are
-- per connection.

create or replace macro period_buckets(start_date, end_date, grain) as table
    select
        date_trunc(grain, d::date)::date as period,
        min(d::date) as bucket_start,
        max(d::date) + 1 as bucket_end,
        count(*) as days
    from range(start_date::timestamp, end_date::timestamp, interval 1 day) as t (d)
    group by all;
