"""The one place that knows where the database lives and how to open and migrate it.

The file is `data/pillars.duckdb` unless `--db` or the `PILLARS_DB` variable says
otherwise. Opening runs the numbered migrations in `lib/migrations/` that the file has
not seen yet, in one transaction each, so a database made by an older version opens.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "pillars.duckdb"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: the argument, else $PILLARS_DB, else data/pillars.duckdb."""
    chosen = path or os.environ.get("PILLARS_DB") or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """Folder beside the database that holds uploads, the salt and saved mappings."""
    return db_path(path).parent


def migrations() -> list[tuple[int, Path]]:
    found = []
    for file in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(file.name)
        if match:
            found.append((int(match.group(1)), file))
    return found


SCHEMA_VERSION = migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("create table if not exists schema_version (version integer, applied_at timestamp)")
    row = con.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    schema_version(con)
    return {v for (v,) in con.execute("select version from schema_version").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> int:
    """Apply the migrations the database lacks, each in its own transaction.

    A migration is applied when its number is missing from `schema_version`, not only
    when it is above the highest one: migrations written on parallel branches land in
    any order, and each must still run exactly once.
    """
    done = applied_versions(con)
    current = max(done, default=0)
    for version, file in migrations():
        if version in done or (up_to is not None and version > up_to):
            continue
        con.execute("begin transaction")
        try:
            con.execute(file.read_text())
            con.execute(
                "insert into schema_version values (?, now()::timestamp)",
                [version],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        current = max(current, version)
    return current


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database; timestamps are handled in UTC."""
    file = db_path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    if read_only and file.exists():
        con = duckdb.connect(str(file), read_only=True)
    else:
        con = duckdb.connect(str(file))
        migrate(con)
    con.execute("set TimeZone = 'UTC'")
    return con


def get_setting(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    row = con.execute("select value from settings where key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    con.execute("delete from settings where key = ?", [key])
    if value is not None:
        con.execute("insert into settings values (?, ?)", [key, value])
