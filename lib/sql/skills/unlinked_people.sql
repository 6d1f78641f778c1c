-- one row: people in skills and learning rows who match no employee by employee id or work e-mail
with skills_unlinked as (
    select count(distinct skills.employee_id) as people, count(*) as rows_
    from skills
    anti join person_links as links on links.person_id = skills.employee_id
),

learning_unlinked as (
    select count(distinct learning.employee_id) as people, count(*) as rows_
    from learning
    anti join person_links as links on links.person_id = learning.employee_id
),

final as (
    select
        skills_unlinked.people as skills_people_unlinked,
        skills_unlinked.rows_ as skills_rows_unlinked,
        (select count(distinct employee_id) from skills) as skills_people,
        learning_unlinked.people as learning_people_unlinked,
        learning_unlinked.rows_ as learning_rows_unlinked,
        (select count(distinct employee_id) from learning) as learning_people
    from skills_unlinked, learning_unlinked
)

select * from final
