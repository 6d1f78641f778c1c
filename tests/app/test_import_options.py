"""The Data page's per-file choices (lib/ui/import_options.py): what is pre-filled and what is sent."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

from lib import db
from lib.ingest.choices import LayoutChoice
from lib.ingest.formats import ImportOptions
from lib.ingest.load import import_file, inspect_file, options_for
from lib.ingest.preview import Inspection
from lib.ui import import_options
from lib.ui.import_options import FileChoice, _chosen, format_words, options_of

AMBIGUOUS = "manager_id,employee_id,held_at\nm-1,e-1,05/11/2025\n"


def test_formats_are_named_in_plain_words():
    assert format_words("canonical:employees,canonical:teams") == "employees and teams templates"
    assert format_words("pagerduty") == "PagerDuty incidents"
    assert format_words("mapped:work_items") == "work items (your saved column mapping)"
    assert format_words(None).startswith("not recognised")


def test_the_remembered_order_is_prefilled_before_the_detected_one():
    remembered = LayoutChoice("dmy", "Europe/London", dt.datetime(2025, 11, 6))
    info = Inspection("f.csv", date_order_status="tool", date_order="mdy", remembered=remembered)
    # A zone an older version remembered for the layout is not pre-filled: the default is.
    assert info.prefill_order == "dmy" and info.prefill_time_zone("UTC") == "UTC"
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


def test_jira_marks_apply_to_their_own_file_only():
    saved = ImportOptions(jira_rules={"resolutions": {"Won't Do": "dropped"}})
    a = FileChoice("a.csv", "UTC", None, {"resolutions": {"Out of Date": "dropped"}})
    b = FileChoice("b.csv", "UTC", None, {"statuses": {"Parked": "open"}})
    assert options_of(saved, a).jira_rules == {
        "resolutions": {"Won't Do": "dropped", "Out of Date": "dropped"}
    }
    assert options_of(saved, b).jira_rules == {
        "resolutions": {"Won't Do": "dropped"},
        "statuses": {"Parked": "open"},
    }
    assert options_of(saved, FileChoice("c.csv", "UTC", None)) is saved
    assert saved.jira_rules == {"resolutions": {"Won't Do": "dropped"}}  # the saved rules are not touched


def test_a_time_zone_chosen_for_one_file_is_not_remembered_for_the_next(tmp_path):
    con = db.connect(tmp_path / "pillars.duckdb")
    first = tmp_path / "deployments.csv"
    first.write_text("deploy_id,deployed_at\nd-1,2025-09-01 15:00\n")
    assert import_file(con, first, options_for(con, tz="Asia/Kolkata")).ok
    later = tmp_path / "deployments_later.csv"
    later.write_text("deploy_id,deployed_at\nd-2,2025-09-02 15:00\n")
    info = inspect_file(con, later)
    assert info.prefill_time_zone("UTC") == "UTC"
    assert con.execute("select count(*) from layout_choices").fetchall() == [(0,)]
    # A chosen date order is remembered, and nothing else.
    assert import_file(con, later, options_for(con, tz="Asia/Tokyo", date_order="dmy")).ok
    assert con.execute("select date_order, time_zone from layout_choices").fetchall() == [("dmy", None)]
    con.close()


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
