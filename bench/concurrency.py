"""What each way of sharing one DuckDB file between the app and the CLI costs.

    .venv/bin/python bench/concurrency.py [--demo PATH] [--large PATH] [--repeat 7]

DuckDB lets one process hold a file read-write, or any number hold it read-only, never
both. The candidates for letting `streamlit run` and `python -m lib import` share a
database (issue 16), each measured on the demo and the large organisation:

1. today: one read-write connection for the app's whole life (the CLI cannot open);
2. a short-lived read-only connection per page request, a read-write one per write;
3. a file lock around writers plus a read-only snapshot copy, published after each
   write, that pages read (writers never wait for readers, readers never wait);
4. the file lock alone (flock on a side file), the price every writer pays in 2 and 3.

It also measures what sign-in costs (lib/access.py): opening a reader restricted to one
org, and the metric catalog on it against the full reader.

The page-side cost is the metric catalog (the heaviest read a page makes, SPEC §9's
0.5 s bar) on a warm long-lived connection against a connection opened for it; the
write-side cost is what a write adds on top of its own work. Prints a Markdown table;
the figures in bench/RESULTS.md come from it. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from lib import access, db, store  # noqa: E402
from lib.metrics import catalog  # noqa: E402
from lib.scope import default_scope  # noqa: E402


def median_ms(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs)


def interleaved_ms(funcs: dict, repeat: int) -> dict[str, float]:
    """Medians of several functions run in turn, so a busy machine slows each alike."""
    runs = {name: [] for name in funcs}
    for _ in range(repeat):
        for name, func in funcs.items():
            began = time.perf_counter()
            func()
            runs[name].append((time.perf_counter() - began) * 1000)
    return {name: statistics.median(values) for name, values in runs.items()}


def _work_items_csv(source: Path, target: Path, rows: int) -> Path:
    con = duckdb.connect(str(source), read_only=True)
    con.execute(
        "copy (select 'CONC-' || row_number() over () as item_id, team, type, title, initiative, "
        "strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as created_at, "
        "strftime(completed_at, '%Y-%m-%dT%H:%M:%SZ') as completed_at "
        "from (select * from work_items, range(0, 10) limit $rows)) to '"
        + str(target).replace("'", "''")
        + "' (header)",
        {"rows": rows},
    )
    con.close()
    return target


def measure(source: Path, repeat: int) -> dict[str, float]:
    from lib.ingest.load import import_file

    with tempfile.TemporaryDirectory(prefix="pillars-conc-") as folder:
        path = Path(folder) / "pillars.duckdb"
        shutil.copy(source, path)
        db.connect(path).close()  # migrated to the current schema
        out = {"size_mib": path.stat().st_size / 2**20}

        con = db.connect(path, read_only=True)
        scope = default_scope(con)
        catalog(con, scope)  # warm DuckDB's buffers

        def open_and_catalog():
            c = duckdb.connect(str(path), read_only=True)
            c.execute("set TimeZone = 'UTC'")
            catalog(c, scope)
            c.close()

        reads = interleaved_ms({"warm": lambda: catalog(con, scope), "cold": open_and_catalog}, repeat)
        out["catalog_warm_ms"], out["open_ro_catalog_ms"] = reads["warm"], reads["cold"]
        con.close()

        def open_read_only():
            duckdb.connect(str(path), read_only=True).close()

        def open_read_write():
            db.connect(path).close()

        lock = Path(folder) / "pillars.duckdb.lock"

        def flock():
            with open(lock, "a+") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                fcntl.flock(f, fcntl.LOCK_UN)

        def write_only():
            c = db.connect(path)
            c.execute("update settings set value = value where key = 'demo'")
            c.close()

        def write_and_publish():
            with store.writing(path, purpose="bench") as c:
                c.execute("update settings set value = value where key = 'demo'")

        small = interleaved_ms(
            {
                "open_ro_ms": open_read_only,
                "open_rw_ms": open_read_write,
                "flock_ms": flock,
                "write_rw_ms": write_only,
                "write_publish_ms": write_and_publish,
                "snapshot_current_ms": lambda: store.current(path),
            },
            repeat,
        )
        out.update(small)

        # Sign-in: a restricted person's reader (one org) against the full one.
        snap = store.current(path)
        full = store.open_snapshot(snap)
        first_org = full.execute("select min(org) from teams").fetchone()[0]
        grant = access.Grant("bench@example.com", orgs=(first_org,))
        out["open_restricted_ms"] = median_ms(
            lambda: access.open_restricted(snap.file, grant).close(), repeat
        )
        restricted = access.open_restricted(snap.file, grant)
        restricted_scope = default_scope(restricted)
        catalog(restricted, restricted_scope)
        catalog(full, scope)
        reads = interleaved_ms(
            {
                "full": lambda: catalog(full, scope),
                "restricted": lambda: catalog(restricted, restricted_scope),
            },
            repeat,
        )
        out["catalog_full_reader_ms"], out["catalog_restricted_ms"] = reads["full"], reads["restricted"]
        restricted.close()
        full.close()

        csv = _work_items_csv(source, Path(folder) / "items.csv", IMPORT_ROWS)
        runs = []
        for _ in range(3):
            c = db.connect(path)
            began = time.perf_counter()
            result = import_file(c, csv)
            runs.append((time.perf_counter() - began) * 1000)
            c.close()
            assert result.ok, result.error
        out["import_hold_ms"] = statistics.median(runs)
        return out


IMPORT_ROWS = 100_000


ROWS = [
    ("size_mib", "database file, MiB", "{:.1f}"),
    ("catalog_warm_ms", "1. metric catalog on the app's long-lived connection, ms", "{:.0f}"),
    ("open_ro_ms", "2. open + close a read-only connection, ms", "{:.1f}"),
    ("open_ro_catalog_ms", "2. metric catalog on a connection opened for it (cold buffers), ms", "{:.0f}"),
    ("open_rw_ms", "2. open + migrate-check + close a read-write connection, ms", "{:.1f}"),
    ("flock_ms", "4. take and release the writers' file lock, ms", "{:.3f}"),
    ("write_rw_ms", "a one-row write on a read-write connection opened for it, ms", "{:.1f}"),
    (
        "write_publish_ms",
        "3. the same write through store.writing (lock, write, checkpoint, copy, publish), ms",
        "{:.0f}",
    ),
    ("snapshot_current_ms", "3. find the current snapshot (a page's per-run check), ms", "{:.2f}"),
    (
        "open_restricted_ms",
        "sign-in: open a reader restricted to one org (once per snapshot and person), ms",
        "{:.0f}",
    ),
    ("catalog_full_reader_ms", "sign-in: metric catalog on the full reader, ms", "{:.0f}"),
    ("catalog_restricted_ms", "sign-in: metric catalog on a reader restricted to one org, ms", "{:.0f}"),
    (
        "import_hold_ms",
        f"2. a page opened during a {IMPORT_ROWS:,}-row import waits for it (the import's duration), ms "
        "(3: 0, it reads the snapshot)",
        "{:.0f}",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, default=ROOT / "bench" / "work" / "small.duckdb")
    parser.add_argument("--large", type=Path, default=ROOT / "bench" / "work" / "large.duckdb")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = {
        name: measure(path, args.repeat) for name, path in (("demo", args.demo), ("large", args.large))
    }
    print(f"Medians of {args.repeat} runs.\n")
    print("| measure | demo | large |\n|---|---:|---:|")
    for key, label, fmt in ROWS:
        print(f"| {label} | {fmt.format(results['demo'][key])} | {fmt.format(results['large'][key])} |")


if __name__ == "__main__":
    main()
