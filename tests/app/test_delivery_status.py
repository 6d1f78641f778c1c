"""The Delivery page with deployment runs that carry no status (SPEC §5: only success and
rollback are deployments): the page says how many, and shows no frequency when none has one,
never "0/wk" rated low. Values as in tests/unit/test_deployments_without_status.py."""

from __future__ import annotations

from tests.app.conftest import assert_no_exception
from tests.unit.fixtures import app_file, make_db
from tests.unit.test_deployments_without_status import MIXED

PAGE = "pages/delivery.py"
QUERY = {"from": "2025-03-03", "to": "2025-03-16"}  # [3 March, 17 March): two weeks


def _tile(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_runs_without_a_status_are_named_under_the_frequency(run_page, tmp_path):
    at = run_page(app_file(make_db(tmp_path, deployments=MIXED)), PAGE, query=QUERY)
    assert_no_exception(at)
    assert _tile(at, "Deploy frequency") == "1.5/wk"  # s1 s2 s3 in two weeks
    assert "2 of 7 production runs in the period have no status: not counted" in _captions(at)
    assert any(i.value.startswith("2 of 7 production runs in the period have no status") for i in at.info)


def test_no_status_at_all_shows_no_data_with_the_reason(run_page, tmp_path):
    at = run_page(
        app_file(make_db(tmp_path, deployments=[{**r, "status": None} for r in MIXED])), PAGE, query=QUERY
    )
    assert_no_exception(at)
    for label in ("Deploy frequency", "Lead time (median)", "Change failure rate"):
        assert _tile(at, label) == "—", label
    assert "No data: no production run in the period has a status" in _captions(at)
    assert "have no status: not counted" not in _captions(at)  # the reason says it once
    assert "low tier" not in _captions(at).lower()
    assert any(
        w.value.startswith("7 production deployment runs in this period, but none has a status")
        for w in at.warning
    )


def test_no_arrow_against_a_period_the_data_covers_only_in_part(run_page, tmp_path):
    # the second review: Jira data from 20 Aug; a period from 1 Sep compared with one whose work
    # items cover 11 days read "Flow velocity +300%". Deployments here: every weekday from 26 Feb,
    # so the fortnight before 3 March holds them on 3 of its 14 days.
    import datetime as dt

    rows, day = [], dt.date(2025, 2, 26)
    while day < dt.date(2025, 3, 17):
        if day.weekday() < 5:
            for n in range(8):  # 24 in the 3 days before the period: enough events, too few days
                at = dt.datetime.combine(day, dt.time(9 + n))
                rows.append(dict(deploy_id=f"d-{day}-{n}", team="a", environment="production", deployed_at=at,
                                 commit_at=at - dt.timedelta(hours=2), status="success"))  # fmt: skip
        day += dt.timedelta(days=1)
    at = run_page(app_file(make_db(tmp_path, deployments=rows)), PAGE, query=QUERY)
    assert_no_exception(at)
    frequency = next(m for m in at.metric if m.label == "Deploy frequency")
    assert frequency.value == "40/wk"  # 80 deployments in two weeks
    assert frequency.delta in (None, "")  # the fortnight before: deployments on 3 of its 14 days only
