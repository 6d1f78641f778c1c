"""What a user defines on the Retention page: the career framework (levels in order, target
shares) and their own rules for classifying leavers. Both are settings in the database,
read by `lib.career_framework` and `lib.ingest.formats._hris_rules`.

Saving takes its turn with the CLI's writers (`lib.ui.data.writing`), which publishes a new
snapshot and clears the cached views.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import store
from lib.career_framework import load_framework, reset_framework, save_framework, validate
from lib.formatting import count_of
from lib.ingest.formats import _hris_rules as rules
from lib.ui import data, layout


def framework_editor() -> None:
    """Levels from lowest to highest, each with an optional target share of the headcount."""
    con = data.cursor()
    framework = load_framework(con)
    with st.container(border=True):
        st.markdown("**Career framework**")
        st.caption(
            ("Saved. " if framework.saved else "Not saved yet: these are the levels in the data. ")
            + "List your levels from lowest to highest, one per row, and, if you plan a shape, the share of "
            "people you aim for at each. Levels the data holds but the framework lacks show in grey."
        )
        table = pd.DataFrame(
            {
                "Level": list(framework.levels),
                "Target share (%)": [
                    round(framework.targets[level] * 100, 1) if level in framework.targets else None
                    for level in framework.levels
                ],
            }
        )
        edited = layout.editor(
            table,
            num_rows="dynamic",
            hide_index=True,
            key="ret-framework-editor",
            column_config={
                "Level": st.column_config.TextColumn(required=True),
                "Target share (%)": st.column_config.NumberColumn(min_value=0.0, max_value=100.0, step=0.5),
            },
        )
        save, reset = st.columns(2)
        if save.button("Save the framework", key="ret-framework-save", type="primary"):
            levels = [str(v) for v in edited["Level"].dropna()]
            targets = {
                str(level): (None if pd.isna(share) else float(share) / 100)
                for level, share in zip(edited["Level"], edited["Target share (%)"], strict=True)
                if not pd.isna(level)
            }
            try:
                checked = validate(levels, targets)
                with data.writing("saving the career framework") as writer:
                    save_framework(writer, checked)
            except ValueError as exc:
                st.error(f"Not saved: {exc}.")
                return
            except (store.Busy, PermissionError) as exc:
                st.error(f"Not saved: {exc}")
                return
            st.success("Saved: the level chart follows this order.")
            st.rerun()
        if framework.saved and reset.button("Use the data's levels again", key="ret-framework-reset"):
            try:
                with data.writing("resetting the career framework") as writer:
                    reset_framework(writer)
            except (store.Busy, PermissionError) as exc:
                st.error(f"Not reset: {exc}")
                return
            st.rerun()


def separation_rules_editor() -> None:
    """The user's own reason → voluntary / involuntary rules, applied at the next import."""
    con = data.cursor()
    saved = con.execute("select value from settings where key = ?", [rules.RULES_SETTING]).fetchone()
    import json

    current = json.loads(saved[0]) if saved and saved[0] else {}
    with st.container(border=True):
        st.markdown("**How leavers are classified as voluntary or involuntary**")
        st.markdown(
            "HRIS reports name a leaver's separation in their own words. Pillars reads the type, then the "
            "reason, then the status: *resignation, retirement, better opportunity, relocation* are voluntary; "
            "*for cause, layoff, redundancy, position eliminated, performance, mutual separation, end of "
            "contract* are involuntary; anything else stays unknown. Add your own words below: they come first, "
            "and apply to the next import (replay an import to apply them to it)."
        )
        table = pd.DataFrame({"Value as written": list(current), "Counts as": list(current.values())})
        edited = layout.editor(
            table,
            num_rows="dynamic",
            hide_index=True,
            key="ret-rules-editor",
            column_config={
                "Counts as": st.column_config.SelectboxColumn(options=[rules.VOLUNTARY, rules.INVOLUNTARY]),
            },
        )
        if st.button("Save the rules", key="ret-rules-save"):
            new = {
                str(k).strip(): v
                for k, v in zip(edited["Value as written"], edited["Counts as"], strict=True)
                if not pd.isna(k) and str(k).strip() and not pd.isna(v)
            }
            try:
                with data.writing("saving the separation rules") as writer:
                    rules.save_termination_rules(writer, new)
            except ValueError as exc:
                st.error(f"Not saved: {exc}.")
                return
            except (store.Busy, PermissionError) as exc:
                st.error(f"Not saved: {exc}")
                return
            st.success(f"Saved {count_of(len(new), 'rule')}: they apply to the next import.")
