-- Schema version 8: link people across files by work e-mail without storing it (SPEC §4).
-- employees.email_id is the pseudonym of the person's work e-mail, made with the same salt
-- as employee_id, so a file keyed by e-mail (learning, skills) joins an HRIS report on
-- `employees.employee_id = x or employees.email_id = x`. The e-mail itself is never stored.

alter table employees add column if not exists email_id varchar;
