"""The canonical templates (SPEC.md §3): one format per table, `canonical:<table>`.

A file is a table's template when its headers, normalised (`normalize_header`), include
every required column of the table. Among the tables that qualify, the one whose columns
the header covers best wins: recall (share of the table's columns present) weighs more
than precision (share of the file's columns used), and a file named after the table
(`deployments.csv`, `work_items_2025.csv`) breaks what is left of a tie. Extra columns
are ignored; a canonical score never reaches 1.0, which only a saved mapping gives.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.tables import TABLES, Table

MAX_SCORE = 0.95
NAME_BONUS = 0.04


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
        stem = normalize_header(Path(source.name).stem)
        return stem == self.table.name or stem.startswith(self.table.name + "_")

    def score(self, source: SourceFile) -> float:
        headers = {h for h in source.normalized_headers if h}
        if not headers:
            return 0.0
        matched = headers & set(self.table.column_names)
        recall = len(matched) / len(self.table.columns)
        if self.missing(source):
            return 0.4 * recall
        precision = len(matched) / len(headers)
        bonus = NAME_BONUS if self.named_after(source) else 0.0
        return 0.5 + 0.25 * recall + (MAX_SCORE - 0.5 - 0.25 - NAME_BONUS) * precision + bonus

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        from lib.ingest.read import stage_columns

        return [Staged(self.table.name, stage_columns(con, source, self.picks(source)))]


FORMATS = [CanonicalFormat(table) for table in TABLES.values()]
