"""The Data page's survey step: what each uploaded survey export will import, before the import.

`mapping_step(path, name)` reads an uploaded file as the import would (`lib.survey_preview`,
nothing written). For a survey export it shows, in one box per file:
- the tool and the number of responses (previews and tests left out are counted);
- every question it imports, with its dimension and the scale its answers were decided on
  and how (a VP checks here that a "Somewhat agree" survey is read as 5 points, not 7);
- the warnings the import will give: columns not imported and why, scales taken from the
  file's other questions, repeated questions;
- a choice per question that waits for the person: a dimension (or eNPS, or skip) for a
  question the bank does not know, a scale for a question whose answers cannot show it.
  The answers are saved in `column_mappings` and reused for the next wave.
Returns True when nothing is left to choose (the import can go ahead), False otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from lib import store, survey_mappings, survey_scale
from lib.ingest.read import discard_copy, read_source
from lib.question_bank import dimension_label
from lib.survey_preview import SurveyPreview, preview, scale_words
from lib.ui import data, import_options, layout

NEW = "New dimension…"


def survey_preview(path: str | Path, name: str | None = None) -> SurveyPreview | None:
    """The survey plan of an uploaded file, or None when it is not a survey export."""
    try:
        source = read_source(path, name)
    except (ValueError, OSError):
        return None
    try:
        return preview(data.cursor(), source)
    finally:
        discard_copy(source, path)


def unmapped_questions(path: str | Path, name: str | None = None) -> list[str]:
    found = survey_preview(path, name)
    return [q for q, _ in found.unmapped] if found else []


def _count(n: int, noun: str) -> str:
    """'1 response', '15 responses'."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _summary(plan: SurveyPreview) -> None:
    excluded = f", {_count(plan.excluded, 'preview or test response')} left out" if plan.excluded else ""
    st.markdown(f"**{plan.file_name}** · {plan.tool} export · {_count(plan.responses, 'response')}{excluded}")
    if plan.questions:
        rows = [
            {
                "Question": q.text,
                "Dimension": q.dimension + (" (reverse-scored)" if q.reverse else ""),
                "Scale": q.scale or "no answers",
                "Decided from": q.how,
            }
            for q in plan.questions
        ]
        layout.table(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            # the dimension whole at 1280 px ("Psychologic…" beside a 400 px question: a review);
            # a long question is cut, whole on hover
            column_config={
                "Question": st.column_config.TextColumn(width="medium"),
                "Dimension": st.column_config.TextColumn(width="medium"),
                "Decided from": st.column_config.TextColumn(width="medium"),
            },
        )
    if plan.warnings:
        listed = "\n".join(f"- {w.describe()}" for w in plan.warnings)
        st.warning(f"The import will note:\n\n{listed}", icon=":material/info:")


def _dimension_choices(key: str, plan: SurveyPreview, choices: list[str]) -> dict[str, str | None]:
    options = [*choices, NEW, survey_mappings.SKIP]
    picked: dict[str, str | None] = {}
    for i, (question, why) in enumerate(plan.unmapped):
        picked[question] = st.selectbox(
            question,
            options,
            index=None,
            key=f"{key}-q{i}",
            format_func=lambda d: d if d in (NEW, survey_mappings.SKIP) else dimension_label(d),
            placeholder="Choose a dimension",
        )
        st.caption(f"Why it waits: {why}.")
        if picked[question] == NEW:
            picked[question] = st.text_input("Name of the new dimension", key=f"{key}-q{i}-new") or None
    return picked


def _scale_choices(key: str, plan: SurveyPreview) -> dict[str, str | None]:
    picked: dict[str, str | None] = {}
    for i, (question, why, keys) in enumerate(plan.undecided):
        picked[question] = st.selectbox(
            f"Scale of: {question}",
            list(keys),
            index=None,
            key=f"{key}-s{i}",
            format_func=lambda k: scale_words(survey_scale.BY_KEY[k]),
            placeholder="Choose the scale",
        )
        st.caption(f"Why it waits: {why}.")
    return picked


def mapping_step(path: str | Path, name: str | None = None, key: str = "survey-map") -> bool:
    plan = survey_preview(path, name)
    if plan is None:
        return True
    with st.container(border=True, key=f"{key}-box"):
        _summary(plan)
        if plan.ready:
            return True
        waiting = len(plan.unmapped) + len(plan.undecided)
        st.info(
            f"{_count(waiting, 'question')} {'needs' if waiting == 1 else 'need'} your choice before this "
            "survey can be imported. The choice is saved and reused for the next wave.",
            icon=":material/rule:",
        )
        dimensions = _dimension_choices(key, plan, survey_mappings.dimension_choices(data.cursor()))
        scales = _scale_choices(key, plan)
        if not st.button("Save choices", key=f"{key}-save", icon=":material/save:"):
            return False
        missing = [q for q, d in {**dimensions, **scales}.items() if not d]
        if missing:
            st.warning(
                f"Make a choice for {len(missing)} more {'question' if len(missing) == 1 else 'questions'}."
            )
            return False
        try:
            with data.writing("saving survey question choices") as w:
                for question, dimension in dimensions.items():
                    survey_mappings.save(w, question, dimension)
                for question, scale in scales.items():
                    survey_mappings.save_scale(w, question, scale)
        except store.Busy as busy:
            st.error(str(busy), icon=":material/lock_clock:")
            return False
        import_options.forget_inspections()  # the files' boxes read them again with the choices saved
        st.rerun()
    return False
