"""The global filters of SPEC §2, in the sidebar and in the URL query string.

Each widget is bound to a query parameter (`bind="query-params"`), so a filtered view
can be bookmarked and shared: `?grain=quarter&team=payments&from=2025-01-01&to=2025-06-30`.
Values equal to the default are left out of the URL. The resolved `Scope` is kept in
session state for the page that runs after the sidebar.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.privacy import markdown_text
from lib.scope import GRAINS, Scope, plausible_dates
from lib.scope import period_text as scope_period_text
from lib.ui import data, use_navigation

_SCOPE = "pillars_scope"
_FILTER_TEXT = "pillars_filter_text"


def _options() -> dict:
    return data.view("lib.scope.filter_options")


def _default_period() -> tuple[dt.date, dt.date]:
    scope = data.view("lib.scope.default_scope")
    return scope.start, scope.end - dt.timedelta(days=1)


def sidebar() -> Scope:
    """Draw the filters; return the Scope every page computes over."""
    options = _options()
    first, last = _default_period()
    linked = {key: st.query_params.get_all(key) for key in _LINKED}  # before the widgets drop any
    if not st.session_state.get(_LINK_READ):
        linked = _fold_case(linked, options)
    _follow_the_default_period(first, last)
    with st.sidebar:
        st.subheader("Filters")
        start = st.date_input("From", value=first, key="from", bind="query-params", format="YYYY-MM-DD")
        end = st.date_input("To", value=last, key="to", bind="query-params", format="YYYY-MM-DD")
        grain = st.segmented_control(
            "Period grain",
            GRAINS,
            default="month",
            required=True,
            key="grain",
            bind="query-params",
        )
        orgs = st.multiselect("Organisation", options["orgs"], key="org", bind="query-params")
        team_choices = (
            [t for org in orgs for t in options["teams_by_org"].get(org, [])] if orgs else options["teams"]
        )
        teams = st.multiselect("Team", team_choices, key="team", bind="query-params")
        locations = st.multiselect("Location", options["locations"], key="location", bind="query-params")
        sourcing = st.multiselect("Sourcing", options["sourcing"], key="sourcing", bind="query-params")
        cohorts = st.multiselect(
            "Acquired-company cohort", options["cohorts"], key="cohort", bind="query-params"
        )
    if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
        # on the page, not only in the sidebar: a shared link with its dates reversed must not
        # show another period without a word
        why = (
            f"The period's end ({end}) is before its start ({start})"
            if isinstance(start, dt.date) and isinstance(end, dt.date)
            else "The period has no start or no end"
        )
        st.warning(
            f"{why}: showing the default period, {first:%d %b %Y} – {last:%d %b %Y}. Set From and To in "
            "the sidebar.",
            icon=":material/date_range:",
        )
        start, end = first, last
    end = min(end, dt.date.max - dt.timedelta(days=1))
    _say_what_the_default_period_leaves_out()
    chosen = data.view(
        "lib.scope.resolve_teams",
        tuple(orgs),
        tuple(teams),
        tuple(locations),
        tuple(sourcing),
        tuple(cohorts),
    )
    scope = Scope(start=start, end=end + dt.timedelta(days=1), grain=grain or "month", teams=chosen)
    st.session_state[_SCOPE] = scope
    offered = (options["orgs"], team_choices, options["locations"], options["sourcing"], options["cohorts"])
    text = describe(orgs, teams, locations, sourcing, cohorts, offered=offered)
    if text == "All teams" and not data.grant().everything:
        text = f"All teams you may see ({data.grant().describe()})"
    st.session_state[_FILTER_TEXT] = text
    chosen_now = (
        start,
        end,
        grain,
        tuple(orgs),
        tuple(teams),
        tuple(locations),
        tuple(sourcing),
        tuple(cohorts),
    )
    # Only the session's first run reads a link: later, the URL follows the widgets.
    first_run = not st.session_state.get(_LINK_READ)
    st.session_state[_LINK_READ] = True
    unknown = unknown_link_values(linked, options, orgs) if first_run else []
    if first_run:
        unknown += dropped_link_dates(linked, st.session_state.get("from"), st.session_state.get("to"))
    _say_what_the_link_asked_for(unknown, chosen_now)
    return scope


_LINKED = ("from", "to", "grain", "org", "team", "location", "sourcing", "cohort")
_LABELS = {
    "from": "From",
    "to": "To",
    "grain": "Period grain",
    "org": "Organisation",
    "team": "Team",
    "location": "Location",
    "sourcing": "Sourcing",
    "cohort": "Acquired-company cohort",
}
_LINK_NOTICE = "pillars_link_notice"
_LINK_READ = "pillars_link_read"


def dropped_link_dates(linked: dict[str, list[str]], shown_from, shown_to) -> list[str]:
    """Valid dates a shared link asks for that the date pickers did not take (outside the range
    they offer), as 'From: 2001-01-01 (outside the dates the picker offers)'."""
    dropped = []
    for key, shown in (("from", shown_from), ("to", shown_to)):
        for value in linked.get(key, []):
            try:
                asked = dt.date.fromisoformat(value)
            except ValueError:
                continue  # named by unknown_link_values
            if asked != shown:
                dropped.append(f"{_LABELS[key]}: {value} (outside the dates the picker offers)")
    return dropped


def folded(values: list[str], offered) -> list[str]:
    """A link's values spelled as the data spells them when they differ only in case
    ('Payments' → 'payments'); a value matching no option, or two options alike but for case,
    stays as written (and is named by `unknown_link_values`)."""
    by_case: dict[str, list[str]] = {}
    for option in offered:
        by_case.setdefault(str(option).casefold(), []).append(option)
    out = []
    for value in values:
        alike = by_case.get(value.casefold(), [])
        out.append(value if value in offered or len(alike) != 1 else alike[0])
    return out


def _offered(options: dict, teams: list[str]) -> dict[str, list]:
    """The values each linked filter offers (`teams`: those the chosen orgs hold)."""
    return {
        "org": options["orgs"],
        "team": teams,
        "location": options["locations"],
        "sourcing": options["sourcing"],
        "cohort": options["cohorts"],
    }


def _fold_case(linked: dict[str, list[str]], options: dict) -> dict[str, list[str]]:
    """A shared link typed by hand names 'Payments' for the team 'payments': the filters read
    it as the data spells it, and the URL is rewritten so, before the widgets read it."""
    offered = _offered(options, options["teams"])
    out = dict(linked)
    for key, values in linked.items():
        if key in offered and values:
            # "team=platform,Payments" written by hand: two teams, unless a team is so named (the
            # app writes team=a&team=b; a review's comma list dropped both and showed every team)
            values = [
                part.strip() for v in values for part in (v.split(",") if v not in offered[key] else [v])
            ]
            values = [v for v in values if v]
        if key in offered and values and (spelled := folded(values, offered[key])) != linked[key]:
            out[key] = spelled
            st.query_params[key] = spelled
    if out != linked:
        _seed_widgets_from_the_url()
    return out


def _seed_widgets_from_the_url() -> None:
    """Bound widgets take their first value from the URL as the page was loaded; after
    `_fold_case` rewrote it, they must read the rewritten one, as Streamlit itself has them do
    after a page change (`set_initial_query_params_from_current`). Without it the widget
    drops 'Payments' and the address bar loses the filter."""
    from streamlit.runtime.state.session_state_proxy import get_session_state

    with get_session_state().query_params() as params:
        params.set_initial_query_params_from_current()


def unknown_link_values(linked: dict[str, list[str]], options: dict, orgs: list[str]) -> list[str]:
    """The filter values a shared link asks for that the data no longer has (a team renamed or
    removed, an org gone) or that are not a value at all (a date that is no date, a grain Pillars
    does not offer), as '<filter>: <value>' in the sidebar's words; the widgets drop them."""
    teams = [t for org in orgs for t in options["teams_by_org"].get(org, [])] if orgs else options["teams"]
    offered = {"grain": GRAINS, **_offered(options, teams)}
    unknown = []
    for key, values in linked.items():
        for value in values:
            if value == "":
                continue
            if key in ("from", "to"):
                try:
                    dt.date.fromisoformat(value)
                    continue
                except ValueError:
                    pass
            elif value in offered[key]:
                continue
            unknown.append(f"{_LABELS[key]}: {value}")
    return unknown


