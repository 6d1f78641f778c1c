"""The delivery rules every query shares: which environments are production, which spans
run backwards. The rules themselves are SQL macros (migration 006), so every query, page,
chart, the CLI and the board pack apply one definition; this module reads and sets their
configuration and answers for single values.

Production environment (SPEC §5): the first word of the trimmed, lower-cased environment is
a production name (default `prod`, `production`, `prd`) and none of its words is a
non-production word (default `staging`, `stage`, `stg`, `preprod`, `nonprod`, `test`, …).
Words are runs of letters and digits, so region and stage suffixes keep production:
`prod-us`, `production_eu`, `prod.eu-west-1` are production; `preprod`, `non-prod`, `staging`,
`prod-staging` are not. When no deployment of a scope names an environment, all of that
scope's deployments count.

In SQL, for deployments already cut to one scope:

    qualify counts_as_production(environment, bool_or(names_environment(environment)) over ())

with `over (partition by …)` when one query computes several scopes (a unit, a bucket).
Spans: `span_hours(start, end)` / `span_days(start, end)` are null when the span runs
backwards (`runs_backwards(start, end)`), so a median or average over them leaves it out.
"""

from __future__ import annotations

import re

import duckdb

from lib import db

_WORD = re.compile(r"[a-z0-9]+")

PRODUCTION_NAMES_SETTING = "production_environment_names"
NONPRODUCTION_WORDS_SETTING = "nonproduction_environment_words"
SETTINGS = {
    PRODUCTION_NAMES_SETTING: "first words that name a production environment (comma-separated)",
    NONPRODUCTION_WORDS_SETTING: "words that make an environment non-production (comma-separated)",
}


def production_environment_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The production names in force (the setting, else the default), lower case."""
    return list(con.execute("select production_environment_names()").fetchone()[0])


def nonproduction_environment_words(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The non-production words in force (the setting, else the default), lower case."""
    return list(con.execute("select nonproduction_environment_words()").fetchone()[0])


def is_production_environment(con: duckdb.DuckDBPyConnection, environment: str | None) -> bool:
    """Whether one environment value names production (the SQL macro, for one value)."""
    return bool(con.execute("select is_production_environment(?)", [environment]).fetchone()[0])


def set_rule_list(con: duckdb.DuckDBPyConnection, key: str, words: list[str] | str | None) -> None:
    """Set one of the two lists (`SETTINGS` keys); None or an empty list restores the default.

    Raises ValueError for an unknown key or a word that is not letters and digits (a word
    such as `prod-us` could never match: environments are split into words first).
    """
    if key not in SETTINGS:
        raise ValueError(f"unknown setting {key!r}: one of {', '.join(SETTINGS)}")
    if isinstance(words, str):
        words = words.split(",")
    cleaned = [w.strip().lower() for w in words or () if w.strip()]
    bad = [w for w in cleaned if not _WORD.fullmatch(w)]
    if bad:
        raise ValueError(
            f"{key}: {', '.join(repr(w) for w in bad)} is not one word of letters and digits "
            "(environments are compared word by word: 'prod-us' is the words 'prod' and 'us')"
        )
    db.set_setting(con, key, ", ".join(cleaned) if cleaned else None)
