"""The Skills & capabilities page on the demo organisation, section by section, and on an
empty database (every source named as missing, nothing drawn as zero)."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import assert_no_exception

PAGE = "pages/skills.py"
PERIOD = {"from": "2026-08-03", "to": "2026-10-31"}


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def chart_titles(at) -> list[str]:
    return [
        json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ")
        for c in at.get("plotly_chart")
    ]


def test_tiles_on_the_demo_organisation(run_page, demo_db):
    at = run_page(demo_db, PAGE, query=PERIOD)
    assert_no_exception(at)
    values = {m.label: m.value for m in at.metric}
    assert list(values)[:4] == ["AI adoption", "Suggestions accepted", "AI-assisted PRs", "Learning hours"]
    assert values["AI adoption"].endswith("%") and values["AI adoption"] != "—"
    assert values["Bus-factor risks"] == "3"  # swift, terraform, machine learning
    assert values["Learning hours"].endswith("h/yr")
    assert "No skills data" not in texts(at)


@pytest.mark.parametrize(
    ("section", "charts", "phrase"),
    [
        ("Skills matrix", 2, "sit below target"),
        ("Learning", 3, "learning hours per engineer a year"),
        ("AI adoption", 7, "AI adoption up"),
        ("AI and delivery", 2, "Change lead time fell in"),
    ],
)
def test_each_section_draws_its_charts_with_takeaway_titles(run_page, demo_db, section, charts, phrase):
    at = run_page(demo_db, PAGE, query={**PERIOD, "section": section})
    assert_no_exception(at)
    titles = chart_titles(at)
    assert len(titles) == charts, titles
    assert any(phrase in t for t in titles), titles


def test_ai_and_delivery_states_its_caveats_and_the_demo_story(run_page, demo_db):
    at = run_page(demo_db, PAGE, query={**PERIOD, "section": "AI and delivery"})
    shown = texts(at)
    assert "DORA's 2024 Accelerate State of DevOps report" in shown
    assert "correlation, not proof" in shown
    title = next(t for t in chart_titles(at) if t.startswith("Change lead time fell"))
    fell, of = (int(n) for n in title.split("fell in ")[1].split(" teams")[0].split(" of "))
    # the demo's story: AI adoption shortens lead time in most teams (7 of 9 since lead time counts
    # only successful production deployments, issue 9)
    assert fell >= of - 2 and of >= 6


def test_an_empty_database_names_each_missing_source(run_page, empty_db):
    at = run_page(empty_db, PAGE)
    assert_no_exception(at)
    shown = texts(at)
    for source in ("No skills data", "No learning data", "No AI usage data"):
        assert source in shown
    assert {m.value for m in at.metric} == {"—"}
    assert at.get("plotly_chart") == [] or all("no" in t.lower() for t in chart_titles(at))


def test_a_team_under_the_threshold_hides_its_ai_adoption_without_an_error(run_page, demo_db):
    # security has fewer than 5 people: every AI adoption figure of the selection is hidden
    # (the trend's bucket marking once choked on the hidden rows' reason: a CI run caught it)
    at = run_page(demo_db, PAGE, query={**PERIOD, "team": "security", "section": "AI adoption"})
    assert_no_exception(at)
    tile = next(m for m in at.metric if m.label == "AI adoption")
    assert tile.value == "—"
    assert "Hidden: fewer than 5 people in the filter" in texts(at)
    assert "security (" not in " ".join(chart_titles(at))
