"""Benchmark on the large demo organisation; writes medians to bench/RESULTS.md.

    .venv/bin/python bench/run.py [--repeat 3] [--import-repeat 5] [--skip-pages] [--skip-board-pack]

Measures (SPEC §9):
1. import throughput, in one run, interleaved: `import_file` of a clean 1,000,000-row
   canonical work_items CSV against DuckDB's own `create table … as select * from
   read_csv(…)` of the same file, on two files: the benchmark's own (cut from the large
   demo organisation, built with seed 7) and a text-heavy Jira-like one
   (bench/import_vs_read_csv.py, seed 17); wall clock and CPU;
2. peak resident memory of a 5,000,000-row import, in a child process;
3. the metric catalog's compute time over the default period, org-wide and for one team;
4. per page, on the demo and the large organisation, the time from navigation to every
   chart drawn, in Chromium against a real `streamlit run` server (the server's first page,
   which pays its start, apart; then per page the first visit, its views not yet computed, the
   median of later visits, and the sidebar link with the app open), with a
   trivial Streamlit app (a title alone; six small Plotly charts) measured the same way in
   the same run as the reference;
5. a 12-chart board deck built on the demo and the large organisation (bench/board_pack.py).
Timings are medians over --repeat runs. The machine's load average is recorded: its two
cores are shared. Sections of RESULTS.md this run does not measure (those other scripts
write) are kept as they are. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib import db  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "RESULTS.md"
ROWS = 1_000_000


def timed(func, repeat: int) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs), runs


def build_demo_db(scale: str = "large") -> tuple[Path, float]:
    """The demo organisation at `scale`, built once into bench/work/ (NaN seconds when reused)."""
    from lib.demo import build_demo

    path = WORK / f"{scale}.duckdb"
    if path.exists():
        db.connect(path).close()  # brings a reused build up to the current schema
        return path, float("nan")
    con = db.connect(path)
    began = time.perf_counter()
    build_demo(con, scale=scale, seed=7)
    elapsed = time.perf_counter() - began
    con.close()
    return path, elapsed


def write_csv(large: Path) -> Path:
    """A 1M-row canonical work_items CSV cut from the large organisation (ids made unique)."""
    target = WORK / "work_items_1m.csv"
    if target.exists():
        return target
    con = db.connect(large, read_only=True)
    con.execute(
        """
        copy (
            select 'B-' || row_number() over () as item_id, team, type, title, initiative,
                   strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as created_at,
                   strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') as started_at,
                   strftime(completed_at, '%Y-%m-%dT%H:%M:%SZ') as completed_at,
                   strftime(canceled_at, '%Y-%m-%dT%H:%M:%SZ') as canceled_at,
                   effort
            from (select * from work_items, range(0, 10) limit $rows)
        ) to '"""
        + str(target).replace("'", "''")
        + "' (header, delimiter ',')",
        {"rows": ROWS},
    )
    con.close()
    return target


