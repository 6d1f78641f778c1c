"""lib/tables.py and the migrated database describe the same canonical tables."""

from __future__ import annotations

import duckdb
import pytest

from lib import db
from lib.tables import TABLES

DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "double": "DOUBLE",
    "integer": "INTEGER",
    "boolean": "BOOLEAN",
}


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "schema.duckdb")
    yield con
    con.close()


@pytest.mark.parametrize("table", list(TABLES))
def test_columns_and_types_agree(con, table):
    spec = TABLES[table]
    described = con.execute(f'describe "{table}"').fetchall()
    got = [(name, kind) for name, kind, *_ in described]
    want = [(c.name, DUCKDB_TYPES[c.type]) for c in spec.columns] + [("import_id", "VARCHAR")]
    assert got == want


@pytest.mark.parametrize("table", list(TABLES))
def test_keys_are_required_and_not_null_columns_are_required(con, table):
    spec = TABLES[table]
    required = {c.name for c in spec.columns if c.required}
    assert set(spec.key) <= required
    not_null = {
        name for name, _, nullable, *_ in con.execute(f'describe "{table}"').fetchall() if nullable == "NO"
    }
    assert set(spec.key) <= not_null <= required


@pytest.mark.parametrize("table", list(TABLES))
def test_examples_fit_their_table(table):
    spec = TABLES[table]
    assert spec.example, "every table has an example row for its template"
    for row in spec.example:
        assert len(row) == len(spec.columns)
    for column in spec.columns:
        if column.choices:
            assert all(choice == choice.lower() for choice in column.choices)


def test_imports_log_has_the_columns_the_importer_writes(con):
    got = [row[0] for row in con.execute("describe imports").fetchall()]
    assert got == [
        "import_id",
        "table",
        "source_format",
        "file_name",
        "sha256",
        "rows",
        "imported_at",
        "status",
    ]


def test_a_version_1_database_opens_and_is_upgraded(tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    assert db.migrate(old, up_to=1) == 1
    old.execute("insert into teams (team, org) values ('payments', 'Commerce')")
    assert old.execute(
        "select count(*) from information_schema.tables where table_name = 'column_mappings'"
    ).fetchall() == [(0,)]
    old.close()

    con = db.connect(path)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert con.execute("select team, org from teams").fetchall() == [("payments", "Commerce")]
    for table in ("settings", "column_mappings"):
        assert con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [table]
        ).fetchall() == [(1,)]
    versions = [v for (v,) in con.execute("select version from schema_version order by version").fetchall()]
    assert versions == [v for v, _ in db.migrations()]  # each once, whatever numbers have landed
    con.close()
    assert db.schema_version(db.connect(path)) == db.SCHEMA_VERSION  # reopening changes nothing
