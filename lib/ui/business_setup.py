"""The Business alignment page's set-up steps: the target mix, the cost basis, the
capitalisation policy, the epic → initiative mapping and the rate card.

Each choice is saved in the database (lib.views.business_settings) for everyone who uses
it, the CLI and the board pack included; the caches are cleared after a save so every
chart shows it at once. The rate card is saved through the importer (a CSV the page
writes), so it appears in the import history and can be undone like any upload.
"""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import streamlit as st

from lib import store
from lib.formatting import count_of
from lib.ui import data, layout
from lib.views import business_settings as settings
from lib.views.business_policies import POLICIES

NOT_AN_INITIATIVE = "Not an initiative"
MAPPING_ROWS = 200


def target() -> dict[str, float] | None:
    return settings.target_mix(data.cursor())


def policy() -> settings.PolicyChoice:
    return settings.policy_choice(data.cursor())


class _NotSaved(Exception):
    """A save that could not take its turn (another writer, or a person who may not write)."""


def _write(purpose: str, change):
    """`change(con)` on a read-write connection, in its turn with the CLI's writers
    (lib/ui/data.writing); says why on the page and raises _NotSaved when it cannot."""
    try:
        with data.writing(purpose) as con:
            return change(con)
    except (store.Busy, PermissionError) as exc:
        st.error(f"Not saved: {exc}")
        raise _NotSaved from exc


def _saved(message: str) -> None:
    data.clear_caches()
    st.toast(message)
    st.rerun()


def target_form() -> dict[str, float] | None:
    """The VP's target mix by flow type (saved); pre-filled with the current one, else with
    the period's actual mix rounded, so a first target starts from where the teams are."""
    current = target()
    with st.expander("Target mix" + (" (saved)" if current else " (not set: set one to see the distance)")):
        start = current or _actual_mix()
        with st.form("biz-target"):
            st.caption(
                "The share of effort you want on each kind of work. Saved for everyone using this database."
            )
            columns = st.columns(4)
            values = {}
            for column, kind in zip(columns, settings.WORK_TYPES, strict=True):
                values[kind] = column.number_input(
                    f"{kind.capitalize()}s (%)",
                    0.0,
                    100.0,
                    float(round(start[kind] * 100)),
                    1.0,
                    format="%.0f",
                    key=f"biz-target-{kind}",
                )
            save, clear = st.columns([1, 5])
            submitted = save.form_submit_button("Save target", type="primary")
            cleared = clear.form_submit_button("Clear target", disabled=current is None)
        if submitted:
            try:
                mix = {k: v / 100 for k, v in values.items()}
                _write("saving the target mix", lambda con: settings.save_target_mix(con, mix))
            except _NotSaved:
                pass
            except ValueError as exc:
                st.error(f"Not saved: {exc}.")
            else:
                _saved("Target mix saved.")
        if cleared:
            with contextlib.suppress(_NotSaved):
                _write("clearing the target mix", lambda con: settings.save_target_mix(con, None))
                _saved("Target mix cleared.")
    return current


def _actual_mix() -> dict[str, float]:
    scope = st.session_state.get("pillars_scope")
    mix = data.view("lib.views.business.business_summary", scope)["investment_mix"] if scope else {}
    if not mix or any(v is None for v in mix.values()):
        return {"feature": 0.5, "defect": 0.2, "risk": 0.1, "debt": 0.2}
    return mix


def basis_choice(ctx) -> str:
    """R&D spend (shared out) or loaded cost per engineer (rate card); saved when changed."""
    con = data.cursor()
    saved = settings.cost_basis(con)
    labels = {
        "rnd_spend": "R&D spend from the business metrics",
        "loaded_cost": "Loaded cost per engineer (rate card)",
    }
    chosen = st.radio("Cost basis", list(labels), index=list(labels).index(saved), format_func=labels.get,
                      horizontal=True, key="biz-basis")  # fmt: skip
    if chosen != saved:
        with contextlib.suppress(_NotSaved):
            _write("saving the cost basis", lambda w: settings.save_cost_basis(w, chosen))
    return chosen


