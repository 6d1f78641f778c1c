-- Schema version 16: one rule for a share of people whose two counts come from different sources.
-- people_share(part, whole): part ÷ whole (0–1); null when the whole is not positive, and null
-- when the part outnumbers the whole, since then the two sources cover different people (an
-- organisation-wide Copilot export over one team's HRIS headcount, eight survey respondents over a
-- five-person HRIS file, one person counted once per tool). A share of people above 100% is never
-- shown: the pages say why it is missing instead (`lib.views.people_share`).
-- A stored macro, like period_buckets (migration 004): temp macros are per connection.

create or replace macro people_share(part, whole) as
    case when whole > 0 and part <= whole then part / whole end;
