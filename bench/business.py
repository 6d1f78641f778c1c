"""Benchmark of the Business alignment page, section by section; writes bench/BUSINESS.md.

    .venv/bin/python bench/business.py [--repeat 3]

For the demo and the large organisation (the builds `bench/run.py` makes in bench/work/),
in Chromium against a real `streamlit run` server, as `bench/run.py` measures pages:
- each section (`/business?section=…`) opened in a new tab: the first visit with a new
  browser profile and cold server caches, then the median of later visits (warm caches);
- switching section by clicking its tab with the page open (the in-app switch);
and, in-process, the seconds each view behind the page takes on the large organisation.
Bars (SPEC §9): a page in a new tab within 2 s on the demo and 5 s on the large
organisation; a switch within 0.5 s and 1 s. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import WORK, build_demo_db, machine, settled  # noqa: E402

RESULTS = ROOT / "bench" / "BUSINESS.md"
SECTIONS = ("Investment mix", "Initiatives", "Efficiency", "Capitalisation", "Outcomes")
# Measured the same way in the same run: on a shared machine the load moves every page alike.
REFERENCE = "reference: the Delivery page"


def bench_views(database: Path, repeat: int) -> dict[str, float]:
    from lib import db
    from lib.scope import default_scope
    from lib.views import business as vb
    from lib.views import business_mix as vm
    from lib.views import business_outcomes as vo
    from lib.views import business_settings as vs

    con = db.connect(database, read_only=True)
    scope = default_scope(con)
    months = vb.business_months(scope) or scope
    trend = vb.business_trend(scope)
    calls = {
        "business_summary (tiles, one period)": lambda: vb.business_summary(con, months),
        "business_by_period (12-month trend)": lambda: vb.business_by_period(con, trend),
        "mix_by_period by flow type": lambda: vm.mix_by_period(con, trend, "type", "all"),
        "mix_by_period by initiative": lambda: vm.mix_by_period(con, trend, "initiative", "all"),
        "mix_summary per team": lambda: vm.mix_summary(con, months, "type", "team"),
        "initiative_costs": lambda: vm.initiative_costs(con, months),
        "mapping_status": lambda: vs.mapping_status(con),
        "capitalisation_by_period": lambda: vb.capitalisation_by_period(con, trend, vs.PolicyChoice()),
        "outcome_analysis (24 months, 140 correlations)": lambda: vo.outcome_analysis(con, scope),
    }
    out = {}
    for name, call in calls.items():
        runs = []
        for _ in range(repeat):
            began = time.perf_counter()
            call()
            runs.append(time.perf_counter() - began)
        out[name] = statistics.median(runs)
    con.close()
    return out


def _ready(tab) -> None:
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"] h1', timeout=120_000)


def bench_page(database: Path, repeat: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_healthy

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    copy = WORK / f"business-{database.stem}.duckdb"
    shutil.copy(database, copy)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PILLARS_DB": str(copy)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, dict[str, float]] = {}
    try:
        _wait_healthy(url, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for section in (*SECTIONS, REFERENCE):
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                cold, warm = [], []
                path = "delivery" if section == REFERENCE else f"business?section={section.replace(' ', '+')}"
                for attempt in range(repeat + 1):
                    tab = context.new_page()
                    began = time.perf_counter()
                    tab.goto(f"{url}/{path}")
                    _ready(tab)
                    drawn_at, charts = settled(tab)
                    (cold if attempt == 0 else warm).append(drawn_at - began)
                    tab.close()
                context.close()
                results[section] = {
                    "first_visit_s": cold[0],
                    "warm_s": statistics.median(warm),
                    "charts": charts,
                }
            tab = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab.goto(f"{url}/business")
            _ready(tab)
            settled(tab)
            switches: dict[str, list[float]] = {s: [] for s in SECTIONS}
            for _ in range(repeat):
                for section in (*SECTIONS[1:], SECTIONS[0]):
                    began = time.perf_counter()
                    tab.get_by_role("tab", name=section).click()
                    tab.wait_for_function(
                        "s => new URLSearchParams(location.search).get('section') === s || s === 'Investment mix'",
                        arg=section,
                        timeout=120_000,
                    )
                    _ready(tab)
                    drawn_at, _ = settled(tab)
                    switches[section].append(drawn_at - began)
            for section, runs in switches.items():
                results[section]["switch_s"] = statistics.median(runs)
            results[REFERENCE]["switch_s"] = float("nan")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    small, _ = build_demo_db("small")
    large, _ = build_demo_db("large")
    views = bench_views(large, args.repeat)
    pages = {
        "demo organisation (bars: new tab 2 s, switch 0.5 s)": bench_page(small, args.repeat),
        "large organisation (bars: new tab 5 s, switch 1 s)": bench_page(large, args.repeat),
    }
    load = os.getloadavg()[0]
    lines = [
        "# Business alignment page: benchmark",
        "",
        f"Load average when it finished: {load:.1f} on {os.cpu_count()} cores (other work on the machine slows"
        " every page alike: compare with the reference row, the Delivery page measured in the same run).",
        "",
        f"Run: `.venv/bin/python bench/business.py --repeat {args.repeat}` on {time.strftime('%Y-%m-%d')}.",
        "",
        f"Machine: {machine()}.",
        "",
        "## Views on the large organisation (default period; seconds, median)",
        "",
        "| view | s |",
        "|---|---:|",
        *[f"| {name} | {s:.3f} |" for name, s in views.items()],
        "",
    ]
    for organisation, results in pages.items():
        lines += [
            f"## Sections on the {organisation}: navigation to every chart drawn",
            "",
            "| section | charts | first visit: new browser, cold caches s | new tab, warm caches s | tab click, page open s |",
            "|---|---:|---:|---:|---:|",
            *[
                f"| {name} | {r['charts']} | {r['first_visit_s']:.2f} | {r['warm_s']:.2f} | {r['switch_s']:.2f} |"
                for name, r in results.items()
            ],
            "",
        ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
