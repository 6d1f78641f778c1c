"""Skills keys: bus-factor risks, learning hours, AI adoption."""

from __future__ import annotations

import pytest

from lib.charts import registry
from lib.views import skills
from lib.views.skills_learning import learning_by_period
from tests.unit.fixtures import make_db, scope

# Period [2025-01-01, 2025-04-01): 90 days.
PERIOD = ("2025-01-01", "2025-04-01")
EMPLOYEES = [
    dict(employee_id="e1", team="a", hire_date="2020-01-01"),
    dict(employee_id="e2", team="a", hire_date="2020-01-01"),
    dict(employee_id="e3", team="b", hire_date="2020-01-01"),
    dict(employee_id="e4", team="a", hire_date="2020-01-01", termination_date="2025-02-01"),
    dict(employee_id="e5", team="b", hire_date="2025-04-01"),  # hired on the end date: active at end
]
SKILLS = [
    dict(employee_id="e1", skill="python", proficiency=4),
    dict(employee_id="e2", skill="python", proficiency=3),  # two experts: no risk
    dict(employee_id="e1", skill="k8s", proficiency=3),
    dict(employee_id="e4", skill="k8s", proficiency=4),  # left: k8s has one active expert → risk
    dict(employee_id="e3", skill="rust", proficiency=4),  # one expert → risk
    dict(employee_id="e2", skill="go", proficiency=2),  # no expert: not a bus-factor risk
]
LEARNING = [
    dict(employee_id="e1", date="2025-01-10", title="course", hours=10),
    dict(employee_id="e2", date="2025-03-31", title="book", hours=6),
    dict(employee_id="e3", date="2025-04-01", title="at end", hours=4),  # out
    dict(employee_id="e4", date="2025-01-01", title="at start", hours=2),  # in
    dict(employee_id="e3", date="2024-12-31", title="before", hours=8),
]
AI = [
    dict(date="2025-03-03", team="a", tool="copilot", active_users=100),  # before the last 28 days
    dict(date="2025-03-04", team="a", tool="copilot", active_users=2),  # window starts 04-01 − 28
    dict(date="2025-03-04", team="b", tool="copilot", active_users=1),
    dict(date="2025-03-04", team="a", tool="chat", active_users=1),
    dict(date="2025-03-20", team="a", tool="copilot", active_users=3),
    dict(date="2025-04-01", team="a", tool="copilot", active_users=50),  # at end: out
]


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, employees=EMPLOYEES, skills=SKILLS, learning=LEARNING, ai_usage=AI)


def test_skills_keys_whole_org(con):
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["bus_factor_risks"] == 2  # k8s, rust
    # headcount start e1 e2 e3 e4 = 4, end e1 e2 e3 e5 = 4 → average 4
    # hours in period 10 + 6 + 2 = 18 → 18 ÷ 4 × 365 ÷ 90
    assert got["learning_hours_per_engineer_annualized"] == pytest.approx(18 / 4 * 365 / 90)
    # days with data in [03-04, 04-01): 03-04 → 2 + 1 + 1 = 4, 03-20 → 3; mean 3.5 ÷ headcount 4
    assert got["ai_adoption_rate"] == pytest.approx(3.5 / 4)


def test_team_filter(con):
    got = skills.skills_summary(con, scope(*PERIOD, teams=("a",)))
    assert got["bus_factor_risks"] == 1  # k8s (e1 only; e4 left); python has two
    # a: start e1 e2 e4 = 3, end e1 e2 = 2 → average 2.5; hours 18 → 18 ÷ 2.5 × 365 ÷ 90
    assert got["learning_hours_per_engineer_annualized"] == pytest.approx(18 / 2.5 * 365 / 90)
    # a's days: 03-04 → 2 + 1 = 3, 03-20 → 3; mean 3 users over headcount 2: the AI export
    # counts people the HR data does not have, so no share (never 150%)
    assert got["ai_active_users_daily_mean"] == pytest.approx(3.0)
    assert got["headcount_end"] == 2
    assert got["ai_adoption_rate"] is None
    assert got["ai_users_exceed_headcount"] is True


