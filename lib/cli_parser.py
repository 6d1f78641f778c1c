"""The command line's arguments (SPEC.md §7): each command of `python -m lib`, its options
and their checks (dates as YYYY-MM-DD, waits as seconds >= 0). lib/cli.py runs the commands.
"""

from __future__ import annotations

import argparse
import datetime as dt

from lib import store


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="DuckDB file (default: $PILLARS_DB, else data/pillars.duckdb)",
    )


def _add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="how long to wait for another process writing the database "
        f"(default: $PILLARS_LOCK_WAIT, else {store.DEFAULT_WAIT_S:.0f})",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds >= 0: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Pillars command line")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="(re)create the seeded demo organisation")
    _add_db(demo)
    _add_wait(demo)
    demo.add_argument("--scale", choices=("small", "large"), default="small")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument(
        "--end",
        type=_date,
        default=None,
        help="last day of demo history (default: today); the same seed and end give the same data",
    )

    imp = sub.add_parser("import", help="import files as the Data page does")
    _add_db(imp)
    _add_wait(imp)
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--tz",
        default=None,
        help="time zone for timestamps without an offset (default: the saved setting, else UTC)",
    )
    imp.add_argument("--table", default=None, help="canonical table, when the file's headers are ambiguous")
    imp.add_argument(
        "--again",
        action="store_true",
        help="import a file even if an import that stands already loaded its exact bytes (with the options "
        "given now); without it such a file is skipped and changes nothing. Undo restores the earlier rows",
    )
    imp.add_argument(
        "--date-order",
        choices=("dmy", "mdy", "ymd"),
        default=None,
        help="order of numeric dates such as 05/11/2025 in these files: day/month/year, month/day/year or "
        "year/month/day (needed when the file's tool and values do not say; remembered for the layout)",
    )
    imp.add_argument(
        "--jira-resolution",
        action="append",
        default=[],
        metavar="NAME=done|dropped",
        help="mark a Jira resolution as delivered (done) or not delivered (dropped); saved for later imports",
    )
    imp.add_argument(
        "--jira-status",
        action="append",
        default=[],
        metavar="NAME=done|dropped|open",
        help="mark a Jira status (for issues without a resolution); saved for later imports",
    )

    met = sub.add_parser("metrics", help="print the metric catalog as JSON")
    _add_db(met)
    met.add_argument("--start", type=_date, help="period start (inclusive)")
    met.add_argument("--end", type=_date, help="period end (exclusive)")
    met.add_argument("--team", help="compute over this team's rows only")

    log = sub.add_parser("imports", help="list the import log, newest first (as the Data page does)")
    _add_db(log)
    log.add_argument(
        "--csv",
        metavar="FILE",
        default=None,
        help="write the log as CSV to FILE ('-' for standard output); formula-like cells are neutralised",
    )

    undo = sub.add_parser("undo", help="undo one import (as the Data page does)")
    _add_db(undo)
    _add_wait(undo)
    undo.add_argument(
        "import_id", metavar="IMPORT_ID", help="the id from `imports` (or its first 8+ characters)"
    )
    settings = sub.add_parser("settings", help="show or change the metric rules' settings")
    _add_db(settings)
    _add_wait(settings)
    settings.add_argument("key", nargs="?", help="setting to change (omit to list them all)")
    settings.add_argument("value", nargs="?", help="comma-separated words; empty restores the default")

    exp = sub.add_parser("export", help="write the board pack as a PowerPoint deck or a PDF")
    _add_db(exp)
    exp.add_argument("--start", type=_date, help="period start (inclusive; default: 90 days before the end)")
    exp.add_argument(
        "--end", type=_date, help="period end (exclusive; default: the day after the latest data)"
    )
    exp.add_argument("--team", help="only this team's rows")
    exp.add_argument("--grain", choices=("week", "month", "quarter"), default="month", help="trend buckets")
    exp.add_argument(
        "--charts", help="chart ids, comma-separated, in slide order (default: the Overview's set)"
    )
    exp.add_argument("--out", help="FILE.pptx or FILE.pdf")
    exp.add_argument("--list", action="store_true", help="list the chart ids and exit")
    _add_wait(exp)
    return parser
