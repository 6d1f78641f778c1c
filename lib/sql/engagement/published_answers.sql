-- one row per published version of a survey × respondent × dimension (surveys in $surveys, all when empty; $current_only: only the versions published now), as written by lib/anonymity/release.py
with versions as (
    select *
    from survey_published
    where (len($surveys) = 0 or list_contains($surveys, survey_id))
      and (not $current_only or to_release is null)
),

final as (
    select
        survey_id,
        respondent_id,
        dimension,
        team,
        first_date,
        last_date,
        answers,
        score_sum,
        favorable,
        neutral,
        unfavorable,
        from_release,
        to_release
    from versions
)

select * from final
order by survey_id, respondent_id, dimension, from_release
