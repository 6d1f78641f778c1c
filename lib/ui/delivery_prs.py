"""The Pull requests tab of the Delivery page: where a change waits, stage by stage."""

from __future__ import annotations

import streamlit as st

from lib.formatting import format_value
from lib.glossary import explain
from lib.ui import data, layout
from lib.ui.delivery_context import Context, opens
from lib.ui.delivery_tiles import tile_value


def pull_request_section(ctx: Context) -> None:
    if not opens(
        "Pull request cycle time: where a change waits",
        ctx.coverage["pull_requests_total"],
        "No pull request data",
    ):
        return
    summary = data.view("lib.views.pull_requests.pr_cycle", ctx.scope)
    layout.missing(
        "Coding time (first commit → PR opened) is not in the data: PR exports carry no commit times."
    )
    if summary["merged_prs"] and not summary["deployed_prs"] and ctx.coverage["deployments_total"]:
        layout.missing(
            "No production deployment matches these PRs' repositories (service named like the repository): "
            "deploy time cannot be computed."
        )
    if summary["merged_prs"] and not summary["reviewed_prs"]:
        layout.missing(
            "None of these PRs has a review time: pickup and review cannot be computed. GitHub's own export "
            "with reviews gives them (`gh pr list --json …,reviews`, docs/FORMATS_DELIVERY.md)."
        )
    cells = st.columns(4)
    stats = (
        ("PRs merged", format_value(summary["merged_prs"]), "Pull requests merged in the period."),
        ("Pickup (median)", tile_value(summary["pickup_hours_p50"], "hours"),
         explain("delivery.pr_pickup_hours_p50") + " Reviews by bots and AI reviewers do not count."),
        ("Review (median)", tile_value(summary["review_hours_p50"], "hours"),
         explain("delivery.pr_review_hours_p50")),
        ("Deploy (median)", tile_value(summary["deploy_hours_p50"], "hours"),
         "Merge → first successful production deployment of the service named like the repository."),
    )  # fmt: skip
    for cell, (label, value, help_text) in zip(cells, stats, strict=True):
        with cell, st.container(border=True):
            st.metric(label, value, help=help_text)
    ctx.chart("delivery.pr_cycle_breakdown", "pr-breakdown", "Pull requests", span=1)
    ctx.show_picks()
