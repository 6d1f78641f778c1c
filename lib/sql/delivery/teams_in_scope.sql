-- one row per team with delivery data (deployments, incidents or completed items) in [start, end):
-- the team and its org, for the drill-down's team list and for choosing teams or orgs as small multiples
with active as (
    select team from deployments
    where deployed_at >= $start and deployed_at < $end
    union
    select team from incidents
    where started_at >= $start and started_at < $end
    union
    select team from work_items
    where completed_at >= $start and completed_at < $end
)

select active.team, coalesce(teams.org, '(no org)') as org
from active
left join teams using (team)
where active.team is not null
  and ($all_teams or list_contains($teams, active.team))
order by active.team
