"""Choices that shape an import: options, the user's Jira marks, and what was chosen per layout.

`options_for` builds the `ImportOptions` of an import from the arguments and the saved
settings. The date order a user chose for a file is remembered for its layout (its
header signature, migration 007) and shown pre-filled before the next import of a file
with the same headers (`layout_choice`): never applied unseen, so the CLI and
`options_for` never read it back. The time zone chosen for a file is not remembered
(issue 18): a zone picked for one file never reaches a later one, even pre-filled; a
later file starts from the saved default (`default_tz`), else UTC.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

from lib import db
from lib.ingest.dates import ORDERS
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.formats.mapped import header_signature


def options_for(
    con: duckdb.DuckDBPyConnection,
    tz: str | None = None,
    table_hint: str | None = None,
    date_order: str | None = None,
) -> ImportOptions:
    """Options from the arguments, else the saved settings (`default_tz`, `type_rules`,
    `jira_rules`), else UTC. A date order is only ever the one given: a remembered
    choice is shown before an import (`layout_choice`), never applied unseen."""
    rules = db.get_setting(con, "type_rules")
    jira = db.get_setting(con, "jira_rules")
    if date_order is not None and date_order not in ORDERS:
        raise ValueError(f"date order {date_order!r}: use one of {', '.join(ORDERS)}")
    return ImportOptions(
        default_tz=tz or db.get_setting(con, "default_tz") or "UTC",
        type_rules=json.loads(rules) if rules else {},
        table_hint=table_hint,
        date_order=date_order,
        jira_rules=json.loads(jira) if jira else {},
    )


def save_jira_rules(con: duckdb.DuckDBPyConnection, rules: dict[str, dict[str, str]]) -> dict:
    """Merge the user's Jira marks into the saved ones (`jira_rules` setting) and return them.

    `rules` is `{"resolutions": {name: "done" | "dropped"}, "statuses": {name: "done" |
    "dropped" | "open"}}`; raises ValueError for any other mark (formats/jira.py checks).
    """
    from lib.ingest.formats.jira import vocabulary

    saved = json.loads(db.get_setting(con, "jira_rules") or "{}")
    for kind in ("resolutions", "statuses"):
        saved.setdefault(kind, {}).update((rules or {}).get(kind) or {})
    vocabulary(saved)  # validates every mark
    db.set_setting(con, "jira_rules", json.dumps(saved, sort_keys=True))
    return saved


@dataclass(frozen=True)
class LayoutChoice:
    """What the user chose for files with these headers (migration 007). `time_zone` is
    only ever what an older version saved: it is no longer written nor pre-filled."""

    date_order: str | None
    time_zone: str | None
    saved_at: dt.datetime | None


def layout_choice(con: duckdb.DuckDBPyConnection, source: SourceFile) -> LayoutChoice | None:
    """The choice remembered for `source`'s header signature, if any."""
    rows = con.execute(
        "select date_order, time_zone, saved_at from layout_choices where header_signature = ? "
        "order by saved_at desc limit 1",
        [header_signature(source)],
    ).fetchall()
    return LayoutChoice(*rows[0]) if rows else None


def remember_layout(con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions) -> None:
    """Remember the date order chosen for this layout (when one was chosen). The time zone
    is not remembered (module doc): the row's `time_zone` is left empty."""
    if not options.date_order:
        return  # nothing chosen: what was remembered stays as it is
    signature = header_signature(source)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("delete from layout_choices where header_signature = ?", [signature])
    con.execute("insert into layout_choices values (?, ?, null, ?)", [signature, options.date_order, now])
