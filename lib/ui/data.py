"""Cached access to the database for the pages: read a snapshot, write through `writing`.

Pages read the newest published snapshot of the database (lib/store.py), through one
read-only connection per snapshot file per server process (`st.cache_resource`); each
call takes its own cursor so concurrent sessions don't share one. So the app never holds
the database file itself: `python -m lib import` runs while the app is open, a page
opened during it shows the data from before it, and the first run after it commits
shows the new data. Changes made from a page (`writing`) take their turn with the CLI's.

Every cursor shows only what the signed-in person may see (`lib.access.open_restricted`
with the session's grant from lib/ui/access.py), so every view, filter and download of
every page, present or future, computes over the granted org units only.

View results are cached by plain values only: the database path, the snapshot version
(new after every import, undo, demo build or clear, from the app or the CLI), the grant,
the view's dotted name and its arguments, so a cached result never serves another
database's, an older import's or another person's numbers.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator

import duckdb
import pandas as pd
import streamlit as st

from lib import access, db, memo, store
from lib.ui.access import current_grant


def db_path() -> str:
    return str(db.db_path())


@st.cache_resource(max_entries=4, show_spinner=False)
def _started(path: str) -> bool:
    """Once per server process and database: tidy up after a killed process, and load the
    demo on a first start (SPEC §8)."""
    store.tidy(path)
    snap = store.current(path)
    con = store.open_snapshot(snap)
    try:
        needed = _needs_demo(con)
    finally:
        con.close()
    if needed:
        with store.writing(path, purpose="the app's first start: building the demo organisation") as w:
            if _needs_demo(w):
                from lib.demo import build_demo

                build_demo(w)
    return True


def _needs_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """An empty database that never had the demo (`lib.demo.needs_demo`)."""
    from lib.demo import needs_demo

    return needs_demo(con)


# Not closed on eviction: a session may still be reading through a cursor of it, and
# DuckDB frees the snapshot's database once its last cursor is gone. One per snapshot and
# grant: a restricted person's connection holds only their org units' rows (lib/access.py).
@st.cache_resource(max_entries=16, show_spinner=False)
def _reader(snapshot_file: str, version: int, as_granted: access.Grant) -> duckdb.DuckDBPyConnection:
    return access.open_restricted(snapshot_file, as_granted)


def snapshot() -> store.Snapshot:
    """The snapshot this call reads (the newest published).

    Only a database never published before waits for a writer (a first start during a CLI
    import); if that takes too long the page says who holds it and stops there.
    """
    path = db_path()
    try:
        _started(path)
    except store.Busy as busy:
        st.error(f"The data cannot be opened yet: {busy}", icon=":material/lock_clock:")
        st.stop()
    return store.current(path)


def grant() -> access.Grant:
    """What this session may see (lib/ui/access.py)."""
    return current_grant()


def cursor(as_granted: access.Grant | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the newest snapshot showing only what this session (or
    `as_granted`) may see, for this call only."""
    return _open(as_granted or grant())[1]


def _open(as_granted: access.Grant) -> tuple[store.Snapshot, duckdb.DuckDBPyConnection]:
    """The newest snapshot and a read-only cursor on it for `as_granted`."""
    snap = snapshot()
    return snap, _reader(str(snap.file), snap.version, as_granted).cursor()


def data_version() -> str:
    """Changes whenever data changes: imports, undo, demo build or clear, in the app or the CLI."""
    return str(snapshot().version)


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _run(path: str, version: str, as_granted: access.Grant, name: str, args: tuple, kwargs: tuple):
    module_name, func_name = name.rsplit(".", 1)
    func = getattr(importlib.import_module(module_name), func_name)
    snap, con = _open(as_granted)
    try:
        # a published snapshot never changes: the views the page's charts share are read
        # once per snapshot and grant (lib.memo)
        with memo.reading((str(snap.file), snap.version, as_granted)):
            return func(con, *args, **dict(kwargs))
    finally:
        con.close()


def view(name: str, *args, **kwargs):
    """Run `lib.<module>.<function>(con, *args, **kwargs)` through the cache.

    `name` is the dotted path, e.g. "lib.views.delivery.dora_by_period". Arguments must
    be plain hashable values (Scope, str, int, date, tuples). `con` is read-only.
    """
    return _run(db_path(), data_version(), grant(), name, args, tuple(sorted(kwargs.items())))


def clear_caches() -> None:
    _run.clear()
    memo.clear()


def is_demo() -> bool:
    return view("lib.db.get_setting", "demo") == "true"


def frame(name: str, *args, **kwargs) -> pd.DataFrame:
    """`view` for functions that return DataFrames (a copy: never mutate cached data)."""
    return view(name, *args, **kwargs).copy()


@contextlib.contextmanager
def writing(purpose: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one change made from a page (`with data.writing("…") as con:`).

    Takes its turn with the CLI's writers: while one is at work the page says who, and
    waits at most $PILLARS_LOCK_WAIT seconds (default 60), then raises `store.Busy`,
    whose message names that process; show it with `st.error(str(busy))`. The caches are
    cleared afterwards, so the next run reads the snapshot the change published.
    Raises PermissionError for a person who may not see every org unit: changing the data
    is for those who see all of it.
    """
    if not grant().everything:
        raise PermissionError(
            f"{grant().who} sees {grant().describe()}: uploading, undoing and clearing data is for people "
            "who may see every org unit."
        )
    notice = st.empty()

    def tell(holder: store.Holder | None) -> None:
        who = holder.describe() if holder else "another Pillars process"
        notice.info(f"Waiting for {who} to finish writing the database…", icon=":material/hourglass_top:")

    try:
        with store.writing(db_path(), purpose=f"the app: {purpose}", on_wait=tell) as con:
            yield con
    finally:
        notice.empty()
        clear_caches()