def _say_what_the_link_asked_for(unknown: list[str], chosen_now: tuple) -> None:
    """A notice naming what a shared link asked for and the data no longer has, kept until the
    person changes the filters (the widgets drop the values from the URL on the first run)."""
    if unknown:
        st.session_state[_LINK_NOTICE] = (tuple(unknown), chosen_now)
    notice = st.session_state.get(_LINK_NOTICE)
    if notice is None:
        return
    if notice[1] != chosen_now:
        del st.session_state[_LINK_NOTICE]
        return
    names = " · ".join(f"**{markdown_text(item)}**" for item in notice[0])
    st.warning(
        f"Left out of this link's view: {names}. The data does not have it (renamed or removed since "
        "the link was shared) or it is not a valid value; the page shows the rest of the link's filters.",
        icon=":material/link_off:",
    )


_DEFAULT_SEEN = "pillars_default_period_seen"


def _follow_the_default_period(first: dt.date, last: dt.date) -> None:
    """When the default period moves (the first import into an empty database, a later
    import with newer rows), a From or To the user left at the old default follows it; a
    date the user chose stays. Widgets with a key keep their value across reruns, so without
    this the period stayed at the old default until the page was left."""
    seen = st.session_state.get(_DEFAULT_SEEN)
    if seen and seen != (first, last):
        if st.session_state.get("from") == seen[0]:
            st.session_state["from"] = first
        if st.session_state.get("to") == seen[1]:
            st.session_state["to"] = last
    st.session_state[_DEFAULT_SEEN] = (first, last)


