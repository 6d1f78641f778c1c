"""Pseudonymous person identifiers and safe CSV exports (SPEC.md §4 and §6).

A person identifier (an e-mail, a login, an HRIS id) is stored as `p_` + the first 16
hex digits of sha256(salt || lower(trim(value))), so the same person gets the same id in
every table and no name or address reaches the database. The salt is the `PILLARS_SALT`
variable, else the file `pillars.salt` beside the database (created on first use with
mode 600); it is never stored in the database, so the file alone cannot be reversed by
hashing a list of known addresses.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

SALT_FILE = "pillars.salt"
PREFIX = "p_"
DIGITS = 16
PSEUDONYM = re.compile(r"^p_[0-9a-f]{16}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def salt(data_dir: str | os.PathLike) -> str:
    """The salt: $PILLARS_SALT, else `<data_dir>/pillars.salt`, created if missing."""
    from_env = os.environ.get("PILLARS_SALT")
    if from_env:
        return from_env
    file = Path(data_dir) / SALT_FILE
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then linked into place, so no reader ever sees a half-written salt
        # and two first imports cannot create two different salts.
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".salt-")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):
                os.link(tmp, file)
        finally:
            os.unlink(tmp)
    value = file.read_text().strip()
    if not value:
        raise ValueError(f"{file} is empty; delete it to create a new salt")
    return value


def pseudonym(value: str | None, salt_value: str) -> str | None:
    """The stored id for a person identifier (Python twin of `pseudonym_sql`)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if PSEUDONYM.match(text):
        return text
    return PREFIX + hashlib.sha256((salt_value + text.lower()).encode()).hexdigest()[:DIGITS]


def pseudonym_sql(expression: str, salt_param: str = "$salt") -> str:
    """SQL for the pseudonym of `expression` (a trimmed varchar, null when empty).

    Values that already are pseudonyms pass through, so re-importing an export of
    Pillars' own data maps each person to the same id.
    """
    return (
        f"case when {expression} is null then null "
        f"when regexp_full_match({expression}, '{PSEUDONYM.pattern[1:-1]}') then {expression} "
        f"else '{PREFIX}' || left(sha256({salt_param} || lower({expression})), {DIGITS}) end"
    )


def neutralise_csv_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

    Formula-like: text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return
    (OWASP "CSV injection"). Numbers, dates and nulls pass unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_safe_labels(level) for level in index.levels], verify_integrity=False)
    if pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index):
        return index.map(neutralise_csv_cell)
    return index


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells, column names and index labels are neutralised.

    Every table that leaves the app goes through it: `st.dataframe`'s own "Download as
    CSV" writes the cells exactly as displayed, so they are made safe before display
    (lib/ui/layout.table), and CSV files are written from it (`to_safe_csv`). Text and
    categorical columns are converted; numeric, date and boolean columns are left as they
    are (a negative number is a number, not a formula). Shape and dtypes otherwise kept.
    """
    safe = df.copy()
    safe.columns = _safe_labels(safe.columns)
    safe.index = _safe_labels(safe.index)
    for position in range(safe.shape[1]):
        series = safe.iloc[:, position]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            safe.isetitem(position, series.map(neutralise_csv_cell, na_action="ignore"))
    return safe


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV of `df` (without its index) with every text cell and header neutralised."""
    buffer = io.StringIO()
    safe_frame(df).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def printable(text: object, limit: int = 120) -> str:
    """`text` safe to print on a terminal or a page: control and format characters (escape
    sequences, bidi overrides, NUL) become `?`, and it is cut to `limit` characters with `…`."""
    clean = "".join("?" if unicodedata.category(ch)[0] == "C" else ch for ch in str(text))
    return clean if len(clean) <= limit else clean[: max(0, limit - 1)] + "…"
