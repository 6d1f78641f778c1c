"""Cached access to the database for the pages.

The connection is one per database file per server process (`st.cache_resource`);
each call takes its own cursor so concurrent sessions don't share one. View results
are cached by plain values only: the database path, a data version that changes with
every import or demo rebuild, the view's dotted name and its arguments, so a cached
result never serves another database's or an older import's numbers.
"""

from __future__ import annotations

import importlib

import duckdb
import pandas as pd
import streamlit as st

from lib import db


@st.cache_resource(max_entries=4)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = db.connect(path)
    _ensure_demo(con)
    return con


def _ensure_demo(con: duckdb.DuckDBPyConnection) -> None:
    """First start with an empty database: load the demo organisation (`lib.demo.ensure_demo`)."""
    from lib.demo import ensure_demo

    ensure_demo(con)


def db_path() -> str:
    return str(db.db_path())


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared connection, for this call only."""
    return _connection(db_path()).cursor()


def data_version() -> str:
    """Changes whenever data changes: imports, undo, demo build or clear."""
    row = (
        cursor()
        .execute("select count(*), max(imported_at), string_agg(status, '' order by import_id) from imports")
        .fetchone()
    )
    demo = db.get_setting(cursor(), "demo") or ""
    return f"{row[0]}|{row[1]}|{hash(row[2])}|{demo}"


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _run(path: str, version: str, name: str, args: tuple, kwargs: tuple):
    module_name, func_name = name.rsplit(".", 1)
    func = getattr(importlib.import_module(module_name), func_name)
    con = _connection(path).cursor()
    try:
        return func(con, *args, **dict(kwargs))
    finally:
        con.close()


def view(name: str, *args, **kwargs):
    """Run `lib.<module>.<function>(con, *args, **kwargs)` through the cache.

    `name` is the dotted path, e.g. "lib.views.delivery.dora_by_period". Arguments must
    be plain hashable values (Scope, str, int, date, tuples).
    """
    return _run(db_path(), data_version(), name, args, tuple(sorted(kwargs.items())))


def clear_caches() -> None:
    _run.clear()


def is_demo() -> bool:
    return db.get_setting(cursor(), "demo") == "true"


def frame(name: str, *args, **kwargs) -> pd.DataFrame:
    """`view` for functions that return DataFrames (a copy: never mutate cached data)."""
    return view(name, *args, **kwargs).copy()
