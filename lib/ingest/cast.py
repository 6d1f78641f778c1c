"""Cast a staged relation's text to its canonical table's types, in SQL.

Each cell is trimmed (empty text is null) and cast with `try_cast`; booleans are read from
their words (TRUE_WORDS, FALSE_WORDS), an enumerated value from the spellings tools use
(ALIASES), a person identifier is pseudonymised. Dates and times are read by the one
parser, `lib.ingest.dates`, in `options.default_tz` and the file's date order, and stored
as naive UTC. The typed rows land in a temporary table that keeps each cell's text beside
its value (`<column>__raw`), so that `lib.ingest.validate.check` can name every value that
did not cast, or broke a rule. The fast path (lib/ingest/fast.py) converts a clean file's
cells with the very same expressions.
"""

from __future__ import annotations

import duckdb

from lib.ingest import dates
from lib.ingest.formats import ImportOptions, Staged
from lib.ingest.read import ident, stage_name
from lib.privacy import pseudonym_sql
from lib.tables import Column, Table

TRUE_WORDS = ("true", "yes", "y", "1", "t")
FALSE_WORDS = ("false", "no", "n", "0", "f")
_SQL_TYPES = {t: t for t in ("varchar", "timestamp", "date", "double", "integer", "boolean")}

# Spellings tools use for an enumerated value, keyed by lower-case text with spaces
# and hyphens as underscores.
ALIASES: dict[tuple[str, str], dict[str, str]] = {
    ("deployments", "status"): {
        "success": "success",
        "succeeded": "success",
        "successful": "success",
        "passed": "success",
        "ok": "success",
        "failed": "failure",
        "failure": "failure",
        "error": "failure",
        "errored": "failure",
        "broken": "failure",
        "rollback": "rollback",
        "rolled_back": "rollback",
        "rolledback": "rollback",
        "reverted": "rollback",
    },
    # learning kinds as teams write them (lib/ingest/formats/lms.py reads tool exports' types)
    ("learning", "kind"): {
        **dict.fromkeys(("certificate", "certified", "exam", "credential"), "certification"),
        **dict.fromkeys(("event", "summit", "meetup", "webinar", "talk"), "conference"),
        **dict.fromkeys(
            (
                "hackathon",
                "hack_day",
                "hackday",
                "hack_week",
                "spike",
                "innovation_time",
                "innovation_day",
                "proof_of_concept",
                "poc",
                "prototype",
            ),
            "experiment",
        ),
        **dict.fromkeys(
            ("training", "video", "e_learning", "elearning", "learning_path", "book", "workshop"), "course"
        ),
    },
}


class Sql:
    """Collects bound parameters while the typed-table SQL is written."""

    def __init__(self, salt: str | None) -> None:
        self.params: dict[str, object] = {}
        self.salt = salt

    def bind(self, value: object) -> str:
        key = f"p{len(self.params)}"
        self.params[key] = value
        return f"${key}"


def typed_value(
    sql: Sql,
    table: Table,
    column: Column,
    raw: str,
    pseudonymise: bool,
    hints: dates.DateHints,
    order: str | None,
) -> str:
    if column.type == "timestamp":
        return f"({dates.instant_sql(raw, order, epoch=hints.epoch, serial=hints.serial)}) at time zone 'UTC'"
    if column.type == "date":
        return dates.date_sql(raw, order, serial=hints.serial)
    if column.type == "double":
        number = f"try_cast({raw} as double)"
        return f"case when isfinite({number}) then {number} end"
    if column.type == "integer":
        number = f"try_cast({raw} as double)"
        return f"case when isfinite({number}) and {number} = trunc({number}) then try_cast({number} as bigint) end"
    if column.type == "boolean":
        return (
            f"case when list_contains({sql.bind(list(TRUE_WORDS))}, lower({raw})) then true "
            f"when list_contains({sql.bind(list(FALSE_WORDS))}, lower({raw})) then false end"
        )
    if column.choices:
        aliases = ALIASES.get((table.name, column.name))
        if aliases:
            key = f"regexp_replace(lower({raw}), '[ -]+', '_', 'g')"
            mapped = f"map_extract_value(map({sql.bind(list(aliases))}, {sql.bind(list(aliases.values()))}), {key})"
            return f"coalesce({mapped}, lower({raw}))"
        return f"lower({raw})"
    if column.person and pseudonymise:
        sql.params["salt"] = sql.salt
        return pseudonym_sql(raw, "$salt")
    return raw


def casts(column: Column) -> bool:
    return column.type in ("timestamp", "date", "double", "integer")


def raw_text(column: Column, expression: str) -> str:
    """The cell as text: `try_cast` ignores surrounding blanks, so only text is trimmed
    (of spaces; checking the ends first is twice as fast as trimming every cell)."""
    text = f"cast({expression} as varchar)"
    if column.type in ("timestamp", "date"):
        return dates.blank_sql(text)  # BambooHR's 0000-00-00 is no date
    if casts(column):
        return text
    return (
        f"case when starts_with({text}, ' ') or ends_with({text}, ' ') "
        f"then nullif(trim({text}), '') else nullif({text}, '') end"
    )


def needs_raw(column: Column) -> bool:
    return column.type != "varchar" or bool(column.choices)


def typed_table(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    options: ImportOptions,
    salt: str | None,
    table: Table,
    present: set[str],
    view: str,
    order: str | None,
) -> str:
    """The typed temp table for `staged`, numeric dates read in `order`; returns its name."""
    typed = stage_name("typed")
    sql = Sql(salt)
    given = [c for c in table.columns if c.name in present]
    raw_cols = "".join(f", {raw_text(c, 's.' + ident(c.name))} as {ident(c.name)}" for c in given)
    row = "s._row" if "_row" in present else "row_number() over () + 1"
    nonempty = f"coalesce({', '.join(ident(c.name) for c in given)}) is not null" if given else "false"
    selects = ["_row"]
    for column in table.columns:
        name, raw = ident(column.name), ident(column.name + "__raw")
        if column.name in present:
            expression = typed_value(sql, table, column, name, salt is not None, staged.dates, order)
            selects.append(f"{expression} as {name}")
            if needs_raw(column):
                selects.append(f"{name} as {raw}")
        else:
            selects.append(f"cast(null as {_SQL_TYPES[column.type]}) as {name}")
            if needs_raw(column):
                selects.append(f"cast(null as varchar) as {raw}")
    query = (
        f"create temp table {ident(typed)} as "
        f"with raw as (select {row} as _row{raw_cols} from {ident(view)} s) "
        f"select {', '.join(selects)} from raw where {nonempty}"
    )
    previous_tz = con.execute("select current_setting('TimeZone')").fetchall()[0][0]
    con.execute("set TimeZone = ?", [options.default_tz])
    try:
        con.execute(query, sql.params or None)
    finally:
        con.execute("set TimeZone = ?", [previous_tz])
    return typed
