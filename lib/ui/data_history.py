"""The Data page's record of what was loaded: the import history, with undo for people who
see every org unit, data freshness per table, and stored dates outside the plausible range.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import store
from lib.charts import table_label
from lib.formatting import count_of
from lib.ingest.words import format_words
from lib.privacy import markdown_text, printable
from lib.tables import table_words
from lib.ui import data, layout
from lib.ui.data_page import may_change
from lib.ui.data_upload import RESULTS

_UNDONE = "pillars_undone"


def history_section() -> None:
    from lib.ingest.import_log import undo_import

    st.subheader("Import history")
    if not may_change():
        st.caption(
            "The import log names every file loaded, for every org unit: it is shown to people who see all."
        )
        return
    if said := st.session_state.pop(_UNDONE, None):
        st.success(markdown_text(said), icon=":material/undo:")
    history = data.frame("lib.ingest.import_log.import_history")
    if history.empty:
        st.caption("No imports yet.")
        return
    layout.table(
        history_in_words(history),
        hide_index=True,
        width="stretch",
        height=min(400, 38 + 35 * len(history)),
        column_config=_counts_and_times(HISTORY_WORDS["rows"], HISTORY_WORDS["imported_at"])
        | {
            HISTORY_WORDS["sha256"]: _SHA_COLUMN,
            # long file names and format words set the grid wider than the page at 1280 px, hiding
            # Rows and Status past a sideways scroll (a new user's review): cut, whole on hover
            HISTORY_WORDS["file_name"]: st.column_config.TextColumn(width="medium"),
            HISTORY_WORDS["source_format"]: st.column_config.TextColumn(width="small"),
        },
    )
    undoable = history[history["status"] == "loaded"]
    if undoable.empty:
        return
    labels = {row.import_id: _import_label(row) for row in undoable.itertuples()}
    chosen = st.selectbox(
        "Undo an import", list(labels), format_func=labels.get, index=None, key="undo-import"
    )
    if not chosen:
        return
    # a second, deliberate click, as for clearing the demo: the kept copy of the upload goes too
    confirm = st.popover("Undo this import", icon=":material/undo:")
    confirm.markdown(
        f"This deletes the rows of **{markdown_text(labels[chosen], 160)}** and restores the rows it had "
        "replaced. Its kept copy is deleted: to have it back, upload the file again."
    )
    if confirm.button("Yes, undo this import", type="primary", key="undo-confirm"):
        try:
            with data.writing("undoing an import") as con:
                undone = undo_import(con, chosen)
        except store.Busy as busy:
            st.error(str(busy), icon=":material/lock_clock:")
            return
        except KeyError:
            st.warning("That import is no longer in the log (undone elsewhere?).")
            return
        st.session_state[_UNDONE] = undone_words(labels[chosen], undone)
        st.session_state.pop(RESULTS, None)  # the last import's results no longer describe the data
        st.rerun()


HISTORY_WORDS = {
    "import_id": "Import",
    "imported_at": "Imported (UTC)",
    "file_name": "File",
    "table": "Data",
    "source_format": "Read as",
    "rows": "Rows",
    "status": "Status",
    "sha256": "SHA-256",
}
# 64 hex digits set the grid wider than the page at 1280 px (a sideways scroll to reach the
# column): shown in a narrow column, whole in the cell's tooltip, copy and the CSV download
_SHA_COLUMN = st.column_config.TextColumn(
    width="small", help="The file's content fingerprint: the same bytes imported again are recognised by it"
)
FRESHNESS_WORDS = {
    "table": "Data",
    "rows": "Rows",
    "latest": "Newest record (UTC)",
    "last_import": "Last import (UTC)",
}


def _counts_and_times(rows: str, *times: str) -> dict:
    """Counts with thousands separators (11,429) and times to the minute (2026-10-31 23:59)."""
    config = {rows: st.column_config.NumberColumn(format="localized")}
    return config | {t: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm") for t in times}


def history_in_words(history: pd.DataFrame) -> pd.DataFrame:
    """The import log as a person reads it: column headers and table names in words, the import's
    id cut to the 8 characters the command line's `undo` takes."""
    shown = history.copy()
    shown["import_id"] = shown["import_id"].astype(str).str[:8]
    shown["table"] = shown["table"].map(table_label, na_action="ignore")
    # "Jira export", "deployments template", not the importer's `jira`, `canonical:deployments`
    shown["source_format"] = shown["source_format"].map(_read_as, na_action="ignore")
    return shown.rename(columns=HISTORY_WORDS)


