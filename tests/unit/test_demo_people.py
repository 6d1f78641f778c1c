"""The demo's people (SPEC §8): hires and separations run to the last day, the latest quarter's
attrition is no generator artefact, and the retention stories show as the Retention page
computes them."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import db
from lib.demo import build_demo
from lib.views import retention
from tests.unit.fixtures import scope

END = dt.date(2026, 10, 31)
STOP = END + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = db.connect(tmp_path_factory.mktemp("demo-people") / "demo.duckdb")
    build_demo(con, scale="small", seed=7, end=END)
    yield con
    con.close()


@pytest.mark.parametrize("seed", [7, 2, 3])
def test_hires_and_separations_reach_the_last_week(tmp_path, seed):
    con = db.connect(tmp_path / "demo.duckdb")
    build_demo(con, scale="small", seed=seed, end=END)
    last_hire, last_exit = con.execute(
        "select max(hire_date), max(termination_date) from employees"
    ).fetchone()
    assert END - dt.timedelta(days=7) <= last_hire <= END
    assert END - dt.timedelta(days=7) <= last_exit <= END
    # every 30-day window of the last quarter has a leaver
    for days in (90, 60, 30):
        window = con.execute(
            "select count(*) from employees where termination_date >= $lo and termination_date < $hi",
            {"lo": STOP - dt.timedelta(days=days), "hi": STOP - dt.timedelta(days=days - 30)},
        ).fetchone()[0]
        assert window > 0, days


def test_the_latest_quarter_reads_like_the_year_it_ends(con):
    quarter = retention.retention_summary(con, scope(str(STOP - dt.timedelta(days=91)), str(STOP)))
    ttm = quarter["attrition_rate_ttm"]
    assert 0.08 < ttm < 0.35
    assert 0.5 * ttm < quarter["attrition_rate_annualized"] < 2 * ttm


def test_the_acquired_company_loses_more_people_in_its_first_year(con):
    acquired, organic = con.execute(
        """select
             avg((t < hire_date + 365)::int) filter (where acquired_from is not null),
             avg((t < hire_date + 365)::int) filter (where acquired_from is null)
           from (select *, coalesce(termination_date, date '2999-01-01') as t from employees)
           where hire_date >= $start and hire_date < $stop - 365""",
        {"start": STOP - dt.timedelta(days=730), "stop": STOP},
    ).fetchone()
    assert acquired > 1.3 * organic
