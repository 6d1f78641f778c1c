"""The command line (SPEC.md §7): demo, import, metrics, imports, undo, settings, export, on the app's database.

Every command works while the app serves the same file (lib/store.py): writers (demo,
import, undo) take turns with the app's own writes, waiting at most `--wait` seconds,
and readers (metrics, imports, export) read the last published snapshot. No command prints a
traceback: a database held too long by another process exits 75 (EX_TEMPFAIL) with a
message naming that process and what to do; other failures exit 1 with the reason. The
arguments each command takes are lib/cli_parser.py's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

import duckdb

from lib import db, store
from lib.cli_parser import build_parser
from lib.privacy import printable


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
