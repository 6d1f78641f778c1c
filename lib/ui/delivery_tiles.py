"""The Delivery page's headline tiles: exactly the catalog's values (computed by
`lib.metrics.delivery_headline`, the rule of `lib.metrics.headline`, which the Overview and the
CLI use), each with its change, its DORA tier or, when the catalog has no value, "—" and the
reason."""

from __future__ import annotations

import streamlit as st

from lib.definitions import definition_for
from lib.formatting import format_value, is_missing
from lib.glossary import explain
from lib.metrics import delivery_headline, source_of
from lib.overview import band_text, change_text, period_phrase
from lib.scope import Scope
from lib.ui import data, filters, layout
from lib.views.buckets import MIN_COUNT
from lib.views.delivery import events_for, failures_unseen, held_back
from lib.views.delivery_detail import incidents_note, no_data_reason, partly_note, status_note

DORA_KEYS = (
    "delivery.deployment_frequency_per_week",
    "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate",
    "delivery.recovery_time_hours_p50",
    "delivery.rework_rate",
)
FLOW_KEYS = ("flow.velocity_per_week", "flow.time_days_p50", "flow.load", "flow.efficiency")
TILE_LABELS = {
    "delivery.deployment_frequency_per_week": "Deploy frequency",
    "delivery.lead_time_hours_p50": "Lead time (median)",
    "delivery.change_failure_rate": "Change failure rate",
    "delivery.recovery_time_hours_p50": "Time to restore",
    "delivery.rework_rate": "Rework rate",
    "flow.velocity_per_week": "Flow velocity",
    "flow.time_days_p50": "Flow time (median)",
    "flow.load": "Work in progress",
    "flow.efficiency": "Flow efficiency",
}
SHORT_UNITS = {"per week": "/wk", "items per week": "/wk", "hours": " h", "days": " d", "items": ""}


def tile_value(value, unit: str) -> str:
    """'99.2/wk', '5.34 h', '3.0%': values that fit a fifth of the page; '—' for no value."""
    if unit in SHORT_UNITS and not is_missing(value):
        return format_value(value) + SHORT_UNITS[unit]
    return format_value(value, unit)


def tile_band(item, coverage: dict, events: int | None = None) -> str:
    """The line under a tile: the DORA tier and its band, or why there is no value, or why
    the value gets no tier (`lib.views.delivery.held_back`: too few events, a frequency over
    a partly covered period); `events` are those the value stands on."""
    partly = partly_note(item.key, coverage)
    unseen = failures_unseen(coverage)  # why the change failure rate sees no incident, if it does not
    if is_missing(item.value):
        band = f"No data: {no_data_reason(item.key, coverage)}"
    elif item.key == "delivery.rework_rate":
        band = "DORA publishes no tier bands for rework rate"
    elif reason := held_back(item.key, events, partly, unseen):
        band = reason[:1].upper() + reason[1:]
    else:
        band = band_text(item) or "No benchmark"
    if not is_missing(item.value) and (note := partly):
        band += f"  \n{note[:1].upper()}{note[1:]}"
    said = bool(unseen) and unseen in band  # the band says why the rate sees no incident: no note twice
    if item.key == "delivery.change_failure_rate" and not said and (note := incidents_note(coverage)):
        band += f"  \n{note}"
    if (
        item.key == "delivery.deployment_frequency_per_week"
        and not is_missing(item.value)  # with no value, the reason above already says it
        and (note := status_note(coverage))
    ):
        band += f"  \n{note}"
    return band


def tiles(scope: Scope, coverage: dict, keys: tuple[str, ...], per_row: int, caption: bool = True) -> None:
    # Each period's summaries are computed once (cached) and give both the catalog's values and
    # the event counts behind them; the page's summary reads the same cached calls.
    dora, before = (data.view("lib.views.delivery.dora_summary", s) for s in (scope, scope.previous()))
    flow_now, flow_before = (data.view("lib.views.flow.flow_summary", s) for s in (scope, scope.previous()))
    items = delivery_headline((dora, flow_now), (before, flow_before), keys)
    # items completed now and before, and the sources the previous period covers only in part
    completed = [flow_now.get("velocity"), flow_before.get("velocity")]
    thin_before = data.view("lib.views.data_span.notes", scope.previous())
    if caption:
        st.caption(f"{filters.period_text(scope)} · arrows: change {period_phrase(scope.days)}")
    shown = []
    for item in items:
        better = definition_for(item.key).higher_is_better
        shown.append(
            layout.Tile(
                label=TILE_LABELS.get(item.key, item.label),
                value=tile_value(item.value, item.unit),
                # a change between periods on too few events is noise: shown without an arrow
                delta=None
                if few_either(item.key, dora, before)
                or few_items(item.key, completed)
                or thin_before.get(source_of(item.key) or "")
                else change_text(item),
                delta_color="off" if better is None else "normal" if better else "inverse",
                band=tile_band(item, coverage, events_for(dora, item.key)),
                help=explain(item.key),
            )
        )
    layout.tiles(shown, per_row=per_row)


def few_items(key: str, completed: list) -> bool:
    """True for a flow key when either period completed fewer than MIN_COUNT items: '+300%'
    from 4 items to 16 says nothing (issue 18, small numbers)."""
    return key.startswith("flow.") and any((n or 0) < MIN_COUNT for n in completed)


def few_either(key: str, now: dict, before: dict) -> bool:
    """True when the key's value in either period stands on fewer events than a tier needs
    (`lib.views.delivery.held_back`): '+400%' from 1 deployment to 5 says nothing."""
    return any(held_back(key, events_for(summary, key)) for summary in (now, before))
