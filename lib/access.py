"""Who sees which org units (SPEC §6): an allow-list by e-mail or domain, enforced on the data.

With sign-in configured (`[auth]` in `.streamlit/secrets.toml`), the `[access]` table of
the same file maps people to the org units they may see:

    [access]
    "vp@example.com" = ["*"]                      # every org unit
    "@commerce.example.com" = ["Commerce"]        # everyone at that e-mail domain
    "alex@example.com" = ["Platform", "team:payments"]

A key is an e-mail address, or `@` and a domain (that domain exactly, not its
subdomains). A unit is an organisation as the `teams` table names it, `team:<name>` for
one team, or `*` for everything. Someone matched by their address and by their domain
gets both grants together; someone matched by neither gets nothing. Names are compared
without regard to case or surrounding spaces.

The rule is enforced below every view, in one place: `open_restricted(file, grant)` is
the only way a restricted person's queries reach the data. It gives a connection to an
in-memory database with the migrations' schema (so views such as
`pull_requests_with_team` and macros such as `period_buckets` exist as usual) in which
every table is a view of the file's table holding only the granted rows. Whatever a query
names (`work_items`, `main.work_items`), and through any cursor of that connection, it
reads granted rows only; so every page, filter, URL, table download and board-pack chart
computes over the granted org units only, including pages added later. Which rows:

- `teams`: the granted organisations' teams and the granted teams;
- a table with a `team` column: rows of those teams (a pull request without a team takes
  the team deploying the service named like its repository, as `pull_requests_with_team`
  does); rows of a team the `teams` table does not list belong to no org unit: hidden;
- a table keyed by `employee_id`: people of those teams (from the restricted `employees`);
- a table keyed by `item_id`: the restricted work items' rows;
- a table with an `org` column: rows of the granted organisations;
- `settings`, `schema_version`, `column_mappings`: kept (configuration, not numbers);
- anything else, `business_metrics` (company-wide revenue and spend) and the import log
  included: nothing. A table added later is hidden from restricted people until it is
  given a rule here (deny by default).

Without sign-in configured there is one user on this machine, who sees everything
(`FULL`); the app then refuses to serve on any address but loopback (lib/ui/access.py).
"""

from __future__ import annotations

import ipaddress
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

