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
from lib.tables import TABLES

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
        closest = (
            f" It has the required columns of {', '.join(n for n, _, _ in candidates)}, but too few of the others."
            if candidates
            else ""
        )
        raise UnrecognisedFile(
            f"{source.label}: not recognised: no known format matches its headers ({headers}).{closest} "
            "Rename its columns, choose the table, or map its columns.",
            candidates,
        )
    best_score, _, best = scored[0]
    tied = [f for s, _, f in scored if best_score - s <= TIE]
    if len(tied) > 1:
        saved = [f for f in tied if f.name.startswith("mapped:")]
        if len(saved) == 1:
            return saved[0]
        names = ", ".join(f.name for f in tied)
        raise UnrecognisedFile(
            f"{source.label}: not recognised with certainty: it matches {names} equally well; "
            "choose the table for this file or map its columns.",
            candidates,
        )
    return best
