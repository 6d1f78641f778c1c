"""The Data page's per-file choices (lib/ui/import_options.py): what is pre-filled and what is sent."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

from lib import db
from lib.ingest.choices import LayoutChoice
from lib.ingest.load import import_file, options_for
from lib.ingest.preview import Inspection
from lib.ui import import_options
from lib.ui.import_options import FileChoice, _chosen, format_words, merged_marks

AMBIGUOUS = "manager_id,employee_id,held_at\nm-1,e-1,05/11/2025\n"


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


class Upload:
    """What st.file_uploader hands the page, enough for the inspection."""

    def __init__(self, path: Path):
        self.name, self.file_id = path.name, f"id-{path.name}"
        self._data = path.read_bytes()
        self.size = len(self._data)

    def getvalue(self) -> bytes:
        return self._data


def test_a_file_is_inspected_once_and_a_large_one_only_for_its_remembered_choice(tmp_path, monkeypatch):
    monkeypatch.setattr(import_options, "st", types.SimpleNamespace(session_state={}))
    con = db.connect(tmp_path / "pillars.duckdb")
    path = tmp_path / "one_on_ones.csv"
    path.write_text(AMBIGUOUS)
    upload = Upload(path)
    info = import_options._inspect(con, upload)
    assert info.needs_order and info.source_format == "canonical:one_on_ones"
    assert import_options._inspect(con, upload) is info  # kept for the session's reruns
    assert import_file(con, path, options_for(con, date_order="dmy")).ok
    monkeypatch.setattr(import_options, "INSPECT_LIMIT", 10)
    big = import_options._inspect(con, Upload(path.rename(tmp_path / "big.csv")))
    assert big.date_order_status == "unchecked" and big.prefill_order == "dmy"  # remembered for the layout
    con.close()
