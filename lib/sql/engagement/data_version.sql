-- one row: whether the connection can write, its database file, whether it sees only some org units ($granted_source attached: lib/access.py) and which teams, the anonymity threshold setting, and a fingerprint of every scored survey answer it sees (changes with any import, update or undo that touches one)
with scored as (
    select hash(survey_id, respondent_id, team, question_id, dimension, survey_date, score) as row_hash
    from survey_responses
    where score is not null
),

final as (
    select
        current_setting('access_mode') <> 'read_only' as writable,
        (select path from duckdb_databases() where database_name = current_database()) as path,
        (select count(*) from duckdb_databases() where database_name = $granted_source) > 0 as restricted,
        (select string_agg(team, chr(31) order by team) from teams) as visible_teams,
        (select max(value) from settings where key = 'anonymity_threshold') as threshold_setting,
        (select count(*) from settings where key = 'anonymity_threshold') > 0 as threshold_set,
        (select count(*) from scored)::varchar || ':' || coalesce((select sum(row_hash::hugeint) from scored), 0)::varchar
            as fingerprint
)

select * from final
