"""Benchmark: the time to build a 12-chart board deck (the Overview's headline set) on the demo
and the large organisation; updates the "Board pack" section of bench/RESULTS.md.

    .venv/bin/python bench/board_pack.py [--repeat 3]

Each run is what `python -m lib export` does, in-process: compute every chart through the
registry, draw each with kaleido in one Chromium (its start included: every deck starts a
browser), compose the slides, then write the PPTX and the PDF. The bar (issue 15): under
20 s on the demo. Medians over --repeat runs; the machine's load average is recorded, since
the two cores are shared. `bench/run.py` writes the same section when run whole.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import RESULTS, WORK, build_demo_db, machine  # noqa: E402
from lib import db  # noqa: E402

HEADING = "## Board pack: a 12-chart deck (bar: 20 s on the demo)"


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (each deck's Chromium
    is reaped when the deck is done): what a deck costs whatever else the machine runs."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def measure(database: Path, repeat: int) -> dict:
    """Median seconds per step of a default deck on `database`, and its slide count."""
    from lib import boardpack
    from lib.charts import registry
    from lib.scope import default_scope

    con = db.connect(database, read_only=True)
    scope = default_scope(con)
    ids = list(registry.default_ids())
    steps: dict[str, list[float]] = {
        "compute": [],
        "draw": [],
        "compose": [],
        "pptx": [],
        "pdf": [],
        "total": [],
        "cpu": [],
    }
    slides = 0
    for _ in range(repeat):
        marks = {}

        def progress(done: float, what: str, marks=marks) -> None:
            if what.startswith("Drawing") and "draw" not in marks:
                marks["draw"] = time.perf_counter()
            if what.startswith("Laying out"):
                marks["compose"] = time.perf_counter()

        cpu_before = _cpu()
        began = time.perf_counter()
        deck = boardpack.build(con, scope, ids, progress=progress)
        built = time.perf_counter()
        deck.pptx()
        pptx = time.perf_counter()
        deck.pdf()
        done = time.perf_counter()
        steps["compute"].append(marks["draw"] - began)
        steps["draw"].append(marks["compose"] - marks["draw"])
        steps["compose"].append(built - marks["compose"])
        steps["pptx"].append(pptx - built)
        steps["pdf"].append(done - pptx)
        steps["total"].append(done - began)
        steps["cpu"].append(_cpu() - cpu_before)
        slides = len(deck.slides)
    con.close()
    return {"charts": len(ids), "slides": slides, **{k: statistics.median(v) for k, v in steps.items()}}


def section(results: dict[str, dict]) -> list[str]:
    load = os.getloadavg()[0]
    lines = [
        HEADING,
        "",
        "Default period (last 90 days), the Overview's headline set, one Chromium per deck (its start "
        f"included). Load average when measured: {load:.1f} on {os.cpu_count()} cores: with other work on "
        "the machine, wall-clock steps stretch; the CPU column is the deck's own cost (this process and "
        "its Chromium), whatever else runs.",
        "",
        "| organisation | charts | slides | compute s | draw (Chromium) s | compose s | PPTX s | PDF s | total s "
        "| CPU s (Python + Chromium) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['charts']} | {r['slides']} | {r['compute']:.2f} | {r['draw']:.2f} | "
            f"{r['compose']:.2f} | {r['pptx']:.2f} | {r['pdf']:.2f} | {r['total']:.2f} | {r['cpu']:.2f} |"
        )
    return [*lines, ""]


def update_results(lines: list[str]) -> None:
    """Replace the Board pack section of RESULTS.md (or append it), leaving the rest alone."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start = text.find(HEADING)
    if start == -1:
        RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines))
        return
    end = text.find("\n## ", start + len(HEADING))
    rest = text[end + 1 :] if end != -1 else ""
    RESULTS.write_text(text[:start] + "\n".join(lines) + ("\n" + rest if rest else ""))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    small, _ = build_demo_db("small")
    large, _ = build_demo_db("large")
    results = {"demo": measure(small, args.repeat), "large": measure(large, args.repeat)}
    lines = section(results)
    lines.insert(2, f"Run: `.venv/bin/python bench/board_pack.py --repeat {args.repeat}` on "
                    f"{time.strftime('%Y-%m-%d')}; machine: {machine()}.")  # fmt: skip
    lines.insert(3, "")
    update_results(lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