def bench_import(files: dict[str, Path], repeat: int) -> list[str]:
    """The import section: per file, medians of each side and the ratio, in one run."""
    from bench.import_vs_read_csv import measure

    load = os.getloadavg()[0]
    results = {label: measure(path, repeat) for label, path in files.items()}
    lines = [
        "## Import throughput: a clean 1,000,000-row canonical CSV against DuckDB's read_csv (bar: 1.3×)",
        "",
        f"Medians of {repeat} runs, each side into a fresh database file, interleaved (DuckDB, Pillars, "
        f"DuckDB, …) so that load slows both alike; load average {load:.1f} on {os.cpu_count()} cores at the "
        "start. `import_file`: detect, read typed, check every value, pseudonymise, upsert, log, hash and "
        "keep the original (lib/ingest/fast.py). CPU is this process's, every thread.",
        "",
        "| file | MiB | DuckDB read_csv s | import_file s | ratio (wall) | DuckDB CPU s | import_file CPU s | "
        "ratio (CPU) | ratio per run (wall) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, runs in results.items():
        path = files[label]
        lines.append(
            f"| {label} (`{path.name}`) | {path.stat().st_size / 2**20:.0f} | "
            f"{statistics.median(runs.native_s):.2f} | {statistics.median(runs.ours_s):.2f} | "
            f"**{runs.ratio:.2f}×** | {statistics.median(runs.native_cpu_s):.2f} | "
            f"{statistics.median(runs.ours_cpu_s):.2f} | {runs.cpu_ratio:.2f}× | "
            + ", ".join(f"{r:.2f}" for r in runs.ratios)
            + " |"
        )
    return [*lines, ""]


def bench_memory(rows: int) -> list[str]:
    """Peak resident memory of importing `rows` rows, in a child process, beside DuckDB's own."""
    from bench.import_vs_read_csv import make_csv, peak_memory

    path = make_csv(rows)
    native, ours = peak_memory(path, "native"), peak_memory(path, "pillars")
    return [
        f"## Peak memory: a {rows:,}-row import (bar: under 1 GB)",
        "",
        f"`{path.name}` ({path.stat().st_size / 2**20:.0f} MiB), imported in a child process of its own; peak "
        "resident set (`ru_maxrss`), Python and DuckDB together.",
        "",
        "| import | rows | seconds | peak MiB |",
        "|---|---:|---:|---:|",
        f"| DuckDB `create table … as select * from read_csv(…)` | {native['rows']:,} | {native['seconds']:.1f} | "
        f"{native['peak_mib']:.0f} |",
        f"| Pillars `import_file` | {ours['rows']:,} | {ours['seconds']:.1f} | **{ours['peak_mib']:.0f}** |",
        "",
    ]


def bench_metrics(large: Path, repeat: int) -> dict:
    from lib.metrics import catalog
    from lib.scope import default_scope

    con = db.connect(large, read_only=True)
    scope = default_scope(con)
    team = con.execute("select team from teams order by team limit 1").fetchone()[0]
    team_scope = default_scope(con, teams=(team,))
    org_median, _ = timed(lambda: catalog(con, scope), repeat)
    team_median, _ = timed(lambda: catalog(con, team_scope), repeat)
    con.close()
    return {"catalog_org_s": org_median, "catalog_team_s": team_median}


# Charts on the page, charts drawn, elements still loading. A tile's Vega sparkline
# (st.metric's chart_data) counts as a chart: an earlier version counted Plotly only, and timed
# the Overview before its twelve sparklines had drawn.
CHART_STATE = """() => [
    document.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="stMetricChart"]').length,
    document.querySelectorAll('.js-plotly-plot .main-svg, [data-testid="stMetricChart"] svg.marks').length,
    document.querySelectorAll('[data-testid="stSkeleton"]').length,
]"""


def settled(tab, quiet_s: float = 1.0) -> tuple[float, int]:
    """When the page's charts were last seen changing, once they have all drawn, no element
    is still loading (a skeleton stands in for a chart until Plotly's bundle is loaded) and
    the page stayed so for `quiet_s`: charts mount lazily after the script ends, so counting
    them at that moment undercounts (a run on a loaded machine recorded 0 charts for the
    Delivery page, whose bundle took over a second). Returns (perf_counter time of the last
    change, charts)."""
    last, changed = None, time.perf_counter()
    while True:
        state = tab.evaluate(CHART_STATE)
        now = time.perf_counter()
        if state != last:
            last, changed = state, now
        elif now - changed > quiet_s and state[1] >= state[0] and state[2] == 0:
            return changed, state[0]
        time.sleep(0.05)


def timed_visit(tab, address: str) -> tuple[float, int]:
    """Open `address` in `tab`: seconds from navigation to every chart drawn (`settled`), and
    how many charts."""
    began = time.perf_counter()
    tab.goto(address)
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"] h1', timeout=120_000)
    drawn_at, charts = settled(tab)
    return drawn_at - began, charts


REFERENCE_APP = """import plotly.graph_objects as go
import streamlit as st


def first():
    st.title("Reference: a title and nothing else")


def second():
    st.title("Reference: the second page")


def charts():
    st.title("Reference: six small line charts")
    for row in range(3):
        for column, n in zip(st.columns(2), (2 * row, 2 * row + 1)):
            fig = go.Figure(go.Scatter(x=list(range(12)), y=[(i * (n + 3)) % 7 for i in range(12)], mode="lines+markers"))
            fig.update_layout(title=f"Chart {n + 1}", height=360)
            with column, st.container(border=True):
                st.plotly_chart(fig, key=f"chart-{n}")


st.navigation([st.Page(first, title="First", url_path="first", default=True),
               st.Page(second, title="Second", url_path="second"),
               st.Page(charts, title="Charts", url_path="charts")]).run()
"""


def reference_app() -> Path:
    """A trivial Streamlit app: what any page costs before its own work (a title alone), and
    with six small Plotly charts of 12 points in two columns, as a pillar page lays them out
    (the floor a chart page meets on this machine, whatever it computes)."""
    path = WORK / "reference_app.py"
    path.write_text(REFERENCE_APP)
    return path


def bench_pages(
    database: Path | None, repeat: int, only: list[str] | None = None, app: Path | None = None
) -> dict:
    """Per page (or only the `only` ones: page names, optionally with a query string such as
    `retention?section=Teams`): first visit, warm new-tab visits and, for plain page names,
    the sidebar link with the app already open. `app` (default dashboard.py, on a copy of
    `database`) may be the reference app, whose pages are `first`, `second` and `charts`."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_healthy

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if database is not None:
        copy = WORK / f"pages-{database.stem}.duckdb"
        shutil.copy(database, copy)
        env["PILLARS_DB"] = str(copy)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app or "dashboard.py"), "--server.port", str(port),
         "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # The default page is served at "/": the Overview (or the reference's first page).
    if app is not None:
        pages = ["", "second", "charts"]
    else:
        pages = [
            "" if p.stem == "overview" else p.stem  # url paths are the file names (dashboard.py)
            for p in sorted((ROOT / "pages").glob("*.py"))
            if not only or p.stem in only
        ]
    if only:
        pages = ["" if name == "overview" else name for name in only]
    linked = [name for name in pages if "?" not in name]
    results: dict[str, dict] = {}
    try:
        _wait_healthy(url, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # The server's own start, apart: its first page pays the process's imports (about 1 s)
            # and, on a database it has not opened yet, publishing a snapshot. Measured on the Data
            # page (where a new VP starts: it computes no chart, so every chart page's first visit
            # below still finds its own views cold), then each page is timed on a started server.
            first = "first" if app is not None else "data"
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            seconds, charts = timed_visit(context.new_page(), url if app is not None else f"{url}/data")
            results[f"{first}, the server's first page"] = {"first_visit_s": seconds, "charts": charts}
            context.close()
            for name in pages:
                cold, warm = [], []
                # A fresh browser profile for the first visit; later tabs share its HTTP cache,
                # as a VP's browser does (Streamlit's bundles are served as immutable).
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                for attempt in range(repeat + 1):
                    tab = context.new_page()
                    seconds, charts = timed_visit(tab, f"{url}/{name}")
                    (cold if attempt == 0 else warm).append(seconds)
                    tab.close()
                context.close()
                results[name or ("first" if app is not None else "overview")] = {
                    "first_visit_s": cold[0],
                    "warm_s": statistics.median(warm),
                    "charts": charts,
                }
            # Navigation inside the app: the sidebar link, with the frontend already loaded.
            tab = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab.goto(url)
            tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"] h1')
            settled(tab)
            home = "first" if app is not None else "overview"
            clicks: dict[str, list[float]] = {name or home: [] for name in linked}
            for _ in range(repeat):
                for name in linked:
                    path = name or home
                    began = time.perf_counter()
                    links = tab.locator('[data-testid="stSidebarNav"] a')
                    paths = links.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
                    links.nth(paths.index(f"/{name}")).click()
                    tab.wait_for_function(
                        "p => location.pathname.endsWith(p) && document.querySelector("
                        '\'[data-testid="stApp"][data-test-script-state="notRunning"]\')',
                        arg=name,
                        timeout=120_000,
                    )
                    drawn_at, _ = settled(tab)
                    clicks[path].append(drawn_at - began)
            for path, runs in clicks.items():
                results[path]["in_app_s"] = statistics.median(runs) if runs else float("nan")
            tab.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return results


def machine() -> str:
    import duckdb
    import pandas
    import plotly
    import streamlit

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.platform()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB; "
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}, pandas {pandas.__version__}, "
        f"streamlit {streamlit.__version__}, plotly {plotly.__version__}"
    )


def keep_unmeasured(sections: list[list[str]]) -> str:
    """RESULTS.md: this run's sections, then the old file's sections this run did not measure
    (those bench/concurrency.py or bench/board_pack.py wrote, or skipped here)."""
    measured = {
        line.split(":")[0].split("(")[0].strip()
        for block in sections
        for line in block
        if line.startswith("## ")
    }
    kept: list[str] = []
    if RESULTS.exists():
        blocks, current = [], None
        for line in RESULTS.read_text().splitlines():
            if line.startswith("## "):
                current = [line]
                blocks.append(current)
            elif current is not None:
                current.append(line)
        for block in blocks:
            title = block[0].split(":")[0].split("(")[0].strip()
            if not any(title.startswith(m) or m.startswith(title) for m in measured):
                kept += [*block]
    out = [line for block in sections for line in block] + kept
    return "\n".join(out).rstrip() + "\n"


def catalog_section(large: Path, repeat: int) -> list[str]:
    met = bench_metrics(large, repeat)
    return [
        "## Metric catalog (default period: last 90 days; bar: 0.5 s on the large organisation)",
        "",
        f"Every key of SPEC §5, on a warm read-only connection; median of {repeat}; load average "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        "| scope | median seconds |",
        "|---|---:|",
        f"| whole organisation | {met['catalog_org_s']:.2f} |",
        f"| one team | {met['catalog_team_s']:.2f} |",
        "",
    ]


def pages_section(repeat: int) -> list[str]:
    """Every page on the demo and the large organisation, and the reference app, in one run."""
    small, _ = build_demo_db("small")
    large, _ = build_demo_db("large")
    load_before = os.getloadavg()[0]
    reference = bench_pages(None, repeat, app=reference_app())
    results = {
        "demo organisation (bars: 2 s in a new tab, 0.5 s page to page)": bench_pages(small, repeat),
        "large organisation (bars: 5 s in a new tab, 1 s page to page)": bench_pages(large, repeat),
    }
    load_after = os.getloadavg()[0]
    lines = [
        "## Reference: a trivial Streamlit app (a title; six small Plotly charts), same run, same browser",
        "",
        f"Load average {load_before:.1f} before the pages and {load_after:.1f} after, on {os.cpu_count()} cores.",
        "A page's own cost is its time minus the reference's in the same column.",
        "",
        *page_table(reference),
        "",
    ]
    for organisation, found in results.items():
        lines += [
            f"## Pages on the {organisation}: navigation to every chart drawn (Chromium, real server)",
            "",
            *page_table(found),
            "",
        ]
    return [
        *lines,
        "Reading the page timings: a new tab pays Streamlit's own start (the reference's first column) and,",
        "for the first chart, its 4.7 MB Plotly bundle; the sidebar column, with the app already open, is",
        "the page switch SPEC §9 bounds.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--import-repeat", type=int, default=5)
    parser.add_argument("--memory-rows", type=int, default=5_000_000, help="0: skip the memory figure")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-catalog", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--pages",
        help="only these pages, comma-separated (e.g. retention,retention?section=Teams): times them on "
        "both organisations and writes bench/RESULTS_<first page>.md, leaving RESULTS.md alone",
    )
    parser.add_argument("--skip-board-pack", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.pages:
        return pages_only(args.pages.split(","), args.repeat)

    large, build_s = build_demo_db("large")
    con = db.connect(large, read_only=True)
    counts = {
        t: con.execute("select count(*) from " + t).fetchone()[0]  # names from the fixed table list
        for t in (
            "work_items",
            "work_item_transitions",
            "pull_requests",
            "survey_responses",
            "deployments",
            "employees",
        )
    }
    con.close()
    sections = [
        [
            "# Benchmark results",
            "",
            f"Run: `.venv/bin/python {' '.join(['bench/run.py', *sys.argv[1:]])}` on {time.strftime('%Y-%m-%d')}.",
            "",
            f"Machine: {machine()}.",
            "",
        ],
        [
            "## Large demo organisation",
            "",
            f"Built in {build_s:.1f} s."
            if build_s == build_s
            else "Reused an existing build (delete bench/work/).",
            "",
            "| table | rows |",
            "|---|---:|",
            *[f"| {t} | {n:,} |" for t, n in counts.items()],
            "",
        ],
    ]
    if not args.skip_import:
        from bench.import_vs_read_csv import make_jira_csv

        files = {"the benchmark's own, cut from the large demo": write_csv(large),
                 "text-heavy, Jira-like": make_jira_csv(ROWS)}  # fmt: skip
        sections.append(bench_import(files, args.import_repeat))
        if args.memory_rows:
            sections.append(bench_memory(args.memory_rows))
    if not args.skip_catalog:
        sections.append(catalog_section(large, args.repeat))
    if not args.skip_pages:
        sections.append(pages_section(args.repeat))
    if not args.skip_board_pack:
        from bench.board_pack import measure, section

        small, _ = build_demo_db("small")
        sections.append(section({"demo": measure(small, args.repeat), "large": measure(large, args.repeat)}))
    RESULTS.write_text(keep_unmeasured(sections))
    print(RESULTS.read_text())
    return 0


def page_table(results: dict) -> list[str]:
    return [
        "| page | charts | first visit: new browser, the page's views not yet computed s | "
        "later visits: new tab, warm caches s | sidebar link, app already open s |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {r['charts']} | {r['first_visit_s']:.2f} | "
            + (f"{r['warm_s']:.2f} | " if "warm_s" in r else "— | ")
            + (f"{r['in_app_s']:.2f} |" if "in_app_s" in r else "— |")
            for name, r in results.items()
        ],
    ]


def pages_only(names: list[str], repeat: int) -> int:
    """Time some pages on the demo and the large organisation (bars: SPEC §9)."""
    large, _ = build_demo_db("large")
    small, _ = build_demo_db("small")
    target = ROOT / "bench" / f"RESULTS_{names[0].split('?')[0].replace('-', '_')}.md"
    lines = [
        f"# Page timings: {', '.join(names)}",
        "",
        f"Run: `.venv/bin/python bench/run.py --pages {','.join(names)} --repeat {repeat}` on "
        f"{time.strftime('%Y-%m-%d')}. Machine: {machine()}; load average at start "
        f"{os.getloadavg()[0]:.1f}.",
        "",
    ]
    for organisation, database in (
        ("demo organisation (bar: 2 s)", small),
        ("large organisation (bar: 5 s)", large),
    ):
        lines += [f"## {organisation}", "", *page_table(bench_pages(database, repeat, names)), ""]
    target.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
