"""Deployment runs without a status (SPEC §5 counts a run as a deployment only with status
success or rollback): never a silent 0. The importer warns, the catalog counts them
(`delivery.runs_without_status`), and when no production run in scope has a status the
deployment frequency is null, not 0 rated "low". Values worked out in the comments.

The file layout is the canonical deployments template (lib/tables.py, the Data page's
download) with the `status` column left out, or left blank on some rows, as a CI log
exported by hand often is.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from lib import metrics
from lib.ingest.load import import_file
from lib.views import delivery, delivery_detail
from tests.unit.fixtures import make_db, scope

ROOT = Path(__file__).resolve().parents[2]
PERIOD = ("2025-03-03", "2025-03-17")  # 14 days = 2 weeks; ISO weeks of 3 and 10 March


def dep(deploy_id, status, deployed_at, commit_at=None, team="a"):
    return dict(
        deploy_id=deploy_id,
        team=team,
        environment="production",
        status=status,
        deployed_at=deployed_at,
        commit_at=commit_at,
    )


MIXED = [
    dep("s1", "success", "2025-03-03 12:00", "2025-03-03 10:00"),  # lead 2 h
    dep("s2", "Success", "2025-03-04 12:00", "2025-03-04 06:00"),  # lead 6 h
    dep("s3", "success", "2025-03-11 12:00", "2025-03-11 02:00"),  # lead 10 h
    dep("r1", "rollback", "2025-03-12 12:00", "2025-03-12 11:00"),
    dep("f1", "failure", "2025-03-05 12:00"),
    dep("n1", None, "2025-03-06 12:00", "2025-03-06 11:00"),  # no status
    dep("n2", " ", "2025-03-13 12:00"),  # blank status
]


def delivery_keys(con, teams=None) -> dict:
    return metrics.catalog(con, scope(*PERIOD, teams=teams))["delivery"]


def test_runs_without_a_status_are_counted_beside_the_deployments(tmp_path):
    con = make_db(tmp_path, deployments=MIXED)
    got = delivery_keys(con)
    # deployments: s1 s2 s3 r1 = 4; failed run f1; n1 and n2 have no status: neither
    assert got["deployments"] == 4
    assert got["failed_deployment_runs"] == 1
    assert got["runs_without_status"] == 2
    # successful s1 s2 s3 = 3 in 2 weeks → 1.5 a week; lead 2, 6, 10 → 6 h; r1 rolled back → 1 of 4
    assert got["deployment_frequency_per_week"] == pytest.approx(1.5)
    assert got["lead_time_hours_p50"] == pytest.approx(6.0)
    assert got["change_failure_rate"] == pytest.approx(0.25)
    # the page says it beside the frequency, and in its notes
    c = delivery_detail.coverage(con, scope(*PERIOD))
    assert delivery_detail.status_note(c) == (
        "2 of 7 production runs in the period have no status: not counted, as whether they reached "
        "production is unknown."
    )
    notes = delivery_detail.data_notes(c)
    assert any(n.startswith("2 of 7 production runs in the period have no status") for n in notes)
    assert any(n.startswith("Not counted as deployments: 1 failed deployment run") for n in notes)


def test_no_status_at_all_gives_no_frequency_never_zero(tmp_path):
    rows = [{**r, "status": None} for r in MIXED]
    con = make_db(tmp_path, deployments=rows)
    got = delivery_keys(con)
    assert got["runs_without_status"] == 7
    assert got["deployments"] == 0 and got["failed_deployment_runs"] == 0
    assert got["deployment_frequency_per_week"] is None  # not 0.0 rated "low"
    assert got["lead_time_hours_p50"] is None and got["change_failure_rate"] is None
    assert got["dora_tier"] is None
    c = delivery_detail.coverage(con, scope(*PERIOD))
    reason = delivery_detail.no_data_reason("delivery.deployment_frequency_per_week", c)
    assert reason == "no production run in the period has a status"
    (gap,) = [g.message for g in delivery_detail.missing_data(c) if g.section == "dora"]
    assert gap.startswith("7 production deployment runs in this period, but none has a status")
    # one team with statuses beside one without: each scope decides for itself
    con.execute("insert into deployments (deploy_id, team, environment, status, deployed_at) "
                "values ('b1', 'b', 'production', 'success', '2025-03-05 12:00')")  # fmt: skip
    assert delivery_keys(con, ("b",))["deployment_frequency_per_week"] == pytest.approx(0.5)
    assert delivery_keys(con, ("a",))["deployment_frequency_per_week"] is None
    # the organisation: b1 counts, a's seven are unknown → 1 ÷ 2 weeks, with 7 runs named beside it
    org = delivery_keys(con)
    assert (org["deployment_frequency_per_week"], org["runs_without_status"]) == (pytest.approx(0.5), 7)


def test_a_trend_bucket_with_no_status_is_no_data(tmp_path):
    rows = [{**r, "status": None} if r["deployed_at"] >= "2025-03-10" else r for r in MIXED]
    con = make_db(tmp_path, deployments=rows)
    trend = delivery.dora_by_period(con, scope(*PERIOD, grain="week")).set_index("bucket_start")
    first, second = trend["deployment_frequency_per_week"]
    # week of 3 March: s1 s2 successful (f1 failed, n1 no status) → 2 a week
    assert first == pytest.approx(2.0)
    # week of 10 March: s3, r1 and n2 have no status → unknown, not 0
    assert math.isnan(second)


def _csv(tmp_path, text: str) -> Path:
    path = tmp_path / "deployments.csv"
    path.write_text(text)
    return path


def test_the_importer_warns_about_a_file_without_a_status_column(tmp_path):
    con = make_db(tmp_path)
    path = _csv(
        tmp_path,
        "deploy_id,service,team,environment,deployed_at,commit_at\n"
        "d1,api,payments,production,2025-03-03T10:00:00Z,2025-03-03T08:00:00Z\n"
        "d2,api,payments,production,2025-03-04T10:00:00Z,\n"
        "d3,web,growth,production,2025-03-05T10:00:00Z,2025-03-05T09:00:00Z\n",
    )
    result = import_file(con, path)
    assert result.ok, result.errors
    (warning,) = [w for w in result.warnings if w.code == "deployment_without_status"]
    assert warning.count == 3 and warning.rows == (2, 3, 4)
    assert warning.message.startswith("The file has no status column: kept, but neither a deployment")
    got = delivery_keys(con)
    assert (got["runs_without_status"], got["deployments"], got["deployment_frequency_per_week"]) == (
        3,
        0,
        None,
    )


def test_the_importer_lists_the_rows_with_a_blank_status(tmp_path):
    con = make_db(tmp_path)
    path = _csv(
        tmp_path,
        "deploy_id,environment,deployed_at,status\n"
        "d1,production,2025-03-03T10:00:00Z,success\n"
        "d2,production,2025-03-04T10:00:00Z,\n"
        "d3,production,2025-03-05T10:00:00Z,failure\n"
        "d4,production,2025-03-06T10:00:00Z,  \n",
    )
    result = import_file(con, path)
    assert result.ok, result.errors
    (warning,) = [w for w in result.warnings if w.code == "deployment_without_status"]
    assert (warning.count, warning.rows) == (2, (3, 5))
    assert warning.describe().startswith("Deployments without a status: kept")
    got = delivery_keys(con)
    # d1 is the only deployment: 1 ÷ 2 weeks; d3 a failed run; d2 and d4 unknown
    assert got["deployment_frequency_per_week"] == pytest.approx(0.5)
    assert (got["failed_deployment_runs"], got["runs_without_status"]) == (1, 2)


def test_the_cli_warns_and_prints_the_count(tmp_path):
    path = _csv(
        tmp_path,
        "deploy_id,environment,deployed_at\nd1,production,2025-03-03T10:00:00Z\nd2,prod-eu,2025-03-04T10:00:00Z\n",
    )
    db_file = tmp_path / "cli.duckdb"

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "lib", *args, "--db", str(db_file)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    imported = run("import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "  warning: The file has no status column" in imported.stdout + imported.stderr
    printed = run("metrics", "--start", PERIOD[0], "--end", PERIOD[1])
    assert printed.returncode == 0, printed.stderr
    assert '"runs_without_status": 2' in printed.stdout
    assert '"deployment_frequency_per_week": null' in printed.stdout
