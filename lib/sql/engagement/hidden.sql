-- one row per suppression decision in force at a release of a wave (surveys in $surveys, all when empty): unit (team, cell or org), team, dimension, kind
with decisions as (
    select *
    from survey_hidden
    where len($surveys) = 0 or list_contains($surveys, survey_id)
),

final as (
    select
        survey_id,
        release,
        unit,
        team,
        dimension,
        kind
    from decisions
)

select * from final
order by survey_id, release, unit, team, dimension
