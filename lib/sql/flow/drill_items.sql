-- one row per work item behind a flow number ($subset: completed in [start, end), or in_progress at end) for the teams in scope, at most $row_limit
with history as (
    select item_id, count(*) as status_changes
    from work_item_transitions
    group by item_id
),

chosen as (
    select
        w.item_id,
        w.type,
        w.team,
        w.title,
        w.created_at,
        w.started_at,
        w.completed_at,
        w.canceled_at,
        item_flow_days(w.created_at, w.started_at, w.completed_at) as flow_time_days,
        item_runs_backwards(w.created_at, w.started_at, w.completed_at) as runs_backwards,
        coalesce(h.status_changes, 0) as status_changes
    from work_items as w
    left join history as h using (item_id)
    where ($all_teams or list_contains($teams, w.team))
      and (
          ($subset = 'completed' and w.completed_at >= $start and w.completed_at < $end)
          or (
              $subset = 'in_progress'
              and coalesce(w.started_at, w.created_at) < $end
              and not coalesce(w.completed_at < $end, false)
              and not coalesce(w.canceled_at < $end, false)
          )
      )
),

final as (
    select *, count(*) over () as total_rows
    from chosen
    order by coalesce(completed_at, started_at, created_at) desc, item_id
    limit $row_limit
)

select * from final