def cost_note(ctx, basis: str, costs: pd.DataFrame, column: str) -> str:
    coverage = data.frame("lib.views.business_mix.cost_coverage", ctx.scope)
    uncosted = coverage[coverage["annual_cost"].isna()]
    parts = []
    if basis == "rnd_spend" and (costs["allocated_by"] == "effort").any():
        parts.append("No employees loaded: R&D spend is split by each initiative's share of effort.")
    elif basis == "rnd_spend":
        parts.append(
            "Each month's R&D spend is shared out over every team by headcount × loaded cost (by headcount alone "
            "while anyone lacks a cost), then over initiatives by each team's effort."
        )
    else:
        parts.append(
            "Each person's loaded annual cost, pro-rated to the days in the period, split by their team's effort."
        )
    if len(uncosted):
        places = ", ".join(
            f"{r.location or '?'} / {r.sourcing or '?'} ({r.people})" for r in uncosted.itertuples()
        )
        parts.append(f"No loaded cost for: {places}.")
    if costs[column].isna().any() and basis == "loaded_cost":
        parts.append("Initiatives whose people lack a cost are left out rather than counted at zero.")
    if ctx.team_filter and basis == "rnd_spend":
        parts.append("Under a team filter: the chosen teams' share of the organisation's R&D spend.")
    return " ".join(parts)


def policy_form() -> settings.PolicyChoice:
    """Policy, share past its threshold and early adoption, each saved as soon as it changes;
    the share slider is kept per policy, so switching policy shows that policy's default."""
    current = policy()

    def save(**change) -> None:
        now = policy()
        fields = {
            "policy": now.policy,
            "share": now.share,
            "asu_2025_06_early": now.asu_2025_06_early,
            **change,
        }
        if "policy" in change and change["policy"] != now.policy:
            fields["share"] = None  # the new policy's default until the user moves the slider
        with contextlib.suppress(_NotSaved):
            _write(
                "saving the capitalisation policy",
                lambda con: settings.save_policy_choice(con, settings.PolicyChoice(**fields)),
            )

    ids = list(POLICIES)
    chosen = st.selectbox("Capitalisation policy", ids, index=ids.index(current.policy),
                          format_func=lambda p: POLICIES[p].label, key="biz-policy-id",
                          on_change=lambda: save(policy=st.session_state["biz-policy-id"]))  # fmt: skip
    shown = current if chosen == current.policy else settings.PolicyChoice(chosen)
    key = f"biz-policy-share-{chosen}"
    st.slider(
        POLICIES[chosen].share_label + " (%)",
        0,
        100,
        round(shown.effective_share * 100),
        key=key,
        on_change=lambda: save(share=st.session_state[key] / 100),
        help="A policy input finance owns: Pillars cannot see project stages, feasibility or the IAS 38 criteria.",
    )
    if chosen == "us_gaap_internal_use":
        st.checkbox("ASU 2025-06 adopted early (required for annual periods beginning after 15 Dec 2027)",
                    value=current.asu_2025_06_early, key="biz-policy-early",
                    on_change=lambda: save(asu_2025_06_early=st.session_state["biz-policy-early"]))  # fmt: skip
    return policy()


