"""Overview page in AppTest: the investment headline, tile groups per pillar, takeaways, trends."""

from __future__ import annotations

import json
import re

from tests.app.conftest import assert_no_exception


def _metric(at, label):
    return next(m for m in at.metric if m.label == label)


def _markdown(at) -> str:
    return "\n".join(md.value for md in at.markdown)


def test_overview_on_demo_shows_the_headline_every_tile_and_a_trend_per_pillar(demo_db, run_page):
    at = run_page(demo_db)
    assert_no_exception(at)
    labels = [m.label for m in at.metric]
    assert labels == [
        "Deploy frequency", "Lead time (median)", "Change failure rate", "Time to restore",
        "Engagement index", "eNPS", "Attrition (year)", "Engineers", "AI adoption", "Learning hours",
        "R&D / revenue", "Revenue per engineer",
    ]  # fmt: skip
    # Every headline metric has a value on the demo organisation (no dash).
    assert all(m.value != "—" for m in at.metric), {m.label: m.value for m in at.metric}
    text = _markdown(at)
    for group in ("Delivery & quality", "People engagement", "Retention & development", "Skills & capabilities",
                  "Business alignment"):  # fmt: skip
        assert f"**{group}**" in text
    assert "of R&D spend delivered" in text and "of engineering effort went to new features" in text
    assert "What changed, quarter over quarter" in text
    assert "Why the other changes are not news" in at.expander[0].label
    # Benchmarks cite report and year; no uncited band.
    captions = " ".join(c.value for c in at.caption)
    assert "DORA 2023: elite tier" in captions and "(Benchmarkit 2025)" in captions
    assert "rule of thumb" not in captions and "commonly" not in captions
    assert len(at.get("plotly_chart")) == 6
    assert any("Demo data" in info.value for info in at.info)
    # Each tile's sparkline is an image named by its eight values as the tile shows them,
    # the last one the tile's own; st.metric draws none (Vega's bundle cost a new tab 0.4 s).
    sparks = [h.proto.body for h in at.get("html") if "pillars-spark" in h.proto.body]
    assert len(sparks) == 12 and not any(m.proto.chart_data for m in at.metric)
    alt = re.search(r'alt="([^"]*)"', sparks[0]).group(1)
    assert alt.startswith("Deploy frequency in this period and the 7 before, oldest first: ")
    assert alt.count("/wk") == 8 and alt.endswith(f", {_metric(at, 'Deploy frequency').value}")


def test_team_filter_from_the_url_changes_the_numbers(demo_db, run_page):
    everyone = run_page(demo_db)
    team = everyone.sidebar.multiselect(key="team").options[0]
    one_team = run_page(demo_db, query={"team": team})
    assert_no_exception(one_team)
    assert one_team.sidebar.multiselect(key="team").value == [team]
    assert _metric(one_team, "Deploy frequency").value != _metric(everyone, "Deploy frequency").value
    # Business metrics carry no team: the headline says the money is the organisation's.
    assert "whole organisation's" in _markdown(one_team)


def test_every_team_chosen_reads_as_all_of_them_in_the_captions(demo_db, run_page):
    # "Select all" in the Team dropdown used to caption every chart with all twelve names
    everyone = run_page(demo_db)
    teams = everyone.sidebar.multiselect(key="team").options
    assert teams == sorted(teams, key=str.lower)  # alphabetical, not grouped by an org it does not show
    at = run_page(demo_db, query={"team": teams})
    assert_no_exception(at)
    assert at.sidebar.multiselect(key="team").value == teams
    captions = [json.loads(chart.proto.spec)["layout"]["annotations"] for chart in at.get("plotly_chart")]
    text = " ".join(a.get("text", "") for notes in captions for a in notes)
    assert f"Team: all {len(teams)}" in text and teams[1] not in text


def test_overview_without_data_names_what_to_load_and_shows_no_zero(empty_db, run_page):
    at = run_page(empty_db)
    assert_no_exception(at)
    assert len(at.metric) == 0
    notes = " ".join(info.value for info in at.info)
    assert "No deployments or incidents loaded" in notes
    assert (
        "No survey loaded" in notes and "No HRIS export loaded" in notes and "No finance data loaded" in notes
    )
    assert len(at.get("page_link")) == 5
    assert "No R&D spend is loaded" in _markdown(at)
    assert not any("Demo data" in info.value for info in at.info)


def _deployments_then_a_later_survey(tmp_path):
    """Deployments ending 12 Mar 2025, a survey taken on 20 Jun (tests/unit/test_no_data.py)."""
    from tests.unit import test_no_data as case
    from tests.unit.fixtures import make_db

    con = make_db(tmp_path, teams=case.TEAMS, deployments=case._deploys(), survey_responses=case.SURVEY)
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    return path


def test_a_source_that_ends_before_the_period_shows_no_data_with_its_end_date(tmp_path, run_page):
    at = run_page(_deployments_then_a_later_survey(tmp_path))
    assert_no_exception(at)
    # the default period runs to the survey: no deployment in it is no data, never "0/wk, −100%, low tier"
    tile = next(m for m in at.metric if "frequency" in m.label.lower())
    assert tile.value == "—" and not tile.delta
    captions = [c.value for c in at.caption]
    assert "No data: no deployments after 12 Mar 2025" in captions
    assert not any("low tier" in c for c in captions)
    assert not any("Deployment frequency" in m.value for m in at.markdown if "worth a look" in m.value)
    # nothing compared: no "other" changes (a second review)
    assert [e.label for e in at.expander if e.label.startswith("Why")][0].startswith(
        "Why nothing is compared ("
    )


def test_filters_that_match_no_team_show_no_data_on_every_tile(tmp_path, run_page):
    at = run_page(
        _deployments_then_a_later_survey(tmp_path), query={"location": "Oslo", "sourcing": "offshore"}
    )
    assert_no_exception(at)
    assert all(m.value == "—" for m in at.metric), {m.label: m.value for m in at.metric}
    assert "No data: no team matches these filters" in [c.value for c in at.caption]


def test_a_shared_link_with_a_date_the_picker_cannot_show_says_so(run_page, demo_db):
    at = run_page(demo_db, query={"from": "1999-01-01"})
    assert_no_exception(at)
    notices = [
        re.sub(r"\\(.)", r"\1", w.value) for w in at.warning if "Left out of this link's view" in w.value
    ]
    assert len(notices) == 1 and "From: 1999-01-01 (outside the dates the picker offers)" in notices[0]