def test_period_shorter_than_28_days_uses_all_of_it(con):
    got = skills.skills_summary(con, scope("2025-03-15", "2025-03-25"))
    # only 03-20 (3 users) in the window; headcount at 03-25: e1 e2 e3 → 3 ÷ 3
    assert got["ai_adoption_rate"] == pytest.approx(1.0)


def test_missing_sources_are_null(tmp_path):
    got = skills.skills_summary(make_db(tmp_path, employees=EMPLOYEES), scope(*PERIOD))
    assert got["bus_factor_risks"] is None
    assert got["learning_hours_per_engineer_annualized"] is None
    assert got["ai_adoption_rate"] is None


def test_no_learning_in_period_is_zero_when_the_source_exists(con):
    got = skills.skills_summary(con, scope("2024-06-01", "2024-07-01"))
    assert got["learning_hours_per_engineer_annualized"] == 0.0
    assert got["ai_adoption_rate"] is None  # no AI usage then


def test_ai_adoption_by_month(con):
    frame = skills.ai_adoption_by_period(con, scope(*PERIOD))
    # AI usage begins in March: January and February are before its first row, no data (a gap)
    assert list(frame["no_data"]) == [True, True, False]
    assert frame["days_with_data"].isna().tolist() == [True, True, False]
    assert frame["days_with_data"].iloc[2] == 3
    # March: daily sums 100, 4, 3 → mean 107 ÷ 3; headcount at 04-01 = 4
    assert frame["active_users_daily_mean"].iloc[2] == pytest.approx(107 / 3)
    # 35.7 daily users over 4 people: the sources cover different people, no share (not 892%)
    assert frame["ai_adoption_rate"].isna().tolist() == [True, True, True]
    assert frame["ai_users_exceed_headcount"].iloc[2] == True  # noqa: E712 (a numpy bool)


def test_a_team_without_learning_rows_has_zero_hours_once_the_table_has_rows(tmp_path):
    con = make_db(
        tmp_path,
        employees=[*EMPLOYEES, dict(employee_id="c1", team="c", hire_date="2020-01-01")],
        learning=LEARNING,
    )
    got = skills.skills_summary(con, scope(*PERIOD, teams=("c",)))
    assert got["learning_hours_per_engineer_annualized"] == 0.0
    assert got["bus_factor_risks"] is None  # c1 has no skills row: unknown, not 0
    assert got["ai_adoption_rate"] is None


# ---- the four newer keys, people linked by e-mail, team targets, organisation-level AI rows

PRS = [
    dict(
        pr_id="1", repo="acme/api", team="a", opened_at="2025-01-02", merged_at="2025-01-05", ai_assisted=True
    ),
    dict(
        pr_id="2",
        repo="acme/api",
        team="a",
        opened_at="2025-01-02",
        merged_at="2025-02-05",
        ai_assisted=False,
    ),
    dict(
        pr_id="3", repo="acme/api", team="b", opened_at="2025-01-02", merged_at="2025-03-05", ai_assisted=True
    ),
    dict(
        pr_id="4", repo="acme/api", team="b", opened_at="2025-01-02", merged_at="2025-03-06"
    ),  # flag unknown
    dict(
        pr_id="5", repo="acme/api", team="a", opened_at="2025-01-02", merged_at="2025-04-01", ai_assisted=True
    ),  # out
    dict(pr_id="6", repo="acme/api", team="a", opened_at="2025-01-02", ai_assisted=True),  # not merged
]
USAGE = [
    dict(date="2025-01-10", team="a", tool="copilot", active_users=2, suggestions=100, acceptances=30),
    dict(date="2025-02-10", team="b", tool="copilot", active_users=1, suggestions=50, acceptances=10),
    dict(date="2025-03-10", team="a", tool="cursor", active_users=1),  # no suggestions reported
    dict(
        date="2025-04-01", team="a", tool="copilot", active_users=9, suggestions=900, acceptances=900
    ),  # out
]
LEARN_KINDS = [
    dict(employee_id="e1", date="2025-01-10", title="CKA", kind="certification", hours=30),
    dict(employee_id="e3", date="2025-02-10", title="Terraform Associate", kind="certification", hours=20),
    dict(employee_id="e2", date="2025-03-10", title="Go course", kind="course", hours=5),
    dict(employee_id="e2", date="2025-04-01", title="AWS SA", kind="certification", hours=40),  # at end: out
    dict(
        employee_id="x9", date="2025-02-01", title="GCP", kind="certification", hours=10
    ),  # matches no employee
]
GAPS = [
    dict(employee_id="e1", skill="python", proficiency=2, target=3),  # below
    dict(employee_id="e1", skill="go", proficiency=3, target=3),  # at target
    dict(employee_id="e2", skill="python", proficiency=4),  # no target of its own; team a needs 4 → at it
    dict(employee_id="e2", skill="go", proficiency=1),  # team a needs go at 2 → below
    dict(employee_id="e3", skill="rust", proficiency=1),  # team b has no target for rust
    dict(employee_id="e3", skill="go", target=2),  # target, no proficiency: not below
    dict(employee_id="e4", skill="go", proficiency=0, target=4),  # left before the end: not counted
]
TARGETS = [dict(team="a", skill="python", target=4), dict(team="a", skill="go", target=2)]


