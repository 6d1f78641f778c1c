"""The command line (SPEC.md §7): demo, import, metrics, imports, undo, settings, export, on the app's database.

Every command works while the app serves the same file (lib/store.py): writers (demo,
import, undo) take turns with the app's own writes, waiting at most `--wait` seconds,
and readers (metrics, imports, export) read the last published snapshot. No command prints a
traceback: a database held too long by another process exits 75 (EX_TEMPFAIL) with a
message naming that process and what to do; other failures exit 1 with the reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

import duckdb

from lib import db, store
from lib.privacy import printable


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


def cmd_demo(args: argparse.Namespace) -> int:
    from lib.demo import build_demo

    began = time.perf_counter()
    with store.writing(
        args.db, purpose="python -m lib demo", wait=args.wait, on_wait=_waiting(args.db)
    ) as con:
        counts = build_demo(con, scale=args.scale, seed=args.seed, end=args.end)
    total = sum(counts.values())
    print(
        f"demo organisation ({args.scale}, seed {args.seed}) written to {db.db_path(args.db)}: "
        f"{total:,} rows in {time.perf_counter() - began:.1f}s"
    )
    for table, rows in counts.items():
        print(f"  {table:<24}{rows:>12,}")
    return 0


def _marks(pairs: list[str], flag: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, mark = pair.rpartition("=")
        if not sep or not name.strip():
            raise ValueError(f"{flag} {pair!r}: write NAME=MARK, e.g. {flag} 'Out of Date=dropped'")
        out[name.strip()] = mark.strip().lower()
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from lib.ingest.load import import_file, options_for, save_jira_rules

    try:
        rules = {
            "resolutions": _marks(args.jira_resolution, "--jira-resolution"),
            "statuses": _marks(args.jira_status, "--jira-status"),
        }
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = 0
    purpose = f"python -m lib import ({len(args.files)} file{'s' * (len(args.files) != 1)})"
    with store.writing(args.db, purpose=purpose, wait=args.wait, on_wait=_waiting(args.db)) as con:
        if rules["resolutions"] or rules["statuses"]:
            save_jira_rules(con, rules)
        options = options_for(con, tz=args.tz, table_hint=args.table, date_order=args.date_order)
        for path in args.files:
            result = import_file(con, path, options, again=args.again)
            if result.ok:
                print("\n".join(result.lines()), flush=True)
                if result.already:
                    print("  note: --again imports it anyway, with the options given", flush=True)
            else:
                failed += 1
                print(result.summary(), file=sys.stderr, flush=True)
    return 1 if failed else 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from lib.metrics import catalog
    from lib.scope import Scope, default_scope

    teams = (args.team,) if args.team else None
    with store.reading(args.db, on_wait=_waiting(args.db)) as con:
        if args.team and (unknown := _unknown_team(con, args.team)):
            return _fail(unknown)
        if args.start and args.end:
            scope = Scope(start=args.start, end=args.end, teams=teams)
        else:
            base = default_scope(con, teams=teams)
            start = args.start or (args.end - dt.timedelta(days=90) if args.end else base.start)
            scope = Scope(start=start, end=args.end or base.end, teams=teams)
        print(json.dumps(catalog(con, scope), indent=2, default=str))
    return 0


def _unknown_team(con, team: str) -> str | None:
    """Why `team` cannot scope a command (no such team in the teams table or any imported
    data: every figure would read 0 or null), or None when it exists."""
    from lib.privacy import printable
    from lib.scope import filter_options

    known = filter_options(con)["teams"]
    if team in known:
        return None
    listed = ", ".join(known[:20]) + (f", … ({len(known)} in all)" if len(known) > 20 else "")
    return f"no team {printable(team, 60)!r} in the data (teams: {listed or 'none'})"


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def cmd_export(args: argparse.Namespace) -> int:
    """Board pack: one line per slide on stdout; exit 1 with the reason on stderr when refused.

    Reads the last published snapshot, like `metrics`, so it runs while the app or an import
    writes. A database that never held data first gets the demo organisation (a writer's turn),
    as the app's first start does.
    """
    from pathlib import Path

    from lib import boardpack
    from lib.boardpack import choices
    from lib.boardpack.render import ChromiumMissing, RenderError
    from lib.charts import registry
    from lib.demo import build_demo, needs_demo
    from lib.scope import Scope, default_scope

    if args.list:
        for chart in registry.charts():
            mark = " (default)" if chart.id in registry.default_ids() else ""
            print(f"{chart.id:<42}{chart.pillar_name:<26}{chart.name}{mark}")
        return 0
    out = Path(args.out) if args.out else None
    if out is None or out.suffix.lower().lstrip(".") not in boardpack.FORMATS:
        return _fail("--out must name a .pptx or .pdf file, e.g. --out pack.pptx")
    ids = [c.strip() for c in (args.charts or "").split(",") if c.strip()] or list(registry.default_ids())
    for chart_id in ids:
        try:
            registry.get(chart_id)
        except registry.UnknownChart as unknown:
            return _fail(str(unknown))
    with store.reading(args.db, on_wait=_waiting(args.db)) as con:
        empty = needs_demo(con)
    if empty:  # a fresh clone: the demo organisation, as the app's first start makes
        purpose = "python -m lib export: building the demo organisation"
        with store.writing(args.db, purpose=purpose, wait=args.wait, on_wait=_waiting(args.db)) as con:
            if needs_demo(con):
                build_demo(con)
                print(f"no data yet: created the demo organisation in {db.db_path(args.db)}")
    try:
        with store.reading(args.db, on_wait=_waiting(args.db)) as con:
            teams = None
            if args.team:
                if unknown := _unknown_team(con, args.team):
                    return _fail(unknown)
                teams = (args.team,)
            base = default_scope(con, teams=teams)
            end = args.end or base.end
            start = args.start or end - dt.timedelta(days=90)
            if end <= start:
                return _fail(f"the period's end {end} is not after its start {start}")
            scope = Scope(start=start, end=end, grain=args.grain, teams=teams)
            filters = f"Team: {args.team}" if args.team else registry.ALL_TEAMS
            organisation = choices.organisation(args.db)
            deck = boardpack.build(con, scope, ids, filters, organisation=organisation)
        data = deck.file(out.suffix.lower().lstrip("."))
    except boardpack.NoDataInPeriod as nothing:
        return _fail(f"{nothing} (charts: {', '.join(ids)})")
    except (ChromiumMissing, RenderError) as missing:
        return _fail(str(missing))
    total = len(deck.slides)
    charts = {i + 2: c for i, c in enumerate(deck.content.charts)}
    for number, slide in enumerate(deck.slides, start=1):
        chart = charts.get(number)
        label = chart.chart.id if chart else "title" if number == 1 else "closing"
        line = f"no data: {chart.missing}" if chart and chart.missing else slide.title
        print(f"slide {number:>2}/{total}  {label:<40} {line}")
    partial = out.with_name(out.name + ".part")
    partial.write_bytes(data)
    partial.replace(out)  # never a half-written deck under the real name
    print(f"wrote {out} ({len(data) / 1e6:.1f} MB, {total} slides)")
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    import pandas as pd

    from lib.ingest.import_log import import_history
    from lib.privacy import to_safe_csv

    with store.reading(args.db, on_wait=_waiting(args.db)) as con:
        history = import_history(con)
    if args.csv:
        data = to_safe_csv(history)
        if args.csv == "-":
            sys.stdout.buffer.write(data)
        else:
            with open(args.csv, "wb") as out:
                out.write(data)
        return 0
    if history.empty:
        print("no imports yet")
        return 0
    for row in history.itertuples():
        when = f"{row.imported_at:%Y-%m-%d %H:%M:%S}" if not pd.isna(row.imported_at) else "?" * 19
        tables = printable(row.table or "-", 40)
        name = printable(row.file_name or "", 80)
        print(
            f"{printable(row.import_id, 40)}  {when}  {printable(row.status, 10):<8} {row.rows:>10,}  {tables:<24} {name}"
        )
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from lib.ingest.import_log import undo_import

    wanted = args.import_id.strip().lower()
    purpose = f"python -m lib undo {printable(wanted, 40)}"
    with store.writing(args.db, purpose=purpose, wait=args.wait, on_wait=_waiting(args.db)) as con:
        rows = con.execute(
            "select import_id, file_name, status from imports where starts_with(import_id, ?)", [wanted]
        ).fetchall()
        exact = [r for r in rows if r[0] == wanted]
        if exact:
            rows = exact
        if not rows or len(wanted) < 8 and not exact:
            print(f"no import {printable(wanted, 40)!r}: `python -m lib imports` lists them", file=sys.stderr)
            return 1
        if len(rows) > 1:
            print(
                f"{printable(wanted, 40)!r} names {len(rows)} imports; give more of the id", file=sys.stderr
            )
            return 1
        import_id, file_name, status = rows[0]
        if status != "loaded":
            print(
                f"import {import_id} ({printable(file_name or '', 80)}) is {printable(status or 'without a status', 20)}: "
                "nothing to undo",
                file=sys.stderr,
            )
            return 1
        undone = undo_import(con, import_id)
    restored = f", {undone.restored:,} rows it had replaced restored" if undone.restored else ""
    print(
        f"undone import {import_id} ({printable(file_name or '', 80)}): {undone.deleted:,} rows deleted{restored}"
    )
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from lib.ingest import reviews
    from lib.views import delivery_rules

    purpose = "python -m lib settings"
    with store.writing(args.db, purpose=purpose, wait=args.wait, on_wait=_waiting(args.db)) as con:
        if args.key == reviews.REVIEW_BOTS_SETTING:
            reviews.set_review_bots(con, args.value)
        elif args.key is not None:
            try:
                delivery_rules.set_rule_list(con, args.key, args.value)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
        shown = {
            delivery_rules.PRODUCTION_NAMES_SETTING: delivery_rules.production_environment_names(con),
            delivery_rules.NONPRODUCTION_WORDS_SETTING: delivery_rules.nonproduction_environment_words(con),
            reviews.REVIEW_BOTS_SETTING: sorted(reviews.review_bots(con)),
        }
    for key, words in shown.items():
        print(f"{key} = {', '.join(words)}")
    return 0


def _waiting(path):
    def tell(holder: store.Holder | None) -> None:
        who = holder.describe() if holder else "another Pillars process"
        print(f"waiting for {who} to finish writing {db.db_path(path)}…", file=sys.stderr, flush=True)

    return tell


COMMANDS = {
    "demo": cmd_demo,
    "import": cmd_import,
    "metrics": cmd_metrics,
    "imports": cmd_imports,
    "undo": cmd_undo,
    "settings": cmd_settings,
    "export": cmd_export,
}
EX_TEMPFAIL = 75


def main(argv: list[str] | None = None) -> int:
    from lib.anonymity import ThresholdError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ThresholdError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except store.Busy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return EX_TEMPFAIL
    except (duckdb.Error, OSError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: {args.command} failed: {printable(reason, 300)}", file=sys.stderr)
        return 1
    except Exception as exc:  # no traceback, ever: say what failed, and that it is a fault
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"error: {args.command} failed ({type(exc).__name__}: {printable(reason, 300)}); this is a fault in "
            "Pillars, please report it with the command you ran",
            file=sys.stderr,
        )
        return 1