ALL = "*"
TEAM_PREFIX = "team:"
KEPT = frozenset({"settings", "schema_version", "column_mappings"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^@[^@\s]+\.[^@\s]+$")
_UNITS = "pillars_granted_units"


@dataclass(frozen=True)
class Grant:
    """What one person may see: every org unit, or these organisations and teams (matched
    without regard to case or surrounding spaces)."""

    who: str
    everything: bool = False
    orgs: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.everything:
            return "every org unit"
        parts = [*self.orgs, *(f"team {t}" for t in self.teams)]
        return ", ".join(parts) if parts else "no org unit"


FULL = Grant("this computer (no sign-in)", everything=True)


def _units(key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise ValueError(f'[access] {key!r}: give a list of org units, e.g. ["Commerce"] or ["*"]')
    units = []
    for unit in value:
        text = unit.strip() if isinstance(unit, str) else ""
        if not text or (text.lower().startswith(TEAM_PREFIX) and not text[len(TEAM_PREFIX) :].strip()):
            raise ValueError(
                f"[access] {key!r}: {unit!r} is not an org unit (an org name, team:<name>, or *)"
            )
        units.append(text)
    return tuple(units)


def parse_rules(table: Mapping[str, object] | None) -> dict[str, tuple[str, ...]]:
    """The `[access]` table as {lower-case e-mail or @domain: units}.

    Raises ValueError naming the entry when a key is neither an e-mail address nor
    `@domain`, or a value is not a non-empty list of org units.
    """
    rules: dict[str, tuple[str, ...]] = {}
    for raw_key, value in (table or {}).items():
        key = str(raw_key).strip().lower()
        if not (_EMAIL.match(key) or _DOMAIN.match(key)):
            raise ValueError(
                f"[access] {raw_key!r} is neither an e-mail address nor an e-mail domain written as @example.com"
            )
        rules[key] = rules.get(key, ()) + _units(str(raw_key), value)
    return rules


def grant_for(email: str | None, rules: Mapping[str, tuple[str, ...]]) -> Grant | None:
    """The grant of the person with this (verified) e-mail address; None when not on the list."""
    address = (email or "").strip().lower()
    if not _EMAIL.match(address):
        return None
    domain = "@" + address.rsplit("@", 1)[1]
    units = [*rules.get(address, ()), *rules.get(domain, ())]
    if not units:
        return None
    if any(u == ALL for u in units):
        return Grant(address, everything=True)
    teams = _distinct(u[len(TEAM_PREFIX) :] for u in units if u.lower().startswith(TEAM_PREFIX))
    orgs = _distinct(u for u in units if not u.lower().startswith(TEAM_PREFIX))
    return Grant(address, orgs=orgs, teams=teams)


def _distinct(names) -> tuple[str, ...]:
    """Names as first written, one per spelling that differs only in case or spaces, sorted."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.strip().lower(), name.strip())
    return tuple(sorted(seen.values(), key=str.lower))


def is_loopback(address: str | None) -> bool:
    """True for an address only this computer can reach (127.0.0.0/8, ::1, localhost).

    An empty address is Streamlit's default, every interface: not loopback.
    """
    text = (address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def sign_in_configured(secrets_file: str | Path) -> bool:
    """Whether a secrets.toml file configures sign-in: an `[auth]` table with a redirect URI
    and a cookie secret. A file that cannot be read or parsed configures nothing."""
    try:
        auth = tomllib.loads(Path(secrets_file).read_text()).get("auth")
    except (OSError, ValueError):
        return False
    return isinstance(auth, dict) and bool(auth.get("redirect_uri")) and bool(auth.get("cookie_secret"))


def refusal(address: str | None) -> str:
    """Why the app is not served on `address` without sign-in, and the two ways out."""
    shown = address or "every network interface (no server address set)"
    return (
        f"Pillars is not served on {shown} because sign-in is not configured: anyone who can reach "
        "this address would see every number. Either serve it on this computer only "
        "(--server.address 127.0.0.1, the default in .streamlit/config.toml), or configure sign-in: "
        "copy .streamlit/secrets.example.toml to .streamlit/secrets.toml and fill in your identity "
        "provider and who may see which org units."
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Each shadow reads the file's table as {source} and the other shadows by plain name.
_TEAMS = (
    "select * from {source} where lower(trim(org)) in (select unit from " + _UNITS + " where kind = 'org') "
    "or lower(trim(team)) in (select unit from " + _UNITS + " where kind = 'team')"
)
_BY_TEAM = "select * from {source} where team in (select team from teams)"
_PULL_REQUESTS = (
    "select p.* from {source} p where coalesce(nullif(trim(p.team), ''), ("
    "select mode(d.team) from {deployments} d where d.service is not null and nullif(trim(d.team), '') is not null "
    "and lower(regexp_extract(trim(d.service), '[^/]+$')) = lower(regexp_extract(p.repo, '[^/]+$'))"
    ")) in (select team from teams)"
)
_BY_PERSON = "select * from {source} where employee_id in (select employee_id from employees)"
_BY_ITEM = "select * from {source} where item_id in (select item_id from work_items)"
_BY_ORG = "select * from {source} where org in (select org from teams)"
_NOTHING = "select * from {source} where false"
_ALL_ROWS = "select * from {source}"
_SOURCE = "granted_source"
_CREATE_UNITS = "create table " + _UNITS + " (kind varchar, unit varchar)"
_INSERT_UNIT = "insert into " + _UNITS + " values (?, ?)"
_SOURCE_TABLES = """
    select c.table_name, list(c.column_name)
    from duckdb_columns() c
    join duckdb_tables() t using (database_name, schema_name, table_name)
    where c.database_name = ? and c.schema_name = 'main'
    group by c.table_name
"""
_LOCAL_TABLES = (
    "select table_name from duckdb_tables() where database_name = 'memory' and schema_name = 'main'"
)


def _shadow(table: str, columns: set[str]) -> str:
    if table in KEPT:
        return _ALL_ROWS
    if table == "teams":
        return _TEAMS
    if table == "pull_requests" and {"team", "repo"} <= columns:
        return _PULL_REQUESTS
    if "team" in columns:
        return _BY_TEAM
    if "employee_id" in columns:
        return _BY_PERSON
    if "item_id" in columns:
        return _BY_ITEM
    if "org" in columns:
        return _BY_ORG
    return _NOTHING


def _order(table: str, columns: set[str]) -> int:
    """Shadows that others read come first: teams, then team tables, then the rest."""
    if table == "teams":
        return 0
    if "team" in columns:
        return 1
    return 2


def _attach(con: duckdb.DuckDBPyConnection, file: Path) -> None:
    """Attach `file` read-only through a private link: DuckDB refuses to attach, in a second
    database of the same process, a path another one has open (the app's full reader has
    the snapshot open), but reads the same file under another name. The link is removed
    once attached; DuckDB keeps the file open. A write-ahead log beside it comes along."""
    with tempfile.TemporaryDirectory(prefix="pillars-grant-") as folder:
        link = Path(folder) / "granted.duckdb"
        os.symlink(file.resolve(), link)
        wal = file.with_name(file.name + ".wal")
        if wal.exists():
            os.symlink(wal.resolve(), link.with_name(link.name + ".wal"))
        con.execute("attach ? as " + _SOURCE + " (read_only)", [str(link)])


def open_restricted(path: str | Path, grant: Grant) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the database file `path` that sees only what `grant` allows.

    The connection is its own in-memory database: the schema of the migrations (so the
    file's views and macros exist with the same definitions), whose every table is then
    replaced by a view of the file's table holding only the granted rows (module doc).
    The file is attached read-only under an internal name that no query of Pillars uses.
    Cursors of the connection see the same (`con.cursor()` stays restricted).
    For `grant.everything` it is a plain read-only connection on the file. Times in UTC.
    """
    from lib import db

    if grant.everything:
        con = duckdb.connect(str(path), read_only=True)
        con.execute("set TimeZone = 'UTC'")
        return con
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        db.migrate(con)
        _attach(con, Path(path))
        con.execute("begin transaction")
        for (name,) in con.execute(_LOCAL_TABLES).fetchall():
            con.execute("drop table " + _quote(name))
        con.execute(_CREATE_UNITS)
        units = [("org", o.strip().lower()) for o in grant.orgs]
        units += [("team", t.strip().lower()) for t in grant.teams]
        if units:
            con.executemany(_INSERT_UNIT, units)
        rows = con.execute(_SOURCE_TABLES, [_SOURCE]).fetchall()
        tables = sorted(((name, set(cols)) for name, cols in rows), key=lambda t: (_order(*t), t[0]))
        statements = []
        for name, columns in tables:
            query = _shadow(name, columns).format(
                source=f"{_SOURCE}.main.{_quote(name)}", deployments=f"{_SOURCE}.main.deployments"
            )
            statements.append(f"create view {_quote(name)} as {query}")
        con.execute(";\n".join(statements))
        con.execute("commit")
    except BaseException:
        con.close()
        raise
    return con
