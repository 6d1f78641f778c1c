"""CSV import throughput against DuckDB's own read_csv (SPEC.md §9: within 1.3×).

    .venv/bin/python bench/import_vs_read_csv.py [--rows 1000000] [--runs 5] [--memory 5000000]

Two files, both written to bench/work/ once (deterministic, so every run reads the same bytes):

- `work_items_<rows>.csv`: the canonical work_items template, short values, ISO `Z` times;
- `jira_work_items_<rows>.csv`: a text-heavy Jira-like work_items template: long summaries
  with quotes, commas and non-ASCII text, Jira REST times with milliseconds and offsets
  (`2025-07-14T15:42:10.123+0200`), story points, and the columns a Jira export carries
  beside them (a multi-line description, labels, sprint, reporter, …), which the import
  ignores and DuckDB's read_csv reads. Its seed is `--seed`.

Per run, each into a fresh database file in a fresh folder, interleaved so that a busy
machine slows both alike: `create table t as select * from read_csv(file)`, then
`import_file` of the same file (detect, read, check, pseudonymise, upsert, log, keep the
original). Connecting is not timed on either side. Wall-clock seconds and CPU seconds
(this process, every thread) are recorded for each.

`--memory N` also imports an N-row file in a child process and reports its peak resident
memory (`ru_maxrss`), against DuckDB's own read_csv of it in another child.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import db  # noqa: E402
from lib.ingest.load import import_file, options_for  # noqa: E402

WORK = Path(__file__).resolve().parent / "work"
SEED = 17


def _copy_to(con: duckdb.DuckDBPyConnection, query: str, path: Path, params: dict) -> Path:
    tmp = path.with_suffix(".tmp")
    con.execute(f"copy ({query}) to '" + str(tmp).replace("'", "''") + "' (header, delimiter ',')", params)
    tmp.rename(path)
    return path


def make_csv(rows: int) -> Path:
    """The canonical work_items template: short values, ISO times with `Z`."""
    path = WORK / f"work_items_{rows}_v2.csv"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    query = """
        select 'WI-' || i as item_id, 'team-' || (i % 12) as team,
            ['feature', 'defect', 'risk', 'debt'][1 + i % 4] as type,
            'Item ' || i || ', with a comma' as title, 'initiative-' || (i % 7) as initiative,
            strftime(timestamp '2024-01-01' + to_seconds(i * 10), '%Y-%m-%dT%H:%M:%SZ') as created_at,
            strftime(timestamp '2024-01-02' + to_seconds(i * 10), '%Y-%m-%dT%H:%M:%SZ') as started_at,
            case when i % 3 > 0
                then strftime(timestamp '2024-01-05' + to_seconds(i * 10), '%Y-%m-%dT%H:%M:%SZ') end
                as completed_at,
            null as canceled_at, (i % 8)::varchar as effort
        from range($rows) t(i)
    """
    return _copy_to(duckdb.connect(), query, path, {"rows": rows})


def make_jira_csv(rows: int, seed: int = SEED) -> Path:
    """A text-heavy Jira-like canonical work_items file (module doc); deterministic in `seed`."""
    path = WORK / f"jira_work_items_{rows}_{seed}.csv"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    # Pseudo-random but reproducible: every choice is a hash of the row number and the seed.
    query = r"""
        with base as (
            select i, (hash(i, $seed) >> 1)::bigint as h, (hash(i, $seed + 1) >> 1)::bigint as g,
                timestamp '2024-01-01' + to_seconds(i * 61 + (hash(i, $seed) % 600)::bigint) as created
            from range($rows) t(i)
        ), pick as (
            select *,
                ['+0200', '+0100', '-0500', '+0530', '+0000', '-0800'][1 + h % 6] as zone,
                (g % 100) as fate,
                to_minutes((60 + g % 20000)::bigint) as wait,
                to_minutes((120 + h % 40000)::bigint) as work
            from base
        )
        select
            ['PAY', 'CORE', 'WEB', 'MOB', 'DATA', 'INFRA', 'SEC', 'GROW'][1 + h % 8] || '-' || (100000 + i) as item_id,
            ['Feature', 'DEFECT', 'defect', 'Risk', 'Debt', 'feature'][1 + (h >> 3) % 6] as type,
            ['[API] ', '[iOS] ', '[Checkout] ', 'Spike: ', 'Bug: ', ''][1 + (h >> 6) % 6]
                || ['Card payment fails with "card_declined"', 'Ünïcødé names break the CSV export',
                    'Latency p95 > 800 ms on /v2/orders', 'Migrate the ledger to Postgres 16',
                    'Cookie banner overlaps “Pay now” on Safari', 'Retry webhooks, idempotently',
                    'Nightly build flakes: "connection reset"', 'Dark mode 🌙 colours, contrast AA'][1 + (h >> 9) % 8]
                || ', when ' || ['3DS times out', 'the cart has 100+ items', 'the user is offline',
                    'SSO token expires mid-flow', 'the region is eu-west-1'][1 + (h >> 12) % 5]
                || ' (follow-up of ' || ['PAY', 'CORE', 'WEB'][1 + (h >> 15) % 3] || '-' || (h >> 18) % 90000 || ')'
                as title,
            ['To Do', 'In Progress', 'In Review', 'Done', 'Won''t Do'][1 + (g >> 3) % 5] as status,
            ['P1 - Critical', 'P2 - High', 'P3 - Medium', 'P4 - Low'][1 + (g >> 6) % 4] as priority,
            ['Payments Core', 'Web Platform', 'Mobile – iOS', 'Data & ML', 'Growth', 'Infra/SRE', 'Security',
             'Checkout "Express"'][1 + (h >> 21) % 8] as team,
            ['Checkout v2 (H2 2025)', 'Zero-downtime deploys', 'EU data residency', 'Self-serve onboarding',
             ''][1 + (g >> 9) % 5] as initiative,
            ['backend;payments', 'frontend', 'tech-debt;security', 'customer-reported;p1', ''][1 + (g >> 12) % 5]
                as labels,
            'Sprint ' || (40 + (g >> 15) % 30) as sprint,
            ['Ada Lovelace', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson'][1 + (g >> 18) % 5]
                as reporter,
            strftime(created, '%Y-%m-%dT%H:%M:%S.') || lpad(((h >> 24) % 1000)::varchar, 3, '0') || zone
                as created_at,
            case when fate >= 10 then strftime(created + wait, '%Y-%m-%dT%H:%M:%S.000') || zone end as started_at,
            case when fate >= 35 then strftime(created + wait + work, '%Y-%m-%dT%H:%M:%S.000') || zone end
                as completed_at,
            case when fate < 5 then strftime(created + wait, '%Y-%m-%dT%H:%M:%S.000') || zone end as canceled_at,
            ['1', '2', '3', '5', '8', '13', '0.5', ''][1 + (g >> 21) % 8] as effort,
            'h3. Context' || chr(10) || 'Customers on ' || ['Safari 17', 'Android 14', 'Chrome', 'the API'][1 + (g >> 24) % 4]
                || ' report that "' || ['the button does nothing', 'the total is off by one cent',
                    'the page hangs', 'the e-mail never arrives'][1 + (g >> 26) % 4]
                || '", since release ' || (g >> 28) % 50 || '.' || chr(10) || chr(10)
                || 'h3. Acceptance criteria' || chr(10) || '* works offline, retries 3×' || chr(10)
                || '* logged, with the request id; no PII in logs' as description,
            ['api, billing', 'web', 'ios, android', ''][1 + (h >> 27) % 4] as components,
            '2025.' || (h >> 29) % 12 as fix_version
        from pick
    """
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    return _copy_to(con, query, path, {"rows": rows, "seed": seed})


@dataclass(frozen=True)
class Runs:
    """Per run: seconds (wall clock and CPU) of DuckDB's read_csv and of `import_file`."""

    native_s: list[float]
    ours_s: list[float]
    native_cpu_s: list[float]
    ours_cpu_s: list[float]

    @property
    def ratios(self) -> list[float]:
        return [o / n for o, n in zip(self.ours_s, self.native_s, strict=True)]

    @property
    def ratio(self) -> float:
        """Median wall-clock time of ours over the median of DuckDB's."""
        return statistics.median(self.ours_s) / statistics.median(self.native_s)

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(self.ours_cpu_s) / statistics.median(self.native_cpu_s)


def _timed(func) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(path: Path, runs: int, warm: bool = True) -> Runs:
    """Per run, in a fresh folder: DuckDB's read_csv into a table, then `import_file`, each
    into a new database file; connecting (and migrating) is not timed on either side. With
    `warm`, one untimed import first loads Pillars' modules, as any long-lived process has."""
    WORK.mkdir(parents=True, exist_ok=True)
    if warm:
        from lib.ingest.formats import all_formats

        all_formats()
    out = Runs([], [], [], [])
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(dir=WORK))
        try:
            con = duckdb.connect(str(folder / "native.duckdb"))
            con.execute("set enable_progress_bar = false")  # on both sides: it draws on stderr
            query = "create table t as select * from read_csv($path)"
            wall, cpu = _timed(lambda: con.execute(query, {"path": str(path)}))  # noqa: B023
            out.native_s.append(wall)
            out.native_cpu_s.append(cpu)
            con.close()
            con = db.connect(folder / "pillars.duckdb")
            con.execute("set enable_progress_bar = false")
            options = options_for(con)
            results = []
            wall, cpu = _timed(lambda: results.append(import_file(con, path, options)))  # noqa: B023
            assert results[0].ok, results[0].summary()
            out.ours_s.append(wall)
            out.ours_cpu_s.append(cpu)
            con.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return out


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
path, kind, folder = sys.argv[1], sys.argv[2], sys.argv[3]
began = time.perf_counter()
if kind == "native":
    import duckdb
    con = duckdb.connect(folder + "/native.duckdb")
    con.execute("create table t as select * from read_csv($path)", {{"path": path}})
    rows = con.execute("select count(*) from t").fetchall()[0][0]
