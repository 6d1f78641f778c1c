"""The Data page's choices before an import, one box per uploaded file, with what was detected filled in.

SPEC §4: the date order is never applied unseen. Each file is read once as an import
would read it (`lib.ingest.load.inspect_file`, nothing written) and its box shows:
- what it was recognised as;
- the date order of its numeric dates, pre-filled with the order remembered for files with
  the same headers, else the one its tool writes, else the one its values allow; empty
  (and flagged) when the file cannot be imported without one;
- the time zone of its times written without one, pre-filled with the saved default
  (`default_tz`, else UTC): a zone chosen for one file is never remembered, so it never
  reaches a later file unseen (issue 18: an India time zone chosen once was read into a
  later session's Jira export);
- for a Jira export, every resolution and status in it with how it counts (done, dropped,
  open), editable; a change applies to that file's import, and once it loads is saved as
  the pre-fill of later Jira files.

A choice applies only to the file it was made for: the widgets are keyed by the upload's
id, and every file's options are built before any file is imported (`options_of`). The
inspection is kept in the session per uploaded file, so a rerun does not read the file
again.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.ingest.words import format_words  # noqa: F401 (used by the Data page and tests)
from lib.privacy import markdown_text
from lib.ui import layout

_INSPECTIONS = "pillars_inspections"
ORDER_LABELS = {
    None: "Not set",
    "dmy": "Day first: 05/11/2025 is 5 November",
    "mdy": "Month first: 05/11/2025 is May 11",
    "ymd": "Year first: 25/11/05 is 5 November 2025",
}
MARKS = {"resolution": ["done", "dropped"], "status": ["done", "dropped", "open"]}


@dataclass(frozen=True)
class FileChoice:
    """What the user chose for one file: applied to that file's import only."""

    name: str
    time_zone: str
    date_order: str | None
    jira_marks: dict[str, dict[str, str]] = field(default_factory=dict)  # only the rows changed


INSPECT_LIMIT = 50 * 2**20  # a bigger file is read once, by its import, not twice


def _inspect(con, upload):
    """The file's inspection, once per uploaded file (and per saved Jira marks)."""
    from lib import db
    from lib.ingest.load import inspect_file, layout_choice, options_for
    from lib.ingest.preview import Inspection
    from lib.ingest.read import discard_copy, read_source

    cache = st.session_state.setdefault(_INSPECTIONS, {})
    key = (upload.file_id, upload.name, db.get_setting(con, "jira_rules") or "")
    if key not in cache:
        with tempfile.TemporaryDirectory(prefix="pillars-inspect-") as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            if upload.size <= INSPECT_LIMIT:
                cache[key] = inspect_file(con, path, options_for(con), name=upload.name)
            else:
                try:
                    source = read_source(path, upload.name)
                except (ValueError, OSError) as exc:
                    cache[key] = Inspection(upload.name, error=f"{upload.name}: {exc}")
                else:
                    remembered = layout_choice(con, source)
                    discard_copy(source, path)
                    cache[key] = Inspection(upload.name, date_order_status="unchecked", remembered=remembered)
    return cache[key]


def _order_note(info) -> str:
    if info.remembered and info.remembered.date_order:
        when = f" on {info.remembered.saved_at:%Y-%m-%d}" if info.remembered.saved_at else ""
        return f"Remembered: you chose this order for files with these headers{when}."
    if info.date_order_status == "tool":
        return f"Detected from the tool. {info.date_order_note}."
    if info.date_order_status == "values":
        return f"Detected from the values. {info.date_order_note}."
    if info.date_order_status == "ambiguous":
        return ""
    if info.date_order_status == "unchecked":
        return (
            "A large file is read once, by its import: set an order only if its dates look like 05/11/2025."
        )
    return "No numeric day/month dates were found: no order is needed."


def _chosen(order: str | None, info) -> str | None:
    """The order to import with: None when it is the detected one, so the import still says
    where the order came from (a tool or the values) in its warnings."""
    detected = info.date_order if info.date_order_status in ("tool", "values") else None
    return None if order == detected else order


