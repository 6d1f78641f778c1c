"""Which format is this file? The highest `score` across every format module wins.

Nothing at or above MIN_SCORE, or two formats tied at the top, is an error that names the
file and the closest candidates, so the user can fix the file, pick the table, or map its
columns. The headers a message quotes are shown as printable text only, each shortened
(`shown_headers`): a binary file or a crafted header never reaches a terminal raw. A candidate is only suggested when the file has every column it requires: a
table whose required columns the file lacks is never offered. `options.table_hint` forces a canonical table (a
saved mapping for that table and these headers still applies).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

from lib.ingest.formats import Format, ImportOptions, SourceFile, all_formats
from lib.ingest.report import shown
from lib.ingest.words import format_words
from lib.tables import TABLES, table_words

MIN_SCORE = 0.5
SUGGEST = 0.1  # an unrecognised file's candidates: every required column, and this much fit
TIE = 1e-9
CANDIDATES = 3


class UnrecognisedFile(ValueError):
    def __init__(self, message: str, candidates: Sequence[tuple[str, float, tuple[str, ...]]] = ()):
        super().__init__(message)
        self.candidates = tuple(candidates)  # (format name, score, missing columns), best first


def shown_headers(headers: Sequence[str], count: int = 12, each: int = 40) -> str:
    """The first `count` non-empty headers as messages print them: printable text only
    (no escape sequences, no control characters), each cut to `each` characters."""
    named = [shown(h.strip(), each) for h in headers if h.strip()]
    return ", ".join(named[:count]) + (", …" if len(named) > count else "")


def _missing(fmt: Format, source: SourceFile) -> tuple[str, ...]:
    missing = getattr(fmt, "missing", None)
    return tuple(missing(source)) if callable(missing) else ()


def _score(fmt: Format, source: SourceFile) -> float:
    """A format's score for `source`; 0 when it cannot even sample the file (a value past the
    csv module's field limit, bytes that are not its encoding): the reader that is chosen then
    names the row and the cause."""
    try:
        return fmt.score(source)
    except (csv.Error, UnicodeError, ValueError, OSError):
        return 0.0


def detect(source: SourceFile, options: ImportOptions, formats: Sequence[Format] | None = None) -> Format:
    """The format for `source`; `formats` defaults to `all_formats()` (load adds saved mappings)."""
    formats = list(all_formats() if formats is None else formats)
    hint = options.table_hint
    if hint:
        if hint not in TABLES:
            raise UnrecognisedFile(f"{source.label}: unknown table {hint!r} (tables: {', '.join(TABLES)})")
        for fmt in formats:
            if fmt.name == f"mapped:{hint}" and fmt.score(source) >= 1.0:
                return fmt
        return next(f for f in formats if f.name == f"canonical:{hint}")

    scored = sorted(((_score(f, source), i, f) for i, f in enumerate(formats)), key=lambda t: (-t[0], t[1]))
    candidates = [
        (f.name, s, missing) for s, _, f in scored if s >= SUGGEST and not (missing := _missing(f, source))
    ][:CANDIDATES]
    if not scored or scored[0][0] < MIN_SCORE:
        headers = shown_headers(source.headers)
        raise UnrecognisedFile(
            f"{source.label}: not recognised: no known format matches its headers ({headers}). "
            + how_to_fix(source, [name for name, _, _ in candidates]),
            candidates,
        )
    best_score, _, best = scored[0]
    tied = [f for s, _, f in scored if best_score - s <= TIE]
    if len(tied) > 1:
        saved = [f for f in tied if f.name.startswith("mapped:")]
        if len(saved) == 1:
            return saved[0]
        names = " and ".join(format_words(f.name) for f in tied)
        tables = [f.name.partition(":")[2] for f in tied if f.name.startswith(("canonical:", "mapped:"))]
        choose = f" (--table {tables[0]} with python -m lib import)" if tables else ""
        raise UnrecognisedFile(
            f"{source.label}: not recognised with certainty: it matches the {names} equally well. Choose the "
            f"table for this file{choose}, or map its columns in the Data page's mapping step.",
            candidates,
        )
    return best


def closest_table(source: SourceFile) -> tuple[str, tuple[str, ...]] | None:
    """The canonical table whose columns the file's headers match most (at least two, or its
    whole key), and the required columns of it the file lacks; None when no table is close.
    The Data page's mapping step opens on it; a refusal names it."""
    from lib.ingest.formats.canonical import FORMATS as CANONICAL

    headers = {h for h in source.normalized_headers if h}
    best = None
    for rank, fmt in enumerate(CANONICAL):
        matched = len(headers & set(fmt.table.column_names))
        if matched >= 2 or (matched and set(fmt.table.key) <= headers):
            missing = fmt.missing(source)
            score = (matched, -len(missing), -rank)
            if best is None or score > best[0]:
                best = (score, fmt.table.name, missing)
    return (best[1], best[2]) if best else None


def how_to_fix(source: SourceFile, candidates: Sequence[str]) -> str:
    """What to do with a file no format recognises, in the user's words: the table it could
    fill and how to choose it, or the table it is closest to and the columns it lacks; the
    template to download and the mapping step for that table."""
    tables = [name.partition(":")[2] for name in candidates if name.startswith("canonical:")]
    tools = [format_words(name) for name in candidates if not name.startswith(("canonical:", "mapped:"))]
    closest = closest_table(source)
    if not tables and closest and not closest[1]:
        tables = [closest[0]]
    if tables:
        table = tables[0]
        words = table_words(table)
        others = f" (or {', '.join(table_words(t) for t in tables[1:])})" if len(tables) > 1 else ""
        return (
            f"It has every required column of the {words} table{others}, but too few of its other columns to "
            f"be sure. Choose the table (--table {table} with python -m lib import), or map its columns to "
            f"{words} in the Data page's mapping step; the {words} template (Data page, Templates, {table}.csv) "
            "shows the headers Pillars recognises."
        )
    if closest and closest[1]:
        table, missing = closest
        words = table_words(table)
        lacks = " and ".join(missing)
        return (
            f"It is closest to the {words} table, but has no {lacks} column{'s' * (len(missing) > 1)}, which "
            f"{words} need{'s' * (not words.endswith('s'))}. Add {'them' if len(missing) > 1 else 'it'}, as in "
            f"the {words} template (Data page, Templates, {table}.csv), or map the file's own columns to {words} "
            "in the Data page's mapping step."
        )
    if tools:
        return (
            f"It looks partly like a {tools[0]}, but lacks columns that export always has: export it again with "
            "its default columns, or map its columns in the Data page's mapping step."
        )
    return (
        "None of its headers is a column of a Pillars table: download the template of the table it holds (Data "
        "page, Templates) and use its headers, or map its columns in the Data page's mapping step."
    )
