"""The Data page's per-file choices (lib/ui/import_options.py): what is pre-filled and what is sent."""

from __future__ import annotations

import datetime as dt

from lib.ingest.choices import LayoutChoice
from lib.ingest.preview import Inspection
from lib.ui.import_options import FileChoice, _chosen, format_words, merged_marks


def test_formats_are_named_in_plain_words():
    assert format_words("canonical:employees,canonical:teams") == "employees and teams templates"
    assert format_words("pagerduty") == "PagerDuty incidents"
    assert format_words("mapped:work_items") == "work items (your saved column mapping)"
    assert format_words(None).startswith("not recognised")


def test_the_remembered_order_is_prefilled_before_the_detected_one():
    remembered = LayoutChoice("dmy", "Europe/London", dt.datetime(2025, 11, 6))
    info = Inspection("f.csv", date_order_status="tool", date_order="mdy", remembered=remembered)
    assert info.prefill_order == "dmy" and info.prefill_time_zone("UTC") == "Europe/London"
    assert Inspection("f.csv", date_order_status="values", date_order="dmy").prefill_order == "dmy"
    ambiguous = Inspection("f.csv", date_order_status="ambiguous")
    assert ambiguous.prefill_order is None and ambiguous.needs_order
    assert ambiguous.prefill_time_zone("Asia/Tokyo") == "Asia/Tokyo"


def test_a_detected_order_left_as_it_is_is_not_sent_as_the_users_choice():
    # The import then still says where the order came from (the tool), in its warnings.
    tool = Inspection("pd.csv", date_order_status="tool", date_order="mdy")
    assert _chosen("mdy", tool) is None
    assert _chosen("dmy", tool) == "dmy"
    assert _chosen("dmy", Inspection("x.csv", date_order_status="ambiguous")) == "dmy"


def test_jira_marks_of_every_file_are_saved_together():
    choices = [
        FileChoice("a.csv", "UTC", None, {"resolutions": {"Out of Date": "dropped"}}),
        FileChoice(
            "b.csv", "UTC", None, {"resolutions": {"Shipped": "done"}, "statuses": {"Parked": "open"}}
        ),
    ]
    assert merged_marks(choices) == {
        "resolutions": {"Out of Date": "dropped", "Shipped": "done"},
        "statuses": {"Parked": "open"},
    }
