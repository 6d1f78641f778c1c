"""Which format is this file? The highest `score` across every format module wins.

Nothing at or above MIN_SCORE, or two formats tied at the top, is an error that names the
file, the closest candidates and the columns each lacks, so the user can fix the file,
pick the table, or map its columns. `options.table_hint` forces a canonical table (a
saved mapping for that table and these headers still applies).
"""

from __future__ import annotations

from collections.abc import Sequence

from lib.ingest.formats import Format, ImportOptions, SourceFile, all_formats
from lib.tables import TABLES

MIN_SCORE = 0.5
TIE = 1e-9
CANDIDATES = 3


class UnrecognisedFile(ValueError):
    def __init__(self, message: str, candidates: Sequence[tuple[str, float, tuple[str, ...]]] = ()):
        super().__init__(message)
        self.candidates = tuple(candidates)  # (format name, score, missing columns), best first


def _missing(fmt: Format, source: SourceFile) -> tuple[str, ...]:
    missing = getattr(fmt, "missing", None)
    return tuple(missing(source)) if callable(missing) else ()


def _describe(name: str, missing: tuple[str, ...]) -> str:
    return f"{name} (missing {', '.join(missing)})" if missing else name


def detect(source: SourceFile, options: ImportOptions, formats: Sequence[Format] | None = None) -> Format:
    """The format for `source`; `formats` defaults to `all_formats()` (load adds saved mappings)."""
    formats = list(all_formats() if formats is None else formats)
    hint = options.table_hint
    if hint:
        if hint not in TABLES:
            raise UnrecognisedFile(f"{source.name}: unknown table {hint!r} (tables: {', '.join(TABLES)})")
        for fmt in formats:
            if fmt.name == f"mapped:{hint}" and fmt.score(source) >= 1.0:
                return fmt
        return next(f for f in formats if f.name == f"canonical:{hint}")

    scored = sorted(((f.score(source), i, f) for i, f in enumerate(formats)), key=lambda t: (-t[0], t[1]))
    candidates = [(f.name, s, _missing(f, source)) for s, _, f in scored[:CANDIDATES] if s > 0]
    if not scored or scored[0][0] < MIN_SCORE:
        headers = ", ".join(h for h in source.headers[:12] if h) + (", …" if len(source.headers) > 12 else "")
        closest = "; ".join(_describe(n, m) for n, _, m in candidates) or "none"
        raise UnrecognisedFile(
            f"{source.name}: not recognised: no known format matches its headers ({headers}). "
            f"Closest: {closest}. Rename its columns, choose the table, or map its columns.",
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
            f"{source.name}: not recognised with certainty: it matches {names} equally well; "
            "choose the table for this file or map its columns.",
            candidates,
        )
    return best
