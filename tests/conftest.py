"""Shared fixtures: a demo database built once per session, and copies to mutate."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lib import db

# A fixed end date keeps the demo organisation, and so every expectation, stable.
DEMO_END = dt.date(2026, 10, 31)

# The longest test files first (seconds on a 2-core machine, December 2026, in brackets), a
# browser journey and a unit or AppTest file in turn: scripts/test hands files to the workers
# in this order (pytest-xdist's loadfile with --no-loadscope-reorder; its default order, by
# number of tests, left one-test browser journeys of 30–45 s for the end). In turn, because two
# browser files at once wait on each other's Chromium while the unit tests' CPU idles: with the
# browser files all first the suite took 10 min 57 s and 11 min 8 s, against 10 min 27 s and
# 10 min 35 s with xdist's order.
LONGEST_FIRST = (
    "tests/browser/test_board_ready.py",  # (91)
    "tests/unit/test_anonymity_adversarial.py",  # (64)
    "tests/browser/test_journeys.py",  # (58)
    "tests/unit/test_ingest_fast.py",  # (40)
    "tests/browser/test_data_never_changes_behind_your_back.py",  # (46)
    "tests/app/test_delivery_page.py",  # (29)
    "tests/browser/test_many_servers.py",  # (42)
    "tests/unit/test_boardpack.py",  # (23)
    "tests/browser/test_delivery_rules.py",  # (37)
    "tests/app/test_chart_registry.py",  # (23)
    "tests/browser/test_business_journeys.py",  # (36)
    "tests/app/test_catalog_calls.py",  # (23)
    "tests/browser/test_survey_imports.py",  # (36)
    "tests/app/test_stored_values.py",  # (22)
    "tests/browser/test_concurrency.py",  # (34)
    "tests/app/test_board_pack_page.py",  # (22)
    "tests/browser/test_sign_in.py",  # (33)
    "tests/unit/test_export_cli.py",  # (21)
    "tests/browser/test_retention.py",  # (32)
    "tests/unit/test_board_ready.py",  # (17)
    "tests/browser/test_safe_downloads.py",  # (30)
    "tests/unit/test_chart_registry.py",  # (16)
    "tests/browser/test_overview_journeys.py",  # (29)
    "tests/unit/test_bad_input.py",  # (16)
    "tests/browser/test_board_pack.py",  # (28)
    "tests/app/test_business_page.py",  # (15)
    "tests/browser/test_skills_journeys.py",  # (28)
    "tests/unit/test_one_value.py",  # (14)
)


def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    root = config.rootpath
    items.sort(key=lambda item: rank.get(item.path.relative_to(root).as_posix(), len(rank)))  # stable


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
