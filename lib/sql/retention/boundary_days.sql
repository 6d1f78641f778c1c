-- people whose hire or termination falls on the period's first day ($start) or on the day after
-- its last ($end): SPEC §5 counts them in a headcount and in hires or separations, or in neither,
-- so headcount_start + hires − separations differs from headcount_end by exactly these
select
    count(*) filter (where hire_date = $start) as hired_on_first_day,
    count(*) filter (where termination_date = $start) as left_on_first_day,
    count(*) filter (where hire_date = $end) as hired_on_day_after,
    count(*) filter (where termination_date = $end) as left_on_day_after
from employees
where ($all_teams or list_contains($teams, team))
