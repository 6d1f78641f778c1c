"""The Business alignment page on the demo organisation and on imported files only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib import db
from lib.ingest.load import import_file
from lib.views import business_settings as settings
from tests.app.conftest import assert_no_exception

PAGE = "pages/business.py"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SECTIONS = ("Investment mix", "Initiatives", "Efficiency", "Capitalisation", "Outcomes")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from lib.demo import build_demo
    from tests.conftest import DEMO_END

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.connect(path)
    build_demo(con, end=DEMO_END)
    con.close()
    return path


@pytest.fixture(scope="module")
def imported_db(tmp_path_factory):
    """No demo: a year of finance KPIs, an initiatives list, a rate card, Jira and Linear work."""
    path = tmp_path_factory.mktemp("imported") / "imported.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    for file in (
        FIXTURES / "finance" / "kpis_2025.csv",
        FIXTURES / "finance" / "initiatives.csv",
        FIXTURES / "finance" / "rate_card.csv",
        FIXTURES / "exports" / "jira_cloud.csv",
        FIXTURES / "exports" / "linear.csv",
    ):
        result = import_file(con, file)
        assert result.ok, result.summary()
    con.close()
    return path


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_draws_on_the_demo(run_page, demo_db, section):
    at = run_page(demo_db, PAGE, query={"section": section})
    assert_no_exception(at)
    labels = [m.label for m in at.metric]
    assert labels == [
        "R&D as % of revenue",
        "Revenue per engineer",
        "Cost per feature",
        "Capitalisable R&D",
        "Effort on features",
    ]
    assert all(m.value != "—" for m in at.metric)
    expected = {"Investment mix": 3, "Initiatives": 2, "Efficiency": 3, "Capitalisation": 1, "Outcomes": 2}
    assert len(at.get("plotly_chart")) == expected[section]


def test_default_period_is_read_as_its_whole_months(run_page, demo_db):
    # The default period (last 90 days to 31 Oct 2026) starts on 3 Aug: two month starts.
    at = run_page(demo_db, PAGE)
    assert "covers the whole months of the chosen period: 01 Sep 2026 – 31 Oct 2026" in texts(at)
    assert all("vs Jul–Aug" in str(m.proto) for m in at.metric if m.delta)


def test_capitalisation_says_it_is_a_candidate_never_an_entry(run_page, demo_db):
    at = run_page(demo_db, PAGE, query={"section": "Capitalisation"})
    text = texts(at)
    assert "never an accounting entry" in text and "Not accounting or tax advice" in text
    assert "ASU 2025-06" in text
    assert titles(at)[0].startswith("Candidate for finance review:")


def test_outcomes_state_links_with_months_and_never_as_cause(run_page, demo_db):
    at = run_page(demo_db, PAGE, query={"section": "Outcomes"})
    text = texts(at)
    assert "months earlier" in text or "1 month earlier" in text
    assert "not proof that one causes the other" in text
    assert "about one pair would clear this bar by chance" in text


def test_team_filter_says_which_figures_are_organisation_only(run_page, demo_db):
    at = run_page(demo_db, PAGE, query={"team": "payments"})
    assert_no_exception(at)
    values = {m.label: m.value for m in at.metric}
    assert values["Revenue per engineer"] == "—"
    assert values["Cost per feature"] == "—"
    assert values["Capitalisable R&D"] == "—"
    assert values["R&D as % of revenue"] != "—"
    text = texts(at)
    assert text.count("Organisation only: business metrics have no team") == 3
    assert "whole organisation" in text


def test_saving_a_target_mix_states_the_distance(run_page, demo_db, tmp_path):
    path = tmp_path / "target.duckdb"
    path.write_bytes(demo_db.read_bytes())
    at = run_page(path, PAGE)
    for kind, value in (("feature", 55.0), ("defect", 15.0), ("risk", 10.0), ("debt", 20.0)):
        at.number_input(key=f"biz-target-{kind}").set_value(value)
    next(b for b in at.button if b.label == "Save target").click()
    at.run()
    assert_no_exception(at)
    con = db.connect(path)
    assert settings.target_mix(con) == pytest.approx(
        {"feature": 0.55, "defect": 0.15, "risk": 0.1, "debt": 0.2}
    )
    con.close()
    text = texts(at)
    assert "Distance from target:" in text
    assert "pts of effort would have to move" in text
    assert any("target" in t for t in titles(at))


def test_a_target_that_does_not_add_up_is_refused(run_page, demo_db, tmp_path):
    path = tmp_path / "bad-target.duckdb"
    path.write_bytes(demo_db.read_bytes())
    at = run_page(path, PAGE)
    at.number_input(key="biz-target-feature").set_value(90.0)
    next(b for b in at.button if b.label == "Save target").click()
    at.run()
    assert any("must add up to 100%" in e.value for e in at.error)
    con = db.connect(path)
    assert settings.target_mix(con) is None
    con.close()


def test_renders_on_imported_files_only(run_page, imported_db):
    query = {"from": "2025-07-01", "to": "2025-12-31"}
    for section in SECTIONS:
        at = run_page(imported_db, PAGE, query={**query, "section": section})
        assert_no_exception(at)
        assert at.get("plotly_chart"), section
    values = {m.label: m.value for m in at.metric}
    # kpis_2025.csv, July–December: R&D 334k + 338k + … + 354k = 2,064,000 ÷ revenue 8,976,027
    assert values["R&D as % of revenue"] == "23.0%"
    assert "Demo data" not in texts(at)


def test_mapping_an_epic_on_the_page(run_page, imported_db, tmp_path):
    path = tmp_path / "map.duckdb"
    path.write_bytes(imported_db.read_bytes())
    at = run_page(path, PAGE, query={"from": "2025-07-01", "to": "2025-12-31", "section": "Initiatives"})
    assert "1 not yet" in texts(at)  # Search quality (Linear) is in no initiative yet
    con = db.connect(path)
    assert settings.save_links(con, {"Search quality": "Checkout v2"}) == 1
    con.close()
    at = run_page(path, PAGE, query={"from": "2025-07-01", "to": "2025-12-31", "section": "Initiatives"})
    assert "0 not yet" in texts(at)


@pytest.mark.parametrize(("start", "end"), [("2026-10-01", "2026-10-05"), ("2026-09-15", "2026-10-20")])
def test_a_period_without_a_whole_month_says_so_and_draws_no_money_figure(run_page, demo_db, start, end):
    # 1-5 Oct raised "period end 2026-10-01 must be after start 2026-10-01" on every tab (a new
    # user's review): a whole month's revenue set against five days of output would mislead anyway
    at = run_page(demo_db, PAGE, query={"from": start, "to": end})
    assert_no_exception(at)
    (notice,) = [i.value for i in at.info if "holds no whole month" in i.value]
    assert "choose a period that holds at least one whole month" in notice
    assert not at.metric and not at.get("plotly_chart")
