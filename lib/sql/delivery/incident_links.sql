-- the incidents the change failure rate can count: every incident loaded, those started in
-- [start, end) for the teams in scope, and those of them that name no deployment
-- (lib.views.delivery.failures_unseen; the same counts as coverage.sql's incident_rows)
select
    count(*) as incidents_total,
    count(*) filter (where started_at >= $start and started_at < $end
        and ($all_teams or list_contains($teams, team))) as incidents_in_period,
    count(*) filter (where started_at >= $start and started_at < $end
        and ($all_teams or list_contains($teams, team))
        and nullif(trim(caused_by_deploy_id), '') is null) as incidents_without_deploy_in_period
from incidents
