"""The delivery tool exports: Jira, Linear, GitHub PRs, PagerDuty, Opsgenie.

Fixtures are in `tests/fixtures/exports/`, each in its tool's real header layout; the
README there says where each layout comes from. Expected values are computed by hand
from the fixture rows (the comments show the arithmetic).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lib.ingest.detect import detect
from lib.ingest.formats import ImportOptions, all_formats
from lib.ingest.formats._flow_types import flow_type, type_rules, user_rule_keys
from lib.ingest.formats._tool_exports import parse_instant, severity, zone
from lib.ingest.formats.github_prs import GitHubPullRequests
from lib.ingest.formats.jira import JiraCsv
from lib.ingest.formats.linear import LinearCsv, parse_durations
from lib.ingest.formats.opsgenie import OpsgenieAlerts
from lib.ingest.formats.pagerduty import PagerDutyIncidents, team_from_policy
from lib.ingest.read import read_source
from lib.privacy import PSEUDONYM

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
TOOL_FORMATS = ("jira", "linear", "github_prs", "pagerduty", "opsgenie")
EXPECTED_FORMAT = {
    "jira_cloud.csv": "jira",
    "jira_server.csv": "jira",
    "linear.csv": "linear",
    "linear_time_in_status.csv": "linear",
    "github_prs.json": "github_prs",
    "github_prs.csv": "github_prs",
    "github_rest_pulls.json": "github_prs",
    "pagerduty_incidents.csv": "pagerduty",
    "pagerduty_analytics.csv": "pagerduty",
    "opsgenie_alerts.csv": "opsgenie",
    "deployments.csv": "canonical:deployments",
    "jira_server_current_fields.csv": "jira",
    "jira_cloud_out_of_date.csv": "jira",
    "pagerduty_api_incidents.json": "pagerduty",
    "pagerduty_api_incidents_flat.csv": "pagerduty",
    "pagerduty_cli_incidents.csv": "pagerduty",
    "opsgenie_api_alerts.json": "opsgenie",
    "opsgenie_api_alerts_flat.csv": "opsgenie",
    "ci_deployments_git.csv": "canonical:deployments",
}


def staged(fmt, name: str, tz: str = "UTC", rules: dict | None = None, con=None) -> dict[str, pd.DataFrame]:
    """What a format hands the loader for a fixture: table → DataFrame of its staged rows."""
    con = con or duckdb.connect()
    source = read_source(EXPORTS / name)
    options = ImportOptions(default_tz=tz, type_rules=rules or {})
    return {s.table: s.relation.df() for s in fmt.read(con, source, options)}


def by_id(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    return {row[key]: row for row in frame.astype(object).where(frame.notna(), None).to_dict("records")}


# ---------------------------------------------------------------------------- detection


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMAT))
def test_detection_picks_the_tool_format(name):
    source = read_source(EXPORTS / name)
    assert detect(source, ImportOptions()).name == EXPECTED_FORMAT[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMAT))
def test_other_tool_formats_do_not_claim_the_file(name):
    source = read_source(EXPORTS / name)
    others = {f.name: f.score(source) for f in all_formats() if f.name in TOOL_FORMATS}
    others.pop(EXPECTED_FORMAT[name], None)
    assert others and all(score == 0 for score in others.values()), others


def test_missing_columns_are_named_for_the_detector():
    source = read_source(EXPORTS / "linear.csv")
    assert JiraCsv().missing(source) == ("Issue key", "Summary", "Issue Type")


# ---------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("text", "tz", "utc"),
    [
        ("14/Jul/25 3:42 PM", "UTC", "2025-07-14 15:42"),
        ("14/Jul/25 3:42 PM", "Europe/Berlin", "2025-07-14 13:42"),  # CEST, +2
        ("21/Nov/25 11:31 AM", "Europe/Berlin", "2025-11-21 10:31"),  # CET, +1
        ("21/Nov/25 12:05 AM", "UTC", "2025-11-21 00:05"),  # 12 AM is midnight
        ("21/Nov/25 12:05 PM", "UTC", "2025-11-21 12:05"),
        ("03/Jul/25", "America/New_York", "2025-07-03 04:00"),  # a date: local midnight
        ("14/Jul/2025 15:42", "UTC", "2025-07-14 15:42"),
        ("2025-08-01T03:15:00-07:00", "Europe/Berlin", "2025-08-01 10:15"),  # offset wins
        ("2025-07-21 14:00:00", "America/New_York", "2025-07-21 18:00"),  # no offset: site zone
        ("2025-07-02T08:00:00.000Z", "Asia/Tokyo", "2025-07-02 08:00"),
        ("Tue Jul 08 2025 12:00:00 GMT+0200 (Central European Summer Time)", "UTC", "2025-07-08 10:00"),
        ("1754784000000", "UTC", "2025-08-10 00:00"),  # epoch milliseconds
    ],
)
def test_timestamps_become_utc(text, tz, utc):
    stamp = parse_instant(text, zone(tz), epoch=True)
    assert stamp.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") == utc


def test_unreadable_dates_reach_the_loader_unchanged():
    frame = staged(JiraCsv(), "jira_cloud.csv")["work_items"]
    assert parse_instant("31/Foo/25 9:00 AM", zone("UTC")) is None
    assert frame["created_at"].str.endswith("Z").all()


# ---------------------------------------------------------------------------- Jira


def test_jira_cloud_mapping():
    items = by_id(staged(JiraCsv(), "jira_cloud.csv")["work_items"], "item_id")
    assert len(items) == 11  # multi-line descriptions stay inside their row
    chk1 = items["CHK-1"]
    assert chk1 == {
        "item_id": "CHK-1",
        "team": "Payments",  # Custom field (Team)
        "type": "feature",  # Story
        "title": "Card vaulting",
        "initiative": "Checkout v2",  # Parent summary
        "created_at": "2025-07-01T09:00:00Z",
        "started_at": "2025-07-03T00:00:00Z",  # Custom field (Start date), a date
        "completed_at": "2025-07-08T12:00:00Z",
        "canceled_at": None,
        "effort": "3",  # Custom field (Story Points)
        "_row": 2,
    }
    assert items["CHK-2"]["team"] == "Checkout"  # no Team field: Project name
    assert items["CHK-2"]["type"] == "defect"
    assert items["CHK-3"]["created_at"] == "2025-07-14T15:42:00Z"  # 14/Jul/25 3:42 PM
    assert items["CHK-9"]["completed_at"] == "2025-11-21T11:31:00Z"  # 21/Nov/25 11:31 AM
    # A quoted multi-line description pushes no row numbers: CHK-3 is the 4th spreadsheet row.
    assert items["CHK-3"]["_row"] == 4


def test_jira_labels_from_repeated_columns_decide_the_flow_type():
    items = by_id(staged(JiraCsv(), "jira_cloud.csv")["work_items"], "item_id")
    assert items["CHK-3"]["type"] == "debt"  # Task with labels tech-debt, backend (two Labels columns)
    assert items["CHK-4"]["type"] == "risk"  # Story labelled security: the label wins
    assert items["CHK-8"]["type"] == "feature"  # Epic
    server = by_id(staged(JiraCsv(), "jira_server.csv", tz="America/New_York")["work_items"], "item_id")
    assert server["PLAT-2"]["type"] == "debt"  # Issue Type "Technical Debt"
    assert server["PLAT-3"]["type"] == "risk"  # Vulnerability
    assert server["PLAT-4"]["type"] == "debt"  # Task labelled chore, in the first of three Labels columns


def test_jira_canceled_resolutions_are_never_completed_work():
    items = by_id(staged(JiraCsv(), "jira_cloud.csv")["work_items"], "item_id")
    assert items["CHK-5"]["completed_at"] is None  # Won't Do
    assert items["CHK-5"]["canceled_at"] == "2025-08-06T11:31:00Z"
    assert items["CHK-6"]["completed_at"] is None  # Duplicate
    assert items["CHK-6"]["canceled_at"] == "2025-08-04T09:00:00Z"
    # Done without a resolution: the Done status category's change date completes it.
    assert items["CHK-11"]["completed_at"] == "2025-09-15T14:00:00Z"
    assert items["CHK-7"]["completed_at"] is None and items["CHK-7"]["canceled_at"] is None


def test_jira_server_in_the_site_time_zone():
    items = by_id(staged(JiraCsv(), "jira_server.csv", tz="America/New_York")["work_items"], "item_id")
    assert items["PLAT-1"]["created_at"] == "2025-07-01T13:00:00Z"  # 9:00 AM EDT
    assert items["PLAT-1"]["completed_at"] == "2025-07-04T01:00:00Z"  # 03/Jul/25 9:00 PM EDT
    assert items["PLAT-2"]["canceled_at"] == "2025-07-05T14:00:00Z"  # resolution Cancelled
    assert items["PLAT-1"]["team"] == "Platform"  # Project name
    utc = by_id(staged(JiraCsv(), "jira_server.csv")["work_items"], "item_id")
    assert utc["PLAT-1"]["created_at"] == "2025-07-01T09:00:00Z"  # default zone: UTC


def test_type_rules_extend_and_override_the_defaults():
    rules = {"Task": "debt", "frontend": "risk", "Epic": "ignore"}
    items = by_id(staged(JiraCsv(), "jira_cloud.csv", rules=rules)["work_items"], "item_id")
    assert "CHK-8" not in items  # Epics left out
    assert items["CHK-1"]["type"] == "risk"  # user rule on a label beats the Story default
    assert len(items) == 10
    with pytest.raises(ValueError, match="feature, defect, risk, debt"):
        type_rules({"Spike": "research"})


@pytest.mark.parametrize(
    ("issue_type", "labels", "expected"),
    [
        ("Story", [], "feature"),
        ("New Feature", [], "feature"),
        ("Improvement", [], "feature"),
        ("Bug", [], "defect"),
        ("Defect", [], "defect"),
        ("Incident", [], "defect"),
        ("Security", [], "risk"),
        ("Compliance", [], "risk"),
        ("Tech debt", [], "debt"),
        ("Refactor", [], "debt"),
        ("Chore", [], "debt"),
        ("Maintenance", [], "debt"),
        ("Task", [], "feature"),  # the rest: feature unless a rule says otherwise
        ("Bug", ["security"], "risk"),  # a security bug is a risk
        ("Story", ["TECH_DEBT"], "debt"),  # spellings agree
        ("", ["Type/Bug"], "defect"),  # Linear label groups
    ],
)
def test_default_flow_type_rules(issue_type, labels, expected):
    assert flow_type(issue_type, labels, type_rules(None), user_rule_keys(None)) == expected


# ---------------------------------------------------------------------------- Linear


def test_linear_mapping_and_canceled_items():
    out = staged(LinearCsv(), "linear.csv")
    items = by_id(out["work_items"], "item_id")
    assert set(items) == {"ENG-1", "ENG-2", "ENG-3", "ENG-4", "ENG-5", "ENG-6"}
    assert items["ENG-1"]["type"] == "defect" and items["ENG-1"]["team"] == "Search"
    assert items["ENG-1"]["initiative"] == "Search quality"  # Project
    assert items["ENG-1"]["effort"] == "2"  # Estimate
    assert items["ENG-2"]["created_at"] == "2025-07-07T10:00:00Z"  # JavaScript date string
    assert items["ENG-2"]["started_at"] == "2025-07-08T10:00:00Z"  # GMT+0200
    assert items["ENG-3"]["completed_at"] is None and items["ENG-3"]["canceled_at"] == "2025-07-20T09:00:00Z"
    assert items["ENG-4"]["canceled_at"] == "2025-07-12T09:00:00Z"  # Duplicate
    assert items["ENG-6"]["type"] == "debt"  # label Type/Tech debt
    # `Time in status (minutes)` holding one number is the current status only: no history.
    assert "work_item_transitions" not in out


def test_linear_time_in_status_becomes_transitions():
    out = staged(LinearCsv(), "linear_time_in_status.csv")
    moves = out["work_item_transitions"]
    gro1 = moves[moves["item_id"] == "GRO-1"][["changed_at", "to_status", "active"]].values.tolist()
    # Started 07-01 00:00, completed 07-03 00:00: In Progress 1440 + In Review 720 min of work,
    # then Ready for Deploy 720 min waiting; Backlog and Todo are before Started.
    assert gro1 == [
        ["2025-07-01T00:00:00Z", "In Progress", "true"],
        ["2025-07-02T00:00:00Z", "In Review", "true"],
        ["2025-07-02T12:00:00Z", "Ready for Deploy", "false"],
        ["2025-07-03T00:00:00Z", "Done", "false"],
    ]
    gro2 = moves[moves["item_id"] == "GRO-2"]
    assert gro2["to_status"].tolist() == ["In Progress", "In Review", "Blocked", "Done"]
    assert "GRO-3" not in set(moves["item_id"])  # no durations: no history


def test_linear_per_status_columns(tmp_path):
    path = tmp_path / "linear_status_columns.csv"
    path.write_text(
        "ID,Team,Title,Status,Created,Started,Completed,Canceled,Labels,"
        "Time in In Progress (minutes),Time in Blocked (minutes),Time in Todo (minutes)\n"
        "ABC-1,Core,Cache,Done,2025-07-01T00:00:00Z,2025-07-01T00:00:00Z,2025-07-02T00:00:00Z,,,"
        "360,1080,30\n"
    )
    source = read_source(path)
    assert detect(source, ImportOptions()).name == "linear"
    out = {s.table: s.relation.df() for s in LinearCsv().read(duckdb.connect(), source, ImportOptions())}
    assert out["work_item_transitions"][["changed_at", "to_status"]].values.tolist() == [
        ["2025-07-01T00:00:00Z", "In Progress"],
        ["2025-07-01T06:00:00Z", "Blocked"],
        ["2025-07-02T00:00:00Z", "Done"],
    ]


def test_status_durations_cell_formats():
    assert parse_durations('{"In Progress": 120, "Done": 5}') == {"In Progress": 120.0, "Done": 5.0}
    assert parse_durations("In Progress: 120; In Review: 45") == {"In Progress": 120.0, "In Review": 45.0}
    assert parse_durations("4120") == {}


# ---------------------------------------------------------------------------- GitHub


def test_github_prs_from_gh_json():
    prs = by_id(staged(GitHubPullRequests(), "github_prs.json")["pull_requests"], "pr_id")
    assert set(prs) == {"acme/checkout-api#412", "acme/checkout-api#415", "acme/ledger#77", "acme/ledger#80"}
    pr = prs["acme/checkout-api#412"]
    assert pr["repo"] == "acme/checkout-api"
    assert pr["author_id"] == "ada-example"  # a login: the loader pseudonymises it
    assert pr["opened_at"] == "2025-07-01T09:00:00Z" and pr["merged_at"] == "2025-07-02T09:00:00Z"
    # The author's own comment at 09:30 is not a review; Grace's at 13:00 is the first.
    assert pr["first_review_at"] == "2025-07-01T13:00:00Z"
    assert (pr["additions"], pr["deletions"]) == ("120", "30")
    assert pr["ai_assisted"] == "true"  # label ai-assisted
    assert prs["acme/checkout-api#415"]["ai_assisted"] == "false"  # the file labels AI work
    # A fork's head repository is not the repository: the URL's base repository is.
    assert prs["acme/ledger#80"]["repo"] == "acme/ledger"
    assert prs["acme/ledger#77"]["merged_at"] is None and prs["acme/ledger#77"]["first_review_at"] is None


def test_github_prs_csv_gives_the_same_rows():
    from_json = staged(GitHubPullRequests(), "github_prs.json")["pull_requests"].drop(columns="_row")
    from_csv = staged(GitHubPullRequests(), "github_prs.csv")["pull_requests"].drop(columns="_row")
    assert by_id(from_csv, "pr_id") == {k: v for k, v in by_id(from_json, "pr_id").items() if "checkout" in k}


def test_github_ai_assisted_is_null_when_the_file_never_labels_ai(tmp_path):
    path = tmp_path / "prs.json"
    path.write_text(
        '[{"number": 1, "url": "https://github.com/a/b/pull/1", "author": {"login": "x"},'
        ' "createdAt": "2025-07-01T00:00:00Z", "mergedAt": null, "labels": [{"name": "bug"}]}]'
    )
    out = GitHubPullRequests().read(duckdb.connect(), read_source(path), ImportOptions())
    assert "ai_assisted" not in out[0].relation.columns


def import_with_result(con, path: Path, tz: str | None = None):
    from lib.ingest.load import import_file, options_for

    result = import_file(con, path, options_for(con, tz=tz))
    assert result.ok, result.summary()
    return result


def test_github_rest_pull_list_imports_as_pull_requests(tmp_path):
    from lib import db

    con = db.connect(tmp_path / "rest.duckdb")
    # Times written with Z stay UTC whatever the site zone.
    result = import_with_result(con, EXPORTS / "github_rest_pulls.json", tz="Europe/Berlin")
    assert (result.source_format, result.rows) == ("github_prs", 4)  # recognised, not mapped
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select pr_id, repo, author_id, opened_at, merged_at, first_review_at, additions, deletions,"
            " ai_assisted from pull_requests"
        ).fetchall()
    }
    assert set(rows) == {
        "acme/checkout-api#12",
        "acme/checkout-api#13",
        "acme/checkout-api#14",
        "acme/ledger#7",
    }
    repo, _, opened, merged, first_review, additions, deletions, ai = rows["acme/checkout-api#12"]
    assert repo == "acme/checkout-api"  # base.repo.full_name
    assert (opened, merged) == (dt.datetime(2025, 7, 1, 9, 0), dt.datetime(2025, 7, 2, 17, 30))
    assert (first_review, additions, deletions) == (None, None, None)  # the list has no reviews, no sizes
    assert ai is True  # label ai-assisted
    assert rows["acme/checkout-api#13"][2:4] == (dt.datetime(2025, 7, 3, 10, 0), None)  # closed, not merged
    assert rows["acme/checkout-api#14"][2:4] == (dt.datetime(2025, 7, 5, 14, 15), None)  # open draft
    assert [rows[k][7] for k in sorted(rows)] == [True, False, False, False]  # the file labels AI work
    assert rows["acme/ledger#7"][0] == "acme/ledger"

    authors = {k: v[1] for k, v in rows.items()}
    assert len(set(authors.values())) == 4  # three people and dependabot[bot], each their own author
    assert all(PSEUDONYM.fullmatch(a) for a in authors.values()), authors  # not a login, not JSON text
    # user.login is what is pseudonymised: gh's export of ada-example's PR gets the same author.
    import_with_result(con, EXPORTS / "github_prs.json")
    gh_author = con.execute(
        "select author_id from pull_requests where pr_id = 'acme/checkout-api#412'"
    ).fetchone()
    assert gh_author[0] == authors["acme/checkout-api#12"]

    (warning,) = [w for w in result.warnings if w.code == "github_no_reviews"]
    assert warning.count == 4 and warning.rows == (1, 2, 3, 4)
    assert "no reviews" in warning.message and "no additions or deletions" in warning.message
    assert "gh pr list --state all" in warning.message and ",reviews" in warning.message


def test_prs_without_reviews_or_deployments_say_no_stage_can_be_measured(tmp_path):
    # a new user's review: "PRs merged 29" beside a chart saying "No merged pull requests"
    from lib import db
    from lib.charts import registry
    from tests.unit.fixtures import scope

    con = db.connect(tmp_path / "rest.duckdb")
    import_with_result(con, EXPORTS / "github_rest_pulls.json")
    merged = con.execute("select count(*) from pull_requests where merged_at is not null").fetchone()[0]
    fig = registry.figure(con, "delivery.pr_cycle_breakdown", scope("2025-07-01", "2025-07-31"))
    assert registry.missing(fig) == (
        f"{merged} merged pull request{'s' * (merged != 1)}, but no stage can be measured: none has a first "
        "review time or a production deployment of its repository's service."
    )


def test_github_rest_pulls_wrapped_in_an_object_without_base_repo(tmp_path):
    import json

    pulls = json.loads((EXPORTS / "github_rest_pulls.json").read_text())[:2]
    pulls[1]["base"].pop("repo")  # then the owner/name in html_url
    pulls[1]["additions"], pulls[1]["deletions"] = 40, 6  # `GET …/pulls/{number}` objects have sizes
    path = tmp_path / "pulls.json"
    path.write_text(json.dumps({"repository": "acme/checkout-api", "pull_requests": pulls}))
    source = read_source(path)
    assert detect(source, ImportOptions()).name == "github_prs"
    (out,) = GitHubPullRequests().read(duckdb.connect(), source, ImportOptions())
    prs = by_id(out.relation.df(), "pr_id")
    assert set(prs) == {"acme/checkout-api#12", "acme/checkout-api#13"}
    assert prs["acme/checkout-api#13"]["repo"] == "acme/checkout-api"
    assert (prs["acme/checkout-api#13"]["additions"], prs["acme/checkout-api#13"]["deletions"]) == ("40", "6")
    # The login, never the user object's text; the loader pseudonymises it.
    assert prs["acme/checkout-api#12"]["author_id"] == "ada-example"
    (warning,) = out.warnings
    assert warning.code == "github_no_reviews" and "no additions or deletions" not in warning.message
    # `gh api --paginate … --jq '.[]'` writes one object per line.
    lines = tmp_path / "pulls.ndjson"
    lines.write_text("".join(json.dumps(p) + "\n" for p in pulls))
    (again,) = GitHubPullRequests().read(duckdb.connect(), read_source(lines), ImportOptions())
    assert by_id(again.relation.df(), "pr_id") == prs


def test_a_rest_list_of_issues_is_not_pull_requests(tmp_path):
    import json

    issues = [
        {
            "number": 5,
            "html_url": "https://github.com/acme/ledger/issues/5",
            "user": {"login": "ada-example"},
            "created_at": "2025-07-01T09:00:00Z",
            "closed_at": None,
            "labels": [],
            "state": "open",
            "title": "Bug",
        }
    ]
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(issues))
    assert GitHubPullRequests().score(read_source(path)) == 0


# ---------------------------------------------------------------------------- incidents


def test_pagerduty_incident_list():
    rows = by_id(staged(PagerDutyIncidents(), "pagerduty_incidents.csv")["incidents"], "incident_id")
    assert set(rows) == {"PD-101", "PD-102", "PD-103", "PD-104"}
    assert rows["PD-101"]["severity"] == "SEV1"  # priority P1
    assert rows["PD-102"]["severity"] == "low"  # no priority: urgency
    assert rows["PD-102"]["started_at"] == "2025-08-01T10:15:00Z"  # 03:15 -07:00
    assert rows["PD-102"]["resolved_at"] == "2025-08-01T11:15:00Z"
    assert rows["PD-103"]["resolved_at"] is None  # acknowledged, not resolved
    assert rows["PD-101"]["service"] == "checkout-api"
    assert rows["PD-101"]["team"] == "Payments"  # escalation policy "Payments on-call"


def test_pagerduty_team_from_deployments_of_the_service():
    con = duckdb.connect()
    con.execute("create table deployments as select 'ledger' as service, 'Ledger Core' as team")
    rows = by_id(staged(PagerDutyIncidents(), "pagerduty_incidents.csv", con=con)["incidents"], "incident_id")
    assert rows["PD-102"]["team"] == "Ledger Core"
    assert team_from_policy("Payments - Primary") == "Payments"


def test_pagerduty_analytics_export():
    rows = by_id(
        staged(PagerDutyIncidents(), "pagerduty_analytics.csv", tz="America/New_York")["incidents"],
        "incident_id",
    )
    assert rows["PD-201"]["started_at"] == "2025-07-21T18:00:00Z"  # no offset: the site zone
    assert rows["PD-201"]["team"] == "Search" and rows["PD-201"]["severity"] == "SEV2"
    # No resolved_at: created + seconds_to_resolve (1800 s).
    assert rows["PD-202"]["resolved_at"] == "2025-07-22T13:30:00Z"


def test_opsgenie_alerts():
    rows = by_id(staged(OpsgenieAlerts(), "opsgenie_alerts.csv")["incidents"], "incident_id")
    assert rows["OG-7"] == {
        "incident_id": "OG-7",
        "service": "ledger",  # tag service:ledger
        "team": "Platform",
        "severity": "SEV1",
        "started_at": "2025-08-10T00:00:00Z",  # epoch ms
        "resolved_at": "2025-08-10T04:00:00Z",
        "_row": 2,
    }
    assert rows["OG-8"]["resolved_at"] == "2025-09-01T20:00:00Z"  # ISO
    assert rows["OG-9"]["resolved_at"] is None and rows["OG-9"]["severity"] == "SEV5"  # still open


@pytest.mark.parametrize(
    ("priority", "urgency", "expected"),
    [
        ("P1", "", "SEV1"),
        ("SEV-2", "", "SEV2"),
        ("Sev 3", "", "SEV3"),
        ("critical", "", "SEV1"),
        ("", "High", "high"),
    ],
)
def test_severity_spellings(priority, urgency, expected):
    assert severity(priority, urgency) == expected


def test_no_personal_names_are_staged():
    names = ("Ada Example", "Grace Sample", "Linus Sample", "ada@example.com", "grace@example.com")
    for fmt, fixture in (
        (JiraCsv(), "jira_cloud.csv"),
        (JiraCsv(), "jira_server.csv"),
        (LinearCsv(), "linear.csv"),
        (PagerDutyIncidents(), "pagerduty_incidents.csv"),
        (OpsgenieAlerts(), "opsgenie_alerts.csv"),
        (GitHubPullRequests(), "github_prs.json"),
    ):
        for frame in staged(fmt, fixture).values():
            text = frame.astype(str).to_csv()
            assert not any(n in text for n in names), fixture


# ---------------------------------------------------------------------------- end to end
# Period [2025-07-01, 2025-09-30): 91 days, 13 weeks.

START, END = "2025-07-01", "2025-09-30"


def imported(tmp_path, *names: str, tz: str | None = None):
    from lib import db
    from lib.ingest.load import import_file, options_for

    con = db.connect(tmp_path / "imports.duckdb")
    for name in names:
        result = import_file(con, EXPORTS / name, options_for(con, tz=tz))
        assert result.ok, result.summary()
    return con


def metrics(con, start=START, end=END, teams=None) -> dict:
    from lib.metrics import catalog
    from tests.unit.fixtures import scope

    return catalog(con, scope(start, end, teams=teams))


def test_jira_cloud_flow_metrics(tmp_path):
    flow = metrics(imported(tmp_path, "jira_cloud.csv"))["flow"]
    # Completed in period: CHK-1 5.5 d (03 Jul 00:00 → 08 Jul 12:00), CHK-2 2.0, CHK-3 6.5
    # (15 Jul → 21 Jul 12:00), CHK-4 4.0, CHK-10 12.0 (created 20 Jun, no start), CHK-11 5.0
    # (Status Category Changed). CHK-5 Won't Do and CHK-6 Duplicate are canceled; CHK-9
    # resolves in November.
    assert flow["velocity"] == 6
    assert flow["velocity_per_week"] == pytest.approx(6 / 13)
    assert flow["time_days_p50"] == pytest.approx((5.0 + 5.5) / 2)
    assert flow["load"] == 3  # CHK-7 in progress, CHK-8 to do, CHK-9 open until November
    assert flow["distribution"] == pytest.approx(
        {"feature": 3 / 6, "defect": 1 / 6, "risk": 1 / 6, "debt": 1 / 6}
    )
    assert flow["efficiency"] is None  # Jira exports carry no status history


def test_jira_server_metrics_in_the_site_zone(tmp_path):
    flow = metrics(imported(tmp_path, "jira_server.csv", tz="America/New_York"))["flow"]
    # PLAT-1: 01 Jul 13:00Z → 04 Jul 01:00Z = 2.5 d; PLAT-4: 01 Aug 13:00Z → 04 Aug 21:30Z = 3.354 d.
    assert flow["velocity"] == 2
    assert flow["time_days_p50"] == pytest.approx((2.5 + 3 + 8.5 / 24) / 2)
    assert flow["load"] == 1  # PLAT-3 open; PLAT-2 canceled
    assert flow["distribution"] == pytest.approx({"feature": 0, "defect": 0.5, "risk": 0, "debt": 0.5})


def test_linear_flow_metrics_and_efficiency(tmp_path):
    con = imported(tmp_path, "linear.csv")
    flow = metrics(con)["flow"]
    # ENG-1 2 d, ENG-2 4 d (08 Jul 10:00Z → 12 Jul 10:00Z), ENG-6 6 d; ENG-3, ENG-4 canceled.
    assert (flow["velocity"], flow["time_days_p50"], flow["load"]) == (3, pytest.approx(4.0), 1)
    assert flow["efficiency"] is None
    con = imported(tmp_path / "with_history", "linear_time_in_status.csv")
    flow = metrics(con, "2025-07-01", "2025-08-01")["flow"]
    # GRO-1: 2160 of 2880 working minutes, GRO-2: 1440 of 2880; GRO-3 has no history.
    assert flow["efficiency"] == pytest.approx((2160 + 1440) / (2880 + 2880))
    assert flow["velocity"] == 3 and flow["time_days_p50"] == pytest.approx(2.0)


DELIVERY_FILES = ("deployments.csv", "pagerduty_incidents.csv", "opsgenie_alerts.csv")


def test_delivery_metrics_from_ci_pagerduty_and_opsgenie(tmp_path):
    delivery = metrics(imported(tmp_path, *DELIVERY_FILES))["delivery"]
    # Production runs in period: d-1…d-6, d-8, d-9 (d-7 is staging, d-10 is June). d-3 (FAILURE)
    # and d-9 (failed) never reached production: failed runs, not deployments (SPEC §5).
    assert delivery["deployments"] == 6
    assert delivery["failed_deployment_runs"] == 2
    assert delivery["deployment_frequency_per_week"] == pytest.approx(5 / 13)  # d-1, d-2, d-4, d-6, d-8
    assert delivery["lead_time_hours_p50"] == pytest.approx(12.0)  # of 24, 4, 2, 12, 48 h
    assert delivery["change_failure_rate"] == pytest.approx(1 / 6)  # d-5 rolled back; no incident names one
    # Resolved incidents started in period: PD-101 2 h, PD-102 1 h, OG-7 4 h, OG-8 8 h.
    assert delivery["recovery_time_hours_p50"] == pytest.approx((2 + 4) / 2)
    assert delivery["rework_rate"] == pytest.approx(1 / 6)  # d-4
    # PagerDuty and Opsgenie name no deployment: all six incidents started in the period.
    assert delivery["incidents_without_deploy"] == 6
    # Frequency medium (0.38/wk), lead time elite (12 h), failure rate low (17%), recovery high (3 h):
    # all but the worst → medium.
    assert delivery["dora_tier"] == "medium"


def test_delivery_metrics_for_one_team(tmp_path):
    delivery = metrics(imported(tmp_path, *DELIVERY_FILES), teams=("Payments",))["delivery"]
    assert delivery["deployments"] == 4  # d-1, d-2, d-4, d-8 (d-3 and d-9 are failed runs)
    assert delivery["failed_deployment_runs"] == 2
    assert delivery["deployment_frequency_per_week"] == pytest.approx(4 / 13)
    assert delivery["lead_time_hours_p50"] == pytest.approx((4 + 24) / 2)  # of 24, 4, 2, 48 h
    assert delivery["change_failure_rate"] == 0.0  # no rollback, no incident names one
    assert delivery["recovery_time_hours_p50"] == pytest.approx(2.0)  # PD-101 (team from its policy)


def test_reimport_does_not_duplicate_and_pull_request_authors_are_pseudonymised(tmp_path):
    con = imported(tmp_path, "jira_cloud.csv", "jira_cloud.csv", "github_prs.json", "github_prs.csv")
    assert con.execute("select count(*) from work_items").fetchone()[0] == 11
    assert con.execute("select count(*) from pull_requests").fetchone()[0] == 4
    authors = {r[0] for r in con.execute("select author_id from pull_requests").fetchall()}
    assert len(authors) == 4 and not authors & {
        "ada-example",
        "grace-sample",
        "linus-sample",
        "app/dependabot",
    }


def test_saved_type_rules_apply_on_import(tmp_path):
    from lib import db
    from lib.ingest.load import import_file, options_for

    con = db.connect(tmp_path / "rules.duckdb")
    db.set_setting(con, "type_rules", '{"Task": "debt", "Epic": "ignore"}')
    assert import_file(con, EXPORTS / "jira_cloud.csv", options_for(con)).ok
    types = dict(con.execute("select item_id, type from work_items").fetchall())
    assert "CHK-8" not in types and types["CHK-3"] == "debt"


def test_cli_imports_the_exports_and_prints_the_metrics(tmp_path):
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    database = tmp_path / "cli.duckdb"
    files = [str(EXPORTS / n) for n in (*DELIVERY_FILES, "jira_cloud.csv", "linear.csv", "github_prs.json")]
    done = subprocess.run(
        [sys.executable, "-m", "lib", "import", "--db", str(database), *files],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    # One line per file, each followed by its warnings (SPEC §7), e.g. Jira's zone-less times.
    assert [line for line in lines if not line.startswith("  warning: ")] == [
        line for line in lines if line.startswith("loaded")
    ]
    assert sum(line.startswith("loaded") for line in lines) == len(files)
    assert any("Jira writes the site's local time" in line for line in lines)
    out = subprocess.run(
        [sys.executable, "-m", "lib", "metrics", "--db", str(database), "--start", START, "--end", END],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    catalog = json.loads(out.stdout)
    assert catalog["delivery"]["deployments"] == 6
    assert catalog["delivery"]["failed_deployment_runs"] == 2
    assert catalog["delivery"]["change_failure_rate"] == pytest.approx(1 / 6)
    # Beside the rate, in the CLI's output: the incidents it cannot count.
    assert catalog["delivery"]["incidents_without_deploy"] == 6
    # Jira's six and Linear's three completed items.
    assert catalog["flow"]["velocity"] == 9