def _say_what_the_default_period_leaves_out() -> None:
    """Stored dates outside the plausible range (written before the importer refused them)
    never move the default period (lib.scope.latest_data_date); the sidebar says so."""
    left_out = data.view("lib.scope.implausible_dates", activity_only=True)
    if not left_out:
        return
    rows = sum(item["rows"] for item in left_out)
    low, high = plausible_dates()
    st.sidebar.caption(
        f"The default period leaves out {rows:,} stored date{'s' * (rows != 1)} outside "
        f"{low:%d %b %Y} – {high:%d %b %Y} (a typo, or a placeholder such as 9999-12-31); "
        "the Data page lists them."
    )


def describe(orgs, teams, locations, sourcing, cohorts, offered: tuple | None = None) -> str:
    """The filters as chart captions and file names give them: "Org: Commerce · Team: payments",
    "All teams" when none is set. A filter set to every value its dropdown offers (more than
    one: "Select all") reads "Team: all 12", not the twelve names. `offered`: what each of the
    five dropdowns offers, in the order of the arguments."""
    parts = []
    chosen = (orgs, teams, locations, sourcing, cohorts)
    for index, (label, values) in enumerate(
        zip(("Org", "Team", "Location", "Sourcing", "Cohort"), chosen, strict=True)
    ):
        if not values:
            continue
        choices = offered[index] if offered else ()
        if len(values) > 1 and set(values) == set(choices):
            parts.append(f"{label}: all {len(values)}")
        else:
            parts.append(f"{label}: {', '.join(values)}")
    return " · ".join(parts) if parts else "All teams"


def current_scope() -> Scope:
    """The Scope chosen in the sidebar (the default period when run without it)."""
    use_navigation()
    scope = st.session_state.get(_SCOPE)
    if scope is None:
        scope = data.view("lib.scope.default_scope")
    return scope


def filter_text() -> str:
    return st.session_state.get(_FILTER_TEXT, "All teams")


def period_text(scope: Scope) -> str:
    return scope_period_text(scope)
