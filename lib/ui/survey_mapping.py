"""The Data page's question-to-dimension step for survey exports.

`mapping_step(path, name)` inspects an uploaded wide survey file; when it holds rating
questions the question bank doesn't know and no saved mapping names, it shows one
choice per question (a dimension, a new dimension, or skip) and saves the answers in
`column_mappings`, so the next wave imports without asking. Returns True when nothing
is left to map (the import can go ahead), False while questions wait for an answer.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib import store, survey_mappings
from lib.ingest.formats import survey_wide
from lib.ingest.read import read_source
from lib.question_bank import dimension_label
from lib.ui import data

NEW = "New dimension…"


def unmapped_questions(path: str | Path, name: str | None = None) -> list[str]:
    source = read_source(path, name)
    if survey_wide.SurveyWide().score(source) == 0:
        return []
    layout = survey_wide.inspect(data.cursor(), source)
    return list(layout.unmapped.values())


def mapping_step(path: str | Path, name: str | None = None, key: str = "survey-map") -> bool:
    questions = unmapped_questions(path, name)
    if not questions:
        return True
    con = data.cursor()
    choices = survey_mappings.dimension_choices(con)
    options = [*choices, NEW, survey_mappings.SKIP]
    st.info(
        f"{len(questions)} question(s) in **{name or Path(path).name}** are not in the question bank. "
        "Choose the dimension each measures (or skip it). The choice is saved and reused for the next wave.",
        icon=":material/rule:",
    )
    with st.form(key):
        picked = {}
        for i, question in enumerate(questions):
            picked[question] = st.selectbox(
                question,
                options,
                index=None,
                key=f"{key}-{i}",
                format_func=lambda d: d if d in (NEW, survey_mappings.SKIP) else dimension_label(d),
                placeholder="Choose a dimension",
            )
            if picked[question] == NEW:
                picked[question] = st.text_input("Name of the new dimension", key=f"{key}-{i}-new") or None
        if st.form_submit_button("Save mappings"):
            missing = [q for q, d in picked.items() if not d]
            if missing:
                st.warning(f"Choose a dimension for {len(missing)} more question(s).")
                return False
            try:
                with data.writing("saving survey question mappings") as w:
                    for question, dimension in picked.items():
                        survey_mappings.save(w, question, dimension)
            except store.Busy as busy:
                st.error(str(busy), icon=":material/lock_clock:")
                return False
            st.success("Saved. The file can be imported now.")
            return True
    return False