def _read_as(source_format: str) -> str:
    return "demo organisation" if source_format == "demo" else format_words(source_format)


def freshness_in_words(fresh: pd.DataFrame) -> pd.DataFrame:
    """Data freshness with its headers and table names in words."""
    shown = fresh.copy()
    shown["table"] = shown["table"].map(table_label, na_action="ignore")
    for column in ("latest", "last_import"):  # a column of empty tables' None is text to the grid
        shown[column] = pd.to_datetime(shown[column])
    return shown.rename(columns=FRESHNESS_WORDS)


def undone_words(label: str, undone) -> str:
    """`Undone: teams.csv → teams (2 rows, …): 2 rows deleted, 2 rows it had replaced restored.`"""
    restored = (
        f", {undone.restored:,} row{'s' * (undone.restored != 1)} it had replaced restored"
        if undone.restored
        else ""
    )
    return f"Undone: {label}: {undone.deleted:,} row{'s' * (undone.deleted != 1)} deleted{restored}."


def _import_label(row) -> str:
    """`teams.csv → teams (12 rows, 2026-10-31 09:00)`, `prs.json → pull requests (1 row, …)`:
    the table in words, whatever the log row holds."""
    when = "time unknown" if pd.isna(row.imported_at) else f"{row.imported_at:%Y-%m-%d %H:%M}"
    tables = ", ".join(table_words(t.strip()) for t in str(row.table or "-").split(","))
    return (
        f"{printable(row.file_name or '(no name)', 80)} → {printable(tables, 60)} "
        f"({count_of(int(row.rows or 0), 'row')}, {when})"
    )


def freshness_section() -> None:
    st.subheader("Data freshness")
    fresh = data.frame("lib.ingest.import_log.freshness")
    config = _counts_and_times(
        FRESHNESS_WORDS["rows"], FRESHNESS_WORDS["latest"], FRESHNESS_WORDS["last_import"]
    )
    layout.table(freshness_in_words(fresh), hide_index=True, width="stretch", column_config=config,
                 height=38 + 35 * len(fresh))  # every table at once: no scrolling inside the page  # fmt: skip
    implausible_section()


def implausible_section() -> None:
    """Stored dates outside the plausible range: kept out of every default period, listed
    here with the imports that wrote them, so they can be undone."""
    from lib.scope import plausible_dates

    found = data.view("lib.scope.implausible_dates")
    if not found:
        return
    rows = sum(item["rows"] for item in found)
    low, high = plausible_dates()
    st.warning(
        f"{rows:,} stored date{'s' * (rows != 1)} lie outside {low:%d %b %Y} – {high:%d %b %Y}, written before "
        "imports refused such dates (a typo, or a placeholder such as 9999-12-31). The default period leaves "
        "them out; undo the import that wrote them, then import the corrected file.",
        icon=":material/event_busy:",
    )
    table = pd.DataFrame(
        [
            {
                "Table": item["table"],
                "Column": item["column"],
                "Rows": item["rows"],
                "Earliest": item["earliest"],
                "Latest": item["latest"],
                "Imports": ", ".join(i[:8] for i in item["imports"] if i),
            }
            for item in found
        ]
    )
    layout.table(table, hide_index=True, width="stretch")
