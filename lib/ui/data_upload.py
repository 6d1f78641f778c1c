"""The Data page's upload step: the files chosen with what was detected in each, the import
with progress, its results, and the column mapping of files no format recognised.

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
from lib.formatting import count_of
from lib.ingest.detect import closest_table, shown_headers
from lib.ingest.words import format_words
from lib.privacy import markdown_text
from lib.tables import TABLES, table_words
from lib.ui import data, layout
from lib.ui.data_page import may_change

SURVEY_SIZE_LIMIT = 20 * 2**20
RESULTS = "pillars_import_results"
_UNRECOGNISED = "pillars_unrecognised"
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
        on_change=lambda: st.session_state.pop(RESULTS, None),
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
        rows, unrecognised = [], []
        batch = batch_memory(st.session_state, st.session_state.get(_UPLOADER, 0))
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
                    mark = upload_mark(upload)
                    # imported by this batch's first click, whose run a second click stopped
                    if mark in batch:
                        rows.append(batch[mark])
                        if batch[mark]["_unrecognised"]:
                            unrecognised.append((upload.name, upload.getvalue()))
                        continue
                    path = Path(folder) / f"{done}" / Path(upload.name).name  # two files may share a name
                    path.parent.mkdir()
                    path.write_bytes(upload.getvalue())
                    result = import_file(con, path, chosen, name=upload.name)
                    rows.append(batch.setdefault(mark, _result_row(result)))  # at once: see batch_memory
                    if _unrecognised(result):
                        unrecognised.append((upload.name, upload.getvalue()))
                    if result.ok and not result.already and choice.jira_marks:
                        save_jira_rules(con, choice.jira_marks)  # shown pre-filled for later Jira files
        except store.Busy as busy:
            progress.empty()
            st.error(f"Nothing was imported: {busy}", icon=":material/lock_clock:")
            return
        progress.progress(1.0, text="Done")
        st.session_state[RESULTS] = rows
        st.session_state[_UNRECOGNISED] = unrecognised
        st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1
        import_options.forget_inspections()
        _after_change()
        st.rerun()
    _show_results()


_BATCH = "pillars_import_batch"


def batch_memory(state, round_: int) -> dict:
    """The results of the files imported by the uploader's current round, by `upload_mark`,
    kept in the session (`state`) as each file's import ends.

    Import pressed twice quickly: the second click stops the first click's run between two
    files, after the first file's import had committed, and runs the page again with the
    same files staged. It used to import them again and show only "already imported …
    nothing changed", hiding what the first click loaded (a new user's review: 45 rows, 5
    new, 2 updated, never shown). Now a file this round already imported shows that
    import's result instead. A new round (the uploader empties after every import) starts
    an empty memory."""
    memory = state.get(_BATCH)
    if not memory or memory.get("round") != round_:
        memory = {"round": round_, "rows": {}}
        state[_BATCH] = memory
    return memory["rows"]


def upload_mark(upload) -> tuple[str, str]:
    """An uploaded file by name and content (SHA-256 of its bytes)."""
    return upload.name, hashlib.sha256(upload.getvalue()).hexdigest()


def _distinct(files: list) -> list:
    """The uploads with a file chosen twice (same name, same bytes) kept once, saying so."""
    seen: set[tuple[str, str]] = set()
    out = []
    for upload in files:
        mark = upload_mark(upload)
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
        "_unrecognised": _unrecognised(result),
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
    rows = st.session_state.get(RESULTS)
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
                format_func=lambda t: table_words(t).capitalize(),  # "Work items", not `work_items` (review)
            )
            if closest and closest[1]:
                st.caption(
                    f"Required for {table_words(closest[0])} and not found by name: "
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
                st.session_state[RESULTS] = [_result_row(result)]
                st.session_state[_UNRECOGNISED] = [p for p in pending if p[0] != name]
                _after_change()
                st.rerun()
