"""Delivery & quality page in AppTest: demo organisation, imported tool exports, missing
data named on the page, the section tabs, and the drill-down's rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib import db
from tests.app.conftest import assert_no_exception

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
PAGE = "pages/delivery.py"
# [2025-07-01, 2025-09-30): the sidebar's "to" date is inclusive.
PERIOD = {"from": "2025-07-01", "to": "2025-09-29"}
DELIVERY_EXPORTS = (
    "deployments.csv",
    "pagerduty_incidents.csv",
    "opsgenie_alerts.csv",
    "jira_cloud.csv",
    "linear_time_in_status.csv",
    "github_prs.json",
)


def imported_db(tmp_path: Path, *names: str) -> Path:
    """A database holding only the given fixture exports, imported as the Data page does."""
    from lib.ingest.load import import_file, options_for

    path = tmp_path / "imported.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    for name in names:
        result = import_file(con, EXPORTS / name, options_for(con))
        assert result.ok, result.summary()
    con.close()
    return path


@pytest.fixture(scope="module")
def exports_db(tmp_path_factory) -> Path:
    """The delivery exports imported once for the module's tests, which only read it (each
    imported them again: 12 tests, about 0.5 s each)."""
    return imported_db(tmp_path_factory.mktemp("exports"), *DELIVERY_EXPORTS)


SECTIONS = ("DORA", "Flow", "Incidents", "Pull requests", "Teams", "Drill down")
CHARTS = {"DORA": 6, "Flow": 6, "Incidents": 2, "Pull requests": 1, "Teams": 1, "Drill down": 0}


def sections(run_page, path: Path, query: dict | None = None) -> dict:
    """The page run once per section tab (`?section=`), as a shared link opens it."""
    return {name: run_page(path, PAGE, query={**(query or {}), "section": name}) for name in SECTIONS}


def drill(run_page, path: Path, query: dict | None = None):
    return run_page(path, PAGE, query={**(query or {}), "section": "Drill down"})


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_delivery_page_on_the_demo_organisation(demo_db, run_page):
    at = run_page(demo_db, PAGE)
    assert_no_exception(at)
    labels = [m.label for m in at.metric]
    for label in ("Deploy frequency", "Lead time (median)", "Change failure rate", "Time to restore",
                  "Rework rate", "Flow velocity", "Flow time (median)", "Work in progress", "Flow efficiency"):  # fmt: skip
        assert label in labels
        assert metric(at, label) != "—", label
    # The DORA tab opens first; the other sections are neither computed nor drawn until chosen.
    assert [t.label for t in at.tabs] == list(SECTIONS)
    assert len(at.get("plotly_chart")) == 6
    # Titles state a takeaway computed from the data, not the metric's name.
    assert any(t.startswith("Deployment frequency up") or t.startswith("Deployment frequency down")
               or "steady" in t for t in titles(at))  # fmt: skip
    every = sections(run_page, demo_db)
    for name, page in every.items():
        assert_no_exception(page)
        assert len(page.get("plotly_chart")) == CHARTS[name], name
        # The demo has every input, so the only thing named missing is what no PR export has.
        assert warnings(page) == (
            ["Coding time (first commit → PR opened) is not in the data: PR exports carry no commit times."]
            if name == "Pull requests"
            else []
        )
    assert any("of incidents were" in t for t in titles(every["Incidents"]))
    table = every["Drill down"].dataframe
    assert len(table) == 1 and len(table[0].value) == 200  # newest 200 of more
    # The DORA tab cites the report's table as printed, then Pillars' literal reading of it.
    report, bands = (t.value for t in every["DORA"].table)  # static tables: their cells wrap at 1280 px
    assert list(report["Deployment frequency"])[0] == "On demand"
    assert list(bands["Deployment frequency"])[:2] == [
        "more than once a day on average",
        "between once a week and once a day",
    ]


def test_a_section_is_a_link(demo_db, run_page):
    at = run_page(demo_db, PAGE, query={"section": "Flow"})
    assert any(s.value.startswith("Flow: how much work finishes") for s in at.subheader)
    assert not any(s.value.startswith("DORA:") for s in at.subheader)


def test_delivery_page_on_imported_exports_only(exports_db, run_page):
    path = exports_db
    at = run_page(path, PAGE, query=PERIOD)
    assert_no_exception(at)
    assert not any("Demo data" in i.value for i in at.info)
    # Hand-computed in tests/unit/test_formats_delivery.py: 5 successful in 13 weeks, p50 12 h, 1 of 6
    # (the two failed runs are no deployments).
    assert metric(at, "Deploy frequency") == "0.38/wk"
    assert metric(at, "Lead time (median)") == "12 h"
    assert metric(at, "Change failure rate") == "17%"
    assert metric(at, "Time to restore") == "3 h"
    assert metric(at, "Rework rate") == "17%"
    assert metric(at, "Flow efficiency") == "62%"  # Linear's per-status minutes
    # Incidents name no deployment: the page says what the failure rate does count, and how many
    # incidents it cannot count, beside the rate.
    assert any("No incident names the deployment" in w for w in warnings(at))
    assert "6 of 6 incidents in the period name no deployment: the rate cannot count them." in captions(at)
    assert any(n.startswith("Not counted as deployments: 2 failed deployment runs") for n in infos(at))
    every = sections(run_page, path, PERIOD)
    assert metric(every["Pull requests"], "PRs merged") == "3"
    for name, page in every.items():
        assert_no_exception(page)
        assert len(page.get("plotly_chart")) == CHARTS[name], name


def test_missing_data_is_named_never_shown_as_zero(tmp_path, run_page):
    at = run_page(imported_db(tmp_path, "deployments.csv"), PAGE, query=PERIOD)
    assert_no_exception(at)
    named = warnings(at)
    assert any(
        w.startswith("No incident data: change failure rate counts rolled-back deployments only")
        for w in named
    )
    assert any(w.startswith("No work item data") for w in named)
    assert any(w.startswith("No pull request data") for w in named)
    assert metric(at, "Time to restore") == "—"
    # No work items were loaded: no data, never "0/wk".
    assert metric(at, "Flow velocity") == "—"
    assert metric(at, "Work in progress") == "—"
    assert "No data: no work items loaded" in captions(at)
    assert metric(at, "Change failure rate") == "17%"


def test_empty_database_shows_no_data_never_zero(empty_db, run_page):
    """Nothing loaded: every tile is "—" with its reason, as the catalog is null (never "0/wk" rated low)."""
    at = run_page(empty_db, PAGE)
    assert_no_exception(at)
    assert any(w.startswith("No deployment data") for w in warnings(at))
    for label in ("Deploy frequency", "Lead time (median)", "Change failure rate", "Time to restore",
                  "Rework rate", "Flow velocity", "Flow time (median)", "Work in progress", "Flow efficiency"):  # fmt: skip
        assert metric(at, label) == "—", label
    assert "No data: no deployments loaded" in captions(at)
    assert "DORA: low tier" not in captions(at)


def test_no_production_environment_is_named_not_zero(tmp_path, run_page):
    """Deployments in prod-us and prod-eu are production; in staging and qa alone they are not, and the
    page says why instead of showing 0/wk rated low."""
    from tests.unit.fixtures import make_db

    rows = [
        {"deploy_id": f"d{i}", "team": "t", "environment": env, "deployed_at": f"2025-07-{10 + i} 10:00",
         "commit_at": f"2025-07-{10 + i} 08:00", "status": "success"}
        for i, env in enumerate(["staging", "qa", "staging"])
    ]  # fmt: skip
    con = make_db(tmp_path, deployments=rows)
    db.set_setting(con, "demo", "false")
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    at = run_page(Path(path), PAGE, query=PERIOD)
    assert_no_exception(at)
    assert metric(at, "Deploy frequency") == "—"
    assert "No data: no deployment is to a production environment" in captions(at)
    (note,) = [w for w in warnings(at) if "none is to a production environment" in w]
    assert "environments seen: qa, staging" in note and "prod, production, prd" in note


@pytest.mark.parametrize(
    ("drill_metric", "team", "rows"),
    [
        # production deployments in the period (d-7 staging, d-10 June, d-3 and d-9 failed runs)
        ("Deployments", None, 6),
        ("Failed deployment runs", None, 2),  # d-3 FAILURE, d-9 failed
        ("Change failure rate", None, 1),  # d-5 rolled back
        ("Change lead time", None, 5),
        ("Deployments", "Payments", 4),
        ("Time to restore and incidents", None, 6),  # PD-101…103, OG-7…9
        ("Incidents naming no deployment", None, 6),
        ("Completed work items", None, 9),  # Jira's six and Linear's three
        ("Work in progress (flow load)", None, 3),
        ("Pull requests", None, 3),
    ],
)
def test_drill_down_shows_the_rows_behind_the_number(exports_db, run_page, drill_metric, team, rows):
    at = drill(run_page, exports_db, PERIOD)
    at.selectbox(key="drill-metric").select(drill_metric).run()
    if team:
        at.selectbox(key="drill-team").select(team).run()
    assert_no_exception(at)
    table = at.dataframe[0].value
    assert len(table) == rows
    assert any(f"{rows} row" in c.value for c in at.caption)
    assert "author_id" not in table.columns


@pytest.mark.parametrize("grain", ["week", "quarter"])
def test_every_grain_draws(demo_db, run_page, grain):
    for name, page in sections(run_page, demo_db, {"grain": grain}).items():
        assert_no_exception(page)
        assert len(page.get("plotly_chart")) == CHARTS[name], name


def test_one_team_from_the_url(demo_db, run_page):
    everyone = run_page(demo_db, PAGE)
    team = everyone.sidebar.multiselect(key="team").options[0]
    at = run_page(demo_db, PAGE, query={"team": team})
    assert_no_exception(at)
    assert metric(at, "Deploy frequency") != metric(everyone, "Deploy frequency")
    at = drill(run_page, demo_db, {"team": team})
    assert at.selectbox(key="drill-team").options == ["All teams in the filter", team]


def many_teams_db(tmp_path: Path) -> Path:
    """26 teams in two orgs, each with a production deployment every weekday over the period
    (about 21 a month: enough events for each team's trend to speak, lib.views.buckets.MIN_COUNT)."""
    import datetime as dt

    from tests.unit.fixtures import make_db

    teams = [{"team": f"team-{i:02d}", "org": "North" if i < 13 else "South"} for i in range(26)]
    deployments = [
        {
            "deploy_id": f"{t['team']}-{week}-{day}",
            "service": t["team"],
            "team": t["team"],
            "environment": "production",
            "commit_at": dt.datetime(2025, 7, 1) + dt.timedelta(weeks=week, days=day),
            "deployed_at": dt.datetime(2025, 7, 1, 6) + dt.timedelta(weeks=week, days=day),
            "status": "success",
        }
        for t in teams
        for week in range(13)
        for day in range(5)
    ]
    con = make_db(tmp_path, teams=teams, deployments=deployments)
    db.set_setting(con, "demo", "false")
    path = Path(
        con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()[0]
    )
    con.close()
    return path


def small_multiples(at) -> tuple[str, list[str]]:
    spec = json.loads(at.get("plotly_chart")[-1].proto.spec)
    panels = [
        a["text"]
        for a in spec["layout"]["annotations"]
        if a.get("xref") == "paper" and a.get("yanchor") == "bottom"
    ]
    return spec["layout"]["title"]["text"], panels


def test_small_multiples_per_org_when_teams_are_too_many(tmp_path, run_page):
    path = many_teams_db(tmp_path)
    teams = {**PERIOD, "section": "Teams"}
    at = run_page(path, PAGE, query=teams)
    assert_no_exception(at)
    assert any(s.value == "Orgs, each against its own trend" for s in at.subheader)
    title, panels = small_multiples(at)
    assert panels == ["North", "South"]
    assert "of 2 orgs improved" in title
    # One org in the filter: its 13 teams, one chart each.
    at = run_page(path, PAGE, query={**teams, "org": "North"})
    assert any(s.value == "Teams, each against its own trend" for s in at.subheader)
    title, panels = small_multiples(at)
    assert panels == [f"team-{i:02d}" for i in range(13)]
    assert "of 13 teams improved" in title


def test_every_caption_is_inside_its_figure(demo_db, run_page):
    """The source and period caption is what makes a screenshot quotable: never clipped."""
    import plotly.io as pio

    import lib.charts  # noqa: F401  (registers the template)

    charts = [c for page in sections(run_page, demo_db).values() for c in page.get("plotly_chart")]
    assert len(charts) == sum(CHARTS.values())
    for chart in charts:
        layout = json.loads(chart.proto.spec)["layout"]
        caption = next(a for a in layout["annotations"] if a.get("name") == "caption")
        margin = {**pio.templates["pillars"].layout.margin.to_plotly_json(), **layout.get("margin", {})}
        plot_height = layout["height"] - margin["t"] - margin["b"]
        lines = caption["text"].count("<br>") + 1
        bottom = caption["y"] * plot_height + caption.get("yshift", 0) - 14 * lines  # px from the plot's foot
        assert bottom >= -margin["b"], (layout["title"]["text"], bottom, margin["b"])


def clicked(x: str, team: str | None = None) -> dict:
    """The selection Streamlit keeps for a chart after a click on one point."""
    point = {"x": x, "y": 1.0, "curve_number": 0, "point_number": 0, "point_index": 0}
    if team:
        point["legendgroup"] = team
    return {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}


def rows_shown(at) -> tuple[list[str], list[int]]:
    headings = [m.value for m in at.markdown if m.value.startswith("**Rows behind the point clicked")]
    # The DORA tab's two tier tables (the report's and Pillars' bands) are not rows behind a point.
    tables = [d.value for d in at.dataframe if not {"Tier", "Performance level"} & set(d.value.columns)]
    return headings, [len(t) for t in tables]


def test_clicking_a_point_shows_the_rows_behind_it(exports_db, run_page):
    path = exports_db
    at = run_page(path, PAGE, query=PERIOD)
    assert rows_shown(at) == ([], [])
    at.session_state["dora-0-deployment_frequency_per_week"] = clicked("2025-07-01")
    at.run()
    assert_no_exception(at)
    # July 2025: d-1, d-2, d-4, production deployments of checkout-api (d-3's run failed).
    assert rows_shown(at) == (["**Rows behind the point clicked: Deployments, July 2025**"], [3])
    assert any(c.value.startswith("3 rows in deployments") for c in at.caption)


def test_clicking_a_team_panel_shows_that_teams_rows(exports_db, run_page):
    path = exports_db
    at = run_page(path, PAGE, query={**PERIOD, "section": "Teams"})
    at.session_state["teams"] = clicked("2025-08-01", team="Platform")
    at.run()
    assert_no_exception(at)
    # August 2025, Platform: d-5 and d-6 (d-7 went to staging).
    assert rows_shown(at) == (["**Rows behind the point clicked: Deployments, August 2025, Platform**"], [2])


def test_prs_without_review_times_say_why_pickup_and_review_are_blank(tmp_path, run_page):
    # a new user's review: "Pickup —", "Review —" with no reason, from GitHub's REST list
    from lib.ingest.load import import_file, options_for
    from tests.unit.fixtures import app_file

    con = db.connect(tmp_path / "rest.duckdb")
    exports = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    assert import_file(con, exports / "github_rest_pulls.json", options_for(con)).ok
    at = run_page(
        app_file(con), PAGE, query={"section": "Pull requests", "from": "2025-07-01", "to": "2025-07-31"}
    )
    assert_no_exception(at)
    notes = " ".join(w.value for w in at.warning)
    assert "None of these PRs has a review time: pickup and review cannot be computed" in notes
    assert metric(at, "Pickup (median)") == "—"
