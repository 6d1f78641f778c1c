"""The canonical templates (SPEC.md §3): one format per table, `canonical:<table>`.

A file qualifies as a table's template when its headers, normalised (`normalize_header`),
include every required column of the table and cover at least half of the table's
columns or use at least half of the file's (so a lone `team` column in some other export
is not a teams file). Among qualifying tables the header that covers a table best wins:
recall (share of the table's columns present) weighs more than precision (share of the
file's columns used); each required column of another table that this table lacks
(`item_id` in a would-be teams file) costs FOREIGN_PENALTY; a file named after the table
(`deployments.csv`, `work_items_2025.csv`) breaks what is left of a tie. Extra columns
are ignored. A canonical score never reaches 1.0, which only a saved mapping gives.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.tables import TABLES, Table

MAX_SCORE = 0.95
NAME_BONUS = 0.04
FOREIGN_PENALTY = 0.15
MIN_COVER = 0.5


class CanonicalFormat:
    def __init__(self, table: Table):
        self.table = table
        self.name = f"canonical:{table.name}"

    def picks(self, source: SourceFile) -> list[tuple[int, str]]:
        """Header index → canonical column; the first of duplicate headers wins."""
        wanted = set(self.table.column_names)
        chosen: dict[str, int] = {}
        for index, header in enumerate(source.normalized_headers):
            if header in wanted and header not in chosen:
                chosen[header] = index
        return [(index, column) for column, index in chosen.items()]

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        headers = set(source.normalized_headers)
        return tuple(c.name for c in self.table.columns if c.required and c.name not in headers)

    def named_after(self, source: SourceFile) -> bool:
        """The file (or its workbook sheet) is named after the table: `deployments.csv`."""
        for stem in (normalize_header(Path(source.name).stem), normalize_header(source.sheet or "")):
            if stem == self.table.name or stem.startswith(self.table.name + "_"):
                return True
        return False

    def score(self, source: SourceFile) -> float:
        headers = {h for h in source.normalized_headers if h}
        if not headers:
            return 0.0
        own = set(self.table.column_names)
        matched = headers & own
        recall = len(matched) / len(own)
        precision = len(matched) / len(headers)
        if self.missing(source) or max(recall, precision) < MIN_COVER:
            return 0.4 * recall
        foreign = {
            c.name for t in TABLES.values() if t is not self.table for c in t.columns if c.required
        } - own
        bonus = NAME_BONUS if self.named_after(source) else 0.0
        score = 0.5 + 0.25 * recall + (MAX_SCORE - 0.5 - 0.25 - NAME_BONUS) * precision + bonus
        return max(0.0, score - FOREIGN_PENALTY * len(headers & foreign))

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        from lib.ingest.read import stage_columns

        return [
            Staged(
                self.table.name,
                stage_columns(con, source, self.picks(source)),
                DateHints(serial=source.workbook),
            )
        ]


FORMATS = [CanonicalFormat(table) for table in TABLES.values()]