@pytest.fixture
def full(tmp_path):
    return make_db(
        tmp_path,
        employees=EMPLOYEES,
        skills=GAPS,
        skill_targets=TARGETS,
        learning=LEARN_KINDS,
        ai_usage=USAGE,
        pull_requests=PRS,
    )


def test_acceptance_rate_is_a_ratio_of_sums_in_the_period(full):
    got = skills.skills_summary(full, scope(*PERIOD))
    assert got["ai_acceptance_rate"] == pytest.approx((30 + 10) / (100 + 50))
    team_b = skills.skills_summary(full, scope(*PERIOD, teams=("b",)))
    assert team_b["ai_acceptance_rate"] == pytest.approx(10 / 50)


def test_acceptance_rate_is_null_without_suggestions(full):
    got = skills.skills_summary(full, scope("2025-03-01", "2025-03-31"))  # only the cursor row
    assert got["ai_acceptance_rate"] is None


def test_ai_assisted_pr_share_counts_merged_prs_with_the_flag(full):
    got = skills.skills_summary(full, scope(*PERIOD))
    # merged in period: 1 (true), 2 (false), 3 (true), 4 (unknown) → 2 of 3 known
    assert got["ai_assisted_pr_share"] == pytest.approx(2 / 3)
    assert skills.skills_summary(full, scope(*PERIOD, teams=("a",)))["ai_assisted_pr_share"] == 0.5
    assert skills.skills_summary(full, scope(*PERIOD, teams=("b",)))["ai_assisted_pr_share"] == 1.0


def test_skill_gap_share_takes_the_team_target_when_a_row_has_none(full):
    got = skills.skills_summary(full, scope(*PERIOD))
    # active at end: e1, e2 (team a), e3 (b), e5 (b, no rows) → 6 rows; below: e1 python, e2 go
    assert got["skills_rows"] == 6
    assert got["skills_rows_with_target"] == 5  # all but e3 rust
    assert got["skill_gap_share"] == pytest.approx(2 / 6)
    team_b = skills.skills_summary(full, scope(*PERIOD, teams=("b",)))
    assert team_b["skill_gap_share"] == 0.0  # e3 go has no proficiency; rust has no target


def test_certifications_count_rows_of_that_kind_in_the_period(full):
    assert skills.skills_summary(full, scope(*PERIOD))["certifications"] == 3  # CKA, Terraform, GCP (x9)
    assert skills.skills_summary(full, scope(*PERIOD, teams=("a",)))["certifications"] == 1
    assert skills.skills_summary(full, scope(*PERIOD, teams=("b",)))["certifications"] == 1
    assert skills.skills_summary(full, scope("2024-01-01", "2024-04-01"))["certifications"] == 0


def test_certifications_are_null_without_learning_data(tmp_path):
    con = make_db(tmp_path, employees=EMPLOYEES)
    assert skills.skills_summary(con, scope(*PERIOD))["certifications"] is None


