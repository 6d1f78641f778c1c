"""Canonical CSV templates (SPEC.md §3) for the Data page's download buttons.

Each template is the table's header plus the example rows declared in `lib/tables.py`,
so the templates, the samples in `data/sample/` and the importer share one definition.
`python -m lib.templates` rewrites `data/sample/<table>.csv`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from lib.tables import TABLES

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def template_csv(table: str) -> bytes:
    """Header and example rows of a canonical table as UTF-8 CSV (no BOM, LF line ends)."""
    spec = TABLES[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.column_names)
    writer.writerows(spec.example)
    return buffer.getvalue().encode("utf-8")


def template_frame(table: str) -> pd.DataFrame:
    """The template as a DataFrame of text cells (what the Data page offers for download)."""
    spec = TABLES[table]
    rows = [["" if v is None else str(v) for v in row] for row in spec.example]
    return pd.DataFrame(rows, columns=spec.column_names, dtype=object)


def write_samples(folder: Path = SAMPLE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = folder / f"{table}.csv"
        path.write_bytes(template_csv(table))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_samples():
        print(path)