def file_box(con, upload, index: int, default_tz: str, time_zones: tuple[str, ...]) -> FileChoice:
    """One file's box of choices; returns what is chosen in it."""
    info = _inspect(con, upload)
    with st.container(border=True, key=f"import-options-{index}"):
        what = "recognised during the import" if info.date_order_status == "unchecked" else None
        st.markdown(f"**{markdown_text(upload.name, 120)}** · {what or format_words(info.source_format)}")
        if info.error:
            st.caption(markdown_text(info.error))
        left, right = st.columns(2)
        orders = list(ORDER_LABELS)
        unneeded = info.date_order_status == "none" and info.prefill_order is None
        labels = {**ORDER_LABELS, None: "Not needed: no numeric dates" if unneeded else "Not set"}
        order = left.selectbox(
            "Date order",
            orders,
            index=orders.index(info.prefill_order),
            format_func=labels.get,
            key=f"date-order-{upload.file_id}",
            help="How numeric dates such as 05/11/2025 are written in this file. Applies to this file only.",
        )
        if info.needs_order and order is None:
            why = info.date_order_note.split(" Set the order with")[0]  # the CLI's advice is not for here
            left.warning(f"Choose the date order: {why}", icon=":material/event:")
        elif (note := _order_note(info)) and not unneeded:
            left.caption(note)
        zone = info.prefill_time_zone(default_tz)
        zones = time_zones if zone in time_zones else (zone, *time_zones)
        tz = right.selectbox(
            "Time zone of times written without one",
            zones,
            index=zones.index(zone),
            key=f"time-zone-{upload.file_id}",
            help="Times with an offset or Z keep their own zone; everything is stored in UTC. Applies to this "
            "file only, and is not remembered.",
        )
        marks = _jira_marks(info, upload.file_id) if info.jira else {}
    return FileChoice(upload.name, tz, _chosen(order, info), marks)


def _jira_marks(info, file_id: str) -> dict[str, dict[str, str]]:
    """The Jira vocabulary of the file, editable; returns the rows the user changed."""
    st.markdown(
        "How Jira's resolutions and statuses count in this file (a change is shown pre-filled for later "
        "Jira files):"
    )
    rows = [
        {
            "Kind": kind,
            "Name": label,
            "Issues": count,
            "Counts as": "done" if mark == "unknown" else mark,
            "Note": "not a resolution Pillars knows: counted as done unless you change it"
            if mark == "unknown"
            else "",
        }
        for kind, label, count, mark in info.jira
    ]
    frame = pd.DataFrame(rows)
    edited = layout.editor(
        frame,
        column_config={
            "Counts as": st.column_config.SelectboxColumn(
                options=["done", "dropped", "open"],
                required=True,
                help="done: delivered work; dropped: never completed (canceled); open: still in progress",
            ),
        },
        disabled=["Kind", "Name", "Issues", "Note"],
        hide_index=True,
        width="stretch",
        key=f"jira-rules-{file_id}",
    )
    changed: dict[str, dict[str, str]] = {}
    for before, after in zip(rows, edited.to_dict("records"), strict=True):
        mark = after["Counts as"]
        if mark == before["Counts as"] or mark not in MARKS[before["Kind"]]:
            continue
        changed.setdefault(f"{before['Kind']}s" if before["Kind"] == "resolution" else "statuses", {})[
            before["Name"]
        ] = mark
    return changed


def options_of(options, choice: FileChoice):
    """`options` (an `ImportOptions` with the saved Jira rules) with this file's own Jira marks
    on top: applied to this file's import only."""
    if not choice.jira_marks:
        return options
    rules = {kind: dict(marks) for kind, marks in options.jira_rules.items()}
    for kind, marks in choice.jira_marks.items():
        rules.setdefault(kind, {}).update(marks)
    return dataclasses.replace(options, jira_rules=rules)


def forget_inspections() -> None:
    st.session_state.pop(_INSPECTIONS, None)