def test_people_keyed_by_work_email_link_to_the_hris_employee(tmp_path):
    """A matrix and an LMS export keyed by e-mail pseudonyms join the HRIS rows carrying them."""
    con = make_db(tmp_path)
    con.execute("alter table employees add column if not exists email_id varchar")
    con.execute(
        """insert into employees (employee_id, team, hire_date, email_id) values
           ('e1', 'a', '2020-01-01', 'p_00000000000000a1'),
           ('e2', 'a', '2020-01-01', 'p_00000000000000a2'),
           ('e3', 'b', '2020-01-01', null)"""
    )
    con.execute(
        """insert into skills (employee_id, skill, proficiency, target) values
           ('p_00000000000000a1', 'k8s', 4, 4),   -- e1 by e-mail
           ('e2', 'k8s', 1, 3),                    -- e2 by id
           ('p_00000000000000a2', 'rust', 3, null),-- e2 by e-mail
           ('p_00000000000000ff', 'go', 4, 4)      -- nobody: not counted"""
    )
    con.execute(
        """insert into learning (employee_id, date, title, kind, hours) values
           ('p_00000000000000a1', '2025-02-01', 'CKA', 'certification', 12),
           ('p_00000000000000ff', '2025-02-01', 'Go', 'course', 6)"""
    )
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["bus_factor_risks"] == 2  # k8s (e1 only at ≥3), rust (e2)
    assert got["skills_rows"] == 3
    assert got["skill_gap_share"] == pytest.approx(1 / 3)  # e2 k8s 1 < 3
    assert got["certifications"] == 1
    # org-wide every learning row counts: (12 + 6) ÷ headcount 3 × 365 ÷ 90
    assert got["learning_hours_per_engineer_annualized"] == pytest.approx(18 / 3 * 365 / 90)
    team_a = skills.skills_summary(con, scope(*PERIOD, teams=("a",)))
    assert team_a["learning_hours_per_engineer_annualized"] == pytest.approx(12 / 2 * 365 / 90)
    assert team_a["certifications"] == 1
    assert skills.skills_summary(con, scope(*PERIOD, teams=("b",)))["certifications"] == 0


def test_organisation_level_rows_count_only_where_no_team_row_of_that_tool_exists(tmp_path):
    con = make_db(
        tmp_path,
        employees=EMPLOYEES,
        ai_usage=[
            # 03-10: the organisation report and the per-user report (aggregated to teams) overlap
            dict(
                date="2025-03-10",
                team="(all teams)",
                tool="copilot",
                active_users=3,
                suggestions=60,
                acceptances=6,
            ),
            dict(date="2025-03-10", team="a", tool="copilot", active_users=2, suggestions=40, acceptances=4),
            dict(date="2025-03-10", team="b", tool="copilot", active_users=1, suggestions=20, acceptances=2),
            # 03-11: only the organisation report
            dict(
                date="2025-03-11",
                team="(all teams)",
                tool="copilot",
                active_users=5,
                suggestions=100,
                acceptances=30,
            ),
            # another tool per team on 03-10 leaves copilot's organisation rows alone
            dict(date="2025-03-11", team="a", tool="cursor", active_users=1, suggestions=10, acceptances=5),
        ],
    )
    got = skills.skills_summary(con, scope(*PERIOD))
    # days: 03-10 → 2 + 1 = 3; 03-11 → 5 + 1 = 6; mean 4.5 over headcount 4: more users than
    # people, so no adoption share (tests/unit/test_people_share.py)
    assert got["ai_active_users_daily_mean"] == pytest.approx(4.5)
    assert got["ai_adoption_rate"] is None
    assert got["ai_acceptance_rate"] == pytest.approx((4 + 2 + 30 + 5) / (40 + 20 + 100 + 10))
    team_a = skills.skills_summary(con, scope(*PERIOD, teams=("a",)))
    assert team_a["ai_acceptance_rate"] == pytest.approx((4 + 5) / (40 + 10))


