"""Shared fixtures: a demo database built once per session, and copies to mutate."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lib import db

# A fixed end date keeps the demo organisation, and so every expectation, stable.
DEMO_END = dt.date(2026, 10, 31)


@pytest.fixture(scope="session", autouse=True)
def _new_databases_from_a_migrated_template(tmp_path_factory):
    """A database the tests create through `db.connect` starts as a copy of one migrated once
    per worker, as a template database does in a Postgres test suite: the suite creates some
    740 databases, and migrating each took 50–100 ms (about 40 s of the suite). The migrations
    themselves run here, on the template, and tests/unit/test_schema.py migrates step by step
    a file it creates itself. Processes the tests start (servers, the CLI) migrate their own."""
    import duckdb

    template = tmp_path_factory.mktemp("template") / "migrated.duckdb"
    con = duckdb.connect(str(template))
    db.migrate(con)
    con.close()
    original = db.connect

    def connect(path=None, read_only: bool = False):
        file = db.db_path(path)
        if not read_only and not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, file)
        return original(path, read_only)

    patch = pytest.MonkeyPatch()
    patch.setattr(db, "connect", connect)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo organisation database (small scale). Treat as read-only: copy to change it."""
    from lib.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.connect(path)
    build_demo(con, scale="small", seed=7, end=DEMO_END)
    con.close()
    return path


@pytest.fixture
def demo_db_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database, with its salt file beside it."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def empty_db(tmp_path) -> Path:
    """A migrated database with no data, where the demo was cleared (stays empty)."""
    path = tmp_path / "empty.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    con.close()
    return path
