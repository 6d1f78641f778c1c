"""The seeded demo organisation (SPEC.md §8): build it, clear it, tell whether it is loaded.

`build_demo` replaces every canonical table with a generated organisation in one
transaction; the same seed and end date always give the same rows. Every row carries
import_id 'demo', so `clear_demo` removes exactly the demo and nothing a user imported.
The generators live beside this module, one per area: `world` (teams, calendar),
`people`, `flow`, `delivery`, `culture`, `capabilities`, `business`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import duckdb
import pandas as pd

from lib import anonymity
from lib.db import set_setting
from lib.demo import business, capabilities, culture, delivery, flow, people
from lib.demo.world import SMALL_TEAMS, World, large_teams
from lib.tables import TABLES

DEMO_IMPORT_ID = "demo"
SCALES = ("small", "large")

# Statements over the fixed table list; values are always bound parameters.
_DELETE_ALL = {t: f"delete from {t}" for t in TABLES}
_DELETE_DEMO = {t: f"delete from {t} where import_id = ?" for t in TABLES}
_INSERT = {t: f"insert into {t} by name select *, ? as import_id from demo_rows" for t in TABLES}
_ANY_ROWS = " or ".join(f"exists (select 1 from {t})" for t in TABLES)
_ANY_DEMO = " or ".join(f"exists (select 1 from {t} where import_id = $id)" for t in TABLES)


def make_world(scale: str = "small", seed: int = 7, end: dt.date | None = None) -> World:
    """The demo organisation's world, its records ending on `end` (at 23:59 at the latest).
    By default `end` is yesterday: like an export taken overnight, the demo holds nothing later
    than now (ending today, a VP opening it at 07:00 read deployments of 23:58)."""
    end = end or dt.date.today() - dt.timedelta(days=1)
    if scale == "small":
        return World(seed=seed, end=end, teams=SMALL_TEAMS, years=2)
    if scale == "large":
        return World(seed=seed, end=end, teams=large_teams(seed), years=5)
    raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")


def generate(world: World) -> Iterator[tuple[str, pd.DataFrame]]:
    """Each canonical table's rows, one table at a time so large builds stay lean."""
    staff = people.simulate_staff(world)
    yield "teams", people.teams_frame(world, staff)
    yield "employees", people.employees_frame(world, staff)
    yield "promotions", people.promotions_frame(world, staff)
    yield "one_on_ones", people.one_on_ones_frame(world, staff)
    items, transitions = flow.work_items(world, staff)
    yield "work_items", items
    features = business.monthly_counts(world, items["completed_at"][items["type"] == "feature"])
    del items
    yield "work_item_transitions", transitions
    del transitions
    deployments, incidents, pull_requests = delivery.deployments_and_incidents(world, staff)
    yield "deployments", deployments
    yield "incidents", incidents
    incidents_by_month = business.monthly_counts(world, incidents["started_at"])
    del deployments, incidents
    yield "pull_requests", pull_requests
    del pull_requests
    yield "survey_responses", culture.survey_responses(world, staff)
    yield "skills", capabilities.skills(world, staff)
    yield "skill_targets", capabilities.skill_targets(world)
    yield "learning", capabilities.learning(world, staff)
    yield "ai_usage", capabilities.ai_usage(world, staff)
    yield "user_teams", capabilities.user_teams(world, staff)
    yield "business_metrics", business.business_metrics(world, staff, features, incidents_by_month)
    yield "initiatives", business.initiatives(world)
    yield "engineer_costs", business.engineer_costs(world)


def build_demo(
    con: duckdb.DuckDBPyConnection,
    scale: str = "small",
    seed: int = 7,
    end: dt.date | None = None,
) -> dict[str, int]:
    """Replace all data with the demo organisation; returns rows written per table."""
    world = make_world(scale, seed, end)
    counts: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for table in TABLES:
            con.execute(_DELETE_ALL[table])
        con.execute("delete from imports")
        anonymity.forget(con)  # a new organisation: its surveys start a new history
        for table, frame in generate(world):
            con.register("demo_rows", frame)
            con.execute(_INSERT[table], [DEMO_IMPORT_ID])
            con.unregister("demo_rows")
            counts[table] = len(frame)
            del frame
        log = pd.DataFrame(
            {
                "import_id": DEMO_IMPORT_ID,
                "table": list(counts),
                "source_format": "demo",
                "file_name": f"demo organisation ({scale}, seed {seed}, ending {world.end})",
                "sha256": None,
                "rows": list(counts.values()),
                # overnight, after its last record (at 23:59 on `end`): never before the rows it loaded
                "imported_at": dt.datetime.combine(world.end + dt.timedelta(days=1), dt.time()),
                "status": "loaded",
            }
        )
        con.register("demo_log", log)
        con.execute("insert into imports by name select * from demo_log")
        con.unregister("demo_log")
        set_setting(con, "demo", "true")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    with contextlib.suppress(anonymity.ThresholdError):  # the pages say what is wrong with it
        anonymity.waves(con)  # publish the surveys now, not on the first page view
    return {table: counts[table] for table in TABLES}


def needs_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """An empty database that never had the demo (SPEC §8): no `demo` setting (once cleared,
    'false', it never comes back by itself), no import, and no row in any canonical table (rows
    written without the importer, e.g. by a script, are never replaced)."""
    from lib.db import get_setting

    if get_setting(con, "demo") is not None:
        return False
    if con.execute("select count(*) from imports").fetchone()[0]:
        return False
    return not con.execute("select " + _ANY_ROWS).fetchone()[0]


def clear_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Delete every demo row and its import log, leaving users' own imports alone."""
    con.execute("begin transaction")
    try:
        demo_surveys = [
            r[0]
            for r in con.execute(
                "select distinct survey_id from survey_responses where import_id = ?", [DEMO_IMPORT_ID]
            ).fetchall()
        ]
        anonymity.forget(con, demo_surveys)  # generated people: nothing to protect across the clear
        for table in TABLES:
            con.execute(_DELETE_DEMO[table], [DEMO_IMPORT_ID])
        con.execute("delete from imports where import_id = ?", [DEMO_IMPORT_ID])
        set_setting(con, "demo", "false")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True while any demo row remains in a canonical table."""
    return bool(con.execute("select " + _ANY_DEMO, {"id": DEMO_IMPORT_ID}).fetchone()[0])