def test_completions_without_time_spent_leave_hours_unknown_not_zero(tmp_path, monkeypatch):
    """A completion report gives no hours: learning hours are null (unknown), never 0, while
    certifications still count; once any row gives hours, rows without them add nothing."""
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "3")  # four people: shown
    completions = [
        dict(employee_id="e1", date="2025-01-10", title="CKA", kind="certification"),
        dict(employee_id="e2", date="2025-02-10", title="Go course", kind="course"),
    ]
    con = make_db(tmp_path, employees=EMPLOYEES, learning=completions)
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["learning_hours_per_engineer_annualized"] is None
    assert got["certifications"] == 1
    frame = learning_by_period(con, scope(*PERIOD))
    assert frame["learning_hours"].isna().all() and list(frame["activities"]) == [1, 1, 0]
    assert frame["learning_hours_per_engineer_annualized"].isna().all()
    fig = registry.figure(con, "skills.learning_hours_by_team", scope(*PERIOD))
    assert registry.title(fig) == "Learning hours: the learning records give no time spent"

    con.execute("insert into learning values ('e3', '2025-03-01', 'x', 'course', 9, null)")
    got = skills.skills_summary(con, scope(*PERIOD))
    # 9 known hours ÷ average headcount 4 × 365 ÷ 90
    assert got["learning_hours_per_engineer_annualized"] == pytest.approx(9 / 4 * 365 / 90)
    assert list(learning_by_period(con, scope(*PERIOD))["learning_hours"]) == [0, 0, 9]


def test_gap_and_single_holder_tables_never_give_a_small_group_exact_count(tmp_path):
    """A coverage gap or a single holder among two raters says where each of them stands, so
    under the anonymity threshold (5) the table says 'fewer than 5' instead of the count."""
    from lib.views.skills_charts import risks

    people = [dict(employee_id=f"a{i}", team="a", hire_date="2020-01-01") for i in range(6)]
    people += [dict(employee_id=f"b{i}", team="b", hire_date="2020-01-01") for i in range(2)]
    rows = [dict(employee_id=f"a{i}", skill="python", proficiency=2) for i in range(6)]
    rows += [dict(employee_id="a0", skill="go", proficiency=4)]
    rows += [
        dict(employee_id="b0", skill="go", proficiency=3),
        dict(employee_id="b1", skill="go", proficiency=1),
    ]
    targets = [dict(team="a", skill="python", target=3), dict(team="b", skill="go", target=4)]
    con = make_db(tmp_path, employees=people, skills=rows, skill_targets=targets)
    got = risks(con, scope(*PERIOD))
    gaps = {(r.team, r.skill): (r.team_target, r.people_rated) for r in got["gaps"].itertuples()}
    assert gaps == {("a", "python"): (3, "6"), ("b", "go"): (4, "fewer than 5")}
    single = {(r.team, r.skill): r.people_rated for r in got["single_holders"].itertuples()}
    assert single == {("a", "go"): "fewer than 5", ("b", "go"): "fewer than 5"}


def test_the_cli_prints_every_skills_key_of_spec_5_with_the_hand_values(full, capsys):
    """`python -m lib metrics` over the fixture above, every skills.* key by hand."""
    import json

    from lib import cli

    path = full.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    full.close()
    assert cli.main(["metrics", "--db", path, "--start", PERIOD[0], "--end", PERIOD[1]]) == 0
    got = json.loads(capsys.readouterr().out)["skills"]
    assert got == pytest.approx(
        {
            # level 3+ among people active at the end: go e1 only, python e2 only (e1 is at 2)
            "bus_factor_risks": 2,
            # CKA 30 + Terraform 20 + Go 5 + GCP 10 (x9, no employee: counts org-wide) ÷ 4 × 365 ÷ 90
            "learning_hours_per_engineer_annualized": 65 / 4 * 365 / 90,
            # the last 28 days [03-04, 04-01): 03-10 cursor, 1 active user ÷ headcount 4
            "ai_adoption_rate": 1 / 4,
            "ai_acceptance_rate": 40 / 150,
            "ai_assisted_pr_share": 2 / 3,
            "skill_gap_share": 2 / 6,
            "certifications": 3,
        }
    )


def test_learning_hours_chart_title_names_the_months_it_covers(tmp_path, monkeypatch):
    """The deck read "76 learning hours per engineer a year across the window" beside a tile
    of 58 h: the title names the months it pools, so the two never read as one figure."""
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "3")
    con = make_db(tmp_path, employees=EMPLOYEES, learning=LEARNING)
    fig = registry.figure(con, "skills.learning_hours_by_team", scope(*PERIOD))
    # the trend window, the twelve months to the period end: 8 + 2 + 10 + 6 = 26 hours over
    # 365 days, about 3.9 people on average (e4 leaves in February) → 26 ÷ 3.9 ≈ 7
    assert registry.title(fig) == "7 learning hours per engineer a year over Apr 2024–Mar 2025"
