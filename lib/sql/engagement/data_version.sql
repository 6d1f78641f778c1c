-- one row: whether the connection can write, its database file, whether it sees only some org units ($granted_source attached: lib/access.py) and which teams, the anonymity threshold setting, and a fingerprint of every scored survey answer it sees (changes with any import, update or undo that touches one)
-- run before every figure of a survey, so kept to one statement that reads the answers once, for their count and their hashes' sum (a CTE read twice cost 5.1 ms a call on a tiny database, mostly planning; this 3.2 ms)
select
    current_setting('access_mode') <> 'read_only' as writable,
    (select path from duckdb_databases() where database_name = current_database()) as path,
    (select count(*) from duckdb_databases() where database_name = $granted_source) > 0 as restricted,
    (select string_agg(team, chr(31) order by team) from teams) as visible_teams,
    (select max(value) from settings where key = 'anonymity_threshold') as threshold_setting,
    (select count(*) from settings where key = 'anonymity_threshold') > 0 as threshold_set,
    (
        select
            count(*)::varchar || ':'
            || coalesce(sum(hash(survey_id, respondent_id, team, question_id, dimension, survey_date, score)::hugeint), 0)::varchar
        from survey_responses
        where score is not null
    ) as fingerprint
