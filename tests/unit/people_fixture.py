"""Employees as an HRIS import leaves them (pseudonymised id and work e-mail), for format tests.

`employees.email_id` arrives with the retention pillar's migration; until then a test that
links by e-mail adds the column itself. SALT is the salt every test of this kind sets
(`PILLARS_SALT`), so the pseudonyms below are the ones the loader writes.
"""

from __future__ import annotations

import duckdb

from lib.privacy import pseudonym

SALT = "test-salt-skills"
PEOPLE = (  # employee id, work e-mail, team
    ("E-101", "ana.silva@example.com", "payments"),
    ("E-102", "ben.okafor@example.com", "platform"),
    ("E-103", "chen.li@example.com", "platform"),
    ("E-104", "dora.kim@example.com", "payments"),
)


def pid(value: str) -> str:
    return pseudonym(value, SALT)


def add_employees(con: duckdb.DuckDBPyConnection, people=PEOPLE, hired: str = "2020-01-01") -> None:
    con.execute("alter table employees add column if not exists email_id varchar")
    for employee_id, email, team in people:
        con.execute(
            "insert into employees (employee_id, email_id, team, hire_date) values (?, ?, ?, ?)",
            [pid(employee_id), pid(email), team, hired],
        )
