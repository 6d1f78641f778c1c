-- one row per survey × team × dimension, and per survey × team (dimension null), of the answers published now: people (distinct respondents), answers, favourable / neutral / unfavourable answers, first and last answer date
with current_versions as (
    select
        survey_id,
        respondent_id,
        coalesce(team, '(no team)') as team,
        dimension,
        first_date,
        last_date,
        answers,
        favorable,
        neutral,
        unfavorable
    from survey_published
    where to_release is null
),

final as (
    select
        survey_id,
        team,
        dimension,
        count(distinct respondent_id) as people,
        sum(answers)::bigint as answers,
        sum(favorable)::bigint as favorable,
        sum(neutral)::bigint as neutral,
        sum(unfavorable)::bigint as unfavorable,
        min(first_date) as first_date,
        max(last_date) as last_date
    from current_versions
    group by grouping sets ((survey_id, team, dimension), (survey_id, team))
)

select * from final
order by survey_id, team, dimension nulls first
