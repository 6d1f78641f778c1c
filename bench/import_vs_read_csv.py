"""CSV import throughput against DuckDB's own read_csv (SPEC.md §9: within 2×).

    .venv/bin/python bench/import_vs_read_csv.py [--rows 1000000] [--runs 3]

Writes a canonical work_items CSV to bench/work/, then per run, each in a fresh folder:
`create table … as select * from read_csv(file)` into a new database file, and
`import_file` of the same file into another. Prints the best time of each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import db  # noqa: E402
from lib.ingest.load import import_file, options_for  # noqa: E402

WORK = Path(__file__).resolve().parent / "work"


def make_csv(rows: int) -> Path:
    path = WORK / f"work_items_{rows}.csv"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    duckdb.connect().execute(
        """
        copy (
            select 'WI-' || i as item_id, 'team-' || (i % 12) as team,
                ['feature', 'defect', 'risk', 'debt'][1 + i % 4] as type,
                'Item ' || i || ', with a comma' as title, 'initiative-' || (i % 7) as initiative,
                strftime(timestamp '2024-01-01' + to_minutes(i), '%Y-%m-%dT%H:%M:%SZ') as created_at,
                strftime(timestamp '2024-01-02' + to_minutes(i), '%Y-%m-%dT%H:%M:%SZ') as started_at,
                case when i % 3 > 0
                    then strftime(timestamp '2024-01-05' + to_minutes(i), '%Y-%m-%dT%H:%M:%SZ') end
                    as completed_at,
                null as canceled_at, (i % 8)::varchar as effort
            from range($rows) t(i)
        ) to '"""
        + str(path).replace("'", "''")
        + "' (header, delimiter ',')",
        {"rows": rows},
    )
    return path


def measure(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds per run for DuckDB's read_csv into a table and for `import_file`, each into
    a fresh database file; connecting is not timed on either side."""
    native, ours = [], []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(dir=WORK))
        con = duckdb.connect(str(folder / "native.duckdb"))
        began = time.perf_counter()
        con.execute("create table t as select * from read_csv($path)", {"path": str(path)})
        native.append(time.perf_counter() - began)
        con.close()
        con = db.connect(folder / "pillars.duckdb")
        began = time.perf_counter()
        result = import_file(con, path, options_for(con))
        ours.append(time.perf_counter() - began)
        assert result.ok, result.summary()
        con.close()
        shutil.rmtree(folder)
    return native, ours


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = make_csv(args.rows)
    native, ours = measure(path, args.runs)
    ratios = sorted(round(o / n, 2) for o, n in zip(ours, native, strict=True))
    print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, best of {args.runs}:")
    print(f"  duckdb read_csv into a table  {min(native):6.2f} s")
    print(f"  pillars import_file           {min(ours):6.2f} s  ({min(ours) / min(native):.2f}×)")
    print(f"  ratio per run (back to back)  median {statistics.median(ratios):.2f}×, all {ratios}")


if __name__ == "__main__":
    main()
