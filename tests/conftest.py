"""Shared fixtures: a demo database built once per session, and copies to mutate."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lib import db

# A fixed end date keeps the demo organisation, and so every expectation, stable.
DEMO_END = dt.date(2026, 10, 31)


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
