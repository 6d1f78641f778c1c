"""AI-assistant usage in every published Copilot shape, Cursor's daily usage, a generic daily CSV
and user→team lists, from fixtures built in those shapes (tests/fixtures/exports/ai/README.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib.ingest.detect import detect
from lib.ingest.formats import ImportOptions
from lib.ingest.load import import_file
from lib.ingest.read import read_source
from lib.views import skills
from tests.unit.fixtures import insert, make_db, scope
from tests.unit.people_fixture import SALT, add_employees, pid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "ai"
ORG = "(all teams)"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv("PILLARS_SALT", SALT)
    con = make_db(tmp_path)
    insert(con, "teams", [dict(team="payments"), dict(team="platform")])
    add_employees(con)
    return con


def usage(con) -> dict:
    got = con.execute(
        "select date, team, tool, active_users, engaged_users, suggestions, acceptances, seats from ai_usage"
    ).fetchall()
    return {(r[0].isoformat(), r[1], r[2]): tuple(r[3:]) for r in got}


def loaded(con, name: str):
    result = import_file(con, FIXTURES / name)
    assert result.ok, result.error
    return result


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("copilot_usage_org.json", "copilot:usage"),
        ("copilot_metrics_org.json", "copilot:metrics"),
        ("copilot_org_28_day_report.json", "copilot:org-report"),
        ("copilot_org_1_day_report.json", "copilot:org-report"),
        ("copilot_users_report.ndjson", "copilot:users-report"),
        ("copilot_users_28_day_report.json", "copilot:users-report"),
        ("copilot_seats.json", "copilot:seats"),
        ("cursor_daily_usage.json", "cursor:daily-usage"),
        ("cursor_daily_usage.csv", "cursor:daily-usage"),
        ("ai_daily_usage_generic.csv", "ai:daily-usage"),
        ("user_teams.csv", "ai:user-teams"),
    ],
)
def test_each_shape_is_recognised(name, fmt):
    assert detect(read_source(FIXTURES / name), ImportOptions()).name == fmt


def test_usage_api_days_are_organisation_rows(con):
    result = loaded(con, "copilot_usage_org.json")
    assert usage(con) == {
        ("2025-01-13", ORG, "copilot"): (14, None, 1200, 300, None),
        ("2025-01-14", ORG, "copilot"): (16, None, 1500, 420, None),
        ("2025-01-15", ORG, "copilot"): (11, None, 900, 210, None),
    }
    assert any("no team breakdown" in w.describe() for w in result.warnings)


def test_metrics_api_sums_code_completions_over_editors_models_and_languages(con):
    loaded(con, "copilot_metrics_org.json")
    assert usage(con) == {
        ("2025-02-03", ORG, "copilot"): (20, 15, 400 + 250 + 150, 120 + 60 + 30, None),
        ("2025-02-04", ORG, "copilot"): (18, 12, 500, 160, None),
    }


def test_organisation_reports_28_day_and_flat_1_day(con):
    loaded(con, "copilot_org_28_day_report.json")
    loaded(con, "copilot_org_1_day_report.json")
    assert usage(con) == {
        ("2025-10-13", ORG, "copilot"): (9, None, 220, 90, None),
        ("2025-10-14", ORG, "copilot"): (11, None, 260, 120, None),
        ("2025-10-15", ORG, "copilot"): (8, None, 180, 70, None),
        ("2025-10-16", ORG, "copilot"): (10, None, 240, 100, None),
    }


def test_users_report_aggregates_to_team_and_day_through_the_seat_list_and_stores_no_login(con):
    seats = loaded(con, "copilot_seats.json")
    assert "1 seats were assigned to a person, not through a team" in seats.warnings[1].describe()
    result = loaded(con, "copilot_users_report.ndjson")
    assert usage(con) == {
        # ana (payments seat); ben + chen (platform seats; ben chatted); zed holds no seat and is no employee
        ("2025-10-13", "payments", "copilot"): (1, 0, 30, 12, 1),
        ("2025-10-13", "platform", "copilot"): (2, 1, 20 + 10, 8 + 2, 2),
        ("2025-10-13", "(no team)", "copilot"): (1, 1, 6, 1, 1),  # octo-dee's seat has no team either
        ("2025-10-14", "payments", "copilot"): (1, 1, 25, 10, 1),
        ("2025-10-14", "platform", "copilot"): (1, 0, 14, 7, 2),
    }
    codes = {w.code: w for w in result.warnings}
    assert (
        codes["ai_users_aggregated"].describe()
        == "4 users aggregated to 5 team-days; no login or e-mail is stored"
    )
    assert codes["ai_user_no_team"].message.startswith("1 of 4 users are on no user→team list")
    assert codes["ai_user_no_team"].rows == (4,)  # octo-zed's record
    stored = con.execute("select user_id from user_teams order by all").fetchall()
    assert [r[0] for r in stored] == sorted(pid(u) for u in ("octo-ana", "octo-ben", "octo-chen", "octo-dee"))
    for table in ("ai_usage", "user_teams", "imports"):
        text = str(con.execute("select * from " + table).fetchall())
        assert "octo-" not in text, table


def test_the_wrapped_users_report_reads_the_same_as_ndjson(con, tmp_path):
    loaded(con, "user_teams.csv")
    loaded(con, "copilot_users_28_day_report.json")
    got = usage(con)
    # ana → payments and zed → platform from the list; ben and chen are on no list
    assert got[("2025-10-13", "payments", "copilot")] == (1, 0, 30, 12, None)
    assert got[("2025-10-13", "platform", "copilot")] == (1, 1, 6, 1, None)
    assert got[("2025-10-13", "(no team)", "copilot")] == (2, 1, 30, 10, None)


def test_per_team_days_take_precedence_over_the_organisation_report_of_the_same_days(con):
    loaded(con, "copilot_org_28_day_report.json")
    loaded(con, "copilot_seats.json")
    loaded(con, "copilot_users_report.ndjson")
    got = skills.skills_summary(con, scope("2025-10-01", "2025-10-16"))
    # 10-13: team rows 1 + 2 + 1 = 4 (not the report's 9); 10-14: 1 + 1 = 2; 10-15: the report's 8
    assert got["ai_active_users_daily_mean"] == pytest.approx((4 + 2 + 8) / 3)
    assert got["ai_acceptance_rate"] == pytest.approx(
        (12 + 10 + 1 + 10 + 7 + 70) / (30 + 30 + 6 + 25 + 14 + 180)
    )


def test_cursor_daily_usage_json_counts_members_active_engaged_and_tabs_plus_edits(con):
    result = loaded(con, "cursor_daily_usage.json")
    assert usage(con) == {
        ("2025-10-13", "payments", "cursor"): (1, 1, 100 + 4, 30 + 3, 2),  # ana active; dora listed, inactive
        ("2025-10-13", "platform", "cursor"): (1, 0, 50, 10, 1),
        ("2025-10-13", "(no team)", "cursor"): (1, 1, 20, 5, 1),
        ("2025-10-14", "payments", "cursor"): (1, 0, 80, 20, 1),
    }
    lost = next(w for w in result.warnings if w.code == "ai_user_no_team")
    assert lost.message.startswith("1 of 4 users") and lost.rows == (4,)  # the stranger
    assert "example.com" not in str(con.execute("select * from ai_usage").fetchall())


def test_cursor_csv_with_title_case_headers(con):
    loaded(con, "cursor_daily_usage.csv")
    assert usage(con) == {
        ("2025-10-13", "payments", "cursor"): (1, 1, 104, 33, 1),
        ("2025-10-13", "platform", "cursor"): (1, 0, 50, 10, 1),
    }


def test_generic_daily_usage_per_team_and_tool(con):
    loaded(con, "ai_daily_usage_generic.csv")
    assert usage(con) == {
        ("2025-10-13", "payments", "claude code"): (4, 3, None, None, 6),
        ("2025-10-13", "platform", "claude code"): (5, 5, None, None, 6),
        ("2025-10-14", "payments", "windsurf"): (2, 1, 1200, 300, 3),
    }


def test_canonical_ai_usage_template_stays_canonical(tmp_path):
    file = tmp_path / "export.csv"
    file.write_text(
        "date,team,tool,active_users,engaged_users,suggestions,acceptances,seats\n2025-10-13,payments,copilot,5,4,100,30,6\n"
    )
    assert detect(read_source(file), ImportOptions()).name == "canonical:ai_usage"


def test_dates_from_epoch_milliseconds_and_offsets_are_utc_days():
    from lib.ingest.dates import DateHints
    from lib.ingest.formats._people_files import read_days

    cells = [(1, "date", "1760313600000"), (2, "date", "1760399999000")]
    assert read_days(cells, ImportOptions(), DateHints(epoch=True))[0] == [dt.date(2025, 10, 13)] * 2
    days, _ = read_days(
        [(1, "day", "2025-10-13T23:30:00-05:00"), (2, "day", "2025-10-13 23:30")], ImportOptions()
    )
    assert days == [dt.date(2025, 10, 14), dt.date(2025, 10, 13)]  # an offset → UTC first; none: as written
