"""What is kept of an upload beside the database, so any import can be replayed.

The original upload is kept as `uploads/<sha256>.<ext>` (content-addressed: the same
bytes are kept once). A rejected file keeps no copy. Undoing an import deletes its kept
copy unless another import that stands (status 'loaded') came from the same bytes
(`forget_upload`).

A file with person-level rows (`lib.tables.PERSON_LEVEL`: HRIS reports, surveys, skills,
learning, one-on-ones) is never kept as uploaded: names, e-mail addresses and sensitive
columns (pay, birth date, …) must not reach the disk (SPEC §4). What is kept instead,
before the import commits, is its minimised copy `uploads/<sha256>.minimised.<table>.csv`
(one per table it loads): the canonical columns the file supplied, as stored
(identifiers pseudonymised), which `lib.ingest.load.replay_import` loads again.
`<sha256>` stays the original's, so the import log still names the upload.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb

from lib.ingest.plan import home_dir
from lib.ingest.read import ident
from lib.ingest.validate import Checked

_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")
MINIMISED = ".minimised."


def uploads_dir(con: duckdb.DuckDBPyConnection) -> Path:
    return home_dir(con) / "uploads"


def upload_path(con: duckdb.DuckDBPyConnection, sha256: str, name: str) -> Path:
    ext = Path(name).suffix.lower()
    return uploads_dir(con) / f"{sha256}{ext if _EXTENSION.match(ext) else '.csv'}"


def copy_into(path: str | os.PathLike, target: Path) -> Path:
    if target.exists() or Path(path).resolve() == target.resolve():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    os.close(fd)
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)
    return target


def keep_upload(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, sha256: str, name: str) -> Path:
    """Copy the original bytes to `uploads/<sha256>.<ext>` (once; content-addressed)."""
    return copy_into(path, upload_path(con, sha256, name))


def keep_minimised(
    con: duckdb.DuckDBPyConnection, checked: Checked, columns: Iterable[str], sha256: str, part: int = 1
) -> Path:
    """Write a file's rows of one table as stored (pseudonymised), only `columns`, as
    `uploads/<sha256>.minimised.<table>.csv` (`.<part>` before `.csv` for a second sheet of
    the same table); dates ISO, timestamps UTC with `Z`."""
    table = checked.table
    wanted = [c for c in table.columns if c.name in set(columns)] or [table.columns[0]]
    select = ", ".join(
        f"strftime({ident(c.name)}, '%Y-%m-%dT%H:%M:%SZ') as {ident(c.name)}"
        if c.type == "timestamp"
        else ident(c.name)
        for c in wanted
    )
    suffix = f".{part}" if part > 1 else ""
    target = uploads_dir(con) / f"{sha256}{MINIMISED}{table.name}{suffix}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-", suffix=".csv")
    os.close(fd)
    query = f"select {select} from temp.{ident(checked.name)} order by _row"
    con.sql(query).write_csv(tmp, header=True)
    os.replace(tmp, target)
    return target


def forget_upload(con: duckdb.DuckDBPyConnection, sha256: str) -> list[Path]:
    """Delete what is kept of an upload (`uploads/<sha256>.*`: the original, or its
    minimised copies) unless an import that stands (status 'loaded') came from it;
    returns the files deleted. Called on every rejection and undo."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        return []
    query = "select count(*) from imports where sha256 = ? and status = 'loaded'"
    if con.execute(query, [sha256]).fetchall()[0][0]:
        return []
    removed = []
    for kept in sorted(uploads_dir(con).glob(f"{sha256}.*")):
        kept.unlink(missing_ok=True)
        removed.append(kept)
    return removed
