-- Schema version 3: a team for every pull request that can be given one.
-- `gh pr list` exports carry no team. A PR without one takes the team that deploys the
-- service named like its repository (acme/ledger → ledger), the same match the PR
-- cycle time uses for the deploy stage; the most frequent such team when several do.
-- A view, so the team follows deployments imported before or after the PRs.

create or replace view pull_requests_with_team as
with service_team as (
    select
        lower(regexp_extract(trim(service), '[^/]+$')) as repo_name,
        mode(team) as team
    from deployments
    where service is not null
      and nullif(trim(team), '') is not null
    group by all
)

select
    pull_requests.* replace (coalesce(nullif(trim(pull_requests.team), ''), service_team.team) as team)
from pull_requests
left join service_team
    on service_team.repo_name = lower(regexp_extract(pull_requests.repo, '[^/]+$'));
