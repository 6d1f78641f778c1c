"""The Overview's investment headline: what R&D spend produced in the period, in one
paragraph (markdown, numbers in bold), and what is missing to say more. Split from
lib/overview_board.py (one idea per module); the board puts it at the top of the page and
of the deck's Overview slide."""

from __future__ import annotations

import datetime as dt

import duckdb

from lib.charts.business import money
from lib.formatting import format_value
from lib.scope import Scope, period_text
from lib.sql import query_df
from lib.views import business, data_span, delivery, params
from lib.views.headline_windows import source_extents


def months_text(months: Scope) -> str:
    """'Oct–Dec 2026' for a span of whole months."""
    first, last = months.start, (months.end - dt.timedelta(days=1)).replace(day=1)
    if first == last:
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"


def _count(n: int | None, one: str, many: str) -> str:
    return f"**{n or 0:,}** {one if n == 1 else many}"


def investment_headline(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """What R&D spend produced, in one paragraph (markdown, numbers in bold): features
    delivered, production deployments and the change failures among them, the share of effort
    on new features and revenue per engineer; and what is missing when finance, work-item or
    deployment data is absent.

    Spend is monthly, so when it is set against the output the paragraph covers the period's
    whole months (the months that start and end in it, `business_months`, as the finance tiles
    here and on the Business alignment page do) and names them; otherwise it covers the period. Business metrics have no
    team: under a team filter the spend stays the organisation's and is not set against the
    teams' output."""
    inputs = business.has_business_data(con)
    team = scope.teams is not None
    whole = business.business_months(scope)
    months = whole if inputs["rnd_spend"] and not team else None  # spend set against the output
    span = months or scope
    summary = business.business_summary(con, span)
    currency = business.currency(con)[0]
    extents = source_extents(con)
    window = query_df(con, "overview/delivery_windows", params(span, windows=1)).iloc[0]
    deployments = None if extents["deployments_rows"] == 0 else int(window["deployments"])
    failures = int(window["change_failures"])

    # no data is not zero: a period outside a source's rows (the future, before its first
    # row) says what is missing instead of "delivered 0 features"
    missing = data_span.gaps(con, span)
    output = []
    if extents["work_items_rows"] and not missing["work_items"]:
        output.append(_count(summary["features_completed"], "feature", "features"))
    if deployments and not missing["deployments"]:
        text = _count(deployments, "production deployment", "production deployments")
        unseen = delivery.failures_unseen_in(con, span)
        if unseen and not failures:  # "0 of them change failures" claimed what nothing measured (a review)
            text += f" (change failures not counted: {unseen})"
        else:
            text += (
                f" ({failures:,} of them change failures)"
                if failures != 1
                else " (1 of them a change failure)"
            )
        output.append(text)
    produced = " and ".join(output)
    when = months_text(months) if months else period_text(scope)

    sentences = []
    # without a whole month the summary holds the month the period begins, whole: its spend and
    # revenue set against five days of output read 6× too high (1–5 Dec, a new user's review)
    spend = summary["rnd_spend"] if whole is not None else None
    if produced and spend is not None and not team:
        sentences.append(f"In {when}, **{money(spend, currency)}** of R&D spend delivered {produced}.")
    elif produced:
        sentences.append(f"In {when}, engineering delivered {produced}.")
    share = summary["investment_mix"]["feature"]
    rpe = summary["revenue_per_engineer_annualized"] if whole is not None else None
    parts = []
    if share is not None:
        parts.append(f"**{format_value(share, '%')}** of engineering effort went to new features")
    if rpe is not None:
        parts.append(f"revenue per engineer ran at **{money(rpe, currency)}** a year")
    if parts:
        sentences.append(_first_upper("; ".join(parts)) + ".")

    gaps = [
        missing[source]
        for source in ("work_items", "deployments")
        if extents[f"{source}_rows"] and missing[source]
    ]
    notes = []  # what holds whatever is loaded: said apart from what to load
    if not inputs["rnd_spend"]:
        gaps.append("no R&D spend is loaded, so what this cost is not shown")
    elif team:
        notes.append("R&D spend and revenue are the whole organisation's: business figures carry no team.")
    elif whole is None:
        notes.append(
            "R&D spend is kept by month: choose a period holding a whole month to set it against the output."
        )
    elif spend is None:
        gaps.append(f"no R&D spend is loaded for {when}")
    if not inputs["revenue"]:
        gaps.append("no revenue is loaded, so revenue per engineer is not shown")
    if not extents["work_items_rows"]:
        gaps.append("no work items are loaded, so features delivered and the effort mix are not shown")
    if deployments is None:
        gaps.append("no deployments are loaded")
    sentences += notes
    if gaps:
        sentences.append(_first_upper("; ".join(gaps)) + " (load them on the Data page).")
    return " ".join(sentences)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
