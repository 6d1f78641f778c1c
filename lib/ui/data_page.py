"""The Data page's sections: upload with progress, results, mapping, history, freshness, templates.

Uploaded bytes are written to a private temporary folder under their own file name,
then handed to the same `import_file` the CLI uses, so the page and
`python -m lib import` accept and refuse exactly the same files.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import db, store
from lib.charts import table_label
from lib.formatting import count_of
from lib.ingest.detect import closest_table, shown_headers
from lib.ingest.words import format_words
from lib.privacy import markdown_text, printable
from lib.tables import TABLES, table_words
from lib.ui import data, layout

SURVEY_SIZE_LIMIT = 20 * 2**20
_RESULTS = "pillars_import_results"
_UNRECOGNISED = "pillars_unrecognised"
_UNDONE = "pillars_undone"
_UPLOADER = "pillars_uploader_round"  # the uploader's key changes after every import: it empties

TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Lisbon",
    "Europe/Warsaw",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)


def _after_change() -> None:
    data.clear_caches()


def may_change() -> bool:
    """Uploads, undo, mappings and clearing the demo are for people who see every org unit."""
    return data.grant().everything


def demo_controls() -> None:
    if not data.is_demo() or not may_change():
        return
    with st.container(border=True):
        st.markdown(
            "**The demo organisation is loaded.** Its numbers are generated. Clear it before "
            "loading your own exports, so the two never mix."
        )
        # a second, deliberate click: clearing cannot be undone from the page
        confirm = st.popover("Clear demo data", type="primary", icon=":material/delete_sweep:")
        confirm.markdown(
            "This deletes every demo row (teams, deployments, surveys, people, finance). It cannot be "
            "undone from this page."
        )
        if confirm.button("Yes, clear the demo data", type="primary", key="clear_demo"):
            from lib.demo import clear_demo

            try:
                with data.writing("clearing the demo data") as con:
                    clear_demo(con)
            except store.Busy as busy:
                st.error(str(busy), icon=":material/lock_clock:")
                return
            st.toast("Demo data cleared.")
            st.rerun()


def upload_section() -> None:
    from lib.ingest.load import import_file, options_for, save_jira_rules
    from lib.ui import import_options

    st.subheader("Upload")
    if not may_change():
        st.info(
            f"You see {data.grant().describe()}. Uploading and undoing imports is for people who may see "
            "every org unit: ask whoever runs Pillars.",
            icon=":material/lock:",
        )
        return
    con = data.cursor()
    default_tz = db.get_setting(con, "default_tz") or "UTC"
    # A new key after every import empties the uploader: pressing Import again never
    # re-imports files already imported, with whatever is chosen by then (issue 18).
    files = st.file_uploader(
        "CSV, JSON or Excel exports (canonical templates, Jira, Linear, GitHub, PagerDuty, Opsgenie, surveys, "
        "HRIS…)",
        type=["csv", "tsv", "txt", "json", "ndjson", "jsonl", "xlsx", "xlsm", "xls", "ods"],
        accept_multiple_files=True,
        key=f"uploads-{st.session_state.get(_UPLOADER, 0)}",
        # a new file staged: the last import's result no longer sits above it (the second review)
        on_change=lambda: st.session_state.pop(_RESULTS, None),
    )
    files = _distinct(files or [])
    waiting = _survey_questions_to_map(files)
    if waiting:
        st.caption(
            f"{count_of(waiting, 'survey file')} {'has' if waiting == 1 else 'have'} questions to map above; "
            f"{'it is' if waiting == 1 else 'they are'} refused until mapped."
        )
    choices = []
    if files:
        st.caption(
            "Before the import: what was detected in each file. Change anything; a choice applies to "
            "that file only."
        )
        choices = [import_options.file_box(con, f, i, default_tz, TIME_ZONES) for i, f in enumerate(files)]
    if st.button("Import", type="primary", disabled=not files, icon=":material/upload:"):
        results = []
        progress = st.progress(0.0, text="Importing…")
        try:
            with (
                tempfile.TemporaryDirectory(prefix="pillars-upload-") as folder,
                data.writing(f"importing {count_of(len(files), 'uploaded file')}") as con,
            ):
                # Every file's options first: one file's choices never reach another's import.
                options = [
                    import_options.options_of(options_for(con, tz=c.time_zone, date_order=c.date_order), c)
                    for c in choices
                ]
                for done, (upload, choice, chosen) in enumerate(
                    zip(files, choices, options, strict=True), start=1
                ):
                    progress.progress(
                        (done - 1) / len(files), text=f"Importing {upload.name} ({done}/{len(files)})"
                    )
                    path = Path(folder) / f"{done}" / Path(upload.name).name  # two files may share a name
                    path.parent.mkdir()
                    path.write_bytes(upload.getvalue())
                    result = import_file(con, path, chosen, name=upload.name)
                    results.append(result)
                    if result.ok and not result.already and choice.jira_marks:
                        save_jira_rules(con, choice.jira_marks)  # shown pre-filled for later Jira files
        except store.Busy as busy:
            progress.empty()
            st.error(f"Nothing was imported: {busy}", icon=":material/lock_clock:")
            return
        progress.progress(1.0, text="Done")
        st.session_state[_RESULTS] = [_result_row(r) for r in results]
        st.session_state[_UNRECOGNISED] = [
            (r.file_name, f.getvalue()) for r, f in zip(results, files, strict=True) if _unrecognised(r)
        ]
        st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1
        import_options.forget_inspections()
        _after_change()
        st.rerun()
    _show_results()


def _distinct(files: list) -> list:
    """The uploads with a file chosen twice (same name, same bytes) kept once, saying so."""
    seen: set[tuple[str, bytes]] = set()
    out = []
    for upload in files:
        mark = (upload.name, hashlib.sha256(upload.getvalue()).digest())
        if mark in seen:
            st.info(f"{upload.name} is chosen twice: it is imported once.", icon=":material/content_copy:")
            continue
        seen.add(mark)
        out.append(upload)
    return out


def _survey_questions_to_map(files) -> int:
    """Show the question-to-dimension step for survey exports with unknown questions."""
    from lib.ui.survey_mapping import mapping_step

    waiting = 0
    with tempfile.TemporaryDirectory(prefix="pillars-survey-") as folder:
        for i, upload in enumerate(files):
            if upload.size > SURVEY_SIZE_LIMIT:
                continue  # survey exports are small; don't re-read big files on every rerun
            path = Path(folder) / f"{i}" / Path(upload.name).name  # two files may share a name
            path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            if not mapping_step(path, upload.name, key=f"survey-map-{i}-{upload.name}"):
                waiting += 1
    return waiting


def _unrecognised(result) -> bool:
    return not result.ok and result.unrecognised


def _result_row(result) -> dict:
    total = result.total
    return {
        "File": result.file_name,
        "Status": result.status,
        "Format": format_words(result.source_format) if result.source_format else "",
        "Tables": ", ".join(result.tables) if getattr(result, "tables", None) else "",
        "Rows": result.rows if result.ok else 0,
        "New": total.new,
        "Updated": total.updated,
        "Unchanged": total.unchanged,
        "Warnings": len(result.warnings),
        "Message": result.summary(),
        "_warnings": [w.describe() for w in result.warnings],
        "_problems": other_problems(result),
    }


SHOWN_PROBLEMS = 10  # a refusal lists this many of the file's other problems, so one upload fixes more


def other_problems(result) -> list[str]:
    """The problems of a refused file after the first (its message names that one), each as
    `row 5, column status: 'succes' is not …`, then `… and 12 more` when there are more."""
    if result.ok or len(result.problems) < 2:
        return []
    rest = [p.describe() for p in result.problems[1 : SHOWN_PROBLEMS + 1]]
    more = max(result.problem_count, len(result.problems)) - 1 - len(rest)
    return rest + ([f"… and {count_of(more, 'more problem')}"] if more > 0 else [])


def results_headline(rows: list[dict]) -> str | None:
    """`2 files loaded: 24 rows (8 new, 4 updated, 12 unchanged).`, or None when none loaded."""
    loaded = [r for r in rows if r["Status"] == "loaded"]
    if not loaded:
        return None
    parts = [
        f"{sum(r[k] for r in loaded):,} {k.lower()}"
        for k in ("New", "Updated", "Unchanged")
        if sum(r[k] for r in loaded)
    ]
    rows_total = sum(r["Rows"] for r in loaded)
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{count_of(len(loaded), 'file')} loaded: {count_of(rows_total, 'row')}{detail}."


def _show_results() -> None:
    rows = st.session_state.get(_RESULTS)
    if not rows:
        return
    headline = results_headline(rows)
    if headline:
        st.success(headline, icon=":material/check:")
    for row in rows:
        if row["Status"] == "rejected":
            others = row.get("_problems") or []
            listed = "".join(f"\n- {markdown_text(text)}" for text in others)
            also = f"\n\nAlso in this file:{listed}" if others else ""
            st.error(markdown_text(row["Message"]) + also, icon=":material/error:")
        elif row["Status"] == "already imported":
            st.info(markdown_text(row["Message"].removeprefix("skipped ")), icon=":material/content_copy:")
        elif row.get("_warnings"):
            # What the importer interpreted in this file (SPEC §4), beside its result.
            listed = "\n".join(f"- {markdown_text(text)}" for text in row["_warnings"])
            st.warning(
                f"**{markdown_text(row['File'], 120)}** loaded with {count_of(len(row['_warnings']), 'warning')}:\n\n{listed}"
            )
    if any(r["Status"] == "rejected" for r in rows):
        st.caption("Nothing was written from a rejected file. Fix it and upload it again.")
    table = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
    layout.table(table, hide_index=True, width="stretch")


def mapping_section() -> None:
    """The column-mapping step for files whose headers no known format recognises."""
    pending = st.session_state.get(_UNRECOGNISED) or []
    if not pending or not may_change():
        return
    from lib.ingest.formats.mapped import save_mapping, suggest_mapping
    from lib.ingest.load import import_file, options_for
    from lib.ingest.read import read_source

    st.subheader("Map the columns of unrecognised files")
    st.caption(
        "Say which canonical column each header holds. The mapping is saved and reused for the next file."
    )
    for name, content in pending:
        with st.container(border=True), tempfile.TemporaryDirectory(prefix="pillars-map-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            source = read_source(path, name=name)
            st.markdown(
                f"**{markdown_text(name, 120)}** · headers: {markdown_text(shown_headers(source.headers))}"
            )
            closest = closest_table(source)  # the table the refusal named: the step opens on it
            tables = list(TABLES)
            table = st.selectbox(
                "Canonical table",
                tables,
                index=tables.index(closest[0]) if closest else 0,
                key=f"map-table-{name}",
            )
            if closest and closest[1]:
                st.caption(
                    f"Required for {closest[0].replace('_', ' ')} and not found by name: "
                    f"{', '.join(closest[1])}. Pick the header that holds each."
                )
            choices = ["(not in file)", *source.headers]
            # Headers that name a column already (`Deploy ID` → deploy_id) are filled in.
            suggested = {
                column: header for header, column in suggest_mapping(source, table).items() if column
            }
            mapping = {}
            columns = st.columns(3)
            for i, column in enumerate(TABLES[table].columns):
                label = f"{column.name}{' *' if column.required else ''}"
                picked = columns[i % 3].selectbox(
                    label,
                    choices,
                    index=choices.index(suggested[column.name]) if column.name in suggested else 0,
                    key=f"map-{name}-{table}-{column.name}",
                )
                if picked != "(not in file)":
                    mapping[picked] = column.name
            if st.button("Save mapping and import", key=f"map-go-{name}"):
                try:
                    with data.writing(f"saving a column mapping and importing {name}") as con:
                        save_mapping(con, source, table, mapping)
                        result = import_file(con, path, options_for(con), name=name)
                except ValueError as problem:
                    st.error(markdown_text(problem))
                    continue
                except store.Busy as busy:
                    st.error(str(busy), icon=":material/lock_clock:")
                    continue
                st.session_state[_RESULTS] = [_result_row(result)]
                st.session_state[_UNRECOGNISED] = [p for p in pending if p[0] != name]
                _after_change()
                st.rerun()


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
        column_config=_counts_and_times(HISTORY_WORDS["rows"], HISTORY_WORDS["imported_at"]),
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
        st.session_state.pop(_RESULTS, None)  # the last import's results no longer describe the data
        st.rerun()


HISTORY_WORDS = {
    "import_id": "Import",
    "imported_at": "Imported (UTC)",
    "file_name": "File",
    "table": "Data",
    "source_format": "Read as",
    "rows": "Rows",
    "status": "Status",
    "sha256": "Content fingerprint (SHA-256)",
}
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


def templates_section() -> None:
    from lib.templates import template_frame

    st.subheader("Templates")
    st.caption(
        "One CSV per canonical table (hover a button for its file name): the header and an example row. "
        "Extra columns are ignored on import."
    )
    columns = st.columns(3)  # "Work item status changes" was cut at a quarter of 1280 px
    for i, name in enumerate(TABLES):
        with columns[i % 3]:
            layout.csv_download(
                table_label(name),
                template_frame(name),
                file_name=f"{name}.csv",
                icon=":material/download:",
                key=f"template-{name}",
                help=f"{name}.csv",
                width="stretch",
            )
