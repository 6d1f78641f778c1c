-- one row per survey published now: the people with a score on any Likert (non-eNPS) dimension
with current_versions as (
    select
        survey_id,
        respondent_id
    from survey_published
    where to_release is null
      and dimension <> 'enps'
),

final as (
    select
        survey_id,
        count(distinct respondent_id) as likert_people
    from current_versions
    group by survey_id
)

select * from final
order by survey_id