else:
    from lib import db
    from lib.ingest.load import import_file, options_for
    con = db.connect(folder + "/pillars.duckdb")
    result = import_file(con, path, options_for(con))
    assert result.ok, result.summary()
    rows = result.rows
seconds = time.perf_counter() - began
con.close()
print(json.dumps({{"rows": rows, "seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def peak_memory(path: Path, kind: str) -> dict:
    """Import `path` in a child process (kind 'pillars' or 'native'); its rows, seconds and
    peak resident memory in MiB (`ru_maxrss`, which Linux gives in KiB)."""
    folder = Path(tempfile.mkdtemp(dir=WORK))
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD.format(root=str(ROOT)), str(path), kind, str(folder)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--memory", type=int, default=0, help="also the peak memory of an import of this many rows"
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for path in (make_csv(args.rows), make_jira_csv(args.rows, args.seed)):
        runs = measure(path, args.runs)
        print(f"{path.name}: {path.stat().st_size / 2**20:.0f} MiB, {args.runs} runs, interleaved")
        print(f"  duckdb read_csv into a table  median {statistics.median(runs.native_s):6.2f} s wall, "
              f"{statistics.median(runs.native_cpu_s):6.2f} s CPU")  # fmt: skip
        print(f"  pillars import_file           median {statistics.median(runs.ours_s):6.2f} s wall, "
              f"{statistics.median(runs.ours_cpu_s):6.2f} s CPU")  # fmt: skip
        print(f"  ratio of medians {runs.ratio:.2f}× wall, {runs.cpu_ratio:.2f}× CPU; "
              f"per run {[round(r, 2) for r in runs.ratios]}")  # fmt: skip
    if args.memory:
        path = make_csv(args.memory)
        for kind in ("native", "pillars"):
            print(f"{args.memory:,} rows, {kind}: {peak_memory(path, kind)}")


if __name__ == "__main__":
    main()
