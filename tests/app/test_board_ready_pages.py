"""Board-ready pages (issue 18, items 12 and 14), as AppTest sees them: tile help and tables in
plain words on every pillar page, a pointer to the Data page when nothing is loaded, and a
notice naming the values of a shared link the data no longer has."""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import assert_no_exception

CODE_WORDS = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b|\b(?:delivery|flow|engagement|retention|skills|business)\.[a-z_]{2,}\b"
    r"|÷|\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|\bnull\b"
)
EMPTY_WORDS = {"None", "nan", "NaN", "NaT", "<NA>"}
PILLARS = (
    ("pages/overview.py", None),
    ("pages/delivery.py", "DORA"),
    ("pages/delivery.py", "Drill down"),
    ("pages/engagement.py", None),
    ("pages/retention.py", "Definitions"),
    ("pages/skills.py", "Skills matrix"),
    ("pages/business.py", "Initiatives"),
)


@pytest.mark.parametrize(("page", "section"), PILLARS, ids=[f"{p}:{s}" for p, s in PILLARS])
def test_tiles_and_tables_read_in_plain_words(demo_db, run_page, page, section):
    at = run_page(demo_db, page, query={"section": section} if section else None)
    assert_no_exception(at)
    helps = [m.proto.help for m in at.metric if m.proto.help]
    assert helps or page == "pages/retention.py"
    for text in helps:
        assert not CODE_WORDS.search(text), text
    for table in at.dataframe:
        assert table.proto.placeholder == "—"  # an empty cell reads "—", not Streamlit's "None"
        frame = table.value
        for column in frame.columns:
            words = set(frame[column].dropna().astype(str)) if frame[column].dtype == object else set()
            assert not words & EMPTY_WORDS, (column, words & EMPTY_WORDS)


def test_with_nothing_loaded_every_page_points_to_the_data_page(empty_db, run_page):
    at = run_page(empty_db)
    assert_no_exception(at)
    assert [link for link in at.get("page_link") if link.proto.page == "data"]  # the Overview's own
    at = run_page(empty_db, "pages/delivery.py")
    links = [link.value for link in at.get("page_link") if link.proto.page == "data"]
    assert links == ["Open the Data page"]
    assert any("No data yet" in m.value for m in at.markdown)
    at.switch_page("pages/data.py")
    at.run()
    assert not [link for link in at.get("page_link") if link.value == "Open the Data page"]


def test_the_demo_needs_no_pointer(demo_db, run_page):
    at = run_page(demo_db)
    assert not [link for link in at.get("page_link") if link.value == "Open the Data page"]


def test_a_link_value_the_data_no_longer_has_is_named_until_the_filters_change(demo_db, run_page):
    at = run_page(demo_db, query={"team": ["payments", "payments-old"], "grain": "fortnight"})
    assert_no_exception(at)
    notices = [w.value for w in at.warning if "Left out of this link's view" in w.value]
    assert len(notices) == 1
    assert "Team\\: payments\\-old" in notices[0] and "Period grain\\: fortnight" in notices[0]
    assert at.multiselect(key="team").value == ["payments"]  # the rest of the link applies
    at.run()  # the widgets dropped the values from the URL; the notice stays
    assert [w.value for w in at.warning if "Left out of this link's view" in w.value] == notices
    at.multiselect(key="team").set_value([]).run()
    assert not [w.value for w in at.warning if "Left out of this link's view" in w.value]


def test_a_link_whose_dates_run_backwards_says_which_period_it_shows(demo_db, run_page):
    """`?from=2026-10-20&to=2026-10-01` showed the default period with a note only in the sidebar."""
    at = run_page(demo_db, query={"from": "2026-10-20", "to": "2026-10-01"})
    assert_no_exception(at)
    (notice,) = [w.value for w in at.main.warning if "is before its start" in w.value]
    assert notice.startswith(
        "The period's end (2026-10-01) is before its start (2026-10-20): showing the default period, "
    )
    assert "Set From and To in the sidebar." in notice
