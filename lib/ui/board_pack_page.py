"""The Board pack page: choose charts by pillar, put them in order, build a PowerPoint deck and
its PDF with the sidebar's filters, and download them.

The choice is kept per person beside the database (`lib.boardpack.choices`), so next quarter
opens on the charts and order chosen this quarter; named packs can be saved and reloaded.
The deck is computed on this session's cursor, so a signed-in person's deck holds only
their org units (lib/access.py). Thumbnails are the charts' slide pictures drawn by the
browser as static plots (`lib.boardpack.thumbnails`), only for the open pillar's tab (bound
to `?pillar=`), cached by data version, scope and filters; the cards' names and switches are
drawn first, so a chart can be chosen before its thumbnail arrives. The deck is built when
asked, with a progress bar, and kept in the session for the download buttons (a download
reruns the page).
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from lib import boardpack
from lib.boardpack import THUMBNAIL_PX, choices
from lib.boardpack.content import default_organisation
from lib.boardpack.render import ChromiumMissing, RenderError
from lib.charts import registry, source_words
from lib.formatting import sentence
from lib.scope import Scope, file_stem
from lib.ui import data, filters, layout

FILES = "boardpack-files"
DEFAULT_PACK = "The Overview's headline set (default)"
THUMBNAIL_CONFIG = {"staticPlot": True, "displayModeBar": False}  # a picture: no hover, zoom or camera
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _who() -> str:
    return data.grant().who


def _selection() -> list[str]:
    try:
        return choices.selection(data.db_path(), _who())
    except ValueError as damaged:  # a choices file someone edited by hand: say which, change nothing
        st.error(sentence(str(damaged)), icon=":material/error:")
        st.stop()


def _set(ids: list[str]) -> None:
    choices.set_selection(data.db_path(), _who(), ids)


def _move(chart_id: str, step: int) -> None:
    _set(choices.moved(_selection(), chart_id, step))


def _remove(chart_id: str) -> None:
    _set([i for i in _selection() if i != chart_id])


def _toggle(chart_id: str) -> None:
    ids = _selection()
    if st.session_state.get(f"pick-{chart_id}"):
        ids = [*ids, chart_id] if chart_id not in ids else ids
    else:
        ids = [i for i in ids if i != chart_id]
    _set(ids)


def header(scope: Scope) -> None:
    layout.page_header(
        "Board pack",
        f"{filters.period_text(scope)} · {filters.filter_text()} · choose charts, put them in order, and "
        "download a PowerPoint deck and its PDF: one chart per slide, its takeaway as the title, its "
        "definition in the notes. The sidebar's filters apply.",
    )


def deck_section(scope: Scope) -> list[str]:
    """The chosen charts in slide order, with controls to reorder, reuse and build."""
    ids = _selection()
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(f"Your deck: {len(ids)} chart{'s' if len(ids) != 1 else ''}")
        st.caption(
            "Slide 1 is the title slide; the closing slides list every definition and each table's freshness."
        )
        if not ids:
            st.info(
                "No chart chosen: pick charts below, or start from a saved pack.", icon=":material/add_chart:"
            )
        for n, chart_id in enumerate(ids, start=2):
            chart = registry.get(chart_id)
            with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
                st.markdown(f"**{n}.** {chart.name} · :gray[{chart.pillar_name}]", width="stretch")
                st.button("", icon=":material/arrow_upward:", key=f"up-{chart_id}", help="Earlier",
                          on_click=_move, args=(chart_id, -1), disabled=n == 2, type="tertiary")  # fmt: skip
                st.button("", icon=":material/arrow_downward:", key=f"down-{chart_id}", help="Later",
                          on_click=_move, args=(chart_id, 1), disabled=n == len(ids) + 1, type="tertiary")  # fmt: skip
                st.button("", icon=":material/close:", key=f"remove-{chart_id}", help="Remove from the deck",
                          on_click=_remove, args=(chart_id,), type="tertiary")  # fmt: skip
    with right:
        _reuse(ids)
        build_controls(scope, ids)
    return ids


def _reuse(ids: list[str]) -> None:
    path, who = data.db_path(), _who()
    saved = choices.packs(path, who)
    with st.container(border=True):
        st.markdown("**Reuse a pack**")
        start = st.selectbox("Start from", [DEFAULT_PACK, *saved], key="pack-start")
        if st.button("Use this pack", key="pack-use", icon=":material/playlist_add_check:"):
            _set(list(registry.default_ids()) if start == DEFAULT_PACK else saved[start])
            st.rerun()
        name = st.text_input("Save the current choice as", placeholder="e.g. Q3 board", key="pack-name")
        if st.button("Save pack", key="pack-save", icon=":material/save:", disabled=not ids):
            try:
                kept = choices.save_pack(path, who, name, ids)
            except ValueError as bad:
                st.error(sentence(str(bad)))
            else:  # saving under a pack's name replaces it: say so, never silently
                verb = "Replaced" if kept in saved else "Saved"
                st.toast(f"{verb} '{kept}': {len(ids)} charts.")
                st.rerun()
        st.text_input(
            "Organisation on the title slide",
            value=choices.organisation(path) or default_organisation(data.is_demo()),
            key="pack-organisation",
            on_change=lambda: choices.set_organisation(path, st.session_state["pack-organisation"]),
        )


def _file_name(scope: Scope, ext: str) -> str:
    """'board-pack-2025-09-01-to-2025-11-25-payments.pdf': the period and the teams it covers."""
    return f"{file_stem('board pack', scope)}.{ext}"


def build_controls(scope: Scope, ids: list[str]) -> None:
    signature = (tuple(ids), scope, filters.filter_text(), data.data_version())
    if st.button(
        "Build the deck", type="primary", icon=":material/slideshow:", disabled=not ids, key="build"
    ):
        bar = st.progress(0.0, text="Starting…")
        try:
            deck = boardpack.build(
                data.cursor(),
                scope,
                ids,
                filters.filter_text(),
                progress=lambda done, what: bar.progress(min(done, 1.0), text=what),
                organisation=choices.organisation(data.db_path()),
            )
            bar.progress(0.96, text="Writing the PowerPoint deck")
            pptx = deck.pptx()
            bar.progress(0.98, text="Writing the PDF")
            pdf = deck.pdf()
        except (boardpack.NoDataInPeriod, ChromiumMissing, RenderError) as refused:
            bar.empty()
            st.error(sentence(str(refused)), icon=":material/error:")
            return
        bar.progress(1.0, text=f"{len(deck.slides)} slides ready")
        gaps = [c.chart.name for c in deck.content.charts if c.missing]
        st.session_state[FILES] = {"signature": signature, "pptx": pptx, "pdf": pdf,
                                   "slides": len(deck.slides), "gaps": gaps}  # fmt: skip
    files = st.session_state.get(FILES)
    if not files or files["signature"] != signature:
        return
    st.success(f"{files['slides']} slides: the title, {len(ids)} charts and the definitions.",
               icon=":material/task_alt:")  # fmt: skip
    if files["gaps"]:
        gaps = files["gaps"]
        says = "its slide says" if len(gaps) == 1 else "their slides say"
        layout.missing(f"No data for {', '.join(gaps)}: {says} what is missing.")
    with st.container(horizontal=True):
        layout.file_download("PowerPoint (.pptx)", files["pptx"], _file_name(scope, "pptx"), PPTX_MIME,
                           icon=":material/download:", on_click="ignore", key="download-pptx")  # fmt: skip
        layout.file_download("PDF", files["pdf"], _file_name(scope, "pdf"), "application/pdf",
                           icon=":material/download:", on_click="ignore", key="download-pdf")  # fmt: skip


def picker(scope: Scope, ids: list[str]) -> None:
    """Every registered chart by pillar: a thumbnail and a switch to put it in the deck."""
    st.subheader("Charts by pillar")
    pillars = [p for p in registry.PILLARS if registry.charts(p)]
    tabs = st.tabs(
        [registry.PILLARS[p] for p in pillars], key="pillar", on_change="rerun", bind="query-params"
    )
    for tab, pillar in zip(tabs, pillars, strict=True):
        if not tab.open:
            continue
        with tab:
            charts = registry.charts(pillar)
            status = st.empty()  # the spinner, above the cards
            slots = {}
            columns = st.columns(3)
            for i, chart in enumerate(charts):
                st.session_state[f"pick-{chart.id}"] = chart.id in ids
                with columns[i % 3], st.container(border=True):
                    slots[chart.id] = st.empty()  # the thumbnail, once drawn: names and switches first
                    st.toggle(chart.name, key=f"pick-{chart.id}", on_change=_toggle, args=(chart.id,))
                    if chart.sources:  # words, not the chart's id (the command line's `--charts` takes ids)
                        st.caption(f"From {source_words(', '.join(chart.sources))}")
            with status, st.spinner(f"Drawing {len(charts)} thumbnails with the sidebar's filters…"):
                thumbs = data.view("lib.boardpack.thumbnails", tuple(slots), scope, filters.filter_text())
            for chart_id, slot in slots.items():
                thumb = thumbs[chart_id]
                if isinstance(thumb, dict):
                    # a Figure, not the dict: Plotly refuses a dict without traces (tiles with no sparkline)
                    slot.plotly_chart(go.Figure(thumb), theme=None, config=THUMBNAIL_CONFIG, key=f"thumb-{chart_id}",
                                      width="stretch", height=THUMBNAIL_PX[1])  # fmt: skip
                else:  # the sentence saying what is missing, without "No data: No …"
                    slot.caption(thumb if thumb.startswith(("No ", "Not ")) else f"No data: {thumb}")