def mapping_step() -> None:
    """Epics / projects / initiatives on work items → business initiatives, saved on the page."""
    st.subheader("Map work to business initiatives")
    names = data.view("lib.views.business_settings.initiative_names")
    status = data.frame("lib.views.business_settings.mapping_status")
    if status.empty:
        layout.nothing_to_draw("No work item carries an epic, initiative or project yet.")
        return
    if not names:
        layout.missing(
            "No business initiatives loaded: import an initiatives file (Initiative, Owner, Business metric, "
            "Epics) on the Data page, then map the epics and projects below to them."
        )
        return
    unmapped = status[status["mapped_by"].isna()]
    st.caption(
        f"{len(status):,} epic / project values on work items: {len(status) - len(unmapped):,} mapped "
        f"({', '.join(f'{n} by {k}' for k, n in status['mapped_by'].value_counts().items())}), "
        f"{len(unmapped):,} not yet ({int(unmapped['items'].sum()):,} work items)."
    )
    shown = status.head(MAPPING_ROWS).copy()
    shown["choice"] = [
        (NOT_AN_INITIATIVE if pd.notna(by) and pd.isna(i) else (i if isinstance(i, str) else None))
        for i, by in zip(shown["initiative"], shown["mapped_by"], strict=True)
    ]
    edited = layout.editor(
        shown[["work_initiative", "items", "last_completed", "mapped_by", "choice"]],
        column_config={
            "work_initiative": st.column_config.TextColumn("Epic / project on work items", disabled=True),
            "items": st.column_config.NumberColumn("Work items", disabled=True),
            "last_completed": st.column_config.DateColumn("Last completed", disabled=True),
            "mapped_by": st.column_config.TextColumn("Mapped by", disabled=True),
            "choice": st.column_config.SelectboxColumn(
                "Business initiative", options=[*names, NOT_AN_INITIATIVE]
            ),
        },
        hide_index=True,
        width="stretch",
        key="biz-mapping",
    )
    if len(status) > MAPPING_ROWS:
        st.caption(
            f"The {MAPPING_ROWS} values with the most work items are listed; map the rest in the initiatives file."
        )
    changed = {
        row.work_initiative: (None if row.choice == NOT_AN_INITIATIVE else row.choice)
        for row, before in zip(edited.itertuples(), shown["choice"], strict=True)
        if row.choice != before and isinstance(row.choice, str)
    }
    if st.button("Save mapping", disabled=not changed, key="biz-mapping-save", type="primary"):
        try:
            saved = _write("saving the initiative mapping", lambda w: settings.save_links(w, changed))
        except _NotSaved:
            return
        except ValueError as exc:
            st.error(f"Not saved: {exc}.")
        else:
            _saved(f"{count_of(saved, 'mapping')} saved.")


def rate_card(ctx) -> None:
    """Loaded annual cost per engineer for each location and sourcing of the people in scope,
    editable; saved as an import (listed in the history, undoable)."""
    st.subheader("Loaded cost per engineer")
    coverage = data.frame("lib.views.business_mix.cost_coverage", ctx.scope)
    if coverage.empty:
        layout.nothing_to_draw(
            "No employees with a team: the rate card applies to people by location and sourcing."
        )
        return
    table = coverage.rename(columns={"annual_cost": "annual_cost"}).copy()
    edited = layout.editor(
        table[["location", "sourcing", "people", "annual_cost"]],
        column_config={
            "location": st.column_config.TextColumn("Location", disabled=True),
            "sourcing": st.column_config.TextColumn("Sourcing", disabled=True),
            "people": st.column_config.NumberColumn("People now", disabled=True),
            "annual_cost": st.column_config.NumberColumn(
                f"Loaded annual cost ({ctx.currency})", min_value=0, step=1000, format="%,.0f"
            ),
        },
        hide_index=True,
        width="stretch",
        key="biz-rate-card",
    )
    st.caption(
        "Salary, benefits, taxes, equipment and office, or a vendor's rate: what one engineer costs a year."
    )
    rows = edited.dropna(subset=["annual_cost", "location", "sourcing"])
    if st.button("Save rate card", disabled=rows.empty, key="biz-rate-save"):
        from lib.ingest.load import import_bytes

        buffer = io.StringIO()
        rows[["location", "sourcing", "annual_cost"]].to_csv(buffer, index=False)
        try:
            result = _write(
                "saving the rate card",
                lambda con: import_bytes(
                    con, buffer.getvalue().encode(), "rate card (Business alignment page).csv"
                ),
            )
        except _NotSaved:
            return
        if result.ok:
            _saved(f"Rate card saved ({result.rows} rows).")
        else:
            st.error(result.error)
